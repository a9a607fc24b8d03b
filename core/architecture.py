"""The checked project as views draw it: packages, their imports at any level of expansion,
and which of those imports break a rule, are hidden by `ignore_imports` or close a cycle.

The architecture view and the dependency matrix both read a `DependencyMap`; they decide which
packages are expanded and ask for the dependencies between what is visible.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from core.check import Analysis
from core.expressions import expressions_to_modules, is_in_package, name_and_ancestors
from core.model import IgnoredImport
from core.rules.layers import Options as LayersOptions


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True)


class LayerBand(_Value):
    """One entry of a `layers` rule: its modules (containers expanded), highest band first."""

    rule: str
    index: int
    modules: tuple[str, ...]
    independent: bool


class Dependency(_Value):
    """The imports from one visible package or module to another."""

    importer: str
    imported: str
    imports: int
    illegal_imports: int = 0
    ignored_imports: int = 0
    cycle_imports: int = 0
    rules: tuple[str, ...] = ()

    @property
    def illegal(self) -> bool:
        return self.illegal_imports > 0


class DependencyMap:
    """Module-level imports of an analysed project, with what the check found on them."""

    def __init__(self, analysis: Analysis) -> None:
        graph = analysis.project.graph
        self.root_packages = analysis.project.root_packages
        self.modules = frozenset(
            m for m in graph.modules if any(is_in_package(m, root) for root in self.root_packages)
        )
        self.imports: dict[tuple[str, str], int] = {}
        for importer in self.modules:
            for imported in graph.find_modules_directly_imported_by(importer):
                if imported in self.modules:
                    self.imports[(importer, imported)] = len(
                        graph.get_import_details(importer=importer, imported=imported)
                    ) or 1
        self.illegal: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.cycles: set[tuple[str, str]] = set()
        self._cycle_rules: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.uncovered: set[str] = set()
        for violation in analysis.result.violations:
            if violation.type == "coverage" and violation.importer:
                self.uncovered.add(violation.importer)
            for chain in violation.chains:
                for link in chain:
                    if violation.type == "acyclic":
                        self.cycles.add((link.importer, link.imported))
                        self._cycle_rules[(link.importer, link.imported)].add(violation.rule)
                    else:
                        self.illegal[(link.importer, link.imported)].add(violation.rule)
        self.ignored: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._ignored_records: list[tuple[str, IgnoredImport]] = []
        for rule in analysis.result.rules:
            for item in rule.ignored:
                self.ignored[(item.importer, item.imported)].add(rule.id)
                self._ignored_records.append((rule.id, item))
        self._module_counts = Counter(
            ancestor for module in self.modules for ancestor in name_and_ancestors(module)
        )
        self.bands = _layer_bands(analysis, graph)
        self._children: dict[str, list[str]] = defaultdict(list)
        for module in self.modules:
            parent = module.rpartition(".")[0]
            if parent:
                self._children[parent].append(module)
        for children in self._children.values():
            children.sort()

    def children(self, package: str) -> list[str]:
        return self._children.get(package, [])

    def module_count(self, package: str) -> int:
        return self._module_counts[package]

    def visible(self, module: str, expanded: set[str]) -> str:
        """The node that stands for `module` when only the `expanded` packages are opened."""
        parts = module.split(".")
        for depth in range(1, len(parts) + 1):
            node = ".".join(parts[:depth])
            if node not in expanded or depth == len(parts):
                return node
        return module

    def dependencies(self, expanded: Iterable[str] = (), rule: str | None = None) -> list[Dependency]:
        """Dependencies between the visible nodes: root packages, and the children of expanded ones.

        With `rule`, only that rule's findings count as illegal, cycle or ignored imports.
        """
        expanded = set(expanded)
        visible = {module: self.visible(module, expanded) for module in self.modules}
        totals: dict[tuple[str, str], list] = {}
        for (importer, imported), count in self.imports.items():
            pair = (visible[importer], visible[imported])
            if pair[0] == pair[1]:
                continue
            entry = totals.setdefault(pair, [0, 0, 0, 0, set()])
            entry[0] += count
            illegal = self.illegal.get((importer, imported))
            if illegal and (rule is None or rule in illegal):
                entry[1] += count
                entry[4] |= illegal if rule is None else {rule}
            if (importer, imported) in self.cycles and (rule is None or rule in self._cycle_rules[(importer, imported)]):
                entry[3] += count
        for (importer, imported), rules in self.ignored.items():
            if rule is not None and rule not in rules:
                continue
            if importer in visible and imported in visible:
                pair = (visible[importer], visible[imported])
                if pair[0] != pair[1]:
                    entry = totals.setdefault(pair, [0, 0, 0, 0, set()])
                    entry[2] += 1
        return [
            Dependency(
                importer=importer,
                imported=imported,
                imports=imports,
                illegal_imports=illegal,
                ignored_imports=ignored,
                cycle_imports=cycle,
                rules=tuple(sorted(rules)),
            )
            for (importer, imported), (imports, illegal, ignored, cycle, rules) in sorted(totals.items())
        ]

    def imports_between(self, importer: str, imported: str) -> list[tuple[str, str, int]]:
        """The module-level imports from one package (or module) to another."""
        return sorted(
            (a, b, count)
            for (a, b), count in self.imports.items()
            if is_in_package(a, importer) and is_in_package(b, imported)
        )

    def ignored_between(self, importer: str, imported: str) -> list[tuple[str, str, tuple[str, ...]]]:
        return sorted(
            (a, b, tuple(sorted(rules)))
            for (a, b), rules in self.ignored.items()
            if is_in_package(a, importer) and is_in_package(b, imported)
        )

    def ignored_imports(
        self, importer: str | None = None, imported: str | None = None, rule: str | None = None
    ) -> list[tuple[str, IgnoredImport]]:
        """Each import line a rule's `ignore_imports` excluded, with the rule's id; optionally only
        those from `importer` and to `imported` (packages or modules) and of `rule`."""
        return [
            (rule_id, item)
            for rule_id, item in self._ignored_records
            if (rule is None or rule_id == rule)
            and (importer is None or is_in_package(item.importer, importer))
            and (imported is None or is_in_package(item.imported, imported))
        ]


def _layer_bands(analysis: Analysis, graph) -> list[LayerBand]:
    bands = []
    for rule in analysis.config.config.rules:
        if not isinstance(rule, LayersOptions):
            continue
        containers = sorted(expressions_to_modules(graph, rule.containers)) if rule.containers else [""]
        for index, spec in enumerate(rule.specs):
            modules = tuple(
                name
                for container in containers
                for tail in sorted(spec.tails)
                if (name := f"{container}.{tail}" if container else tail) in graph.modules
            )
            bands.append(LayerBand(rule=rule.id, index=index, modules=modules, independent=spec.independent))
    return bands
