"""`--format text`: the check result for people, grouped by rule, chains as `file:line` steps."""

from __future__ import annotations

from collections import defaultdict

from core.model import CheckResult, ImportLink, RuleResult, Violation

_STYLES = {"red": "31", "green": "32", "yellow": "33", "dim": "2", "bold": "1"}


def render(result: CheckResult, *, color: bool = False) -> str:
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
    lines.append("")
    lines.append(paint(summary, "red" if broken else "green"))
    return "\n".join(lines) + "\n"


def _rule_lines(rule: RuleResult, violations: list[Violation], paint) -> list[str]:
    status = paint("KEPT  ", "green") if rule.kept else paint("BROKEN", "red")
    count = f" ({rule.violations} violation{'s' if rule.violations != 1 else ''})" if rule.violations else ""
    lines = [f"{status} {paint(rule.name, 'bold')} [{rule.id}, {rule.type}]{count}"]
    for violation in violations:
        lines.append(f"  - {violation.message}")
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
