"""The baseline picker: what the analysis compares with — a recent commit, a tag, a branch or a snapshot file.

The project's revisions are read with git in a background thread (`read_revisions` is plain
Python, no Qt) so that a large history never stalls the window; commits the history shows were
generated are marked "AI", judged by the engine's provenance signals.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QWidget
from superqt.utils import FunctionWorker, thread_worker

from app.gui.theme import current_theme
from app.gui.timeline import GENERATED_COLOUR, describe_baseline, display_date
from core import git
from core.model import CheckResult
from core.provenance import ProvenanceOptions, read_commits, signals

RECENT_COMMITS = 30
RECENT_REFS = 20  # tags, and branches, listed at most

# What an entry of the list stands for (its data is a (kind, ref) pair).
NONE, REF, SNAPSHOT, HEADING = "none", "ref", "snapshot", "heading"


@dataclass(frozen=True)
class RecentCommit:
    sha: str
    date: str
    author: str
    subject: str
    signals: tuple[str, ...] = ()  # the evidence that it was generated; none for a commit made by hand

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def generated(self) -> bool:
        return bool(self.signals)


@dataclass(frozen=True)
class Revisions:
    """What a project's history offers as baselines; `problem` says why it offers none."""

    commits: tuple[RecentCommit, ...] = ()
    tags: tuple[str, ...] = ()
    branches: tuple[str, ...] = ()
    problem: str = ""


def read_revisions(
    project_root: Path, limit: int = RECENT_COMMITS, options: ProvenanceOptions = ProvenanceOptions()
) -> Revisions:
    """The recent commits touching the project (newest first), its tags and branches; never changes the repository."""
    try:
        repository = git.repository_of(project_root)
        if repository is None:
            return Revisions(problem="not in a git repository")
        if not git.has_commits(repository):
            return Revisions(problem="no commits yet")
        shas = git.run(repository.project, "rev-list", f"--max-count={limit}", "HEAD", "--", ".").split()
        details = read_commits(repository, shas)
        refs = git.run(
            repository.top, "for-each-ref", "--sort=-creatordate", "--format=%(refname)",
            "refs/tags", "refs/heads", "refs/remotes",
        ).split()
    except git.GitError as error:
        return Revisions(problem=error.message)
    # Marked from the message and the author only: a burst of modules is no sign of a generated
    # commit where the reader picks a starting point (a project's first commit is always one).
    commits = tuple(
        RecentCommit(
            sha=sha,
            date=details[sha].date,
            author=details[sha].author,
            subject=details[sha].summary,
            signals=signals(details[sha].model_copy(update={"modules_added": 0, "lines_added": 0}), options),
        )
        for sha in shas
        if sha in details
    )
    tags = [ref.removeprefix("refs/tags/") for ref in refs if ref.startswith("refs/tags/")]
    branches = [
        ref.removeprefix("refs/heads/").removeprefix("refs/remotes/")
        for ref in refs
        if ref.startswith(("refs/heads/", "refs/remotes/")) and not ref.endswith("/HEAD")
    ]
    return Revisions(commits=commits, tags=tuple(tags[:RECENT_REFS]), branches=tuple(branches[:RECENT_REFS]))


@lru_cache(maxsize=2)
def generated_icon(dark: bool) -> QIcon:
    """An "AI" pill, for commits the history shows were generated (one icon serves both palettes)."""
    icon = QIcon()
    for scale in (1, 2, 3):
        pixmap = QPixmap(22 * scale, 14 * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(GENERATED_COLOUR))
        painter.drawRoundedRect(QRectF(0.5, 1, 21, 12), 6, 6)
        font = QFont()
        font.setPixelSize(9)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRectF(0, 1, 22, 12), int(Qt.AlignmentFlag.AlignCenter), "AI")
        painter.end()
        icon.addPixmap(pixmap)
    return icon


@lru_cache(maxsize=1)
def _blank_icon() -> QIcon:
    pixmap = QPixmap(22, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    return QIcon(pixmap)


class BaselinePicker(QWidget):
    """A list of baselines over the views; choosing one asks the window to re-analyse with it."""

    baseline_chosen = Signal(object)  # a git revision or a snapshot's path, or None for no baseline
    revisions_loaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("baseline-picker")
        self._project: Path | None = None
        self._baseline: str | None = None
        self._revisions = Revisions()
        self._options = ProvenanceOptions()
        self._worker: FunctionWorker | None = None

        self.label = QLabel("&Baseline:", self)
        self.combo = QComboBox(self)
        self.combo.setObjectName("baseline")
        self.combo.setToolTip("Compare with a revision or a snapshot: violations since then are marked new")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(34)
        self.combo.setMaxVisibleItems(24)
        self.combo.view().setMinimumWidth(460)
        self.combo.view().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.label.setBuddy(self.combo)
        self.combo.currentIndexChanged.connect(self._on_index_changed)
        self.summary = QLabel(self)
        self.summary.setObjectName("baseline-summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.combo)
        layout.addSpacing(8)
        layout.addWidget(self.summary, 1)
        self._fill()

    # Input from the window.

    @property
    def baseline(self) -> str | None:
        return self._baseline

    @property
    def revisions(self) -> Revisions:
        return self._revisions

    @property
    def loading(self) -> bool:
        return self._worker is not None

    def set_project(self, root: Path | None) -> None:
        """List the revisions of the project at `root`, read in the background."""
        self._project = root
        self._revisions = Revisions()
        self._read()
        self._fill()

    def set_provenance_options(self, options: ProvenanceOptions) -> None:
        """Judge which commits were generated by the project's own settings (read again if they differ)."""
        if options != self._options:
            self._options = options
            self._read()

    def stop(self) -> None:
        """Stop waiting for the history being read: what the read still sends is dropped. The window
        calls this as it closes, since a slow read can end after the picker is gone."""
        if self._worker is not None:
            self._worker.quit()
            self._worker = None

    def _read(self) -> None:
        self.stop()
        if self._project is None:
            return
        worker = thread_worker(read_revisions, start_thread=False, ignore_errors=True)(
            self._project, options=self._options
        )
        worker.returned.connect(partial(self._on_loaded, worker))
        worker.errored.connect(partial(self._on_failed, worker))
        self._worker = worker
        worker.start()

    def set_baseline(self, ref: str | None) -> None:
        """Show `ref` as the chosen baseline, without asking for an analysis."""
        self._baseline = ref
        self._fill()

    def set_result(self, result: CheckResult | None) -> None:
        """Say in a line what the comparison found: new, existing and fixed violations, added modules."""
        if result is None or result.baseline is None:
            self.summary.setText("")
            return
        new = sum(violation.status == "new" for violation in result.violations)
        existing = sum(violation.status == "existing" for violation in result.violations)
        colour = current_theme().broken
        parts = [
            f'<b style="color:{colour}">{new} new</b>' if new else "0 new",
            f"{existing} existing",
            f"{len(result.fixed)} fixed",
        ]
        if result.drift is not None and result.drift.modules_added:
            added = len(result.drift.modules_added)
            parts.append(f"+{added} module{'' if added == 1 else 's'}")
        self.summary.setText(" · ".join(parts) + f" since {describe_baseline(result.baseline)}")

    def choose(self, ref: str | None) -> None:
        """Choose a baseline as the user would: shown, and announced."""
        self.set_baseline(ref)
        self.baseline_chosen.emit(ref)

    def choose_snapshot(self) -> None:
        start = str(self._project or Path.home())
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Choose a Baseline Snapshot", start, "Snapshots (*.json);;All files (*)"
        )
        if chosen:
            self.choose(chosen)
        else:
            self._fill()  # back to the baseline that was chosen before

    # The list.

    def entries(self) -> list[tuple[str, str, str | None]]:
        """Every entry as (text, kind, ref), headings included."""
        return [
            (self.combo.itemText(row), *(self.combo.itemData(row) or (None, None))) for row in range(self.combo.count())
        ]

    def _fill(self) -> None:
        combo = self.combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_blank_icon(), "No baseline", (NONE, None))
        revisions = self._revisions
        listed = self._listed(self._baseline) if self._baseline is not None else None
        if self._baseline is not None and listed is None:
            # A revision typed on the command line, or a snapshot file: listed as it was given.
            combo.addItem(_blank_icon(), describe_baseline_ref(self._baseline), (REF, self._baseline))
            combo.setItemData(combo.count() - 1, self._baseline, Qt.ItemDataRole.ToolTipRole)
        if revisions.commits:
            self._heading("Recent commits")
            icon = generated_icon(current_theme().dark)
            for commit in revisions.commits:
                text = f"{commit.short}  {display_date(commit.date)[:10]}  {commit.subject}"
                combo.addItem(icon if commit.generated else _blank_icon(), text, (REF, commit.sha))
                tip = f"{commit.sha}\n{commit.author}, {display_date(commit.date)}\n{commit.subject}"
                if commit.generated:
                    tip += "\nAI-assisted: " + "; ".join(commit.signals)
                combo.setItemData(combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        elif self._project is not None:
            self._heading("Reading the history…" if self.loading else f"No commits to list: {revisions.problem}")
        for title, names in (("Tags", revisions.tags), ("Branches", revisions.branches)):
            if names:
                self._heading(title)
                for name in names:
                    combo.addItem(_blank_icon(), name, (REF, name))
        combo.insertSeparator(combo.count())
        combo.addItem(_blank_icon(), "Snapshot file…", (SNAPSHOT, None))
        combo.setItemData(
            combo.count() - 1, "Compare with a snapshot saved by `strataview snapshot`", Qt.ItemDataRole.ToolTipRole
        )
        shown = (REF, listed or self._baseline) if self._baseline is not None else (NONE, None)
        combo.setCurrentIndex(next(row for row in range(combo.count()) if combo.itemData(row) == shown))
        combo.blockSignals(False)

    def _heading(self, title: str) -> None:
        self.combo.addItem(title, (HEADING, None))
        model = self.combo.model()
        assert isinstance(model, QStandardItemModel)
        item = model.item(self.combo.count() - 1)
        item.setEnabled(False)
        font = QFont(self.combo.font())
        font.setBold(True)
        item.setFont(font)

    def _listed(self, ref: str) -> str | None:
        """The entry `ref` names, as its ref: a tag, a branch, or a listed commit by its hash or a prefix of it."""
        revisions = self._revisions
        if ref in revisions.tags or ref in revisions.branches:
            return ref
        lowered = ref.lower()
        if len(ref) >= 4 and all(char in "0123456789abcdef" for char in lowered):
            return next((commit.sha for commit in revisions.commits if commit.sha.startswith(lowered)), None)
        return None

    # Reacting.

    def _on_index_changed(self, row: int) -> None:
        if row < 0 or not self.combo.itemData(row):
            return
        kind, ref = self.combo.itemData(row)
        if kind == SNAPSHOT:
            self.choose_snapshot()
        elif kind == NONE:
            if self._baseline is not None:
                self.choose(None)
        elif kind == REF and ref != self._baseline:
            self.choose(ref)

    def _on_loaded(self, worker: FunctionWorker, revisions: Revisions) -> None:
        if worker is self._worker:
            self._worker = None
            self._revisions = revisions
            self._fill()
            self.revisions_loaded.emit()

    def _on_failed(self, worker: FunctionWorker, error: Exception) -> None:
        if worker is self._worker:
            self._worker = None
            self._revisions = Revisions(problem=str(error))
            self._fill()
            self.revisions_loaded.emit()


def describe_baseline_ref(ref: str) -> str:
    """A baseline not in the list: a snapshot by its file name, a revision as given."""
    if "/" in ref or "\\" in ref or ref.endswith(".json"):
        path = Path(ref)
        if path.suffix or path.exists():
            return f"Snapshot {path.name}"
    return ref
