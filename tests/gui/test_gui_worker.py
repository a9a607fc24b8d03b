"""The background analysis: one task at a time, cancellable, and a cancelled task never delivers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from gui_support import EXAMPLE, NO_CACHE, TIMEOUT_MS, GatedAnalysis
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from app.gui.worker import AnalysisCrashed, AnalysisRunner
from core.check import CheckOptions, Progress
from core.errors import ConfigError
from core.model import CheckResult


def record(runner: AnalysisRunner) -> dict[str, list]:
    seen: dict[str, list] = {"progressed": [], "succeeded": [], "failed": [], "cancelled": [], "running": []}
    runner.progressed.connect(seen["progressed"].append)
    runner.succeeded.connect(seen["succeeded"].append)
    runner.failed.connect(seen["failed"].append)
    runner.cancelled.connect(lambda: seen["cancelled"].append(True))
    runner.running_changed.connect(seen["running"].append)
    return seen


def test_delivers_progress_then_the_result(qtbot):
    runner = AnalysisRunner()
    seen = record(runner)
    with qtbot.waitSignal(runner.succeeded, timeout=TIMEOUT_MS):
        runner.start(EXAMPLE, NO_CACHE)
    assert [p.stage for p in seen["progressed"]][:2] == ["config", "graph"]
    assert seen["progressed"][-1].stage == "rules"
    [result] = seen["succeeded"]
    assert len(result.violations) == 5
    assert seen["running"] == [True, False]
    assert not runner.running


def test_cancel_stops_the_task_and_it_never_delivers(qtbot):
    gated = GatedAnalysis()
    gated.gate.clear()
    runner = AnalysisRunner(gated)
    seen = record(runner)
    with qtbot.waitSignal(runner.progressed, timeout=TIMEOUT_MS):
        runner.start(EXAMPLE, NO_CACHE)
    worker = runner.worker
    runner.cancel()
    assert worker.abort_requested and not runner.running
    assert seen["cancelled"] == [True] and seen["running"] == [True, False]
    with qtbot.waitSignal(worker.finished, timeout=TIMEOUT_MS):
        gated.gate.set()
    assert seen["succeeded"] == [] and seen["failed"] == []
    assert len(seen["progressed"]) == 1  # nothing after the cancel


def test_starting_a_new_task_cancels_the_running_one(qtbot, example: Path):
    gated = GatedAnalysis()
    gated.gate.clear()
    runner = AnalysisRunner(gated)
    seen = record(runner)
    with qtbot.waitSignal(runner.progressed, timeout=TIMEOUT_MS):
        runner.start(EXAMPLE, NO_CACHE)
    first = runner.worker
    (example / "shop" / "recommendations.py").unlink()
    with qtbot.waitSignals([first.finished, runner.succeeded], timeout=TIMEOUT_MS):
        runner.start(example, NO_CACHE)
        gated.gate.set()
    assert first.abort_requested
    [result] = seen["succeeded"]
    assert Path(result.project.root) == example.resolve()
    assert len(result.violations) == 4  # the second project's, without the coverage violation
    assert seen["running"] == [True, False]


def test_a_result_sent_before_the_cancel_arrived_is_dropped(qtbot):
    runner = AnalysisRunner()
    seen = record(runner)
    runner.start(EXAMPLE, NO_CACHE)
    # Block the GUI thread until the worker has ended: its result now waits in the event queue.
    assert QThreadPool.globalInstance().waitForDone(TIMEOUT_MS)
    runner.cancel()
    QApplication.processEvents()
    assert seen["succeeded"] == []
    assert seen["cancelled"] == [True]


def test_a_user_error_is_reported_as_it_was_raised(qtbot, tmp_path: Path):
    runner = AnalysisRunner()
    with qtbot.waitSignal(runner.failed, timeout=TIMEOUT_MS) as failed:
        runner.start(tmp_path / "missing", NO_CACHE)
    error = failed.args[0]
    assert isinstance(error, ConfigError)
    assert "does not exist" in str(error)
    assert not runner.running


def test_an_unexpected_failure_is_reported_not_lost(qtbot):
    # superqt drops a RuntimeError from a generator silently; the runner must still report it.
    def broken(path: Path, options: CheckOptions) -> Iterator[Progress | CheckResult]:
        yield Progress(stage="config", message="Reading configuration")
        raise RuntimeError("grimp fell over")

    runner = AnalysisRunner(broken)
    with qtbot.waitSignal(runner.failed, timeout=TIMEOUT_MS) as failed:
        runner.start(EXAMPLE, NO_CACHE)
    assert isinstance(failed.args[0], AnalysisCrashed)
    assert "RuntimeError: grimp fell over" in str(failed.args[0])
    assert not runner.running


def test_shutdown_stops_the_running_task_and_waits_for_it(qtbot):
    gated = GatedAnalysis()
    gated.gate.clear()
    runner = AnalysisRunner(gated)
    seen = record(runner)
    with qtbot.waitSignal(runner.progressed, timeout=TIMEOUT_MS):
        runner.start(EXAMPLE, NO_CACHE)
    worker = runner.worker
    gated.gate.set()
    assert runner.shutdown(TIMEOUT_MS)
    assert worker.abort_requested and not worker.is_running
    QApplication.processEvents()  # deliver whatever the worker sent before it stopped
    assert seen["succeeded"] == []
