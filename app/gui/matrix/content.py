"""What the matrix shows for one expansion and one selected rule: ordered nodes and their cells.

Columns import rows (the usual DSM convention): with the highest layer first, a legal import
lies below the diagonal and one that goes against the layer order lies above it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.architecture import Dependency, DependencyMap
from core.expressions import name_and_ancestors
from core.matrix import Rank, matrix_order


@dataclass(frozen=True)
class Bracket:
    """An expanded package spanning the consecutive nodes `first`..`last` at nesting `level`."""

    package: str
    level: int
    first: int
    last: int


class MatrixContent:
    def __init__(self, dependency_map: DependencyMap, expanded: Iterable[str], rule_id: str | None) -> None:
        self.dependency_map = dependency_map
        self.rule_id = rule_id
        packages = {prefix for module in dependency_map.modules for prefix in name_and_ancestors(module)[1:]}
        self.expanded = frozenset(name for name in expanded if name in packages)
        # With a rule selected, only its findings count as broken, cyclic or ignored.
        dependencies = dependency_map.dependencies(self.expanded, rule_id)
        self.cells: dict[tuple[str, str], Dependency] = {(d.importer, d.imported): d for d in dependencies}
        in_dependencies = {name for pair in self.cells for name in pair}
        visible = {dependency_map.visible(module, self.expanded) for module in dependency_map.modules}
        # An expanded package stays a node only for imports of its own module (its __init__).
        nodes = {node for node in visible if node not in self.expanded or node in in_dependencies}
        order = matrix_order(nodes, dependency_map.bands, self.cells, rule_id)
        self.nodes: tuple[str, ...] = order.nodes
        self.layer_rules: tuple[str, ...] = order.rules
        self.ranks: dict[str, Rank] = order.ranks
        self.index = {node: position for position, node in enumerate(self.nodes)}
        self._expandable = {node for node in self.nodes if node in packages and node not in self.expanded}
        holders_of_uncovered = {prefix for module in dependency_map.uncovered for prefix in name_and_ancestors(module)}
        self._uncovered = holders_of_uncovered.intersection(self.nodes)
        # Cells by row (the imported node): [(column, dependency)], for painting only what is in view.
        self.rows: list[list[tuple[int, Dependency]]] = [[] for _ in self.nodes]
        for dependency in dependencies:
            self.rows[self.index[dependency.imported]].append((self.index[dependency.importer], dependency))
        self.brackets = self._brackets()
        self.depth = max((bracket.level + 1 for bracket in self.brackets), default=0)

    def __len__(self) -> int:
        return len(self.nodes)

    def cell(self, importer: str, imported: str) -> Dependency | None:
        return self.cells.get((importer, imported))

    def at(self, row: int, column: int) -> Dependency | None:
        """The imports of the column's node from the row's node."""
        return self.cells.get((self.nodes[column], self.nodes[row]))

    def position(self, importer: str, imported: str) -> tuple[int, int]:
        """(row, column) of the cell for imports from `importer` to `imported`."""
        return self.index[imported], self.index[importer]

    def breaks(self, dependency: Dependency) -> bool:
        """Whether the cell breaks the selected rule (any rule when none is selected).

        Cycles have their own mark; they are red only when their acyclic rule is the one selected.
        """
        return dependency.illegal or (self.rule_id is not None and dependency.cycle_imports > 0)

    def above_diagonal(self, importer: str, imported: str) -> bool:
        """Whether a node imports one earlier in layer order: a lower package importing a higher one."""
        return self.index[importer] > self.index[imported]

    def expandable(self, node: str) -> bool:
        return node in self._expandable

    def uncovered(self, node: str) -> bool:
        """Whether the node holds a module that a coverage rule finds outside every declared layer."""
        return node in self._uncovered

    def own_module(self, node: str) -> bool:
        """Whether the node is an expanded package's own module, shown beside its children."""
        return node in self.expanded

    def label(self, node: str) -> str:
        """The node's name inside its innermost expanded package."""
        if self.own_module(node):
            return "__init__"
        holder = next((prefix for prefix in name_and_ancestors(node)[1:] if prefix in self.expanded), None)
        return node[len(holder) + 1 :] if holder else node

    def layer_description(self, node: str) -> str:
        """"layer 2 of 'layers'" for tooltips; '' when there are no layers rules."""
        parts = [
            f"layer {index + 1} of '{rule}'"
            for rule, index in zip(self.layer_rules, self.ranks.get(node, ()), strict=False)
            if index is not None
        ]
        return ", ".join(parts) if parts else ("outside every layer" if self.layer_rules else "")

    def _brackets(self) -> list[Bracket]:
        """Runs of consecutive nodes under the same expanded package, outermost level first."""
        chains = [
            [prefix for prefix in reversed(name_and_ancestors(node)) if prefix in self.expanded]
            for node in self.nodes
        ]
        brackets: list[Bracket] = []
        open_runs: dict[int, Bracket] = {}
        for position, chain in enumerate(chains):
            for level in sorted(open_runs):
                run = open_runs[level]
                if level >= len(chain) or chain[level] != run.package:
                    brackets.append(run)
                    del open_runs[level]
            for level, package in enumerate(chain):
                run = open_runs.get(level)
                open_runs[level] = Bracket(package, level, run.first if run else position, position)
        brackets.extend(open_runs.values())
        return sorted(brackets, key=lambda bracket: (bracket.level, bracket.first))
