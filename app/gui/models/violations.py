"""The violations of a check as a table that sorts itself, and a proxy that only filters it.

Sorting lives in the model (one key per row, one `sorted` call) rather than in a proxy's
`lessThan`, which would be called O(n log n) times across the Python/C++ boundary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont

from app.gui.models.table import AnyIndex, ColumnsModel
from app.gui.review_bar import review_label
from app.gui.theme import current_theme
from core.model import CheckResult, Violation

VIOLATION_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2  # "new", "existing" or None without a baseline
SESSION_ROLE = Qt.ItemDataRole.UserRole + 3  # True for a violation new since the workspace's last session

# The review's column comes last in the model; the table shows it after the status.
COLUMNS = ("Status", "Rule", "Type", "Importer", "Imported", "Where", "Message", "Review")
STATUS, RULE, TYPE, IMPORTER, IMPORTED, WHERE, MESSAGE, REVIEW = range(len(COLUMNS))
UNDECIDED = "undecided"  # the decision filter's choice of violations without a decision in force

NEW, EXISTING = "new", "existing"
# The commit key of what exists only in uncommitted changes (a commit's key is its full hash).
UNCOMMITTED = "uncommitted"
NEW_ROW_ALPHA = 34  # the tint of a new violation's row, over the table's own colours


def where(violation: Violation) -> tuple[str, int]:
    """The file and line of the first import behind a violation, else its own (a violation about
    code or about the configuration names them); '' and 0 when it has none."""
    for chain in violation.chains:
        for link in chain:
            if link.file:
                return link.file, link.line_numbers[0] if link.line_numbers else 0
    return violation.file or "", violation.line or 0


def commit_key(violation: Violation) -> str | None:
    """The commit that brought a new violation (UNCOMMITTED for uncommitted changes); None if it is not new."""
    if violation.status != NEW or violation.provenance is None:
        return None
    return violation.provenance.commit or UNCOMMITTED


class ViolationsModel(ColumnsModel):
    columns = COLUMNS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._violations: tuple[Violation, ...] = ()
        self._rule_names: dict[str, str] = {}
        self._search_texts: list[str] = []
        self._order: list[int] = []  # row -> position in _violations
        self._positions: dict[str, int] = {}  # fingerprint -> position in _violations
        self._session_new: frozenset[str] = frozenset()
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    def set_result(self, result: CheckResult | None) -> None:
        self.beginResetModel()
        self._violations = result.violations if result else ()
        self._rule_names = {rule.id: rule.name for rule in result.rules} if result else {}
        self._search_texts = [self._search_text(violation) for violation in self._violations]
        self._positions = {violation.fingerprint: position for position, violation in enumerate(self._violations)}
        self._order = self._sorted_order(self._sort_column, self._sort_order)
        self.endResetModel()

    def update_violation(self, violation: Violation) -> bool:
        """Show a new version of a violation (its review changed, say) in place; False if it is not shown."""
        position = self._positions.get(violation.fingerprint)
        if position is None:
            return False
        violations = list(self._violations)
        violations[position] = violation
        self._violations = tuple(violations)
        row = self._order.index(position)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        return True

    @property
    def session_new(self) -> frozenset[str]:
        return self._session_new

    def set_session_new(self, fingerprints: frozenset[str]) -> None:
        """Mark the violations new since the last session (by fingerprint): their rows are bold."""
        self._session_new = fingerprints
        if self._violations:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(self.columns) - 1))

    def violation(self, row: int) -> Violation:
        return self._violations[self._order[row]]

    def search_text(self, row: int) -> str:
        """Lower-case text of a row that the module filter matches against."""
        return self._search_texts[self._order[row]]

    def row_of(self, fingerprint: str) -> int | None:
        for row, position in enumerate(self._order):
            if self._violations[position].fingerprint == fingerprint:
                return row
        return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._violations)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        violation = self.violation(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(violation, column)
        if role == STATUS_ROLE:
            return violation.status
        if role == SESSION_ROLE:
            return violation.fingerprint in self._session_new
        if role == Qt.ItemDataRole.FontRole and violation.fingerprint in self._session_new:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and violation.status == NEW:
            tint = QColor(current_theme().broken)
            tint.setAlpha(NEW_ROW_ALPHA)
            return tint
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == STATUS:
                return _status_tip(violation)
            if column == RULE:
                return f"{self._rule_names.get(violation.rule, violation.rule)} (rule '{violation.rule}')"
            if column == REVIEW and violation.review is not None:
                return violation.review.note or review_label(violation.review) or "No decision yet"
            if violation.fingerprint in self._session_new:
                return f"New since the last session: {violation.message}"
            return violation.message
        if role == VIOLATION_ROLE:
            return violation
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        positions = [self._order[index.row()] for index in persistent]
        self._order = self._sorted_order(column, order)
        row_of_position = {position: row for row, position in enumerate(self._order)}
        moved = [
            self.index(row_of_position[position], index.column())
            for position, index in zip(positions, persistent, strict=True)
        ]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _sorted_order(self, column: int, order: Qt.SortOrder) -> list[int]:
        positions = range(len(self._violations))
        if column < 0:
            return list(positions)
        key = self._sort_key(column)
        return sorted(
            positions,
            key=lambda position: key(self._violations[position]),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def _sort_key(self, column: int) -> Callable[[Violation], tuple[Any, ...]]:
        if column == STATUS:
            rank = {NEW: 0, EXISTING: 1}
            return lambda violation: (rank.get(violation.status or "", 2),)
        if column == WHERE:

            def by_place(violation: Violation) -> tuple[Any, ...]:
                file, line = where(violation)
                return (file == "", file.casefold(), line)

            return by_place

        def by_text(violation: Violation) -> tuple[Any, ...]:
            text = self._text(violation, column)
            return (text == "", text.casefold())

        return by_text

    def _text(self, violation: Violation, column: int) -> str:
        if column == STATUS:
            return violation.status or ""
        if column == RULE:
            return self._rule_names.get(violation.rule, violation.rule)
        if column == TYPE:
            return violation.type
        if column == IMPORTER:
            return violation.importer or ""
        if column == IMPORTED:
            return violation.imported or ""
        if column == WHERE:
            file, line = where(violation)
            return f"{file}:{line}" if file and line else file
        if column == REVIEW:
            return review_label(violation.review)
        return violation.message

    def _search_text(self, violation: Violation) -> str:
        parts = [violation.rule, self._rule_names.get(violation.rule, ""), violation.message]
        parts += [violation.importer or "", violation.imported or ""]
        for chain in violation.chains:
            for link in chain:
                parts += [link.importer, link.imported, link.file or ""]
        return "\n".join(parts).casefold()


def _status_tip(violation: Violation) -> str:
    if violation.status == EXISTING:
        return "Also broken in the baseline"
    if violation.status != NEW:
        return ""
    provenance = violation.provenance
    if provenance is None:
        return "New since the baseline"
    if provenance.commit is None:
        return "New since the baseline, in uncommitted changes"
    tip = f"New since the baseline, brought by {provenance.commit[:7]}"
    if provenance.author:
        tip += f" ({provenance.author})"
    return tip + (" · AI-assisted" if provenance.generated else "")


class ViolationsFilter(QSortFilterProxyModel):
    """Filters the violations by rule, rule type, text, newness and the commit that brought them;
    sorting is handed to the source model."""

    def __init__(self, model: ViolationsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setSourceModel(model)
        self._rule: str | None = None
        self._rule_type: str | None = None
        self._text = ""
        self._new_only = False
        self._commit: str | None = None
        self._decision: str | None = None
        self._since_session = False

    @property
    def rule(self) -> str | None:
        return self._rule

    def set_rule(self, rule: str | None) -> None:
        self._begin_change()
        self._rule = rule
        self._end_change()

    def set_rule_type(self, rule_type: str | None) -> None:
        self._begin_change()
        self._rule_type = rule_type
        self._end_change()

    def set_text(self, text: str) -> None:
        self._begin_change()
        self._text = text.strip().casefold()
        self._end_change()

    @property
    def new_only(self) -> bool:
        return self._new_only

    def set_new_only(self, new_only: bool) -> None:
        self._begin_change()
        self._new_only = new_only
        self._end_change()

    @property
    def commit(self) -> str | None:
        return self._commit

    def set_commit(self, commit: str | None) -> None:
        """Show only the new violations a commit brought (a full hash, or UNCOMMITTED); None shows all."""
        self._begin_change()
        self._commit = commit
        self._end_change()

    @property
    def decision(self) -> str | None:
        return self._decision

    def set_decision(self, decision: str | None) -> None:
        """Show only violations with this decision in force (UNDECIDED: none, or open); None shows all."""
        self._begin_change()
        self._decision = decision
        self._end_change()

    @property
    def since_session(self) -> bool:
        return self._since_session

    def set_since_session(self, on: bool) -> None:
        """Show only the violations new since the workspace's last session."""
        self._begin_change()
        self._since_session = on
        self._end_change()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        violation = self._model.violation(source_row)
        if self._decision is not None:
            status = violation.review.status if violation.review is not None else "open"
            if status != ("open" if self._decision == UNDECIDED else self._decision):
                return False
        if self._since_session and violation.fingerprint not in self._model.session_new:
            return False
        if self._rule is not None and violation.rule != self._rule:
            return False
        if self._rule_type is not None and violation.type != self._rule_type:
            return False
        if self._new_only and violation.status != NEW:
            return False
        if self._commit is not None and commit_key(violation) != self._commit:
            return False
        return all(word in self._model.search_text(source_row) for word in self._text.split())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._model.sort(column, order)

    # Qt 6.10 replaced invalidateRowsFilter() with a begin/end pair; older versions lack the pair.
    def _begin_change(self) -> None:
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()

    def _end_change(self) -> None:
        if hasattr(self, "endFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()
