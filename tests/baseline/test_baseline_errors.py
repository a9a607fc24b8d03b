"""What cannot be compared is one clear error (exit 2); what only partly can be is said in warnings."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from app.cli import main
from baseline.history import SHOP_CONFIG, SHOP_PACKAGES, History
from core.baseline import BaselineError
from core.check import CheckOptions, check_project

SHOP = {**SHOP_PACKAGES, "shop/core/models.py": "from shop import ui\n"}


def shop(root: Path) -> History:
    history = History(root)
    history.write(SHOP)
    history.commit("Shop")
    return history


def test_an_unknown_revision_is_one_clear_error(tmp_path, capsys):
    history = shop(tmp_path / "shop")
    assert main(["check", str(history.root), "--baseline", "no-such-branch"]) == 2
    assert capsys.readouterr().err == (
        f"strataview: error: {history.root}: unknown git revision 'no-such-branch' "
        "(and no snapshot file of that name exists)\n"
    )
    assert main(["check", str(history.root), "--baseline=--all"]) == 2
    assert "unknown git revision '--all'" in capsys.readouterr().err


def test_an_unknown_revision_in_json_is_an_error_report(tmp_path, capsys):
    history = shop(tmp_path / "shop")
    assert main(["check", str(history.root), "--baseline", "HEAD~5", "--format", "json"]) == 2
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["errors"] == [
        {
            "message": "unknown git revision 'HEAD~5' (and no snapshot file of that name exists)",
            "file": str(history.root),
            "place": None,
        }
    ]
    assert "baseline" not in report


def test_outside_a_git_repository_a_revision_is_an_error(tmp_path, capsys):
    history = shop(tmp_path / "shop")
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in history.root.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            target = copy / path.relative_to(history.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    assert main(["check", str(copy), "--baseline", "main"]) == 2
    assert capsys.readouterr().err == (
        f"strataview: error: {copy}: not a git repository, so the baseline 'main' cannot be a git revision "
        "(and no snapshot file of that name exists)\n"
    )


def test_without_git_installed_a_revision_is_an_error(tmp_path, monkeypatch):
    history = shop(tmp_path / "shop")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    with pytest.raises(BaselineError, match="git is not installed"):
        check_project(history.root, CheckOptions(baseline="HEAD"))


def test_a_directory_or_an_empty_baseline_is_an_error(tmp_path, capsys):
    history = shop(tmp_path / "shop")
    assert main(["check", str(history.root), "--baseline", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"strataview: error: {tmp_path}: is a directory, not a snapshot file or a git revision\n"
    )
    assert main(["check", str(history.root), "--baseline", ""]) == 2
    assert "the baseline is empty" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--new-only", "--fail-on-fixed"])
def test_new_only_and_fail_on_fixed_need_a_baseline(tmp_path, capsys, flag):
    history = shop(tmp_path / "shop")
    assert main(["check", str(history.root), flag]) == 2
    assert capsys.readouterr().err == f"strataview: error: {flag} needs --baseline REF to compare with\n"


def test_a_syntax_error_at_the_baseline_names_the_file_and_the_baseline(tmp_path, capsys):
    history = shop(tmp_path / "shop")
    history.write({"shop/core/models.py": "def broken(:\n"})
    history.commit("Broken")
    history.write({"shop/core/models.py": "from shop import ui\n"})
    assert main(["check", str(history.root), "--baseline", "HEAD"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("strataview: error: shop/core/models.py:line 1: at the baseline HEAD: syntax error")
    assert err.count("\n") == 1


def test_a_root_package_and_a_rule_missing_at_the_baseline_are_warnings(tmp_path):
    history = History(tmp_path / "repository")
    history.write({"README.md": "the shop, soon\n"})
    history.commit("Plans")
    history.write(SHOP)
    history.commit("Shop")
    result = check_project(history.root, CheckOptions(baseline="HEAD~1"))
    assert result.baseline is not None
    assert result.baseline.warnings == (
        "root package 'shop' does not exist at the baseline; all its modules count as added",
        "rule 'layers' could not be checked at the baseline; all its violations count as new",
    )
    assert [v.status for v in result.violations] == ["new"]
    assert result.drift is not None
    assert result.drift.modules_added == ("shop", "shop.core", "shop.core.models", "shop.ui")

    # A rule naming a module the baseline did not have cannot be checked there either.
    history.write(
        {"shop/api/__init__.py": "", "pyproject.toml": SHOP_CONFIG.replace('"shop.ui", ', '"shop.ui", "shop.api", ')}
    )
    history.commit("Api layer")
    result = check_project(history.root, CheckOptions(baseline="HEAD~1"))
    assert result.baseline is not None
    assert result.baseline.warnings == (
        "rule 'layers' could not be checked at the baseline (layer module 'shop.api' does not exist); "
        "all its violations count as new",
    )
    assert [v.status for v in result.violations] == ["new"]


def test_gui_passes_the_baseline_to_the_app(tmp_path, monkeypatch):
    opened: list[tuple] = []

    def launch(path, config=None, screenshot=None, baseline=None):
        opened.append((path, config, screenshot, baseline))
        return 0

    monkeypatch.setitem(sys.modules, "app.gui", types.SimpleNamespace(launch=launch))
    assert main(["gui", str(tmp_path), "--baseline", "v1.2"]) == 0
    assert main(["gui", str(tmp_path)]) == 0
    assert opened == [(tmp_path, None, None, "v1.2"), (tmp_path, None, None, None)]
