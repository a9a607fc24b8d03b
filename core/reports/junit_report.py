"""`--format junit`: JUnit XML, so CI dashboards list the architecture rules beside the tests.

One `testcase` per rule (classname `strataview.<rule type>`), with a `failure` when the rule is
broken that lists its violations, their import lines and, against a baseline, which are new and
which commit brought them. A check that could not run is one testcase with an `error`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import TYPE_CHECKING

from core.model import CheckResult, RuleResult, Violation
from core.reports.common import (
    ReportContext,
    explanation,
    plural,
    provenance_text,
    review_text,
    tally,
    violations_by_rule,
)

if TYPE_CHECKING:
    from core.check import Analysis

TITLE = "JUnit XML"
SUFFIX = "xml"

# Characters XML 1.0 cannot hold, which analysed files may still contain.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(result: CheckResult, *, analysis: Analysis | None = None, color: bool = False) -> str:
    context = ReportContext(result, analysis)
    counts = tally(result)
    project = _clean(Path(result.project.root).name or result.project.root)
    cases = 1 if result.errors else len(result.rules)
    failures = 0 if result.errors else counts.broken
    errors = 1 if result.errors else 0
    suites = ElementTree.Element(
        "testsuites", name="Strataview", tests=str(cases), failures=str(failures), errors=str(errors), time="0"
    )
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name=f"architecture rules of {project}",
        tests=str(cases),
        failures=str(failures),
        errors=str(errors),
        skipped="0",
        time="0",
    )
    properties = ElementTree.SubElement(suite, "properties")
    for name, value in _properties(result):
        ElementTree.SubElement(properties, "property", name=name, value=_clean(value))
    if result.errors:
        case = ElementTree.SubElement(suite, "testcase", name="check", classname="strataview", time="0")
        error = ElementTree.SubElement(case, "error", message=_clean(result.errors[0].message), type="StrataviewError")
        error.text = _clean(
            "\n".join(": ".join(p for p in (e.file, e.place, e.message) if p) for e in result.errors)
        )
    else:
        by_rule = violations_by_rule(result)
        for rule in result.rules:
            _testcase(suite, rule, by_rule.get(rule.id, []), context)
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


def _testcase(suite: ElementTree.Element, rule: RuleResult, violations: list[Violation], context: ReportContext) -> None:
    attributes = {"name": _clean(f"{rule.id}: {rule.name}" if rule.name != rule.id else rule.id)}
    attributes["classname"] = f"strataview.{rule.type}"
    attributes["time"] = "0"
    if context.config_file:
        attributes["file"] = _clean(context.config_file)
        if (line := context.rule_line(rule.id)) is not None:
            attributes["line"] = str(line)
    case = ElementTree.SubElement(suite, "testcase", attributes)
    if not rule.kept:
        new = sum(violation.status == "new" for violation in violations)
        message = plural(rule.violations, "violation")
        if context.result.baseline is not None:
            message += f" ({new} new since {context.result.baseline.ref})"
        failure = ElementTree.SubElement(case, "failure", message=_clean(message), type=rule.type)
        failure.text = _clean("\n".join(_violation_lines(violations, context) + _guidance(rule)))
    notes = [f"warning: {warning}" for warning in rule.warnings]
    notes += [
        f"ignored by ignore_imports: {item.file or item.importer}:{item.line or '?'} {item.importer} -> {item.imported}"
        for item in rule.ignored
    ]
    if notes:
        ElementTree.SubElement(case, "system-out").text = _clean("\n".join(notes))


def _violation_lines(violations: list[Violation], context: ReportContext) -> list[str]:
    lines: list[str] = []
    for violation in violations:
        tag = f"[{violation.status}] " if violation.status else ""
        lines.append(f"- {tag}{violation.message}")
        if (why := explanation(violation)) is not None:
            lines.append(f"    {why}")
        place = context.primary_place(violation)
        if place is not None and not violation.chains:
            lines.append(f"    at {place.where}")
        for chain in violation.chains:
            for step, link in enumerate(chain):
                where = f"{link.file or link.importer}:{','.join(map(str, link.line_numbers)) or '?'}"
                content = f"  {link.line_contents[0].strip()}" if link.line_contents else ""
                lines.append(f"{'    ' if step == 0 else '      '}{where}  {link.importer} -> {link.imported}{content}")
        if violation.provenance is not None:
            generated = " · generated: " + "; ".join(violation.provenance.signals) if violation.provenance.generated else ""
            lines.append(f"    introduced by {provenance_text(violation.provenance)}{generated}")
        if violation.review is not None:
            lines.append(f"    review: {review_text(violation.review)}")
    return lines


def _guidance(rule: RuleResult) -> list[str]:
    return ["", rule.guidance] if rule.guidance else []


def _properties(result: CheckResult) -> list[tuple[str, str]]:
    properties = [
        ("strataview.version", result.tool.version),
        ("project", result.project.root),
        ("root_packages", ", ".join(result.project.root_packages)),
        ("modules", str(result.graph.modules)),
        ("imports", str(result.graph.imports)),
    ]
    if result.project.config:
        properties.append(("config", result.project.config))
    if result.baseline is not None:
        counts = tally(result)
        properties += [
            ("baseline", result.baseline.ref),
            ("baseline.commit", result.baseline.commit or ""),
            ("violations.new", str(counts.new)),
            ("violations.existing", str(counts.existing)),
            ("violations.fixed", str(counts.fixed)),
        ]
    return properties


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
