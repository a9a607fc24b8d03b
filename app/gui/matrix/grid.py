"""The matrix: cells painted on demand, between row and column headers that stay in view.

Only the cells in view are painted, from per-row lists of the dependencies, so hundreds of
nodes scroll and zoom without a widget or an item per cell.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip, QWidget

from app.gui.matrix.colours import MatrixColours, matrix_colours
from app.gui.matrix.content import Bracket, MatrixContent

CELL_SIZE = 24
MIN_CELL_SIZE = 8
MAX_CELL_SIZE = 48
SMALLEST_CELL_WITH_COUNT = 14
SMALLEST_LABEL_PIXELS = 7
BRACKET_WIDTH = 18
ARROW_WIDTH = 14
LABEL_PADDING = 8
MAX_LABEL_WIDTH = 260


def count_text(imports: int) -> str:
    return str(imports) if imports < 1000 else f"{imports // 1000}k"


def cell_tooltip(content: MatrixContent, row: int, column: int) -> str:
    importer, imported = content.nodes[column], content.nodes[row]
    if row == column:
        return importer
    dependency = content.at(row, column)
    if dependency is None:
        return f"{importer} does not import {imported}"
    lines = [f"{importer} → {imported}", f"{dependency.imports} import{'s' if dependency.imports != 1 else ''}"]
    if dependency.rules:
        rules = ", ".join(f"'{rule}'" for rule in dependency.rules)
        lines.append(f"{dependency.illegal_imports} break{'s' if dependency.illegal_imports == 1 else ''} {rules}")
    if dependency.ignored_imports:
        lines.append(f"{dependency.ignored_imports} ignored by a rule's ignore_imports")
    if dependency.cycle_imports:
        lines.append(f"{dependency.cycle_imports} in an import cycle")
    if content.above_diagonal(importer, imported):
        lines.append("Above the diagonal: imports a node higher in layer order")
    lines.append("Click to list the imports")
    return "\n".join(lines)


class MatrixGrid(QAbstractScrollArea):
    cell_clicked = Signal(int, int)  # row, column of a cell with imports
    expand_requested = Signal(str)
    collapse_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content: MatrixContent | None = None
        self.cell_size = CELL_SIZE
        self.selected: tuple[int, int] | None = None
        self.label_width = 0
        self.row_header = _RowHeader(self)
        self.column_header = _ColumnHeader(self)
        self.corner = _Corner(self)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    # What the view uses.

    def set_content(self, content: MatrixContent | None, selected: tuple[int, int] | None) -> None:
        self.content = content
        self.selected = selected
        self._update_geometry()
        self.refresh()

    def set_selected(self, selected: tuple[int, int] | None) -> None:
        self.selected = selected
        self.refresh()

    def refresh(self) -> None:
        for widget in (self.viewport(), self.row_header, self.column_header, self.corner):
            widget.update()

    def cell_rect(self, row: int, column: int) -> QRect:
        """The cell's rectangle in viewport coordinates."""
        size = self.cell_size
        return QRect(
            column * size - self.horizontalScrollBar().value(),
            row * size - self.verticalScrollBar().value(),
            size,
            size,
        )

    def scroll_to(self, row: int, column: int) -> None:
        rect = self.cell_rect(row, column)
        view = self.viewport().rect()
        for bar, start, end, length in (
            (self.horizontalScrollBar(), rect.left(), rect.right(), view.width()),
            (self.verticalScrollBar(), rect.top(), rect.bottom(), view.height()),
        ):
            if start < 0:
                bar.setValue(bar.value() + start)
            elif end > length:
                bar.setValue(bar.value() + end - length + 1)

    def row_at(self, y: int) -> int | None:
        return self._index_at(y + self.verticalScrollBar().value())

    def column_at(self, x: int) -> int | None:
        return self._index_at(x + self.horizontalScrollBar().value())

    def zoom(self, steps: int, anchor: QPoint | None = None) -> None:
        """Grow (positive) or shrink the cells, keeping the point under `anchor` in place."""
        size = max(MIN_CELL_SIZE, min(MAX_CELL_SIZE, self.cell_size + 2 * steps))
        if size == self.cell_size:
            return
        anchor = anchor if anchor is not None else self.viewport().rect().center()
        horizontal, vertical = self.horizontalScrollBar(), self.verticalScrollBar()
        x = (anchor.x() + horizontal.value()) / self.cell_size
        y = (anchor.y() + vertical.value()) / self.cell_size
        self.cell_size = size
        self._update_scroll_bars()
        horizontal.setValue(round(x * size - anchor.x()))
        vertical.setValue(round(y * size - anchor.y()))
        self.refresh()

    # Geometry.

    def _index_at(self, offset: int) -> int | None:
        if self.content is None or offset < 0:
            return None
        index = offset // self.cell_size
        return index if index < len(self.content) else None

    def _update_geometry(self) -> None:
        content = self.content
        nodes = content.nodes if content else ()
        metrics = QFontMetrics(_bold(self.font()))
        widest = max((metrics.horizontalAdvance(content.label(node)) for node in nodes), default=0)
        self.label_width = min(widest, MAX_LABEL_WIDTH) + LABEL_PADDING
        depth = content.depth if content else 0
        header = depth * BRACKET_WIDTH + ARROW_WIDTH + self.label_width
        self.setViewportMargins(header, header, 0, 0)
        self._place_headers()
        self._update_scroll_bars()

    def _place_headers(self) -> None:
        viewport = self.viewport().geometry()
        margins = self.viewportMargins()
        left, top = margins.left(), margins.top()
        self.row_header.setGeometry(viewport.left() - left, viewport.top(), left, viewport.height())
        self.column_header.setGeometry(viewport.left(), viewport.top() - top, viewport.width(), top)
        self.corner.setGeometry(viewport.left() - left, viewport.top() - top, left, top)

    def _update_scroll_bars(self) -> None:
        total = len(self.content) * self.cell_size if self.content else 0
        view = self.viewport().size()
        for bar, length in ((self.horizontalScrollBar(), view.width()), (self.verticalScrollBar(), view.height())):
            bar.setRange(0, max(0, total - length))
            bar.setPageStep(length)
            bar.setSingleStep(self.cell_size)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_headers()
        self._update_scroll_bars()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.refresh()

    def sizeHint(self) -> QSize:
        return QSize(900, 700)

    # Painting.

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = matrix_colours()
        painter = QPainter(self.viewport())
        painter.fillRect(event.rect(), colours.background)
        content = self.content
        if not content:
            painter.setPen(colours.muted_text)
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, "No dependencies to show")
            return
        rows, columns = self._range(event.rect())
        if rows.start >= rows.stop or columns.start >= columns.stop:
            return
        self._paint_background(painter, colours, rows, columns)
        self._paint_lines(painter, colours, rows, columns)
        self._paint_cells(painter, colours, rows, columns)
        if self.selected is not None:
            painter.setPen(QPen(colours.selection, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.cell_rect(*self.selected).adjusted(1, 1, -1, -1))

    def _range(self, area: QRect) -> tuple[range, range]:
        size, count = self.cell_size, len(self.content)
        top = area.top() + self.verticalScrollBar().value()
        left = area.left() + self.horizontalScrollBar().value()
        rows = range(max(0, top // size), min(count, (top + area.height()) // size + 1))
        columns = range(max(0, left // size), min(count, (left + area.width()) // size + 1))
        return rows, columns

    def _paint_background(self, painter: QPainter, colours: MatrixColours, rows: range, columns: range) -> None:
        size = self.cell_size
        last = columns.stop - 1
        for row in rows:
            first = max(row + 1, columns.start)
            if first <= last:
                start = self.cell_rect(row, first)
                region = QRect(start.left(), start.top(), (last - first + 1) * size, size)
                painter.fillRect(region, colours.upward_region)
            if row in columns:
                painter.fillRect(self.cell_rect(row, row), colours.diagonal)

    def _paint_lines(self, painter: QPainter, colours: MatrixColours, rows: range, columns: range) -> None:
        size = self.cell_size
        x_origin, y_origin = -self.horizontalScrollBar().value(), -self.verticalScrollBar().value()
        left, right = x_origin + columns.start * size, x_origin + columns.stop * size
        top, bottom = y_origin + rows.start * size, y_origin + rows.stop * size
        if size >= MIN_CELL_SIZE + 2:
            painter.setPen(QPen(colours.grid, 1))
            for row in range(rows.start, rows.stop + 1):
                y = y_origin + row * size
                painter.drawLine(left, y, right, y)
            for column in range(columns.start, columns.stop + 1):
                x = x_origin + column * size
                painter.drawLine(x, top, x, bottom)
        painter.setPen(QPen(colours.group_line, 1))
        for edge in _group_edges(self.content):
            if edge in rows or edge == rows.stop:
                painter.drawLine(left, y_origin + edge * size, right, y_origin + edge * size)
            if edge in columns or edge == columns.stop:
                painter.drawLine(x_origin + edge * size, top, x_origin + edge * size, bottom)
        painter.setPen(QPen(colours.layer_line, 2))
        for edge in _layer_edges(self.content):
            if edge in rows or edge == rows.stop:
                painter.drawLine(left, y_origin + edge * size, right, y_origin + edge * size)
            if edge in columns or edge == columns.stop:
                painter.drawLine(x_origin + edge * size, top, x_origin + edge * size, bottom)

    def _paint_cells(self, painter: QPainter, colours: MatrixColours, rows: range, columns: range) -> None:
        content, size = self.content, self.cell_size
        font = QFont(self.font())
        font.setPixelSize(max(8, min(13, size // 2)))
        painter.setFont(font)
        with_counts = size >= SMALLEST_CELL_WITH_COUNT
        ignored_pen = QPen(colours.ignored, 1, Qt.PenStyle.DashLine)
        ignored_on_broken_pen = QPen(colours.broken_text, 1, Qt.PenStyle.DashLine)
        mark = max(4, size // 4)
        for row in rows:
            for column, dependency in content.rows[row]:
                if column not in columns:
                    continue
                rect = self.cell_rect(row, column)
                inner = rect.adjusted(1, 1, 0, 0)
                broken = content.breaks(dependency)
                if broken:
                    fill, text = colours.broken, colours.broken_text
                elif column > row:
                    fill, text = colours.upward, colours.text
                else:
                    fill, text = colours.cell, colours.text
                painter.fillRect(inner, fill)
                if dependency.ignored_imports:
                    painter.setPen(ignored_on_broken_pen if broken else ignored_pen)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRect(rect.adjusted(2, 2, -2, -2))
                if dependency.cycle_imports:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(colours.broken_text if broken else colours.cycle)
                    corner = QPointF(inner.right() + 1, inner.top())
                    painter.drawPolygon(
                        QPolygonF([corner, corner - QPointF(mark, 0), corner + QPointF(0, mark)])
                    )
                if with_counts:
                    painter.setPen(text)
                    painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, count_text(dependency.imports))

    # Input.

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        position = event.position().toPoint()
        row, column = self.row_at(position.y()), self.column_at(position.x())
        if row is not None and column is not None and row != column and self.content.at(row, column):
            self.cell_clicked.emit(row, column)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() // 120
            if steps:
                self.zoom(steps, event.position().toPoint())
            event.accept()
            return
        super().wheelEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row, column = self.row_at(event.pos().y()), self.column_at(event.pos().x())
            if row is not None and column is not None:
                QToolTip.showText(event.globalPos(), cell_tooltip(self.content, row, column), self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold


def _label_font(font: QFont, cell_size: int) -> QFont | None:
    """The font for labels of cells this size: smaller when the cells are, none when too small to read."""
    if QFontMetrics(font).height() <= cell_size:
        return QFont(font)
    if cell_size - 2 < SMALLEST_LABEL_PIXELS:
        return None
    smaller = QFont(font)
    smaller.setPixelSize(cell_size - 2)
    return smaller


def _layer_edges(content: MatrixContent) -> list[int]:
    """Positions between two nodes of different layers."""
    nodes, ranks = content.nodes, content.ranks
    return [position for position in range(1, len(nodes)) if ranks[nodes[position]] != ranks[nodes[position - 1]]]


def _group_edges(content: MatrixContent) -> set[int]:
    """Positions where the nodes of an expanded package begin or end."""
    return {edge for bracket in content.brackets for edge in (bracket.first, bracket.last + 1)}


def _draw_text(painter: QPainter, box: QRectF, text: str, rotated: bool, elide: Qt.TextElideMode) -> None:
    """Text left-aligned in `box`, reading bottom to top when `rotated`."""
    painter.save()
    if rotated:
        painter.translate(box.left(), box.bottom())
        painter.rotate(-90)
        box = QRectF(0, 0, box.height(), box.width())
    text = painter.fontMetrics().elidedText(text, elide, max(0, int(box.width())))
    painter.drawText(box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
    painter.restore()


def _draw_arrow(painter: QPainter, colour: QColor, box: QRectF, upwards: bool) -> None:
    """The 'can be expanded' triangle, centred in `box`, pointing right (or up, beside rotated text)."""
    centre = box.center()
    half = min(box.width(), box.height(), 12) / 4
    if upwards:
        points = [centre + QPointF(-half, half / 2), centre + QPointF(half, half / 2), centre + QPointF(0, -half)]
    else:
        points = [centre + QPointF(-half / 2, -half), centre + QPointF(half, 0), centre + QPointF(-half / 2, half)]
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawPolygon(QPolygonF(points))


class _Header(QWidget):
    """Names of the nodes along one side, with the expanded packages as brackets on the outside.

    Geometry is written along the nodes (`along`) and across them from the outer edge (`across`);
    each side maps that onto its own axes.
    """

    rotated_labels = False

    def __init__(self, grid: MatrixGrid) -> None:
        super().__init__(grid)
        self.grid = grid
        self._last_toggle: tuple[int, QPoint] = (-(1 << 62), QPoint())

    def _box(self, along: float, along_length: float, across: float, across_length: float) -> QRectF:
        raise NotImplementedError

    def _offsets(self, point: QPoint) -> tuple[int, int]:
        """(along, across) of a point, along counted from the first node."""
        raise NotImplementedError

    def _scroll(self) -> int:
        raise NotImplementedError

    def _length(self) -> int:
        raise NotImplementedError

    def _selected_index(self) -> int | None:
        raise NotImplementedError

    def bracket_at(self, point: QPoint) -> Bracket | None:
        content = self.grid.content
        along, across = self._offsets(point)
        if content is None or not 0 <= across < content.depth * BRACKET_WIDTH or along < 0:
            return None
        level, index = across // BRACKET_WIDTH, along // self.grid.cell_size
        return next((b for b in content.brackets if b.level == level and b.first <= index <= b.last), None)

    def node_at(self, point: QPoint) -> str | None:
        content = self.grid.content
        along, across = self._offsets(point)
        if content is None or across < content.depth * BRACKET_WIDTH or along < 0:
            return None
        index = along // self.grid.cell_size
        return content.nodes[index] if index < len(content) else None

    def node_point(self, node: str) -> QPoint:
        """A point on the node's label (for clicking it)."""
        content = self.grid.content
        along = content.index[node] * self.grid.cell_size - self._scroll() + self.grid.cell_size / 2
        across = content.depth * BRACKET_WIDTH + ARROW_WIDTH + 2
        return self._box(along, 0, across, 0).topLeft().toPoint()

    def bracket_point(self, package: str) -> QPoint:
        """A point on an expanded package's bracket (for clicking it)."""
        bracket = next(b for b in self.grid.content.brackets if b.package == package)
        along = bracket.first * self.grid.cell_size - self._scroll() + self.grid.cell_size / 2
        across = bracket.level * BRACKET_WIDTH + BRACKET_WIDTH / 2
        return self._box(along, 0, across, 0).topLeft().toPoint()

    # Input.

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._toggle(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self._toggle(event)

    def _toggle(self, event: QMouseEvent) -> None:
        """Expand the package clicked, or collapse the bracket clicked; a double click toggles once."""
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = event.position().toPoint()
        last_time, last_point = self._last_toggle
        if (
            event.timestamp() - last_time < QApplication.doubleClickInterval()
            and (point - last_point).manhattanLength() <= QApplication.startDragDistance()
        ):
            return  # the rest of a double click whose first click already toggled
        bracket = self.bracket_at(point)
        node = self.node_at(point)
        if bracket is not None:
            self._last_toggle = (event.timestamp(), point)
            self.grid.collapse_requested.emit(bracket.package)
        elif node is not None and self.grid.content.expandable(node):
            self._last_toggle = (event.timestamp(), point)
            self.grid.expand_requested.emit(node)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self._tooltip(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def _tooltip(self, point: QPoint) -> str:
        content = self.grid.content
        bracket = self.bracket_at(point)
        if bracket is not None:
            return f"{bracket.package}\nClick to collapse"
        node = self.node_at(point)
        if node is None:
            return ""
        lines = [f"{node} (the package's own module)" if content.own_module(node) else node]
        layer = content.layer_description(node)
        if layer:
            lines.append(layer[0].upper() + layer[1:])
        if content.uncovered(node):
            lines.append("Holds modules that belong to no declared layer (coverage)")
        if content.expandable(node):
            lines.append(f"{content.dependency_map.module_count(node)} modules · click to expand")
        return "\n".join(lines)

    # Painting.

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = matrix_colours()
        painter = QPainter(self)
        painter.fillRect(self.rect(), colours.background)
        if not self.grid.content:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_brackets(painter, colours)
        self._paint_labels(painter, colours)

    def _paint_brackets(self, painter: QPainter, colours: MatrixColours) -> None:
        size, scroll, length = self.grid.cell_size, self._scroll(), self._length()
        for bracket in self.grid.content.brackets:
            start = max(bracket.first * size - scroll, -2)
            end = min((bracket.last + 1) * size - scroll, length + 2)
            if end <= 0 or start >= length:
                continue
            box = self._box(start + 1, end - start - 2, bracket.level * BRACKET_WIDTH + 1, BRACKET_WIDTH - 2)
            painter.setPen(QPen(colours.group_line, 1))
            painter.setBrush(colours.bracket)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(colours.text)
            text_box = self._box(start + 5, end - start - 10, bracket.level * BRACKET_WIDTH, BRACKET_WIDTH)
            _draw_text(painter, text_box, bracket.package, not self.rotated_labels, Qt.TextElideMode.ElideLeft)

    def _paint_labels(self, painter: QPainter, colours: MatrixColours) -> None:
        content, size, scroll = self.grid.content, self.grid.cell_size, self._scroll()
        selected = self._selected_index()
        labels_start = content.depth * BRACKET_WIDTH
        labels_length = ARROW_WIDTH + self.grid.label_width
        regular = _label_font(self.font(), size)
        bold = _bold(regular) if regular else None
        for index in range(max(0, scroll // size), min(len(content), (scroll + self._length()) // size + 1)):
            node = content.nodes[index]
            start = index * size - scroll
            if index == selected:
                painter.fillRect(self._box(start, size, labels_start, labels_length), colours.header_selection)
            if regular is None:
                continue
            arrow, text = self._label_boxes(start, size, labels_start)
            if content.expandable(node):
                _draw_arrow(painter, colours.muted_text, arrow, self.rotated_labels)
            painter.setFont(bold if index == selected else regular)
            if content.uncovered(node):
                painter.setPen(colours.broken)
            else:
                painter.setPen(colours.muted_text if content.own_module(node) else colours.text)
            _draw_text(painter, text, content.label(node), self.rotated_labels, Qt.TextElideMode.ElideMiddle)
        painter.setPen(QPen(colours.layer_line, 2))
        for edge in _layer_edges(content):
            along = edge * size - scroll
            if 0 <= along <= self._length():
                line = self._box(along, 0, labels_start, labels_length)
                painter.drawLine(line.topLeft(), line.bottomRight())

    def _label_boxes(self, start: float, size: float, labels_start: float) -> tuple[QRectF, QRectF]:
        """The arrow's box and the text's box of the label at `start`."""
        raise NotImplementedError


class _ColumnHeader(_Header):
    """Across runs down from the top edge; labels are rotated, their arrows next to the matrix."""

    rotated_labels = True

    def _box(self, along: float, along_length: float, across: float, across_length: float) -> QRectF:
        return QRectF(along, across, along_length, across_length)

    def _offsets(self, point: QPoint) -> tuple[int, int]:
        return point.x() + self._scroll(), point.y()

    def _scroll(self) -> int:
        return self.grid.horizontalScrollBar().value()

    def _length(self) -> int:
        return self.width()

    def _selected_index(self) -> int | None:
        return self.grid.selected[1] if self.grid.selected else None

    def _label_boxes(self, start: float, size: float, labels_start: float) -> tuple[QRectF, QRectF]:
        bottom = self.height()
        arrow = QRectF(start, bottom - ARROW_WIDTH, size, ARROW_WIDTH)
        text = QRectF(start, labels_start, size, bottom - ARROW_WIDTH - labels_start)
        return arrow, text


class _RowHeader(_Header):
    """Across runs right from the left edge; labels read normally, arrows before them."""

    def _box(self, along: float, along_length: float, across: float, across_length: float) -> QRectF:
        return QRectF(across, along, across_length, along_length)

    def _offsets(self, point: QPoint) -> tuple[int, int]:
        return point.y() + self._scroll(), point.x()

    def _scroll(self) -> int:
        return self.grid.verticalScrollBar().value()

    def _length(self) -> int:
        return self.height()

    def _selected_index(self) -> int | None:
        return self.grid.selected[0] if self.grid.selected else None

    def _label_boxes(self, start: float, size: float, labels_start: float) -> tuple[QRectF, QRectF]:
        arrow = QRectF(labels_start, start, ARROW_WIDTH, size)
        text = QRectF(labels_start + ARROW_WIDTH, start, self.width() - labels_start - ARROW_WIDTH, size)
        return arrow, text


class _Corner(QWidget):
    def __init__(self, grid: MatrixGrid) -> None:
        super().__init__(grid)
        self.setToolTip(
            "The cell in row R and column C counts the imports from C to R. With the highest layer first,"
            " imports against the layer order lie above the diagonal."
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = matrix_colours()
        painter = QPainter(self)
        painter.fillRect(self.rect(), colours.background)
        painter.setPen(colours.muted_text)
        painter.drawText(
            QRectF(self.rect()).adjusted(6, 6, -6, -6),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextWordWrap,
            "Columns import rows",
        )
