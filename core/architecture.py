"""The checked project as views draw it: packages, their imports at any level of expansion,
and which of those imports break a rule, are hidden by `ignore_imports` or close a cycle.

The architecture view and the dependency matrix both read a `DependencyMap`; they decide which
packages are expanded and ask for the dependencies between what is visible.
"""

from __future__ import annotations

from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Set

from pydantic import BaseModel, ConfigDict

from core.check import Analysis
from core.expressions import expressions_to_modules, is_in_package, name_and_ancestors
from core.model import IgnoredImport
from core.rules.layers import Options as LayersOptions

DEPENDENCY_CACHE_SIZE = 8  # answers of `DependencyMap.dependencies` kept


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
        # Each module's name and its ancestors' from the root down, for finding what stands for it.
        self._prefixes = {module: name_and_ancestors(module)[::-1] for module in self.modules}
        # The few imports a check marked, looked at apart from the many plain ones.
        marked = self.illegal.keys() | self.cycles
        self._marked = [(pair, self.imports[pair]) for pair in sorted(marked) if pair in self.imports]
        self._dependency_cache: OrderedDict[tuple[frozenset[str], str | None], list[Dependency]] = OrderedDict()

    def children(self, package: str) -> list[str]:
        return self._children.get(package, [])

    def module_count(self, package: str) -> int:
        return self._module_counts[package]

    def visible(self, module: str, expanded: Set[str]) -> str:
        """The node that stands for `module` when only the `expanded` packages are opened."""
        prefixes = self._prefixes.get(module) or name_and_ancestors(module)[::-1]
        for node in prefixes:
            if node not in expanded:
                return node
        return module

    def visible_map(self, expanded: Set[str]) -> dict[str, str]:
        """`visible` for every module."""
        visible: dict[str, str] = {}
        for module, prefixes in self._prefixes.items():
            for node in prefixes:
                if node not in expanded:
                    visible[module] = node
                    break
            else:
                visible[module] = module
        return visible

    def dependencies(self, expanded: Iterable[str] = (), rule: str | None = None) -> list[Dependency]:
        """Dependencies between the visible nodes: root packages, and the children of expanded ones.

        With `rule`, only that rule's findings count as illegal, cycle or ignored imports. The last
        few answers are kept, so that collapsing a package again or switching back to a rule is instant.
        """
        key = (frozenset(expanded), rule)
        cached = self._dependency_cache.get(key)
        if cached is None:
            cached = self._dependencies(key[0], rule)
            self._dependency_cache[key] = cached
            if len(self._dependency_cache) > DEPENDENCY_CACHE_SIZE:
                self._dependency_cache.popitem(last=False)
        else:
            self._dependency_cache.move_to_end(key)
        return list(cached)

    def _dependencies(self, expanded: frozenset[str], rule: str | None) -> list[Dependency]:
        visible = self.visible_map(expanded)
        imports: dict[tuple[str, str], int] = {}
        for (importer, imported), count in self.imports.items():
            pair = (visible[importer], visible[imported])
            if pair[0] != pair[1]:
                imports[pair] = imports.get(pair, 0) + count
        # Illegal, ignored and cycle imports and the rules they break, by pair of visible nodes.
        marks: dict[tuple[str, str], list] = {}
        for (importer, imported), count in self._marked:
            pair = (visible[importer], visible[imported])
            if pair[0] == pair[1]:
                continue
            entry = marks.setdefault(pair, [0, 0, 0, set()])
            illegal = self.illegal.get((importer, imported))
            if illegal and (rule is None or rule in illegal):
                entry[0] += count
                entry[3] |= illegal if rule is None else {rule}
            if (importer, imported) in self.cycles and (rule is None or rule in self._cycle_rules[(importer, imported)]):
                entry[2] += count
        for (importer, imported), rules in self.ignored.items():
            if rule is not None and rule not in rules:
                continue
            if importer in visible and imported in visible:
                pair = (visible[importer], visible[imported])
                if pair[0] != pair[1]:
                    marks.setdefault(pair, [0, 0, 0, set()])[1] += 1
                    imports.setdefault(pair, 0)
        unmarked = (0, 0, 0, ())
        dependencies = []
        for pair in sorted(imports):
            illegal, ignored, cycle, rules = marks.get(pair, unmarked)
            dependencies.append(
                Dependency(
                    importer=pair[0],
                    imported=pair[1],
                    imports=imports[pair],
                    illegal_imports=illegal,
                    ignored_imports=ignored,
                    cycle_imports=cycle,
                    rules=tuple(sorted(rules)),
                )
            )
        return dependencies

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
