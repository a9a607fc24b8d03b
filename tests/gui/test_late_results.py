"""Background work that ends after its window is gone delivers nothing.

The baseline picker reads the history in the global thread pool. Closing the window waits for the
pool at most five seconds; on a loaded machine a read can take longer, and its result then arrives
after the window and the picker were deleted. Handled by the deleted picker, it raised "Internal
C++ object already deleted" inside a slot, which pytest-qt reports as a failure of whichever test
was running at the time (that is how `test_cancel_stops_the_task_and_it_never_delivers` failed in
loaded full runs). The window now stops the picker as it closes, and the late result is dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from gui_support import EXAMPLE, TIMEOUT_MS, analyse
from PySide6.QtCore import QEvent, QThreadPool
from PySide6.QtWidgets import QApplication

from app.gui import baseline_picker as picker_module
from app.gui.baseline_picker import BaselinePicker
from baseline.history import History


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    history = History(tmp_path / "shop")
    history.write({"pyproject.toml": (EXAMPLE / "pyproject.toml").read_text()})
    history.write({str(path.relative_to(EXAMPLE)): path.read_text() for path in EXAMPLE.rglob("*.py")})
    history.commit("Layered shop")
    return history.root


@pytest.fixture
def slow_history(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Reading the history waits until the test opens the gate."""
    gate = threading.Event()
    read = picker_module.read_revisions

    def waiting(*args, **kwargs):
        assert gate.wait(TIMEOUT_MS / 1000), "the test never opened the gate"
        return read(*args, **kwargs)

    monkeypatch.setattr(picker_module, "read_revisions", waiting)
    yield gate
    gate.set()


def delete(picker: BaselinePicker) -> None:
    picker.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(picker)


def finish_reading(gate: threading.Event) -> None:
    """Let the read end and hand its result to the GUI thread."""
    gate.set()
    assert QThreadPool.globalInstance().waitForDone(TIMEOUT_MS)
    QApplication.processEvents()


def test_a_read_that_ends_after_the_picker_is_deleted_is_dropped_once_stopped(qtbot, repository, slow_history):
    unstopped = BaselinePicker()
    unstopped.set_project(repository)
    stopped = BaselinePicker()
    stopped.set_project(repository)
    assert unstopped.loading and stopped.loading

    stopped.stop()
    assert not stopped.loading
    delete(unstopped)
    delete(stopped)
    with qtbot.captureExceptions() as exceptions:
        finish_reading(slow_history)

    # Only the picker that was not stopped handled its result, on a deleted widget.
    assert [(kind, "already deleted" in str(error)) for kind, error, _ in exceptions] == [(RuntimeError, True)]


def test_closing_the_window_stops_the_history_read(qtbot, make_window, repository, slow_history):
    window = make_window()
    analyse(qtbot, window, repository)
    picker = window.baseline_picker
    assert picker.loading
    loaded: list[bool] = []
    picker.revisions_loaded.connect(lambda: loaded.append(True))

    # Opened while the window waits for the pool as it closes.
    threading.Timer(0.2, slow_history.set).start()
    window.close()

    assert not picker.loading
    finish_reading(slow_history)
    assert loaded == []
