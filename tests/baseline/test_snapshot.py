"""`strataview snapshot` files: diff-friendly ratchets that `--baseline FILE` compares with, with or without git."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from core.check import CheckOptions, check_project, run_analysis
from core.snapshot import Snapshot, SnapshotError, load_snapshot, snapshot_of, write_snapshot
from fixtures.projects import write_project

FILES = {
    "shop/__init__.py": "",
    "shop/ui/__init__.py": "",
    "shop/ui/widgets.py": "",
    "shop/api/__init__.py": "",
    "shop/api/orders.py": "from shop.core import models\n",
    "shop/core/__init__.py": "",
    "shop/core/models.py": "from shop.ui import widgets\n",
    "shop/core/legacy.py": "import os\nfrom shop.api import orders\n",
}
RULES = (
    {"id": "layers", "type": "layers", "layers": ["shop.ui", "shop.api", "shop.core"]},
    {"id": "no-cycles", "type": "acyclic", "packages": ["shop"]},
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project without git: snapshots are for projects and moments without it."""
    root = tmp_path / "shop"
    write_project(root, FILES, RULES, root_packages=["shop"])
    return root


def snapshot_file(project: Path, tmp_path: Path, name: str = "snapshot.json") -> Path:
    target = tmp_path / name
    assert main(["snapshot", str(project), "--output", str(target)]) == 0
    return target


def test_the_file_is_sorted_keyed_by_fingerprint_and_free_of_line_numbers(project, tmp_path, capsys):
    target = snapshot_file(project, tmp_path)
    assert capsys.readouterr().err == f"strataview: saved 8 modules and 2 violations to {target}\n"
    text = target.read_text(encoding="utf-8")
    data = json.loads(text)
    result = check_project(project, CheckOptions())
    assert list(data) == [
        "format",
        "schema_version",
        "tool",
        "root_packages",
        "config",
        "graph",
        "rules",
        "violations",
        "modules",
        "package_imports",
    ]
    assert data["format"] == "strataview-snapshot" and data["schema_version"] == 1
    assert list(data["violations"]) == sorted(v.fingerprint for v in result.violations)
    assert data["violations"][
        next(v.fingerprint for v in result.violations if v.rule == "layers" and "api" in v.message)
    ] == {
        "rule": "layers",
        "type": "layers",
        "message": "shop.core is not allowed to import shop.api",
        "importer": "shop.core",
        "imported": "shop.api",
        "chains": ["shop.core.legacy -> shop.api.orders"],
    }
    assert data["modules"] == sorted(data["modules"]) and "shop.core.legacy" in data["modules"]
    assert data["package_imports"] == ["shop.api -> shop.core", "shop.core -> shop.api", "shop.core -> shop.ui"]
    assert [rule["id"] for rule in data["rules"]] == ["layers", "no-cycles"]
    assert "line" not in text and '"line_numbers"' not in text
    assert text.endswith("}\n") and text.count("\n") > 30  # one entry per line, for diffs


def test_moving_an_import_changes_nothing_in_the_file_and_a_second_snapshot_is_identical(project, tmp_path):
    first = snapshot_file(project, tmp_path, "first.json").read_bytes()
    (project / "shop/core/legacy.py").write_text(
        "import os\n\n\n\n\n\n\n\n\n\n\nfrom shop.api import (\n    orders,\n)\n"
    )
    assert snapshot_file(project, tmp_path, "second.json").read_bytes() == first


def test_the_snapshot_goes_to_stdout_without_output(project, capsys):
    assert main(["snapshot", str(project)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "strataview-snapshot"


def test_a_snapshot_round_trips(project, tmp_path):
    analysis = next(event for event in run_analysis(project) if hasattr(event, "project"))
    snapshot = snapshot_of(analysis.result, analysis.project)
    write_snapshot(snapshot, tmp_path / "s.json")
    assert load_snapshot(tmp_path / "s.json") == snapshot
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []  # no temporary file left


def test_against_its_own_snapshot_everything_is_existing(project, tmp_path, capsys):
    target = snapshot_file(project, tmp_path)
    capsys.readouterr()
    assert (
        main(["check", str(project), "--baseline", str(target), "--format", "json", "--new-only", "--fail-on-fixed"])
        == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["baseline"] == {"ref": str(target), "kind": "snapshot", "commit": None, "warnings": []}
    assert {v["status"] for v in report["violations"]} == {"existing"}
    assert all(v["provenance"] is None for v in report["violations"])
    assert report["fixed"] == []
    assert report["drift"] == {"modules_added": [], "modules_removed": [], "imports_added": [], "cycles_appeared": []}
    assert report["module_provenance"] == {}
    # Existing violations still break their rules when --new-only is not given.
    assert main(["check", str(project), "--baseline", str(target)]) == 1


def test_fixed_violations_fail_with_fail_on_fixed_so_the_snapshot_only_shrinks(project, tmp_path, capsys):
    target = snapshot_file(project, tmp_path)
    (project / "shop/core/legacy.py").write_text("import os\n")
    capsys.readouterr()
    assert main(["check", str(project), "--baseline", str(target), "--new-only", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(v["rule"], v["message"]) for v in report["fixed"]] == [
        ("layers", "shop.core is not allowed to import shop.api")
    ]
    assert [(v["message"], v["status"]) for v in report["violations"]] == [
        ("shop.core is not allowed to import shop.ui", "existing")
    ]
    assert main(["check", str(project), "--baseline", str(target), "--new-only", "--fail-on-fixed"]) == 1
    assert capsys.readouterr().err == (
        "strataview: 1 violation of the baseline is fixed: "
        "refresh the snapshot with `strataview snapshot --output FILE`\n"
    )
    # Refreshed, the snapshot passes again; the violation that remains still breaks its rule.
    snapshot_file(project, tmp_path)
    assert main(["check", str(project), "--baseline", str(target), "--fail-on-fixed", "--new-only"]) == 0
    assert main(["check", str(project), "--baseline", str(target), "--fail-on-fixed"]) == 1


def test_new_violations_against_a_snapshot_are_new_and_drift_is_listed(project, tmp_path, capsys):
    target = snapshot_file(project, tmp_path)
    (project / "shop/ui/views.py").write_text("from shop.api import orders\n")
    (project / "shop/api/orders.py").write_text("from shop.core import models\nfrom shop.ui import views\n")
    capsys.readouterr()
    assert main(["check", str(project), "--baseline", str(target), "--new-only", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    new = [v["message"] for v in report["violations"] if v["status"] == "new"]
    assert "shop.api is not allowed to import shop.ui" in new
    assert all(v["provenance"] is None for v in report["violations"])  # no git, no provenance
    assert report["drift"]["modules_added"] == ["shop.ui.views"]
    assert {"importer": "shop.api", "imported": "shop.ui"} in report["drift"]["imports_added"]
    assert report["drift"]["cycles_appeared"] == [["shop.api", "shop.core", "shop.ui"]]


def test_violations_of_a_rule_no_longer_configured_are_not_fixed(project, tmp_path, capsys):
    target = snapshot_file(project, tmp_path)
    config = project / "strataview.toml"
    config.write_text(config.read_text().replace('id = "layers"', 'id = "layering"'))
    capsys.readouterr()
    assert main(["check", str(project), "--baseline", str(target), "--format", "json", "--fail-on-fixed"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["fixed"] == []
    assert report["baseline"]["warnings"] == [
        "rule 'layers' of the baseline is no longer configured; its violations are not compared"
    ]
    assert {v["status"] for v in report["violations"] if v["rule"] == "layering"} == {"new"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a Strataview snapshot: invalid JSON (Expecting property name enclosed in double quotes)"),
        (
            '{"rules": []}',
            'not a Strataview snapshot (written by `strataview snapshot`, with "format": "strataview-snapshot")',
        ),
        (
            '{"format": "strataview-snapshot", "schema_version": 7}',
            "snapshot schema_version 7 is not one this Strataview reads (1)",
        ),
        (
            '{"format": "strataview-snapshot", "schema_version": 1, "tool": {"version": "1"}}',
            "corrupt snapshot: Field required",
        ),
        (b"\xff\xfe\x00", "not a Strataview snapshot: the file is not UTF-8 text"),
    ],
)
def test_a_bad_snapshot_file_is_one_clear_error(project, tmp_path, capsys, content, message):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert main(["check", str(project), "--baseline", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"strataview: error: {bad}") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    with pytest.raises(SnapshotError):
        load_snapshot(bad)


def test_an_unwritable_snapshot_target_is_an_error(project, tmp_path, capsys):
    assert main(["snapshot", str(project), "--output", str(tmp_path / "missing" / "s.json")]) == 2
    assert "cannot write the snapshot" in capsys.readouterr().err


def test_snapshot_model_rejects_unknown_fields():
    with pytest.raises(ValueError):
        Snapshot.model_validate(
            {"tool": {"version": "1"}, "root_packages": [], "graph": {"modules": 0, "imports": 0}, "x": 1}
        )
