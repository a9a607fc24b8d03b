"""The analysed project's modules as `ast` trees, and names resolved as Python would bind them.

A `CodeIndex` belongs to one checked graph: each module's source (read through the
ProjectGraph, so a baseline's sources are its own) is parsed at most once per check, and a
module that cannot be read or parsed simply has no code (the graph build reports syntax errors).
"""

from __future__ import annotations

import ast
import builtins
import re
import threading
import weakref
from dataclasses import dataclass, field
from typing import Literal

from core.expressions import absolute_module, is_in_package
from core.graph import ProjectGraph
from core.model import ContractSchema

BUILTIN_NAMES = frozenset(dir(builtins))
# Modules whose names are another's: `typing_extensions.Literal` is `typing.Literal`.
_MODULE_ALIASES = {"typing_extensions": "typing"}
# How far a name is followed through imports and re-exports before giving up (import cycles).
_MAX_HOPS = 40


@dataclass(frozen=True)
class Imported:
    """A name bound by an import: the qualified name it refers to, and whether the import marks
    it as re-exported (`from m import X as X`, the convention of type checkers)."""

    target: str
    reexported: bool = False


Definition = ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef | ast.Assign | ast.AnnAssign
Binding = Imported | Definition


@dataclass(eq=False)
class ModuleCode:
    """A parsed module, its source lines, and the names it binds at module level (also inside
    `if`/`try` blocks). Compared by identity: one per module per check."""

    name: str
    file: str | None
    package: str
    lines: list[str]
    tree: ast.Module
    bindings: dict[str, Binding]
    star_imports: tuple[str, ...]


SymbolKind = Literal["module", "class", "function", "value", "attribute", "builtin", "external", "unknown"]


@dataclass(frozen=True)
class Symbol:
    """What a name refers to. `name` is where it is defined (builtins bare: 'int'); `via` the
    qualified names it was reached through first (re-exports), `owner` the class of an attribute."""

    name: str
    kind: SymbolKind
    module: str | None = None
    node: ast.AST | None = field(default=None, compare=False)
    via: tuple[str, ...] = ()
    owner: Symbol | None = None


class CodeIndex:
    """The project's code for one check: parsed modules, name resolution, and the contract
    schemas the check's rules recorded."""

    def __init__(self, project: ProjectGraph) -> None:
        # Weakly: the index lives as long as its graph, which the registry below must not prolong.
        self._project = weakref.ref(project)
        self.schemas: dict[str, ContractSchema] = {}
        self._modules: dict[str, ModuleCode | None] = {}
        self._resolved: dict[tuple[str, str], Symbol] = {}
        self._lock = threading.Lock()

    @property
    def project(self) -> ProjectGraph:
        project = self._project()
        assert project is not None, "the code index outlived its graph"
        return project

    def serves(self, project: ProjectGraph) -> bool:
        return self._project() is project

    def is_project_module(self, name: str) -> bool:
        return name in self.project.graph.modules and any(
            is_in_package(name, package) for package in self.project.root_packages
        )

    def module(self, name: str) -> ModuleCode | None:
        """The parsed module, or None when it is not the project's or cannot be read or parsed."""
        with self._lock:
            if name not in self._modules:
                self._modules[name] = self._parse(name) if self.is_project_module(name) else None
            return self._modules[name]

    def _parse(self, name: str) -> ModuleCode | None:
        source = self.project.source_of(name)
        if source is None:
            return None
        file = self.project.file_of(name)
        try:
            tree = ast.parse(source, filename=file or name)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        is_package = (file or "").endswith("__init__.py") or bool(self.project.graph.find_children(name))
        package = name if is_package else name.rpartition(".")[0]
        bindings, stars = _bindings(tree, package)
        return ModuleCode(
            name=name,
            file=file,
            package=package,
            lines=source.splitlines(),
            tree=tree,
            bindings=bindings,
            star_imports=stars,
        )

    def resolve(self, module: str, dotted: str) -> Symbol:
        """What the dotted name as written in `module` refers to."""
        key = (module, dotted)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(module, dotted)
        return self._resolved[key]

    def _resolve(self, module: str, dotted: str) -> Symbol:
        first, _, rest = dotted.partition(".")
        code = self.module(module)
        binding = code.bindings.get(first) if code else None
        if isinstance(binding, Imported):
            return self.lookup(_join(binding.target, rest))
        if binding is not None:
            return self.lookup(f"{module}.{dotted}")
        if code is not None:
            for star in code.star_imports:
                found = self.lookup(f"{star}.{dotted}")
                if found.kind != "unknown":
                    return found
        if first in BUILTIN_NAMES:
            return Symbol(dotted, "builtin") if not rest else Symbol(dotted, "unknown")
        return Symbol(dotted, "unknown")

    def lookup(self, qualified: str) -> Symbol:
        """What a fully qualified name refers to, followed through imports to its definition."""
        return self._lookup(qualified, (), 0)

    def _lookup(self, qualified: str, via: tuple[str, ...], hops: int) -> Symbol:
        if hops > _MAX_HOPS:
            return Symbol(qualified, "unknown", via=via)
        if self.is_project_module(qualified):
            return Symbol(qualified, "module", module=qualified, via=via)
        parts = qualified.split(".")
        cut = next((n for n in range(len(parts) - 1, 0, -1) if self.is_project_module(".".join(parts[:n]))), 0)
        if not cut:
            return Symbol(_external_name(qualified), "external", via=via)
        module, rest = ".".join(parts[:cut]), parts[cut:]
        code = self.module(module)
        if code is None:
            return Symbol(qualified, "unknown", via=via)
        binding = code.bindings.get(rest[0])
        if binding is None:
            for star in code.star_imports:
                found = self._lookup(".".join([star, *rest]), (*via, qualified), hops + 1)
                if found.kind != "unknown":
                    return found
            return Symbol(qualified, "unknown", via=via)
        if isinstance(binding, Imported):
            return self._lookup(".".join([binding.target, *rest[1:]]), (*via, qualified), hops + 1)
        return _defined(module, binding, rest, via)


def _defined(module: str, node: Definition, rest: list[str], via: tuple[str, ...]) -> Symbol:
    """A name defined in `module`, possibly with attributes after it (a nested class, an Enum member)."""
    name = f"{module}.{rest[0]}"
    if isinstance(node, ast.ClassDef):
        symbol = Symbol(name, "class", module=module, node=node, via=via)
        for part in rest[1:]:
            member = dict(class_members(symbol.node)).get(part) if isinstance(symbol.node, ast.ClassDef) else None
            if not isinstance(member, ast.ClassDef):
                return Symbol(f"{symbol.name}.{part}", "attribute", module=module, node=member, owner=symbol)
            symbol = Symbol(f"{symbol.name}.{part}", "class", module=module, node=member)
        return symbol
    if len(rest) > 1:
        return Symbol(".".join([module, *rest]), "unknown", via=via)
    kind: SymbolKind = "function" if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else "value"
    return Symbol(name, kind, module=module, node=node, via=via)


def class_members(node: ast.ClassDef) -> list[tuple[str, ast.stmt]]:
    """The names a class body binds, in order: methods, nested classes, assigned and annotated attributes."""
    members: list[tuple[str, ast.stmt]] = []
    for statement in node.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            members.append((statement.name, statement))
        elif isinstance(statement, ast.Assign):
            members.extend((target.id, statement) for target in statement.targets if isinstance(target, ast.Name))
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            members.append((statement.target.id, statement))
    return members


def _external_name(qualified: str) -> str:
    first, dot, rest = qualified.partition(".")
    return _MODULE_ALIASES.get(first, first) + dot + rest


def _join(first: str, rest: str) -> str:
    return f"{first}.{rest}" if rest else first


def _bindings(tree: ast.Module, package: str) -> tuple[dict[str, Binding], tuple[str, ...]]:
    """Module-level names: those bound at the top level win; inside `if`/`try`/`with` blocks
    (`if TYPE_CHECKING:`, `try: ... except ImportError:`) the first binding counts."""
    top: dict[str, Binding] = {}
    nested: dict[str, Binding] = {}
    stars: list[str] = []

    def bind(target: dict[str, Binding], name: str, binding: Binding) -> None:
        if target is top:
            top[name] = binding
        else:
            nested.setdefault(name, binding)

    def visit(statements: list[ast.stmt], target: dict[str, Binding]) -> None:
        for node in statements:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                bind(target, node.name, node)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        bind(target, alias.asname, Imported(alias.name, alias.asname == alias.name))
                    else:
                        first = alias.name.split(".")[0]
                        bind(target, first, Imported(first))
            elif isinstance(node, ast.ImportFrom):
                base = absolute_module(package, node.module, node.level)
                if base is None:
                    continue
                for alias in node.names:
                    if alias.name == "*":
                        stars.append(base)
                    else:
                        reexported = alias.asname == alias.name
                        bind(target, alias.asname or alias.name, Imported(f"{base}.{alias.name}", reexported))
            elif isinstance(node, ast.Assign):
                for name_node in node.targets:
                    if isinstance(name_node, ast.Name):
                        bind(target, name_node.id, node)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                bind(target, node.target.id, node)
            else:
                for block in _blocks(node):
                    visit(block, nested)

    visit(tree.body, top)
    return {**nested, **top}, tuple(stars)


def _blocks(node: ast.stmt) -> list[list[ast.stmt]]:
    if isinstance(node, (ast.If, ast.While, ast.For, ast.AsyncFor)):
        return [node.body, node.orelse]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [node.body]
    if isinstance(node, (ast.Try, ast.TryStar)):
        return [node.body, *(handler.body for handler in node.handlers), node.orelse, node.finalbody]
    return []


def dotted_name(node: ast.AST) -> str | None:
    """`a.b.c` for a name or attribute chain, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        prefix = dotted_name(node.value)
        return None if prefix is None else f"{prefix}.{node.attr}"
    return None


def expression_pattern(expression: str) -> re.Pattern[str]:
    """A module expression (`*` one name, `**` one or more) as a pattern over qualified names."""
    parts = []
    for part in expression.split("."):
        if part == "*":
            parts.append(r"[^.]+")
        elif part == "**":
            parts.append(r"[^.]+(?:\.[^.]+)*")
        else:
            parts.append(re.escape(part))
    return re.compile(r"\.".join(parts))


def matches(expression: str, name: str) -> bool:
    return expression_pattern(expression).fullmatch(name) is not None


_INDEXES: dict[int, CodeIndex] = {}
_INDEXES_LOCK = threading.Lock()


def code_index(project: ProjectGraph) -> CodeIndex:
    """The code index of this graph's check, made on first use and gone with the graph."""
    with _INDEXES_LOCK:
        index = _INDEXES.get(id(project))
        if index is None or not index.serves(project):
            index = CodeIndex(project)
            _INDEXES[id(project)] = index
            weakref.finalize(project, _INDEXES.pop, id(project), None)
        return index


def recorded_schemas(project: ProjectGraph) -> dict[str, ContractSchema]:
    """The contract schemas this graph's check recorded (by contract_stability rules), by name."""
    with _INDEXES_LOCK:
        index = _INDEXES.get(id(project))
    if index is None or not index.serves(project):
        return {}
    return dict(sorted(index.schemas.items()))
