"""Workspace files in the desktop app: autosave and recovery after a crash, closing with unsaved
decisions, corrupt and newer files refused untouched with the backup offered, and
`strataview gui FILE.strataview.json`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from gui_support import TIMEOUT_MS, analyse
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from app.cli import main
from app.gui.main_window import MainWindow
from app.gui.models.violations import REVIEW
from core.workspace import backup_path, load_workspace, pending_recoveries, recovery_path
from workspace.app_support import Dialogs, open_workspace, reviews, select

Button = QMessageBox.StandardButton


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    return Dialogs(monkeypatch)


def decide(qtbot, window: MainWindow, importer: str, key: Qt.Key) -> None:
    select(qtbot, window, importer)
    qtbot.keyClick(window.violations.table, key)


def saved_workspace(qtbot, make_window, example: Path, dialogs: Dialogs, file: Path) -> MainWindow:
    """A window whose workspace, with the api violation accepted, is saved at `file`."""
    window = make_window()
    analyse(qtbot, window, example)
    decide(qtbot, window, "shop.api", Qt.Key.Key_A)
    dialogs.save_to = file
    assert window.review.save()
    return window


def crash(window: MainWindow) -> None:
    """End the window as a crash would: no saving, the recovery file stays."""
    recovery = recovery_path(window.review.recovery_dir, window.review.file)
    kept = recovery.read_bytes() if recovery.exists() else None
    window.review.writable = False
    window.close()
    if kept is not None:
        recovery.write_bytes(kept)


def test_unsaved_decisions_are_autosaved_and_offered_back_after_a_crash(
    qtbot, make_window, example: Path, dialogs: Dialogs, tmp_path: Path
):
    file = tmp_path / "review.strataview.json"
    window = saved_workspace(qtbot, make_window, example, dialogs, file)
    saved = file.read_bytes()
    assert not window.review.autosave()  # nothing unsaved, nothing written
    decide(qtbot, window, "shop.core", Qt.Key.Key_M)
    assert window.review.timer.isActive() and window.review.timer.interval() == 60_000
    window.review.timer.timeout.emit()  # a minute later
    recovery = recovery_path(window.settings.recovery_dir(), file)
    assert recovery.is_file() and file.read_bytes() == saved  # the workspace itself is untouched
    crash(window)

    dialogs.answers = [Button.Yes]
    reopened = make_window()
    open_workspace(qtbot, reopened, file)
    assert dialogs.asked[0].startswith(
        "Recover Review Changes: Strataview did not close properly. Changes to "
        "review.strataview.json that were not saved were autosaved at "
    )
    assert reviews(reopened) == {"shop.api -> shop.cli": ("accepted", ""), "shop.core -> shop.ui": ("must-fix", "")}
    assert reopened.review.dirty and reopened.isWindowModified()
    assert reopened.review.save() and not recovery.exists()
    assert {d.status for d in load_workspace(file).workspace.decisions.values()} == {"accepted", "must-fix"}
    reopened.close()


def test_a_declined_recovery_is_discarded(qtbot, make_window, example: Path, dialogs: Dialogs, tmp_path: Path):
    file = tmp_path / "review.strataview.json"
    window = saved_workspace(qtbot, make_window, example, dialogs, file)
    decide(qtbot, window, "shop.core", Qt.Key.Key_M)
    assert window.review.autosave()
    crash(window)
    dialogs.answers = [Button.Discard]
    reopened = make_window()
    open_workspace(qtbot, reopened, file)
    assert reviews(reopened) == {"shop.api -> shop.cli": ("accepted", "")}
    assert not recovery_path(reopened.review.recovery_dir, file).exists() and not reopened.review.dirty


def test_an_untitled_workspace_is_offered_back_at_start_up(
    qtbot, make_window, example: Path, dialogs: Dialogs, tmp_path: Path
):
    window = make_window()
    analyse(qtbot, window, example)
    decide(qtbot, window, "shop.api", Qt.Key.Key_W)
    qtbot.keyClicks(window.detail.review.note, "the audit moves next sprint")
    assert window.review.file is None and window.review.autosave()
    crash(window)
    assert [found.workspace_file for found in pending_recoveries(window.review.recovery_dir)] == [None]

    dialogs.answers = [Button.Yes]
    restarted = make_window()
    with qtbot.waitSignal(restarted.runner.succeeded, timeout=TIMEOUT_MS):
        assert restarted.review.offer_recovery()
    assert restarted.project == example.resolve() and restarted.review.file is None and restarted.review.dirty
    assert reviews(restarted) == {"shop.api -> shop.cli": ("waived", "the audit moves next sprint")}
    # Its own autosaves now go under this session's name; the old recovery is gone.
    assert pending_recoveries(restarted.review.recovery_dir) == []
    assert restarted.review.autosave()
    dialogs.answers = [Button.Discard]
    restarted.close()
    assert pending_recoveries(restarted.review.recovery_dir) == []


def test_closing_asks_about_unsaved_decisions_in_an_untitled_workspace(
    qtbot, make_window, example: Path, dialogs: Dialogs, tmp_path: Path
):
    window = make_window()
    analyse(qtbot, window, example)
    decide(qtbot, window, "shop.api", Qt.Key.Key_A)
    dialogs.answers = [Button.Cancel]
    assert not window.close()
    assert window.isVisible() and window.review.active
    dialogs.answers = [Button.Save]
    dialogs.save_to = tmp_path / "kept.strataview.json"
    assert window.close()
    assert len(load_workspace(tmp_path / "kept.strataview.json").workspace.decisions) == 1


def test_closing_saves_a_workspace_that_has_a_file(qtbot, make_window, example: Path, dialogs: Dialogs, tmp_path: Path):
    file = tmp_path / "review.strataview.json"
    window = saved_workspace(qtbot, make_window, example, dialogs, file)
    decide(qtbot, window, "shop.core", Qt.Key.Key_M)
    window.violations.filter_box.setText("shop.core")
    assert window.close() and dialogs.asked == []
    workspace = load_workspace(file).workspace
    assert len(workspace.decisions) == 2 and workspace.view.text_filter == "shop.core"
    assert len(load_workspace(backup_path(file)).workspace.decisions) == 1


def test_opening_another_project_closes_the_workspace(
    qtbot, make_window, example: Path, dialogs: Dialogs, tmp_path: Path
):
    file = tmp_path / "review.strataview.json"
    window = saved_workspace(qtbot, make_window, example, dialogs, file)
    assert window.review.leave()
    assert not window.review.active and window.violations.table.isColumnHidden(REVIEW)
    assert all(violation.review is None for violation in window.result.violations)
    assert window.windowTitle() == "example — Strataview"


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda text: text[: len(text) // 2], "the file ends too early: it is truncated"),
        (lambda text: text.replace('"schema_version": 1', '"schema_version": 4'), "written by a newer Strataview"),
        (lambda text: text.replace('"status": "accepted"', '"status": 12'), "corrupt workspace: Input should be"),
    ],
)
def test_a_damaged_workspace_is_refused_untouched_and_its_backup_offered(
    qtbot, make_window, example: Path, dialogs: Dialogs, tmp_path: Path, damage, message
):
    file = tmp_path / "review.strataview.json"
    window = saved_workspace(qtbot, make_window, example, dialogs, file)
    decide(qtbot, window, "shop.core", Qt.Key.Key_M)
    assert window.review.save()  # the first version is now the backup
    window.close()
    damaged = damage(file.read_text(encoding="utf-8"))
    file.write_text(damaged, encoding="utf-8")

    dialogs.answers = [Button.Cancel]
    refused = make_window()
    assert not refused.open_workspace(file)
    assert message in dialogs.asked[0] and "review.strataview.json.bak" in dialogs.asked[0]
    assert "The file was left as it is." in dialogs.asked[0]
    assert not refused.review.active and file.read_text(encoding="utf-8") == damaged
    refused.close()
    assert file.read_text(encoding="utf-8") == damaged

    dialogs.answers = [Button.Open]
    restored = make_window()
    open_workspace(qtbot, restored, file)
    assert reviews(restored) == {"shop.api -> shop.cli": ("accepted", "")}  # the backup's decisions
    assert restored.review.file == file and restored.review.dirty
    assert file.read_text(encoding="utf-8") == damaged  # until the user saves
    assert restored.review.save()
    assert len(load_workspace(file).workspace.decisions) == 1
    assert backup_path(file).is_file()


def test_a_damaged_workspace_without_a_backup_is_only_reported(qtbot, make_window, dialogs: Dialogs, tmp_path: Path):
    file = tmp_path / "review.strataview.json"
    file.write_text('{"format": "strataview-workspace", "schema_version": 1, "project": "."', encoding="utf-8")
    window = make_window()
    assert not window.open_workspace(file)
    assert dialogs.told == [
        f"review.strataview.json cannot be opened:\n{file}, line 1, column 71: the file ends too early: it is "
        "truncated (Expecting ',' delimiter)\n\nThe file was left as it is."
    ]
    assert not window.review.active


def test_gui_opens_a_workspace_file_and_a_screenshot_changes_nothing(
    qtbot, make_window, example: Path, dialogs: Dialogs, tmp_path: Path
):
    file = example / "review.strataview.json"
    saved_workspace(qtbot, make_window, example, dialogs, file).close()
    before = file.read_bytes()
    moved = Path(shutil.move(str(example), str(tmp_path / "checkout")))  # paths inside are relative
    shot = tmp_path / "review.png"
    assert main(["gui", str(moved / "review.strataview.json"), "--screenshot", str(shot)]) == 0
    assert (moved / "review.strataview.json").read_bytes() == before
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1400, 900)
    data = json.loads(before)
    assert data["project"] == "." and data["last_analysis"]["result"]["project"]["root"] == "."
    broken = tmp_path / "broken.strataview.json"
    broken.write_text("{}", encoding="utf-8")
    assert main(["gui", str(broken), "--screenshot", str(shot)]) == 2


def test_a_workspace_with_a_baseline_reviews_the_new_violations(
    qtbot, make_window, example: Path, dialogs: Dialogs, tmp_path: Path, capsys
):
    snapshot = tmp_path / "baseline.json"
    assert main(["snapshot", str(example), "--output", str(snapshot)]) == 0
    pricing = example / "shop/core/pricing.py"
    pricing.write_text(pricing.read_text(encoding="utf-8").replace("shop.ui.formatting", "shop.cli.admin"))
    file = tmp_path / "review.strataview.json"
    assert main(["review", "init", str(example), "--baseline", str(snapshot), "--workspace", str(file)]) == 0
    before = file.read_bytes()
    window = make_window()
    open_workspace(qtbot, window, file)
    assert window.baseline == str(snapshot)
    new = [v for v in window.result.violations if v.status == "new"]
    assert [v.message for v in new] == ["shop.core is not allowed to import shop.cli"]
    assert window.review_status.text() == "Review: 0 of 1 new violations decided · no change since last session"
    assert not window.review.dirty
    assert window.select_violation(new[0].fingerprint)
    window.violations.table.setFocus()
    qtbot.keyClick(window.violations.table, Qt.Key.Key_A)
    assert window.review_status.text() == "Review: 1 of 1 new violations decided · no change since last session"
    window.close()
    assert file.read_bytes() != before
    assert main(["check", "--workspace", str(file), "--new-only", "--no-cache"]) == 0
