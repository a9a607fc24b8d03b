"""tach's configuration (`tach.toml`, or `[tool.tach]` in pyproject.toml), read as tach 0.35 reads
it and turned into Strataview rules.

- Each module with `depends_on` or `cannot_depend_on` becomes a `dependencies` rule. tach's
  model comes along: code belongs to the nearest declared module (`declared_modules`), utility
  modules may be imported by all, external packages are not judged (tach checks them with
  `check-external`), a dependency marked `deprecated` is allowed (tach only warns), `unchecked`
  modules are not judged, and a module omitting `depends_on` may import any module.
- `layers` (names, or tables with `closed`) become a `layers` rule over the layered modules;
  an import into a lower layer needs no declaration (unless `layers_explicit_depends_on`), and a
  closed layer becomes a `forbidden` rule (direct imports only) from the layers above it to
  those below it. Strataview's layers also catch indirect imports, which tach does not. A
  layered module inside another is a unit of its own: the imports to and from it are judged by
  `dependencies` rules forbidding the higher layers (see `nested_layer_rules`).
- `[[interfaces]]` become one `interface` rule per module they apply to (`from` is a list of
  regular expressions; left out, every module), with `expose`; interfaces with `visibility`
  become `expose_to` surfaces (`exclusive` carried over), and `data_types = "primitive"` a
  `contract_types` rule allowing builtins only.
- A module's `visibility` becomes a `protected` rule; as tach does, a module declaring a
  dependency on a module whose visibility excludes it is a configuration error, and so is a
  cycle of declared dependencies with `forbid_circular_dependencies`.
- `exclude` patterns (matched as .gitignore matches, see `_path_glob`) that name packages or
  modules (`tests`, `**/tests`, `shop/legacy/`) leave their code out as importers, and out of
  the modules a glob declares; `ignore_type_checking_imports` (tach's default: true) leaves out imports
  under `if TYPE_CHECKING:`; `root_module` other than "ignore" makes the code outside every
  module the `<root>` module with its own `depends_on` (empty unless declared), every package
  under the source roots then analysed; a configuration declaring no module analyses them all.
- Module paths that do not exist are skipped, as tach skips them with a warning.
- Each `tach.domain.toml` below a source root adds its modules and interfaces, their paths
  relative to its package (`//` for absolute ones, `<domain_root>` and `[root]` for the package).
- `source_roots` become the session's `source_roots`, as tach takes them (see `_source_roots`).
- `exact` gives the `dependencies` rules `exact`, each declared dependency an `exact_entries`
  entry with the modules whose imports use it as tach finds them (see `dependencies_rule`); a
  module declared by a glob is not checked, an unchecked one uses none of its dependencies.
- `tach check-external` becomes one `external` rule per package (see `external_rules`) where the
  configuration uses its settings, checked with the others: modules' `depends_on_external` and `cannot_depend_on_external` become its
  `restrictions`, `[external]` its `ignore_distributions` and `provided_by`, `[rules]
  unused_external_dependencies` its `unused`.
- `# tach-ignore` directives become the session's `ignore_comments` (none while
  `unused_ignore_directives` is "off": tach 0.35 then honours none), and `[rules]`
  `unused_ignore_directives` and `require_ignore_directive_reasons` an `ignore_comments` rule;
  `[rules] local_imports`, `include_string_imports` and `respect_gitignore` (tach's default: true)
  become the session options of those names (core.import_adjustments).

Not followed: with several root packages, the root module's unused dependencies are judged per
package (with `root_module = "ignore"`, all are unused, as in tach).
"""

from __future__ import annotations

import ast
import os
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.config.native import read_toml
from core.config.schema import LoadedConfig, build_config, toml_code
from core.contracts.code import absolute_module
from core.errors import ConfigError
from core.expressions import is_in_package, name_and_ancestors

ROOT_MODULE = "<root>"
TOP_LEVEL = {
    "modules",
    "interfaces",
    "layers",
    "cache",
    "external",
    "map",
    "exclude",
    "source_roots",
    "exact",
    "ignore_type_checking_imports",
    "include_string_imports",
    "forbid_circular_dependencies",
    "layers_explicit_depends_on",
    "respect_gitignore",
    "root_module",
    "rules",
    "plugins",
}
MODULE_KEYS = {
    "path",
    "paths",
    "depends_on",
    "depends_on_external",
    "cannot_depend_on",
    "cannot_depend_on_external",
    "layer",
    "visibility",
    "utility",
    "unchecked",
    "strict",
}
INTERFACE_KEYS = {"expose", "from", "visibility", "data_types", "exclusive"}
ROOT_MODULE_TREATMENTS = ("ignore", "allow", "dependenciesonly", "forbid")
BUILTIN_TYPES = "builtins"


@dataclass(frozen=True)
class Dependency:
    path: str
    deprecated: bool = False
    place: tuple[Path, int] | None = None
    """The file and line declaring it."""


@dataclass
class Module:
    path: str
    line: int | None
    depends_on: list[Dependency] | None = None
    cannot_depend_on: list[Dependency] = field(default_factory=list)
    layer: str | None = None
    visibility: list[str] = field(default_factory=lambda: ["*"])
    utility: bool = False
    unchecked: bool = False
    from_glob: bool = False
    strict: bool = False
    depends_on_external: list[str] | None = None
    cannot_depend_on_external: list[str] = field(default_factory=list)


@dataclass
class Interface:
    expose: list[str]
    from_modules: list[str] | None
    visibility: list[str] | None
    primitive: bool
    exclusive: bool
    line: int | None


@dataclass
class Layer:
    name: str
    closed: bool


class _Reader:
    """Reads one tach table, naming the file and the place of every problem."""

    def __init__(self, path: Path, table: dict[str, Any], text: str, prefix: str) -> None:
        self.path = path
        self.table = table
        self.prefix = prefix
        lines = text.splitlines()
        self.lines = lines
        self.module_lines = _header_lines(lines, f"{prefix}modules")
        self.interface_lines = _header_lines(lines, f"{prefix}interfaces")
        self.key_lines = {key: _key_line(lines, key) for key in TOP_LEVEL}

    def error(self, message: str, place: str | None = None) -> ConfigError:
        return ConfigError(message, file=str(self.path), place=place)

    def top_place(self, key: str) -> str:
        line = self.key_lines.get(key)
        return (f"line {line}, " if line else "") + f"option '{key}'"

    def option(self, key: str, kind: Callable[[Any], bool], expected: str, default: Any) -> Any:
        if key not in self.table:
            return default
        value = self.table[key]
        if not kind(value):
            raise self.error(f"expected {expected} (got {value!r})", self.top_place(key))
        return value


def load_tach(path: Path, table: dict[str, Any], text: str, *, nested: bool) -> LoadedConfig:
    """Turn tach's table (the whole of tach.toml, or `[tool.tach]`) into a Strataview configuration."""
    reader = _Reader(path, table, text, "tool.tach." if nested else "")
    section = "[tool.tach]" if nested else "top level"
    unknown = sorted(set(table) - TOP_LEVEL)
    if unknown:
        line = _key_line(text.splitlines(), unknown[0])
        raise reader.error(
            f"unknown option '{unknown[0]}' (tach accepts: {', '.join(sorted(TOP_LEVEL))})",
            (f"line {line}, " if line else "") + section,
        )
    root = path.parent.resolve()
    source_roots, unread_roots = _source_roots(reader, root)
    treatments = ", ".join(f'"{treatment}"' for treatment in ROOT_MODULE_TREATMENTS)
    root_module = reader.option("root_module", lambda v: v in ROOT_MODULE_TREATMENTS, f"one of {treatments}", "ignore")
    settings = _rule_settings(reader)
    layers = _layers(reader)
    tree = _SourceTree(source_roots)
    declared = _module_entries(reader)
    interfaces = _interfaces(reader)
    if not nested and any(module.strict for module in declared):  # tach migrates tach.toml only
        interfaces = _strict_interfaces(declared, tree)
    for domain_modules, domain_interfaces in _domains(tree):
        declared += domain_modules
        interfaces += domain_interfaces
    excluded = _outermost(_excluded(reader, tree, root) + _unread(tree, unread_roots))
    modules = _concrete_modules(reader, declared, tree, excluded)
    _check_declarations(reader, modules, layers, root_module)

    roots = sorted({m.path.split(".")[0] for m in modules if m.path != ROOT_MODULE})
    if root_module != "ignore" or not roots:
        # The packages holding no module are the root module's code; a configuration declaring no
        # module still has code that tach's check-external judges.
        packages = {name for name, path in tree.module_paths() if "." not in name and path.is_dir()}
        roots = sorted(set(roots) | packages - set(excluded))
    if not roots:
        raise reader.error("no Python package lies in the source roots, and tach's [[modules]] name none", section)
    for package in roots:
        if not tree.is_package(package):
            raise reader.error(
                f"tach module '{package}' is a top-level module file; Strataview analyses packages "
                "(directories), so declare the modules inside a package",
                reader.top_place("modules"),
            )
    # Excluded code outside the analysed packages is not analysed at all.
    excluded = [module for module in excluded if module.split(".")[0] in roots]
    builder = _RuleBuilder(reader, modules, layers, interfaces, roots, root_module, excluded, tree)
    rules, rule_lines = builder.build()
    comments_rule = _ignore_directives_rule(settings, excluded)
    if comments_rule is not None:
        rules.append(comments_rule)
        line = _header_line(reader.lines, f"{reader.prefix}rules")
        if line:
            rule_lines[comments_rule["id"]] = line
    session = {
        "root_packages": roots,
        "source_roots": [str(directory) for directory in source_roots],
        "exclude_type_checking_imports": reader.option(
            "ignore_type_checking_imports", _is_bool, "true or false", True
        ),
        # tach 0.35 honours no directive at all once unused ones are "off".
        "ignore_comments": [] if settings["unused_ignore_directives"] == "off" else [IGNORE_DIRECTIVE],
        "local_imports": _ALERTING[settings["local_imports"]],
        "include_string_imports": reader.option("include_string_imports", _is_bool, "true or false", False),
        "respect_gitignore": _respect_gitignore(reader),
    }
    config = build_config(
        session,
        rules,
        file=str(path),
        rule_line=lambda index, rule_id: rule_lines.get(str(rule_id)),
        section=section,
    )
    return LoadedConfig(
        config=config, file=path, format="tach", rule_lines=rule_lines, entry_places=builder.entry_places
    )


RULE_SETTINGS = {
    "unused_ignore_directives": "warn",
    "require_ignore_directive_reasons": "off",
    "unused_external_dependencies": "error",
    "local_imports": "error",
}
IGNORE_DIRECTIVE = "tach-ignore"
_ALERTING = {"error": "error", "warn": "warn", "off": "none"}


def _rule_settings(reader: _Reader) -> dict[str, str]:
    """tach's `[rules]` ("error", "warn" or "off" each), with tach's defaults; tach passes over
    keys it does not know."""
    table = reader.option("rules", lambda v: isinstance(v, dict), "a table ([rules])", {})
    settings = dict(RULE_SETTINGS)
    for key in RULE_SETTINGS:
        if key in table:
            if table[key] not in _ALERTING:
                line = _key_line(reader.lines, key)
                raise reader.error(
                    f'expected "error", "warn" or "off" (got {table[key]!r})',
                    (f"line {line}, " if line else "") + f"[{reader.prefix}rules], option '{key}'",
                )
            settings[key] = table[key]
    return settings


def _ignore_directives_rule(settings: dict[str, str], excluded: list[str]) -> dict[str, Any] | None:
    """tach's checks of its `# tach-ignore` directives: unused ones and missing reasons."""
    unused, reasons = settings["unused_ignore_directives"], settings["require_ignore_directive_reasons"]
    if unused == "off" and reasons == "off":
        return None
    rule: dict[str, Any] = {
        "id": IGNORE_DIRECTIVE,
        "name": f"tach's '# {IGNORE_DIRECTIVE}' directives are used and say why",
        "type": "ignore_comments",
        "comment": IGNORE_DIRECTIVE,
        "unused": _ALERTING[unused],
        "missing_reason": _ALERTING[reasons],
    }
    if excluded:
        rule["exclude"] = excluded
    return rule


def _respect_gitignore(reader: _Reader) -> bool | str:
    """tach's `respect_gitignore`: true (the default), false, or "if_git_repo"."""
    return reader.option(
        "respect_gitignore", lambda v: isinstance(v, bool) or v == "if_git_repo", 'true, false or "if_git_repo"', True
    )


def _source_roots(reader: _Reader, root: Path) -> tuple[list[Path], list[Path]]:
    """tach's source roots as tach 0.35 takes them: their directories, and those of them whose
    code tach does not read (see `_walked_by_tach`), though imports of their modules count.

    Entries are relative to the project root (an absolute one must lie inside it); one that is
    not a directory is skipped without a word.
    """
    entries = reader.option("source_roots", _is_string_list, "a list of paths", ["."])
    found: list[Path] = []
    unread: list[Path] = []
    for entry in entries:
        if Path(entry).is_absolute() and not Path(entry).is_relative_to(root):
            raise reader.error(
                f"source root '{entry}' does not lie within the project root ({root})", reader.top_place("source_roots")
            )
        directory = Path(os.path.normpath(root / entry))
        if not directory.is_dir():
            continue
        found.append(directory)
        if not _walked_by_tach(root, entry):
            unread.append(directory)
    return found, unread


def _walked_by_tach(root: Path, entry: str) -> bool:
    """Whether tach reads the code in the source root `entry`. tach walks down from the project
    root into a directory only if the root's path, as text, starts with the directory's, until it
    reaches the root (compared by path parts, where a `.` part drops out): so not a root outside
    the project, nor one written with `..`, nor with `.` before two or more names (`./libs/api`,
    `libs/./api/src`; `./libs` and `libs/./api` are read)."""
    joined = entry if entry.startswith("/") else f"{root.as_posix()}/{entry}"
    parts = [part for part in joined.split("/") if part not in ("", ".")]
    project = list(root.parts[1:])
    if ".." in parts or parts[: len(project)] != project:
        return False
    return all(joined.startswith("/" + "/".join(parts[:end])) for end in range(len(project) + 1, len(parts)))


def _layers(reader: _Reader) -> list[Layer]:
    raw = reader.option("layers", lambda v: isinstance(v, list), "a list of layer names", [])
    layers = []
    for entry in raw:
        if isinstance(entry, str):
            layers.append(Layer(entry, False))
        elif isinstance(entry, dict) and set(entry) <= {"name", "closed"} and isinstance(entry.get("name"), str):
            closed = entry.get("closed", False)
            if not isinstance(closed, bool):
                raise reader.error(f"'closed' must be true or false (got {closed!r})", reader.top_place("layers"))
            layers.append(Layer(entry["name"], closed))
        else:
            raise reader.error(
                f"a layer is a name or a table {{name = ..., closed = ...}} (got {entry!r})", reader.top_place("layers")
            )
    names = [layer.name for layer in layers]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise reader.error(f"layer '{repeated[0]}' is listed more than once", reader.top_place("layers"))
    return layers


class _SourceTree:
    """The Python modules under the source roots, as tach sees them, found on demand."""

    def __init__(self, source_roots: list[Path]) -> None:
        self.source_roots = source_roots
        self._all: list[tuple[str, Path]] | None = None

    def exists(self, module: str) -> bool:
        parts = module.split(".")
        for root in self.source_roots:
            base = root.joinpath(*parts)
            if base.with_suffix(".py").is_file() or (base.is_dir() and _holds_python(base)):
                return True
        return False

    def names_imported_by(self, package: str) -> set[str]:
        """The names a package's `__init__.py` imports, relative imports resolved."""
        names: set[str] = set()
        for root in self.source_roots:
            init = root.joinpath(*package.split("."), "__init__.py")
            try:
                tree = ast.parse(init.read_text(encoding="utf-8"))
            except (OSError, SyntaxError, ValueError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom):
                    base = absolute_module(package, node.module, node.level)
                    if base is not None:
                        names.update(f"{base}.{alias.name}" for alias in node.names)
        return names

    def listed_names(self, module: str) -> list[str]:
        """The names a module's `__all__` lists, as tach reads them: the strings of each list
        assigned to it at the module's top level (none when it cannot be read)."""
        parts = module.split(".")
        for root in self.source_roots:
            base = root.joinpath(*parts)
            candidates = [base / "__init__.pyi", base / "__init__.py"] + [base.with_suffix(s) for s in (".pyi", ".py")]
            file = next((candidate for candidate in candidates if candidate.is_file()), None)
            if file is None:
                continue
            try:
                body = ast.parse(file.read_text(encoding="utf-8")).body
            except (OSError, SyntaxError, ValueError):
                return []
            return [
                element.value
                for node in body
                if isinstance(node, ast.Assign)
                and any(isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets)
                and isinstance(node.value, ast.List)
                for element in node.value.elts
                if isinstance(element, ast.Constant) and isinstance(element.value, str)
            ]
        return []

    def is_package(self, module: str) -> bool:
        return any(root.joinpath(*module.split(".")).is_dir() for root in self.source_roots)

    def all_modules(self) -> list[str]:
        return [module for module, _ in self.module_paths()]

    def module_paths(self) -> list[tuple[str, Path]]:
        """Every package (directory) and module (file) holding Python code, by name."""
        if self._all is None:
            found: dict[str, Path] = {}
            for root in self.source_roots:
                for directory, subdirectories, files in os.walk(root):
                    subdirectories[:] = sorted(d for d in subdirectories if d.isidentifier())
                    relative = Path(directory).relative_to(root).parts
                    python = sorted(name for name in files if name.endswith(".py") and name[:-3].isidentifier())
                    if relative and python:
                        found.setdefault(".".join(relative), Path(directory))
                    for name in python:
                        if name != "__init__.py":
                            found.setdefault(".".join((*relative, name[:-3])), Path(directory) / name)
            self._all = sorted(found.items())
        return self._all


def _holds_python(directory: Path) -> bool:
    return any(name.endswith(".py") for _, _, files in os.walk(directory) for name in files)


def _module_entries(reader: _Reader) -> list[Module]:
    raw = reader.option("modules", lambda v: isinstance(v, list), "an array of tables ([[modules]])", [])
    declared: list[Module] = []
    for index, entry in enumerate(raw):
        line = reader.module_lines[index] if index < len(reader.module_lines) else None
        place = (f"line {line}, " if line else "") + f"[[modules]] #{index + 1}"
        if not isinstance(entry, dict):
            raise reader.error("a module is a table ([[modules]])", place)
        declared.extend(_module_entry(reader, entry, line, place))
    return declared


def _concrete_modules(reader: _Reader, declared: list[Module], tree: _SourceTree, excluded: list[str]) -> list[Module]:
    """The declared modules with globs expanded over the code not excluded (a module declared by
    name wins over a glob) and those that do not exist left out."""
    concrete: dict[str, Module] = {}
    for module in declared:
        if module.path == ROOT_MODULE or "*" not in module.path:
            previous = concrete.get(module.path)
            if previous is not None and not previous.from_glob:
                raise reader.error(
                    f"module '{module.path}' is defined more than once",
                    f"line {module.line}" if module.line else None,
                )
            concrete[module.path] = module
            continue
        pattern = _glob(module.path)
        for name in tree.all_modules():
            if any(is_in_package(name, e) for e in excluded):
                continue
            if pattern.fullmatch(name) and (name not in concrete or concrete[name].from_glob):
                concrete[name] = Module(**{**module.__dict__, "path": name, "from_glob": True})
    return [m for m in concrete.values() if m.path == ROOT_MODULE or tree.exists(m.path)]


def _module_entry(reader: _Reader, entry: dict[str, Any], line: int | None, place: str) -> list[Module]:
    unknown = sorted(set(entry) - MODULE_KEYS)
    if unknown:
        raise reader.error(f"unknown option '{unknown[0]}' (a module accepts: {', '.join(sorted(MODULE_KEYS))})", place)
    if ("path" in entry) == ("paths" in entry):
        raise reader.error("a module needs either 'path' or 'paths'", place)

    def value(key: str, kind: Callable[[Any], bool], expected: str, default: Any) -> Any:
        if key not in entry:
            return default
        if not kind(entry[key]):
            raise reader.error(f"expected {expected} (got {entry[key]!r})", f"{place}, option '{key}'")
        return entry[key]

    paths = [value("path", _is_string, "a module path", "")] if "path" in entry else value(
        "paths", _is_string_list, "a list of module paths", []
    )
    depends_on = _dependencies(reader, entry, "depends_on", place, line) if "depends_on" in entry else None
    cannot = _dependencies(reader, entry, "cannot_depend_on", place, line) if "cannot_depend_on" in entry else []
    external = {
        key: value(key, _is_string_list, "a list of package names", None)
        for key in ("depends_on_external", "cannot_depend_on_external")
    }
    layer = value("layer", _is_string, "a layer name", None)
    visibility = value("visibility", _is_string_list, "a list of module paths", ["*"])
    flags = {key: value(key, _is_bool, "true or false", False) for key in ("utility", "unchecked", "strict")}
    return [
        Module(
            path=path,
            line=line,
            depends_on=list(depends_on) if depends_on is not None else None,
            cannot_depend_on=list(cannot),
            layer=layer,
            visibility=list(visibility),
            utility=flags["utility"],
            unchecked=flags["unchecked"],
            strict=flags["strict"],
            depends_on_external=external["depends_on_external"],
            cannot_depend_on_external=external["cannot_depend_on_external"] or [],
        )
        for path in paths
    ]


def _dependencies(
    reader: _Reader, entry: dict[str, Any], key: str, place: str, table_line: int | None
) -> list[Dependency]:
    raw = entry[key]
    where = f"{place}, option '{key}'"
    if not isinstance(raw, list):
        raise reader.error(f"expected a list of module paths (got {raw!r})", where)
    dependencies = []
    for item in raw:
        if isinstance(item, str):
            dependencies.append(Dependency(item, place=_dependency_place(reader, table_line, key, item)))
        elif isinstance(item, dict) and "path" in item and set(item) <= {"path", "deprecated"}:
            if not isinstance(item["path"], str) or not isinstance(item.get("deprecated", False), bool):
                raise reader.error(f"a dependency table is {{path = \"...\", deprecated = true}} (got {item!r})", where)
            dependency_place = _dependency_place(reader, table_line, key, item["path"])
            dependencies.append(Dependency(item["path"], item.get("deprecated", False), dependency_place))
        else:
            raise reader.error(
                f"a dependency is a module path or a table {{path = \"...\", deprecated = true}} (got {item!r})", where
            )
    return dependencies


def _dependency_place(reader: _Reader, table_line: int | None, key: str, path: str) -> tuple[Path, int] | None:
    """Where the module table starting at `table_line` names the dependency `path` in its option
    `key`: the first line from the option on quoting it, before the next table."""
    if table_line is None:
        return None
    lines = reader.lines
    option = re.compile(rf"\s*{re.escape(key)}\s*=")
    quoted = re.compile(rf"""(["']){re.escape(path)}\1""")
    found_key = None
    for number in range(table_line + 1, len(lines) + 1):
        text = toml_code(lines[number - 1])
        if text.lstrip().startswith("["):  # the next table
            break
        if found_key is None and option.match(text):
            found_key = number
        if found_key is not None and quoted.search(text):
            return reader.path, number
    return (reader.path, found_key) if found_key is not None else None


def _interfaces(reader: _Reader) -> list[Interface]:
    raw = reader.option("interfaces", lambda v: isinstance(v, list), "an array of tables ([[interfaces]])", [])
    interfaces = []
    for index, entry in enumerate(raw):
        line = reader.interface_lines[index] if index < len(reader.interface_lines) else None
        place = (f"line {line}, " if line else "") + f"[[interfaces]] #{index + 1}"
        if not isinstance(entry, dict):
            raise reader.error("an interface is a table ([[interfaces]])", place)
        unknown = sorted(set(entry) - INTERFACE_KEYS)
        if unknown:
            raise reader.error(
                f"unknown option '{unknown[0]}' (an interface accepts: {', '.join(sorted(INTERFACE_KEYS))})", place
            )
        if "expose" not in entry:
            raise reader.error("missing option 'expose'", place)
        for key in ("expose", "from", "visibility"):
            if key in entry and not _is_string_list(entry[key]):
                raise reader.error(f"expected a list of strings (got {entry[key]!r})", f"{place}, option '{key}'")
        for key in ("expose", "from"):
            for pattern in entry.get(key, []):
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise reader.error(
                        f"'{pattern}' is not a valid regular expression ({error})", f"{place}, option '{key}'"
                    ) from None
        data_types = entry.get("data_types", "all")
        if data_types not in ("all", "primitive"):
            raise reader.error(f'expected "all" or "primitive" (got {data_types!r})', f"{place}, option 'data_types'")
        exclusive = entry.get("exclusive", False)
        if not isinstance(exclusive, bool):
            raise reader.error(f"expected true or false (got {exclusive!r})", f"{place}, option 'exclusive'")
        interfaces.append(
            Interface(
                expose=list(entry["expose"]),
                from_modules=list(entry["from"]) if "from" in entry else None,
                visibility=list(entry["visibility"]) if "visibility" in entry else None,
                primitive=data_types == "primitive",
                exclusive=exclusive,
                line=line,
            )
        )
    return interfaces


def _strict_interfaces(modules: list[Module], tree: _SourceTree) -> list[Interface]:
    """The interfaces tach 0.35 makes of `strict` modules, in place of those the file declares
    (domain files come after): each strict module exposes the names its `__all__` lists."""
    return [
        Interface(
            expose=tree.listed_names(module.path),
            from_modules=[module.path],
            visibility=None,
            primitive=False,
            exclusive=False,
            line=module.line,
        )
        for module in modules
        if module.strict
    ]


DOMAIN_FILE = "tach.domain.toml"
DOMAIN_KEYS = {"root", "modules", "interfaces"}


def _domains(tree: _SourceTree) -> list[tuple[list[Module], list[Interface]]]:
    """The modules and interfaces of each `tach.domain.toml` below a source root, their paths made
    absolute: relative to the domain's package, `//` for an absolute path, `<domain_root>` for the
    package itself."""
    found = []
    for source_root in tree.source_roots:
        for directory, subdirectories, files in os.walk(source_root):
            subdirectories[:] = sorted(d for d in subdirectories if d.isidentifier())
            relative = Path(directory).relative_to(source_root).parts
            if DOMAIN_FILE in files and relative:
                found.append(_domain(Path(directory) / DOMAIN_FILE, ".".join(relative)))
    return found


def _domain(path: Path, domain: str) -> tuple[list[Module], list[Interface]]:
    data, text = read_toml(path)
    reader = _Reader(path, data, text, "")
    unknown = sorted(set(data) - DOMAIN_KEYS)
    if unknown:
        raise reader.error(f"unknown option '{unknown[0]}' (a domain accepts: {', '.join(sorted(DOMAIN_KEYS))})")

    def resolve(name: str) -> str:
        if name == ROOT_MODULE:
            return name
        if name.startswith("//"):
            return name[2:]
        return domain if name == "<domain_root>" else f"{domain}.{name}"

    modules = _module_entries(reader)
    root = data.get("root")
    if root is not None:
        line = _header_line(text.splitlines(), "root")
        place = (f"line {line}, " if line else "") + "[root]"
        if not isinstance(root, dict) or {"path", "paths"} & set(root):
            raise reader.error("[root] is a table of the domain package's options, without 'path'", place)
        modules += _module_entry(reader, {**root, "path": "<domain_root>"}, line, place)
    for module in modules:
        module.path = resolve(module.path)
        for dependency_list in (module.depends_on or [], module.cannot_depend_on):
            dependency_list[:] = [Dependency(resolve(d.path), d.deprecated, d.place) for d in dependency_list]
        module.visibility = [p if set(p) == {"*"} else resolve(p) for p in module.visibility]
    interfaces = _interfaces(reader)
    prefix = re.escape(domain)
    for interface in interfaces:
        interface.from_modules = [
            prefix if p == "<domain_root>" else p[2:] if p.startswith("//") else rf"{prefix}\.{p}"
            for p in interface.from_modules or [".*"]
        ]
        if interface.visibility is not None:
            interface.visibility = [p if set(p) == {"*"} else resolve(p) for p in interface.visibility]
        interface.line = None  # the rules' lines are those of the main configuration file
    for module in modules:
        module.line = None
    return modules, interfaces


def _check_declarations(reader: _Reader, modules: list[Module], layers: list[Layer], root_module: str) -> None:
    """What tach itself refuses before checking any import."""
    layer_names = {layer.name for layer in layers}
    by_path = {module.path: module for module in modules}
    for module in modules:
        place = f"line {module.line}, module '{module.path}'" if module.line else f"module '{module.path}'"
        if module.layer is not None and module.layer not in layer_names:
            raise reader.error(f"layer '{module.layer}' is not defined in 'layers'", place)
        for dependency in module.depends_on or []:
            target = by_path.get(dependency.path)
            if target is not None and not any(_glob(p, dotted=False).fullmatch(module.path) for p in target.visibility):
                raise reader.error(
                    f"'{module.path}' cannot depend on '{dependency.path}' because '{module.path}' does not match "
                    f"its visibility: {target.visibility}",
                    place,
                )
        references_root = module.path == ROOT_MODULE or any(
            d.path == ROOT_MODULE for d in module.depends_on or []
        )
        if root_module == "forbid" and references_root:
            raise reader.error(f"the root module ('{ROOT_MODULE}') is forbidden (root_module = \"forbid\")", place)
        if root_module == "dependenciesonly" and any(d.path == ROOT_MODULE for d in module.depends_on or []):
            raise reader.error(
                f"the root module ('{ROOT_MODULE}') may not be a dependency (root_module = \"dependenciesonly\")", place
            )
    if reader.option("forbid_circular_dependencies", _is_bool, "true or false", False):
        cyclic = _modules_on_cycles({m.path: [d.path for d in m.depends_on or []] for m in modules})
        if cyclic:
            raise reader.error(
                f"circular dependencies between the modules {', '.join(cyclic)} (forbid_circular_dependencies)",
                reader.top_place("forbid_circular_dependencies"),
            )


def _modules_on_cycles(edges: dict[str, list[str]]) -> list[str]:
    """The modules on a cycle of declared dependencies."""
    import networkx  # imported here: it costs a tenth of a second at every start-up

    graph = networkx.DiGraph((module, target) for module, targets in edges.items() for target in targets)
    return sorted(
        module
        for component in networkx.strongly_connected_components(graph)
        for module in component
        if len(component) > 1 or graph.has_edge(module, module)
    )


def _excluded(reader: _Reader, tree: _SourceTree, root: Path) -> list[str]:
    """The modules and packages (outermost only) whose files tach's `exclude` patterns match,
    as tach matches them (see `_path_glob`), a pattern matching a directory or a package's
    `__init__.py` excluding all of it."""
    patterns = reader.option("exclude", _is_string_list, "a list of path patterns", [])
    if not patterns:
        return []
    matchers = [_path_glob(pattern) for pattern in patterns]
    matched: dict[tuple[str, bool], bool] = {}  # a directory's verdict serves all the files below it

    def matches(prefix: str, is_directory: bool) -> bool:
        if (prefix, is_directory) not in matched:
            matched[prefix, is_directory] = any(
                regex.fullmatch(prefix) and (is_directory or not directories_only)
                for regex, directories_only in matchers
            )
        return matched[prefix, is_directory]

    excluded: list[str] = []
    excluded_set: set[str] = set()
    for module, path in tree.module_paths():
        if not excluded_set.isdisjoint(name_and_ancestors(module)) or not path.is_relative_to(root):
            continue
        parts = path.relative_to(root).parts
        directories = ["/".join(parts[:end]) for end in range(1, len(parts) + (path.is_dir()))]
        file = "/".join(parts) + ("/__init__.py" if path.is_dir() else "")
        if any(matches(directory, True) for directory in directories) or matches(file, False):
            excluded.append(module)
            excluded_set.add(module)
    return excluded


def _unread(tree: _SourceTree, directories: list[Path]) -> list[str]:
    """The modules and packages whose code lies in source roots tach does not read."""
    return [module for module, path in tree.module_paths() if any(path.is_relative_to(d) for d in directories)]


def _outermost(modules: list[str]) -> list[str]:
    """The modules not inside another of `modules`, in order, once each."""
    kept: list[str] = []
    for module in sorted(set(modules), key=lambda name: name.count(".")):
        if not any(is_in_package(module, outer) for outer in kept):
            kept.append(module)
    return [module for module in dict.fromkeys(modules) if module in kept]


def _path_glob(pattern: str) -> tuple[re.Pattern[str], bool]:
    """An `exclude` pattern as tach 0.35 matches it, as .gitignore does: against the path
    relative to the project root if it holds a `/` before its end, else against the end of the
    path at any depth; ending with `/`, against directories only (the flag returned)."""
    pattern = pattern.replace("\\", "/")
    directories_only = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    anchored = "/" in pattern
    pattern = pattern.lstrip("/")
    regex = "" if anchored else "(?:.*/)?"
    for token in re.split(r"(\*\*/|\*\*|\*|\?)", pattern):
        regex += {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(token, re.escape(token))
    return re.compile(regex), directories_only


class _RuleBuilder:
    def __init__(
        self,
        reader: _Reader,
        modules: list[Module],
        layers: list[Layer],
        interfaces: list[Interface],
        roots: list[str],
        root_module: str,
        excluded: list[str],
        tree: _SourceTree,
    ) -> None:
        self.reader = reader
        self.tree = tree
        self.layers = layers
        self.interfaces = interfaces
        self.roots = roots
        root_config = next((m for m in modules if m.path == ROOT_MODULE), None)
        self.root_config = root_config
        self.modules = [m for m in modules if m.path != ROOT_MODULE]
        if root_module != "ignore":
            # The code outside every module is one more module, with tach's default of no dependencies.
            self.root = root_config or Module(path=ROOT_MODULE, line=None, depends_on=[])
        else:
            self.root = None
        self.paths = sorted(m.path for m in self.modules)
        self.path_set = set(self.paths)
        self.layer_index = {layer.name: i for i, layer in enumerate(layers)}
        self.layer_of = {m.path: self.layer_index[m.layer] for m in self.modules if m.layer is not None}
        self.excluded = excluded
        self.rules: list[dict[str, Any]] = []
        self.lines: dict[str, int] = {}
        self.entry_places: dict[tuple[str, str], tuple[Path, int]] = {}
        self.exact = reader.option("exact", _is_bool, "true or false", False)

    @property
    def declared(self) -> list[str]:
        units = list(self.paths)
        if self.root is not None:
            units += [package for package in self.roots if package not in units]
        return units

    def expand(self, patterns: Iterable[str], *, dotted: bool = True) -> list[str]:
        """The modules (or, for `<root>`, the root packages) that tach's glob patterns name."""
        found: set[str] = set()
        for pattern in patterns:
            if pattern == ROOT_MODULE:
                if self.root is not None:
                    found.update(self.roots)
                continue
            matcher = _glob(pattern, dotted=dotted)
            found.update(path for path in self.paths if matcher.fullmatch(path))
        return sorted(found)

    def add(self, rule: dict[str, Any], line: int | None) -> None:
        self.rules.append(rule)
        if line:
            self.lines[rule["id"]] = line

    def build(self) -> tuple[list[dict[str, Any]], dict[str, int]]:
        for module in self.modules:
            self.dependencies_rule(module, module.path)
        if self.root is not None:
            for package in self.roots:
                if package not in self.paths:
                    self.dependencies_rule(self.root, package, rule_id=f"{ROOT_MODULE}.{package}.depends_on")
        elif self.root_config is not None and self.root_config.depends_on and self.exact:
            # tach judges none of the root module's imports, so none of its dependencies is used.
            self.unused_dependencies_rule(self.root_config, self.roots[0], f"{ROOT_MODULE}.depends_on")
        self.layer_rules()
        self.interface_rules()
        self.visibility_rules()
        self.external_rules()
        return self.rules, self.lines

    def dependencies_rule(self, module: Module, path: str, rule_id: str | None = None) -> None:
        """The rule for the code of `module` (for the root module, that of one root package)."""
        rule_id = rule_id or f"{module.path}.depends_on"
        # tach's `exact` checks the modules declared by name, not those a glob declares.
        exact = bool(module.depends_on) and not module.from_glob and self.exact
        if module.unchecked:
            if exact:
                # tach judges none of its imports, so none of its dependencies is ever used.
                self.unused_dependencies_rule(module, path, rule_id)
            return
        if module.depends_on is None and not module.cannot_depend_on:
            return
        own_layer = self.layer_of.get(module.path)
        explicit = self.reader.option("layers_explicit_depends_on", _is_bool, "true or false", False)
        # A lower layer may be imported freely (with explicit declarations, only down to a closed
        # layer); imports of higher layers and past closed layers are the layers rules' to judge.
        utilities = [m.path for m in self.modules if m.utility and m.path != module.path]
        lower, higher, past_closed = set(), set(), set()
        if own_layer is not None:
            for other in self.paths:
                layer = self.layer_of.get(other)
                if layer is None or layer == own_layer:
                    continue
                if layer < own_layer:
                    higher.add(other)
                elif any(between.closed for between in self.layers[own_layer + 1 : layer]):
                    past_closed.add(other)
                elif not explicit or other in utilities:
                    lower.add(other)
        elsewhere = higher | past_closed
        rule: dict[str, Any] = {
            "id": rule_id,
            "name": f"{path} imports only the modules {self.reader.path.name} declares",
            "type": "dependencies",
            "module": path,
            "external": True,
            "declared_modules": self.declared,
        }
        forbidden = [m for m in self.expand(d.path for d in module.cannot_depend_on) if m not in lower | elsewhere]
        if forbidden:
            rule["may_not_import"] = forbidden
        if module.depends_on is not None:
            declared = self.expand(d.path for d in module.depends_on)
            rule["may_import"] = sorted(set(declared) | set(utilities) | lower)
        if elsewhere:
            rule["judged_elsewhere"] = sorted(elsewhere)
        excluded = [e for e in self.excluded if is_in_package(e, path)]
        if excluded:
            rule["exclude"] = excluded
        if exact:
            # As tach finds them: an import uses a dependency when, undeclared, it would break
            # tach's dependency check (a higher layer's included), past a closed layer aside;
            # utilities (not forbidden ones, nor in a higher layer) and lower layers may be imported
            # undeclared, so declaring them is never needed.
            free = (set(utilities) - set(forbidden) - higher) | lower | past_closed
            rule["exact"] = True
            rule["exact_entries"] = {
                d.path: [m for m in self.expand([d.path]) if m not in free] for d in module.depends_on or []
            }
            self.add_exact(rule, module)
        else:
            self.add(rule, module.line)

    def unused_dependencies_rule(self, module: Module, path: str, rule_id: str) -> None:
        """A rule reporting all of `module`'s dependencies unused: tach judges none of its code."""
        rule = {
            "id": rule_id,
            "name": f"{module.path} uses the modules {self.reader.path.name} declares for it",
            "type": "dependencies",
            "module": path,
            "exclude": [path],
            "exact": True,
            "exact_entries": {d.path: [] for d in module.depends_on or []},
        }
        self.add_exact(rule, module)

    def add_exact(self, rule: dict[str, Any], module: Module) -> None:
        """Add a rule checking `module`'s dependencies with `exact`, each placed where it is declared."""
        self.add(rule, module.line)
        for dependency in module.depends_on or []:
            if dependency.place is not None:
                self.entry_places[(rule["id"], dependency.path)] = dependency.place

    def layer_rules(self) -> None:
        layered = [(m, self.layer_index[m.layer]) for m in self.modules if m.layer is not None]
        if not layered:
            return
        line = self.reader.key_lines.get("layers")
        layered_paths = [m.path for m, _ in layered]
        # A layered module inside another is a unit of its own (code belongs to the nearest module):
        # the layers rule orders the outermost ones, `nested_layer_rules` the imports involving the others.
        inner = {p for p in layered_paths if any(p.startswith(outer + ".") for outer in layered_paths)}
        outer = [(m.path, index) for m, index in layered if m.path not in inner]
        by_layer = [sorted(path for path, index in outer if index == i) for i in range(len(self.layers))]
        # Code of a module nested in a layered one is in no layer for tach; unchecked and excluded code
        # is not judged.
        inside_layers = [n for n in self.paths + self.excluded if any(n.startswith(p + ".") for p in layered_paths)]
        nested = [n for n in inside_layers if n in self.paths]
        unchecked = [m.path for m in self.modules if m.unchecked and m.layer is not None]
        excluded = [e for e in inside_layers if e in self.excluded]
        ignores = self.ignoring(importers=nested + unchecked + excluded, imported=nested)
        self.add(
            {
                "id": "layers",
                "name": "tach's layers: " + " over ".join(layer.name for layer in self.layers),
                "type": "layers",
                "layers": [" : ".join(paths) for paths in by_layer if paths],
                **ignores,
            },
            line,
        )
        for index, layer in enumerate(self.layers):
            above = [p for paths in by_layer[:index] for p in paths]
            below = [p for paths in by_layer[index + 1 :] for p in paths]
            if layer.closed and above and below:
                self.add(
                    {
                        "id": f"layers.closed.{layer.name}",
                        "name": f"tach's closed layer '{layer.name}': the layers above it do not reach below it",
                        "type": "forbidden",
                        "source_modules": above,
                        "forbidden_modules": below,
                        "allow_indirect_imports": True,
                        **ignores,
                    },
                    line,
                )
        self.nested_layer_rules(inner, line)

    def nested_layer_rules(self, inner: set[str], line: int | None) -> None:
        """tach's layers for the imports to or from a layered module nested in another, which the
        layers rule leaves out: for each layered module, a `dependencies` rule forbidding the layered
        modules of higher layers and those past a closed layer, where one of the two is nested."""
        if not inner:
            return
        for module in self.modules:
            own = self.layer_of.get(module.path)
            if own is None or module.unchecked:
                continue
            forbidden = sorted(
                other
                for other, layer in self.layer_of.items()
                if other != module.path
                and inner & {module.path, other}
                and (layer < own or any(between.closed for between in self.layers[own + 1 : layer]))
            )
            if not forbidden:
                continue
            rule: dict[str, Any] = {
                "id": f"{module.path}.layer",
                "name": f"{module.path} imports no module of a higher layer, nor one past a closed layer",
                "type": "dependencies",
                "module": module.path,
                "external": True,
                "declared_modules": self.declared,
                "may_not_import": forbidden,
            }
            excluded = [e for e in self.excluded if is_in_package(e, module.path)]
            if excluded:
                rule["exclude"] = excluded
            self.add(rule, line)

    def ignoring(self, *, importers: Iterable[str] = (), imported: Iterable[str] = ()) -> dict[str, Any]:
        """`ignore_imports` leaving out the imports made by some modules and those of others, with
        their descendants."""
        expressions = []
        for module in importers:
            expressions += [f"{module} -> **"] + ([f"{module}.** -> **"] if self.tree.is_package(module) else [])
        for module in imported:
            expressions += [f"** -> {module}"] + ([f"** -> {module}.**"] if self.tree.is_package(module) else [])
        if not expressions:
            return {}
        return {"ignore_imports": expressions, "unmatched_ignore_imports_alerting": "none"}

    def root_code(self) -> tuple[list[str], list[str]]:
        """The code outside every tach module: the packages and modules holding none (with their
        descendants), and the packages holding some (on their own)."""
        whole, alone = [], []
        for module in self.tree.all_modules():
            if module.split(".")[0] not in self.roots or self.owner(module) is not None:
                continue
            if any(is_in_package(module, w) for w in whole):
                continue
            if any(is_in_package(d, module) for d in self.paths):
                alone.append(module)
            else:
                whole.append(module)
        return whole, alone

    def interface_rules(self) -> None:
        unchecked = [m.path for m in self.modules if m.unchecked]
        for path in self.paths:
            applying = [
                interface
                for interface in self.interfaces
                if interface.from_modules is None or any(re.fullmatch(p, path) for p in interface.from_modules)
            ]
            if not applying:
                continue
            general = [i for i in applying if i.visibility is None]
            rule: dict[str, Any] = {
                "id": f"{path}.interface",
                "name": f"outside {path}, only what its tach interfaces expose",
                "type": "interface",
                "boundary": path,
                "declared_modules": self.declared,
            }
            if general:
                rule["expose"] = sorted({pattern for i in general for pattern in i.expose})
            restricted = [i for i in applying if i.visibility is not None]
            if restricted:
                rule["expose_to"] = [
                    {
                        "importers": self.expand(i.visibility or [], dotted=False),
                        "expose": i.expose,
                        "exclusive": i.exclusive,
                    }
                    for i in restricted
                ]
            if not general and not any(e["importers"] for e in rule.get("expose_to", [])):
                continue
            if unchecked or self.excluded:
                rule["allowed_importers"] = sorted(set(unchecked) | set(self.excluded))
            self.add(rule, applying[0].line)
            primitive = [i for i in applying if i.primitive]
            if primitive:
                self.add(
                    {
                        "id": f"{path}.data_types",
                        "name": f"{path} exposes primitive data types only",
                        "type": "contract_types",
                        "boundary": path,
                        "interface": self.interface_modules(path, primitive),
                        "allowed": [BUILTIN_TYPES],
                    },
                    primitive[0].line,
                )

    def interface_modules(self, boundary: str, interfaces: list[Interface]) -> list[str]:
        """The boundary, and its modules (not those of nested tach modules) whose names the
        interfaces expose."""
        patterns = [re.compile(pattern) for interface in interfaces for pattern in interface.expose]
        found = [boundary]
        for module in self.tree.all_modules():
            if not module.startswith(boundary + ".") or self.owner(module) != boundary:
                continue
            relative = module[len(boundary) + 1 :]
            if any(p.fullmatch(relative) or p.match(relative + ".") for p in patterns):
                found.append(module)
        return found

    def owner(self, module: str) -> str | None:
        return next((ancestor for ancestor in _ancestors(module) if ancestor in self.path_set), None)

    def visibility_rules(self) -> None:
        # tach does not judge the code of unchecked modules, excluded code, nor, while it ignores the
        # root module, the code outside every module; a module nested in the protected one is not
        # protected.
        unjudged = [m.path for m in self.modules if m.unchecked] + self.excluded
        root_whole, root_alone = self.root_code() if self.root is None else ([], [])
        for module in self.modules:
            if any(pattern and set(pattern) == {"*"} for pattern in module.visibility):
                continue  # visible to all, as by default ("*")
            nested = [n for n in self.paths if n.startswith(module.path + ".")]
            rule: dict[str, Any] = {
                "id": f"{module.path}.visibility",
                "name": f"only {', '.join(module.visibility)} may import {module.path}",
                "type": "protected",
                "protected_modules": [module.path],
                "allowed_importers": sorted(
                    set(self.expand(module.visibility, dotted=False)) | set(unjudged) | set(root_whole)
                ),
                **self.ignoring(imported=nested),
            }
            for package in root_alone:
                if any(is_in_package(name, module.path) for name in self.tree.names_imported_by(package)):
                    rule.setdefault("ignore_imports", []).extend(
                        [f"{package} -> {module.path}", f"{package} -> {module.path}.**"]
                    )
                    rule["unmatched_ignore_imports_alerting"] = "none"
            self.add(rule, module.line)


    def external_rules(self) -> None:
        """tach's `check-external`: one `external` rule for each package (the directory holding
        the pyproject.toml or requirements.txt nearest above a source root, up to the project
        root) over the code of its source roots.

        Only for a configuration that says it uses `check-external` (an `[external]` table, a
        module's `depends_on_external` or `cannot_depend_on_external`, or `[rules]
        unused_external_dependencies`): tach's `check` alone never judges third-party imports, and
        a project checked with it must not break on them here."""
        if not self.uses_check_external():
            return
        project_root = self.reader.path.parent.resolve()
        by_manifest: dict[Path | None, list[Path]] = {}
        for source_root in self.tree.source_roots:
            if source_root.is_relative_to(project_root):
                manifest = _package_manifest(project_root, source_root)
                if manifest is None or manifest.name != "setup.py":  # tach refuses setup.py packages
                    by_manifest.setdefault(manifest, []).append(source_root)
        table = self.reader.option("external", lambda v: isinstance(v, dict), "a table ([external])", {})
        place = f"{self.reader.prefix}external"
        excluded_distributions = _string_list(self.reader, table, "exclude", place)
        provided_by = {}
        for pair in _string_list(self.reader, table, "rename", place):
            name, colon, distribution = pair.partition(":")
            if not colon:
                raise self.reader.error(
                    f"a rename is 'module:distribution' (got {pair!r})", f"[{place}], option 'rename'"
                )
            provided_by[name] = distribution
        unused = _rule_settings(self.reader)["unused_external_dependencies"]
        line = _header_line(self.reader.lines, place)
        top_level = {
            manifest: {name for name, path in self.tree.module_paths() if "." not in name and path.parent in roots}
            for manifest, roots in by_manifest.items()
        }
        for index, (manifest, source_roots) in enumerate(by_manifest.items()):
            packages = [p for p in self.roots if any(r.joinpath(*p.split(".")).is_dir() for r in source_roots)]
            others = sorted(top_level[manifest] - set(self.roots))
            # The other packages' code is imported as a distribution named as the package is.
            siblings = {
                name: _package_name(other) or name
                for other, names in top_level.items()
                if other != manifest
                for name in names - top_level[manifest]
            }
            rule: dict[str, Any] = {
                "id": "external" if len(by_manifest) == 1 else f"external.{index + 1}",
                "name": "only the third-party distributions "
                + (f"{manifest.relative_to(project_root).as_posix()} declares" if manifest else "declared (none)"),
                "type": "external",
                "declared_in": manifest.relative_to(project_root).as_posix() if manifest else "",
                "modules": packages,
                # tach compares its exclusions with distribution names it wrote in lower case,
                # with '_' for '-': other spellings exclude nothing.
                "ignore_distributions": [d for d in excluded_distributions if d == _tach_distribution_name(d)],
                "provided_by": provided_by,
                "unused": unused,
            }
            if others:
                rule["include"] = others
            if siblings:
                rule["sibling_packages"] = dict(sorted(siblings.items()))
            if self.excluded:
                rule["exclude"] = self.excluded
            restrictions = self.external_restrictions(packages, others)
            if restrictions:
                rule["restrictions"] = restrictions
            self.add(rule, line)

    def uses_check_external(self) -> bool:
        rules = self.reader.table.get("rules")
        return (
            "external" in self.reader.table
            or (isinstance(rules, dict) and "unused_external_dependencies" in rules)
            or any(
                m.depends_on_external is not None or m.cannot_depend_on_external
                for m in [*self.modules, *([self.root_config] if self.root_config else [])]
            )
        )

    def external_restrictions(self, packages: list[str], others: list[str]) -> list[dict[str, Any]]:
        """Each module's `depends_on_external` and `cannot_depend_on_external`, those of the root
        module for the code outside every module; none when no module restricts."""
        modules = [m for m in self.modules if any(is_in_package(m.path, p) for p in packages)]
        root = self.root_config
        restricting = [*modules, root] if root is not None else modules
        if not any(m.depends_on_external is not None or m.cannot_depend_on_external for m in restricting):
            return []
        restrictions = []
        owners = [(m.path, m) for m in modules]
        if root is not None:
            owners += [(name, root) for name in [*packages, *others] if name not in self.path_set]
        for path, module in owners:
            restriction: dict[str, Any] = {"module": path}
            if module.depends_on_external is not None:
                restriction["may_import"] = module.depends_on_external
            if module.cannot_depend_on_external:
                restriction["may_not_import"] = module.cannot_depend_on_external
            restrictions.append(restriction)
        return restrictions


def _package_manifest(project_root: Path, source_root: Path) -> Path | None:
    """The manifest of the package holding a source root, as tach finds it: in the nearest
    directory from the source root up to the project root holding a pyproject.toml, a setup.py
    or a requirements.txt (in that order)."""
    for directory in [source_root, *source_root.parents]:
        for name in ("pyproject.toml", "setup.py", "requirements.txt"):
            if (directory / name).is_file():
                return directory / name
        if directory == project_root or not directory.is_relative_to(project_root):
            break
    return None


def _package_name(manifest: Path | None) -> str | None:
    """The name a package's pyproject.toml gives it (`[project] name`), if any."""
    if manifest is None or manifest.name != "pyproject.toml":
        return None
    try:
        project = tomllib.loads(manifest.read_text(encoding="utf-8")).get("project", {})
    except (OSError, UnicodeError, tomllib.TOMLDecodeError):
        return None
    name = project.get("name") if isinstance(project, dict) else None
    return name if isinstance(name, str) else None


def _tach_distribution_name(name: str) -> str:
    """A distribution name as tach writes it to compare: lower case, runs of whitespace, '-' and
    '_' one '_'."""
    return "_".join(part for part in re.split(r"[\s_-]+", name.lower()) if part)


def _string_list(reader: _Reader, table: dict[str, Any], key: str, place: str) -> list[str]:
    value = table.get(key, [])
    if not _is_string_list(value):
        raise reader.error(f"expected a list of strings (got {value!r})", f"[{place}], option '{key}'")
    return value


def _glob(pattern: str, *, dotted: bool = True) -> re.Pattern[str]:
    """tach's globs over module paths: in module paths and dependencies `*` stays within one
    name and a `**` name stands for any number of names, none included (`a.**` is `a` and all
    below it, `a.**.b` also `a.b`); in `visibility` any `*` spans names."""
    if not dotted:
        return re.compile("".join(".*" if "*" in token else re.escape(token) for token in re.split(r"(\*+)", pattern)))
    parts = pattern.split(".")
    if parts == ["**"]:
        return re.compile(".*")
    regex = ""
    for index, part in enumerate(parts):
        if part == "**":
            regex += r"(?:[^.]+\.)*" if index == 0 else r"(?:\.[^.]+)*"
            continue
        if index > 0 and not (index == 1 and parts[0] == "**"):
            regex += r"\."
        regex += "".join("[^.]*" if token == "*" else re.escape(token) for token in re.split(r"(\*)", part))
    return re.compile(regex)


def _ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:end]) for end in range(len(parts), 0, -1)]


def _header_lines(lines: list[str], table: str) -> list[int]:
    header = re.compile(r"\s*\[\[\s*" + re.escape(table).replace(r"\.", r"\s*\.\s*") + r"\s*\]\]")
    return [number for number, line in enumerate(lines, 1) if header.match(line)]


def _header_line(lines: list[str], table: str) -> int | None:
    header = re.compile(r"\s*\[\s*" + re.escape(table) + r"\s*\]")
    return next((number for number, line in enumerate(lines, 1) if header.match(line)), None)


def _key_line(lines: list[str], key: str) -> int | None:
    pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
    return next((number for number, line in enumerate(lines, 1) if pattern.match(line)), None)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_string(value: Any) -> bool:
    return isinstance(value, str)


def _is_string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
