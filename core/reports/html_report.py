"""`--format html`: one self-contained page for people: open it from disk, mail it, archive it.

A summary with the verdict and the counts (new against existing, fixed, the commits that
brought the new violations), the architecture drawing (the app's layout as inline SVG, when the
report has the analysis behind the result), a section per rule with its violations, their
import chains and each import line with the lines around it, then what was fixed and what
drifted since the baseline, and the review decisions. The page has no script and loads nothing:
its Content-Security-Policy forbids both. The template (resources/templates/report.html.j2)
escapes every text, as all of it may come from the analysed code or from people.

Big results stay usable: past a few hundred violations every rule starts collapsed, and only a
rule's first violations are listed in full.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import StrataviewError
from core.model import CheckResult, ImportLink, Provenance, Review, RuleResult, Violation
from core.reports.common import (
    ReportContext,
    drift_summary,
    explanation,
    provenance_text,
    review_text,
    rule_settings,
    rule_type_description,
    state,
    tally,
    verdict,
    violations_by_rule,
)

if TYPE_CHECKING:
    import jinja2

    from core.architecture import DependencyMap
    from core.check import Analysis

TITLE = "HTML report"
SUFFIX = "html"

TEMPLATES = Path(__file__).resolve().parents[2] / "resources" / "templates"
TEMPLATE = "report.html.j2"
OPEN_RULES_UP_TO = 200  # violations in all; with more, every rule starts collapsed
OPEN_VIOLATIONS_UP_TO = 20  # violations in all whose chains start unfolded
DETAILED_PER_RULE = 500  # violations of a rule shown with chains and lines; the rest are listed by name
CHAINS_PER_VIOLATION = 10
CONTEXT_LINKS_PER_CHAIN = 4  # imports of a chain shown with the lines around them


def render(
    result: CheckResult,
    *,
    analysis: Analysis | None = None,
    color: bool = False,
    dependency_map: DependencyMap | None = None,
) -> str:
    """The page; `dependency_map` (the app has one at hand) saves building it from the analysis."""
    context = ReportContext(result, analysis)
    diagram = None
    # The drawing's modules (and igraph under them) are loaded only for it: they cost start-up time.
    if dependency_map is None and analysis is not None:
        from core.architecture import DependencyMap

        dependency_map = DependencyMap(analysis)
    if dependency_map is not None:
        from core.reports.diagram import architecture_svg

        diagram = architecture_svg(dependency_map, result)
    page = _page(result, context, diagram)
    return _template().render(**page)


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    import jinja2

    if not (TEMPLATES / TEMPLATE).is_file():
        raise StrataviewError(
            "the HTML report's template is missing; Strataview must run from its source tree, with resources/ "
            "beside core/",
            file=str(TEMPLATES / TEMPLATE),
        )
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template(TEMPLATE)


def _page(result: CheckResult, context: ReportContext, diagram: str | None) -> dict[str, Any]:
    import markupsafe

    counts = tally(result)
    by_rule = violations_by_rule(result)
    many = counts.violations > OPEN_RULES_UP_TO
    return {
        "project": Path(result.project.root).name or result.project.root,
        "result": result,
        "counts": counts,
        "verdict": verdict(result),
        "state": state(result),
        "baseline": result.baseline,
        "diagram": markupsafe.Markup(diagram) if diagram is not None else None,
        "rules": [
            _rule(rule, by_rule.get(rule.id, []), context, open_=not many and not rule.kept)
            for rule in result.rules
        ],
        "open_violations": counts.violations <= OPEN_VIOLATIONS_UP_TO,
        "commits": _commits(result),
        "reviews": _review_counts(result),
        "fixed": [{"message": v.message, "rule": v.rule, "review": _review(v.review)} for v in result.fixed],
        "drift": _drift(result),
    }


def _rule(rule: RuleResult, violations: list[Violation], context: ReportContext, *, open_: bool) -> dict[str, Any]:
    _, description = rule_type_description(rule.type)
    detailed = violations[:DETAILED_PER_RULE]
    return {
        "id": rule.id,
        "anchor": "rule-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in rule.id),
        "name": rule.name,
        "type": rule.type,
        "kept": rule.kept,
        "count": rule.violations,
        "new": sum(violation.status == "new" for violation in violations),
        "description": _with_code(description),
        "settings": rule_settings(context.rule_options(rule.id)),
        "guidance": rule.guidance,
        "warnings": rule.warnings,
        "ignored": [
            {
                "where": f"{item.file}:{item.line}" if item.file and item.line else item.file or item.importer,
                "importer": item.importer,
                "imported": item.imported,
                "text": (item.line_contents or "").strip(),
                "expression": item.expression,
            }
            for item in rule.ignored
        ],
        "unmatched": rule.unmatched_ignores,
        "open": open_,
        "has_content": not rule.kept or bool(rule.ignored or rule.unmatched_ignores or rule.warnings),
        "violations": [_violation(violation, context) for violation in detailed],
        "listed": [violation.message for violation in violations[DETAILED_PER_RULE:]],
    }


def _with_code(text: str) -> list[tuple[str, bool]]:
    """Text with `code` in backticks as (text, is code) pieces."""
    return [(piece, index % 2 == 1) for index, piece in enumerate(text.split("`")) if piece]


def _violation(violation: Violation, context: ReportContext) -> dict[str, Any]:
    place = context.primary_place(violation)
    code = []
    if violation.file is not None and violation.line is not None:
        code = _context(context, violation.file, violation.line)
    return {
        "fingerprint": violation.fingerprint,
        "message": violation.message,
        "status": violation.status,
        "detail": explanation(violation),
        "where": place.where if place is not None else "",
        "code": code,
        "chains": [_chain(chain, context) for chain in violation.chains[:CHAINS_PER_VIOLATION]],
        "more_chains": max(0, len(violation.chains) - CHAINS_PER_VIOLATION),
        "provenance": _provenance(violation.provenance),
        "review": _review(violation.review),
    }


def _chain(chain: tuple[ImportLink, ...], context: ReportContext) -> list[dict[str, Any]]:
    steps = []
    for position, link in enumerate(chain):
        file = link.file or context.file_of(link.importer)
        line = link.line_numbers[0] if link.line_numbers else None
        code = []
        if file is not None and line is not None and position < CONTEXT_LINKS_PER_CHAIN:
            code = _context(context, file, line)
        if not code and link.line_contents:
            code = [{"number": line or "", "text": link.line_contents[0], "target": True}]
        steps.append(
            {
                "importer": link.importer,
                "imported": link.imported,
                "where": (file or link.importer) + (":" + ",".join(map(str, link.line_numbers)) if link.line_numbers else ""),
                "code": code,
            }
        )
    return steps


def _context(context: ReportContext, file: str, line: int) -> list[dict[str, Any]]:
    return [{"number": number, "text": text, "target": number == line} for number, text in context.context(file, line)]


def _provenance(provenance: Provenance | None) -> dict[str, Any] | None:
    if provenance is None:
        return None
    return {
        "commit": provenance.commit,
        "short": provenance.commit[:7] if provenance.commit else None,
        "author": provenance.author,
        "date": (provenance.date or "")[:10],
        "summary": provenance.summary,
        "generated": provenance.generated,
        "signals": provenance.signals,
        "note": provenance.note,
        "text": provenance_text(provenance),
    }


def _review(review: Review | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return {
        "status": review.status,
        "note": review.note,
        "reviewer": review.reviewer,
        "decided": review.decided_at.date().isoformat() if review.decided_at else None,
        "expires": review.expires.isoformat() if review.expires else None,
        "expired": review.expired,
        "text": review_text(review),
    }


def _commits(result: CheckResult) -> list[dict[str, Any]]:
    """The commits that brought new violations with how many each brought: uncommitted work first, then newest first."""
    found: dict[str | None, dict[str, Any]] = {}
    for violation in result.violations:
        provenance = violation.provenance
        if violation.status != "new" or provenance is None:
            continue
        entry = found.setdefault(provenance.commit, {**(_provenance(provenance) or {}), "violations": 0})
        entry["violations"] += 1
    return sorted(found.values(), key=lambda entry: (entry["commit"] is None, entry["date"] or ""), reverse=True)


def _review_counts(result: CheckResult) -> list[tuple[str, int]]:
    counts: dict[str, int] = defaultdict(int)
    for violation in result.violations:
        if violation.review is not None:
            counts["expired waiver" if violation.review.expired else violation.review.status] += 1
    order = ("must-fix", "open", "expired waiver", "accepted", "waived")
    return [(status, counts[status]) for status in order if counts[status]]


def _drift(result: CheckResult) -> dict[str, Any] | None:
    drift = result.drift
    if drift is None:
        return None
    summary = drift_summary(result)
    return {
        "added": [
            {"module": module, "provenance": _provenance(result.module_provenance.get(module))}
            for module in drift.modules_added
        ],
        "removed": drift.modules_removed,
        "imports": [f"{item.importer} → {item.imported}" for item in drift.imports_added],
        "cycles": [" ⇄ ".join(cycle) for cycle in drift.cycles_appeared],
        "empty": not summary,
        "summary": summary,
    }
