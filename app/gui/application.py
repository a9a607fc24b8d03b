"""Start the desktop app on a project or a review workspace, or render its main window to a PNG and exit."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import QApplication

from app.gui.main_window import DEFAULT_SIZE, MainWindow
from app.gui.settings import Settings
from app.gui.theme import follow_system_theme
from core.errors import StrataviewError
from core.workspace import WorkspaceError, load_workspace

EXIT_OK, EXIT_ERROR = 0, 2
LAYOUT_ROUNDS = 4  # rounds of events that settle the window's layout before a screenshot


def launch(
    path: Path,
    config: Path | None = None,
    screenshot: Path | None = None,
    baseline: str | None = None,
    workspace: bool = False,
) -> int:
    """Open the main window on the project at `path` and analyse it, against `baseline` if given
    (a git revision or a snapshot file; the baseline picker shows it chosen). With `workspace`,
    `path` is a review workspace file, opened with its decisions and views; without one, the
    recovery of a session that crashed is offered.

    With `screenshot`, wait for the analysis, save the window drawn at 1400x900 to that PNG and
    return without entering the event loop. Returns the process exit code.
    """
    if screenshot is not None:
        # A screenshot never needs a screen.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    elif QApplication.instance() is None and not _display_available():
        print("strataview: error: no display to open the window on (set DISPLAY, or use --screenshot)", file=sys.stderr)
        return EXIT_ERROR
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setOrganizationName("Strataview")
    app.setApplicationName("Strataview")
    follow_system_theme(app)
    if screenshot is not None:
        return _screenshot(path, config, screenshot, baseline, workspace)
    window = MainWindow(Settings())
    window.show()
    if workspace:
        if not window.open_workspace(path):
            return EXIT_ERROR
    elif not window.review.offer_recovery():
        window.open_project(path, config, baseline)
    return app.exec()


def _screenshot(path: Path, config: Path | None, output: Path, baseline: str | None, workspace: bool) -> int:
    opened = None
    if workspace:
        try:
            opened = load_workspace(path).workspace
        except WorkspaceError as error:
            print(f"strataview: error: {error}", file=sys.stderr)
            return EXIT_ERROR
    # Settings in a throwaway file: the picture does not depend on, or change, the user's layout.
    with tempfile.TemporaryDirectory(prefix="strataview-") as scratch:
        settings = Settings(QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings)
        window.review.writable = False  # a picture never changes the workspace
        window.resize(*DEFAULT_SIZE)
        window.show()
        failures: list[Exception] = []
        window.runner.failed.connect(failures.append)
        waiting = QEventLoop()
        window.runner.running_changed.connect(lambda running: running or waiting.quit())
        if opened is not None:
            window.review.show_workspace(opened, path)
        else:
            window.open_project(path, config, baseline)
        if window.runner.running:
            waiting.exec()
        # Layout requests climb from a changed widget to its parents one round of events at a time.
        for _round in range(LAYOUT_ROUNDS):
            QApplication.processEvents()
        saved = window.grab().save(str(output), "PNG")
        window.close()
        window.deleteLater()
        settings.sync()
    if not saved:
        print(f"strataview: error: could not write the screenshot to {output}", file=sys.stderr)
        return EXIT_ERROR
    for failure in failures:
        prefix = "error" if isinstance(failure, StrataviewError) else "unexpected error"
        print(f"strataview: {prefix}: {failure}", file=sys.stderr)
    return EXIT_ERROR if failures else EXIT_OK


def _display_available() -> bool:
    if os.environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
