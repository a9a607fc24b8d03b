"""The selected violation: its import chains as clickable steps, and the source of the selected step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.source_view import SourceView
from core.model import ImportLink, Violation

STEP_ROLE = Qt.ItemDataRole.UserRole + 1  # the ImportLink of a step row


class DetailPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._root: Path | None = None
        self._step_items: list[list[QTreeWidgetItem]] = []

        self.title = QLabel(self)
        self.title.setObjectName("violation-title")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(self)
        self.subtitle.setWordWrap(True)
        self.subtitle.setEnabled(False)  # drawn in the muted colour

        self.steps = QTreeWidget(self)
        self.steps.setObjectName("chain-steps")
        self.steps.setHeaderLabels(["Import", "Where"])
        self.steps.setRootIsDecorated(False)
        self.steps.setUniformRowHeights(True)
        self.steps.setAllColumnsShowFocus(True)
        self.steps.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.steps.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.steps.setToolTip("Click an import to show its line in the importer's source")
        self.steps.currentItemChanged.connect(self._on_current_step)

        self.source_title = QLabel(self)
        self.source_title.setObjectName("source-title")
        self.source_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source = SourceView(self)
        self.source.setObjectName("source")

        chains = QWidget(self)
        chains_layout = QVBoxLayout(chains)
        chains_layout.setContentsMargins(0, 0, 0, 0)
        chains_layout.addWidget(self.title)
        chains_layout.addWidget(self.subtitle)
        chains_layout.addWidget(self.steps, 1)
        source = QWidget(self)
        source_layout = QVBoxLayout(source)
        source_layout.setContentsMargins(0, 0, 0, 0)
        source_layout.addWidget(self.source_title)
        source_layout.addWidget(self.source, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("detail-splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(chains)
        self.splitter.addWidget(source)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.show_violation(None)

    def set_root(self, root: Path) -> None:
        """The project root the result's file names are relative to."""
        self._root = root

    def show_violation(self, violation: Violation | None, rule_name: str = "") -> None:
        self.steps.clear()
        self._step_items = []
        if violation is None:
            self.title.setText("No violation selected")
            self.subtitle.setText("Select a violation to see the imports behind it.")
            self._show_no_source("")
            return
        self.title.setText(violation.message)
        self.subtitle.setText(f"{rule_name or violation.rule} · rule '{violation.rule}' · {violation.type}")
        if not violation.chains:
            self.steps.addTopLevelItem(QTreeWidgetItem(["No import chain: this violation is about a module itself"]))
            self._show_no_source("This violation has no import line to show.")
            return
        bold = QFont(self.steps.font())
        bold.setBold(True)
        for number, chain in enumerate(violation.chains, start=1):
            modules = [chain[0].importer, *(link.imported for link in chain)]
            header = QTreeWidgetItem([f"Chain {number} of {len(violation.chains)}: {' → '.join(modules)}"])
            header.setFont(0, bold)
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.steps.addTopLevelItem(header)
            header.setFirstColumnSpanned(True)
            items = [_step_item(link) for link in chain]
            self.steps.addTopLevelItems(items)
            self._step_items.append(items)
        self.select_step(0, 0)

    def select_step(self, chain: int, link: int) -> None:
        """Select a step (both counted from 0) and show its import line."""
        self.steps.setCurrentItem(self._step_items[chain][link])

    def _on_current_step(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        link = current.data(0, STEP_ROLE) if current is not None else None
        if link is not None:
            self._show_link(link)

    def _show_link(self, link: ImportLink) -> None:
        if not link.file or self._root is None:
            self._show_no_source(f"No source file is known for {link.importer}.")
            return
        lines = link.line_numbers
        self.source_title.setText(f"{link.file}" + (f" — line {', '.join(map(str, lines))}" if lines else ""))
        self.source.show_file(self._root / link.file, lines)

    def _show_no_source(self, message: str) -> None:
        self.source_title.setText("")
        self.source.show_message(message)


def _step_item(link: ImportLink) -> QTreeWidgetItem:
    where = link.file or ""
    if link.file and link.line_numbers:
        where += ":" + ", ".join(map(str, link.line_numbers))
    item = QTreeWidgetItem([f"{link.importer} → {link.imported}", where])
    item.setData(0, STEP_ROLE, link)
    tooltip = "\n".join([f"{link.importer} imports {link.imported}", *(text.strip() for text in link.line_contents)])
    item.setToolTip(0, tooltip)
    item.setToolTip(1, tooltip)
    return item
