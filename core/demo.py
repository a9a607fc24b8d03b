"""The demo project: a small layered shop as a git repository whose later commits break its rules.

Its files and history are data under `resources/demo/` in Strataview's repository: `demo.toml`
lists the commits, oldest first, each naming a directory whose files it adds or replaces. Commits
are made with the manifest's authors and fixed dates and without the user's git configuration
(core.git), so every demo has the same history and no setting of the user's can change or stop it.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import tomllib
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core import git
from core.errors import StrataviewError

DEMO_DIR = Path(__file__).resolve().parent.parent / "resources" / "demo"
MANIFEST = "demo.toml"
CO_AUTHOR_TRAILER = "Co-authored-by"

_PERSON = re.compile(r"^(?P<name>[^<>]+?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>$")


class DemoError(StrataviewError):
    """The demo project cannot be created: its files are missing or git cannot make the commits."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DemoCommit(_Frozen):
    """One commit of the demo's history, as `demo.toml` describes it."""

    files: str = Field(description="Directory, relative to the manifest, whose files the commit adds or replaces.")
    author: str = Field(description="'Name <email>'; the committer too.")
    date: str = Field(description="Author and committer date, ISO 8601 with a UTC offset.")
    message: str
    co_authors: tuple[str, ...] = Field(default=(), description="'Name <email>' of each co-author, as trailers.")

    @field_validator("author", "co_authors")
    @classmethod
    def _people(cls, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
        for person in (value,) if isinstance(value, str) else value:
            if not _PERSON.match(person):
                raise ValueError(f"'{person}' is not of the form 'Name <email>'")
        return value

    @field_validator("date")
    @classmethod
    def _date(cls, value: str) -> str:
        if datetime.fromisoformat(value).tzinfo is None:
            raise ValueError(f"'{value}' has no UTC offset")
        return value

    @field_validator("message")
    @classmethod
    def _message(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the message is empty")
        return value

    @property
    def full_message(self) -> str:
        trailers = "".join(f"{CO_AUTHOR_TRAILER}: {person}\n" for person in self.co_authors)
        return self.message.strip() + "\n" + (f"\n{trailers}" if trailers else "")

    @property
    def subject(self) -> str:
        return self.message.strip().splitlines()[0]


class DemoManifest(_Frozen):
    project: str = Field(
        pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$",
        description="Name of the project's directory in a temporary folder.",
    )
    commits: tuple[DemoCommit, ...] = Field(min_length=1)


class CreatedCommit(_Frozen):
    sha: str
    subject: str
    co_authors: tuple[str, ...] = ()


class DemoProject(_Frozen):
    root: Path
    commits: tuple[CreatedCommit, ...]


def load_manifest(demo_dir: Path | None = None) -> DemoManifest:
    """Read `demo.toml` (from `resources/demo/` unless told); a missing or malformed demo is a `DemoError`."""
    manifest = (DEMO_DIR if demo_dir is None else demo_dir) / MANIFEST
    if not manifest.is_file():
        raise DemoError(
            "the demo project's files are missing; the demo runs from a checkout of Strataview's repository "
            "(installed with `pip install -e .`), whose resources/demo/ holds them",
            file=str(manifest),
        )
    try:
        loaded = DemoManifest.model_validate(tomllib.loads(manifest.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as error:
        raise DemoError(f"not valid TOML: {error}", file=str(manifest)) from None
    except ValidationError as error:
        first = error.errors()[0]
        place = ".".join(str(part) for part in first["loc"])
        raise DemoError(first["msg"], file=str(manifest), place=place) from None
    for index, commit in enumerate(loaded.commits):
        if not (manifest.parent / commit.files).is_dir():
            raise DemoError(
                f"the directory '{commit.files}' of commit {index + 1} does not exist",
                file=str(manifest),
                place=f"commits.{index}.files",
            )
    return loaded


def create_demo_project(destination: Path | None = None, demo_dir: Path | None = None) -> DemoProject:
    """Create the demo repository in `destination` (new or empty), or in a new temporary folder."""
    demo_dir = DEMO_DIR if demo_dir is None else demo_dir
    manifest = load_manifest(demo_dir)
    if destination is None:
        owned = Path(tempfile.mkdtemp(prefix="strataview-demo-"))
        root = owned / manifest.project
        root.mkdir()
    else:
        root = destination.resolve()
        owned = _prepare_destination(root)
    try:
        _git(root, "init", "--quiet", "--initial-branch=main")
        commits = tuple(_commit(root, demo_dir, commit) for commit in manifest.commits)
    except BaseException:
        if owned is not None:
            shutil.rmtree(owned, ignore_errors=True)
        raise
    return DemoProject(root=root, commits=commits)


def describe_demo(project: DemoProject) -> str:
    """What was created, for the command line: where, and the history with its co-authors."""
    lines = [f"Created the demo project in {project.root}, a git repository with {len(project.commits)} commits:"]
    for commit in project.commits:
        co_authors = f"  ({', '.join(f'{CO_AUTHOR_TRAILER}: {person}' for person in commit.co_authors)})"
        lines.append(f"  {commit.sha[:7]}  {commit.subject}{co_authors if commit.co_authors else ''}")
    lines.append("The first commit keeps every rule; the later ones break them.")
    lines.append(
        f"See what each later commit brought: strataview check {project.root} --baseline {project.commits[0].sha[:12]}"
    )
    return "\n".join(lines) + "\n"


def _prepare_destination(root: Path) -> Path | None:
    """Make sure `root` is an empty directory; returns it if it was created here (to remove on failure)."""
    if root.exists():
        if not root.is_dir():
            raise DemoError("is not a directory: choose a new or empty directory for the demo", file=str(root))
        if any(root.iterdir()):
            raise DemoError("is not empty: choose a new or empty directory for the demo", file=str(root))
        return None
    try:
        root.mkdir(parents=True)
    except OSError as error:
        raise DemoError(f"cannot create the directory: {error.strerror}", file=str(root)) from None
    return root


def _commit(root: Path, demo_dir: Path, commit: DemoCommit) -> CreatedCommit:
    shutil.copytree(
        demo_dir / commit.files, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    environment = _commit_environment(commit)
    _git(root, "add", "--all", environment=environment)
    _git(root, "commit", "--quiet", "--no-verify", "--file=-", environment=environment, stdin=commit.full_message)
    sha = _git(root, "rev-parse", "HEAD", environment=environment).strip()
    return CreatedCommit(sha=sha, subject=commit.subject, co_authors=commit.co_authors)


def _commit_environment(commit: DemoCommit) -> dict[str, str]:
    author = _PERSON.match(commit.author)
    assert author is not None  # checked when the manifest was read
    identity = {}
    for role in ("AUTHOR", "COMMITTER"):
        identity[f"GIT_{role}_NAME"] = author["name"]
        identity[f"GIT_{role}_EMAIL"] = author["email"]
        identity[f"GIT_{role}_DATE"] = commit.date
    return git.isolated_environment() | identity


def _git(root: Path, *arguments: str, environment: dict[str, str] | None = None, stdin: str | None = None) -> str:
    try:
        return git.run(root, *arguments, environment=environment, stdin=stdin)
    except git.GitMissing:
        raise DemoError("git is not installed: the demo project is a git repository, so it needs git") from None
    except git.GitError as error:
        raise DemoError(error.message, file=error.file) from None
