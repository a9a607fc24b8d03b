"""The dependency structure matrix with the list of the imports behind the selected cell."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from app.gui.matrix.colours import matrix_colours
from app.gui.matrix.content import MatrixContent
from app.gui.matrix.grid import MatrixGrid
from app.gui.matrix.imports_list import ImportsList
from core.architecture import DependencyMap
from core.expressions import is_in_package


class MatrixView(QWidget):
    """Packages in layer order; the cell in row R and column C counts the imports from C to R.

    `cellSelected` and `importSelected` announce what the user clicks; `select_cell` selects
    without announcing, so that views selecting each other do not echo.
    """

    cellSelected = Signal(str, str)  # importer, imported: the visible packages or modules of a clicked cell
    importSelected = Signal(str, str)  # importer, imported: modules of an import chosen in the list

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._map: DependencyMap | None = None
        self._rule_id: str | None = None
        self._expanded: set[str] = set()
        self._selected: tuple[str, str] | None = None
        self.content: MatrixContent | None = None

        self.legend = QLabel(self)
        self.legend.setObjectName("matrix-legend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.legend.setContentsMargins(4, 4, 4, 4)
        self.grid = MatrixGrid(self)
        self.grid.setObjectName("matrix")
        self.imports = ImportsList(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("matrix-splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.grid)
        self.splitter.addWidget(self.imports)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.legend)
        layout.addWidget(self.splitter, 1)

        self.grid.cell_clicked.connect(self._on_cell_clicked)
        self.grid.expand_requested.connect(self.expand)
        self.grid.collapse_requested.connect(self.collapse)
        self.imports.import_selected.connect(self.importSelected)
        self._update_legend()

    # What the main window uses.

    @property
    def nodes(self) -> tuple[str, ...]:
        """The visible packages and modules, in row (and column) order."""
        return self.content.nodes if self.content else ()

    @property
    def expanded(self) -> frozenset[str]:
        return frozenset(self._expanded)

    @property
    def selected_cell(self) -> tuple[str, str] | None:
        """(importer, imported) of the selected cell."""
        return self._selected

    def set_map(self, dependency_map: DependencyMap | None, rule_id: str | None = None) -> None:
        """Show `dependency_map` ordered by the layers of `rule_id` (all layers rules when None or not a
        layers rule); cells breaking `rule_id` (any rule when None) are red. Expansion and selection
        survive a new map of the same project."""
        if dependency_map is not None and (
            self._map is None or self._map.root_packages != dependency_map.root_packages
        ):
            self._expanded = set(dependency_map.root_packages)
            self._selected = None
        self._map, self._rule_id = dependency_map, rule_id
        self._rebuild()

    def expand(self, package: str) -> None:
        self._expanded.add(package)
        self._rebuild()

    def collapse(self, package: str) -> None:
        self._expanded = {name for name in self._expanded if not is_in_package(name, package)}
        self._rebuild()

    def select_cell(self, importer: str, imported: str) -> bool:
        """Select the cell holding the imports from `importer` to `imported` (modules or packages),
        list its imports and scroll it into view, without announcing it. False when no cell holds them."""
        content = self.content
        if content is None:
            return False
        pair = (self._map.visible(importer, self._expanded), self._map.visible(imported, self._expanded))
        if content.cell(*pair) is None:
            return False
        self._select(pair)
        self.grid.scroll_to(*content.position(*pair))
        self.imports.select_import(importer, imported)
        return True

    # Reacting.

    def _rebuild(self) -> None:
        if self._map is None:
            self.content = None
            self._selected = None
            self.grid.set_content(None, None)
            self.imports.clear()
        else:
            self.content = MatrixContent(self._map, self._expanded, self._rule_id)
            self._expanded = set(self.content.expanded)
            if self._selected is not None and self.content.cell(*self._selected) is None:
                self._selected = None
            self.grid.set_content(self.content, self._position())
            self._show_imports()
        self._update_legend()

    def _on_cell_clicked(self, row: int, column: int) -> None:
        pair = (self.content.nodes[column], self.content.nodes[row])
        self._select(pair)
        self.cellSelected.emit(*pair)

    def _select(self, pair: tuple[str, str]) -> None:
        self._selected = pair
        self.grid.set_selected(self._position())
        self._show_imports()

    def _position(self) -> tuple[int, int] | None:
        return self.content.position(*self._selected) if self._selected else None

    def _show_imports(self) -> None:
        if self._selected is None:
            self.imports.clear()
        else:
            cell = self.content.cell(*self._selected)
            cycles_break = self._rule_id is not None and cell.cycle_imports > 0
            self.imports.show_imports(self._map, *self._selected, self._rule_id, cycles_break)

    def _update_legend(self) -> None:
        colours = matrix_colours()

        def item(mark: str, text: str) -> str:
            # Items wrap between each other, never inside.
            text = escape(text, quote=False).replace(" ", "&nbsp;")
            return f"{mark}&nbsp;{text}" if mark else text

        def swatch(colour: QColor) -> str:
            return f'<span style="background-color:{colour.name()}">&nbsp;&nbsp;&nbsp;&nbsp;</span>'

        items = [
            item(swatch(colours.broken), f"breaks '{self._rule_id}'" if self._rule_id else "breaks a rule"),
            item(swatch(colours.upward), "against the layer order (above the diagonal)"),
            item(swatch(colours.cell), "in layer order"),
            item(f'<span style="color:{colours.cycle.name()}">◥</span>', "import cycle"),
            item("", "dashed outline: ignored imports"),
        ]
        self.legend.setText(
            " &nbsp; ".join(items)
            + f'<br><span style="color:{colours.muted_text.name()}">Click a cell to list its imports, a name to '
            "expand it, a bracket to collapse it; Ctrl+wheel zooms.</span>"
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self._update_legend()
            self.grid.refresh()
