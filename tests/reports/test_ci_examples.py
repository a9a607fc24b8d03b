"""The README's GitHub Actions workflow and the pre-commit hooks, run on a clone of the drift
history as CI would run them: a pull request whose base branch is the history's first commit."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from baseline.history import git_environment
from reports.conftest import validate_sarif

from app.cli import main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def ci_section() -> str:
    return README.split("## Reports and CI", 1)[1].split("\n## ", 1)[0]


def workflow_commands() -> list[str]:
    """The `strataview` commands of the workflow, without what the shell adds around them."""
    workflow = re.search(r"```yaml\n(name: architecture.*?)```", ci_section(), re.DOTALL)
    assert workflow, "no workflow in the README"
    commands = []
    for line in workflow.group(1).splitlines():
        command = line.strip().removeprefix("run: ")
        if command.startswith("strataview "):
            commands.append(re.split(r" (?:\|\||>>) ", command)[0])
    return commands


def hooks() -> list[dict[str, str]]:
    """The entries of .pre-commit-hooks.yaml: a list of flat mappings."""
    entries: list[dict[str, str]] = []
    for line in (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("- "):
            entries.append({})
            line = "  " + line[2:]
        if line.startswith("  ") and ":" in line:
            key, _, value = line.strip().partition(":")
            entries[-1][key] = value.strip()
    return entries


@pytest.fixture
def pull_request(drifted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    clone = tmp_path / "checkout"
    environment = git_environment()
    subprocess.run(["git", "clone", "--quiet", str(drifted.root), str(clone)], check=True, env=environment)
    subprocess.run(
        ["git", "-C", str(clone), "update-ref", "refs/remotes/origin/main", drifted.commits["baseline"]],
        check=True,
        env=environment,
    )
    monkeypatch.chdir(clone)
    return clone


def test_the_workflow_gates_on_new_violations_and_writes_its_reports(pull_request, capsys):
    commands = workflow_commands()
    assert commands == [
        "strataview check --baseline origin/main --new-only --format github",
        "strataview check --baseline origin/main --format markdown",
        "strataview check --baseline origin/main --format html --output architecture.html",
        "strataview check --format sarif --output strataview.sarif",
    ]
    gate, summary, html, sarif = (shlex.split(command)[1:] for command in commands)
    assert main(gate) == 1
    annotations = capsys.readouterr().out
    assert annotations.startswith("::error file=shop/core/stats.py,line=3,title=Strataview layers (new)::")
    assert main(summary) == 1
    assert capsys.readouterr().out.startswith("### ❌ Strataview: 2 new violations since origin/main")
    assert main(html) == 1 and "<svg xmlns" in (pull_request / "architecture.html").read_text(encoding="utf-8")
    assert main(sarif) == 1
    log = json.loads((pull_request / "strataview.sarif").read_text(encoding="utf-8"))
    validate_sarif(log)
    assert all("baselineState" not in result for result in log["runs"][0]["results"])


def test_the_pre_commit_hooks_check_the_project_and_what_is_new_since_the_last_commit(pull_request, capsys):
    entries = {hook["id"]: hook for hook in hooks()}
    assert set(entries) == {"strataview", "strataview-new-only"}
    for hook in entries.values():
        assert hook["language"] == "python" and hook["pass_filenames"] == "false"
        assert hook["name"] and hook["entry"].startswith("strataview check")
    every_rule = shlex.split(entries["strataview"]["entry"])[1:]
    new_only = shlex.split(entries["strataview-new-only"]["entry"])[1:]
    assert main(every_rule) == 1  # the history breaks rules
    assert main(new_only) == 0  # but nothing is new since its last commit
    (pull_request / "shop" / "api" / "orders.py").write_text("from shop.ui import widgets\n")  # uncommitted
    assert main(new_only) == 1
    capsys.readouterr()
    assert re.search(entries["strataview"]["files"], "shop/ui/widgets.py")
    assert re.search(entries["strataview"]["files"], "pyproject.toml")
    assert not re.search(entries["strataview"]["files"], "README.md")
