"""`coverage`: every module under the given packages must have a place in the declared architecture.

A module has a place when it lies inside a layer or a module named by a `layers`, `forbidden`,
`independence` or `protected` rule, or is a package that contains one (such as the container
of the layers). A freshly generated module dropped anywhere else is a violation.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from core.expressions import name_and_ancestors
from core.model import Violation
from core.rules.common import ModuleExpressions, RuleContext, RuleOptions, existing_modules


class Options(RuleOptions):
    type: Literal["coverage"] = "coverage"
    packages: ModuleExpressions = Field(description="Packages whose every module must have a place.")
    exclude: ModuleExpressions = Field(
        default=(), description="Modules exempt from the rule (with their descendants), * and ** wildcards."
    )


def check(rule: Options, ctx: RuleContext) -> list[Violation]:
    graph = ctx.graph
    modules = existing_modules(ctx, rule, "packages", rule.packages, as_packages=True)
    placed: set[str] = set()
    for other in ctx.all_rules:
        placed |= other.covered_modules(graph)
    containing = {ancestor for module in placed for ancestor in name_and_ancestors(module)}
    excluded = existing_modules(ctx, rule, "exclude", rule.exclude, as_packages=True)
    return [
        ctx.violation(
            rule,
            "uncovered-module",
            f"{module} lies outside the declared architecture: no layer or rule names it",
            importer=module,
        )
        for module in sorted(modules)
        if module in graph.modules
        and module not in containing
        and module not in excluded
        and not placed.intersection(name_and_ancestors(module))
    ]
