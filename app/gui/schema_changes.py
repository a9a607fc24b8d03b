"""A contract model's baseline and current schema side by side, each field's changes first on its
row and the breaking ones (those the check reported) marked.

Types can be long (`dict[str, list[shop.billing.contracts.Money | None]]`), so no column is wider
than MAX_COLUMN_WIDTH (a cut text is whole in its tooltip) and the changes come first: what broke
is in view at the dialog's size without scrolling."""

from __future__ import annotations

import textwrap
from collections.abc import Collection
from dataclasses import dataclass, field

from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.theme import current_theme
from core.contracts.changes import SchemaChange, compare_schemas
from core.model import ContractField, ContractSchema, EnumMember

SIDE_COLUMNS = ("Field", "Type", "Required / default", "Alias", "Constraints")
COLUMNS = (
    "Changes",
    *(f"Baseline {name.lower()}" for name in SIDE_COLUMNS),
    *SIDE_COLUMNS,
)
CHANGES_COLUMN = 0
BASELINE_COLUMN = 1  # the first of the baseline's SIDE_COLUMNS
CURRENT_COLUMN = BASELINE_COLUMN + len(SIDE_COLUMNS)  # the first of the current schema's
MAX_COLUMN_WIDTH = 320
CHANGES_WIDTH = 380  # about how wide the changes are wrapped
DEFAULT_SIZE = (1100, 420)


@dataclass
class SchemaRow:
    """One field (or Enum member) as the baseline and the current schema have it, with its changes."""

    before: tuple[str, ...]  # the SIDE_COLUMNS texts, empty when the baseline lacks it
    after: tuple[str, ...]
    changes: list[SchemaChange] = field(default_factory=list)
    breaking: list[SchemaChange] = field(default_factory=list)


def schema_rows(
    before: ContractSchema, after: ContractSchema | None, reported: Collection[str] = ()
) -> tuple[list[SchemaRow], list[SchemaRow]]:
    """Rows for the fields (or members), aligned by name (a renamed field on one row), and rows for
    changes to the model as a whole. A change is breaking when its message is among `reported`."""
    changes = (
        compare_schemas(before, after)
        if after is not None
        else [SchemaChange(model=before.name, kind="model-removed")]
    )
    enum = before.kind == "enum" or (after is not None and after.kind == "enum")
    old = {item.name: item for item in (before.members if enum else before.fields)}
    new = {
        item.name: item
        for item in (
            (after.members if enum else after.fields) if after is not None else ()
        )
    }
    renamed = {
        change.before: change.after
        for change in changes
        if change.kind == "field-renamed"
    }
    rows: dict[str, SchemaRow] = {}
    for name, item in old.items():
        partner = new.get(renamed.get(name, name))
        rows[name] = SchemaRow(
            _columns(item), _columns(partner) if partner is not None else ()
        )
    placed = {renamed.get(name, name) for name in old}
    for name, item in new.items():
        if name not in placed:
            rows[name] = SchemaRow((), _columns(item))
    by_new_name = {renamed.get(name, name): name for name in old}
    whole_model = SchemaRow((), ())
    for change in changes:
        key = (
            change.subject if enum and change.kind.startswith("enum-") else change.field
        )
        row = rows.get(by_new_name.get(key, key)) if key is not None else None
        if row is None:
            row = whole_model
        row.changes.append(change)
        if f"{change.model}: {change.describe()}" in reported:
            row.breaking.append(change)
    return list(rows.values()), [whole_model] if whole_model.changes else []


def _columns(item: ContractField | EnumMember) -> tuple[str, ...]:
    if isinstance(item, EnumMember):
        return item.name, "", item.value, "", ""
    if item.required:
        requirement = "required"
    else:
        requirement = (
            f"default {item.default}"
            if item.default is not None
            else "default (factory)"
        )
    aliases = []
    if item.alias:
        aliases.append(f"alias {item.alias}")
    if item.serialization_alias and item.serialization_alias != item.alias:
        aliases.append(f"written as {item.serialization_alias}")
    constraints = ", ".join(
        f"{name}={value}" for name, value in item.constraints.items()
    )
    return item.name, item.type, requirement, "; ".join(aliases), constraints


class SchemaChangesView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setObjectName("schema-changes")
        self.table.setHeaderLabels(list(COLUMNS))
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def show_schemas(
        self,
        before: ContractSchema,
        after: ContractSchema | None,
        reported: Collection[str] = (),
    ) -> None:
        rows, model_rows = schema_rows(before, after, reported)
        self.title.setText(
            f"<b>{before.name}</b> ({before.kind}): its changes, then the baseline's fields and the current ones"
        )
        breaking = sum(len(row.breaking) for row in rows + model_rows)
        changes = sum(len(row.changes) for row in rows + model_rows)
        self.summary.setText(f"{changes} change{'s' * (changes != 1)}, {breaking} breaking")
        self.table.clear()
        bold = QFont(self.table.font())
        bold.setBold(True)
        broken = QColor(current_theme().broken)
        tint = QColor(broken)
        tint.setAlpha(40)
        # Item views do not wrap text here, so each change is wrapped to the width of its column.
        characters = max(24, CHANGES_WIDTH // QFontMetrics(bold).averageCharWidth())
        model = ("(the model)", "", "", "", "")
        missing = ("—", "", "", "", "")
        for row in rows + model_rows:
            before_texts = row.before or (missing if row.after else model)
            after_texts = row.after or (missing if row.before else model)
            marks = [("⚠ " if change in row.breaking else "") + change.describe() for change in row.changes]
            wrapped = "\n".join(textwrap.fill(mark, characters, subsequent_indent="   ") for mark in marks)
            item = QTreeWidgetItem([wrapped, *before_texts, *after_texts])
            described = "\n".join(marks) or "Unchanged"
            for column in range(len(COLUMNS)):
                text = item.text(column)
                item.setToolTip(column, described if column == CHANGES_COLUMN or not text else f"{text}\n\n{described}")
            if row.breaking:
                for column in range(len(COLUMNS)):
                    item.setBackground(column, QBrush(tint))
                item.setForeground(CHANGES_COLUMN, QBrush(broken))
                item.setFont(CHANGES_COLUMN, bold)
            self.table.addTopLevelItem(item)
        header = self.table.header()
        for column in range(len(COLUMNS)):
            self.table.resizeColumnToContents(column)  # the changes, wrapped, are never cut
            if column != CHANGES_COLUMN:
                header.resizeSection(column, min(header.sectionSize(column), MAX_COLUMN_WIDTH))


class SchemaChangesDialog(QDialog):
    def __init__(
        self,
        before: ContractSchema,
        after: ContractSchema | None,
        reported: Collection[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Schema changes — {before.name}")
        self.view = SchemaChangesView(self)
        self.view.show_schemas(before, after, reported)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(*DEFAULT_SIZE)
