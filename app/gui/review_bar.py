"""The review's widgets: the decision on the selected violation (buttons, note, expiry), the
review's progress and what changed since the last session, and a list of violations or decisions."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.theme import current_theme
from core.model import Review, ReviewStatus, Violation
from core.review import ReviewProgress, SessionChanges

DECISION_LABELS: dict[ReviewStatus, str] = {
    "open": "Open",
    "accepted": "Accepted",
    "waived": "Waived",
    "must-fix": "Must fix",
}
# The decision buttons: status, label, the action whose shortcut the tooltip names.
BUTTONS: tuple[tuple[ReviewStatus, str, str], ...] = (
    ("accepted", "Accept", "A"),
    ("waived", "Waive", "W"),
    ("must-fix", "Must fix", "M"),
)
SESSION_LINK, RESOLVED_LINK = "session", "resolved"


def review_label(review: Review | None) -> str:
    """The decision in force as the table shows it; '' for an open violation nobody wrote about."""
    if review is None:
        return ""
    if review.expired:
        return "Open (waiver expired)"
    if review.status == "open":
        return "Open" if review.note else ""
    label = DECISION_LABELS[review.status]
    if review.status == "waived" and review.expires is not None:
        label += f" until {review.expires.isoformat()}"
    return label


def review_summary(review: Review | None) -> str:
    """Who decided what and when, in one line."""
    if review is None or (review.status == "open" and not review.expired and not review.reviewer):
        return ""
    if review.expired:
        return f"The waiver expired after {review.expires}: the violation is open again."
    what = DECISION_LABELS[review.status]
    who = f" by {review.reviewer}" if review.reviewer else ""
    when = f" on {review.decided_at.date().isoformat()}" if review.decided_at else ""
    return f"{what}{who}{when}."


class ReviewEditor(QWidget):
    """Decide on the shown violation: accept, waive (with a reason, and an expiry if wished) or must-fix.

    Clicking the decision in force again takes it back. Signals carry only what the user changed.
    """

    status_chosen = Signal(str)  # a ReviewStatus
    note_edited = Signal(str)
    expiry_edited = Signal(object)  # a date, or None for a waiver that does not expire

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review-editor")
        self._status: ReviewStatus = "open"
        title = QLabel("Review:", self)
        self.buttons: dict[ReviewStatus, QToolButton] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # so that the checked one can be clicked off
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(title)
        for status, text, key in BUTTONS:
            button = QToolButton(self)
            button.setObjectName(f"decide-{status}")
            button.setText(text)
            button.setCheckable(True)
            shortcut = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{text} ({shortcut}); click again to take the decision back")
            button.clicked.connect(lambda checked, status=status: self._on_button(status, checked))
            self.group.addButton(button)
            self.buttons[status] = button
            row.addWidget(button)
        self.expires_box = QCheckBox("Expires", self)
        self.expires_box.setObjectName("waiver-expires")
        self.expires_box.setToolTip("The waiver holds until this day; after it the violation is open again")
        self.expires_box.toggled.connect(self._on_expiry_toggled)
        self.expiry = QDateEdit(self)
        self.expiry.setObjectName("waiver-expiry")
        self.expiry.setCalendarPopup(True)
        self.expiry.setDisplayFormat("yyyy-MM-dd")
        self.expiry.dateChanged.connect(self._on_expiry_changed)
        row.addWidget(self.expires_box)
        row.addWidget(self.expiry)
        row.addStretch(1)
        self.summary = QLabel(self)
        self.summary.setObjectName("review-summary")
        self.summary.setEnabled(False)  # the muted colour
        # Never wider than the pane: the text is cut at the right, its tooltip has all of it.
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.note = QLineEdit(self)
        self.note.setObjectName("review-note")
        self.note.setClearButtonEnabled(True)
        self.note.textEdited.connect(self.note_edited)
        self.note.textEdited.connect(lambda _text: self._update_hint())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(3)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(self.summary)
        self.show_review(None)

    @property
    def status(self) -> ReviewStatus:
        return self._status

    def show_review(self, review: Review | None) -> None:
        """Show a violation's review (None: undecided) without sending any signal."""
        self._status = review.status if review is not None else "open"
        for status, button in self.buttons.items():
            button.setChecked(status == self._status)
        self.note.blockSignals(True)
        if self.note.text() != (review.note if review else ""):
            self.note.setText(review.note if review else "")
        self.note.blockSignals(False)
        expires = review.expires if review is not None else None
        for widget in (self.expires_box, self.expiry):
            widget.blockSignals(True)
        self.expires_box.setChecked(expires is not None)
        self.expiry.setMinimumDate(QDate.currentDate())
        self.expiry.setDate(_qdate(expires) if expires is not None else QDate.currentDate().addMonths(3))
        for widget in (self.expires_box, self.expiry):
            widget.blockSignals(False)
        self._update_expiry_widgets(waived=self._status == "waived" or bool(review and review.expired))
        self._update_hint()
        self.summary.setText(review_summary(review))
        self.summary.setToolTip(self.summary.text())
        self.summary.setVisible(bool(self.summary.text()))

    def _on_button(self, status: ReviewStatus, checked: bool) -> None:
        chosen: ReviewStatus = status if checked else "open"
        self.status_chosen.emit(chosen)

    def _on_expiry_toggled(self, on: bool) -> None:
        self.expiry.setEnabled(on)
        self.expiry_edited.emit(_date(self.expiry.date()) if on else None)

    def _on_expiry_changed(self, value: QDate) -> None:
        if self.expires_box.isChecked():
            self.expiry_edited.emit(_date(value))

    def _update_expiry_widgets(self, waived: bool) -> None:
        self.expires_box.setVisible(waived)
        self.expiry.setVisible(waived)
        self.expiry.setEnabled(self.expires_box.isChecked())

    def _update_hint(self) -> None:
        if self._status == "waived":
            self.note.setPlaceholderText("Why is it waived? A waiver needs a reason")
        else:
            self.note.setPlaceholderText("Note: why this decision (optional)")
        missing = self._status == "waived" and not self.note.text().strip()
        self.note.setStyleSheet(f"QLineEdit {{ border: 1px solid {current_theme().broken}; }}" if missing else "")
        self.note.setToolTip("A waiver needs a reason" if missing else "")


class ReviewStatusBar(QWidget):
    """The review's progress (decided of those to review) and links to what changed since the last
    session and to the decisions whose violation is gone."""

    link_activated = Signal(str)  # SESSION_LINK or RESOLVED_LINK

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review-status")
        self.bar = QProgressBar(self)
        self.bar.setObjectName("review-progress")
        self.bar.setFixedWidth(80)
        self.bar.setTextVisible(False)
        self.label = QLabel(self)
        self.label.setObjectName("review-progress-label")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.linkActivated.connect(self.link_activated)
        self._plain = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)

    def show_progress(
        self, progress: ReviewProgress, against_baseline: bool, changes: SessionChanges | None, resolved: int
    ) -> None:
        self.bar.setRange(0, max(progress.total, 1))
        self.bar.setValue(progress.decided)
        noun = "new violations" if against_baseline else "violations"
        parts: list[tuple[str, str]] = [(f"Review: {progress.decided} of {progress.total} {noun} decided", "")]
        if changes is not None:
            if changes.any:
                text = f"{len(changes.new)} new, {len(changes.gone)} gone since last session"
                parts.append((text, SESSION_LINK))
            else:
                parts.append(("no change since last session", ""))
        if resolved:
            parts.append((f"{resolved} resolved", RESOLVED_LINK))
        link = current_theme().link
        self._plain = " · ".join(text for text, _ in parts)
        self.label.setText(
            " · ".join(
                f'<a href="{target}" style="color:{link}">{escape(text)}</a>' if target else escape(text)
                for text, target in parts
            )
        )

    def text(self) -> str:
        """What the label says, as plain text."""
        return self._plain


class ItemsDialog(QDialog):
    """A list of violations or decisions, with an optional action on the selected rows."""

    action_triggered = Signal(list)  # the fingerprints of the selected rows

    def __init__(
        self,
        title: str,
        intro: str,
        headers: list[str],
        rows: list[tuple[str, list[str]]],
        action: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(820, 380)
        label = QLabel(intro, self)
        label.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("items")
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(headers)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        for fingerprint, texts in rows:
            item = QTreeWidgetItem(texts)
            item.setData(0, Qt.ItemDataRole.UserRole, fingerprint)
            for column, text in enumerate(texts):
                item.setToolTip(column, text)
            self.tree.addTopLevelItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        if action:
            self.action_button = buttons.addButton(action, QDialogButtonBox.ButtonRole.ActionRole)
            self.action_button.setEnabled(False)
            self.tree.itemSelectionChanged.connect(
                lambda: self.action_button.setEnabled(bool(self.tree.selectedItems()))
            )
            self.action_button.clicked.connect(self._on_action)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

    def rows(self) -> list[list[str]]:
        return [
            [item.text(column) for column in range(self.tree.columnCount())]
            for item in (self.tree.topLevelItem(row) for row in range(self.tree.topLevelItemCount()))
            if item is not None
        ]

    def _on_action(self) -> None:
        chosen = [item.data(0, Qt.ItemDataRole.UserRole) for item in self.tree.selectedItems()]
        for item in self.tree.selectedItems():
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
        self.action_triggered.emit(chosen)


def violation_row(violation: Violation, what: str) -> tuple[str, list[str]]:
    review = violation.review
    return violation.fingerprint, [
        what,
        violation.rule,
        violation.message,
        review_label(review),
        review.note if review else "",
    ]


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
