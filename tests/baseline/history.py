"""Git repositories for the baseline tests, made and read without the user's git configuration."""

from __future__ import annotations

import hashlib
import os
import subprocess
import textwrap
from pathlib import Path

ADA = "Ada Lovelace <ada@example.com>"

# A project with one rule: the package shop.ui is above shop.core.
SHOP_CONFIG = """
[tool.strataview]
root_packages = ["shop"]

[[tool.strataview.rules]]
id = "layers"
type = "layers"
layers = ["shop.ui", "shop.core"]
"""
SHOP_PACKAGES = {
    "pyproject.toml": SHOP_CONFIG,
    "shop/__init__.py": "",
    "shop/ui/__init__.py": "",
    "shop/core/__init__.py": "",
}


def git_environment() -> dict[str, str]:
    """No GIT_ variable, no user or system configuration, and no index refresh by reading commands."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    environment.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_OPTIONAL_LOCKS="0")
    return environment


class History:
    """A repository whose commits get one day each, from 2025-02-01, so their order is clear."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.day = 0
        self.git("init", "--quiet", "--initial-branch=main")

    def git(self, *arguments: str, environment: dict[str, str] | None = None, stdin: str | None = None) -> str:
        return subprocess.run(
            ["git", *arguments],
            cwd=self.root,
            env=environment or git_environment(),
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def write(self, files: dict[str, str]) -> None:
        for name, text in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"))

    def remove(self, *names: str) -> None:
        for name in names:
            (self.root / name).unlink()

    def commit(self, message: str, author: str = ADA, *, same_day: bool = False) -> str:
        """Commit everything in the working tree (`same_day`: at the previous commit's time); returns its hash."""
        self.day += 0 if same_day else 1
        name, email = author[: author.index("<")].strip(), author[author.index("<") + 1 : -1]
        environment = git_environment()
        for role in ("AUTHOR", "COMMITTER"):
            environment[f"GIT_{role}_NAME"] = name
            environment[f"GIT_{role}_EMAIL"] = email
            environment[f"GIT_{role}_DATE"] = self.date(self.day)
        self.git("add", "--all", environment=environment)
        self.git(
            "-c",
            "commit.gpgsign=false",
            "commit",
            "--quiet",
            "--no-verify",
            "--file=-",
            environment=environment,
            stdin=message,
        )
        return self.git("rev-parse", "HEAD").strip()

    @staticmethod
    def date(day: int) -> str:
        return f"2025-02-{day:02d}T10:00:00+00:00"

    def state(self) -> dict[str, object]:
        """Everything of the user's a baseline check must leave as it was."""
        git_dir = self.root / ".git"
        return {
            "head": self.git("rev-parse", "HEAD"),
            "status": self.git("status", "--porcelain", "--ignored", "--untracked-files=all"),
            "stash": self.git("stash", "list"),
            "refs": self.git("for-each-ref", "--format=%(refname) %(objectname)"),
            "worktrees": self.git("worktree", "list", "--porcelain"),
            "index": hashlib.sha256((git_dir / "index").read_bytes()).hexdigest(),
            "git_dir": sorted(
                (str(path.relative_to(git_dir)), path.stat().st_mtime_ns)
                for path in git_dir.rglob("*")
                if path.is_file()
            ),
            "files": sorted(
                (str(path.relative_to(self.root)), path.read_bytes(), path.stat().st_mtime_ns)
                for path in self.root.rglob("*")
                if path.is_file() and ".git" not in path.relative_to(self.root).parts
            ),
        }
