"""Helpers shared by the desktop app tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from app.gui.main_window import MainWindow
from core.check import CheckOptions, Progress, run_check
from core.model import CheckResult

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "example"
NO_CACHE = CheckOptions(use_cache=False)
TIMEOUT_MS = 10_000


def analyse(qtbot, window: MainWindow, path: Path) -> CheckResult:
    """Open `path` in `window` and wait for its result."""
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS) as blocker:
        window.open_project(path)
    return blocker.args[0]


class GatedAnalysis:
    """The real analysis, but it stops after its first progress event until the gate opens."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.gate.set()

    def __call__(self, path: Path, options: CheckOptions) -> Iterator[Progress | CheckResult]:
        yield Progress(stage="config", message="Waiting at the gate")
        assert self.gate.wait(TIMEOUT_MS / 1000), "the test never opened the gate"
        yield from run_check(path, options)
