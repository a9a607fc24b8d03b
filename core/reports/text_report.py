"""`--format text`: the check result for people, grouped by rule, chains as `file:line` steps.

A violation that says what is wrong and what is allowed (a boundary, dependency or data-contract
rule's `detail`) has that under its message. Compared with a baseline, each violation is tagged
new or existing, new ones name the commit that brought them, and sections list what was fixed
and what drifted since the baseline.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from core.model import CheckResult, Drift, ImportLink, Provenance, RuleResult, Violation
from core.reports.common import Place, explanation, provenance_text, review_text

if TYPE_CHECKING:
    from core.check import Analysis

TITLE = "Text"
SUFFIX = "txt"

_STYLES = {"red": "31", "green": "32", "yellow": "33", "dim": "2", "bold": "1"}
# Longer lists in the drift section are cut here; the JSON report has them all.
_LIST_LIMIT = 50


def render(result: CheckResult, *, analysis: Analysis | None = None, color: bool = False) -> str:
    def paint(text: str, style: str) -> str:
        return f"\033[{_STYLES[style]}m{text}\033[0m" if color else text

    lines: list[str] = []
    if result.errors:
        for error in result.errors:
            where = ":".join(part for part in (error.file, error.place) if part)
            lines.append(paint("error: ", "red") + (f"{where}: " if where else "") + error.message)
        return "\n".join(lines) + "\n"

    project = result.project
    lines.append(
        paint(f"Strataview {result.tool.version}", "bold")
        + f" · {project.root} · root packages: {', '.join(project.root_packages)}"
        + (f" · config: {project.config}" if project.config else "")
    )
    lines.append(paint(f"{result.graph.modules} modules, {result.graph.imports} imports", "dim"))
    by_rule: dict[str, list[Violation]] = defaultdict(list)
    for violation in result.violations:
        by_rule[violation.rule].append(violation)
    previous_kept = False
    for rule in result.rules:
        # Kept rules stay compact: one after another without a blank line between them.
        if not (rule.kept and previous_kept):
            lines.append("")
        lines.extend(_rule_lines(rule, by_rule[rule.id], paint))
        previous_kept = rule.kept
    kept = sum(rule.kept for rule in result.rules)
    broken = len(result.rules) - kept
    summary = (
        f"{len(result.rules)} rule{'s' if len(result.rules) != 1 else ''}: {kept} kept, {broken} broken; "
        f"{len(result.violations)} violation{'s' if len(result.violations) != 1 else ''}"
    )
    ignored = sum(len(rule.ignored) for rule in result.rules)
    if ignored:
        summary += f"; {ignored} ignored import{'s' if ignored != 1 else ''}"
    if result.baseline is not None:
        lines.extend(_baseline_lines(result, paint))
        new = sum(violation.status == "new" for violation in result.violations)
        existing = len(result.violations) - new
        summary += f"; {new} new, {existing} existing, {len(result.fixed)} fixed since {result.baseline.ref}"
    lines.append("")
    lines.append(paint(summary, "red" if broken else "green"))
    return "\n".join(lines) + "\n"


def _baseline_lines(result: CheckResult, paint) -> list[str]:
    baseline = result.baseline
    assert baseline is not None
    commit = f" (commit {baseline.commit[:12]})" if baseline.commit and baseline.commit != baseline.ref else ""
    kind = "snapshot" if baseline.kind == "snapshot" else "git revision"
    lines = ["", paint(f"Baseline: {kind} {baseline.ref}{commit}", "bold")]
    lines.extend(paint(f"  warning: {warning}", "yellow") for warning in baseline.warnings)
    if result.fixed:
        lines.append(paint(f"  fixed since the baseline ({len(result.fixed)}):", "green"))
        lines.extend(f"    - {violation.message} [{violation.rule}]" for violation in result.fixed)
    lines.extend(_drift_lines(result.drift or Drift(), result.module_provenance, paint))
    return lines


def _drift_lines(drift: Drift, module_provenance: dict[str, Provenance], paint) -> list[str]:
    def added(module: str) -> str:
        provenance = module_provenance.get(module)
        return module + (f"  {paint(_provenance_text(provenance, brief=True), 'dim')}" if provenance else "")

    sections: list[tuple[str, list[str]]] = [
        ("modules added", [added(module) for module in drift.modules_added]),
        ("modules removed", list(drift.modules_removed)),
        (
            "imports added between top-level packages",
            [f"{item.importer} -> {item.imported}" for item in drift.imports_added],
        ),
        ("cycles appeared between top-level packages", [" <-> ".join(cycle) for cycle in drift.cycles_appeared]),
    ]
    if not any(items for _, items in sections):
        return ["  drift: no modules added or removed, no new imports between top-level packages, no new cycles"]
    lines = []
    for title, items in sections:
        if not items:
            continue
        lines.append(f"  {title} ({len(items)}):")
        lines.extend(f"    {item}" for item in items[:_LIST_LIMIT])
        if len(items) > _LIST_LIMIT:
            lines.append(paint(f"    … and {len(items) - _LIST_LIMIT} more (all of them are in --format json)", "dim"))
    return lines


def _provenance_text(provenance: Provenance, *, brief: bool = False) -> str:
    """The commit, its author, date and subject, and the signals that it was generated (`brief`: only that it was)."""
    if provenance.commit is None:
        return provenance.note or "commit unknown"
    if brief:
        date = (provenance.date or "")[:10]
        return f"{provenance.commit[:7]} {provenance.author} {date}" + (" · generated" if provenance.generated else "")
    text = provenance_text(provenance)
    if provenance.generated:
        text += " · generated: " + "; ".join(provenance.signals)
    return text


def _rule_lines(rule: RuleResult, violations: list[Violation], paint) -> list[str]:
    status = paint("KEPT  ", "green") if rule.kept else paint("BROKEN", "red")
    count = f" ({rule.violations} violation{'s' if rule.violations != 1 else ''})" if rule.violations else ""
    lines = [f"{status} {paint(rule.name, 'bold')} [{rule.id}, {rule.type}]{count}"]
    for violation in violations:
        tag = {"new": paint("[new] ", "red"), "existing": paint("[existing] ", "dim")}.get(violation.status or "", "")
        lines.append(f"  - {tag}{violation.message}")
        if (why := explanation(violation)) is not None:
            lines.append(f"      {why}")
        if violation.provenance is not None:
            by = "" if violation.provenance.commit is None else "by "
            lines.append(paint(f"      introduced {by}{_provenance_text(violation.provenance)}", "yellow"))
        if violation.review is not None:
            lines.append(paint(f"      review: {review_text(violation.review)}", "dim"))
        if not violation.chains and violation.file:  # a violation about code (a data contract): its place
            lines.append(f"      {Place(violation.file, violation.line).where}")
        for index, chain in enumerate(violation.chains):
            # A chain of several steps stands apart from the chains around it.
            if index and (len(chain) > 1 or len(violation.chains[index - 1]) > 1):
                lines.append("")
            for step, link in enumerate(chain):
                lines.append(("      " if step == 0 else "        ") + _link_text(link, paint))
    if rule.guidance:
        lines.extend(f"  {line}" for line in rule.guidance.splitlines())
    for warning in rule.warnings:
        lines.append(paint(f"  warning: {warning}", "yellow"))
    if rule.ignored:
        lines.append(paint(f"  ignored by ignore_imports ({len(rule.ignored)}):", "dim"))
        for item in rule.ignored:
            where = f"{item.file}:{item.line}" if item.file and item.line else item.file or "?"
            lines.append(paint(f"      {where}  {item.importer} -> {item.imported}", "dim"))
    if rule.unmatched_ignores:
        lines.append(paint("  ignore_imports that matched nothing (prune them):", "yellow"))
        lines.extend(paint(f"      {expression}", "yellow") for expression in rule.unmatched_ignores)
    return lines


def _link_text(link: ImportLink, paint) -> str:
    lines = ",".join(str(n) for n in link.line_numbers) or "?"
    where = f"{link.file}:{lines}" if link.file else f"{link.importer}:{lines}"
    content = f"  {paint(link.line_contents[0], 'dim')}" if link.line_contents else ""
    return f"{where}  {link.importer} -> {link.imported}{content}"
