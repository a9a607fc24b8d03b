"""The violations table with its filter row (module text, rule type, new only, the commit that brought them,
and in a review the decision and what is new since the last session)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.models.violations import (
    IMPORTED,
    IMPORTER,
    MESSAGE,
    NEW,
    REVIEW,
    RULE,
    STATUS,
    STATUS_ROLE,
    TYPE,
    UNCOMMITTED,
    UNDECIDED,
    VIOLATION_ROLE,
    WHERE,
    ViolationsFilter,
    ViolationsModel,
)
from app.gui.review_bar import DECISION_LABELS
from app.gui.theme import current_theme
from core.model import CheckResult, Violation


class _ElideRight(QStyledItemDelegate):
    """Prose is cut at its end; the table cuts module names in the middle, keeping both ends."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight


class _StatusBadge(QStyledItemDelegate):
    """A new violation's status as a red "NEW" badge; an existing one's in plain, muted text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        if index.data(STATUS_ROLE) != NEW:
            super().paint(painter, option, index)
            return
        # The row's background and selection first, without the text.
        plain = QStyleOptionViewItem(option)
        self.initStyleOption(plain, index)
        plain.text = ""
        style = plain.widget.style() if plain.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, plain.widget)
        font = QFont(option.font)
        font.setBold(True)
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        metrics = QFontMetricsF(font)
        width = metrics.horizontalAdvance("NEW") + 12
        height = min(option.rect.height() - 4.0, metrics.height() + 4)
        badge = QRectF(option.rect.left() + 6, option.rect.center().y() - height / 2 + 0.5, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(current_theme().broken))
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), "NEW")
        painter.restore()

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        if index.data(STATUS_ROLE) != NEW:
            muted = option.palette.color(QPalette.ColorRole.PlaceholderText)
            option.palette.setColor(QPalette.ColorRole.Text, muted)


class ViolationsPanel(QWidget):
    violation_selected = Signal(object)  # Violation, or None when no row is selected
    commit_filter_cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ViolationsModel(self)
        self.filter = ViolationsFilter(self.model, self)
        self._selected: str | None = None  # fingerprint

        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("violations-filter")
        self.filter_box.setPlaceholderText("Filter by module, file or message")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setToolTip("Show only violations whose modules, files or message contain every word typed")
        self.filter_box.textChanged.connect(self._on_text_changed)

        self.type_box = QComboBox(self)
        self.type_box.setObjectName("rule-type-filter")
        self.type_box.setToolTip("Show only violations of one type of rule")
        self.type_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.type_box.addItem("All rule types", None)
        self.type_box.currentIndexChanged.connect(self._on_type_changed)

        self.new_only_box = QCheckBox("New only", self)
        self.new_only_box.setObjectName("new-only-filter")
        self.new_only_box.setToolTip("Show only the violations that are new since the baseline")
        self.new_only_box.toggled.connect(self._on_new_only_toggled)

        # In a review workspace: the decision in force, and what is new since the last session.
        self.decision_box = QComboBox(self)
        self.decision_box.setObjectName("decision-filter")
        self.decision_box.setToolTip("Show only violations with one decision")
        self.decision_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.decision_box.addItem("All decisions", None)
        self.decision_box.addItem("Undecided", UNDECIDED)
        for status, label in DECISION_LABELS.items():
            if status != "open":
                self.decision_box.addItem(label, status)
        self.decision_box.currentIndexChanged.connect(self._on_decision_changed)
        self.since_session_box = QCheckBox("Since last session", self)
        self.since_session_box.setObjectName("since-session-filter")
        self.since_session_box.setToolTip("Show only the violations that are new since the workspace was last saved")
        self.since_session_box.toggled.connect(self._on_since_session_toggled)

        # Shown while the table shows only what one commit brought (picked on the timeline).
        self.commit_chip = QToolButton(self)
        self.commit_chip.setObjectName("commit-filter")
        self.commit_chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.commit_chip.setToolTip("Only the violations this commit brought are shown; click to show all again")
        self.commit_chip.clicked.connect(self._clear_commit_filter)

        self.count_label = QLabel(self)

        self.table = QTableView(self)
        self.table.setObjectName("violations")
        self.table.setModel(self.filter)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSortIndicatorClearable(True)
        # No sort indicator: rows start in the order the rules are declared.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        for column, width in ((STATUS, 64), (RULE, 170), (TYPE, 80), (IMPORTER, 150), (IMPORTED, 150), (WHERE, 170)):
            self.table.setColumnWidth(column, width)
        self.table.setColumnHidden(STATUS, True)  # until a result compared with a baseline arrives
        self.table.setColumnWidth(REVIEW, 175)
        self.table.setItemDelegateForColumn(REVIEW, _ElideRight(self.table))
        header.moveSection(header.visualIndex(REVIEW), header.visualIndex(STATUS) + 1)
        self.table.setColumnHidden(REVIEW, True)  # until a review workspace is open
        self.table.setItemDelegateForColumn(STATUS, _StatusBadge(self.table))
        self.table.setItemDelegateForColumn(MESSAGE, _ElideRight(self.table))
        self.table.setItemDelegateForColumn(RULE, _ElideRight(self.table))
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)

        filters = QHBoxLayout()
        filters.addWidget(self.filter_box, 1)
        filters.addWidget(self.type_box)
        filters.addWidget(self.new_only_box)
        filters.addWidget(self.decision_box)
        filters.addWidget(self.since_session_box)
        filters.addWidget(self.commit_chip)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        self._show_baseline_filters(False)
        self.set_review_mode(False)
        self._show_commit_chip()
        self._update_count()

    @property
    def selected_violation(self) -> Violation | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(VIOLATION_ROLE) if index.isValid() else None

    def set_result(self, result: CheckResult) -> None:
        """Show the violations of `result`, keeping the selected one if it is still there."""
        keep, self._selected = self._selected, None
        self.model.set_result(result)
        self._set_rule_types(list(dict.fromkeys(rule.type for rule in result.rules)))
        self._show_baseline_filters(result.baseline is not None)
        self._update_count()
        row = self.model.row_of(keep) if keep else None
        proxy_row = self.filter.mapFromSource(self.model.index(row, 0)).row() if row is not None else -1
        self._select_row(proxy_row if proxy_row >= 0 else 0)

    def set_rule_filter(self, rule_id: str | None) -> None:
        self.filter.set_rule(rule_id)
        self._after_filtering()

    def set_commit_filter(self, commit: str | None, label: str = "") -> None:
        """Show only the new violations `commit` brought (a full hash, or UNCOMMITTED); None shows all."""
        self.filter.set_commit(commit)
        self._show_commit_chip(label)
        self._after_filtering()

    def set_review_mode(self, on: bool) -> None:
        """With a review workspace open: the review column and the decision filter."""
        self.table.setColumnHidden(REVIEW, not on)
        self.decision_box.setVisible(on)
        if not on:
            self.decision_box.setCurrentIndex(0)
            self.set_session_new(frozenset())

    def set_session_new(self, fingerprints: frozenset[str]) -> None:
        """Mark the violations new since the last session; the filter for them shows only if there are some."""
        self.model.set_session_new(fingerprints)
        self.since_session_box.setVisible(bool(fingerprints))
        if not fingerprints and self.since_session_box.isChecked():
            self.since_session_box.setChecked(False)

    def update_violation(self, violation: Violation) -> None:
        """Show a changed violation (a new decision) in place; the filters apply to it again."""
        if self.model.update_violation(violation):
            self._after_filtering()

    def set_decision_filter(self, decision: str | None) -> None:
        self.decision_box.setCurrentIndex(max(0, self.decision_box.findData(decision)))

    def focus_filter(self) -> None:
        self.filter_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_box.selectAll()

    def _set_rule_types(self, types: list[str]) -> None:
        current = self.type_box.currentData()
        self.type_box.blockSignals(True)
        while self.type_box.count() > 1:
            self.type_box.removeItem(1)
        for rule_type in types:
            self.type_box.addItem(rule_type, rule_type)
        index = self.type_box.findData(current) if current in types else 0
        self.type_box.setCurrentIndex(index)
        self.type_box.blockSignals(False)
        if index == 0 and current is not None:
            self.filter.set_rule_type(None)

    def _show_baseline_filters(self, shown: bool) -> None:
        """The status column and the new-only filter mean something only against a baseline."""
        self.table.setColumnHidden(STATUS, not shown)
        self.new_only_box.setVisible(shown)
        if not shown and self.new_only_box.isChecked():
            self.new_only_box.setChecked(False)

    def _show_commit_chip(self, label: str = "") -> None:
        commit = self.filter.commit
        if commit is None:
            self.commit_chip.hide()
            return
        name = "uncommitted changes" if commit == UNCOMMITTED else label or commit[:7]
        self.commit_chip.setText(f"Brought by {name}  ✕")
        self.commit_chip.show()

    def _clear_commit_filter(self) -> None:
        self.set_commit_filter(None)
        self.commit_filter_cleared.emit()

    def _on_new_only_toggled(self, checked: bool) -> None:
        self.filter.set_new_only(checked)
        self._after_filtering()

    def _on_decision_changed(self, _index: int) -> None:
        self.filter.set_decision(self.decision_box.currentData())
        self._after_filtering()

    def _on_since_session_toggled(self, checked: bool) -> None:
        self.filter.set_since_session(checked)
        self._after_filtering()

    def _on_text_changed(self, text: str) -> None:
        self.filter.set_text(text)
        self._after_filtering()

    def _on_type_changed(self, _index: int) -> None:
        self.filter.set_rule_type(self.type_box.currentData())
        self._after_filtering()

    def _after_filtering(self) -> None:
        self._update_count()
        if not self.table.selectionModel().currentIndex().isValid():
            self._select_row(0)

    def _select_row(self, row: int) -> None:
        if row < self.filter.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.filter.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(self.filter.index(row, 0))
        else:
            self._announce(None)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._announce(current.data(VIOLATION_ROLE) if current.isValid() else None)

    def _announce(self, violation: Violation | None) -> None:
        fingerprint = violation.fingerprint if violation else None
        if fingerprint != self._selected:
            self._selected = fingerprint
            self.violation_selected.emit(violation)

    def _update_count(self) -> None:
        shown, total = self.filter.rowCount(), self.model.rowCount()
        noun = "violation" if total == 1 else "violations"
        self.count_label.setText(f"{total} {noun}" if shown == total else f"{shown} of {total} {noun}")
