"""`protected`: the protected modules may only be imported directly by the allowed importers."""

from __future__ import annotations

from typing import Literal

import grimp
from pydantic import Field

from core.expressions import expression_to_modules, expressions_to_modules
from core.model import Violation
from core.rules.common import ModuleExpressions, RuleContext, RuleOptions, existing_modules, rule_error


class Options(RuleOptions):
    type: Literal["protected"] = "protected"
    protected_modules: ModuleExpressions = Field(description="Modules only the allowed importers may import.")
    allowed_importers: ModuleExpressions = Field(description="The only modules allowed to import them.")
    as_packages: bool = Field(default=True, description="Treat the modules as packages (with descendants).")

    def covered_modules(self, graph: grimp.ImportGraph) -> set[str]:
        return expressions_to_modules(graph, self.protected_modules + self.allowed_importers)


def check(rule: Options, ctx: RuleContext) -> list[Violation]:
    graph = ctx.graph
    if rule.as_packages:
        # A missing allowed importer is an error only here, as in import-linter (which fails
        # looking for its descendants); as modules, it just allows nothing.
        allowed = existing_modules(ctx, rule, "allowed_importers", rule.allowed_importers, as_packages=True)
    else:
        allowed = expressions_to_modules(graph, rule.allowed_importers)
    violations = []
    for expression in rule.protected_modules:
        for top in sorted(expression_to_modules(graph, expression)):
            if top not in graph.modules:
                raise rule_error(rule, f"module '{top}' does not exist", "protected_modules")
            protected = {top}
            if rule.as_packages and not graph.is_module_squashed(top):
                protected |= graph.find_descendants(top)
            importers = graph.find_modules_that_directly_import(top, as_package=rule.as_packages)
            links = sorted(
                (importer, module)
                for importer in importers - allowed - protected
                for module in graph.find_modules_directly_imported_by(importer) & protected
            )
            for importer, module in sorted(links, key=lambda link: (link[1], link[0])):
                via = f" (via {expression})" if expression != top else ""
                violations.append(
                    ctx.violation(
                        rule,
                        "illegal-import",
                        f"{importer} is not allowed to import protected {module}{via}",
                        importer=importer,
                        imported=module,
                        chains=(ctx.chain((importer, module)),),
                    )
                )
    return violations
