"""Desktop app tests: offscreen, with settings kept in the test's own directory."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from gui_support import EXAMPLE, NO_CACHE, GatedAnalysis
from PySide6.QtCore import QSettings

from app.gui.main_window import MainWindow
from app.gui.settings import Settings
from app.gui.worker import AnalysisRunner


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path: Path) -> None:
    """Even a default-constructed QSettings writes under tmp_path, never to the user's settings."""
    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(settings_format, scope, str(tmp_path / "qsettings"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example project that a test may break."""
    return Path(shutil.copytree(EXAMPLE, tmp_path / "example"))


MakeWindow = Callable[..., MainWindow]


@pytest.fixture
def make_window(qtbot, settings: Settings) -> MakeWindow:
    def make(runner: AnalysisRunner | None = None, window_settings: Settings | None = None) -> MainWindow:
        window = MainWindow(window_settings or settings, runner, NO_CACHE)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def gated() -> Iterator[GatedAnalysis]:
    analysis = GatedAnalysis()
    yield analysis
    analysis.gate.set()
