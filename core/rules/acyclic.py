"""`acyclic`: no import cycle among the modules of the given packages.

The imports inside each tangle (a strongly connected set of modules) are put in an order that
keeps as many import statements as possible pointing forward (the weighted greedy heuristic of
Eades, Lin and Smyth); an import pointing backward closes a cycle and is a suggested cut, unless
the imports kept so far leave it on no cycle. Each cut is reported with one cycle it closes,
made of kept imports and that cut alone, so every reported cycle is broken by its own cut and
the cuts together make the packages acyclic. Ties are broken by module name (in a cycle of
equal imports, the cut is the import made by the module first by name), so the same code always
gives the same cuts.
"""

from __future__ import annotations

import heapq
from collections import deque
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from core.model import Violation
from core.rules.common import ModuleExpressions, RuleContext, RuleOptions, existing_modules

if TYPE_CHECKING:
    import networkx as nx

Edge = tuple[str, str]


class Options(RuleOptions):
    type: Literal["acyclic"] = "acyclic"
    packages: ModuleExpressions = Field(description="Packages inside which no import cycle may exist.")


def check(rule: Options, ctx: RuleContext) -> list[Violation]:
    import networkx as nx  # imported here: it costs a tenth of a second at every start-up

    graph = ctx.graph
    modules = existing_modules(ctx, rule, "packages", rule.packages, as_packages=True)
    digraph = nx.DiGraph()
    for importer in sorted(m for m in modules if m in graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & modules):
            if imported != importer:
                statements = len(graph.get_import_details(importer=importer, imported=imported))
                digraph.add_edge(importer, imported, weight=max(statements, 1))

    violations = []
    for component in nx.strongly_connected_components(digraph):
        if len(component) < 2:
            continue
        tangle = digraph.subgraph(component)
        for (importer, imported), path_back in _cuts(tangle):
            cycle = [importer, *path_back]
            statements = tangle.edges[importer, imported]["weight"]
            violations.append(
                ctx.violation(
                    rule,
                    "cycle",
                    f"import cycle {' -> '.join(cycle)}; suggested cut: {importer} -> {imported} "
                    f"({statements} import statement{'s' if statements != 1 else ''})",
                    importer=importer,
                    imported=imported,
                    chains=(ctx.chain(cycle),),
                )
            )
    return sorted(violations, key=lambda violation: (violation.importer, violation.imported))


def _cuts(tangle: nx.DiGraph) -> list[tuple[Edge, list[str]]]:
    """The imports to cut, each with the path of kept imports that leads from its imported
    module back to its importer."""
    position = {module: index for index, module in enumerate(_forward_order(tangle))}
    kept: dict[str, set[str]] = {module: set() for module in tangle}
    backward: list[Edge] = []
    for importer, imported in tangle.edges:
        if position[importer] < position[imported]:
            kept[importer].add(imported)
        else:
            backward.append((importer, imported))
    # Keep the heaviest backward imports first: cutting the light ones removes fewer statements.
    backward.sort(key=lambda edge: (-tangle.edges[edge]["weight"], edge))
    cuts = []
    for importer, imported in backward:
        path_back = _shortest_path(kept, imported, importer)
        if path_back is None:
            kept[importer].add(imported)
        else:
            cuts.append(((importer, imported), path_back))
    return cuts


def _forward_order(tangle: nx.DiGraph) -> list[str]:
    """Order modules so that imports mostly point forward: sinks go last, sources first, and
    otherwise the module whose outgoing import statements most outweigh its incoming ones."""
    out_weight = {m: tangle.out_degree(m, weight="weight") for m in tangle}
    in_weight = {m: tangle.in_degree(m, weight="weight") for m in tangle}
    out_count = {m: tangle.out_degree(m) for m in tangle}
    in_count = {m: tangle.in_degree(m) for m in tangle}
    remaining = set(tangle)
    sinks = sorted(m for m in tangle if out_count[m] == 0)
    sources = sorted(m for m in tangle if in_count[m] == 0)
    # Among equals the module last by name goes first, so the backward import is made by the first.
    rank = {module: index for index, module in enumerate(sorted(tangle, reverse=True))}
    by_balance = [(in_weight[m] - out_weight[m], rank[m], m) for m in tangle]
    heapq.heapify(by_balance)
    first: list[str] = []
    last: list[str] = []

    while remaining:
        if sinks:
            module = heapq.heappop(sinks)
            if module not in remaining:
                continue
            last.append(module)
        elif sources:
            module = heapq.heappop(sources)
            if module not in remaining:
                continue
            first.append(module)
        else:
            balance, _, module = heapq.heappop(by_balance)
            if module not in remaining or balance != in_weight[module] - out_weight[module]:
                continue
            first.append(module)
        remaining.discard(module)
        for imported in tangle.successors(module):
            if imported in remaining:
                in_count[imported] -= 1
                in_weight[imported] -= tangle.edges[module, imported]["weight"]
                if in_count[imported] == 0:
                    heapq.heappush(sources, imported)
                balance = in_weight[imported] - out_weight[imported]
                heapq.heappush(by_balance, (balance, rank[imported], imported))
        for importer in tangle.predecessors(module):
            if importer in remaining:
                out_count[importer] -= 1
                out_weight[importer] -= tangle.edges[importer, module]["weight"]
                if out_count[importer] == 0:
                    heapq.heappush(sinks, importer)
                balance = in_weight[importer] - out_weight[importer]
                heapq.heappush(by_balance, (balance, rank[importer], importer))
    return first + last[::-1]


def _shortest_path(successors: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """A shortest path from start to goal (both included), visiting neighbours by name."""
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        if module == goal:
            path = [module]
            while (step := previous[path[-1]]) is not None:
                path.append(step)
            return path[::-1]
        for following in sorted(successors[module]):
            if following not in previous:
                previous[following] = module
                queue.append(following)
    return None
