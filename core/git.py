"""Running git on a project, isolated from the user's git configuration and never changing the repository.

Every command runs without the process's GIT_ variables (GIT_DIR could point at another
repository), without the user's and the system's configuration (colours, signatures and
aliases would change the output parsed here), and without optional locks, so reading never
refreshes the user's index.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core.errors import StrataviewError

NULL_COMMIT = "0" * 40

# Settings that a repository's own configuration could turn on and that would change parsed output;
# and no global excludes file, which git would otherwise read from the user's home by default.
_FIXED_SETTINGS = (
    "core.excludesFile=",
    "color.ui=never",
    "log.showSignature=false",
    "core.quotePath=false",
    "commit.gpgsign=false",
    f"core.hooksPath={os.devnull}",
)


class GitError(StrataviewError):
    """git cannot do what was asked: the message is git's own, naming the command."""


class GitMissing(GitError):
    """git is not installed."""


def isolated_environment() -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    environment.update(
        GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0"
    )
    return environment


def run(
    cwd: Path,
    *arguments: str,
    environment: dict[str, str] | None = None,
    stdin: str | None = None,
) -> str:
    """Run `git arguments` in `cwd` and return its output; a failure is a GitError with git's message."""
    completed = _run(cwd, arguments, environment, stdin)
    if completed.returncode != 0:
        detail = completed.stderr.strip() or completed.stdout.strip() or f"exit code {completed.returncode}"
        raise GitError(f"git {arguments[0]} failed: {detail}", file=str(cwd))
    return completed.stdout


def try_run(cwd: Path, *arguments: str, environment: dict[str, str] | None = None) -> str | None:
    """Like `run`, but None when git reports a failure (for questions whose answer may be 'no')."""
    completed = _run(cwd, arguments, environment, None)
    return completed.stdout if completed.returncode == 0 else None


def _run(
    cwd: Path, arguments: tuple[str, ...], environment: dict[str, str] | None, stdin: str | None
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            _command(*arguments),
            cwd=cwd,
            env=environment or isolated_environment(),
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except FileNotFoundError:
        raise GitMissing("git is not installed") from None


def _command(*arguments: str) -> list[str]:
    return ["git", *(part for setting in _FIXED_SETTINGS for part in ("-c", setting)), *arguments]


@dataclass(frozen=True)
class Repository:
    """The git repository holding a project: its top directory and the project's place inside it."""

    top: Path
    prefix: str  # the project directory relative to `top`, '' or ending with '/'

    @property
    def project(self) -> Path:
        return self.top / self.prefix if self.prefix else self.top


def repository_of(project_root: Path) -> Repository | None:
    """The repository the project lies in, or None when it is not in one."""
    output = try_run(project_root, "rev-parse", "--show-toplevel", "--show-prefix")
    if output is None:
        return None
    top, prefix = (output.splitlines() + ["", ""])[:2]
    return Repository(top=Path(top), prefix=prefix)


def resolve_commit(repository: Repository, revision: str) -> str | None:
    """The full hash of the commit `revision` names, or None when it names none."""
    if revision.startswith("-"):
        return None
    output = try_run(repository.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    return output.strip() if output else None


def has_commits(repository: Repository) -> bool:
    return try_run(repository.top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}") is not None


def changes_since(repository: Repository, commit: str, paths: list[str]) -> dict[str, str]:
    """Project files under `paths` (relative to the project) whose working-tree content may differ from `commit`,
    each with git's status letter: A (not in the commit), D (gone from the working tree), M, T.

    git decides from the index's file status without reading contents, so a file that was only
    touched may be listed too; a changed file is never missed. Untracked files are not listed.
    """
    output = run(
        repository.project, "diff-index", "--name-status", "--no-renames", "--relative", "-z", commit, "--", *paths
    )
    fields = output.split("\0")
    return {path: status[:1] for status, path in zip(fields[0::2], fields[1::2], strict=False) if path}


def untracked_files(repository: Repository, directories: list[str]) -> set[str]:
    """Files under the project's `directories` that git does not track and does not ignore."""
    if not directories:
        return set()
    output = run(repository.project, "ls-files", "--others", "--exclude-standard", "-z", "--", *directories)
    return {path for path in output.split("\0") if path}


def files_mentioning(repository: Repository, words: set[str], directories: list[str]) -> set[str]:
    """Project files under `directories` (tracked, untracked or ignored, as they are now) in which any of `words`
    occurs as a whole word."""
    if not words or not directories:
        return set()
    patterns = [argument for word in sorted(words) for argument in ("-e", word)]
    output = try_run(
        repository.project, "grep", "--untracked", "--no-exclude-standard", "-l", "-z", "-w", "-F", "--full-name", *patterns, "--", *directories
    )
    prefix = repository.prefix
    return {path.removeprefix(prefix) for path in (output or "").split("\0") if path}


def ignored_files(repository: Repository, directories: list[str]) -> set[str]:
    """Files under the project's `directories` that git ignores (generated ones, caches)."""
    if not directories:
        return set()
    output = run(
        repository.project, "ls-files", "--others", "--ignored", "--exclude-standard", "-z", "--", *directories
    )
    return {path for path in output.split("\0") if path}


def files_matching_ignore_patterns(root: Path, directories: list[str], ignore_file: str = ".gitignore") -> set[str]:
    """Files under `directories` (relative to the directory `root`), tracked or not, that the
    patterns of the `ignore_file` files match (per directory, as git reads `.gitignore`; for
    `.gitignore` also the repository's `info/exclude`). Outside a repository the files are read
    all the same, through a scratch repository whose work tree is `root`."""
    if not directories:
        return set()
    patterns = "--exclude-standard" if ignore_file == ".gitignore" else f"--exclude-per-directory={ignore_file}"
    arguments = ("ls-files", "--cached", "--others", "--ignored", patterns, "-z", "--", *directories)
    if repository_of(root) is not None:
        output = run(root, *arguments)
    else:
        with tempfile.TemporaryDirectory(prefix="strataview-git-") as scratch:
            run(Path(scratch), "init", "--quiet")
            output = run(root, "--git-dir", str(Path(scratch, ".git")), "--work-tree", str(root), *arguments)
    return {path for path in output.split("\0") if path}


def read_files(repository: Repository, commit: str, paths: list[str]) -> dict[str, bytes]:
    """The contents of project files (relative to the project) as they were at `commit`."""
    found = _read_blobs(repository, [f"{commit}:{repository.prefix}{path}" for path in paths])
    return {path: content for path, content in zip(paths, found, strict=True) if content is not None}


def file_versions(repository: Repository, path: str, commits: list[str]) -> dict[str, bytes]:
    """The contents of a project file (relative to the project) at each of `commits` that has it."""
    found = _read_blobs(repository, [f"{commit}:{repository.prefix}{path}" for commit in commits])
    return {commit: content for commit, content in zip(commits, found, strict=True) if content is not None}


def _read_blobs(repository: Repository, names: list[str]) -> list[bytes | None]:
    """The blobs `commit:path` names, in one `git cat-file --batch`; None for each that is not a file."""
    if not names:
        return []
    requests = "".join(f"{name}\n" for name in names).encode("utf-8")
    try:
        completed = subprocess.run(
            _command("cat-file", "--batch"),
            cwd=repository.top,
            env=isolated_environment(),
            input=requests,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise GitMissing("git is not installed") from None
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip() or f"exit code {completed.returncode}"
        raise GitError(f"git cat-file failed: {detail}", file=str(repository.top))
    blobs: list[bytes | None] = []
    output, position = completed.stdout, 0
    for _ in names:
        end = output.index(b"\n", position)
        header = output[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            blobs.append(output[position : position + size])
            position += size + 1
        else:
            blobs.append(None)
    return blobs
