"""The rules panel: every rule kept or broken with its violation count; selecting one filters the other views."""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.gui.models.rules import NAME, RULE_ID_ROLE, STATUS, VIOLATIONS, RulesModel
from core.model import CheckResult

ROW_PADDING = 6


class _WrappingNames(QStyledItemDelegate):
    """Sizes rows for rule names wrapped to their column's width (QTreeView leaves the width out), with padding."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        if index.column() == NAME:
            option = QStyleOptionViewItem(option)
            option.rect = QRect(0, 0, self._view.header().sectionSize(NAME), 1)
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + ROW_PADDING)


class RulesPanel(QWidget):
    rule_selected = Signal(object)  # a rule id, or None for all rules

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RulesModel(self)
        self.view = QTreeView(self)
        self.view.setObjectName("rules")
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setWordWrap(True)  # long rule names wrap instead of being cut
        self.view.setItemDelegate(_WrappingNames(self.view))
        self.view.setAllColumnsShowFocus(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATUS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VIOLATIONS, QHeaderView.ResizeMode.ResizeToContents)
        # Row heights depend on the name column's width once names wrap.
        header.sectionResized.connect(lambda section, _old, _new: section == NAME and self.view.doItemsLayout())
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self._selected: str | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    @property
    def selected_rule(self) -> str | None:
        return self._selected

    def set_result(self, result: CheckResult) -> None:
        """Show the rules of `result`, keeping the selected rule if it is still there."""
        keep = self._selected
        self.model.set_result(result)
        row = self.model.row_of(keep)
        self.select_rule(keep if row is not None else None)

    def select_rule(self, rule_id: str | None) -> None:
        row = self.model.row_of(rule_id)
        if row is None:
            return
        self.view.selectionModel().setCurrentIndex(
            self.model.index(row, NAME),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self._announce(rule_id)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._announce(current.data(RULE_ID_ROLE) if current.isValid() else None)

    def _announce(self, rule_id: str | None) -> None:
        if rule_id != self._selected:
            self._selected = rule_id
            self.rule_selected.emit(rule_id)
