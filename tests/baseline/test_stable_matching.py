"""Moving or reformatting an import keeps its violation existing; `--new-only` then passes. The baseline
is built from the project's grimp cache, parsing only what changed, and its analysis is kept."""

from __future__ import annotations

import json
from pathlib import Path

import grimp.application.usecases
import pytest

import core.baseline
import core.provenance
from app.cli import main
from baseline.history import SHOP_CONFIG, SHOP_PACKAGES, History
from core.check import CheckOptions, check_project
from core.graph import default_cache_dir


def project(root: Path) -> History:
    history = History(root)
    history.write(
        {
            **SHOP_PACKAGES,
            "shop/ui/widgets.py": "def button():\n    return 1\n",
            "shop/core/models.py": "class Order:\n    pass\n",
            "shop/core/legacy.py": "from shop.ui.widgets import button\n\n\ndef export():\n    return button()\n",
        }
    )
    history.commit("Shop")
    return history


def statuses(root: Path, baseline: str = "HEAD~1") -> list[tuple[str, str | None]]:
    return [(v.message, v.status) for v in check_project(root, CheckOptions(baseline=baseline)).violations]


def test_an_import_moved_down_ten_lines_stays_existing(tmp_path):
    history = project(tmp_path / "shop")
    history.write(
        {
            "shop/core/legacy.py": "'''Old exports.'''\n"
            + "\n" * 10
            + "from shop.ui.widgets import button\n\n\ndef export():\n    return button()\n"
        }
    )
    history.commit("Document the legacy export")
    result = check_project(history.root, CheckOptions(baseline="HEAD~1"))
    [violation] = result.violations
    assert violation.status == "existing" and violation.provenance is None
    assert violation.chains[0][0].line_numbers == (12,)
    assert result.fixed == ()
    assert main(["check", str(history.root), "--baseline", "HEAD~1", "--new-only"]) == 0
    assert main(["check", str(history.root), "--baseline", "HEAD~1"]) == 1


def test_a_reformatted_file_keeps_its_violation_existing(tmp_path):
    history = project(tmp_path / "shop")
    history.write(
        {
            "shop/core/legacy.py": (
                "from shop.ui.widgets import (\n    button,\n)\n\n\n\ndef export(  ):\n    return   button( )\n"
            )
        }
    )
    assert statuses(history.root, "HEAD") == [("shop.core is not allowed to import shop.ui", "existing")]
    history.commit("Reformat")
    assert statuses(history.root) == [("shop.core is not allowed to import shop.ui", "existing")]
    assert main(["check", str(history.root), "--baseline", "HEAD~1", "--new-only"]) == 0


def test_a_second_import_between_the_same_modules_in_another_module_is_new(tmp_path):
    history = project(tmp_path / "shop")
    history.write({"shop/core/models.py": "from shop.ui import widgets\n\n\nclass Order:\n    pass\n"})
    result = check_project(history.root, CheckOptions(baseline="HEAD"))
    [violation] = result.violations
    assert violation.status == "new"
    assert violation.provenance is not None and violation.provenance.note == "in uncommitted changes"
    assert main(["check", str(history.root), "--baseline", "HEAD", "--new-only"]) == 1


def test_the_baseline_build_parses_only_the_files_that_changed(tmp_path, monkeypatch):
    history = project(tmp_path / "shop")
    history.write({"shop/core/models.py": "from shop.ui import widgets\n\n\nclass Order:\n    pass\n"})
    history.commit("Order status")
    history.write({"shop/core/pricing.py": "def price():\n    return 1\n"})
    check_project(history.root, CheckOptions())  # fills the project's grimp cache
    cache = default_cache_dir(history.root)
    cached_files = sorted(path.name for path in cache.iterdir())

    parsed: list[set[str]] = []
    scan = grimp.application.usecases.scan_imports

    def counting_scan(module_files, **options):
        parsed.append({module_file.module.name for module_file in module_files})
        return scan(module_files, **options)

    monkeypatch.setattr(grimp.application.usecases, "scan_imports", counting_scan)
    monkeypatch.setattr(grimp.application.scanning, "scan_imports", counting_scan)
    result = check_project(history.root, CheckOptions(baseline="HEAD~1"))
    # The project's build parses nothing; the baseline's only the module that differs from it.
    assert parsed == [{"shop.core.models"}]
    assert [v.status for v in result.violations] == ["new"]
    assert result.drift is not None and result.drift.modules_added == ("shop.core.pricing",)
    # The project's own cache is as it was, beside the kept baseline analysis.
    assert sorted(path.name for path in cache.iterdir()) == sorted([*cached_files, "baselines", "history"])

    parsed.clear()
    monkeypatch.setattr(core.baseline, "baseline_tree", None)  # a second check must not build the baseline again
    again = check_project(history.root, CheckOptions(baseline="HEAD~1"))
    assert again == result
    assert parsed == []


def test_a_different_rule_set_analyses_the_baseline_again(tmp_path):
    history = project(tmp_path / "shop")
    history.write({"shop/core/models.py": "from shop.ui import widgets\n"})
    history.commit("Order status")
    assert statuses(history.root) == [("shop.core is not allowed to import shop.ui", "new")]
    history.write({"pyproject.toml": SHOP_CONFIG.replace('id = "layers"', 'id = "layering"')})
    result = check_project(history.root, CheckOptions(baseline="HEAD~1"))
    assert [(v.rule, v.status) for v in result.violations] == [("layering", "new")]


def test_no_cache_leaves_no_cache_and_no_temporary_folder(tmp_path, private_cache, private_temp):
    history = project(tmp_path / "shop")
    history.write({"shop/core/models.py": "from shop.ui import widgets\n"})
    assert (
        main(
            [
                "check",
                str(history.root),
                "--baseline",
                "HEAD",
                "--no-cache",
                "--format",
                "json",
                "-o",
                str(tmp_path / "r.json"),
            ]
        )
        == 1
    )
    assert not private_cache.exists()
    assert list(private_temp.iterdir()) == []
    report = json.loads((tmp_path / "r.json").read_text())
    assert [v["status"] for v in report["violations"]] == ["new"]


@pytest.mark.parametrize("layout", ["src", "subdirectory"])
def test_a_project_in_src_or_in_a_subdirectory_of_the_repository(tmp_path, layout):
    history = History(tmp_path / "repository")
    base = "services/shop/" if layout == "subdirectory" else ""
    package = f"{base}src/shop" if layout == "src" else f"{base}shop"
    history.write(
        {
            f"{base}pyproject.toml": SHOP_CONFIG,
            f"{package}/__init__.py": "",
            f"{package}/ui/__init__.py": "",
            f"{package}/ui/widgets.py": "",
            f"{package}/core/__init__.py": "",
            f"{package}/core/models.py": "",
            "README.md": "a repository\n",
        }
    )
    history.commit("Shop")
    history.write({f"{package}/core/models.py": "\n\nfrom shop.ui import widgets\n", f"{package}/ui/forms.py": ""})
    sha = history.commit("Widgets in the core")
    history.write({f"{package}/ui/draft.py": ""})
    root = history.root / base
    result = check_project(root, CheckOptions(baseline="HEAD~1"))
    [violation] = result.violations
    assert violation.status == "new"
    assert violation.provenance is not None and (violation.provenance.commit, violation.provenance.summary) == (
        sha,
        "Widgets in the core",
    )
    assert violation.chains[0][0].file == f"{package.removeprefix(base)}/core/models.py"
    added = {module: result.module_provenance[module].commit for module in result.drift.modules_added}
    assert added == {"shop.ui.draft": None, "shop.ui.forms": sha}


def test_without_provenance_no_commit_is_looked_up(tmp_path, monkeypatch):
    history = project(tmp_path / "shop")
    history.write({"shop/core/models.py": "from shop.ui import widgets\n", "shop/core/pricing.py": ""})
    monkeypatch.setattr(core.provenance, "attribute", None)  # would fail if called
    result = check_project(history.root, CheckOptions(baseline="HEAD", provenance=False))
    assert [(v.status, v.provenance) for v in result.violations] == [("new", None)]
    assert result.module_provenance == {}
    assert result.drift is not None and result.drift.modules_added == ("shop.core.pricing",)
