"""The matrix's colours for the light and the dark theme."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtGui import QColor

from app.gui.theme import Theme, current_theme


@dataclass(frozen=True)
class MatrixColours:
    background: QColor
    text: QColor
    muted_text: QColor
    grid: QColor
    diagonal: QColor
    cell: QColor  # a dependency in layer order
    upward_region: QColor  # the empty part above the diagonal
    upward: QColor  # a dependency against the layer order
    broken: QColor
    broken_text: QColor
    cycle: QColor
    ignored: QColor
    layer_line: QColor
    group_line: QColor
    bracket: QColor
    selection: QColor
    header_selection: QColor


@lru_cache(maxsize=4)
def _colours(theme: Theme) -> MatrixColours:
    highlight = QColor(theme.highlight)
    header_selection = QColor(highlight)
    header_selection.setAlpha(60)
    layer_line = QColor(theme.text)
    layer_line.setAlpha(150)
    shared = {
        "background": QColor(theme.base),
        "text": QColor(theme.text),
        "muted_text": QColor(theme.placeholder),
        "broken": QColor(theme.broken),
        "broken_text": QColor("#ffffff"),
        "layer_line": layer_line,
        "header_selection": header_selection,
    }
    if theme.dark:
        return MatrixColours(
            **shared,
            grid=QColor("#2e3034"),
            diagonal=QColor("#3b3e44"),
            cell=QColor("#2f4563"),
            upward_region=QColor("#2c2719"),
            upward=QColor("#8a6516"),
            cycle=QColor("#b084f5"),
            ignored=QColor("#e3b341"),
            group_line=QColor("#55585e"),
            bracket=QColor("#33363b"),
            selection=QColor("#ffffff"),
        )
    return MatrixColours(
        **shared,
        grid=QColor("#eceef1"),
        diagonal=QColor("#d5d9de"),
        cell=QColor("#d6e4f7"),
        upward_region=QColor("#fff7e3"),
        upward=QColor("#f5c451"),
        cycle=QColor("#8250df"),
        ignored=QColor("#7d4e00"),
        group_line=QColor("#b6bcc4"),
        bracket=QColor("#e8ebef"),
        selection=QColor("#1f2328"),
    )


def matrix_colours() -> MatrixColours:
    return _colours(current_theme())
