"""File > Open Recent and Open Recent Workspace: the same menu over two lists, filled as it opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import TIMEOUT_MS
from PySide6.QtWidgets import QMenu
from test_review_files import saved_workspace
from workspace.app_support import Dialogs, reviews

from app.gui.main_window import MainWindow


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    return Dialogs(monkeypatch)


def shown(menu: QMenu) -> list[tuple[str, bool]]:
    """The menu's entries as it opens, (text, enabled), separators as '-'."""
    menu.aboutToShow.emit()
    return [("-", False) if action.isSeparator() else (action.text(), action.isEnabled()) for action in menu.actions()]


def menus(window: MainWindow) -> tuple[QMenu, QMenu]:
    return window.commands.recent_menu, window.commands.recent_workspaces_menu


def test_empty_menus_say_so_and_cannot_be_cleared(make_window):
    projects, workspaces = menus(make_window())
    assert shown(projects) == [("No recent projects", False), ("-", False), ("&Clear Recent Projects", False)]
    assert shown(workspaces) == [("No recent workspaces", False), ("-", False), ("&Clear Recent Workspaces", False)]


def test_recent_projects_and_workspaces_open_from_their_menus_and_clear(
    qtbot, make_window, example: Path, dialogs: Dialogs, tmp_path: Path
):
    file = tmp_path / "review.strataview.json"
    first = saved_workspace(qtbot, make_window, example, dialogs, file)
    decided = reviews(first)
    first.close()
    other = tmp_path / "other"
    other.mkdir()
    first.settings.add_recent_project(other)  # opened later: listed first

    window = make_window()
    projects, workspaces = menus(window)
    assert shown(projects) == [
        (str(other), True),
        (str(example.resolve()), True),
        ("-", False),
        ("&Clear Recent Projects", True),
    ]
    assert shown(workspaces) == [(str(file), True), ("-", False), ("&Clear Recent Workspaces", True)]
    # Filling again when the menu opens again lists each path once.
    assert len(shown(workspaces)) == 3

    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        workspaces.actions()[0].trigger()
    assert window.review.file == file and reviews(window) == decided
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        projects.actions()[1].trigger()
    assert window.project == example.resolve()

    projects.actions()[-1].trigger()
    assert shown(projects)[0] == ("No recent projects", False)
    assert shown(workspaces)[0] == (str(file), True)  # the other list is kept
    workspaces.actions()[-1].trigger()
    assert shown(workspaces)[0] == ("No recent workspaces", False)
