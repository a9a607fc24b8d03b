"""Every command of the main window, its shortcut and tooltip, and the menus they appear in."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    shortcut: str
    tip: str


ACTION_SPECS = (
    ActionSpec("open_project", "&Open Project…", "Ctrl+O", "Open a project folder and analyse it"),
    ActionSpec("clear_recent", "&Clear Recent Projects", "", "Forget the recently opened projects"),
    ActionSpec("export_png", "Export View as &PNG…", "", "Save the architecture drawing as a PNG image"),
    ActionSpec("export_svg", "Export View as &SVG…", "", "Save the architecture drawing as an SVG image"),
    ActionSpec("quit", "&Quit", "Ctrl+Q", "Close Strataview"),
    ActionSpec("find", "&Find…", "Ctrl+F", "Filter the violations by module name or message"),
    ActionSpec("go_to_module", "&Go to Module…", "Ctrl+G", "Find a module in the architecture view"),
    ActionSpec("fit_view", "&Fit to Window", "Ctrl+0", "Show the whole architecture drawing"),
    ActionSpec("zoom_in", "Zoom &In", "Ctrl++", "Zoom into the architecture drawing"),
    ActionSpec("zoom_out", "Zoom &Out", "Ctrl+-", "Zoom out of the architecture drawing"),
    ActionSpec("reanalyse", "&Re-analyse", "F5", "Analyse the project again"),
    ActionSpec("live_mode", "&Live Mode", "Ctrl+L", "Re-analyse whenever a file of the project is saved"),
    ActionSpec("cancel_analysis", "&Cancel Analysis", "Esc", "Stop the running analysis; the previous result stays"),
)

RECENT_MENU = "recent"
SEPARATOR = "-"

# Menu title -> entries: an action name, SEPARATOR, or RECENT_MENU (the submenu of recent projects).
MENU_LAYOUT: dict[str, tuple[str, ...]] = {
    "&File": ("open_project", RECENT_MENU, SEPARATOR, "export_png", "export_svg", SEPARATOR, "quit"),
    "&Edit": ("find", "go_to_module"),
    "&View": ("fit_view", "zoom_in", "zoom_out", SEPARATOR, "reanalyse", "live_mode", "cancel_analysis"),
}


class Actions:
    """The QActions of one window, by name."""

    def __init__(self, parent: QWidget) -> None:
        self._actions: dict[str, QAction] = {}
        for spec in ACTION_SPECS:
            action = QAction(spec.text, parent)
            action.setObjectName(spec.name)
            if spec.shortcut:
                action.setShortcut(QKeySequence(spec.shortcut))
                action.setToolTip(f"{spec.tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
            else:
                action.setToolTip(spec.tip)
            action.setStatusTip(spec.tip)
            self._actions[spec.name] = action
        self._actions["live_mode"].setCheckable(True)
        self.recent_menu = QMenu("Open &Recent", parent)
        self.recent_menu.setObjectName(RECENT_MENU)

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def all(self) -> list[QAction]:
        return list(self._actions.values())

    def build_menus(self, menubar: QMenuBar) -> dict[str, QMenu]:
        menus: dict[str, QMenu] = {}
        for title, entries in MENU_LAYOUT.items():
            menu = menubar.addMenu(title)
            for entry in entries:
                if entry == SEPARATOR:
                    menu.addSeparator()
                elif entry == RECENT_MENU:
                    menu.addMenu(self.recent_menu)
                else:
                    menu.addAction(self._actions[entry])
            menus[title.replace("&", "")] = menu
        return menus
