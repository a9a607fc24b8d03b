"""Every command of the main window, its shortcut, tooltip and icon, and the menus and toolbar they appear in."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QToolBar, QToolButton, QWidget

from app.gui.icons import ThemedIcons


@dataclass(frozen=True)
class ActionSpec:
    name: str
    text: str
    shortcut: str
    tip: str
    icon: str = ""  # the name of an SVG file in resources/icons/, without ".svg"


ACTION_SPECS = (
    ActionSpec("open_project", "&Open Project…", "Ctrl+O", "Open a project folder and analyse it", "open"),
    ActionSpec("clear_recent", "&Clear Recent Projects", "", "Forget the recently opened projects"),
    ActionSpec("export_png", "Export View as &PNG…", "", "Save the architecture drawing as a PNG image", "export"),
    ActionSpec("export_svg", "Export View as &SVG…", "", "Save the architecture drawing as an SVG image", "export"),
    ActionSpec("quit", "&Quit", "Ctrl+Q", "Close Strataview"),
    ActionSpec("find", "&Find…", "Ctrl+F", "Filter the violations by module name or message", "find"),
    ActionSpec("go_to_module", "&Go to Module…", "Ctrl+G", "Find a module in the architecture view", "find"),
    ActionSpec("fit_view", "&Fit to Window", "Ctrl+0", "Show the whole architecture drawing", "fit"),
    ActionSpec("zoom_in", "Zoom &In", "Ctrl++", "Zoom into the architecture drawing", "zoom_in"),
    ActionSpec("zoom_out", "Zoom &Out", "Ctrl+-", "Zoom out of the architecture drawing", "zoom_out"),
    ActionSpec("reanalyse", "&Re-analyse", "F5", "Analyse the project again", "reanalyse"),
    ActionSpec("live_mode", "&Live Mode", "Ctrl+L", "Re-analyse whenever a file of the project is saved", "live"),
    ActionSpec(
        "cancel_analysis", "&Cancel Analysis", "Esc", "Stop the running analysis; the previous result stays", "cancel"
    ),
)

RECENT_MENU = "recent"
SEPARATOR = "-"

# Menu title -> entries: an action name, SEPARATOR, or RECENT_MENU (the submenu of recent projects).
MENU_LAYOUT: dict[str, tuple[str, ...]] = {
    "&File": ("open_project", RECENT_MENU, SEPARATOR, "export_png", "export_svg", SEPARATOR, "quit"),
    "&Edit": ("find", "go_to_module"),
    "&View": ("fit_view", "zoom_in", "zoom_out", SEPARATOR, "reanalyse", "live_mode", "cancel_analysis"),
}

# The main toolbar, left to right: entries as in a menu.
TOOLBAR_LAYOUT: tuple[str, ...] = (
    "open_project", SEPARATOR, "reanalyse", "live_mode", SEPARATOR, "fit_view", "export_png"
)
# Short labels for the toolbar's buttons, where the menu text is too long.
TOOLBAR_TEXT = {
    "open_project": "Open",
    "reanalyse": "Re-analyse",
    "live_mode": "Live",
    "fit_view": "Fit",
    "export_png": "Export",
}


class Actions:
    """The QActions of one window, by name."""

    def __init__(self, parent: QWidget) -> None:
        self._actions: dict[str, QAction] = {}
        self.icons = ThemedIcons(parent)
        for spec in ACTION_SPECS:
            action = QAction(spec.text, parent)
            action.setObjectName(spec.name)
            if spec.shortcut:
                action.setShortcut(QKeySequence(spec.shortcut))
                action.setToolTip(f"{spec.tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})")
            else:
                action.setToolTip(spec.tip)
            action.setStatusTip(spec.tip)
            if spec.icon:
                self.icons.set_icon(action, spec.icon)
            if spec.name in TOOLBAR_TEXT:
                action.setIconText(TOOLBAR_TEXT[spec.name])
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

    def build_toolbar(self, parent: QWidget) -> QToolBar:
        toolbar = QToolBar("Main Toolbar", parent)
        toolbar.setObjectName("main-toolbar")  # the name saveState() keeps its place under
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setMovable(False)
        for entry in TOOLBAR_LAYOUT:
            if entry == SEPARATOR:
                toolbar.addSeparator()
            else:
                toolbar.addAction(self._actions[entry])
        # Export: a click saves a PNG, the arrow beside it offers SVG too.
        export = toolbar.widgetForAction(self._actions["export_png"])
        if isinstance(export, QToolButton):
            formats = QMenu(export)
            formats.addActions([self._actions["export_png"], self._actions["export_svg"]])
            export.setMenu(formats)
            export.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        return toolbar
