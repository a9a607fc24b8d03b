"""A git revision's import graph, made from the current one by re-reading only what differs.

Most of a codebase is the same at a recent revision as it is now, so instead of building a
second graph, the current graph is copied and patched: modules added since the revision are
taken out, modules deleted since are put back, and every module whose imports may read
differently at the revision is scanned again with grimp's own scanner, against the revision's
set of modules — changed files from git's objects, and unchanged files that import a module
added or deleted since (grimp resolves `from package import name` to the module `name` only
where it exists, and drops an import of an internal module that does not exist).

Changes to the package structure that a patch cannot follow safely — a directory becoming or
ceasing to be a package while some of its files stay, a namespace directory, a root package that
comes or goes, a root package in several directories — are left to the caller, which builds
the revision's whole tree instead (`patched_baseline_graph` returns None).
"""

from __future__ import annotations

import copy
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import grimp
from grimp.application.ports.modulefinder import FoundPackage, ModuleFile
from grimp.application import scanning
from grimp.domain.valueobjects import DirectImport, Module

from core import git
from core.expressions import is_in_package, name_and_ancestors
from core.graph import ProjectGraph, module_of_file, syntax_error
from core.import_adjustments import adjust_imports
from core.git import Repository


@dataclass
class _Changes:
    """The project's modules that differ from the revision, by what happened to them."""

    added: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    modified: set[str] = field(default_factory=set)
    paths: dict[str, str] = field(default_factory=dict)  # module -> its file, relative to the project
    added_packages: set[str] = field(default_factory=set)
    deleted_packages: set[str] = field(default_factory=set)


def patched_baseline_graph(project: ProjectGraph, repository: Repository, commit: str) -> ProjectGraph | None:
    """The project's graph as it was at `commit`, or None where the caller must build that revision's tree."""
    locations = project.package_locations()
    if len(locations) != len(project.package_dirs) or any(len(d) != 1 for d in project.package_dirs.values()):
        return None  # a root package outside the project, or in several directories
    statuses = {
        path: status
        for path, status in git.changes_since(repository, commit, list(locations)).items()
        if path.endswith(".py")
    }
    for path in git.untracked_files(repository, list(locations)):
        if path.endswith(".py"):
            # Untracked but in the revision: deleted from the index, then written again.
            statuses[path] = "M" if statuses.get(path) == "D" else "A"
    changes = _classify(project, locations, statuses)
    if changes is None:
        return None
    if not (changes.added or changes.deleted or changes.modified):
        return project
    graph = project.graph
    internal = {module for module in graph.modules if not graph.is_module_squashed(module)}
    # Unchanged modules whose imports may resolve differently among the revision's modules.
    touched_names = changes.added | {
        ancestor for module in changes.deleted for ancestor in name_and_ancestors(module)[1:]
    }
    rereads = {
        importer
        for name in touched_names & internal
        for importer in graph.find_modules_that_directly_import(name)
        if not graph.is_module_squashed(importer)
    }
    # Imports an ignore comment took out are no longer in the graph, but resolve all the same.
    rereads |= {
        module
        for module, found in project.adjusted.modules.items()
        if any(removed.imported in touched_names for removed in found.removed)
    }
    # An import of a module deleted since may now resolve to nothing at all: look for its name.
    leaves = {module.rpartition(".")[2] for module in changes.deleted}
    for path in git.files_mentioning(repository, leaves, list(locations)):
        module = _module_of(path, locations)
        if module is not None and module in internal:
            rereads.add(module)
    rereads -= changes.added | changes.modified
    for module in rereads:
        path = project.file_of(module)
        if path is None:
            return None
        changes.paths[module] = path

    before = git.read_files(repository, commit, [changes.paths[m] for m in changes.modified | changes.deleted])
    sources: dict[str, bytes | None] = {module: None for module in changes.added}
    for module in changes.modified | changes.deleted:
        content = before.get(changes.paths[module])
        if content is None:
            return None
        sources[module] = content
    rescanned = changes.modified | changes.deleted | rereads
    modules_then = (internal - changes.added) | changes.deleted
    imports = _scan(project, locations, modules_then, rescanned, changes.paths, sources)

    patched = copy.deepcopy(graph)
    formerly_imported = {
        imported
        for module in changes.added | rescanned
        if module in internal
        for imported in graph.find_modules_directly_imported_by(module)
    }
    for module in changes.added:
        patched.remove_module(module)
    for module in rescanned & internal:
        for imported in patched.find_modules_directly_imported_by(module):
            patched.remove_import(importer=module, imported=imported)
    for module in changes.deleted:
        patched.add_module(module)
    for module, found in imports.items():
        patched.add_module(module)
        for direct in found:
            imported = direct.imported.name
            patched.add_module(imported, is_squashed=not _is_internal(imported, project.root_packages))
            patched.add_import(
                importer=module,
                imported=imported,
                line_number=direct.line_number,
                line_contents=direct.line_contents,
                is_lazy=direct.is_lazy,
            )
    # External packages only exist in the graph as long as something imports them.
    for module in formerly_imported:
        if (
            module in patched.modules
            and patched.is_module_squashed(module)
            and not patched.find_modules_that_directly_import(module)
        ):
            patched.remove_module(module)
    deleted_files = {module: changes.paths[module] for module in changes.deleted}
    revision = replace(project, graph=patched, sources=sources, _files=deleted_files)
    _adjust(revision, rescanned)
    return revision


def _adjust(revision: ProjectGraph, rescanned: set[str]) -> None:
    """Adjust the imports of the modules scanned again as the project's are (core.import_adjustments),
    from the revision's sources; git-ignored files are those ignored now."""
    adjusted = revision.adjusted
    if not adjusted.options.active:
        return
    found = adjust_imports(
        revision.graph,
        rescanned,
        options=adjusted.options,
        root_packages=revision.root_packages,
        source_of=revision.source_bytes_of,
        is_package=lambda module: (revision.file_of(module) or "").endswith("__init__.py"),
        gitignored=adjusted.gitignored,
        first_party=adjusted.first_party,
        exclude_type_checking_imports=revision.exclude_type_checking_imports,
    )
    revision.adjusted = adjusted.updated(set(revision.graph.modules), {module: found.get(module) for module in rescanned})


def _classify(project: ProjectGraph, locations: dict[str, str], statuses: dict[str, str]) -> _Changes | None:
    """Sort changed files into added, deleted and modified modules; None for structure a patch cannot follow."""
    changes = _Changes()
    inits: dict[str, str] = {}
    for path, status in statuses.items():
        module = _module_of(path, locations)
        if module is None:
            continue
        changes.paths[module] = path
        if path.endswith("/__init__.py"):
            inits[module] = status
        if status == "A":
            changes.added.add(module)
        elif status == "D":
            changes.deleted.add(module)
        else:
            changes.modified.add(module)
    graph = project.graph
    for module in changes.added | changes.modified:
        if module not in graph.modules:
            return None
    for module in changes.deleted:
        if module in graph.modules:
            return None
    changes.added_packages = {module for module, status in inits.items() if status == "A"}
    changes.deleted_packages = {module for module, status in inits.items() if status == "D"}
    if (changes.added_packages | changes.deleted_packages) & set(project.root_packages):
        return None
    for package in changes.added_packages:
        # A new package must be new as a whole: nothing in it was a module at the revision.
        if any(child not in changes.added for child in graph.find_descendants(package)):
            return None
    for module in changes.added | changes.deleted | changes.modified:
        if not _parents_follow(project, module, changes):
            return None
    return changes


def _parents_follow(project: ProjectGraph, module: str, changes: _Changes) -> bool:
    """Whether each package above the module is a regular package both now and at the revision,
    or comes or goes together with the module."""
    for ancestor in name_and_ancestors(module)[1:]:
        if ancestor in changes.added_packages:
            if module not in changes.added:
                return False
            continue
        if ancestor in changes.deleted_packages:
            if module not in changes.deleted:
                return False
            continue
        # Unchanged from here up: it must be a regular package (namespace directories are not patched).
        path = project.file_of(ancestor)
        return path is not None and path.endswith("__init__.py")
    return True


def _module_of(path: str, locations: dict[str, str]) -> str | None:
    """The module a project file is, as grimp names it, or None if grimp would not see it as one."""
    for location, package in locations.items():
        if path.startswith(location + "/"):
            return module_of_file(package, path[len(location) + 1 :].split("/"))
    return None


def _is_internal(module: str, root_packages: tuple[str, ...]) -> bool:
    return any(is_in_package(module, package) for package in root_packages)


def _scan(
    project: ProjectGraph,
    locations: dict[str, str],
    modules_then: set[str],
    rescanned: set[str],
    paths: dict[str, str],
    sources: dict[str, bytes | None],
) -> dict[str, set[DirectImport]]:
    """The imports of `rescanned` modules as grimp reads them among the revision's modules."""
    if not rescanned:
        return {}
    parents = {module.rpartition(".")[0] for module in modules_then}
    namespaces = {
        module
        for module in parents & modules_then
        if not (project.file_of(module) or "").endswith("__init__.py")
    }
    with tempfile.TemporaryDirectory(prefix="strataview-baseline-") as scratch:
        for module in rescanned:
            content = sources.get(module)
            if content is None:
                content = (project.root / paths[module]).read_bytes()
            target = Path(scratch, paths[module])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        found_packages = {
            FoundPackage(
                name=package,
                directory=str(Path(scratch, location)),
                module_files=frozenset(
                    ModuleFile(module=Module(m), mtime=0.0)
                    for m in modules_then
                    if is_in_package(m, package) and m not in namespaces
                ),
                namespace_packages=frozenset(m for m in namespaces if is_in_package(m, package)),
            )
            for location, package in locations.items()
        }
        try:
            found = scanning.scan_imports(
                [ModuleFile(module=Module(module), mtime=0.0) for module in rescanned],
                found_packages=found_packages,
                include_external_packages=project.include_external_packages,
                exclude_type_checking_imports=project.exclude_type_checking_imports,
            )
        except grimp.exceptions.SourceSyntaxError as error:
            raise syntax_error(error, Path(scratch)) from None
    return {module_file.module.name: imports for module_file, imports in found.items()}
