"""`strataview demo`: the demo repository's history, its checks, and that nothing of the user's is touched."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import types
from pathlib import Path

import pytest

from app.cli import main
from core.check import CheckOptions, check_project
from core.demo import DEMO_DIR, DemoError, create_demo_project, load_manifest

SUBJECTS = [
    "Shop: catalogue, orders and payments in layers",
    "Recommend products from purchase history",
    "Refund by order number",
    "Add a weekly sales report to the admin commands",
]
CO_AUTHORS = [[], ["Claude <noreply@anthropic.com>"], [], ["Copilot <copilot@github.com>"]]
ALL_RULES = {"layers", "core-without-adapters", "no-cycles", "everything-has-a-place"}
# The rules broken after each commit: every later commit breaks one more.
BROKEN_AFTER = [
    set(),
    {"layers", "core-without-adapters"},
    {"layers", "core-without-adapters", "no-cycles"},
    ALL_RULES,
]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Checks cache under the test's own directory, never in the real user cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


@pytest.fixture(autouse=True)
def private_temp(tmp_path, monkeypatch) -> Path:
    """The demo's temporary folders go under the test's own directory."""
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


def git(repository: Path, *arguments: str) -> str:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    return subprocess.run(
        ["git", *arguments], cwd=repository, env=environment, capture_output=True, text=True, check=True
    ).stdout


def log(repository: Path, field: str) -> list[str]:
    """One `git log --format` field per commit, oldest first."""
    return git(repository, "log", "--reverse", f"--format={field}%x00").split("\x00\n")[:-1]


def checkout(repository: Path, revision: str, target: Path) -> Path:
    """The files of `revision`, written to `target` without touching the repository."""
    archive = subprocess.run(["git", "archive", revision], cwd=repository, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def user_repository(path: Path) -> Path:
    """A repository of the user's with one commit, made with its own identity."""
    path.mkdir()
    (path / "notes.txt").write_text("mine\n")
    git(path, "init", "--quiet")
    git(path, "add", "notes.txt")
    git(path, "-c", "user.name=User", "-c", "user.email=user@example.com", "commit", "--quiet", "-m", "mine")
    return path


def fake_app(monkeypatch, launch) -> None:
    """Stand in for the desktop app (`app.gui.launch`), which the demo opens unless told --no-gui."""
    monkeypatch.setitem(sys.modules, "app.gui", types.SimpleNamespace(launch=launch))


def snapshot(repository: Path) -> tuple[str, str, list[str]]:
    return (
        git(repository, "rev-parse", "HEAD"),
        git(repository, "status", "--porcelain", "--ignored"),
        sorted(str(p.relative_to(repository)) for p in repository.rglob("*")),
    )


def test_the_history_has_the_commits_in_order_with_authors_dates_and_trailers(tmp_path):
    project = create_demo_project(tmp_path / "demo")
    root = tmp_path / "demo"
    assert project.root == root.resolve()
    assert log(root, "%s") == SUBJECTS
    assert [commit.subject for commit in project.commits] == SUBJECTS
    assert [sha for sha in log(root, "%H")] == [commit.sha for commit in project.commits]
    trailers = log(root, "%(trailers:key=Co-authored-by,valueonly,separator=%x01)")
    assert [entry.split("\x01") if entry else [] for entry in trailers] == CO_AUTHORS
    assert log(root, "%an <%ae>") == log(root, "%cn <%ce>")
    assert log(root, "%an")[:2] == ["Maren Holt", "Jonas Reiter"]
    assert log(root, "%aI") == [
        "2025-03-03T09:12:00+01:00",
        "2025-03-10T16:47:00+01:00",
        "2025-03-12T11:05:00+01:00",
        "2025-03-14T17:58:00+01:00",
    ]
    assert log(root, "%cI") == log(root, "%aI")
    assert git(root, "branch", "--show-current").strip() == "main"
    assert git(root, "status", "--porcelain", "--ignored") == ""


def test_every_demo_has_the_same_history(tmp_path):
    first = create_demo_project(tmp_path / "one")
    second = create_demo_project(tmp_path / "two")
    assert [commit.sha for commit in first.commits] == [commit.sha for commit in second.commits]


def test_the_first_commit_keeps_every_rule_and_each_later_one_breaks_more(tmp_path):
    project = create_demo_project(tmp_path / "demo")
    broken_after = []
    for index, commit in enumerate(project.commits):
        tree = checkout(project.root, commit.sha, tmp_path / f"commit-{index}")
        result = check_project(tree, CheckOptions(use_cache=False))
        assert {rule.id for rule in result.rules} == ALL_RULES
        broken_after.append({rule.id for rule in result.rules if not rule.kept})
    assert broken_after == BROKEN_AFTER


def test_the_last_commit_breaks_the_rules_where_the_new_modules_are(tmp_path):
    project = create_demo_project(tmp_path / "demo")
    result = check_project(project.root, CheckOptions(use_cache=False))
    pairs = {(v.rule, v.importer, v.imported) for v in result.violations}
    assert pairs == {
        ("layers", "shop.core", "shop.ui"),
        ("layers", "shop.cli", "shop.ui"),
        ("core-without-adapters", "shop.core", "shop.adapters"),
        ("no-cycles", "shop.api.orders", "shop.api.payments"),
        ("everything-has-a-place", "shop.sales_report", None),
    }
    core_to_ui = next(v for v in result.violations if (v.importer, v.imported) == ("shop.core", "shop.ui"))
    assert [(link.file, link.line_numbers) for chain in core_to_ui.chains for link in chain] == [
        ("shop/core/recommendations.py", (7,))
    ]
    layers = next(rule for rule in result.rules if rule.id == "layers")
    assert [(i.importer, i.imported) for i in layers.ignored] == [("shop.core.legacy.export", "shop.ui.formatting")]


def test_no_gui_prints_where_the_project_is_and_its_check_and_exits_like_check(tmp_path, capsys):
    target = tmp_path / "demo"
    assert main(["demo", "--no-gui", "--into", str(target)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"Created the demo project in {target.resolve()}, a git repository with 4 commits:\n")
    for subject in SUBJECTS:
        assert subject in out
    assert "Recommend products from purchase history  (Co-authored-by: Claude <noreply@anthropic.com>)" in out
    assert "Add a weekly sales report to the admin commands  (Co-authored-by: Copilot <copilot@github.com>)" in out
    first = log(target, "%H")[0]
    assert out.rstrip().endswith(f"Open it in the app: strataview gui {target.resolve()} --baseline {first[:12]}")

    # The printed check compares with the first, cleanly layered commit: everything broken is new.
    assert main(["check", str(target), "--color", "never", "--baseline", first]) == 1
    report = capsys.readouterr().out
    assert report in out
    assert "4 rules: 0 kept, 4 broken; 5 violations; 1 ignored import; 5 new, 0 existing, 0 fixed" in report


def test_without_into_the_project_goes_to_a_new_temporary_folder_and_the_cwd_is_untouched(
    tmp_path, private_temp, monkeypatch, capsys
):
    mine = user_repository(tmp_path / "mine")
    before = snapshot(mine)
    monkeypatch.chdir(mine)
    # Even a GIT_DIR pointing at the user's repository must not lead the demo's commits there.
    monkeypatch.setenv("GIT_DIR", str(mine / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(mine))
    assert main(["demo", "--no-gui"]) == 1
    out = capsys.readouterr().out
    assert snapshot(mine) == before
    [folder] = list(private_temp.iterdir())
    assert folder.name.startswith("strataview-demo-")
    root = folder / "shop"
    assert f"Created the demo project in {root}," in out
    assert log(root, "%s") == SUBJECTS


def test_the_users_git_configuration_changes_nothing(tmp_path, monkeypatch):
    expected = [commit.sha for commit in create_demo_project(tmp_path / "clean").commits]
    home = tmp_path / "home"
    hooks = home / "hooks"
    hooks.mkdir(parents=True)
    failing = hooks / "commit-msg"
    failing.write_text("#!/bin/sh\nexit 1\n")
    failing.chmod(0o755)
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Someone Else\n\temail = else@example.com\n"
        "[commit]\n\tgpgsign = true\n[gpg]\n\tprogram = false\n"
        f"[core]\n\thooksPath = {hooks}\n[init]\n\tdefaultBranch = trunk\n"
        f"[core]\n\texcludesFile = {home / 'ignore'}\n[i18n]\n\tcommitEncoding = ISO-8859-1\n"
    )
    (home / "ignore").write_text("*.toml\nREADME.md\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Someone Else")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2001-01-01T00:00:00+00:00")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    (home / "git").mkdir()
    (home / "git" / "config").write_text((home / ".gitconfig").read_text())
    project = create_demo_project(tmp_path / "demo")
    assert [commit.sha for commit in project.commits] == expected
    assert set(log(project.root, "%an")) == {"Maren Holt", "Jonas Reiter", "Priya Natarajan"}


def test_a_non_empty_directory_is_refused_and_left_as_it_was(tmp_path, capsys):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("keep")
    assert main(["demo", "--no-gui", "--into", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"strataview: error: {target.resolve()}: is not empty" in err
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_an_empty_directory_is_used(tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    assert create_demo_project(target).root == target.resolve()
    assert (target / "pyproject.toml").is_file()


def test_without_the_demo_files_the_error_says_where_they_should_be(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("core.demo.DEMO_DIR", tmp_path / "no-resources")
    assert main(["demo", "--no-gui", "--into", str(tmp_path / "demo")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'no-resources' / 'demo.toml'}: the demo project's files are missing" in err
    assert "resources/demo/" in err and "pip install -e ." in err
    assert not (tmp_path / "demo").exists()


def test_a_malformed_manifest_names_the_file_and_the_place(tmp_path):
    demo = Path(shutil.copytree(DEMO_DIR, tmp_path / "resources"))
    manifest = demo / "demo.toml"
    manifest.write_text(manifest.read_text().replace('"Claude <noreply@anthropic.com>"', '"Claude"'))
    with pytest.raises(DemoError) as raised:
        load_manifest(demo)
    assert str(raised.value).startswith(f"{manifest}:commits.1.co_authors:")
    assert "'Claude' is not of the form 'Name <email>'" in str(raised.value)


def test_without_git_the_error_is_clear_and_nothing_is_left_behind(tmp_path, private_temp, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    with pytest.raises(DemoError, match="git is not installed"):
        create_demo_project(tmp_path / "demo")
    assert not (tmp_path / "demo").exists()
    with pytest.raises(DemoError, match="git is not installed"):
        create_demo_project()
    assert list(private_temp.iterdir()) == []


def test_without_no_gui_the_project_opens_in_the_app(tmp_path, monkeypatch, capsys):
    opened: list[tuple[Path, str | None]] = []

    def launch(path: Path, baseline: str | None = None) -> int:
        opened.append((path, baseline))
        assert log(path, "%s") == SUBJECTS  # the history is complete before the app opens
        return 0

    fake_app(monkeypatch, launch)
    assert main(["demo", "--into", str(tmp_path / "demo")]) == 0
    # It opens with the first commit as baseline, so what the later commits broke shows as new.
    assert opened == [((tmp_path / "demo").resolve(), log(tmp_path / "demo", "%H")[0])]
    out = capsys.readouterr().out
    assert "Opening it in Strataview" in out and "baseline" in out


def test_when_the_app_cannot_open_the_error_says_where_the_project_is(tmp_path, monkeypatch, capsys):
    fake_app(monkeypatch, lambda path, baseline=None: 2)
    assert main(["demo", "--into", str(tmp_path / "demo")]) == 2
    root = (tmp_path / "demo").resolve()
    assert f"the demo project stays in {root}; `strataview check {root}` checks it" in capsys.readouterr().err
