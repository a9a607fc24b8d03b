"""Workspace files: every field round-trips, paths stay portable, saving is atomic with a backup,
and corrupt, truncated, newer and hostile files are refused with a clear message, untouched."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from core import workspace as workspace_module
from core.workspace import (
    MAX_DEPTH,
    BaselineRef,
    LastAnalysis,
    ViewState,
    Workspace,
    WorkspaceError,
    backup_path,
    load_workspace,
    new_workspace,
    pending_recoveries,
    portable_path,
    read_recovery,
    recovery_path,
    render,
    save_workspace,
    write_recovery,
)
from fixtures.projects import check
from workspace.projects import WHEN, by_message, decision, write_shop


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return write_shop(tmp_path / "shop")


def full_workspace(shop: Path, file: Path) -> Workspace:
    """A workspace with every field set to something other than its default."""
    result = check(shop)
    up, ui, adapters = (by_message(result, text) for text in ("shop.api", "shop.ui", "shop.adapters"))
    snapshot = shop / "baseline.json"
    snapshot.write_text("{}", encoding="utf-8")
    workspace = new_workspace(file, shop, config=shop / "strataview.toml", baseline=str(snapshot), reviewer="Ada")
    view = ViewState(
        text_filter="prices",
        rule_type="layers",
        decision="waived",
        new_only=True,
        rule="layers",
        selected=ui.fingerprint,
        tab="matrix",
        expanded=("shop.core", "shop.ui"),
        zoom=1.75,
        center=(120.5, -40.25),
        pinned=True,
    )
    return workspace.model_copy(
        update={
            "decisions": {
                ui.fingerprint: decision("waived", "until the widgets move", date(2031, 1, 31), ui),
                up.fingerprint: decision("accepted", "known", violation=up),
                adapters.fingerprint: decision("must-fix", violation=adapters),
                "0123456789abcdef0123": decision("open", "a note on a violation that is gone"),
            },
            "view": view,
            "saved_views": {"waivers": view, "all": ViewState()},
            "last_analysis": LastAnalysis(analysed_at=WHEN, result=result),
        }
    )


def test_every_field_round_trips(shop: Path):
    file = shop / "review.strataview.json"
    workspace = full_workspace(shop, file)
    save_workspace(workspace, file)
    loaded = load_workspace(file)
    assert loaded.workspace == workspace
    assert loaded.migrated_from is None and loaded.warnings == ()
    # Nothing in the model was left at its default, so the comparison covers every field.
    defaults = Workspace(project="elsewhere")
    for name in Workspace.model_fields:
        if name not in ("format", "schema_version"):
            assert getattr(workspace, name) != getattr(defaults, name), name
    for name in ViewState.model_fields:
        assert getattr(workspace.view, name) != getattr(ViewState(), name), name


def test_the_file_is_sorted_readable_and_free_of_machine_paths(shop: Path):
    file = shop / "review.strataview.json"
    save_workspace(full_workspace(shop, file), file)
    text = file.read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data) == [
        "format",
        "schema_version",
        "project",
        "config",
        "baseline",
        "reviewer",
        "decisions",
        "view",
        "saved_views",
        "last_analysis",
    ]
    assert list(data["decisions"]) == sorted(data["decisions"])
    assert list(data["saved_views"]) == ["all", "waivers"]
    assert (data["project"], data["config"]) == (".", "strataview.toml")
    assert data["baseline"] == {"kind": "snapshot", "ref": "baseline.json"}
    assert data["last_analysis"]["result"]["project"]["root"] == "."
    assert str(shop) not in text  # a teammate's checkout elsewhere reads the same file
    assert text == render(load_workspace(file).workspace)  # saving what was read changes nothing
    assert text.endswith("}\n") and "\n  " in text


def test_paths_are_relative_where_one_lies_inside_the_other_and_follow_a_moved_checkout(tmp_path: Path, shop: Path):
    assert portable_path(shop, shop / "review.strataview.json") == "."
    assert portable_path(shop, shop / "docs" / "review.strataview.json") == ".."
    assert portable_path(shop / "src", shop / "review.strataview.json") == "src"
    assert portable_path(shop, tmp_path / "review.strataview.json") == "shop"
    elsewhere = tmp_path / "elsewhere" / "review.strataview.json"
    assert portable_path(shop, elsewhere) == str(shop)
    file = shop / "review.strataview.json"
    save_workspace(full_workspace(shop, file), file)
    moved = Path(shutil.move(str(shop), str(tmp_path / "checkout")))
    workspace = load_workspace(moved / "review.strataview.json").workspace
    new_file = moved / "review.strataview.json"
    assert workspace.project_path(new_file) == moved
    assert workspace.config_path(new_file) == moved / "strataview.toml"
    assert workspace.baseline_ref(new_file) == str(moved / "baseline.json")
    assert workspace.last_analysis is not None and workspace.last_analysis.result.project.root == str(moved)


def test_a_git_baseline_is_kept_as_a_revision(shop: Path):
    workspace = new_workspace(None, shop, baseline="main")
    assert workspace.baseline == BaselineRef(kind="git", ref="main")
    assert workspace.project == str(shop)  # without a file yet, paths are absolute
    assert workspace.baseline_ref(None) == "main"


def test_saving_keeps_the_previous_file_as_a_backup(shop: Path):
    file = shop / "review.strataview.json"
    first = new_workspace(file, shop, reviewer="Ada")
    save_workspace(first, file)
    assert not backup_path(file).exists()
    second = first.model_copy(update={"reviewer": "Grace"})
    save_workspace(second, file)
    assert load_workspace(backup_path(file)).workspace == first
    assert load_workspace(file).workspace == second
    # A damaged file is not made the backup: the good backup stays.
    file.write_text('{"format": "strataview-workspace", "schema_vers', encoding="utf-8")
    save_workspace(second, file)
    assert load_workspace(backup_path(file)).workspace == first
    assert load_workspace(file).workspace == second


def test_a_failure_mid_write_leaves_the_old_file_intact(shop: Path, monkeypatch: pytest.MonkeyPatch):
    file = shop / "review.strataview.json"
    old = full_workspace(shop, file)
    save_workspace(old, file)
    before = file.read_bytes()

    def fail(_descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(WorkspaceError, match="cannot save the workspace: No space left on device") as caught:
        save_workspace(old.model_copy(update={"reviewer": "Grace", "decisions": {}}), file)
    assert caught.value.file == str(file)
    assert file.read_bytes() == before
    assert sorted(path.name for path in shop.glob(".review*")) == []  # no temporary file is left behind


def test_a_process_killed_mid_write_leaves_the_old_file_intact(shop: Path, tmp_path: Path):
    """A real crash: the saving process dies after writing the new text but before renaming it."""
    file = shop / "review.strataview.json"
    old = full_workspace(shop, file)
    save_workspace(old, file)
    before = file.read_bytes()
    script = textwrap.dedent(
        f"""
        import os
        from pathlib import Path
        from core.workspace import load_workspace, save_workspace

        file = Path({str(file)!r})
        workspace = load_workspace(file).workspace.model_copy(update={{"reviewer": "Grace", "decisions": {{}}}})
        flushed = []
        real_fsync = os.fsync

        def fsync(descriptor):
            if flushed:  # the backup is written; the power goes out while the new text is flushed
                os._exit(9)
            flushed.append(descriptor)
            real_fsync(descriptor)

        os.fsync = fsync
        save_workspace(workspace, file)
        """
    )
    completed = subprocess.run([sys.executable, "-c", script], cwd=Path(workspace_module.__file__).parents[1])
    assert completed.returncode == 9
    assert file.read_bytes() == before
    assert load_workspace(file).workspace == old
    assert backup_path(file).read_bytes() == before
    # The half-written temporary file stays (nothing cleans up after a crash), hidden and apart.
    leftovers = [path.name for path in shop.iterdir() if path.name.startswith(".review")]
    assert len(leftovers) == 1 and leftovers[0].endswith(".tmp")
    assert load_workspace(file).workspace == old


def test_an_unwritable_place_is_a_clear_error(tmp_path: Path, shop: Path):
    with pytest.raises(WorkspaceError, match="cannot save the workspace") as caught:
        save_workspace(new_workspace(None, shop), tmp_path / "missing" / "review.strataview.json")
    assert caught.value.file.endswith("review.strataview.json")


VALID = {"format": "strataview-workspace", "schema_version": 1, "project": "."}
FINGERPRINT = "0123456789abcdef0123"


def nested(depth: int) -> list:
    value: list = []
    for _ in range(depth - 1):
        value = [value]
    return value


def with_decision(**fields) -> str:
    return json.dumps({**VALID, "decisions": {FINGERPRINT: {"status": "accepted", **fields}}})


BAD_FILES = {
    "empty": ("", "the file is empty", None),
    "truncated": (
        json.dumps({**VALID, "reviewer": "Ada"})[:-12],
        "the file ends too early: it is truncated",
        "line 1, column 73",
    ),
    "truncated after a value": (
        '{"format": "strataview-workspace", "project": "."',
        "the file ends too early: it is truncated",
        "line 1, column 50",
    ),
    "not JSON": ("format = 'workspace'\n", "invalid JSON", "line 1, column 1"),
    "not UTF-8": (b'{"project": "\xff"}', "not UTF-8 text", "byte 13"),
    "a list": ("[1, 2]", "not a Strataview workspace", None),
    "a snapshot": (
        json.dumps({"format": "strataview-snapshot", "schema_version": 1}),
        "not a Strataview workspace",
        None,
    ),
    "newer": (
        json.dumps({**VALID, "schema_version": 2}),
        "written by a newer Strataview (workspace schema_version 2; "
        "this version reads up to 1): open it with that version; the file was not changed",
        "schema_version",
    ),
    "version as text": (
        json.dumps({**VALID, "schema_version": "1"}),
        "schema_version must be a whole number",
        "schema_version",
    ),
    "version as bool": (
        json.dumps({**VALID, "schema_version": True}),
        "schema_version must be a whole number",
        "schema_version",
    ),
    "huge note": (
        with_decision(note="x" * 200_000),
        "at most 10000 characters (a text of 200,000 characters)",
        f"decisions.{FINGERPRINT}.note",
    ),
    "huge reviewer": (json.dumps({**VALID, "reviewer": "y" * 50_000}), "at most 1000 characters", "reviewer"),
    "deep nesting": (
        '{"format": "strataview-workspace", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "nested too deeply",
        None,
    ),
    "nesting past the limit": (
        json.dumps({**VALID, "saved_views": {"v": {"expanded": nested(MAX_DEPTH)}}}),
        f"nested too deeply (more than {MAX_DEPTH} levels)",
        None,
    ),
    "status of the wrong kind": (
        with_decision(status="maybe"),
        "Input should be 'open', 'accepted', 'waived' or 'must-fix'",
        f"decisions.{FINGERPRINT}.status",
    ),
    "note of the wrong type": (
        with_decision(note=42),
        "Input should be a valid string",
        f"decisions.{FINGERPRINT}.note",
    ),
    "decisions as a list": (json.dumps({**VALID, "decisions": []}), "Input should be a valid dictionary", "decisions"),
    "not a fingerprint": (
        json.dumps({**VALID, "decisions": {"../../etc": {"status": "accepted"}}}),
        "String should match pattern",
        "decisions.../../etc.[key]",
    ),
    "zoom of the wrong type": (
        json.dumps({**VALID, "view": {"zoom": "big"}}),
        "Input should be a valid number",
        "view.zoom",
    ),
    "not a number": (
        '{"format": "strataview-workspace", "schema_version": 1, "project": ".", "view": {"zoom": NaN}}',
        "invalid JSON (NaN is not a number a workspace holds)",
        None,
    ),
    "unknown field": (json.dumps({**VALID, "owner": "me"}), "Extra inputs are not permitted", "owner"),
    "expiry on an acceptance": (
        with_decision(expires="2030-01-01"),
        "only a waived decision can expire, not an accepted one",
        f"decisions.{FINGERPRINT}",
    ),
    "bad date": (
        with_decision(status="waived", expires="someday"),
        "Input should be a valid date",
        f"decisions.{FINGERPRINT}.expires",
    ),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_are_refused_clearly_and_left_untouched(tmp_path: Path, name: str):
    content, message, place = BAD_FILES[name]
    file = tmp_path / "review.strataview.json"
    raw = content if isinstance(content, bytes) else content.encode("utf-8")
    file.write_bytes(raw)
    with pytest.raises(WorkspaceError) as caught:
        load_workspace(file)
    error = caught.value
    assert message in error.message
    assert (error.file, error.place) == (str(file), place)
    assert error.backup is None and "previous version" not in error.message
    assert file.read_bytes() == raw
    assert sorted(path.name for path in tmp_path.iterdir()) == ["review.strataview.json"]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    file = tmp_path / "review.strataview.json"
    file.write_text(json.dumps({**VALID, "reviewer": "Ada" * 100}), encoding="utf-8")
    monkeypatch.setattr(workspace_module, "MAX_FILE_BYTES", 100)
    with pytest.raises(WorkspaceError, match=r"too large for a workspace \(3\d\d bytes; at most 100\)"):
        load_workspace(file)


def test_a_missing_file_or_a_folder_is_refused(tmp_path: Path):
    with pytest.raises(WorkspaceError, match="no such workspace file"):
        load_workspace(tmp_path / "nothing.strataview.json")
    with pytest.raises(WorkspaceError, match="is a directory"):
        load_workspace(tmp_path)


def test_a_refused_file_names_the_backup_it_can_be_replaced_with(shop: Path):
    file = shop / "review.strataview.json"
    save_workspace(new_workspace(file, shop, reviewer="Ada"), file)
    save_workspace(new_workspace(file, shop, reviewer="Grace"), file)
    text = file.read_text(encoding="utf-8")
    file.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(WorkspaceError) as caught:
        load_workspace(file)
    assert caught.value.backup == backup_path(file)
    assert caught.value.message.endswith("; the previous version is kept in review.strataview.json.bak")
    assert "truncated" in caught.value.message
    assert load_workspace(caught.value.backup).workspace.reviewer == "Ada"


# The first layout, before schema_version, as it was written.
VERSION_0 = {
    "format": "strataview-workspace",
    "project": ".",
    "config": None,
    "baseline": "snapshots/main.json",
    "reviewer": "Ada",
    "decisions": [
        {
            "fingerprint": "1f21de8fe138ecf40431",
            "status": "must_fix",
            "note": "move the formatter",
            "reviewer": "Ada",
            "date": "2024-11-02T10:00:00+00:00",
        },
        {
            "fingerprint": "b7bb3b0757890b114c8a",
            "status": "waived",
            "note": "until the split",
            "reviewer": "Grace",
            "date": "2024-11-03T11:00:00+00:00",
            "expires": "2025-06-30",
        },
        {
            "fingerprint": "f0c2c32101e36d1b2305",
            "status": "accepted",
            "note": "",
            "reviewer": "Ada",
            "date": "2024-11-04T12:00:00+00:00",
        },
    ],
}


def test_a_version_0_workspace_is_migrated(shop: Path):
    file = shop / "review.strataview.json"
    file.write_text(json.dumps(VERSION_0, indent=2), encoding="utf-8")
    before = file.read_bytes()
    loaded = load_workspace(file)
    assert loaded.migrated_from == 0
    assert file.read_bytes() == before  # reading never rewrites
    workspace = loaded.workspace
    assert workspace.schema_version == 1
    assert workspace.baseline == BaselineRef(kind="snapshot", ref="snapshots/main.json")
    assert {fingerprint: d.status for fingerprint, d in workspace.decisions.items()} == {
        "1f21de8fe138ecf40431": "must-fix",
        "b7bb3b0757890b114c8a": "waived",
        "f0c2c32101e36d1b2305": "accepted",
    }
    waiver = workspace.decisions["b7bb3b0757890b114c8a"]
    assert (waiver.reviewer, waiver.decided_at, waiver.expires, waiver.note) == (
        "Grace",
        datetime(2024, 11, 3, 11, tzinfo=timezone.utc),
        date(2025, 6, 30),
        "until the split",
    )
    save_workspace(workspace, file)
    assert json.loads(file.read_text(encoding="utf-8"))["schema_version"] == 1
    assert json.loads(backup_path(file).read_bytes()) == VERSION_0  # the old layout is kept as the backup
    assert load_workspace(file).workspace == workspace


@pytest.mark.parametrize(
    ("change", "message", "place"),
    [
        ({"decisions": {"1f21de8fe138ecf40431": {}}}, "decisions must be a list", "decisions"),
        ({"decisions": [{"status": "accepted"}]}, "each decision must be an object with a fingerprint", "decisions.0"),
        (
            {"decisions": [VERSION_0["decisions"][0], VERSION_0["decisions"][0]]},
            "two decisions for the violation 1f21de8fe138ecf40431",
            "decisions.1",
        ),
        ({"baseline": 7}, "baseline must be a git revision or a snapshot file's name", "baseline"),
    ],
)
def test_a_broken_version_0_workspace_is_refused(tmp_path: Path, change: dict, message: str, place: str):
    file = tmp_path / "review.strataview.json"
    file.write_text(json.dumps({**VERSION_0, **change}), encoding="utf-8")
    with pytest.raises(WorkspaceError) as caught:
        load_workspace(file)
    assert caught.value.message == f"corrupt workspace (schema_version 0): {message}"
    assert caught.value.place == place


def test_a_saved_analysis_of_another_result_version_is_left_out(shop: Path):
    file = shop / "review.strataview.json"
    save_workspace(full_workspace(shop, file), file)
    data = json.loads(file.read_text(encoding="utf-8"))
    data["last_analysis"]["result"]["schema_version"] = 7
    file.write_text(json.dumps(data), encoding="utf-8")
    loaded = load_workspace(file)
    assert loaded.workspace.last_analysis is None
    assert len(loaded.workspace.decisions) == 4  # the decisions are what matters
    assert loaded.warnings == (
        "the saved analysis has result schema_version 7, not 1; it is left out and the project is analysed again",
    )


def test_recoveries_of_ended_sessions_are_found_and_read(shop: Path, tmp_path: Path):
    recoveries = tmp_path / "recovery"
    file = shop / "review.strataview.json"
    workspace = full_workspace(shop, file)
    path = write_recovery(recoveries, workspace, file)
    assert path == recovery_path(recoveries, file)
    recovered = read_recovery(path)
    assert recovered.workspace_file == file and recovered.loaded.workspace == workspace
    # This process is running, but a recovery of its own is never hidden from it.
    assert [found.path for found in pending_recoveries(recoveries)] == [path]
    # A recovery written by another app that is still running is not offered.
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    data = json.loads(path.read_text(encoding="utf-8"))
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        path.write_text(json.dumps({**data, "pid": running.pid}), encoding="utf-8")
        assert pending_recoveries(recoveries) == []
    finally:
        running.kill()
        running.wait()
    path.write_text(json.dumps({**data, "pid": int(ended.stdout)}), encoding="utf-8")
    assert [found.path for found in pending_recoveries(recoveries)] == [path]
    # An untitled workspace (never saved) has absolute paths and a recovery of its own.
    untitled = write_recovery(recoveries, new_workspace(None, shop, reviewer="Ada"), None)
    assert untitled != path and read_recovery(untitled).workspace_file is None
    (recoveries / "junk.json").write_text("{", encoding="utf-8")  # unreadable: skipped
    assert {found.path for found in pending_recoveries(recoveries)} == {path, untitled}
