"""The selected violation: where it came from, the review's decision on it, its import chains as
clickable steps, and the source of the selected step."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.models.violations import EXISTING, NEW
from app.gui.review_bar import ReviewEditor
from app.gui.schema_changes import SchemaChangesDialog
from app.gui.source_view import SourceView
from app.gui.theme import current_theme
from app.gui.timeline import GENERATED_COLOUR, display_date
from core.model import CheckResult, ContractSchema, ImportLink, Violation

STEP_ROLE = Qt.ItemDataRole.UserRole + 1  # the ImportLink of a step row
LOCATION_ROLE = Qt.ItemDataRole.UserRole + 2  # the (file, line) of a violation about code, not imports


class DetailPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._root: Path | None = None
        self._step_items: list[list[QTreeWidgetItem]] = []
        self._result: CheckResult | None = None
        self._violation: Violation | None = None
        self.schema_dialog: SchemaChangesDialog | None = None

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
        # Against a baseline: new or existing, and for a new one the commit that brought it.
        self.provenance = QLabel(self)
        self.provenance.setObjectName("violation-provenance")
        self.provenance.setWordWrap(True)
        self.provenance.setTextFormat(Qt.TextFormat.RichText)
        self.provenance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # What is wrong and what is allowed, for rules about code rather than imports.
        self.detail = QLabel(self)
        self.detail.setObjectName("violation-detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.schema_button = QPushButton("Compare the model's schema with the baseline…", self)
        self.schema_button.setObjectName("schema-changes-button")
        self.schema_button.clicked.connect(self.show_schema_changes)
        # The decision on it: accept, waive or must-fix, with a note.
        self.review = ReviewEditor(self)

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
        chains_layout.addWidget(self.provenance)
        chains_layout.addWidget(self.detail)
        chains_layout.addWidget(self.schema_button)
        chains_layout.addWidget(self.review)
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

    def set_result(self, result: CheckResult) -> None:
        """The result shown, whose contract schemas the schema-change view compares."""
        self._result = result
        self.set_root(Path(result.project.root))

    def show_violation(self, violation: Violation | None, rule_name: str = "") -> None:
        self.steps.clear()
        self._step_items = []
        self._violation = violation
        self._show_provenance(violation)
        self.detail.setText(violation.detail if violation is not None and violation.detail else "")
        self.detail.setVisible(bool(self.detail.text()))
        self.schema_button.setVisible(self._schemas(violation) is not None)
        self.review.setVisible(violation is not None)
        self.review.show_review(violation.review if violation is not None else None)
        if violation is None:
            self.title.setText("No violation selected")
            self.subtitle.setText("Select a violation to see the imports behind it.")
            self._show_no_source("")
            return
        self.title.setText(violation.message)
        self.subtitle.setText(f"{rule_name or violation.rule} · rule '{violation.rule}' · {violation.type}")
        if not violation.chains and violation.file:
            self.steps.setHeaderLabels(["Where", ""])
            item = QTreeWidgetItem([_location(violation.file, violation.line), ""])
            item.setData(0, LOCATION_ROLE, (violation.file, violation.line))
            item.setToolTip(0, "Click to show the offending line in the source")
            self.steps.addTopLevelItem(item)
            self.steps.setCurrentItem(item)
            return
        self.steps.setHeaderLabels(["Import", "Where"])
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

    def _show_provenance(self, violation: Violation | None) -> None:
        text = provenance_html(violation) if violation is not None else ""
        self.provenance.setText(text)
        self.provenance.setVisible(bool(text))

    def _on_current_step(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        link = current.data(0, STEP_ROLE) if current is not None else None
        if link is not None:
            self._show_link(link)
        location = current.data(0, LOCATION_ROLE) if current is not None else None
        if location is not None:
            self._show_location(*location)

    def _show_location(self, file: str, line: int | None) -> None:
        if self._root is None:
            self._show_no_source(f"No project root is known to find {file}.")
            return
        self.source_title.setText(_location(file, line))
        self.source.show_file(self._root / file, (line,) if line else ())

    def _schemas(self, violation: Violation | None) -> tuple[ContractSchema, ContractSchema | None] | None:
        """A contract_stability violation's model as the baseline and the current check have it."""
        if violation is None or violation.type != "contract_stability" or self._result is None:
            return None
        model = violation.message.split(": ", 1)[0]
        before = self._result.baseline_contract_schemas.get(model)
        return (before, self._result.contract_schemas.get(model)) if before is not None else None

    def show_schema_changes(self) -> None:
        """Open the schema-change view for the selected contract_stability violation."""
        schemas = self._schemas(self._violation)
        if schemas is None or self._result is None or self._violation is None:
            return
        rule = self._violation.rule
        reported = {v.message for v in self._result.violations if v.rule == rule}
        if self.schema_dialog is not None:
            self.schema_dialog.close()
        self.schema_dialog = SchemaChangesDialog(*schemas, reported, parent=self)
        self.schema_dialog.show()

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


def provenance_html(violation: Violation) -> str:
    """A new violation's introducing commit, author, date, message and generation signals; '' without a baseline."""
    if violation.status == EXISTING:
        return "<b>Existing</b>: also broken in the baseline."
    if violation.status != NEW:
        return ""
    badge = f'<b style="color:{current_theme().broken}">NEW</b> since the baseline'
    origin = violation.provenance
    if origin is None:
        return badge + "."
    if origin.commit is None:
        return f"{badge}, {escape(origin.note or 'in an uncommitted change')}."
    lines = [f"{badge}, brought by <b>{escape(origin.commit[:7])}</b>"]
    who = " · ".join(escape(part) for part in (origin.author, display_date(origin.date)) if part)
    if who:
        lines[0] += f" · {who}"
    if origin.summary:
        lines.append(f"“{escape(origin.summary)}”")
    if origin.generated:
        signals = "; ".join(escape(signal) for signal in origin.signals) or "generated"
        lines.append(f'<span style="color:{GENERATED_COLOUR}"><b>AI-assisted</b>: {signals}</span>')
    elif origin.signals:
        lines.append("Signals: " + "; ".join(escape(signal) for signal in origin.signals))
    if origin.note:
        lines.append(escape(origin.note))
    return "<br>".join(lines)


def _location(file: str, line: int | None) -> str:
    return f"{file} — line {line}" if line else file


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
