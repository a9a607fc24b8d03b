"""The rules of a check, each kept or broken with its violation count; the first row stands for all rules."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QFont

from app.gui.icons import status_icon
from app.gui.models.table import AnyIndex, ColumnsModel
from app.gui.theme import current_theme
from core.model import CheckResult, RuleResult

RULE_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # None on the "all rules" row
KEPT_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("Rule", "Status", "Violations")
NAME, STATUS, VIOLATIONS = range(len(COLUMNS))


class RulesModel(ColumnsModel):
    columns = COLUMNS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rules: tuple[RuleResult, ...] = ()
        self._has_result = False

    def set_result(self, result: CheckResult | None) -> None:
        self.beginResetModel()
        self._rules = result.rules if result else ()
        self._has_result = result is not None
        self.endResetModel()

    def rule(self, row: int) -> RuleResult | None:
        """The rule on a row, None for the "all rules" row."""
        return self._rules[row - 1] if row > 0 else None

    def row_of(self, rule_id: str | None) -> int | None:
        if rule_id is None:
            return 0 if self._has_result else None
        for row, rule in enumerate(self._rules, start=1):
            if rule.id == rule_id:
                return row
        return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if parent.isValid() or not self._has_result:
            return 0
        return len(self._rules) + 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        rule = self.rule(index.row())
        if rule is None:
            return self._all_rules_data(index.column(), role)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (rule.name, "kept" if rule.kept else "broken", str(rule.violations))[column]
        if role == Qt.ItemDataRole.DecorationRole and column == NAME:
            return status_icon(rule.kept, current_theme())
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            theme = current_theme()
            return QColor(theme.kept if rule.kept else theme.broken)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == VIOLATIONS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(rule)
        if role == RULE_ID_ROLE:
            return rule.id
        if role == KEPT_ROLE:
            return rule.kept
        return None

    def _all_rules_data(self, column: int, role: int) -> Any:
        broken = sum(not rule.kept for rule in self._rules)
        kept = not broken
        if role == Qt.ItemDataRole.DisplayRole:
            status = "all kept" if kept else f"{broken} broken"
            return ("All rules", status, str(sum(rule.violations for rule in self._rules)))[column]
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            theme = current_theme()
            return QColor(theme.kept if kept else theme.broken)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == VIOLATIONS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Show the violations of every rule"
        if role == KEPT_ROLE:
            return kept
        return None


def _tooltip(rule: RuleResult) -> str:
    lines = [f"{rule.name}", f"rule '{rule.id}' · {rule.type}"]
    lines.append("kept" if rule.kept else f"broken: {rule.violations} violation{'s' if rule.violations != 1 else ''}")
    if rule.ignored:
        lines.append(f"{len(rule.ignored)} import{'s' if len(rule.ignored) != 1 else ''} excluded by ignore_imports")
    lines += rule.warnings
    return "\n".join(lines)
