"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One `reportingDescriptor` per rule, one `result` per violation at its offending line (the first
import of its first chain, the line a data-contract rule names, the importer's file, or the
rule's line in the configuration: a result without a location makes code scanning reject the
whole file), the chain's other imports as `relatedLocations` and the chains as `codeFlows`.
Paths are relative to the root of the git repository holding the project (`%SRCROOT%`).

Against a baseline each result has a `baselineState`: `new`, `unchanged`, or `absent` for a
violation that is fixed (those are `kind: pass`). Code scanning keeps its own baseline and
shows every uploaded result as an alert whatever its state, so the SARIF for code scanning is
made without `--baseline`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from core.model import CheckResult, RuleResult, Violation
from core.reports.common import (
    RELEASING_DECISIONS,
    Place,
    ReportContext,
    escape_markdown,
    explanation,
    ordered_violations,
    provenance_text,
    review_text,
    rule_settings,
    rule_type_description,
    severity,
)

if TYPE_CHECKING:
    from core.check import Analysis

TITLE = "SARIF 2.1.0"
SUFFIX = "sarif"

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SOURCE_ROOT = "%SRCROOT%"
# GitHub code scanning's limits: results per run (more are rejected), locations per result
# (only the first 100 are kept) and thread flow locations per result (only 1,000 are kept).
MAX_RESULTS = 25_000
MAX_RELATED_LOCATIONS = 100
MAX_FLOW_LOCATIONS = 1_000
MAX_DESCRIPTION = 1_000  # characters of a rule's fullDescription
# Code scanning's upload action computes its own `primaryLocationLineHash` from the line and warns
# about any other value there, so the violation's fingerprint goes under a key of its own.
FINGERPRINT_KEY = "strataview/v1"
BASELINE_STATES = {"new": "new", "existing": "unchanged"}


def render(result: CheckResult, *, analysis: Analysis | None = None, color: bool = False) -> str:
    return json.dumps(sarif_log(result, analysis), indent=2, ensure_ascii=False) + "\n"


def sarif_log(result: CheckResult, analysis: Analysis | None = None) -> dict[str, Any]:
    context = ReportContext(result, analysis)
    rule_index = {rule.id: index for index, rule in enumerate(result.rules)}
    current = ordered_violations(result)
    notifications = [_notification(warning, "warning") for warning in _warnings(result)]
    if len(current) > MAX_RESULTS:
        notifications.append(
            _notification(
                f"{len(current)} violations found; only the first {MAX_RESULTS} (new ones first) are in this "
                "file, as code scanning accepts no more per run. The JSON report has them all.",
                "warning",
            )
        )
        current = current[:MAX_RESULTS]
    results = [_result(violation, context, rule_index) for violation in current]
    if result.baseline is not None:
        room = MAX_RESULTS - len(results)
        results += [_result(violation, context, rule_index, fixed=True) for violation in result.fixed[:room]]
    invocation: dict[str, Any] = {"executionSuccessful": not result.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    if result.errors:
        invocation["toolConfigurationNotifications"] = [
            _notification(": ".join(part for part in (error.file, error.place, error.message) if part), "error")
            for error in result.errors
        ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "Strataview",
                "version": result.tool.version,
                "semanticVersion": result.tool.version,
                "rules": [_descriptor(rule, context) for rule in result.rules],
            }
        },
        "invocations": [invocation],
        "results": results,
        "properties": _run_properties(result),
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _descriptor(rule: RuleResult, context: ReportContext) -> dict[str, Any]:
    summary, description = rule_type_description(rule.type)
    settings = rule_settings(context.rule_options(rule.id))
    help_text = [f"Rule '{rule.id}' ({rule.name}) is a `{rule.type}` rule. {description}"]
    if settings:
        help_text.append("Its options:\n" + "\n".join(f"  {name} = {value}" for name, value in settings))
    if rule.guidance:
        help_text.append(rule.guidance)
    markdown = [f"**{escape_markdown(rule.name)}** (`{rule.id}`) is a `{rule.type}` rule. {description}"]
    if settings:
        markdown.append("```toml\n" + "\n".join(f"{name} = {value}" for name, value in settings) + "\n```")
    if rule.guidance:
        markdown.append(escape_markdown(rule.guidance))
    full = summary if rule.name == rule.id else f"{rule.name}. {summary}"
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.name},
        "fullDescription": {"text": full[:MAX_DESCRIPTION]},
        "help": {"text": "\n\n".join(help_text), "markdown": "\n\n".join(markdown)},
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": ["architecture", rule.type],
            "precision": "very-high",
            "problem.severity": "error",
        },
    }


def _result(
    violation: Violation, context: ReportContext, rule_index: dict[str, int], *, fixed: bool = False
) -> dict[str, Any]:
    baseline = context.result.baseline
    found = context.primary_place(violation)
    primary = found or _fallback_place(context)
    message = violation.message
    if (why := explanation(violation)) is not None:
        message += f". {why}"
    if violation.provenance is not None:
        message += f". Introduced by {provenance_text(violation.provenance)}"
        if violation.provenance.generated:
            message += " (generated: " + "; ".join(violation.provenance.signals) + ")"
    result: dict[str, Any] = {
        "ruleId": violation.rule,
        "kind": "pass" if fixed else "fail",
        "level": "none" if fixed else severity(violation, compared=baseline is not None),
        "message": {"text": message},
        "locations": [_location(primary, context)],
        "partialFingerprints": {FINGERPRINT_KEY: violation.fingerprint},
    }
    if violation.rule in rule_index:
        result["ruleIndex"] = rule_index[violation.rule]
    related = context.related_places(violation, found)[:MAX_RELATED_LOCATIONS]
    if related:
        result["relatedLocations"] = [
            {"id": number, **_location(place, context)} for number, place in enumerate(related, start=1)
        ]
    flows = _code_flows(violation, context)
    if flows:
        result["codeFlows"] = flows
    if baseline is not None:
        result["baselineState"] = "absent" if fixed else BASELINE_STATES.get(violation.status or "", "new")
    review = violation.review
    if review is not None and review.status in RELEASING_DECISIONS:
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
        if review.note:
            suppression["justification"] = review.note
        result["suppressions"] = [suppression]
    result["properties"] = _result_properties(violation)
    return result


def _location(place: Place, context: ReportContext) -> dict[str, Any]:
    path = context.repository_path(place.file)
    if path is None:
        artifact = {"uri": "file://" + quote(place.file)}
    else:
        artifact = {"uri": quote(path), "uriBaseId": SOURCE_ROOT}
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if place.line is not None:
        region: dict[str, Any] = {"startLine": place.line}
        if place.text is not None:
            region["snippet"] = {"text": place.text}
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if place.message:
        location["message"] = {"text": place.message}
    return location


def _code_flows(violation: Violation, context: ReportContext) -> list[dict[str, Any]]:
    """One code flow per chain of more than one import, each import a step; at most MAX_FLOW_LOCATIONS steps in all."""
    flows = []
    budget = MAX_FLOW_LOCATIONS
    for chain in violation.chains:
        places = [place for link in chain if (place := context.link_place(link)) is not None]
        if len(places) < 2 or len(places) > budget:
            continue
        budget -= len(places)
        steps = [{"location": _location(place, context)} for place in places]
        message = " -> ".join([chain[0].importer, *(link.imported for link in chain)])
        flows.append({"message": {"text": message}, "threadFlows": [{"locations": steps}]})
    return flows


def _result_properties(violation: Violation) -> dict[str, Any]:
    properties: dict[str, Any] = {"ruleType": violation.type}
    if violation.importer is not None:
        properties["importer"] = violation.importer
    if violation.imported is not None:
        properties["imported"] = violation.imported
    if violation.provenance is not None:
        properties["provenance"] = violation.provenance.model_dump(mode="json", exclude_defaults=True)
    if violation.review is not None:
        properties["review"] = violation.review.model_dump(mode="json", exclude_defaults=True)
        properties["reviewText"] = review_text(violation.review)
    return properties


def _run_properties(result: CheckResult) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "projectRoot": result.project.root,
        "rootPackages": list(result.project.root_packages),
        "modules": result.graph.modules,
        "imports": result.graph.imports,
    }
    if result.baseline is not None:
        properties["baseline"] = result.baseline.model_dump(mode="json")
    if result.drift is not None:
        properties["drift"] = result.drift.model_dump(mode="json")
    return properties


def _warnings(result: CheckResult) -> list[str]:
    warnings = [f"baseline: {warning}" for warning in result.baseline.warnings] if result.baseline else []
    warnings += [f"rule '{rule.id}': {warning}" for rule in result.rules for warning in rule.warnings]
    return warnings


def _notification(text: str, level: str) -> dict[str, Any]:
    return {"message": {"text": text}, "level": level, "descriptor": {"id": "strataview"}}


def _fallback_place(context: ReportContext) -> Place:
    """A result must have a location: the configuration file, or the project's pyproject.toml."""
    return Place(context.config_file or "pyproject.toml", 1, None, "the configuration")
