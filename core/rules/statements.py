"""What the `interface` and `dependencies` rules read from analysed source beyond grimp's graph:
the import statements of a module and the names its top level binds, parsed with `ast` (the code
is never imported or run).

grimp records which module a line imports, not which names it takes; whether `from shop.billing
import charge` reaches an internal module depends on where `shop/billing/__init__.py` got
`charge` from. Without `include_external_packages` grimp also leaves out imports of other
distributions, which `dependencies` must still see.
"""

from __future__ import annotations

import ast
import sys
import weakref
from dataclasses import dataclass, replace

from core.contracts.code import ModuleCode, absolute_module, code_index
from core.graph import ProjectGraph
from core.import_adjustments import ModuleAdjustments, TakenOut

STANDARD_LIBRARY = frozenset(sys.stdlib_module_names)


@dataclass(frozen=True)
class ImportedName:
    """One name an import statement takes: `shop.billing.charge` for `from shop.billing import
    charge`, `shop.billing.api` for `import shop.billing.api`; `*` for a star import."""

    name: str
    star: bool = False


@dataclass(frozen=True)
class ImportStatement:
    line: int
    contents: str
    names: tuple[ImportedName, ...]
    type_checking: bool = False


@dataclass(frozen=True)
class Binding:
    """Where a top-level name of a module comes from: imported from `origin` under the name
    `origin_name` (the module itself when `origin_name` is None), or defined in the module."""

    origin: str | None
    origin_name: str | None = None


@dataclass(frozen=True)
class ModuleSource:
    statements: tuple[ImportStatement, ...]
    bindings: dict[str, Binding]
    star_origins: tuple[str, ...]

    def statement_at(self, line: int) -> ImportStatement | None:
        return next((statement for statement in self.statements if statement.line == line), None)


EMPTY = ModuleSource(statements=(), bindings={}, star_origins=())


_READ: weakref.WeakKeyDictionary[ModuleCode, ModuleSource] = weakref.WeakKeyDictionary()
_ADJUSTED: weakref.WeakKeyDictionary[ModuleCode, tuple[ModuleAdjustments, ModuleSource]] = weakref.WeakKeyDictionary()


def read_module(project: ProjectGraph, module: str) -> ModuleSource:
    """The module's import statements and top-level bindings, from the check's parsed code (a
    baseline's sources are its own); a module that cannot be read or parsed reads as empty
    (grimp reports syntax errors when it builds the graph). The statements are those the graph's
    adjustments leave (core.import_adjustments): without what ignore comments took out and, when
    they are not judged, imports inside blocks; with string imports."""
    code = code_index(project).module(module)
    if code is None:
        return EMPTY
    source = _READ.get(code)
    if source is None:
        source = _READ[code] = _read(code)
    adjustments = project.adjusted.of(module)
    if adjustments:
        cached = _ADJUSTED.get(code)
        if cached is None or cached[0] is not adjustments:
            cached = _ADJUSTED[code] = (adjustments, _adjusted(source, adjustments, project.adjusted.options.local_imports))
        source = cached[1]
    return source


def _adjusted(source: ModuleSource, adjustments: ModuleAdjustments, local_imports: str) -> ModuleSource:
    taken_out = {(taken.line, taken.name) for taken in adjustments.taken_out}
    lines = {taken.line for taken in adjustments.taken_out}
    statements = []
    for statement in source.statements:
        if local_imports == "none" and statement.line in adjustments.local_lines:
            continue
        if adjustments.isolated and statement.line in lines:
            continue  # replaced by what the comments took out, below
        names = tuple(name for name in statement.names if (statement.line, _written(name)) not in taken_out)
        if names:
            statements.append(replace(statement, names=names))
    statements += [
        ImportStatement(line=string.line, contents=string.contents, names=(ImportedName(string.name),))
        for string in adjustments.string_imports
    ]
    if adjustments.isolated:
        by_line: dict[int, list[TakenOut]] = {}
        for taken in adjustments.taken_out:
            by_line.setdefault(taken.line, []).append(taken)
        statements += [
            ImportStatement(line=line, contents=found[0].contents, names=tuple(_name(t.name) for t in found))
            for line, found in sorted(by_line.items())
        ]
    return replace(source, statements=tuple(statements))


def _written(name: ImportedName) -> str:
    """The name as an ignore comment matches it: `shop.billing.*` for a star import."""
    return f"{name.name}.*" if name.star else name.name


def _name(written: str) -> ImportedName:
    return ImportedName(written.removesuffix(".*"), star=True) if written.endswith(".*") else ImportedName(written)


def _read(code: ModuleCode) -> ModuleSource:
    statements: list[ImportStatement] = []
    _collect_statements(code.tree.body, code.package, statements, type_checking=False)
    lines = code.lines
    statements = [replace(s, contents=lines[s.line - 1].strip() if s.line <= len(lines) else "") for s in statements]
    bindings: dict[str, Binding] = {}
    stars: list[str] = []
    _collect_bindings(code.tree.body, code.package, bindings, stars)
    return ModuleSource(statements=tuple(statements), bindings=bindings, star_origins=tuple(stars))


def import_statements(source: str, package: str) -> tuple[ImportStatement, ...]:
    """The import statements of a file outside the analysed packages (a script, a test), read as
    a module's are; none when it cannot be parsed. `package` resolves its relative imports."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    statements: list[ImportStatement] = []
    _collect_statements(tree.body, package, statements, type_checking=False)
    lines = source.splitlines()
    return tuple(replace(s, contents=lines[s.line - 1].strip() if s.line <= len(lines) else "") for s in statements)


def _collect_statements(nodes: list[ast.AST], package: str, out: list[ImportStatement], *, type_checking: bool) -> None:
    for node in nodes:
        if isinstance(node, ast.Import):
            names = tuple(ImportedName(alias.name) for alias in node.names)
            out.append(ImportStatement(line=node.lineno, contents="", names=names, type_checking=type_checking))
        elif isinstance(node, ast.ImportFrom):
            base = absolute_module(package, node.module, node.level)
            if base is not None:
                names = tuple(
                    ImportedName(base, star=True) if alias.name == "*" else ImportedName(f"{base}.{alias.name}")
                    for alias in node.names
                )
                out.append(ImportStatement(line=node.lineno, contents="", names=names, type_checking=type_checking))
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            _collect_statements(node.body, package, out, type_checking=True)
            _collect_statements(node.orelse, package, out, type_checking=type_checking)
        else:
            _collect_statements(list(ast.iter_child_nodes(node)), package, out, type_checking=type_checking)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _collect_bindings(body: list[ast.stmt], package: str, bindings: dict[str, Binding], stars: list[str]) -> None:
    """Top-level names, including those bound inside top-level `if`/`try` blocks; a later binding
    of the same name wins, as it would at run time."""
    for statement in body:
        if isinstance(statement, ast.ImportFrom):
            base = absolute_module(package, statement.module, statement.level)
            if base is None:
                continue
            for alias in statement.names:
                if alias.name == "*":
                    stars.append(base)
                else:
                    bindings[alias.asname or alias.name] = Binding(origin=base, origin_name=alias.name)
        elif isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname:
                    bindings[alias.asname] = Binding(origin=alias.name)
                else:
                    top = alias.name.split(".")[0]
                    bindings[top] = Binding(origin=top)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bindings[statement.name] = Binding(origin=None)
        elif isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        bindings[name.id] = Binding(origin=None)
        elif isinstance(statement, (ast.If, ast.Try, ast.With)):
            for block in _blocks(statement):
                _collect_bindings(block, package, bindings, stars)


def _blocks(statement: ast.If | ast.Try | ast.With) -> list[list[ast.stmt]]:
    if isinstance(statement, ast.If):
        return [statement.body, statement.orelse]
    if isinstance(statement, ast.With):
        return [statement.body]
    return [statement.body, *(handler.body for handler in statement.handlers), statement.orelse, statement.finalbody]


def is_standard_library(module: str) -> bool:
    return module.split(".")[0] in STANDARD_LIBRARY
