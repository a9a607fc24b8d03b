"""`--format markdown`: a pull-request comment or a job summary.

A verdict line, then the new violations as a table (rule, what is wrong, file:line, the commit
that introduced it), then the existing ones and the fixed ones in collapsed `<details>`.
Without a baseline every violation is in the table. The comment stays under GitHub's size limit
for comments: rows that do not fit are counted, not shown. Text from the analysed code and from
people (commit subjects, review notes) is escaped, so it cannot break the table or add markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.model import CheckResult, Violation
from core.reports.common import (
    ReportContext,
    drift_summary,
    escape_markdown,
    explanation,
    plural,
    review_text,
    state,
    tally,
    verdict,
    violations_by_rule,
)

if TYPE_CHECKING:
    from core.check import Analysis

TITLE = "Markdown"
SUFFIX = "md"

MAX_CHARACTERS = 60_000  # GitHub takes comments of up to 65,536 characters
ICONS = {"fail": "❌", "warn": "⚠️", "pass": "✅"}


def render(result: CheckResult, *, analysis: Analysis | None = None, color: bool = False) -> str:
    context = ReportContext(result, analysis)
    counts = tally(result)
    compared = result.baseline is not None
    icon = "⛔" if result.errors else ICONS[state(result)]
    parts = [f"### {icon} Strataview: {escape_markdown(verdict(result))}", ""]
    if result.errors:
        for error in result.errors:
            where = ":".join(part for part in (error.file, error.place) if part)
            prefix = escape_markdown(where) + ": " if where else ""
            parts.append(f"- {prefix}{escape_markdown(error.message)}")
        return "\n".join(parts) + "\n"
    by_rule = violations_by_rule(result)
    ordered = [violation for rule in result.rules for violation in by_rule.get(rule.id, [])]
    reviewed = any(violation.review is not None for violation in result.violations)
    budget = MAX_CHARACTERS - 2_000  # room for the details, the drift line and the footer
    if compared:
        new = [violation for violation in ordered if violation.status == "new"]
        existing = [violation for violation in ordered if violation.status != "new"]
        if new:
            table, budget = _table(new, context, budget, provenance=True, review=reviewed)
            parts += [table, ""]
        if existing:
            table, budget = _table(existing, context, budget, provenance=False, review=reviewed)
            parts += _details(plural(len(existing), "existing violation"), table)
        if result.fixed:
            lines = [f"- {escape_markdown(v.message)} (`{v.rule}`)" for v in result.fixed]
            parts += _details(f"{len(result.fixed)} fixed since {escape_markdown(result.baseline.ref)}", "\n".join(lines))
        drift = drift_summary(result)
        if drift:
            parts += [f"**Drift:** {drift}.", ""]
    elif ordered:
        table, budget = _table(ordered, context, budget, provenance=False, review=reviewed)
        parts += [table, ""]
    broken = [rule for rule in result.rules if not rule.kept]
    if broken:
        listed = ", ".join(f"`{rule.id}` ({rule.violations})" for rule in broken)
        parts += [f"Broken rules: {listed}.", ""]
    baseline = ""
    if result.baseline is not None:
        commit = f" ({result.baseline.commit[:12]})" if result.baseline.commit else ""
        baseline = f" · baseline {escape_markdown(result.baseline.ref)}{commit}"
    parts.append(
        f"<sub>Strataview {result.tool.version} · {result.graph.modules} modules, {result.graph.imports} imports · "
        f"{counts.kept} of {plural(counts.rules, 'rule')} kept{baseline}</sub>"
    )
    return "\n".join(parts) + "\n"


def _table(
    violations: list[Violation], context: ReportContext, budget: int, *, provenance: bool, review: bool
) -> tuple[str, int]:
    header = ["Rule", "Violation", "Where"]
    header += (["Introduced by"] if provenance else []) + (["Review"] if review else [])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    used = sum(len(line) + 1 for line in lines)
    shown = 0
    for violation in violations:
        cells = [f"`{violation.rule}`", _violation_cell(violation), _where_cell(violation, context)]
        if provenance:
            cells.append(_provenance_cell(violation))
        if review:
            cells.append(escape_markdown(review_text(violation.review)) if violation.review else "")
        line = "| " + " | ".join(cells) + " |"
        if used + len(line) + 1 > budget:
            break
        lines.append(line)
        used += len(line) + 1
        shown += 1
    if shown < len(violations):
        lines += ["", f"… and {len(violations) - shown} more (the HTML and JSON reports list them all)."]
    return "\n".join(lines), budget - used


def _violation_cell(violation: Violation) -> str:
    """The message with what is wrong and allowed, or for a plain import `importer` → `imported`."""
    why = explanation(violation)
    if why is not None:
        return f"{escape_markdown(violation.message)}<br>{escape_markdown(why)}"
    if violation.importer and violation.imported:
        return f"`{violation.importer}` → `{violation.imported}`"
    return escape_markdown(violation.message)


def _where_cell(violation: Violation, context: ReportContext) -> str:
    place = context.primary_place(violation)
    if place is None:
        return ""
    return f"`{place.where}`" if "`" not in place.where else escape_markdown(place.where)


def _provenance_cell(violation: Violation) -> str:
    provenance = violation.provenance
    if provenance is None:
        return ""
    if provenance.commit is None:
        return escape_markdown(provenance.note or "commit unknown")
    date = (provenance.date or "")[:10]
    text = f"`{provenance.commit[:7]}` {escape_markdown(provenance.author or '')} {date} “{escape_markdown(provenance.summary or '')}”"
    if provenance.generated:
        text += " · 🤖 **generated** (" + escape_markdown("; ".join(provenance.signals)) + ")"
    return text


def _details(summary: str, body: str) -> list[str]:
    return ["<details>", f"<summary>{summary}</summary>", "", body, "", "</details>", ""]
