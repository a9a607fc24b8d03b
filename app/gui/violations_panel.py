"""The violations table with its filter row (module text and rule type)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui.models.violations import (
    IMPORTED,
    IMPORTER,
    MESSAGE,
    RULE,
    TYPE,
    VIOLATION_ROLE,
    WHERE,
    ViolationsFilter,
    ViolationsModel,
)
from core.model import CheckResult, Violation


class _ElideRight(QStyledItemDelegate):
    """Prose is cut at its end; the table cuts module names in the middle, keeping both ends."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight


class ViolationsPanel(QWidget):
    violation_selected = Signal(object)  # Violation, or None when no row is selected

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
        for column, width in ((RULE, 170), (TYPE, 80), (IMPORTER, 150), (IMPORTED, 150), (WHERE, 170)):
            self.table.setColumnWidth(column, width)
        self.table.setItemDelegateForColumn(MESSAGE, _ElideRight(self.table))
        self.table.setItemDelegateForColumn(RULE, _ElideRight(self.table))
        self.table.selectionModel().currentRowChanged.connect(self._on_current_changed)

        filters = QHBoxLayout()
        filters.addWidget(self.filter_box, 1)
        filters.addWidget(self.type_box)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table)
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
        self._update_count()
        row = self.model.row_of(keep) if keep else None
        proxy_row = self.filter.mapFromSource(self.model.index(row, 0)).row() if row is not None else -1
        self._select_row(proxy_row if proxy_row >= 0 else 0)

    def set_rule_filter(self, rule_id: str | None) -> None:
        self.filter.set_rule(rule_id)
        self._after_filtering()

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
