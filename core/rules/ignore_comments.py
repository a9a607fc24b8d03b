"""`ignore_comments`: the ignore comments themselves are kept honest (tach's `unused_ignore_directives`
and `require_ignore_directive_reasons`).

A comment `# WORD` (the session's `ignore_comments` take imports out of the graph; see
core.import_adjustments) is unused when it takes out no import that another rule would report:
the other rules are checked again where the lines it silenced import only what it took out. A
second comment for a line another one already covers is always unused. A comment without a
reason, `# WORD(reason)`, is reported when reasons are required. A comment on a line importing
from outside the project (nothing of that top-level name in a source root) is neither: tach leaves
those to its check of external packages. Each finding is a violation at the comment's line, a
warning, or nothing, as the options say.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import grimp
from pydantic import Field

from core.expressions import expressions_to_modules, is_in_package
from core.import_adjustments import (
    IgnoreComment,
    external_import_lines,
    find_ignore_comments,
)
from core.model import Violation
from core.rules.common import ModuleExpressions, RuleContext, RuleOptions, rule_error

Alerting = Literal["error", "warn", "none"]


class Options(RuleOptions):
    type: Literal["ignore_comments"] = "ignore_comments"
    comment: str = Field(description="The word of the comments judged, as in `# WORD` (tach's 'tach-ignore').")
    unused: Alerting = Field(
        default="error",
        description="What a comment that takes out no reported import does: break the rule, warn, or nothing.",
    )
    missing_reason: Alerting = Field(
        default="none",
        description="What a comment without a reason in parentheses does: break the rule, warn, or nothing.",
    )
    exclude: ModuleExpressions = Field(
        default=(), description="Modules (with their descendants) whose comments are not judged."
    )

    def covered_modules(self, graph: grimp.ImportGraph) -> set[str]:
        return set()


def check(rule: Options, ctx: RuleContext) -> list[Violation]:
    project = ctx.project
    adjusted = project.adjusted
    honoured = rule.comment in adjusted.options.ignore_comments
    if rule.unused != "none" and not honoured:
        raise rule_error(
            rule,
            f"'{rule.comment}' is not among the session's ignore_comments, so its comments take nothing out",
            "comment",
        )
    excluded = expressions_to_modules(ctx.graph, rule.exclude)
    modules = sorted(
        m
        for m in ctx.graph.modules
        if not ctx.graph.is_module_squashed(m)
        and any(is_in_package(m, package) for package in project.root_packages)
        and m not in adjusted.gitignored
        and not any(is_in_package(m, e) for e in excluded)
    )
    comments = {module: _comments(ctx, rule, module, honoured) for module in modules}
    used = _used(ctx, rule) if rule.unused != "none" else set()
    findings: list[tuple[str, IgnoreComment, str]] = []
    for module, (found, external) in comments.items():
        for comment in found:
            if (comment.line if comment.redundant else comment.applies_to) in external:
                continue  # tach leaves directives on imports from outside the project to check-external
            if rule.missing_reason != "none" and not comment.redundant and not comment.reason:
                findings.append((module, comment, "missing-reason"))
            if rule.unused != "none" and (comment.redundant or (module, comment.line) not in used):
                findings.append((module, comment, "unused"))
    violations = []
    for module, comment, kind in sorted(findings, key=lambda f: (f[0], f[1].line, f[2])):
        setting = rule.unused if kind == "unused" else rule.missing_reason
        file = project.file_of(module)
        message, detail = _describe(comment, module, kind)
        if setting == "warn":
            ctx.warnings.append(f"{file or module}:{comment.line}: {message}")
            continue
        same = [c for c in comments[module][0] if c.text == comment.text]
        violation = ctx.violation(rule, kind, message, importer=module, key=(comment.text, same.index(comment)))
        violations.append(violation.model_copy(update={"file": file, "line": comment.line, "detail": detail}))
    return violations


def _comments(
    ctx: RuleContext, rule: Options, module: str, honoured: bool
) -> tuple[list[IgnoreComment], frozenset[int]]:
    """The module's comments, and the lines of its imports from outside the project."""
    project = ctx.project
    if honoured:
        record = project.adjusted.of(module)
        return ([c for c in record.comments if c.word == rule.comment], record.external_lines) if record else ([], frozenset())
    text = project.source_of(module) or ""
    found = find_ignore_comments(text, rule.comment)
    if not found:
        return [], frozenset()
    package = module if (project.file_of(module) or "").endswith("__init__.py") else module.rpartition(".")[0]
    first_party = project.adjusted.first_party | {p.split(".")[0] for p in project.root_packages}
    external = external_import_lines(
        text, package, frozenset(first_party), exclude_type_checking_imports=project.exclude_type_checking_imports
    )
    return found, external


def _used(ctx: RuleContext, rule: Options) -> set[tuple[str, int]]:
    """The comments (module, line) that took out an import another rule would report: the other
    rules are checked on the graph where the lines comments took names out of import only those."""
    project = ctx.project
    affected: dict[tuple[str, int], set[int]] = {}
    for module, record in project.adjusted.modules.items():
        for taken in record.taken_out:
            affected.setdefault((module, taken.line), set()).add(taken.comment_line)
    if not affected or ctx.recheck is None:
        return set()
    graph, adjusted = project.adjusted.comments_isolated(project.graph)
    isolated = replace(project, graph=graph, adjusted=adjusted)
    used: set[tuple[str, int]] = set()
    for other in ctx.all_rules:
        if getattr(other, "type", None) == rule.type:
            continue
        for violation in ctx.recheck(other, isolated):
            for chain in violation.chains:
                for link in chain:
                    for line in link.line_numbers:
                        used |= {(link.importer, comment) for comment in affected.get((link.importer, line), ())}
    return used


def _describe(comment: IgnoreComment, module: str, kind: str) -> tuple[str, str]:
    if kind == "unused":
        return (
            f"ignore comment '{comment.text}' in {module} is unused",
            "it takes out no import that a rule would report"
            + (" (another comment before it already covers the same line)" if comment.redundant else "")
            + "; remove it",
        )
    return (
        f"ignore comment '{comment.text}' in {module} gives no reason",
        f"say why the import is allowed, in parentheses: '# {comment.word}(reason)'",
    )
