"""Build a project's import graph with grimp, from its own source tree, without importing it."""

from __future__ import annotations

import hashlib
import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.machinery import PathFinder
from pathlib import Path

import grimp
import platformdirs
from grimp.application.config import settings as grimp_settings
from grimp.application.ports.packagefinder import AbstractPackageFinder

from core.errors import AnalysedCodeError, ConfigError
from core.expressions import is_in_package
from core.git import GitMissing, files_matching_ignore_patterns, repository_of
from core.import_adjustments import AdjustmentOptions, ImportAdjustments, adjust_imports

# grimp's package finder is process-wide; builds that swap it in take turns.
_FINDER_LOCK = threading.Lock()
_OWN_PACKAGE_DIRS = {Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "app"}


@dataclass
class ProjectGraph:
    """A project's import graph, with where its packages live on disk."""

    graph: grimp.ImportGraph
    root: Path
    root_packages: tuple[str, ...]
    package_dirs: dict[str, tuple[Path, ...]]
    include_external_packages: bool = False
    exclude_type_checking_imports: bool = False
    source_roots: tuple[str, ...] | None = None
    """The configured source roots, relative to `root` (None: the root and its `src/`)."""
    cache_dir: Path | None = None
    """grimp's cache, for another graph of the same files (None: no cache)."""
    sources: dict[str, bytes | None] = field(default_factory=dict, repr=False)
    """Modules whose source is not the file on disk (a baseline's), None for one that did not exist."""
    adjusted: ImportAdjustments = field(default_factory=ImportAdjustments, repr=False)
    """What the graph holds beyond grimp's scan: ignore comments, local and string imports, git-ignored files."""
    _files: dict[str, str | None] = field(default_factory=dict, repr=False)
    _with_external: grimp.ImportGraph | None = field(default=None, init=False, repr=False)

    def with_external_packages(self) -> grimp.ImportGraph:
        """The same files' graph with the imports of packages outside the project (by top-level
        name), built once per graph (grimp's cache makes it quick)."""
        if self._with_external is None:
            self._with_external = build_project_graph(
                self.root,
                self.root_packages,
                include_external_packages=True,
                exclude_type_checking_imports=self.exclude_type_checking_imports,
                cache_dir=self.cache_dir,
                source_roots=self.source_roots,
            ).graph
        return self._with_external

    def source_of(self, module: str) -> str | None:
        """The module's source text, as analysed (a baseline's differs from the files on disk)."""
        content = self.source_bytes_of(module)
        return None if content is None else content.decode("utf-8", "replace")

    def source_bytes_of(self, module: str) -> bytes | None:
        """The module's source as it is stored, undecoded."""
        if module in self.sources:
            return self.sources[module]
        path = self.file_of(module)
        if path is None:
            return None
        try:
            return (self.root / path).read_bytes()
        except OSError:
            return None

    def file_of(self, module: str) -> str | None:
        """The module's source file, relative to the project root where it lies inside it."""
        if module not in self._files:
            self._files[module] = self._locate(module)
        return self._files[module]

    def package_locations(self) -> dict[str, str]:
        """Each root package directory that lies inside the project, relative to it, with its package."""
        locations: dict[str, str] = {}
        for package, directories in self.package_dirs.items():
            for directory in directories:
                relative = display_path(directory, self.root)
                if not Path(relative).is_absolute():
                    locations[relative] = package
        return locations

    def locate(self, modules: Iterable[str]) -> None:
        """Find the files of many modules at once, with one walk of the package directories instead
        of a look for each, so that `file_of` answers them from memory."""
        found: dict[str, str] = {}
        for package, directories in self.package_dirs.items():
            for directory in directories:
                base = display_path(directory, self.root)
                for folder, subfolders, files in os.walk(directory):
                    subfolders[:] = [name for name in subfolders if name.isidentifier()]
                    inside = os.path.relpath(folder, directory)
                    relative = () if inside == "." else tuple(inside.split(os.sep))
                    for name in files:
                        module = module_of_file(package, (*relative, name))
                        if module is not None and (name == "__init__.py" or module not in found):
                            found[module] = "/".join((base, *relative, name))  # a package's __init__.py comes first
        for module in modules:
            if module not in self._files:
                self._files[module] = found.get(module)

    def _locate(self, module: str) -> str | None:
        root_package = next((p for p in self.package_dirs if is_in_package(module, p)), None)
        if root_package is None:
            return None
        rest = module[len(root_package) + 1 :]
        parts = rest.split(".") if rest else []
        for directory in self.package_dirs[root_package]:
            base = directory.joinpath(*parts)
            for candidate in (base / "__init__.py", base.with_name(base.name + ".py") if parts else None):
                if candidate is not None and candidate.is_file():
                    return display_path(candidate, self.root)
        return None


def module_of_file(package: str, parts: Sequence[str]) -> str | None:
    """The module grimp sees in the file at `parts` (folders, then the file name) inside the root
    `package`'s directory, or None if it sees none there (not a .py file, a name that is not an identifier)."""
    *folders, name = parts
    stem, _, extension = name.partition(".")
    if extension != "py" or not stem.isidentifier() or not all(folder.isidentifier() for folder in folders):
        return None
    return ".".join((package, *folders) if stem == "__init__" else (package, *folders, stem))


def source_root_paths(root: Path, source_roots: Sequence[str] | None = None) -> list[Path]:
    """Where the project's root packages are looked for, in order: the configured `source_roots`
    (relative to the project root; `..` may lead out of it), or by default the root and, if
    present, its `src/`."""
    if source_roots is None:
        return [root] + ([root / "src"] if (root / "src").is_dir() else [])
    return [Path(os.path.normpath(root / entry)) for entry in source_roots]


def project_source_roots(root: Path, source_roots: Sequence[str] | None = None) -> list[str]:
    """The source roots inside the project, relative to it ('.' for the root itself). By default
    '.' and 'src' whether or not `src/` exists now: a revision of the project may have it."""
    if source_roots is None:
        return [".", "src"]
    return [
        path.relative_to(root).as_posix() for path in source_root_paths(root, source_roots) if path.is_relative_to(root)
    ]


class ProjectPackageFinder(AbstractPackageFinder):
    """Finds root packages on the project's search path, never in `sys.modules`.

    grimp's default finder uses `importlib.util.find_spec`, which returns an already-imported
    module of the same name, so a project whose root package is called `core` would be analysed
    as Strataview's own `core`.
    """

    def __init__(self, root: Path, config_file: Path | None = None, source_roots: Sequence[str] | None = None) -> None:
        self.root = root
        self.config_file = config_file
        self.paths = [str(path) for path in source_root_paths(root, source_roots)]
        self.found: dict[str, tuple[Path, ...]] = {}

    def determine_package_directories(self, package_name: str, file_system) -> set[str]:
        spec = _find_spec(package_name, self.paths)
        if spec is None:
            # Installed packages may be analysed too, but never Strataview's own by mistake.
            spec = _find_spec(package_name, [entry for entry in sys.path if entry])
            if spec is not None and any(
                Path(location).resolve() in _OWN_PACKAGE_DIRS for location in spec.submodule_search_locations or ()
            ):
                spec = None
        if spec is not None and spec.submodule_search_locations is None and spec.origin:
            raise self.error(
                f"root package '{package_name}' is a module ({display_path(Path(spec.origin), self.root)}), "
                "not a package: root packages are directories"
            )
        parent = _regular_parent_package(package_name, self.paths)
        if spec is not None and parent is not None:
            raise self.error(
                f"root package '{package_name}' lies inside the package '{parent}': list '{parent}' "
                "instead (only portions of namespace packages may have dotted names)"
            )
        locations = tuple(Path(location) for location in (spec.submodule_search_locations or ())) if spec else ()
        if not locations:
            path = package_name.replace(".", "/")
            places = " or ".join(f"{directory}/{path}" for directory in self.paths)
            raise self.error(f"root package '{package_name}' cannot be found: there is no {places}, nor on the Python path")
        self.found[package_name] = locations
        return {str(location) for location in locations}

    def error(self, message: str) -> AnalysedCodeError:
        """An error about a root package, placed at the configuration's `root_packages`."""
        if self.config_file is None:
            return AnalysedCodeError(message, file=str(self.root))
        return AnalysedCodeError(message, file=str(self.config_file), place="root_packages")


def default_cache_dir(root: Path) -> Path:
    key = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(platformdirs.user_cache_dir("strataview")) / "grimp" / f"{root.resolve().name}-{key}"


def grimp_cache_dir(cache_dir: Path, include_external_packages: bool, exclude_type_checking_imports: bool) -> Path:
    """grimp's cache for one combination of the graph's settings, inside the project's cache.

    grimp keeps one record of file times per package whatever the settings, so graphs of
    different settings sharing a folder would each take the other's fresh times for their own
    and keep the imports of files changed since they were last built."""
    return cache_dir / f"imports-external{int(include_external_packages)}-typechecking{int(not exclude_type_checking_imports)}"


def build_project_graph(
    root: Path,
    root_packages: list[str] | tuple[str, ...],
    *,
    include_external_packages: bool = False,
    exclude_type_checking_imports: bool = False,
    cache_dir: Path | None = None,
    config_file: Path | None = None,
    source_roots: Sequence[str] | None = None,
    adjustments: AdjustmentOptions | None = None,
    gitignored: frozenset[str] | None = None,
) -> ProjectGraph:
    """Parse the project's packages into an import graph; errors name the offending file.

    `config_file` is where the root packages are declared: problems with one of them name it.
    Root packages are looked for in `source_roots` (see `source_root_paths`). The graph is then
    adjusted (core.import_adjustments); `gitignored` names the modules git ignores where the
    tree is not the project's own (a baseline's).
    """
    root = root.resolve()
    finder = ProjectPackageFinder(root, config_file, source_roots)
    if not root_packages:
        raise finder.error("no root packages are configured")
    try:
        with _package_finder(finder):
            graph = grimp.build_graph(
                *root_packages,
                include_external_packages=include_external_packages,
                exclude_type_checking_imports=exclude_type_checking_imports,
                cache_dir=str(grimp_cache_dir(cache_dir, include_external_packages, exclude_type_checking_imports))
                if cache_dir
                else None,
            )
    except grimp.exceptions.SourceSyntaxError as error:
        raise syntax_error(error, root) from None
    except UnicodeError as error:
        raise _encoding_error(str(error), root) from None
    for package in root_packages:
        if not any(is_in_package(module, package) for module in graph.modules):
            locations = ", ".join(display_path(p, root) + "/" for p in finder.found.get(package, ()))
            raise finder.error(f"root package '{package}' is empty: {locations or package} holds no Python modules")
    project = ProjectGraph(
        graph=graph,
        root=root,
        root_packages=tuple(root_packages),
        package_dirs=finder.found,
        include_external_packages=include_external_packages,
        exclude_type_checking_imports=exclude_type_checking_imports,
        source_roots=None if source_roots is None else tuple(source_roots),
        cache_dir=cache_dir,
    )
    if adjustments is not None and adjustments.active:
        adjust_project_imports(project, adjustments, gitignored)
    return project


def adjust_project_imports(
    project: ProjectGraph, options: AdjustmentOptions, gitignored: frozenset[str] | None = None
) -> None:
    """Adjust the imports of every project module (core.import_adjustments)."""
    graph = project.graph
    if gitignored is None:
        gitignored = _gitignored_modules(project, options) if options.respect_gitignore else frozenset()
    modules = [
        m for m in graph.modules if not graph.is_module_squashed(m) and any(is_in_package(m, p) for p in project.root_packages)
    ]
    project.locate(modules)
    first_party = _first_party(project)
    found = adjust_imports(
        graph,
        modules,
        options=options,
        root_packages=project.root_packages,
        source_of=project.source_bytes_of,
        is_package=lambda module: (project.file_of(module) or "").endswith("__init__.py"),
        gitignored=gitignored,
        first_party=first_party,
        exclude_type_checking_imports=project.exclude_type_checking_imports,
    )
    project.adjusted = ImportAdjustments(options=options, modules=found, gitignored=gitignored, first_party=first_party)


def _first_party(project: ProjectGraph) -> frozenset[str]:
    """The names of the directories and Python modules at the top of the source roots (tach's
    first-party code), with the root packages."""
    names = {package.split(".")[0] for package in project.root_packages}
    for directory in source_root_paths(project.root, project.source_roots):
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            stem, _, extension = entry.name.partition(".")
            if stem.isidentifier() and (extension in ("py", "pyi") if extension else entry.is_dir()):
                names.add(stem)
    return frozenset(names)


def ignored_files(root: Path, paths: list[str], respect_gitignore: bool | str) -> set[str]:
    """The files under `paths` (relative to the project root) that `.ignore` files and
    `.gitignore` files (with git's `info/exclude`) match, as tach's `respect_gitignore` reads
    them: `.gitignore` files only inside a repository with "if_git_repo"."""
    if not respect_gitignore or not paths:
        return set()
    ignore_files = [".ignore"]
    try:
        if respect_gitignore is True or repository_of(root) is not None:
            ignore_files.append(".gitignore")
        return {path for name in ignore_files for path in files_matching_ignore_patterns(root, paths, name)}
    except GitMissing:
        raise ConfigError(
            "respect_gitignore needs git to read the ignore files, and git is not installed "
            "(set respect_gitignore = false)",
            file=str(root),
        ) from None


def _gitignored_modules(project: ProjectGraph, options: AdjustmentOptions) -> frozenset[str]:
    """The project's modules whose files the ignore files match (see `ignored_files`)."""
    locations = project.package_locations()
    files = ignored_files(project.root, list(locations), options.respect_gitignore)
    modules = set()
    for path in files:
        for location, package in locations.items():
            if path.startswith(location + "/"):
                module = module_of_file(package, path[len(location) + 1 :].split("/"))
                if module is not None and module in project.graph.modules:
                    modules.add(module)
    return frozenset(modules)


def syntax_error(error: grimp.exceptions.SourceSyntaxError, root: Path) -> AnalysedCodeError:
    """grimp's syntax error as Strataview's, naming the file relative to `root` and the line."""
    return AnalysedCodeError(
        f"syntax error: {(error.text or '').strip() or 'invalid syntax'}",
        file=display_path(Path(error.filename), root),
        place=f"line {error.lineno}" if error.lineno else None,
    )


@contextmanager
def _package_finder(finder: AbstractPackageFinder) -> Iterator[None]:
    with _FINDER_LOCK:
        previous = grimp_settings.PACKAGE_FINDER
        grimp_settings.configure(PACKAGE_FINDER=finder)
        try:
            yield
        finally:
            grimp_settings.configure(PACKAGE_FINDER=previous)


_DECODE_FAILURE = re.compile(r"Failed to decode file (?P<file>.+?) as UTF-8")


def _encoding_error(message: str, root: Path) -> AnalysedCodeError:
    match = _DECODE_FAILURE.search(message)
    if not match:
        return AnalysedCodeError(f"cannot read an analysed file: {message}", file=str(root))
    path = Path(match.group("file"))
    place = None
    try:
        data = path.read_bytes()
        data.decode("utf-8")
    except UnicodeDecodeError as decode_error:
        line = data.count(b"\n", 0, decode_error.start) + 1
        place = f"line {line}"
    except OSError:
        pass
    return AnalysedCodeError(
        "file is not UTF-8 (Strataview reads analysed code as UTF-8)",
        file=display_path(path, root),
        place=place,
    )


def _find_spec(name: str, paths: list[str]):
    """Like `importlib.util.find_spec`, but searching only `paths` and ignoring `sys.modules`."""
    parts = name.split(".")
    if not all(part.isidentifier() for part in parts):
        return None
    spec, locations = None, paths
    for index in range(len(parts)):
        spec = PathFinder.find_spec(".".join(parts[: index + 1]), locations)
        if spec is None:
            return None
        if index < len(parts) - 1:
            if spec.submodule_search_locations is None:
                return None
            locations = list(spec.submodule_search_locations)
    return spec


def _regular_parent_package(name: str, paths: list[str]) -> str | None:
    """The first ancestor of a dotted name that is a regular package (has an `__init__.py`)."""
    parts = name.split(".")
    for index in range(1, len(parts)):
        ancestor = ".".join(parts[:index])
        spec = _find_spec(ancestor, paths) or _find_spec(ancestor, [entry for entry in sys.path if entry])
        if spec is not None and spec.origin is not None:
            return ancestor
    return None


def display_path(path: Path, root: Path) -> str:
    for candidate in (path, path.resolve()):
        if candidate.is_relative_to(root):
            return candidate.relative_to(root).as_posix()
    return str(path)
