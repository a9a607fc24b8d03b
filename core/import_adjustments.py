"""What rules judge beyond grimp's scan, applied to the graph right after it is built.

- Ignore comments (`ignore_comments`, such as tach's `tach-ignore`): `# WORD` at the end of an
  import's line, or alone on the line before it, takes that import out; `# WORD(reason) a.b c`
  names a reason and takes out only the imported names ending with one of the listed ones.
  Only that line's import goes: the same module imported elsewhere stays.
- Local imports (`local_imports`): an import inside a function, a class or an `if`, `for`,
  `while`, `with` or `try` block (tach's notion: the cases of a `match` count as module level)
  is judged as any other ("error"), only warned about ("warn"), or not judged ("none").
- String imports (`include_string_imports`): a string literal naming a project module, or a
  name inside one, with at least two dots (`"shop.billing.api"`, `"shop.billing.charge"`)
  counts as an import of that module at the literal's line, as tach counts them.
- Git-ignored files (`respect_gitignore`): a module whose file `.gitignore` files (with the
  repository's `info/exclude`) or `.ignore` files match imports nothing as far as rules are
  concerned; it stays a module that others may import, as tach treats it. With "if_git_repo",
  `.gitignore` files count only inside a git repository (`.ignore` files always do).

A module's source is parsed only when a quick text search finds what it looks for; nothing is
read at all while every option is off. What was taken out is kept, so that a rule can tell
whether a comment took out an import some rule would have reported (`ignore_comments` rules).
"""

from __future__ import annotations

import ast
import copy
import io
import re
import tokenize
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

import grimp

from core.expressions import absolute_module, is_in_package
from core.model import ImportLink, Violation

LocalImports = Literal["error", "warn", "none"]

# Statements whose bodies tach counts as local code; `match` cases stay at module level.
_LOCAL_BLOCKS = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
)
# An import statement that may be inside a block: indented, or after a colon or semicolon.
_MAYBE_LOCAL = re.compile(rb"^[ \t]+(?:import|from)\b|[:;][ \t]*(?:import|from)\b", re.MULTILINE)
# tach's minimum number of dots in a string that may name a module.
_STRING_IMPORT_DOTS = 2


@dataclass(frozen=True)
class AdjustmentOptions:
    """The session options that change what the graph holds (see the module's description)."""

    ignore_comments: tuple[str, ...] = ()
    local_imports: LocalImports = "error"
    include_string_imports: bool = False
    respect_gitignore: bool | Literal["if_git_repo"] = False

    @property
    def active(self) -> bool:
        return bool(self.ignore_comments) or self.local_imports != "error" or self.include_string_imports or self.respect_gitignore


@dataclass(frozen=True)
class IgnoreComment:
    """An ignore comment: written at `line`, taking imports out of `applies_to` (its own line, or
    the next one when the comment stands alone). No `names`: every import of that line."""

    word: str
    line: int
    applies_to: int
    names: tuple[str, ...]
    reason: str
    text: str
    redundant: bool = False
    """Another comment before it applies to the same line; this one takes nothing out."""


@dataclass(frozen=True)
class TakenOut:
    """A name an ignore comment took out of the import statement at `line` (tach's module path of
    the import: `shop.billing.charge` for `from shop.billing import charge`), with the module of
    the graph it imports, if any."""

    line: int
    name: str
    imported: str | None
    contents: str
    comment_line: int


@dataclass(frozen=True)
class RemovedImport:
    """An import left out of the graph by an ignore comment, with grimp's details to put it back."""

    imported: str
    line: int
    contents: str
    is_lazy: bool
    external: bool


@dataclass(frozen=True)
class StringImport:
    line: int
    name: str
    imported: str
    contents: str


@dataclass(frozen=True)
class ModuleAdjustments:
    """What was found in, and changed for, one importing module."""

    comments: tuple[IgnoreComment, ...] = ()
    taken_out: tuple[TakenOut, ...] = ()
    removed: tuple[RemovedImport, ...] = ()
    local_lines: frozenset[int] = frozenset()
    """Lines of import statements inside blocks (recorded while `local_imports` is not "error")."""
    string_imports: tuple[StringImport, ...] = ()
    external_lines: frozenset[int] = frozenset()
    """Lines of import statements taking a name from outside the project (statement and name lines)."""
    isolated: bool = False
    """The lines comments took names out of hold those names only (see `comments_isolated`)."""

    def __bool__(self) -> bool:
        return bool(self.comments or self.taken_out or self.local_lines or self.string_imports)


@dataclass
class ImportAdjustments:
    """The adjustments of one graph: the options, what each importing module had, and the modules
    whose imports were left out because git ignores their files."""

    options: AdjustmentOptions = field(default_factory=AdjustmentOptions)
    modules: dict[str, ModuleAdjustments] = field(default_factory=dict)
    gitignored: frozenset[str] = frozenset()
    first_party: frozenset[str] = frozenset()
    """The top-level names of the source roots' directories and modules: imports of anything else
    come from outside the project."""

    def of(self, module: str) -> ModuleAdjustments | None:
        return self.modules.get(module)

    def local_lines(self, module: str) -> frozenset[int]:
        found = self.modules.get(module)
        return found.local_lines if found else frozenset()

    def updated(self, graph_modules: set[str], found: dict[str, ModuleAdjustments | None]) -> ImportAdjustments:
        """These adjustments with `found` replacing those of the modules it names (None: nothing
        now), and modules no longer in the graph dropped."""
        modules = {m: a for m, a in self.modules.items() if m in graph_modules and m not in found}
        modules.update({m: a for m, a in found.items() if a})
        return replace(self, modules=modules)

    def comments_isolated(self, graph: grimp.ImportGraph) -> tuple[grimp.ImportGraph, ImportAdjustments]:
        """A copy of `graph`, and adjustments, where each line ignore comments took names out of
        imports only those names: whatever a rule reports at such a line is what the comments
        kept it from reporting."""
        isolated = copy.deepcopy(graph)
        modules = dict(self.modules)
        for module, found in self.modules.items():
            if not found.taken_out:
                continue
            wanted: dict[int, set[str]] = {}
            for taken in found.taken_out:
                wanted.setdefault(taken.line, set()).update([taken.imported] if taken.imported else [])
            for imported in list(isolated.find_modules_directly_imported_by(module)):
                details = isolated.get_import_details(importer=module, imported=imported)
                if any(d["line_number"] in wanted and imported not in wanted[d["line_number"]] for d in details):
                    isolated.remove_import(importer=module, imported=imported)
                    for d in details:
                        if d["line_number"] not in wanted or imported in wanted[d["line_number"]]:
                            isolated.add_import(
                                importer=module,
                                imported=imported,
                                line_number=d["line_number"],
                                line_contents=d["line_contents"],
                                is_lazy=d["is_lazy"],
                            )
            for removed in found.removed:
                if removed.external and removed.imported not in isolated.modules:
                    isolated.add_module(removed.imported, is_squashed=True)
                isolated.add_import(
                    importer=module,
                    imported=removed.imported,
                    line_number=removed.line,
                    line_contents=removed.contents,
                    is_lazy=removed.is_lazy,
                )
            modules[module] = replace(found, removed=(), isolated=True)
        return isolated, replace(self, modules=modules)


def find_ignore_comments(text: str, word: str) -> list[IgnoreComment]:
    """The ignore comments `# WORD` in a module's text, read line by line as tach reads them (also
    inside strings); a later comment applying to a line an earlier one already covers is redundant."""
    if word not in text:
        return []
    pattern = _comment_pattern(word)
    found: list[IgnoreComment] = []
    covered: set[int] = set()
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if word not in line:
            continue
        match = pattern.search(line)
        if match is None:
            continue
        applies_to = number + 1 if line.lstrip().startswith("#") else number
        found.append(
            IgnoreComment(
                word=word,
                line=number,
                applies_to=applies_to,
                names=tuple(match.group(2).split()),
                reason=match.group(1) or "",
                text=match.group(0).strip(),
                redundant=applies_to in covered,
            )
        )
        covered.add(applies_to)
    return found


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _comment_pattern(word: str) -> re.Pattern[str]:
    if word not in _PATTERNS:
        _PATTERNS[word] = re.compile(r"# *" + re.escape(word) + r"(?:\(([^)]*)\))?((?:\s+[\w.]+)*)\s*$")
    return _PATTERNS[word]


def adjust_imports(
    graph: grimp.ImportGraph,
    modules: Iterable[str],
    *,
    options: AdjustmentOptions,
    root_packages: tuple[str, ...],
    source_of: Callable[[str], bytes | None],
    is_package: Callable[[str], bool],
    gitignored: frozenset[str] = frozenset(),
    first_party: frozenset[str] = frozenset(),
    exclude_type_checking_imports: bool = False,
) -> dict[str, ModuleAdjustments]:
    """Adjust the imports of `modules` (project modules of `graph`) in place; what each had.
    `first_party` names the top-level packages and modules of the project (see ImportAdjustments)."""
    found: dict[str, ModuleAdjustments] = {}
    if not options.active:
        return found
    internal = {m for m in graph.modules if not graph.is_module_squashed(m) and _in(m, root_packages)}
    strings = _string_prefilter(root_packages) if options.include_string_imports else None
    reads = bool(options.ignore_comments) or options.local_imports != "error" or strings is not None
    encoded = {word: word.encode("utf-8") for word in options.ignore_comments}
    for module in sorted(modules):
        if module in gitignored:
            for imported in graph.find_modules_directly_imported_by(module):
                graph.remove_import(importer=module, imported=imported)
            continue
        data = source_of(module) if reads else None
        if not data:
            continue
        # Searched as bytes; only a file holding what is looked for is decoded and parsed.
        words = [word for word in options.ignore_comments if encoded[word] in data]
        local = options.local_imports != "error" and _MAYBE_LOCAL.search(data) is not None
        has_strings = strings is not None and _may_name_a_module(strings, data, internal)
        if not (words or local or has_strings):
            continue
        text = data.decode("utf-8-sig", "replace")
        adjusted = _ModuleAdjuster(
            graph, module, text, internal, first_party | _tops(root_packages), is_package(module), exclude_type_checking_imports
        ).adjust(words, options.local_imports if local else "error", has_strings)
        if adjusted:
            found[module] = adjusted
    _drop_unimported_externals(graph)
    return found


def _in(module: str, packages: tuple[str, ...]) -> bool:
    return any(is_in_package(module, package) for package in packages)


def _tops(packages: Iterable[str]) -> frozenset[str]:
    return frozenset(package.split(".")[0] for package in packages)


def _string_prefilter(root_packages: tuple[str, ...]) -> re.Pattern[bytes]:
    """Quoted text starting with a root package's name: what a string naming a module looks like
    in the source, unless it is written with escapes."""
    names = b"|".join(re.escape(package.split(".")[0].encode("utf-8")) for package in sorted(set(root_packages)))
    return re.compile(rb"[\"']((?:" + names + rb")\.[^\"'\n]*)[\"']")


def _may_name_a_module(prefilter: re.Pattern[bytes], data: bytes, internal: set[str]) -> bool:
    """Whether a string literal of the source may name a module: some quoted text does, or is
    written with escapes."""
    return any(
        b"\\" in value or _module_named(value.decode("utf-8", "replace"), internal) is not None
        for value in prefilter.findall(data)
    )


def _drop_unimported_externals(graph: grimp.ImportGraph) -> None:
    """External packages exist in grimp's graph only while something imports them."""
    for module in list(graph.modules):
        if graph.is_module_squashed(module) and not graph.find_modules_that_directly_import(module):
            graph.remove_module(module)


@dataclass(frozen=True)
class _Statement:
    line: int
    names: tuple[tuple[str, int], ...]  # (name as tach normalises it, the line it is written on)
    local: bool
    type_checking: bool


class _ModuleAdjuster:
    def __init__(
        self,
        graph: grimp.ImportGraph,
        module: str,
        text: str,
        internal: set[str],
        first_party: frozenset[str],
        is_package: bool,
        exclude_type_checking_imports: bool,
    ) -> None:
        self.graph = graph
        self.module = module
        self.text = text
        self.lines = text.split("\n")
        self.internal = internal
        self.first_party = first_party
        self.package = module if is_package else module.rpartition(".")[0]
        self.exclude_type_checking = exclude_type_checking_imports

    def adjust(self, words: list[str], local_imports: LocalImports, has_strings: bool) -> ModuleAdjustments | None:
        try:
            tree = ast.parse(self.text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None  # grimp reports syntax errors when it builds the graph
        statements: list[_Statement] = []
        _collect(tree.body, self.package, statements, local=False, type_checking=False)
        judged = [s for s in statements if not (s.type_checking and self.exclude_type_checking)]
        local_lines = frozenset(s.line for s in judged if s.local) if local_imports != "error" else frozenset()
        if local_imports == "none":
            for line in local_lines:
                self._remove_line(line, None)
            judged = [s for s in judged if not s.local]
        strings = self._string_imports() if has_strings else []
        comments = [c for word in words for c in find_ignore_comments(self.text, word)]
        taken_out, removed = self._apply_comments(comments, judged, strings)
        out = {(t.line, t.name) for t in taken_out}
        kept_strings = [s for s in strings if (s.line, s.name) not in out]
        for string in kept_strings:
            if not any(d["line_number"] == string.line for d in self._details(string.imported)):
                self.graph.add_import(
                    importer=self.module, imported=string.imported, line_number=string.line, line_contents=string.contents
                )
        external_lines = _external_lines(judged, self.first_party)
        return ModuleAdjustments(
            comments=tuple(comments),
            taken_out=tuple(taken_out),
            removed=tuple(removed),
            local_lines=local_lines,
            string_imports=tuple(kept_strings),
            external_lines=external_lines if comments else frozenset(),
        )

    def _string_imports(self) -> list[StringImport]:
        """String literals naming a project module or a name in one, as tach's string imports."""
        found = []
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(self.text).readline))
        except (tokenize.TokenError, SyntaxError):
            return []
        for token in tokens:
            if token.type != tokenize.STRING:
                continue
            prefix = token.string[: len(token.string) - len(token.string.lstrip("rRuUbBfF"))]
            if any(letter in prefix.lower() for letter in "bf"):
                continue
            try:
                value = ast.literal_eval(token.string)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                continue
            imported = _module_named(value, self.internal) if isinstance(value, str) else None
            if imported is not None and imported != self.module:
                line = token.start[0]
                found.append(StringImport(line, value, imported, self.lines[line - 1].strip()))
        return found

    def _apply_comments(
        self, comments: list[IgnoreComment], statements: list[_Statement], strings: list[StringImport]
    ) -> tuple[list[TakenOut], list[RemovedImport]]:
        active = {c.applies_to: c for c in comments if not c.redundant}
        if not active:
            return [], []
        taken_out: list[TakenOut] = []
        kept: dict[int, set[str]] = {}
        dropped: dict[int, set[str]] = {}
        unadded: dict[tuple[int, str], StringImport] = {}
        items = [(s.line, name, name_line) for s in statements for name, name_line in s.names]
        items += [(s.line, s.name, s.line) for s in strings]
        targets = {line: self._targets(line) for line, _, _ in items}
        for line, name, name_line in items:
            comment = next(
                (
                    c
                    for c in (active.get(line), active.get(name_line))
                    if c is not None and (not c.names or any(name.endswith(n) for n in c.names))
                ),
                None,
            )
            string = next((s for s in strings if (s.line, s.name) == (line, name)), None)
            target = string.imported if string else _target(name, targets[line])
            if comment is None:
                if target is not None:
                    kept.setdefault(line, set()).add(target)
                continue
            taken_out.append(TakenOut(line, name, target, self.lines[line - 1].strip(), comment.line))
            if string is not None:
                unadded.setdefault((line, target), string)
            elif target is not None:
                dropped.setdefault(line, set()).add(target)
        removed: list[RemovedImport] = []
        for line, names in dropped.items():
            for imported in sorted(names - kept.get(line, set())):
                removed.extend(self._remove_line(line, imported))
        # A string import taken out is never added; it is kept to be put back like the others.
        removed += [
            RemovedImport(string.imported, line, string.contents, False, False)
            for (line, imported), string in unadded.items()
            if imported not in kept.get(line, set()) and imported not in dropped.get(line, set())
        ]
        return taken_out, removed

    def _targets(self, line: int) -> set[str]:
        return {
            imported
            for imported in self.graph.find_modules_directly_imported_by(self.module)
            if any(d["line_number"] == line for d in self._details(imported))
        }

    def _details(self, imported: str) -> list[dict]:
        return self.graph.get_import_details(importer=self.module, imported=imported)

    def _remove_line(self, line: int, imported: str | None) -> list[RemovedImport]:
        """Take the import of `imported` (of every module, for None) at `line` out of the graph."""
        removed = []
        for target in [imported] if imported is not None else sorted(self._targets(line)):
            details = self._details(target)
            gone = [d for d in details if d["line_number"] == line]
            if not gone:
                continue
            external = self.graph.is_module_squashed(target)
            self.graph.remove_import(importer=self.module, imported=target)
            for detail in details:
                if detail["line_number"] != line:
                    self.graph.add_import(
                        importer=self.module,
                        imported=target,
                        line_number=detail["line_number"],
                        line_contents=detail["line_contents"],
                        is_lazy=detail["is_lazy"],
                    )
            removed.extend(
                RemovedImport(target, line, detail["line_contents"], detail["is_lazy"], external) for detail in gone
            )
        return removed


def _collect(body: list[ast.stmt], package: str, out: list[_Statement], *, local: bool, type_checking: bool) -> None:
    """The import statements in `body`, with what tach counts as local (inside a block)."""
    for node in body:
        if isinstance(node, ast.Import):
            names = tuple((alias.name, alias.lineno) for alias in node.names)
            out.append(_Statement(node.lineno, names, local, type_checking))
        elif isinstance(node, ast.ImportFrom):
            base = absolute_module(package, node.module, node.level)
            if base is not None:
                names = tuple((f"{base}.{alias.name}", alias.lineno) for alias in node.names)
                out.append(_Statement(node.lineno, names, local, type_checking))
        elif isinstance(node, ast.Match):
            for case in node.cases:
                _collect(case.body, package, out, local=local, type_checking=type_checking)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            _collect(node.body, package, out, local=True, type_checking=True)
            _collect(node.orelse, package, out, local=True, type_checking=type_checking)
        elif isinstance(node, _LOCAL_BLOCKS):
            for child in _bodies(node):
                _collect(child, package, out, local=True, type_checking=type_checking)


def _external_lines(statements: list[_Statement], first_party: frozenset[str]) -> frozenset[int]:
    """The lines of import statements taking names from outside the project: the statement's
    first line and the lines of those names."""
    return frozenset(
        line
        for statement in statements
        for name, name_line in statement.names
        if name.split(".")[0] not in first_party
        for line in (statement.line, name_line)
    )


def external_import_lines(
    text: str, package: str, first_party: frozenset[str], *, exclude_type_checking_imports: bool
) -> frozenset[int]:
    """The lines of a module's import statements (judged ones) taking names from outside the project."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return frozenset()
    statements: list[_Statement] = []
    _collect(tree.body, package, statements, local=False, type_checking=False)
    judged = [s for s in statements if not (s.type_checking and exclude_type_checking_imports)]
    return _external_lines(judged, first_party)


def _module_named(value: str, internal: set[str]) -> str | None:
    """The project module a string names, itself or a name in it, as tach reads string imports: at
    least two dots, and only letters, digits, `_` and `*` between them."""
    if value.count(".") < _STRING_IMPORT_DOTS:
        return None
    parts = value.split(".")
    if not all(part and all(c.isalnum() or c in "_*" for c in part) for part in parts):
        return None
    if value in internal:
        return value
    parent = value.rpartition(".")[0]
    return parent if parent in internal else None


def _target(name: str, targets: set[str]) -> str | None:
    """The module grimp recorded for an imported name: the longest of the line's imported modules
    that is the name or holds it."""
    holding = [t for t in targets if name == t or name.startswith(t + ".")]
    return max(holding, key=len) if holding else None


def _bodies(node: ast.stmt) -> list[list[ast.stmt]]:
    bodies = [getattr(node, name, None) for name in ("body", "orelse", "finalbody")]
    handlers = [handler.body for handler in getattr(node, "handlers", [])]
    return [body for body in bodies if isinstance(body, list)] + handlers


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def demote_local_imports(violations: list[Violation], adjustments: ImportAdjustments) -> tuple[list[Violation], list[str]]:
    """With `local_imports = "warn"`: the lines of imports inside blocks leave the violations and
    become warnings; a violation each of whose chains needs such an import becomes a warning."""
    if adjustments.options.local_imports != "warn":
        return violations, []
    kept: list[Violation] = []
    warnings: list[str] = []
    for violation in violations:
        chains = []
        local: list[tuple[ImportLink, int]] = []
        for chain in violation.chains:
            links = []
            for link in chain:
                lines = adjustments.local_lines(link.importer)
                pairs = [(n, c) for n, c in zip(link.line_numbers, link.line_contents) if n not in lines]
                local += [(link, n) for n in link.line_numbers if n in lines]
                if link.line_numbers and not pairs:
                    break
                links.append(
                    link.model_copy(
                        update={"line_numbers": tuple(n for n, _ in pairs), "line_contents": tuple(c for _, c in pairs)}
                    )
                )
            else:
                chains.append(tuple(links))
        warnings += [
            f"{file}:{line}: {violation.message} (an import inside a block; such imports only warn)"
            for file, line in sorted({(link.file or link.importer, line) for link, line in local})
        ]
        if not local:
            kept.append(violation)
        elif chains:
            first = chains[0][0].line_numbers if chains[0] else ()
            line = violation.line if violation.line is None or not first or violation.line in first else first[0]
            kept.append(violation.model_copy(update={"chains": tuple(chains), "line": line}))
    return kept, warnings
