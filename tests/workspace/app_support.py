"""Helpers of the desktop app's review tests: the controller's dialogs answered as told, and the
table's violations and decisions read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import TIMEOUT_MS
from PySide6.QtWidgets import QMessageBox

from app.gui import workspace_controller
from app.gui.main_window import MainWindow
from app.gui.models.violations import VIOLATION_ROLE
from core.model import Violation

Button = QMessageBox.StandardButton


class Dialogs:
    """Stands in for the controller's dialogs: answers questions as told, and records what was asked."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.answers: list[Button] = []
        self.asked: list[str] = []
        self.told: list[str] = []
        self.save_to: Path | None = None
        self.texts: list[str] = []
        monkeypatch.setattr(workspace_controller, "ask", self._ask)
        monkeypatch.setattr(workspace_controller, "tell", lambda _parent, title, text: self.told.append(text))
        monkeypatch.setattr(
            workspace_controller, "choose_file_to_save", lambda _parent, _start: str(self.save_to or "")
        )
        monkeypatch.setattr(workspace_controller, "ask_text", lambda *_args: self.texts.pop(0) if self.texts else None)

    def _ask(self, _parent, title: str, text: str, _buttons, _default) -> Button:
        self.asked.append(f"{title}: {text}")
        assert self.answers, f"an unexpected question: {title}: {text}"
        return self.answers.pop(0)


def rows(window: MainWindow) -> list[Violation]:
    proxy = window.violations.filter
    return [proxy.index(row, 0).data(VIOLATION_ROLE) for row in range(proxy.rowCount())]


def reviews(window: MainWindow) -> dict[str, tuple[str, str]]:
    """Each violation's decision in force and note, by importer and imported."""
    assert window.result is not None
    return {
        f"{v.importer} -> {v.imported}": (v.review.status, v.review.note)
        for v in window.result.violations
        if v.review is not None and (v.review.status != "open" or v.review.note)
    }


def select(qtbot, window: MainWindow, importer: str) -> Violation:
    violation = next(v for v in window.result.violations if v.importer == importer)
    assert window.select_violation(violation.fingerprint)
    window.activateWindow()
    qtbot.waitActive(window)
    window.violations.table.setFocus()
    return violation


def open_workspace(qtbot, window: MainWindow, file: Path) -> None:
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        assert window.open_workspace(file)
