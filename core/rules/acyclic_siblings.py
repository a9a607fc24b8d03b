"""`acyclic_siblings`: no import cycles between the children of each ancestor, down to `depth`."""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

import grimp
from pydantic import Field, model_validator

from core.expressions import expressions_to_modules, has_wildcard
from core.model import Violation
from core.rules.common import ModuleExpressions, RuleContext, RuleOptions, rule_error


class Options(RuleOptions):
    type: Literal["acyclic_siblings"] = "acyclic_siblings"
    ancestors: ModuleExpressions = Field(description="Packages whose descendants' siblings must be acyclic.")
    depth: int = Field(default=10, ge=0, description="How many levels below each ancestor to check.")
    skip_descendants: ModuleExpressions = Field(default=(), description="Packages not to descend into.")

    @model_validator(mode="after")
    def _skip_is_not_ancestor(self) -> Options:
        overlap = sorted(set(self.ancestors) & set(self.skip_descendants))
        if overlap:
            first = overlap[0]
            if has_wildcard(first):
                raise ValueError(f"cannot skip descendant '{first}' as the same expression is in ancestors")
            raise ValueError(f"cannot skip '{first}' as it is also an ancestor")
        return self


def check(rule: Options, ctx: RuleContext) -> list[Violation]:
    graph = ctx.graph
    ancestors = _matching(ctx, rule, "ancestors", rule.ancestors)
    external = sorted(ancestor for ancestor in ancestors if graph.is_module_squashed(ancestor))
    if external:
        # import-linter fails here too: grimp cannot list the children of a squashed module.
        raise rule_error(rule, f"external packages have no children to check: {', '.join(external)}", "ancestors")
    skipped = _matching(ctx, rule, "skip_descendants", rule.skip_descendants)
    breakers: dict[str, set[tuple[str, str]]] = {}
    for ancestor in sorted(ancestors):
        _nominate(graph, ancestor, rule.depth, skipped, breakers)

    violations = []
    for package in sorted(breakers):
        depth = package.count(".") + 2
        by_pair: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for importer, imported in breakers[package]:
            pair = (".".join(importer.split(".")[:depth]), ".".join(imported.split(".")[:depth]))
            by_pair[pair].append((importer, imported))
        for (downstream, upstream), imports in sorted(by_pair.items()):
            count = len(imports)
            violations.append(
                ctx.violation(
                    rule,
                    "cycle-between-siblings",
                    f"No cycles are allowed in {package}: it could be made acyclic by removing the "
                    f"dependency .{downstream.rpartition('.')[2]} -> .{upstream.rpartition('.')[2]} "
                    f"({count} import{'s' if count != 1 else ''})",
                    importer=downstream,
                    imported=upstream,
                    chains=tuple(ctx.chain(link) for link in sorted(imports)),
                    key=package,
                )
            )
    return violations


def _matching(ctx: RuleContext, rule: Options, option: str, expressions: tuple[str, ...]) -> set[str]:
    modules: set[str] = set()
    for expression in sorted(expressions):
        matched = expressions_to_modules(ctx.graph, (expression,))
        if not matched or not has_wildcard(expression) and expression not in ctx.graph.modules:
            what = "matches no module" if has_wildcard(expression) else "does not exist"
            raise rule_error(rule, f"'{expression}' {what}", option)
        modules |= matched
    return modules


def _nominate(
    graph: grimp.ImportGraph, ancestor: str, depth: int, skipped: set[str], found: dict[str, set[tuple[str, str]]]
) -> None:
    children = graph.find_children(ancestor)
    if not children:
        return
    if len(children) >= 2:
        cycle_breakers = graph.nominate_cycle_breakers(ancestor)
        if cycle_breakers:
            found[ancestor] = set(cycle_breakers)
    if depth:
        for child in sorted(children - skipped):
            _nominate(graph, child, depth - 1, skipped, found)
