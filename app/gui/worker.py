"""Run the analysis off the GUI thread: one task at a time, cancellable between progress steps.

`AnalysisRunner.start` runs `core.check.run_analysis` in a superqt `thread_worker`, and builds the
dependency map the drawings read there too, off the GUI thread. Starting a new task cancels the
running one; a cancelled task never delivers a result, not even one it had already sent before
the cancel reached it (every delivery is checked against the current task).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Generator, Iterator
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal
from superqt.utils import GeneratorWorker, thread_worker

from core.architecture import DependencyMap
from core.check import Analysis, CheckOptions, Progress, run_analysis
from core.errors import StrataviewError
from core.model import CheckResult

logger = logging.getLogger(__name__)

# An analysis ends with an Analysis; one that ends with a bare CheckResult delivers no drawing.
Analyse = Callable[[Path, CheckOptions], Iterator[Progress | Analysis | CheckResult]]
Outcome = CheckResult | tuple[Analysis, DependencyMap]

# From this many modules on, an analysis is frozen out of the garbage collector's full passes.
LARGE_ANALYSIS_MODULES = 2000


class AnalysisCrashed(Exception):
    """An unexpected failure inside the analysis: a bug to report, not something the user caused."""


def _analysis(analyse: Analyse, path: Path, options: CheckOptions) -> Generator[Progress, None, Outcome]:
    try:
        for event in analyse(path, options):
            if isinstance(event, Analysis):
                dependency_map = DependencyMap(event)
                if len(dependency_map.modules) >= LARGE_ANALYSIS_MODULES:
                    _freeze_long_lived_objects()
                return event, dependency_map
            if isinstance(event, CheckResult):
                return event
            yield event
    except StrataviewError:
        raise
    except Exception as error:
        # superqt treats a RuntimeError from the generator as a deleted worker and drops it
        # silently, so every unexpected exception is turned into one the runner reports.
        logger.exception("the analysis of %s failed unexpectedly", path)
        raise AnalysisCrashed(f"{type(error).__name__}: {error}") from error
    raise AnalysisCrashed("the analysis ended without a result")


def _freeze_long_lived_objects() -> None:
    """Keep the objects alive now (above all the analysis) out of the collector's full passes.

    A large analysis holds hundreds of thousands of objects that live until the next one; every
    full pass would walk them again, and drawing thousands of boxes and edges sets off one pass or
    more each time a package is expanded (tens of milliseconds each on a 7,000-module project).
    The objects frozen by the previous analysis are unfrozen and collected first, so its garbage
    does not outlive the next analysis.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class AnalysisRunner(QObject):
    """Runs one analysis at a time in the background and reports on the GUI thread."""

    progressed = Signal(object)  # Progress
    analysed = Signal(object, object)  # Analysis, DependencyMap: sent just before `succeeded`
    succeeded = Signal(object)  # CheckResult
    failed = Signal(object)  # StrataviewError or AnalysisCrashed
    cancelled = Signal()
    running_changed = Signal(bool)

    def __init__(self, analyse: Analyse = run_analysis, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._analyse = analyse
        self._worker: GeneratorWorker | None = None

    @property
    def running(self) -> bool:
        return self._worker is not None

    @property
    def worker(self) -> GeneratorWorker | None:
        """The worker of the current task, if one is running."""
        return self._worker

    def start(self, path: Path, options: CheckOptions) -> None:
        """Analyse `path`, cancelling whatever analysis is still running."""
        was_running = self.running
        self._abandon()
        worker = thread_worker(_analysis, start_thread=False, ignore_errors=True)(self._analyse, path, options)
        worker.yielded.connect(partial(self._on_progress, worker))
        worker.returned.connect(partial(self._on_returned, worker))
        worker.errored.connect(partial(self._on_errored, worker))
        self._worker = worker
        worker.start()
        if not was_running:
            self.running_changed.emit(True)

    def cancel(self) -> None:
        if not self.running:
            return
        self._abandon()
        self.cancelled.emit()
        self.running_changed.emit(False)

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel the running task and wait for background threads to end; False if they did not in time."""
        self.cancel()
        return QThreadPool.globalInstance().waitForDone(timeout_ms)

    def _abandon(self) -> None:
        if self._worker is not None:
            # The worker stops at its next step; anything it still sends is ignored.
            self._worker.quit()
            self._worker = None

    def _on_progress(self, worker: GeneratorWorker, progress: Progress) -> None:
        if worker is self._worker:
            self.progressed.emit(progress)

    def _on_returned(self, worker: GeneratorWorker, outcome: Outcome) -> None:
        if worker is self._worker:
            self._worker = None
            if isinstance(outcome, tuple):
                analysis, dependency_map = outcome
                self.analysed.emit(analysis, dependency_map)
                outcome = analysis.result
            self.succeeded.emit(outcome)
            self.running_changed.emit(False)

    def _on_errored(self, worker: GeneratorWorker, error: Exception) -> None:
        if worker is self._worker:
            self._worker = None
            self.failed.emit(error)
            self.running_changed.emit(False)
