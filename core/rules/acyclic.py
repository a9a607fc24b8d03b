"""`acyclic`: no import cycle among the modules of the given packages.

Each cycle is reported with its import lines and a suggested import to cut: the link of the
cycle made by the fewest import statements. Cutting it and looking again finds the next cycle,
so the reported cuts together make the packages acyclic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from core.model import Violation
from core.rules.common import ModuleExpressions, RuleContext, RuleOptions, existing_modules

if TYPE_CHECKING:
    import networkx as nx


class Options(RuleOptions):
    type: Literal["acyclic"] = "acyclic"
    packages: ModuleExpressions = Field(description="Packages inside which no import cycle may exist.")


def check(rule: Options, ctx: RuleContext) -> list[Violation]:
    import networkx as nx  # imported here: it costs a tenth of a second at start-up

    graph = ctx.graph
    modules = existing_modules(ctx, rule, "packages", rule.packages, as_packages=True)
    modules = {m for m in modules if m in graph.modules}
    digraph = nx.DiGraph()
    for importer in modules:
        for imported in graph.find_modules_directly_imported_by(importer) & modules:
            if imported != importer:
                weight = len(graph.get_import_details(importer=importer, imported=imported))
                digraph.add_edge(importer, imported, weight=weight)

    violations = []
    for component in sorted((c for c in nx.strongly_connected_components(digraph) if len(c) > 1), key=min):
        tangle = digraph.subgraph(component).copy()
        while cycle := _shortest_cycle(tangle):
            cut = min(zip(cycle, cycle[1:]), key=lambda edge: (tangle.edges[edge]["weight"], edge))
            tangle.remove_edge(*cut)
            violations.append(
                ctx.violation(
                    rule,
                    "cycle",
                    f"import cycle {' -> '.join(cycle)}; suggested cut: {cut[0]} -> {cut[1]}",
                    importer=cut[0],
                    imported=cut[1],
                    chains=(ctx.chain(cycle),),
                    key=frozenset(cycle),
                )
            )
    return violations


def _shortest_cycle(digraph: nx.DiGraph) -> list[str] | None:
    """A shortest cycle through the first module that lies on any, as [a, b, ..., a]."""
    import networkx as nx

    tangles = [c for c in nx.strongly_connected_components(digraph) if len(c) > 1]
    if not tangles:
        return None
    start = min(min(c) for c in tangles)
    paths = nx.single_source_shortest_path(digraph, start)
    closing = [paths[p] for p in digraph.predecessors(start) if p in paths]
    best = min(closing, key=lambda path: (len(path), path))
    return [*best, start]
