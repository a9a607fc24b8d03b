"""Compare a check with a baseline: which violations are new, which are fixed, what drifted.

A baseline is a git revision or a snapshot file. Violations match by fingerprint (names only),
so moving or reformatting an import never makes it new. A violation that matches but now has
direct illegal imports (module pairs of its one-link chains) the baseline's did not have is
new as well: it brought new illegal imports.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

import core
from core import git
from core.errors import StrataviewError
from core.files import write_text_atomically
from core.git import Repository
from core.model import BaselineInfo, CheckResult, Drift, ImportChain, PackageImport, Violation
from core.snapshot import Snapshot, load_snapshot, package_cycles, violation_from


class BaselineError(StrataviewError):
    """The baseline cannot be used: an unknown revision, no git repository, a bad snapshot file."""


@dataclass(frozen=True)
class BaselineSource:
    """A resolved baseline: a snapshot read from a file, or a commit of the project's repository."""

    info: BaselineInfo
    snapshot: Snapshot | None = None
    repository: Repository | None = None


def resolve_baseline(project_root: Path, ref: str) -> BaselineSource:
    """What `ref` names: an existing file is a snapshot, anything else a git revision."""
    if not ref.strip():
        raise BaselineError("the baseline is empty: give a git revision (branch, tag, commit) or a snapshot file")
    path = Path(ref).expanduser()
    if path.is_file():
        return BaselineSource(info=BaselineInfo(ref=ref, kind="snapshot"), snapshot=load_snapshot(path))
    if path.is_dir():
        raise BaselineError("is a directory, not a snapshot file or a git revision", file=ref)
    try:
        repository = git.repository_of(project_root)
    except git.GitMissing:
        raise BaselineError(
            f"git is not installed, so the baseline '{ref}' cannot be read as a git revision "
            "(and no snapshot file of that name exists)"
        ) from None
    if repository is None:
        raise BaselineError(
            f"not a git repository, so the baseline '{ref}' cannot be a git revision "
            "(and no snapshot file of that name exists)",
            file=str(project_root),
        )
    commit = git.resolve_commit(repository, ref)
    if commit is None:
        raise BaselineError(
            f"unknown git revision '{ref}' (and no snapshot file of that name exists)", file=str(project_root)
        )
    return BaselineSource(info=BaselineInfo(ref=ref, kind="git", commit=commit), repository=repository)


@contextmanager
def baseline_tree(
    repository: Repository, commit: str, root_packages: tuple[str, ...], source_roots: Sequence[str]
) -> Iterator[Path]:
    """The project's packages as they were at `commit`, in a temporary directory removed afterwards,
    each at its place in the project: in one of `source_roots` (relative to the project).

    Nothing of the user's is written: the user's working tree, index, branches and stash are
    never touched. Only what differs is written, from git's objects: a directory whose Python
    files are all as they were at `commit` is a symbolic link to the project's own, and so is
    each such file in a directory that changed. Through the links grimp sees the project files'
    modification times, so their imports come from its cache instead of being parsed again.
    Files git ignores (generated modules) are taken as they are now.
    """
    project_root = repository.project
    locations = package_locations(root_packages, source_roots)
    changes = {
        path: status
        for path, status in git.changes_since(repository, commit, locations).items()
        if path.endswith(".py")
    }
    existing = [location for location in locations if (project_root / location).exists()]
    dirty = set(changes) | {path for path in git.untracked_files(repository, existing) if path.endswith(".py")}
    scratch = Path(tempfile.mkdtemp(prefix="strataview-baseline-"))
    try:
        tree = scratch / "tree"
        tree.mkdir()
        writer = _TreeWriter(project_root, tree, dirty)
        for location in locations:
            writer.place(location)
        # Files as they were at the commit, where they differ now (or are gone).
        before = [path for path, status in changes.items() if status != "A"]
        for path, content in git.read_files(repository, commit, before).items():
            target = tree / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        yield tree
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def package_locations(root_packages: tuple[str, ...], source_roots: Sequence[str]) -> list[str]:
    """Where the project's finder looks for its root packages: in each of the `source_roots`
    inside the project (relative to it, '.' for the project itself)."""
    return [
        "/".join(part for part in (*source_root.split("/"), *package.split(".")) if part not in ("", "."))
        for package in root_packages
        for source_root in source_roots
    ]


class _TreeWriter:
    """Lays out the baseline tree: links for what is unchanged, directories where something changed."""

    def __init__(self, project_root: Path, tree: Path, dirty: set[str]) -> None:
        self.project_root = project_root
        self.tree = tree
        self.dirty = dirty
        self.dirty_directories = {
            "/".join(path.split("/")[:end]) for path in dirty for end in range(1, path.count("/") + 1)
        }

    def place(self, directory: str) -> None:
        """Lay out `directory` (relative to the project) and everything under it."""
        source, target = self.project_root / directory, self.tree / directory
        if directory not in self.dirty_directories:
            if source.is_dir():
                self._link(source, target)
            return
        target.mkdir(parents=True, exist_ok=True)
        subdirectories = {
            path.rpartition("/")[2] for path in self.dirty_directories if path.rpartition("/")[0] == directory
        }
        if source.is_dir():
            for entry in os.scandir(source):
                if entry.is_dir():
                    if entry.name.isidentifier():
                        subdirectories.add(entry.name)
                elif f"{directory}/{entry.name}" not in self.dirty:
                    self._link(Path(entry.path), target / entry.name)
        for name in sorted(subdirectories):
            self.place(f"{directory}/{name}")

    def _link(self, source: Path, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            target.symlink_to(source, target_is_directory=source.is_dir())
        except OSError:  # no symbolic links here (Windows without the privilege): copy, keeping the times
            if source.is_dir():
                shutil.copytree(source, target, symlinks=True)
            else:
                shutil.copy2(source, target)


def copy_cache(grimp_cache: Path, scratch: Path) -> Path:
    """A copy of the project's grimp cache (`grimp_cache_dir`) for the baseline build, so the
    project's own stays as it was; returns the cache directory to build the baseline with."""
    copy = scratch / "project-cache"
    if grimp_cache.is_dir():
        shutil.copytree(grimp_cache, copy / grimp_cache.name)
    return copy


class _CachedBaseline(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    snapshot: Snapshot
    warnings: tuple[str, ...] = ()


# How many analysed baselines each project's cache keeps (the most recently used).
_CACHED_BASELINES = 8


def baseline_key(
    repository: Repository, commit: str, root_packages: tuple[str, ...], source_roots: Sequence[str], settings: str
) -> str:
    """What a baseline's analysis depends on: the commit, the rules and graph `settings`, Strataview's
    version, and the Python files git ignores (generated modules are taken as they are now)."""
    locations = [
        location
        for location in package_locations(root_packages, source_roots)
        if (repository.project / location).exists()
    ]
    ignored = []
    for path in sorted(git.ignored_files(repository, locations)):
        if path.endswith(".py"):
            try:
                status = (repository.project / path).stat()
            except OSError:
                continue
            ignored.append(f"{path}:{status.st_size}:{status.st_mtime_ns}")
    text = "\n".join([commit, core.__version__, settings, *ignored])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def load_cached_baseline(cache_dir: Path, key: str) -> tuple[Snapshot, tuple[str, ...]] | None:
    """A baseline analysed before with the same key, or None (a missing or unreadable entry is no error)."""
    path = cache_dir / "baselines" / f"{key}.json"
    try:
        cached = _CachedBaseline.model_validate_json(path.read_bytes())
        os.utime(path)  # most recently used
    except (OSError, ValueError):
        return None
    return (cached.snapshot, cached.warnings) if cached.key == key else None


def store_cached_baseline(cache_dir: Path, key: str, snapshot: Snapshot, warnings: tuple[str, ...]) -> None:
    """Keep an analysed baseline for the next check; the oldest entries go. A cache that cannot be
    written only costs time later."""
    directory = cache_dir / "baselines"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        entry = _CachedBaseline(key=key, snapshot=snapshot, warnings=warnings)
        write_text_atomically(directory / f"{key}.json", entry.model_dump_json())
        entries = sorted(directory.glob("*.json"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
        for old in entries[_CACHED_BASELINES:]:
            old.unlink(missing_ok=True)
    except OSError:
        return


@dataclass
class Comparison:
    """A check result marked against the baseline, and for each new violation the chains that made it new."""

    result: CheckResult
    traced: dict[str, tuple[ImportChain, ...]] = field(default_factory=dict)


def compare(result: CheckResult, current: Snapshot, baseline: Snapshot, info: BaselineInfo) -> Comparison:
    """Mark each violation new or existing, list the baseline's fixed ones, and describe the drift."""
    marked: list[Violation] = []
    traced: dict[str, tuple[ImportChain, ...]] = {}
    for violation in result.violations:
        before = baseline.violations.get(violation.fingerprint)
        if before is None:
            status = "new"
            traced[violation.fingerprint] = violation.chains
        else:
            added = direct_imports(violation) - before.direct_imports
            status = "new" if added else "existing"
            if added:
                traced[violation.fingerprint] = tuple(
                    chain
                    for chain in violation.chains
                    if len(chain) == 1 and (chain[0].importer, chain[0].imported) in added
                )
        marked.append(violation.model_copy(update={"status": status}))
    # Violations of rules no longer configured are not fixed, only no longer checked.
    present = {violation.fingerprint for violation in result.violations}
    checked = {rule.id for rule in result.rules}
    fixed = sorted(
        (
            violation_from(fp, entry)
            for fp, entry in baseline.violations.items()
            if fp not in present and entry.rule in checked
        ),
        key=lambda v: (v.rule, v.message, v.fingerprint),
    )
    dropped = sorted({entry.rule for entry in baseline.violations.values()} - checked)
    warnings = info.warnings + tuple(
        f"rule '{rule}' of the baseline is no longer configured; its violations are not compared" for rule in dropped
    )
    updated = result.model_copy(
        update={
            "violations": tuple(marked),
            "fixed": tuple(fixed),
            "baseline": info.model_copy(update={"warnings": warnings}),
            "drift": drift(current, baseline),
        }
    )
    return Comparison(result=updated, traced=traced)


def direct_imports(violation: Violation) -> set[tuple[str, str]]:
    return {(chain[0].importer, chain[0].imported) for chain in violation.chains if len(chain) == 1}


def drift(current: Snapshot, baseline: Snapshot) -> Drift:
    """Modules added and removed, imports added between top-level packages, and cycles that appeared."""
    now, before = set(current.modules), set(baseline.modules)
    imports_now, imports_before = current.package_import_pairs(), baseline.package_import_pairs()
    cycles_before = package_cycles(imports_before)
    appeared = [
        tuple(sorted(group))
        for group in package_cycles(imports_now)
        if not any(group <= earlier for earlier in cycles_before)
    ]
    return Drift(
        modules_added=tuple(sorted(now - before)),
        modules_removed=tuple(sorted(before - now)),
        imports_added=tuple(PackageImport(importer=a, imported=b) for a, b in sorted(imports_now - imports_before)),
        cycles_appeared=tuple(sorted(appeared)),
    )
