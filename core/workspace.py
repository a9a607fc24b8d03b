"""Review workspaces: one review of one project, saved as a readable, diff-friendly JSON file.

A workspace (`*.strataview.json`) holds the project (relative to the file where possible), its
configuration and baseline, the reviewer, the decisions keyed by violation fingerprint, the
window's view and the views saved by name, and the last analysis, so that the app shows it at
once and can tell what changed since.

Reading refuses anything that is not a workspace this version understands, with one message
naming the file and the problem, and never changes the file: files that are too large or nested
too deeply, wrong types, over-long texts, and versions newer than this one. Older versions are
migrated step by step. Saving is atomic and keeps the previous file as `FILE.bak`; the app's
autosaves go to recovery files that are offered back after a crash.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from core.errors import StrataviewError
from core.files import write_text_atomically
from core.model import SCHEMA_VERSION as RESULT_SCHEMA_VERSION
from core.model import CheckResult, ReviewStatus

WORKSPACE_FORMAT = "strataview-workspace"
WORKSPACE_VERSION = 1
WORKSPACE_SUFFIX = ".strataview.json"
RECOVERY_FORMAT = "strataview-recovery"
BACKUP_SUFFIX = ".bak"

# Limits against hostile or broken files: far above any real review, far below what hurts.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 40  # the deepest real nesting (a chain's line numbers in the last analysis) is 9
MAX_TEXT = 10_000  # a note or a message
MAX_NAME = 1_000  # a reviewer, a rule id, a module, a path
MAX_DECISIONS = 200_000
MAX_VIEWS = 1_000
MAX_EXPANDED = 20_000

Fingerprint = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8,64}$")]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Name = Annotated[str, StringConstraints(max_length=MAX_NAME)]
ViewName = Annotated[str, StringConstraints(min_length=1, max_length=200)]
DecisionFilter = Literal["undecided", "accepted", "waived", "must-fix"]
Tab = Literal["architecture", "matrix", "timeline"]


class WorkspaceError(StrataviewError):
    """A workspace file cannot be read or written. `backup` is the previous version, if one was kept."""

    def __init__(
        self, message: str, *, file: str | None = None, place: str | None = None, backup: Path | None = None
    ) -> None:
        super().__init__(message, file=file, place=place)
        self.backup = backup


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Decision(_Value):
    """A reviewer's decision on one violation. `rule` and `message` say what the violation was,
    so a decision whose violation is gone still reads as something."""

    status: ReviewStatus
    note: Text = ""
    reviewer: Name | None = None
    decided_at: datetime | None = None
    expires: date | None = Field(default=None, description="Only for a waiver: the last day it holds.")
    rule: Name | None = None
    message: Text | None = None

    @model_validator(mode="after")
    def _expiry_only_for_waivers(self) -> Decision:
        if self.expires is not None and self.status != "waived":
            raise ValueError(
                f"only a waived decision can expire, not a{'n' if self.status[0] in 'ao' else ''} {self.status} one"
            )
        return self


class ViewState(_Value):
    """What the window shows: the violation filters, the selected rule and violation, the tab, and
    the drawing's expanded packages, zoom and centre. A pinned view opens at its zoom and centre;
    otherwise the drawing is fitted to the window."""

    text_filter: Text = ""
    rule_type: Name | None = None
    decision: DecisionFilter | None = None
    new_only: bool = False
    rule: Name | None = None
    selected: Fingerprint | None = None
    tab: Tab = "architecture"
    expanded: tuple[Name, ...] = Field(default=(), max_length=MAX_EXPANDED)
    zoom: float | None = Field(default=None, gt=0, le=1000, allow_inf_nan=False)
    center: tuple[Annotated[float, Field(allow_inf_nan=False)], Annotated[float, Field(allow_inf_nan=False)]] | None = (
        None
    )
    pinned: bool = False


class BaselineRef(_Value):
    kind: Literal["git", "snapshot"]
    ref: Name = Field(description="A git revision, or the snapshot file (relative to the workspace where possible).")


class LastAnalysis(_Value):
    analysed_at: datetime
    result: CheckResult


class Workspace(_Value):
    format: Literal["strataview-workspace"] = WORKSPACE_FORMAT
    schema_version: Literal[1] = WORKSPACE_VERSION
    project: Name = Field(description="The project directory, relative to the workspace file where possible.")
    config: Name | None = Field(default=None, description="The configuration file; None: found in the project.")
    baseline: BaselineRef | None = None
    reviewer: Name | None = None
    decisions: dict[Fingerprint, Decision] = Field(default_factory=dict, max_length=MAX_DECISIONS)
    view: ViewState = ViewState()
    saved_views: dict[ViewName, ViewState] = Field(default_factory=dict, max_length=MAX_VIEWS)
    last_analysis: LastAnalysis | None = None

    def project_path(self, file: Path | None) -> Path:
        return resolve_path(self.project, file)

    def config_path(self, file: Path | None) -> Path | None:
        return resolve_path(self.config, file) if self.config is not None else None

    def baseline_ref(self, file: Path | None) -> str | None:
        """The baseline as a check takes it: a git revision, or the snapshot file's full path."""
        if self.baseline is None:
            return None
        if self.baseline.kind == "snapshot":
            return str(resolve_path(self.baseline.ref, file))
        return self.baseline.ref

    def with_decision(self, fingerprint: str, decision: Decision | None) -> Workspace:
        """The workspace with the decision on one violation replaced (None: removed)."""
        decisions = {key: value for key, value in self.decisions.items() if key != fingerprint}
        if decision is not None:
            decisions[fingerprint] = decision
        return self.model_copy(update={"decisions": decisions})


@dataclass(frozen=True)
class LoadedWorkspace:
    workspace: Workspace
    migrated_from: int | None = None
    warnings: tuple[str, ...] = ()


# Creating.


def timestamp() -> datetime:
    """Now in UTC, to the second: when a decision or an analysis is recorded."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def new_workspace(
    file: Path | None,
    project: Path,
    *,
    config: Path | None = None,
    baseline: str | None = None,
    reviewer: str | None = None,
) -> Workspace:
    """A workspace without decisions for `project`; paths are kept relative to `file` where possible
    (absolute while the workspace has no file yet). A baseline that names an existing file is a snapshot."""
    return Workspace(
        project=portable_path(project, file),
        config=portable_path(config, file) if config is not None else None,
        baseline=_baseline_ref(baseline, file),
        reviewer=reviewer,
    )


def _baseline_ref(baseline: str | None, file: Path | None) -> BaselineRef | None:
    if baseline is None:
        return None
    path = Path(baseline).expanduser()
    if path.is_file():
        return BaselineRef(kind="snapshot", ref=portable_path(path, file))
    return BaselineRef(kind="git", ref=baseline)


def portable_path(path: Path, file: Path | None) -> str:
    """`path` relative to the workspace file's folder when one lies inside the other (a workspace
    committed in its project, or a project beside its workspace), else absolute; '/' separated."""
    target = Path(os.path.abspath(path))
    if file is None:
        return target.as_posix()
    folder = Path(os.path.abspath(file)).parent
    if target.is_relative_to(folder) or folder.is_relative_to(target):
        return Path(os.path.relpath(target, folder)).as_posix()
    return target.as_posix()


def resolve_path(text: str, file: Path | None) -> Path:
    path = Path(text).expanduser()
    if path.is_absolute() or file is None:
        return Path(os.path.abspath(path))
    return Path(os.path.abspath(Path(os.path.abspath(file)).parent / path))


# Writing.


def render(workspace: Workspace) -> str:
    """The file's text: fields in a fixed order, decisions and views sorted, one key per line, and
    the last analysis at the end with the project root as the workspace names it (no machine's path)."""
    data = workspace.model_dump(mode="json")
    data["decisions"] = dict(sorted(data["decisions"].items()))
    data["saved_views"] = dict(sorted(data["saved_views"].items()))
    if data["last_analysis"] is not None:
        data["last_analysis"]["result"]["project"]["root"] = workspace.project
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def save_workspace(workspace: Workspace, file: Path) -> None:
    """Write the workspace atomically; the file it replaces, if it was a readable workspace, is kept
    as `FILE.bak` first. An unwritable place is a WorkspaceError and leaves both files as they were."""
    text = render(workspace)
    try:
        if file.is_file() and _readable(file):
            _copy_atomically(file, backup_path(file))
        write_text_atomically(file, text)
    except OSError as error:
        raise WorkspaceError(f"cannot save the workspace: {error.strerror or error}", file=str(file)) from None


def backup_path(file: Path) -> Path:
    return file.with_name(file.name + BACKUP_SUFFIX)


def _readable(file: Path) -> bool:
    try:
        load_workspace(file)
    except WorkspaceError:
        return False
    return True


def _copy_atomically(source: Path, target: Path) -> None:
    target = Path(os.path.realpath(target))
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream, source.open("rb") as original:
            shutil.copyfileobj(original, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# Reading.


def load_workspace(file: Path) -> LoadedWorkspace:
    """Read a workspace file; anything that is not a workspace this version reads is a WorkspaceError
    naming the file, the place and the problem (and the backup, if one exists). The file is never changed."""
    try:
        data = _read_json(file)
        return parse_workspace(data, file)
    except WorkspaceError as error:
        backup = backup_path(file)
        if backup.is_file() and error.backup is None:
            raise WorkspaceError(
                f"{error.message}; the previous version is kept in {backup.name}",
                file=error.file,
                place=error.place,
                backup=backup,
            ) from None
        raise


def parse_workspace(data: object, file: Path) -> LoadedWorkspace:
    """A workspace from decoded JSON: migrated from an older version, checked, and with the last
    analysis's project root resolved against `file`."""
    name = str(file)
    if not isinstance(data, dict) or data.get("format") != WORKSPACE_FORMAT:
        raise WorkspaceError(
            f'not a Strataview workspace (a "format": "{WORKSPACE_FORMAT}" object, as the app and '
            "`strataview review` write)",
            file=name,
        )
    version = data.get("schema_version", 0)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise WorkspaceError(
            f"schema_version must be a whole number, not {version!r}", file=name, place="schema_version"
        )
    if version > WORKSPACE_VERSION:
        raise WorkspaceError(
            f"written by a newer Strataview (workspace schema_version {version}; this version reads up to "
            f"{WORKSPACE_VERSION}): open it with that version; the file was not changed",
            file=name,
            place="schema_version",
        )
    migrated_from = version if version < WORKSPACE_VERSION else None
    try:
        while version < WORKSPACE_VERSION:
            data = MIGRATIONS[version](data)
            version += 1
    except _MigrationError as error:
        raise WorkspaceError(
            f"corrupt workspace (schema_version {migrated_from}): {error.message}", file=name, place=error.place
        ) from None
    warnings: list[str] = []
    analysis = data.get("last_analysis")
    if isinstance(analysis, dict) and isinstance(analysis.get("result"), dict):
        result_version = analysis["result"].get("schema_version")
        if result_version != RESULT_SCHEMA_VERSION:
            # Only a cache: the project is analysed again, and the decisions are what matters.
            data = {**data, "last_analysis": None}
            warnings.append(
                f"the saved analysis has result schema_version {result_version!r}, not {RESULT_SCHEMA_VERSION}; "
                "it is left out and the project is analysed again"
            )
    try:
        workspace = Workspace.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        place = ".".join(str(part) for part in problem["loc"])
        raise WorkspaceError(f"corrupt workspace: {_problem_text(problem)}", file=name, place=place or None) from None
    if workspace.last_analysis is not None:
        result = workspace.last_analysis.result
        root = str(workspace.project_path(file))
        workspace = workspace.model_copy(
            update={
                "last_analysis": workspace.last_analysis.model_copy(
                    update={
                        "result": result.model_copy(
                            update={"project": result.project.model_copy(update={"root": root})}
                        )
                    }
                )
            }
        )
    return LoadedWorkspace(workspace=workspace, migrated_from=migrated_from, warnings=tuple(warnings))


def _problem_text(problem: Any) -> str:
    message = str(problem["msg"])
    value = problem.get("input")
    if isinstance(value, str) and len(value) > 60:
        return f"{message} (a text of {len(value):,} characters)"
    return message


def _read_json(file: Path) -> object:
    name = str(file)
    try:
        size = file.stat().st_size
    except FileNotFoundError:
        raise WorkspaceError("no such workspace file", file=name) from None
    except OSError as error:
        raise WorkspaceError(f"cannot read the workspace: {error.strerror}", file=name) from None
    if file.is_dir():
        raise WorkspaceError("is a directory, not a workspace file", file=name)
    if size > MAX_FILE_BYTES:
        raise WorkspaceError(f"too large for a workspace ({size:,} bytes; at most {MAX_FILE_BYTES:,})", file=name)
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise WorkspaceError(f"cannot read the workspace: {error.strerror}", file=name) from None
    return decode_json(raw, name)


def decode_json(raw: bytes, name: str) -> object:
    """JSON of bounded size and depth, without NaN or infinities; a WorkspaceError names what is wrong."""
    if len(raw) > MAX_FILE_BYTES:
        raise WorkspaceError(f"too large for a workspace ({len(raw):,} bytes; at most {MAX_FILE_BYTES:,})", file=name)
    if not raw.strip():
        raise WorkspaceError("the file is empty: it is not a workspace (or its writing was cut off)", file=name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WorkspaceError(
            "not a workspace: the file is not UTF-8 text", file=name, place=f"byte {error.start}"
        ) from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        # A workspace is one object: an opened brace that is never closed means the end is missing.
        if not text[error.pos :].strip() or (text.lstrip().startswith("{") and not text.rstrip().endswith("}")):
            problem = f"the file ends too early: it is truncated ({error.msg})"
        else:
            problem = f"invalid JSON ({error.msg})"
        raise WorkspaceError(problem, file=name, place=f"line {error.lineno}, column {error.colno}") from None
    except ValueError as error:  # NaN or Infinity
        raise WorkspaceError(f"invalid JSON ({error})", file=name) from None
    except RecursionError:
        raise WorkspaceError(f"nested too deeply (more than {MAX_DEPTH} levels): not a workspace", file=name) from None
    if _depth(data) > MAX_DEPTH:
        raise WorkspaceError(f"nested too deeply (more than {MAX_DEPTH} levels): not a workspace", file=name)
    return data


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number a workspace holds")


def _depth(data: object) -> int:
    deepest = 0
    pending: list[tuple[object, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return deepest
        pending.extend((child, depth + 1) for child in children)
    return deepest


# Migrations: MIGRATIONS[n] turns a schema_version n workspace into a schema_version n + 1 one.


class _MigrationError(Exception):
    def __init__(self, message: str, place: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.place = place


def _from_version_0(data: dict[str, Any]) -> dict[str, Any]:
    """The first layout, before schema_version: decisions as a list of entries that carry their
    fingerprint, `must_fix` spelt with an underscore, the decision's time as `date`, and the
    baseline as a bare string (a snapshot file when it ends in `.json`)."""
    migrated = {key: value for key, value in data.items() if key not in ("decisions", "baseline")}
    migrated["schema_version"] = 1
    baseline = data.get("baseline")
    if isinstance(baseline, str):
        migrated["baseline"] = {"kind": "snapshot" if baseline.endswith(".json") else "git", "ref": baseline}
    elif baseline is not None:
        raise _MigrationError("baseline must be a git revision or a snapshot file's name", "baseline")
    entries = data.get("decisions", [])
    if not isinstance(entries, list):
        raise _MigrationError("decisions must be a list", "decisions")
    decisions: dict[str, Any] = {}
    for index, entry in enumerate(entries):
        place = f"decisions.{index}"
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise _MigrationError("each decision must be an object with a fingerprint", place)
        fingerprint = entry["fingerprint"]
        if fingerprint in decisions:
            raise _MigrationError(f"two decisions for the violation {fingerprint}", place)
        decision = {key: value for key, value in entry.items() if key not in ("fingerprint", "date")}
        if decision.get("status") == "must_fix":
            decision["status"] = "must-fix"
        if "date" in entry:
            decision["decided_at"] = entry["date"]
        decisions[fingerprint] = decision
    migrated["decisions"] = decisions
    return migrated


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _from_version_0}


# Recovery: what the app autosaves between saves, offered back after a crash.


class Recovery(_Value):
    format: Literal["strataview-recovery"] = RECOVERY_FORMAT
    workspace_file: Name | None = Field(description="The workspace the changes belong to; None if never saved.")
    autosaved_at: datetime
    pid: int = Field(description="The process that autosaved; a recovery of a running app is not offered.")
    workspace: dict[str, Any]


@dataclass(frozen=True)
class RecoveredWorkspace:
    path: Path
    workspace_file: Path | None
    autosaved_at: datetime
    pid: int
    loaded: LoadedWorkspace = field(repr=False)


def recovery_path(recovery_dir: Path, workspace_file: Path | None) -> Path:
    """One recovery file per workspace file (and per untitled workspace of a process)."""
    key = str(Path(os.path.abspath(workspace_file))) if workspace_file is not None else f"untitled-{os.getpid()}"
    return recovery_dir / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}.json"


def write_recovery(recovery_dir: Path, workspace: Workspace, workspace_file: Path | None) -> Path:
    path = recovery_path(recovery_dir, workspace_file)
    recovery = Recovery(
        workspace_file=str(Path(os.path.abspath(workspace_file))) if workspace_file is not None else None,
        autosaved_at=datetime.now(timezone.utc),
        pid=os.getpid(),
        workspace=json.loads(render(workspace)),
    )
    try:
        recovery_dir.mkdir(parents=True, exist_ok=True)
        write_text_atomically(path, json.dumps(recovery.model_dump(mode="json"), ensure_ascii=False) + "\n")
    except OSError as error:
        raise WorkspaceError(f"cannot autosave: {error.strerror or error}", file=str(path)) from None
    return path


def read_recovery(path: Path) -> RecoveredWorkspace:
    data = _read_json(path)
    try:
        recovery = Recovery.model_validate(data)
    except ValidationError:
        raise WorkspaceError("not a Strataview recovery file", file=str(path)) from None
    workspace_file = Path(recovery.workspace_file) if recovery.workspace_file is not None else None
    # Relative paths in it are relative to its workspace file, as in that file.
    loaded = parse_workspace(recovery.workspace, workspace_file or path)
    return RecoveredWorkspace(path, workspace_file, recovery.autosaved_at, recovery.pid, loaded)


def pending_recoveries(recovery_dir: Path) -> list[RecoveredWorkspace]:
    """Recoveries left by apps that are no longer running, newest first; unreadable ones are skipped."""
    found = []
    for path in sorted(recovery_dir.glob("*.json")) if recovery_dir.is_dir() else ():
        try:
            recovered = read_recovery(path)
        except WorkspaceError:
            continue
        if recovered.pid != os.getpid() and _process_running(recovered.pid):
            continue
        found.append(recovered)
    return sorted(found, key=lambda recovered: recovered.autosaved_at, reverse=True)


def _process_running(pid: int) -> bool:
    if pid <= 0 or os.name == "nt":  # on Windows, os.kill would end the process
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True
