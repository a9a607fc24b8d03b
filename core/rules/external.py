"""`external`: the project imports only the third-party distributions it declares (tach's
`check-external`).

The declared distributions are read from a manifest (`declared_in`): pyproject.toml's
`[project] dependencies` (with `optional_dependencies`, its optional ones too), or without them
Poetry's `[tool.poetry.dependencies]`; or a requirements file. An import of a top-level name that
is not the project's own (a package or module in a source root), not the standard library and
not provided by a declared distribution is a violation at its line. Which distributions provide
an import name: `provided_by` where it says, else the installed distributions' metadata
(`importlib.metadata.packages_distributions()` of the environment Strataview runs in), else the
name itself; distribution names compare normalised (PEP 503).

In a monorepo, the top-level names of the other packages (`sibling_packages`) are imported as
their distributions are: the importing package must declare them.

`restrictions` narrow what a module may import further, by top-level import name: code belongs to
the nearest restricted module containing it. With `unused`, a declared distribution that no
judged import uses is reported at its line in the manifest. `ignore_distributions` are neither
judged nor reported unused.

The judged code is the analysed packages (`modules`, by default all root packages), whose
third-party imports grimp reads (see `_judged_code`), and the files of the `include` names
(top-level packages or modules in the source roots that are not analysed, such as tests or
scripts), read from disk.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.expressions import (
    expressions_to_modules,
    is_in_package,
    validate_module_expression,
)
from core.graph import (
    display_path,
    ignored_files,
    source_root_paths,
)
from core.model import ImportLink, Violation
from core.rules.common import (
    ModuleExpressions,
    RuleContext,
    RuleOptions,
    existing_modules,
    rule_error,
)
from core.rules.nesting import Nesting
from core.rules.statements import ImportStatement, import_statements, read_module

# What needs no declaration: the standard library and, as tach has it, typing's backport.
STANDARD_LIBRARY = frozenset(sys.stdlib_module_names) | frozenset(sys.builtin_module_names) | {"typing_extensions"}
# Names that are no distribution to declare, whatever a manifest lists.
NOT_DISTRIBUTIONS = frozenset({"python", "poetry", "poetry-core"})
_REQUIREMENT_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")


class Restriction(BaseModel):
    """What one module (with its descendants) may import from the declared distributions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    module: str = Field(description="The module (with its descendants, but not a restricted module inside it).")
    may_import: tuple[str, ...] | None = Field(
        default=None, description="The only third-party top-level import names it may use. Left out: any declared."
    )
    may_not_import: tuple[str, ...] = Field(default=(), description="Top-level import names it must not use.")

    @field_validator("module")
    @classmethod
    def _module_is_a_name(cls, value: str) -> str:
        validate_module_expression(value)
        if "*" in value:
            raise ValueError("'module' must be a module name, without wildcards")
        return value


class Options(RuleOptions):
    type: Literal["external"] = "external"
    declared_in: str = Field(
        default="pyproject.toml",
        description="The manifest declaring the distributions, relative to the project root: a pyproject.toml or a "
        'requirements file; "" when none declares any.',
    )
    optional_dependencies: bool = Field(
        default=False, description="Count pyproject.toml's `[project.optional-dependencies]` as declared too."
    )
    modules: ModuleExpressions = Field(
        default=(), description="The analysed modules (with their descendants) whose imports are judged; left out: all."
    )
    include: tuple[str, ...] = Field(
        default=(),
        description="Top-level packages or modules in the source roots, outside the analysed packages, whose files "
        "are judged too (tests, scripts).",
    )
    exclude: ModuleExpressions = Field(
        default=(), description="Modules (with their descendants) whose imports are not judged and use nothing."
    )
    ignore_distributions: tuple[str, ...] = Field(
        default=(), description="Distributions whose imports are never judged, nor reported unused."
    )
    provided_by: dict[str, str] = Field(
        default_factory=dict,
        description="The distribution providing a top-level import name, where the installed metadata does not "
        "say or says otherwise (such as {PIL = \"pillow\"}).",
    )
    sibling_packages: dict[str, str] = Field(
        default_factory=dict,
        description="Top-level names in the source roots that belong to another package of the project (a "
        "monorepo's), with the distribution name it is declared by: importing one needs its declaration.",
    )
    restrictions: tuple[Restriction, ...] = Field(
        default=(), description="Modules that may import only some declared distributions, or must not import some."
    )
    unused: Literal["error", "warn", "off"] = Field(
        default="off",
        description="What a declared distribution that no judged import uses does: break, warn, or nothing.",
    )


def check(rule: Options, ctx: RuleContext) -> list[Violation]:
    declared = _declared(rule, ctx)
    ignored = {_normalise(name) for name in rule.ignore_distributions}
    included = _included_files(rule, ctx)
    restrictions = {restriction.module: restriction for restriction in rule.restrictions}
    for name in restrictions:
        if name not in ctx.graph.modules and not any(is_in_package(module, name) for module, _ in included):
            raise rule_error(rule, f"module '{name}' does not exist", "restrictions")
    nesting = Nesting(frozenset(restrictions))
    own = _own_names(ctx) - set(rule.sibling_packages)
    providers = _Providers(rule)

    violations: list[Violation] = []
    used: set[str] = set()
    for module, file, judged, every in _judged_code(rule, ctx, included):
        # An import an ignore comment takes out, or a local one left unjudged, still uses its distribution.
        used.update(distribution for top in every - own for distribution in providers.of(top))
        links: dict[str, list[tuple[int, str]]] = {}
        for top, line, contents in judged:
            if top in own or top in STANDARD_LIBRARY:
                continue
            found = links.setdefault(top, [])
            if not found or found[-1][0] != line:
                found.append((line, contents))
        owner = nesting.owner(module)
        restriction = restrictions.get(owner) if owner is not None else None
        for top, found in sorted(links.items()):
            if ignored.intersection(providers.of(top)):
                continue
            reason = _reason(top, providers, declared, restriction)
            if reason is not None:
                link = ImportLink(
                    importer=module,
                    imported=top,
                    line_numbers=tuple(line for line, _ in found),
                    line_contents=tuple(contents for _, contents in found),
                    file=file,
                )
                violations.append(ctx.import_violation(rule, link, *reason))
    if rule.unused != "off":
        violations.extend(_unused(ctx, rule, providers, declared, used | ignored))
    return violations


@dataclass(frozen=True)
class Declared:
    """The distributions a manifest declares: normalised name, with the name and line as written."""

    file: str | None
    names: dict[str, tuple[str, int | None]] = field(default_factory=dict)


def _reason(
    top: str, providers: _Providers, declared: Declared, restriction: Restriction | None
) -> tuple[str, str] | None:
    """(kind, detail) when importing the top-level name `top` breaks the rule, else None."""
    if not any(distribution in declared.names for distribution in providers.of(top)):
        where = declared.file or "the project"
        provider = " or ".join(providers.names(top))
        return "undeclared-distribution", (
            f"{where} does not declare {provider}, the distribution providing {top}; declare it, or list it in "
            "ignore_distributions"
        )
    if restriction is None:
        return None
    if top in restriction.may_not_import:
        return "forbidden-import", f"{restriction.module} must not import {top}"
    if restriction.may_import is not None and top not in restriction.may_import:
        allowed = ", ".join(restriction.may_import) or "no third-party package"
        return "undeclared-import", f"{restriction.module} may import {allowed} (by import name), not {top}"
    return None


def _unused(
    ctx: RuleContext, rule: Options, providers: _Providers, declared: Declared, used: set[str]
) -> list[Violation]:
    provides = providers.import_names()
    violations = []
    for normalised, (name, line) in sorted(declared.names.items()):
        if normalised in used:
            continue
        message = f"{name} is declared in {declared.file} but never imported"
        if rule.unused == "warn":
            ctx.warnings.append(message)
            continue
        names = provides.get(normalised)
        detail = f"no judged import uses {name}" + (f" (it provides {', '.join(names)})" if names else "")
        violation = ctx.violation(rule, "unused-distribution", message, key=normalised)
        violations.append(
            violation.model_copy(update={"file": declared.file, "line": line, "detail": detail + "; remove it"})
        )
    return violations


# The code judged.


Import = tuple[str, int, str]  # the top-level name imported, the line, its text


def _judged_code(
    rule: Options, ctx: RuleContext, included: list[tuple[str, Path]]
) -> Iterator[tuple[str, str | None, list[Import], set[str]]]:
    """Each judged module or file: its name, its file (relative to the project root), the imports
    of names outside its package that rules judge, and the top-level names of all it imports.

    grimp reads the imports of packages outside the project (a graph with them, built once,
    where the project's has none); a module whose source is not the file on disk (a
    baseline's), or whose imports the graph's adjustments changed (core.import_adjustments), is
    read from its source instead. Modules in files git ignores are not judged where the graph
    leaves them out."""
    graph, project = ctx.graph, ctx.project
    excluded = expressions_to_modules(graph, rule.exclude)
    if rule.modules:
        packages = existing_modules(ctx, rule, "modules", rule.modules)
    else:
        packages = set(project.root_packages)
    modules = sorted(
        module
        for package in packages
        for module in {package} | graph.find_descendants(package)
        if module not in project.adjusted.gitignored
        and not graph.is_module_squashed(module)
        and not any(is_in_package(module, e) for e in excluded)
    )
    project.locate(modules)
    skip_type_checking = project.exclude_type_checking_imports
    with_external = graph if project.include_external_packages else None
    for module in modules:
        if module in project.sources or project.adjusted.of(module):
            file = project.file_of(module) or ""
            package = module if file.endswith("__init__.py") else module.rpartition(".")[0]
            judged = _imports(read_module(project, module).statements, skip_type_checking)
            every = _imports(import_statements(project.source_of(module) or "", package), skip_type_checking)
            yield module, project.file_of(module), judged, {top for top, _, _ in every}
            continue
        with_external = with_external or project.with_external_packages()
        found = [
            (imported.split(".")[0], details["line_number"], details["line_contents"])
            for imported in with_external.find_modules_directly_imported_by(module)
            if imported.split(".")[0] in rule.sibling_packages
            or not any(is_in_package(imported, root) for root in project.root_packages)
            for details in with_external.get_import_details(importer=module, imported=imported)
        ]
        yield module, project.file_of(module), sorted(found), {top for top, _, _ in found}
    for module, path in included:
        if not any(is_in_package(module, e) for e in rule.exclude):
            try:
                source = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            package = module if path.name == "__init__.py" else module.rpartition(".")[0]
            found = _imports(import_statements(source, package), skip_type_checking)
            yield module, display_path(path, project.root), found, {top for top, _, _ in found}


def _imports(statements: tuple[ImportStatement, ...], skip_type_checking: bool) -> list[Import]:
    return sorted(
        (name.name.split(".")[0], statement.line, statement.contents)
        for statement in statements
        if not (statement.type_checking and skip_type_checking)
        for name in statement.names
    )


def _included_files(rule: Options, ctx: RuleContext) -> list[tuple[str, Path]]:
    """The Python files of the `include` names, by module name, found in the source roots; with
    `respect_gitignore`, those the ignore files match are left out, as the graph leaves them."""
    found = list(_include_walk(rule, ctx))
    places = {display_path(path, ctx.project.root): (module, path) for module, path in found}
    paths = sorted(place for place in places if not Path(place).is_absolute())
    ignored = ignored_files(ctx.project.root, paths, ctx.project.adjusted.options.respect_gitignore)
    return [found for place, found in places.items() if place not in ignored]


def _include_walk(rule: Options, ctx: RuleContext) -> Iterator[tuple[str, Path]]:
    roots = source_root_paths(ctx.project.root, ctx.project.source_roots)
    for name in rule.include:
        found = False
        for root in roots:
            directory, file = root / name, root / f"{name}.py"
            if directory.is_dir():
                found = True
                for folder, subfolders, files in os.walk(directory):
                    subfolders[:] = sorted(sub for sub in subfolders if sub.isidentifier())
                    parts = (name, *Path(folder).relative_to(directory).parts)
                    for file_name in sorted(files):
                        stem, _, extension = file_name.partition(".")
                        if extension == "py" and stem.isidentifier():
                            module = ".".join(parts if stem == "__init__" else (*parts, stem))
                            yield module, Path(folder) / file_name
                break
            if file.is_file():
                found = True
                yield name, file
                break
        if not found:
            raise rule_error(rule, f"'{name}' is no package or module in the source roots", "include")


def _own_names(ctx: RuleContext) -> set[str]:
    """The top-level names that are the project's own: its root packages, and every module and
    package (a directory holding Python code) in its source roots."""
    names = {package.split(".")[0] for package in ctx.project.root_packages}
    for root in source_root_paths(ctx.project.root, ctx.project.source_roots):
        try:
            entries = list(os.scandir(root))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".py") and entry.is_file() and entry.name[:-3].isidentifier():
                names.add(entry.name[:-3])
            elif entry.name.isidentifier() and entry.is_dir() and _holds_python(Path(entry.path)):
                names.add(entry.name)
    return names


def _holds_python(directory: Path) -> bool:
    if (directory / "__init__.py").is_file():
        return True
    return any(name.endswith(".py") for _, _, files in os.walk(directory) for name in files)


# Distributions.


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class _Providers:
    """Which distributions provide each top-level import name, for one check: `provided_by`,
    else the installed metadata, else a sibling package, else the name itself."""

    def __init__(self, rule: Options) -> None:
        self.rule = rule
        self.installed = _installed()
        self._normalised: dict[str, tuple[str, ...]] = {}

    def names(self, top: str) -> list[str]:
        """The distributions providing `top`, as their projects write them."""
        if top in self.rule.provided_by:
            return [self.rule.provided_by[top]]
        installed = self.installed.get(top)
        if installed:
            return list(dict.fromkeys(installed))
        return [self.rule.sibling_packages.get(top, top)]

    def of(self, top: str) -> tuple[str, ...]:
        """The normalised names of the distributions providing `top`."""
        found = self._normalised.get(top)
        if found is None:
            found = self._normalised[top] = tuple(dict.fromkeys(_normalise(name) for name in self.names(top)))
        return found

    def import_names(self) -> dict[str, list[str]]:
        """The top-level import names each distribution provides, by normalised distribution name."""
        names: dict[str, list[str]] = {}
        for top, distributions in self.installed.items():
            for distribution in distributions:
                names.setdefault(_normalise(distribution), []).append(top)
        for top, distribution in [*self.rule.sibling_packages.items(), *self.rule.provided_by.items()]:
            names.setdefault(_normalise(distribution), []).append(top)
        return {key: sorted(set(value)) for key, value in names.items()}


def _installed() -> dict[str, list[str]]:
    """Which installed distributions provide each top-level import name, read again only when a
    directory on the Python path changed (a distribution was installed or removed)."""
    stamps = []
    for entry in sys.path:
        try:
            stamps.append((entry, os.stat(entry or ".").st_mtime_ns))
        except OSError:
            continue
    return _installed_at(tuple(stamps))


@cache
def _installed_at(stamps: tuple[tuple[str, int], ...]) -> dict[str, list[str]]:
    return {top: list(distributions) for top, distributions in packages_distributions().items()}


# The manifest.


def _declared(rule: Options, ctx: RuleContext) -> Declared:
    if not rule.declared_in:
        return Declared(file=None)
    path = ctx.project.root / rule.declared_in
    try:
        text = path.read_text(encoding="utf-8-sig")  # without the byte-order mark, as pip reads it
    except (OSError, UnicodeError):
        raise rule_error(rule, f"cannot read {rule.declared_in}", "declared_in") from None
    if path.name == "pyproject.toml":
        requirements = _pyproject_requirements(rule, text)
    else:
        requirements = [
            (line.strip(), number)
            for number, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.lstrip().startswith(("#", "-"))
        ]
    names: dict[str, tuple[str, int | None]] = {}
    for requirement, line in requirements:
        match = _REQUIREMENT_NAME.match(requirement)
        if match and _normalise(match.group(1)) not in NOT_DISTRIBUTIONS:
            names.setdefault(_normalise(match.group(1)), (match.group(1), line))
    return Declared(file=display_path(path, ctx.project.root), names=names)


def _pyproject_requirements(rule: Options, text: str) -> list[tuple[str, int | None]]:
    """The requirements pyproject.toml declares, each with the line naming it."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise rule_error(rule, f"{rule.declared_in} is not valid TOML: {error}", "declared_in") from None
    project = data.get("project", {})
    lines = text.splitlines()
    if isinstance(project, dict) and "dependencies" in project:
        found = list(project.get("dependencies") or [])
        if rule.optional_dependencies:
            for group in (project.get("optional-dependencies") or {}).values():
                found += list(group)
        return [(item, _quoted_line(lines, item)) for item in found if isinstance(item, str)]
    poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {})
    if isinstance(poetry, dict):
        start = _key_line(lines, r"\[\s*tool\.poetry\.dependencies\s*\]", 1) or 1
        return [(name, _key_line(lines, rf"""["']?{re.escape(name)}["']?\s*=""", start)) for name in poetry]
    return []


def _quoted_line(lines: list[str], text: str) -> int | None:
    quoted = (f'"{text}"', f"'{text}'")
    return next((number for number, line in enumerate(lines, 1) if any(q in line for q in quoted)), None)


def _key_line(lines: list[str], pattern: str, start: int) -> int | None:
    """The first line from `start` on that begins with the regular expression `pattern`."""
    compiled = re.compile(rf"\s*{pattern}")
    return next((number for number in range(start, len(lines) + 1) if compiled.match(lines[number - 1])), None)
