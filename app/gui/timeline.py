"""The drift timeline: the commits since the baseline along an axis, each with what it brought.

Every commit that added a module or introduced a violation since the baseline is a dot on the
axis, oldest on the left, uncommitted changes last; under it its hash, date, subject, author, the
modules it added and the violations it introduced. Commits the history shows were generated are
marked "AI". Clicking a commit selects it (the window then filters the other views to what it
brought); clicking it again clears the selection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QToolTip, QVBoxLayout, QWidget

from app.gui.models.violations import UNCOMMITTED, commit_key
from app.gui.theme import current_theme
from core.model import BaselineInfo, CheckResult, Provenance, Violation

GENERATED_COLOUR = "#8250df"  # the "AI" marks, in both palettes
ADDED_LIGHT, ADDED_DARK = "#1a7f37", "#3fb950"

MARGIN = 14.0
BASELINE_WIDTH = 150.0  # the column of the baseline marker, left of the commits
COLUMN_WIDTH = 210.0
AXIS_Y = 40.0
DOT_RADIUS = 7.0
LISTED = 6  # modules or violations listed under a commit before "… and n more"
LEFT_MIDDLE = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT_MIDDLE = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class TimelineCommit:
    """A commit since the baseline (or the uncommitted changes) and what it brought."""

    key: str  # the full hash, or UNCOMMITTED
    provenance: Provenance
    when: datetime | None
    modules: tuple[str, ...]  # added by it
    violations: tuple[Violation, ...]  # introduced by it

    @property
    def uncommitted(self) -> bool:
        return self.key == UNCOMMITTED

    @property
    def short(self) -> str:
        return "uncommitted" if self.uncommitted else self.key[:7]

    @property
    def generated(self) -> bool:
        return self.provenance.generated

    @property
    def subject(self) -> str:
        if self.uncommitted:
            return self.provenance.note or "changes not committed yet"
        return self.provenance.summary or ""


def parse_date(text: str | None) -> datetime | None:
    """A commit date (ISO 8601, as git prints it) as an aware datetime; None if there is none."""
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def display_date(text: str | None) -> str:
    """'2025-03-10 16:47' for a commit date in the author's own time zone; the text itself if unreadable."""
    parsed = parse_date(text)
    return parsed.strftime("%Y-%m-%d %H:%M") if parsed else (text or "")


def timeline_of(result: CheckResult | None) -> list[TimelineCommit]:
    """The commits that brought the result's added modules and new violations, oldest first."""
    if result is None or result.baseline is None:
        return []
    provenance: dict[str, Provenance] = {}
    modules: dict[str, list[str]] = {}
    violations: dict[str, list[Violation]] = {}
    added = result.drift.modules_added if result.drift is not None else tuple(result.module_provenance)
    for module in sorted(added):
        origin = result.module_provenance.get(module)
        if origin is not None:
            key = origin.commit or UNCOMMITTED
            provenance.setdefault(key, origin)
            modules.setdefault(key, []).append(module)
    for violation in result.violations:
        key = commit_key(violation)
        if key is not None and violation.provenance is not None:
            provenance.setdefault(key, violation.provenance)
            violations.setdefault(key, []).append(violation)
    commits = [
        TimelineCommit(
            key=key,
            provenance=origin,
            when=parse_date(origin.date),
            modules=tuple(modules.get(key, ())),
            violations=tuple(violations.get(key, ())),
        )
        for key, origin in provenance.items()
    ]
    oldest = datetime.min.replace(tzinfo=timezone.utc)
    return sorted(commits, key=lambda commit: (commit.uncommitted, commit.when or oldest, commit.key))


def describe_baseline(baseline: BaselineInfo) -> str:
    """'main (a1b2c3d)', 'a1b2c3d' or a snapshot's file name."""
    if baseline.kind == "snapshot":
        return baseline.ref.replace("\\", "/").rpartition("/")[2]
    if baseline.commit and not baseline.commit.startswith(baseline.ref):
        return f"{baseline.ref} ({baseline.commit[:7]})"
    return (baseline.commit or baseline.ref)[:7]


def _violation_line(violation: Violation) -> str:
    """'importer → imported', or for a violation about one module 'module (rule type)'."""
    if violation.importer and violation.imported:
        return f"{violation.importer} → {violation.imported}"
    if violation.importer:
        return f"{violation.importer} ({violation.type})"
    return violation.message


def _count(number: int, singular: str) -> str:
    return f"{number} {singular}{'' if number == 1 else 's'}"


class TimelineAxis(QWidget):
    """The drawn axis; `DriftTimeline` wraps it in a scroll area."""

    commit_clicked = Signal(int)  # the index of the commit clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline-axis")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.commits: list[TimelineCommit] = []
        self.baseline: BaselineInfo | None = None
        self.selected: int | None = None
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self._small = QFont(self.font())
        self._small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.85))
        self._small_bold = QFont(self._small)
        self._small_bold.setBold(True)

    def set_commits(self, baseline: BaselineInfo | None, commits: list[TimelineCommit], selected: int | None) -> None:
        self.baseline, self.commits, self.selected = baseline, commits, selected
        self.updateGeometry()
        self.adjustSize()
        self.update()

    # Geometry.

    def _line(self) -> float:
        return QFontMetricsF(self.font()).height() + 2

    def _lines_of(self, commit: TimelineCommit) -> int:
        listed = min(LISTED, len(commit.modules)) + min(LISTED, len(commit.violations))
        more = (len(commit.modules) > LISTED) + (len(commit.violations) > LISTED)
        return 4 + bool(commit.generated) + 1 + listed + more

    def sizeHint(self) -> QSize:
        lines = max((self._lines_of(commit) for commit in self.commits), default=4)
        width = MARGIN * 2 + BASELINE_WIDTH + COLUMN_WIDTH * max(1, len(self.commits))
        return QSize(int(width), int(AXIS_Y + 24 + lines * self._line() + MARGIN))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def commit_rect(self, index: int) -> QRectF:
        """The column of a commit, where a click selects it: as tall as the tallest commit's text."""
        left = MARGIN + BASELINE_WIDTH + index * COLUMN_WIDTH
        return QRectF(left + 4, 4, COLUMN_WIDTH - 8, self.sizeHint().height() - 8)

    def commit_at(self, point: QPointF) -> int | None:
        for index in range(len(self.commits)):
            if self.commit_rect(index).contains(point):
                return index
        return None

    # Input.

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            index = self.commit_at(event.position())
            if index is not None:
                self.commit_clicked.emit(index)
                event.accept()
                return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        count = len(self.commits)
        if count and event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = -1 if event.key() == Qt.Key.Key_Left else 1
            current = self.selected if self.selected is not None else (-1 if step > 0 else count)
            target = min(count - 1, max(0, current + step))
            if target != self.selected:
                self.commit_clicked.emit(target)
            return
        if event.key() == Qt.Key.Key_Escape and self.selected is not None:
            self.commit_clicked.emit(self.selected)  # a second click on the selected commit clears it
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            index = self.commit_at(QPointF(event.pos()))
            if index is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip(index), self)
            return True
        return super().event(event)

    def tooltip(self, index: int) -> str:
        commit = self.commits[index]
        origin = commit.provenance
        lines = [commit.key if not commit.uncommitted else "Uncommitted changes"]
        lines += [text for text in (origin.author, display_date(origin.date), commit.subject) if text]
        if commit.generated:
            lines.append("AI-assisted: " + ("; ".join(origin.signals) or "generated"))
        lines.append(
            f"Added {_count(len(commit.modules), 'module')}, introduced {_count(len(commit.violations), 'violation')}"
        )
        lines.append("Click to show only what it brought; click again to show everything")
        return "\n".join(lines)

    # Drawing.

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        muted = palette.placeholderText().color()
        if self.baseline is None:
            painter.setPen(muted)
            message = "Choose a baseline to see the commits since it, and what each one brought."
            painter.drawText(QRectF(self.rect()), int(Qt.AlignmentFlag.AlignCenter), message)
            return
        line = self._line()
        start, end = MARGIN + 12, MARGIN + BASELINE_WIDTH + COLUMN_WIDTH * max(1, len(self.commits)) - 4
        # The axis, pointing to the present.
        painter.setPen(QPen(palette.mid().color(), 2.0))
        painter.drawLine(QPointF(start, AXIS_Y), QPointF(end, AXIS_Y))
        painter.drawLine(QPointF(end, AXIS_Y), QPointF(end - 7, AXIS_Y - 5))
        painter.drawLine(QPointF(end, AXIS_Y), QPointF(end - 7, AXIS_Y + 5))
        # The baseline: a diamond, and what it is.
        painter.setPen(QPen(palette.text().color(), 1.5))
        painter.setBrush(palette.base())
        corners = ((0, -8), (8, 0), (0, 8), (-8, 0))
        painter.drawPolygon([QPointF(start + dx, AXIS_Y + dy) for dx, dy in corners])
        label = QRectF(MARGIN, AXIS_Y + 16, BASELINE_WIDTH - 16, line)
        painter.setFont(self._bold)
        painter.drawText(label, LEFT_MIDDLE, "Baseline")
        painter.setFont(self.font())
        painter.setPen(muted)
        name = QFontMetricsF(self.font()).elidedText(
            describe_baseline(self.baseline), Qt.TextElideMode.ElideMiddle, label.width()
        )
        painter.drawText(label.translated(0, line), LEFT_MIDDLE, name)
        if not self.commits:
            nothing = QRectF(label.left(), label.top() + 2 * line, COLUMN_WIDTH * 2, line)
            painter.drawText(nothing, LEFT_MIDDLE, "Nothing added and no new violation since the baseline.")
            return
        for index, commit in enumerate(self.commits):
            self._paint_commit(painter, index, commit)

    def _paint_commit(self, painter: QPainter, index: int, commit: TimelineCommit) -> None:
        palette = self.palette()
        text, muted = palette.text().color(), palette.placeholderText().color()
        theme = current_theme()
        broken, added = QColor(theme.broken), QColor(ADDED_DARK if theme.dark else ADDED_LIGHT)
        column = self.commit_rect(index)
        if index == self.selected:
            tint = QColor(palette.highlight().color())
            tint.setAlpha(40)
            painter.setPen(QPen(palette.highlight().color(), 1.5))
            painter.setBrush(tint)
            painter.drawRoundedRect(column, 6, 6)
        # The dot: red when it broke a rule, green when it only added modules; hollow when uncommitted.
        centre = QPointF(column.center().x(), AXIS_Y)
        colour = broken if commit.violations else added if commit.modules else muted
        painter.setPen(QPen(colour, 2.0))
        painter.setBrush(palette.base() if commit.uncommitted else colour)
        painter.drawEllipse(centre, DOT_RADIUS, DOT_RADIUS)
        if commit.generated:
            self._pill(painter, QPointF(centre.x(), AXIS_Y - 22), "AI", QColor(GENERATED_COLOUR))

        line = self._line()
        row = QRectF(column.left() + 8, AXIS_Y + 16, column.width() - 16, line)

        def draw(value: str, colour: QColor, font: QFont, elide=Qt.TextElideMode.ElideRight) -> None:
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(row, LEFT_MIDDLE, QFontMetricsF(font).elidedText(value, elide, row.width()))
            row.translate(0, line)

        # The hash, with the date on the same line.
        painter.setFont(self._small)
        painter.setPen(muted)
        painter.drawText(row, RIGHT_MIDDLE, display_date(commit.provenance.date))
        draw(commit.short, text, self._bold)
        draw(commit.subject, text, self.font())
        draw(commit.provenance.author or "", muted, self.font())
        # What it brought, in the colours of the views.
        parts = [(f"+{_count(len(commit.modules), 'module')}", added)] if commit.modules else []
        if commit.violations:
            parts.append((_count(len(commit.violations), "new violation"), broken))
        painter.setFont(self._bold)
        x = row.left()
        for number, (value, colour) in enumerate(parts):
            value = value if number == 0 else f" · {value}"
            painter.setPen(colour)
            painter.drawText(QRectF(x, row.top(), row.width(), line), LEFT_MIDDLE, value)
            x += QFontMetricsF(self._bold).horizontalAdvance(value)
        row.translate(0, line)
        if commit.generated:
            signals = "; ".join(commit.provenance.signals) or "generated"
            draw(f"AI-assisted: {signals}", QColor(GENERATED_COLOUR), self._small)
        row.translate(0, line / 3)
        for module in commit.modules[:LISTED]:
            draw(f"+ {module}", added, self._small, Qt.TextElideMode.ElideMiddle)
        if len(commit.modules) > LISTED:
            draw(f"  … and {len(commit.modules) - LISTED} more modules", muted, self._small)
        for violation in commit.violations[:LISTED]:
            draw(f"✕ {_violation_line(violation)}", broken, self._small, Qt.TextElideMode.ElideMiddle)
        if len(commit.violations) > LISTED:
            draw(f"  … and {len(commit.violations) - LISTED} more violations", muted, self._small)

    def _pill(self, painter: QPainter, centre: QPointF, label: str, colour: QColor) -> None:
        metrics = QFontMetricsF(self._small_bold)
        width, height = metrics.horizontalAdvance(label) + 10, metrics.height() + 2
        rect = QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setFont(self._small_bold)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), label)


class DriftTimeline(QWidget):
    """The timeline tab: a summary line over the scrollable axis."""

    commit_selected = Signal(object)  # the commit's key (full hash or UNCOMMITTED), or None when cleared

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.summary = QLabel(self)
        self.summary.setObjectName("timeline-summary")
        self.summary.setWordWrap(True)
        self.axis = TimelineAxis(self)
        self.axis.commit_clicked.connect(self._on_commit_clicked)
        self.scroll = QScrollArea(self)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.axis)
        self.scroll.setWidgetResizable(True)
        self.scroll.setBackgroundRole(self.palette().ColorRole.Base)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.scroll, 1)
        self.set_result(None)

    @property
    def commits(self) -> list[TimelineCommit]:
        return self.axis.commits

    @property
    def selected_commit(self) -> TimelineCommit | None:
        index = self.axis.selected
        return self.axis.commits[index] if index is not None else None

    def set_result(self, result: CheckResult | None) -> None:
        """Show the commits since the result's baseline; a selected commit still there stays selected."""
        previous = self.selected_commit
        commits = timeline_of(result)
        keys = [commit.key for commit in commits]
        selected = keys.index(previous.key) if previous is not None and previous.key in keys else None
        baseline = result.baseline if result is not None else None
        self.axis.set_commits(baseline, commits, selected)
        self.summary.setText(self._summary(baseline, commits))
        if previous is not None and selected is None:
            self.commit_selected.emit(None)

    def select(self, key: str | None) -> None:
        """Select the commit with this key (None clears), telling the window as a click would."""
        keys = [commit.key for commit in self.commits]
        index = keys.index(key) if key in keys else None
        if index != self.axis.selected:
            self.axis.set_commits(self.axis.baseline, self.commits, index)
            if index is not None:
                column = self.axis.commit_rect(index)
                self.scroll.ensureVisible(int(column.center().x()), 0, int(column.width() / 2) + 8, 0)
            self.commit_selected.emit(self.commits[index].key if index is not None else None)

    def _on_commit_clicked(self, index: int) -> None:
        self.select(None if index == self.axis.selected else self.commits[index].key)

    @staticmethod
    def _summary(baseline: BaselineInfo | None, commits: list[TimelineCommit]) -> str:
        if baseline is None:
            return "No baseline: the timeline shows the commits since one, once it is chosen."
        committed = [commit for commit in commits if not commit.uncommitted]
        generated = sum(commit.generated for commit in committed)
        text = (
            f"{_count(len(committed), 'commit')} since the baseline {describe_baseline(baseline)} "
            "brought modules or violations"
        )
        if generated:
            text += f", {generated} of them AI-assisted"
        if len(committed) != len(commits):
            text += ", and so do uncommitted changes"
        return text + ". Click a commit to see only what it brought; click it again to see everything."
