"""The order of a dependency structure matrix: layers from the highest down, then what no layer holds.

Siblings in the same layer (and those outside every layer) are ordered importers first, so
that with the highest layer first, a dependency against the order is the exception, and
cycles between siblings are the only imports left going the other way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import networkx as nx
from pydantic import BaseModel, ConfigDict

from core.expressions import is_in_package, name_and_ancestors

Rank = tuple[int | None, ...]  # the layer index under each layers rule in use, None outside its layers


class Band(Protocol):
    """One layer of a layers rule (`core.architecture.LayerBand` is one)."""

    @property
    def rule(self) -> str: ...

    @property
    def index(self) -> int: ...

    @property
    def modules(self) -> tuple[str, ...]: ...


class MatrixOrder(BaseModel):
    model_config = ConfigDict(frozen=True)

    nodes: tuple[str, ...]
    rules: tuple[str, ...]  # the layers rules that ordered the nodes, the most general first
    ranks: dict[str, Rank]  # each node's layer under each of `rules`


def matrix_order(
    nodes: Iterable[str],
    bands: Sequence[Band],
    imports: Iterable[tuple[str, str]],
    rule: str | None = None,
) -> MatrixOrder:
    """Order `nodes` (dotted names, none inside another unless it is that package's own module),
    given the `imports` between them.

    Layers come from the bands of `rule` when it is a layers rule, else from every layers rule.
    The order is hierarchical: a package's descendants stay together, and siblings are ordered
    by their layers, then importers before what they import, then by name.
    """
    nodes = list(nodes)
    rules = _rules_in_use(bands, rule)
    prefixes = {prefix for node in nodes for prefix in name_and_ancestors(node)}
    ranks = {prefix: _rank(prefix, rules) for prefix in prefixes}
    positions = _importers_first(prefixes, ranks, imports)

    def key(node: str) -> tuple:
        return tuple(
            (_sortable(ranks[prefix]), positions[prefix], prefix) for prefix in reversed(name_and_ancestors(node))
        )

    ordered = tuple(sorted(nodes, key=key))
    return MatrixOrder(
        nodes=ordered,
        rules=tuple(rule_id for rule_id, _ in rules),
        ranks={node: ranks[node] for node in ordered},
    )


def _rules_in_use(bands: Sequence[Band], rule: str | None) -> list[tuple[str, list[Band]]]:
    """The layers rules to order by, those over the shallowest packages first so that finer rules refine them."""
    by_rule: dict[str, list[Band]] = {}
    for band in bands:
        by_rule.setdefault(band.rule, []).append(band)
    if rule in by_rule:
        by_rule = {rule: by_rule[rule]}

    def depth(rule_bands: list[Band]) -> int:
        return min((module.count(".") for band in rule_bands for module in band.modules), default=1 << 30)

    return sorted(by_rule.items(), key=lambda item: depth(item[1]))


def _rank(name: str, rules: list[tuple[str, list[Band]]]) -> Rank:
    """The highest layer of each rule that holds `name`, lies inside it or contains it."""
    return tuple(
        min(
            (
                band.index
                for band in rule_bands
                if any(is_in_package(name, module) or is_in_package(module, name) for module in band.modules)
            ),
            default=None,
        )
        for _, rule_bands in rules
    )


def _sortable(rank: Rank) -> tuple[int, ...]:
    return tuple((1 << 30) if index is None else index for index in rank)


def _importers_first(prefixes: set[str], ranks: dict[str, Rank], imports: Iterable[tuple[str, str]]) -> dict[str, int]:
    """A position for each name such that, among siblings of equal rank, importers come first."""
    graph = nx.DiGraph()
    graph.add_nodes_from(prefixes)
    for importer, imported in imports:
        pair = _diverging_siblings(importer, imported)
        if pair and ranks[pair[0]] == ranks[pair[1]]:
            graph.add_edge(*pair)
    condensed = nx.condensation(graph)
    members = condensed.graph["mapping"]
    first = {component: min(data["members"]) for component, data in condensed.nodes(data=True)}
    order = nx.lexicographical_topological_sort(condensed, key=first.__getitem__)
    groups: dict[int, list[str]] = {}
    for name, component in members.items():
        groups.setdefault(component, []).append(name)
    positions: dict[str, int] = {}
    for component in order:
        for name in sorted(groups[component]):
            positions[name] = len(positions)
    return positions


def _diverging_siblings(importer: str, imported: str) -> tuple[str, str] | None:
    """The siblings under the deepest common package of two names, or None when one holds the other."""
    a, b = importer.split("."), imported.split(".")
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    if common == min(len(a), len(b)):
        return None
    return ".".join(a[: common + 1]), ".".join(b[: common + 1])
