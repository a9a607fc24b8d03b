"""`independence`: the given modules must not import each other, directly or indirectly."""

from __future__ import annotations

from typing import Literal

import grimp
from pydantic import Field

from core.expressions import expressions_to_modules, name_and_ancestors
from core.model import Violation
from core.rules.common import ModuleExpressions, RuleContext, RuleOptions, existing_modules, rule_error


class Options(RuleOptions):
    type: Literal["independence"] = "independence"
    modules: ModuleExpressions = Field(description="Modules that must not depend on each other.")

    def covered_modules(self, graph: grimp.ImportGraph) -> set[str]:
        return expressions_to_modules(graph, self.modules)


def check(rule: Options, ctx: RuleContext) -> list[Violation]:
    modules = existing_modules(ctx, rule, "modules", rule.modules)
    # grimp (and so import-linter) can only fail with "Modules have shared descendants" here.
    contained = sorted(
        f"'{ancestor}' contains '{module}'"
        for module in modules
        for ancestor in name_and_ancestors(module)[1:]
        if ancestor in modules
    )
    if contained:
        raise rule_error(rule, f"independent modules cannot contain each other: {', '.join(contained)}", "modules")
    dependencies = ctx.graph.find_illegal_dependencies_for_layers(layers=(modules,))
    return [
        ctx.violation(
            rule,
            "dependency",
            f"{dependency.importer} is not allowed to import {dependency.imported}",
            importer=dependency.importer,
            imported=dependency.imported,
            chains=ctx.chains_from_routes(dependency.routes),
        )
        for dependency in sorted(dependencies, key=lambda d: (d.importer, d.imported))
    ]
