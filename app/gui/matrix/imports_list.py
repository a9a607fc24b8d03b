"""The module-level imports behind one cell of the matrix, with the broken and the ignored ones marked."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.gui.theme import current_theme
from core.architecture import DependencyMap

COLUMNS = ("Importer", "Imported", "Imports", "Note")
IMPORTER, IMPORTED, COUNT, NOTE = range(len(COLUMNS))
PAIR_ROLE = Qt.ItemDataRole.UserRole + 1  # (importer, imported) of a row


class ImportsList(QWidget):
    import_selected = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._announce = True
        self.title = QLabel(self)
        self.title.setObjectName("matrix-imports-title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("matrix-imports")
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(IMPORTER, Qt.SortOrder.AscendingOrder)
        self.tree.setToolTip("Click an import to select it in the other views")
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(IMPORTER, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(IMPORTED, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COUNT, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setColumnWidth(IMPORTER, 260)
        self.tree.setColumnWidth(IMPORTED, 260)
        self.tree.currentItemChanged.connect(self._on_current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.tree)
        self.clear()

    def clear(self) -> None:
        self.tree.clear()
        self.title.setText("Click a cell to list its imports")

    def show_imports(
        self, dependency_map: DependencyMap, importer: str, imported: str, rule_id: str | None, cycles_break: bool
    ) -> None:
        """List the imports from `importer` to `imported`; those breaking `rule_id` (any rule if None) in red,
        and those in a cycle too when `cycles_break` (the selected rule is the acyclic rule they break)."""
        theme = current_theme()
        broken_brush, muted_brush = QBrush(QColor(theme.broken)), QBrush(QColor(theme.placeholder))
        self._announce = False
        self.tree.clear()
        self.tree.setSortingEnabled(False)
        total = broken_total = ignored_total = 0
        for module_importer, module_imported, count in dependency_map.imports_between(importer, imported):
            pair = (module_importer, module_imported)
            broken = sorted(dependency_map.illegal.get(pair, ()))
            ignored = sorted(dependency_map.ignored.get(pair, ()))
            notes = [f"breaks '{rule}'" for rule in broken] + [f"ignored by '{rule}'" for rule in ignored]
            in_cycle = pair in dependency_map.cycles
            if in_cycle:
                notes.append("in an import cycle")
            item = QTreeWidgetItem([module_importer, module_imported, "", "; ".join(notes)])
            item.setData(IMPORTER, PAIR_ROLE, pair)
            item.setData(COUNT, Qt.ItemDataRole.DisplayRole, count)
            item.setTextAlignment(COUNT, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            tooltip = "\n".join([f"{module_importer} → {module_imported}", *notes])
            for column in range(len(COLUMNS)):
                item.setToolTip(column, tooltip)
            shown_broken = (bool(broken) and (rule_id is None or rule_id in broken)) or (in_cycle and cycles_break)
            if shown_broken:
                for column in range(len(COLUMNS)):
                    item.setForeground(column, broken_brush)
            elif ignored:
                font = item.font(IMPORTER)
                font.setItalic(True)
                for column in range(len(COLUMNS)):
                    item.setFont(column, font)
                    item.setForeground(column, muted_brush)
            self.tree.addTopLevelItem(item)
            total += count
            broken_total += count if shown_broken else 0
            ignored_total += count if ignored else 0
        self.tree.setSortingEnabled(True)
        self._announce = True
        parts = [f"{total} import{'s' if total != 1 else ''}"]
        if broken_total:
            parts.append(f"{broken_total} breaking " + (f"'{rule_id}'" if rule_id else "a rule"))
        if ignored_total:
            parts.append(f"{ignored_total} ignored")
        self.title.setText(f"{importer} → {imported}: " + ", ".join(parts))

    def rows(self) -> list[tuple[str, str, int, str]]:
        """The listed imports as (importer, imported, count, note), top to bottom."""
        items = (self.tree.topLevelItem(row) for row in range(self.tree.topLevelItemCount()))
        return [
            (*item.data(IMPORTER, PAIR_ROLE), item.data(COUNT, Qt.ItemDataRole.DisplayRole), item.text(NOTE))
            for item in items
        ]

    def select_import(self, importer: str, imported: str) -> bool:
        """Make the row of that import current without announcing it; False when it is not listed."""
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if item.data(IMPORTER, PAIR_ROLE) == (importer, imported):
                self._announce = False
                self.tree.setCurrentItem(item)
                self._announce = True
                return True
        return False

    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if current is not None and self._announce:
            self.import_selected.emit(*current.data(IMPORTER, PAIR_ROLE))
