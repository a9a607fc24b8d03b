"""`forbidden`: source modules must not import the forbidden ones, directly or (by default) indirectly."""

from __future__ import annotations

from typing import Literal

import grimp
from pydantic import Field

from core.expressions import expressions_to_modules, is_in_package, name_and_ancestors
from core.model import Violation
from core.rules.common import ModuleExpressions, RuleContext, RuleOptions, existing_modules, rule_error


class Options(RuleOptions):
    type: Literal["forbidden"] = "forbidden"
    source_modules: ModuleExpressions = Field(description="Modules that must not import the forbidden ones.")
    forbidden_modules: ModuleExpressions = Field(
        description="Modules the sources must not import; external top-level packages need "
        "include_external_packages."
    )
    allow_indirect_imports: bool = Field(default=False, description="Only direct imports break the rule.")
    as_packages: bool = Field(default=True, description="Treat the modules as packages (with descendants).")

    def covered_modules(self, graph: grimp.ImportGraph) -> set[str]:
        return expressions_to_modules(graph, self.source_modules + self.forbidden_modules)


def check(rule: Options, ctx: RuleContext) -> list[Violation]:
    graph = ctx.graph
    roots = ctx.project.root_packages
    sources = existing_modules(ctx, rule, "source_modules", rule.source_modules)
    forbidden = expressions_to_modules(graph, rule.forbidden_modules)
    external = {m for m in forbidden if not any(is_in_package(m, root) for root in roots)}
    for module in sorted(forbidden - external):
        if module not in graph.modules:
            raise rule_error(rule, f"module '{module}' does not exist", "forbidden_modules")
    if external and not ctx.project.include_external_packages:
        raise rule_error(
            rule,
            f"forbidding external modules ({', '.join(sorted(external))}) needs "
            "include_external_packages = true",
            "forbidden_modules",
        )
    for module in sorted(external):
        if "." in module:
            raise rule_error(
                rule, f"'{module}': subpackages of external packages are not valid", "forbidden_modules"
            )
    forbidden_in_graph = {m for m in forbidden if m in graph.modules}

    violations = []
    for source in sorted(sources):
        for target in _reachable_forbidden(graph, rule, source, forbidden_in_graph):
            if _overlap(source, target, rule.as_packages):
                continue
            if rule.allow_indirect_imports:
                chains = _direct_chains(graph, source, target, rule.as_packages)
            else:
                chains = graph.find_shortest_chains(importer=source, imported=target, as_packages=rule.as_packages)
            if chains:
                violations.append(
                    ctx.violation(
                        rule,
                        "forbidden-import",
                        f"{source} is not allowed to import {target}",
                        importer=source,
                        imported=target,
                        chains=tuple(ctx.chain(chain) for chain in sorted(chains)),
                    )
                )
    return sorted(violations, key=lambda v: (v.imported, v.importer))


def _reachable_forbidden(graph: grimp.ImportGraph, rule: Options, source: str, forbidden: set[str]) -> list[str]:
    """The forbidden modules the source reaches at all: one pass instead of a search per target."""
    if rule.allow_indirect_imports:
        reached = graph.find_modules_directly_imported_by(source, as_package=rule.as_packages)
    else:
        reached = graph.find_upstream_modules(source, as_package=rule.as_packages)
    if rule.as_packages:
        reached = {ancestor for name in reached for ancestor in name_and_ancestors(name)}
    return sorted(reached & forbidden)


def _overlap(source: str, target: str, as_packages: bool) -> bool:
    if source == target:
        return True
    return as_packages and (is_in_package(source, target) or is_in_package(target, source))


def _package_members(graph: grimp.ImportGraph, module: str, as_packages: bool) -> set[str]:
    if not as_packages or graph.is_module_squashed(module):
        return {module}
    return {module} | graph.find_descendants(module)


def _direct_chains(graph: grimp.ImportGraph, source: str, target: str, as_packages: bool) -> set[tuple[str, ...]]:
    targets = _package_members(graph, target, as_packages)
    return {
        (importer, imported)
        for importer in _package_members(graph, source, as_packages)
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported in targets
    }
