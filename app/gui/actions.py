"""Every command of the main window, its shortcut, tooltip and icon, and the menus and toolbar they appear in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
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
    ActionSpec("new_workspace", "&New Workspace", "Ctrl+N", "Start a review workspace for the open project"),
    ActionSpec(
        "open_workspace", "Open &Workspace…", "Ctrl+Shift+O", "Open a saved review workspace with its decisions", "open"
    ),
    ActionSpec("save_workspace", "&Save Workspace", "Ctrl+S", "Save the review workspace"),
    ActionSpec("save_workspace_as", "Save Workspace &As…", "Ctrl+Shift+S", "Save the review workspace to another file"),
    ActionSpec("clear_recent_workspaces", "&Clear Recent Workspaces", "", "Forget the recently opened workspaces"),
    ActionSpec("accept", "&Accept", "A", "Accept the selected violation: it no longer fails the check"),
    ActionSpec("waive", "&Waive", "W", "Waive the selected violation, with a reason and optionally an expiry date"),
    ActionSpec("must_fix", "&Must Fix", "M", "Mark the selected violation as one that must be fixed"),
    ActionSpec("reopen", "&Reopen", "", "Take back the decision on the selected violation"),
    ActionSpec("next_undecided", "&Next Undecided", "N", "Select the next violation to review that has no decision"),
    ActionSpec("show_resolved", "&Resolved Decisions…", "", "Decisions whose violation is gone"),
    ActionSpec(
        "show_session_changes", "&Changes Since Last Session…", "", "Violations new and gone since the last save"
    ),
    ActionSpec("set_reviewer", "Set Reviewer &Name…", "", "The name recorded with your decisions"),
    ActionSpec("save_view", "Save &View…", "", "Keep the filters, selection, expanded packages and zoom under a name"),
    ActionSpec("pin_view", "&Pin View", "", "Reopen the workspace at this zoom and position, not fitted to the window"),
    ActionSpec("export_png", "Export View as &PNG…", "", "Save the architecture drawing as a PNG image", "export"),
    ActionSpec("export_svg", "Export View as &SVG…", "", "Save the architecture drawing as an SVG image", "export"),
    ActionSpec(
        "export_report", "Export &Report…", "Ctrl+E",
        "Save the check as a report: HTML, SARIF, Markdown, JUnit XML, JSON or text", "export",
    ),
    ActionSpec("quit", "&Quit", "Ctrl+Q", "Close Strataview"),
    ActionSpec("find", "&Find…", "Ctrl+F", "Filter the violations by module name or message", "find"),
    ActionSpec("go_to_module", "&Go to Module…", "Ctrl+G", "Find a module in the architecture view", "find"),
    ActionSpec("fit_view", "&Fit to Window", "Ctrl+0", "Show the whole architecture drawing", "fit"),
    ActionSpec("zoom_in", "Zoom &In", "Ctrl++", "Zoom into the architecture drawing", "zoom_in"),
    ActionSpec("zoom_out", "Zoom &Out", "Ctrl+-", "Zoom out of the architecture drawing", "zoom_out"),
    ActionSpec(
        "colour_by_layer", "Colour by &Layer", "", "Colour the architecture's boxes by kind: packages, modules, outside"
    ),
    ActionSpec(
        "colour_by_age", "Colour by &Age", "",
        "Colour the architecture's boxes by when their newest module was added (needs a git baseline); "
        "modules from AI-assisted commits are hatched",
    ),
    ActionSpec("reanalyse", "&Re-analyse", "F5", "Analyse the project again", "reanalyse"),
    ActionSpec("live_mode", "&Live Mode", "Ctrl+L", "Re-analyse whenever a file of the project is saved", "live"),
    ActionSpec(
        "cancel_analysis", "&Cancel Analysis", "Esc", "Stop the running analysis; the previous result stays", "cancel"
    ),
)

RECENT_MENU = "recent"
RECENT_WORKSPACES_MENU = "recent-workspaces"
SAVED_VIEWS_MENU = "saved-views"
SEPARATOR = "-"
# A recent-files menu -> the action that clears it, and what it says when it is empty.
RECENT_MENUS = {
    RECENT_MENU: ("clear_recent", "No recent projects"),
    RECENT_WORKSPACES_MENU: ("clear_recent_workspaces", "No recent workspaces"),
}

# Menu title -> entries: an action name, SEPARATOR, or a submenu's name (recent projects, recent
# workspaces, saved views).
MENU_LAYOUT: dict[str, tuple[str, ...]] = {
    "&File": (
        "open_project", RECENT_MENU, SEPARATOR,
        "new_workspace", "open_workspace", RECENT_WORKSPACES_MENU, "save_workspace", "save_workspace_as", SEPARATOR,
        "export_png", "export_svg", "export_report", SEPARATOR, "quit",
    ),
    "&Edit": ("find", "go_to_module"),
    "&View": (
        "fit_view", "zoom_in", "zoom_out", SEPARATOR, "colour_by_layer", "colour_by_age", SEPARATOR,
        "reanalyse", "live_mode", "cancel_analysis", SEPARATOR,
        "save_view", SAVED_VIEWS_MENU, "pin_view",
    ),
    "&Review": (
        "accept", "waive", "must_fix", "reopen", SEPARATOR, "next_undecided", SEPARATOR,
        "show_session_changes", "show_resolved", SEPARATOR, "set_reviewer",
    ),
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
        self._actions["pin_view"].setCheckable(True)
        self.colour_by = QActionGroup(parent)  # one of the two at a time
        for name in ("colour_by_layer", "colour_by_age"):
            self._actions[name].setCheckable(True)
            self.colour_by.addAction(self._actions[name])
        self._actions["colour_by_layer"].setChecked(True)
        self.recent_menu = QMenu("Open &Recent", parent)
        self.recent_menu.setObjectName(RECENT_MENU)
        self.recent_workspaces_menu = QMenu("Open Recent Wor&kspace", parent)
        self.recent_workspaces_menu.setObjectName(RECENT_WORKSPACES_MENU)
        self.saved_views_menu = QMenu("Saved V&iews", parent)
        self.saved_views_menu.setObjectName(SAVED_VIEWS_MENU)
        self._submenus = {
            RECENT_MENU: self.recent_menu,
            RECENT_WORKSPACES_MENU: self.recent_workspaces_menu,
            SAVED_VIEWS_MENU: self.saved_views_menu,
        }

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def all(self) -> list[QAction]:
        return list(self._actions.values())

    def connect_recent(
        self, menu_name: str, recent: Callable[[], list[Path]], open_path: Callable[[Path], object]
    ) -> None:
        """Fill a recent-files menu each time it opens: the `recent` paths, newest first, each
        opened by `open_path` (or a disabled line saying there are none), then its Clear action."""
        menu = self._submenus[menu_name]
        clear_name, nothing = RECENT_MENUS[menu_name]
        clear = self._actions[clear_name]

        def fill() -> None:
            menu.clear()
            paths = recent()
            for path in paths:
                action = menu.addAction(str(path))
                action.triggered.connect(lambda _checked=False, path=path: open_path(path))
            if not paths:
                menu.addAction(nothing).setEnabled(False)
            menu.addSeparator()
            menu.addAction(clear)
            clear.setEnabled(bool(paths))

        menu.aboutToShow.connect(fill)

    def build_menus(self, menubar: QMenuBar) -> dict[str, QMenu]:
        menus: dict[str, QMenu] = {}
        for title, entries in MENU_LAYOUT.items():
            menu = menubar.addMenu(title)
            for entry in entries:
                if entry == SEPARATOR:
                    menu.addSeparator()
                elif entry in self._submenus:
                    menu.addMenu(self._submenus[entry])
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
        # Export: a click saves a PNG, the arrow beside it offers SVG and a report too.
        export = toolbar.widgetForAction(self._actions["export_png"])
        if isinstance(export, QToolButton):
            formats = QMenu(export)
            formats.addActions([self._actions["export_png"], self._actions["export_svg"]])
            formats.addSeparator()
            formats.addAction(self._actions["export_report"])
            export.setMenu(formats)
            export.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        return toolbar
