"""Strataview checks its own architecture: core is headless and layered, and the check passes."""

import subprocess
import sys
from pathlib import Path

from core.check import CheckOptions, check_project

PROJECT = Path(__file__).resolve().parent.parent


def test_the_project_keeps_its_own_rules():
    result = check_project(PROJECT, CheckOptions(use_cache=False))
    broken = {rule.id: [v.message for v in result.violations if v.rule == rule.id] for rule in result.rules if not rule.kept}
    assert broken == {}
    assert {rule.type for rule in result.rules} >= {"forbidden", "layers", "acyclic", "coverage"}
    assert result.project.root_packages == ("core", "app")


def test_the_rules_really_guard_core_against_qt(tmp_path):
    # The same rules must catch a Qt import in core: copy the project and add one.
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("pyproject.toml",):
        (copy / name).write_text((PROJECT / name).read_text())
    for package in ("core", "app"):
        for source in (PROJECT / package).rglob("*.py"):
            target = copy / source.relative_to(PROJECT)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source.read_text())
    (copy / "core" / "graph.py").write_text(
        (copy / "core" / "graph.py").read_text() + "\nfrom PySide6 import QtCore  # noqa\n"
    )
    result = check_project(copy, CheckOptions(use_cache=False))
    headless = next(rule for rule in result.rules if rule.id == "core-is-headless")
    assert not headless.kept
    violation = next(v for v in result.violations if v.rule == "core-is-headless")
    assert (violation.importer, violation.imported) == ("core", "PySide6")
    assert any(link.file == "core/graph.py" for chain in violation.chains for link in chain)


def test_strataview_check_command_passes_on_itself():
    completed = subprocess.run(
        [sys.executable, "-m", "app", "check", str(PROJECT), "--no-cache"], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "0 broken" in completed.stdout
