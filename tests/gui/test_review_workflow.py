"""The review in the desktop app: deciding with buttons and keys, saving and reopening a workspace
in the same state, its saved analysis shown at once, and what changed since the last session."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from gui_support import TIMEOUT_MS, analyse
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.gui.models.violations import REVIEW, SESSION_ROLE
from app.gui.worker import AnalysisRunner
from core.workspace import load_workspace
from workspace.app_support import Dialogs, open_workspace, reviews, rows, select


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    return Dialogs(monkeypatch)


def test_decide_save_reopen_same_state(qtbot, make_window, example: Path, dialogs: Dialogs, tmp_path: Path):
    window = make_window()
    analyse(qtbot, window, example)
    assert not window.review.active and window.violations.table.isColumnHidden(REVIEW)

    select(qtbot, window, "shop.api")
    qtbot.keyClick(window.violations.table, Qt.Key.Key_A)  # accept
    assert window.review.active and window.review.file is None and window.review.dirty
    assert not window.violations.table.isColumnHidden(REVIEW)
    assert window.windowTitle() == "Untitled workspace[*] — example — Strataview" and window.isWindowModified()

    select(qtbot, window, "shop.core")
    qtbot.keyClick(window.violations.table, Qt.Key.Key_W)  # waive: a waiver needs a reason, so the note takes the keys
    editor = window.detail.review
    assert QApplication.focusWidget() is editor.note
    assert "needs a reason" in editor.note.toolTip()
    qtbot.keyClicks(editor.note, "Wait for the money type, M")  # W, M and A typed here decide nothing
    assert editor.note.toolTip() == ""
    editor.expires_box.setChecked(True)
    expiry = date.today() + timedelta(days=90)
    editor.expiry.setDate(expiry)

    select(qtbot, window, "shop.api.orders")
    qtbot.keyClick(window.violations.table, Qt.Key.Key_M)  # must fix
    qtbot.keyClicks(editor.note, "cut the cycle")

    decided = {
        "shop.api -> shop.cli": ("accepted", ""),
        "shop.core -> shop.ui": ("waived", "Wait for the money type, M"),
        "shop.api.orders -> shop.api.payments": ("must-fix", "cut the cycle"),
    }
    assert reviews(window) == decided
    assert window.review_status.text() == "Review: 3 of 5 violations decided"
    model = window.violations.model
    assert [model.index(row, REVIEW).data() for row in range(model.rowCount())].count("Accepted") == 1

    # The view: waived ones only, the waiver selected, a package expanded, pinned at a zoom.
    window.violations.set_decision_filter("waived")
    assert [v.importer for v in rows(window)] == ["shop.core"]
    assert window.architecture.toggle("shop.core")
    window.architecture.zoom_in()
    window.commands["pin_view"].setChecked(True)
    view = window.review.capture_view()

    file = tmp_path / "shop-review.strataview.json"
    dialogs.save_to = tmp_path / "shop-review"  # the suffix is added
    assert window.review.save()
    assert window.review.file == file and not window.review.dirty
    assert window.windowTitle() == "shop-review.strataview.json[*] — example — Strataview"
    saved = load_workspace(file).workspace
    assert saved.project == "example" and saved.view == view
    assert saved.decisions[window.violations.selected_violation.fingerprint].expires == expiry
    assert saved.last_analysis is not None and len(saved.last_analysis.result.violations) == 5
    assert all(v.review is None for v in saved.last_analysis.result.violations)
    window.close()
    assert dialogs.asked == []

    reopened = make_window()
    open_workspace(qtbot, reopened, file)
    assert reviews(reopened) == decided
    assert reopened.violations.decision_box.currentData() == "waived"
    assert [v.importer for v in rows(reopened)] == ["shop.core"]
    assert reopened.violations.selected_violation.importer == "shop.core"
    assert reopened.detail.review.note.text() == "Wait for the money type, M"
    assert reopened.detail.review.buttons["waived"].isChecked()
    assert reopened.detail.review.expires_box.isChecked()
    assert reopened.architecture.scene.expanded == {"shop.core"}
    assert reopened.architecture.view.scale_factor == pytest.approx(view.zoom, rel=1e-4)
    assert reopened.commands["pin_view"].isChecked()
    assert reopened.review.capture_view().center == pytest.approx(view.center, abs=1.0)
    assert not reopened.review.dirty
    assert reopened.review_status.text() == "Review: 3 of 5 violations decided · no change since last session"
    assert reopened.settings.recent_workspaces() == [file]


def test_the_saved_analysis_shows_at_once_and_the_new_one_tells_what_changed(
    qtbot, make_window, example: Path, dialogs: Dialogs, tmp_path: Path, gated
):
    window = make_window()
    analyse(qtbot, window, example)
    select(qtbot, window, "shop.core")  # shop.core -> shop.ui, in shop/core/pricing.py
    qtbot.keyClick(window.violations.table, Qt.Key.Key_M)
    file = tmp_path / "review.strataview.json"
    dialogs.save_to = file
    assert window.review.save()
    window.close()

    # The code moves on: pricing stops importing the ui and starts importing the command line.
    pricing = example / "shop/core/pricing.py"
    pricing.write_text(
        pricing.read_text(encoding="utf-8").replace(
            "from shop.ui.formatting import format_price", "from shop.cli.admin import audit"
        )
    )

    gated.gate.clear()
    reopened = make_window(AnalysisRunner(gated))
    assert reopened.open_workspace(file)
    # Before the new analysis: the saved one, with its decisions, and nothing said about changes yet.
    assert reopened.runner.running and len(rows(reopened)) == 5
    assert reviews(reopened) == {"shop.core -> shop.ui": ("must-fix", "")}
    assert reopened.review_status.text() == "Review: 1 of 5 violations decided"
    with qtbot.waitSignal(reopened.runner.succeeded, timeout=TIMEOUT_MS):
        gated.gate.set()

    changes = reopened.review.changes
    assert changes is not None
    assert [(v.importer, v.imported) for v in changes.gone] == [("shop.core", "shop.ui")]
    assert len(changes.new) == 1
    new = next(v for v in reopened.result.violations if v.fingerprint in changes.new)
    assert new.message == "shop.core is not allowed to import shop.cli"
    model = reopened.violations.model
    row = model.row_of(new.fingerprint)
    assert model.index(row, 0).data(SESSION_ROLE) is True
    assert model.index(row, 1).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index((row + 1) % model.rowCount(), 1).data(Qt.ItemDataRole.FontRole) is None
    assert reopened.violations.since_session_box.isVisibleTo(reopened)
    reopened.violations.since_session_box.setChecked(True)
    assert [v.fingerprint for v in rows(reopened)] == [new.fingerprint]
    assert reopened.review_status.text() == (
        "Review: 0 of 5 violations decided · 1 new, 1 gone since last session · 1 resolved"
    )
    # The decision on the gone violation is resolved, not dropped.
    resolved = reopened.review.show_resolved()
    assert resolved.rows() == [
        [
            "layers",
            "shop.core is not allowed to import shop.ui",
            "Must fix",
            "",
            reopened.review.workspace.reviewer or "",
        ]
    ]
    session = reopened.review.show_session_changes()
    assert [row[:3] for row in session.rows()] == [
        ["new", new.rule, new.message],
        ["gone", "layers", "shop.core is not allowed to import shop.ui"],
    ]
    # Forgetting a resolved decision drops it from the workspace.
    resolved.tree.topLevelItem(0).setSelected(True)
    resolved.action_button.click()
    assert reopened.review.workspace.decisions == {} and reopened.review.dirty
    resolved.close()
    session.close()


def test_keys_decide_only_outside_text_fields(qtbot, make_window, dialogs: Dialogs):
    window = make_window()
    analyse(qtbot, window, Path(__file__).resolve().parents[2] / "resources" / "example")
    select(qtbot, window, "shop.api")
    window.violations.filter_box.setFocus()
    qtbot.keyClicks(window.violations.filter_box, "am")
    assert window.violations.filter_box.text() == "am" and not window.review.active
    window.violations.filter_box.clear()
    select(qtbot, window, "shop.api")
    window.detail.review.note.setFocus()
    qtbot.keyClicks(window.detail.review.note, "WAM")
    assert window.detail.review.note.text() == "WAM"
    assert reviews(window) == {"shop.api -> shop.cli": ("open", "WAM")}  # a note, no decision
    window.violations.table.setFocus()
    qtbot.keyClick(window.violations.table, Qt.Key.Key_A)
    assert reviews(window) == {"shop.api -> shop.cli": ("accepted", "WAM")}
    # Clicking the decision in force takes it back; the note stays.
    window.detail.review.buttons["accepted"].click()
    assert reviews(window) == {"shop.api -> shop.cli": ("open", "WAM")}
    window.review.dirty = False  # nothing to ask about when the window closes


def test_filters_by_decision_and_the_next_undecided(qtbot, make_window, dialogs: Dialogs, example: Path):
    window = make_window()
    analyse(qtbot, window, example)
    select(qtbot, window, "shop.api")
    qtbot.keyClick(window.violations.table, Qt.Key.Key_A)
    undecided = []
    while window.review.next_undecided():
        undecided.append(window.violations.selected_violation.importer)
        qtbot.keyClick(window.violations.table, Qt.Key.Key_M)
    assert undecided == ["shop.core", "shop.core", "shop.api.orders", "shop.recommendations"]
    assert window.statusBar().currentMessage() == "Every violation to review has a decision."
    assert window.review_status.text() == "Review: 5 of 5 violations decided"
    panel = window.violations
    for decision, count in (("must-fix", 4), ("accepted", 1), ("undecided", 0), (None, 5)):
        panel.set_decision_filter(decision)
        assert len(rows(window)) == count, decision
    window.review.dirty = False


def test_an_expired_waiver_is_open_again(qtbot, make_window, dialogs: Dialogs, example: Path, tmp_path: Path):
    window = make_window()
    analyse(qtbot, window, example)
    select(qtbot, window, "shop.core")
    qtbot.keyClick(window.violations.table, Qt.Key.Key_W)
    qtbot.keyClicks(window.detail.review.note, "until the rewrite")
    file = tmp_path / "review.strataview.json"
    dialogs.save_to = file
    assert window.review.save()
    window.close()
    data = json.loads(file.read_text(encoding="utf-8"))
    (decision,) = data["decisions"].values()
    decision["expires"] = "2021-03-31"
    file.write_text(json.dumps(data), encoding="utf-8")
    reopened = make_window()
    open_workspace(qtbot, reopened, file)
    violation = select(qtbot, reopened, "shop.core")
    row = reopened.violations.model.row_of(violation.fingerprint)
    assert reopened.violations.model.index(row, REVIEW).data() == "Open (waiver expired)"
    editor = reopened.detail.review
    assert not any(button.isChecked() for button in editor.buttons.values())
    assert editor.summary.text() == "The waiver expired after 2021-03-31: the violation is open again."
    assert reopened.review_status.text().startswith("Review: 0 of 5 violations decided")


def test_saved_views_are_kept_by_name(qtbot, make_window, dialogs: Dialogs, example: Path, tmp_path: Path):
    window = make_window()
    analyse(qtbot, window, example)
    assert window.review.new_workspace()
    window.violations.filter_box.setText("adapters")
    dialogs.texts = ["adapters"]
    window.review.save_view()
    window.violations.filter_box.setText("")
    window.review.fill_saved_views_menu()
    (action,) = window.commands.saved_views_menu.actions()
    assert action.text() == "adapters"
    action.trigger()
    assert window.violations.filter_box.text() == "adapters" and len(rows(window)) == 1
    dialogs.texts = ["Grace Hopper"]
    window.review.set_reviewer()
    select(qtbot, window, "shop.core")
    qtbot.keyClick(window.violations.table, Qt.Key.Key_A)
    accepted = window.review.workspace.decisions[window.violations.selected_violation.fingerprint]
    assert accepted.reviewer == "Grace Hopper"
    assert window.detail.review.summary.text().startswith("Accepted by Grace Hopper on ")
    dialogs.save_to = tmp_path / "views.strataview.json"
    assert window.review.save()
    assert set(load_workspace(tmp_path / "views.strataview.json").workspace.saved_views) == {"adapters"}
