"""What the architecture scene is made of: bands, boxes, frames, and one item per kind of edge.

Items paint by level of detail, as in Qt's "chip" example: far out a box is a filled rectangle,
closer it gets its outline, and only close up its text. All edges of one kind are drawn by one
item from painter paths it builds once (as pyqtgraph's GraphItem draws a graph), so a scene of
thousands of dependencies holds four edge items, not thousands.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyle, QStyleOptionGraphicsItem, QWidget

from app.gui.graph.ages import BoxAge
from app.gui.theme import Theme
from core.layout import (
    ARROW_LENGTH,
    CYCLE,
    EDGE_WIDTHS,
    FRAME_TITLE,
    IGNORED,
    ILLEGAL,
    LABEL_WIDTH,
    LEGAL,
    NEW_BADGE_AT,
    Band,
    Box,
    Edge,
    Frame,
    Rect,
    arrow_head,
    curve_point,
    illegal_width,
)

# Levels of detail (device pixels per scene unit) at which more is drawn.
LOD_OUTLINE = 0.3
LOD_TEXT = 0.4

# Stacking, bottom to top.
Z_BAND, Z_FRAME, Z_FOCUS, Z_NEW_HALO, Z_HIGHLIGHT = -10.0, -5.0, -3.0, -2.0, -1.0
Z_EDGES, Z_NEW_EDGES, Z_BOX = 0.0, 1.0, 10.0

CHUNK = 400.0  # side of the square cells edges are found by
PICTURE_EDGES = 3000  # with more edges of a kind, far out they are drawn from a picture
PICTURE_SCALE = 0.6  # of that picture, which serves any zoom below it
PICTURE_MAX_SIDE = 4096
CYCLE_MARK_RADIUS = 4.5


@dataclass(frozen=True)
class GraphStyle:
    band: str
    band_alternate: str
    band_outside: str
    band_uncovered: str
    band_line: str
    text: str
    muted_text: str
    package_fill: str
    package_border: str
    module_fill: str
    module_border: str
    uncovered_fill: str
    uncovered_border: str
    frame_fill: str
    frame_border: str
    legal: str
    illegal: str
    cycle: str
    ignored: str
    highlight: str
    new_edge: str  # edges carrying violations that are new since the baseline
    added: str  # modules added since the baseline
    focus: str  # what the commit picked on the timeline brought
    boundary: str  # interface rules' boundaries and their public modules
    # Colouring by age: the oldest, middle and newest fill, boxes without history, generated code.
    age_old: str
    age_middle: str
    age_new: str
    age_unknown: str
    generated: str


@lru_cache(maxsize=4)
def style_for(theme: Theme) -> GraphStyle:
    if theme.dark:
        return GraphStyle(
            band="#232428", band_alternate="#27292d", band_outside="#2b2b2b", band_uncovered="#3a3020",
            band_line="#3d4046", text=theme.text, muted_text=theme.placeholder,
            package_fill="#2f3d52", package_border="#6f87a8", module_fill="#2b2d31", module_border="#6b7280",
            uncovered_fill="#6b4a12", uncovered_border="#f0a832", frame_fill="#1f2024", frame_border="#565b63",
            legal="#7d8590", illegal=theme.broken, cycle="#b889f5", ignored="#8fa1b8", highlight=theme.highlight,
            new_edge="#ff2e4d", added="#3fb950", focus="#e3b341", boundary="#39c5cf",
            age_old="#2d333b", age_middle="#7a5226", age_new="#e8742a", age_unknown="#22272e", generated="#e26ab0",
        )
    return GraphStyle(
        band="#ffffff", band_alternate="#f5f7fa", band_outside="#f4f4f2", band_uncovered="#fff4dc",
        band_line="#dde1e6", text=theme.text, muted_text=theme.placeholder,
        package_fill="#e3ecf8", package_border="#7d93b2", module_fill="#ffffff", module_border="#98a2ae",
        uncovered_fill="#ffd98e", uncovered_border="#c77700", frame_fill="#fbfcfd", frame_border="#a9b3bf",
        legal="#8c959f", illegal=theme.broken, cycle="#8250df", ignored="#57606a", highlight=theme.highlight,
        new_edge="#ff0a2f", added="#1a7f37", focus="#d4a72c", boundary="#0a7c86",
        age_old="#eef2f7", age_middle="#ffd59e", age_new="#f76707", age_unknown="#fafbfc", generated="#bf3989",
    )


def age_colour(position: float, style: GraphStyle) -> QColor:
    """The fill of a box whose newest module is at `position` between the oldest (0) and newest (1)."""
    if position < 0.5:
        low, high, part = style.age_old, style.age_middle, position * 2
    else:
        low, high, part = style.age_middle, style.age_new, position * 2 - 1
    start, end = QColor(low), QColor(high)
    return QColor.fromRgbF(*(a + (b - a) * part for a, b in zip(start.getRgbF()[:3], end.getRgbF()[:3], strict=True)))


def qrect(rect: Rect) -> QRectF:
    return QRectF(rect.x, rect.y, rect.width, rect.height)


def label_font(bold: bool = False, italic: bool = False, pixels: int = 12) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    font.setItalic(italic)
    return font


class Detail:
    """Whether items ignore the zoom and draw everything, as they do for an export."""

    full = False


def level_of_detail(option: QStyleOptionGraphicsItem, painter: QPainter) -> float:
    return 1.0 if Detail.full else option.levelOfDetailFromTransform(painter.worldTransform())


def round_pen(colour: QColor, width: float) -> QPen:
    return QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)


def draw_sign(painter: QPainter, center: QPointF, colour: QColor, plus: bool) -> None:
    """The + that expands a package or the − that collapses it."""
    painter.setPen(QPen(colour, 1.2))
    painter.drawLine(center + QPointF(-4, 0), center + QPointF(4, 0))
    if plus:
        painter.drawLine(center + QPointF(0, -4), center + QPointF(0, 4))


class BandItem(QGraphicsItem):
    """A layer as a horizontal band, named in the column on its left."""

    def __init__(self, band: Band, style: GraphStyle, alternate: bool) -> None:
        super().__init__()
        self.band = band
        self._rect = qrect(band.rect)
        if band.outside:
            self._fill = QColor(style.band_uncovered if band.uncovered else style.band_outside)
        else:
            self._fill = QColor(style.band_alternate if alternate else style.band)
        self._line = QColor(style.band_line)
        self._text = QColor(style.text)
        self._muted = QColor(style.muted_text)
        self._title_font = label_font(bold=True, pixels=13)
        self._note_font = label_font(pixels=11)
        if band.outside:
            count = band.uncovered
            self.note = f"{count} module{'s' if count != 1 else ''} outside the architecture" if count else "modules in no drawn layer"
        else:
            kind = "independent" if band.independent else "not independent"
            self.note = f"layer {band.index + 1} of rule '{band.rule}'" + (f", {kind}" if " " in band.title else "")
        self.setZValue(Z_BAND)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.fillRect(self._rect, self._fill)
        lod = level_of_detail(option, painter)
        if lod < LOD_OUTLINE / 2:
            return
        painter.setPen(QPen(self._line, 0))
        painter.drawLine(self._rect.bottomLeft(), self._rect.bottomRight())
        painter.drawLine(QPointF(LABEL_WIDTH, self._rect.top()), QPointF(LABEL_WIDTH, self._rect.bottom()))
        if lod < LOD_TEXT / 2:
            return
        text_rect = QRectF(12, self._rect.top() + 8, LABEL_WIDTH - 20, self._rect.height() - 16)
        painter.setFont(self._title_font)
        painter.setPen(self._text)
        flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        # Long module names may break after a dot (a zero-width space marks the place).
        title = self.band.title.replace(".", ".\u200b")
        used = painter.boundingRect(text_rect, int(flags), title)
        note_rect = QRectF(text_rect)
        # Title and note centred together.
        note_height = QFontMetricsF(self._note_font).height() * 2
        top = text_rect.top() + max(0.0, (text_rect.height() - used.height() - note_height) / 2)
        painter.drawText(QRectF(text_rect.left(), top, text_rect.width(), used.height()), int(flags), title)
        note_rect.setTop(top + used.height() + 2)
        painter.setFont(self._note_font)
        painter.setPen(self._muted)
        painter.drawText(note_rect, int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), self.note)


class BoxItem(QGraphicsItem):
    """A package (collapsed, with a + to expand it and its module count) or a module.

    Modules added since the baseline get a stripe down the box's left side and a badge on its top
    edge: "NEW" on a module, "+n" on a package holding n added modules. Coloured by age, the box
    is filled by the age of its newest module (`age`; None for a box without history), and one
    holding modules from commits with signs of generated code is hatched and badged "AI".
    """

    def __init__(
        self, box: Box, style: GraphStyle, added: int = 0, age: BoxAge | None = None, by_age: bool = False
    ) -> None:
        super().__init__()
        self.box = box
        self.added = added
        self.age = age if by_age else None
        self.generated = bool(self.age and self.age.generated)
        self._rect = qrect(box.rect)
        self._bounds = self._rect.adjusted(-4 if added else -2, -9 if added or self.generated else -2, 2, 2)
        self._added_colour = QColor(style.added)
        self._badge_font = label_font(bold=True, pixels=9)
        if box.uncovered:
            fill, border = style.uncovered_fill, style.uncovered_border
        elif box.package:
            fill, border = style.package_fill, style.package_border
        else:
            fill, border = style.module_fill, style.module_border
        self.fill = QColor(fill)
        if by_age:
            self.fill = age_colour(age.position, style) if age is not None else QColor(style.age_unknown)
        self._hatch = QBrush(QColor(style.generated), Qt.BrushStyle.BDiagPattern)
        self._generated_colour = QColor(style.generated)
        self._border = QPen(QColor(border), 2.0 if box.uncovered and box.package else 1.0)
        self._selected_border = QPen(QColor(style.highlight), 3.0)
        self._text = QColor(style.text)
        self._muted = QColor(style.muted_text)
        self._font = label_font(bold=box.package, italic=box.own_module)
        self._count_font = label_font(pixels=10)
        self._elided: str | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(Z_BOX)

    @property
    def name(self) -> str:
        return self.box.name

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        lod = level_of_detail(option, painter)
        if lod < LOD_OUTLINE:
            painter.fillRect(self._rect, self._selected_border.color() if selected else self.fill)
            return
        painter.setPen(self._selected_border if selected else self._border)
        painter.setBrush(self.fill)
        painter.drawRect(self._rect)
        if self.generated:
            painter.fillRect(self._rect, self._hatch)
        if self.added:
            painter.fillRect(QRectF(self._rect.left(), self._rect.top(), 4.0, self._rect.height()), self._added_colour)
        if lod < LOD_TEXT:
            return
        if self.added:
            self._draw_added_badge(painter)
        if self.generated:
            anchor = QPointF(self._rect.center().x(), self._rect.top())
            draw_badge(painter, anchor, "AI", self._generated_colour, self._badge_font, Qt.AlignmentFlag.AlignCenter)
        rect = self._rect.adjusted(8, 0, -8, 0)
        if self.box.package:
            draw_sign(painter, QPointF(rect.left() + 4, rect.center().y()), self._border.color(), plus=True)
            rect.setLeft(rect.left() + 13)
            painter.setFont(self._count_font)
            painter.setPen(self._muted)
            count = str(self.box.modules)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), count)
            rect.setRight(rect.right() - QFontMetricsF(self._count_font).horizontalAdvance(count) - 6)
        painter.setFont(self._font)
        painter.setPen(self._text)
        if self._elided is None:
            self._elided = QFontMetricsF(self._font).elidedText(self.box.label, Qt.TextElideMode.ElideMiddle, rect.width())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), self._elided)

    def _draw_added_badge(self, painter: QPainter) -> None:
        label = f"+{self.added}" if self.box.package else "NEW"
        anchor = QPointF(self._rect.left() - 2, self._rect.top())
        draw_badge(painter, anchor, label, self._added_colour, self._badge_font, Qt.AlignmentFlag.AlignLeft)


def draw_badge(
    painter: QPainter, anchor: QPointF, label: str, colour: QColor, font: QFont, align: Qt.AlignmentFlag
) -> QRectF:
    """A white label on a rounded pill, centred on `anchor` vertically; horizontally starting at it
    (AlignLeft), ending at it (AlignRight) or centred on it."""
    metrics = QFontMetricsF(font)
    width, height = metrics.horizontalAdvance(label) + 8, metrics.height() + 1
    left = {Qt.AlignmentFlag.AlignLeft: anchor.x(), Qt.AlignmentFlag.AlignRight: anchor.x() - width}.get(
        align, anchor.x() - width / 2
    )
    rect = QRectF(left, anchor.y() - height / 2, width, height)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(rect, height / 2, height / 2)
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), label)
    painter.restore()
    return rect


class FrameItem(QGraphicsItem):
    """An expanded package around its modules; its title bar carries a − to collapse it."""

    def __init__(self, frame: Frame, style: GraphStyle) -> None:
        super().__init__()
        self.frame = frame
        self._rect = qrect(frame.rect)
        self._bounds = self._rect.adjusted(-2, -2, 2, 2)
        self._fill = QColor(style.frame_fill)
        self._border = QPen(QColor(style.uncovered_border if frame.uncovered else style.frame_border), 1.0)
        self._selected_border = QPen(QColor(style.highlight), 3.0)
        self._text = QColor(style.text)
        self._font = label_font(bold=True, pixels=11)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(Z_FRAME + 0.1 * frame.depth)

    @property
    def name(self) -> str:
        return self.frame.name

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        lod = level_of_detail(option, painter)
        painter.setPen(self._selected_border if selected else self._border)
        painter.setBrush(self._fill)
        painter.drawRect(self._rect)
        if lod < LOD_TEXT:
            return
        title = QRectF(self._rect.left() + 8, self._rect.top(), self._rect.width() - 16, FRAME_TITLE)
        draw_sign(painter, QPointF(title.left() + 4, title.center().y()), self._border.color(), plus=False)
        title.setLeft(title.left() + 13)
        painter.setFont(self._font)
        painter.setPen(self._text)
        text = QFontMetricsF(self._font).elidedText(self.frame.label, Qt.TextElideMode.ElideMiddle, title.width())
        painter.drawText(title, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)


def curve_path(edges: list[Edge], arrows: bool = True) -> QPainterPath:
    path = QPainterPath()
    for edge in edges:
        start, first, second, end = edge.curve
        path.moveTo(*start)
        path.cubicTo(*first, *second, *end)
        if arrows:
            add_arrow_head(path, second, end)
    return path


def add_arrow_head(path: QPainterPath, towards: tuple[float, float], tip: tuple[float, float]) -> None:
    left, tip, right = arrow_head(towards, tip)
    path.moveTo(*left)
    path.lineTo(*tip)
    path.lineTo(*right)


# Within the edges, the more important kinds are drawn over the others.
EDGE_Z_OFFSET = {LEGAL: 0.0, IGNORED: 0.1, CYCLE: 0.2, ILLEGAL: 0.3}


class EdgesItem(QGraphicsItem):
    """Every edge of one kind in one item: grey hairlines, red strokes as wide as their imports,
    violet cycles, dashed ignored imports.

    Paths are built the first time they are needed and kept: a package of a thousand modules
    brings thousands of edges, and building them all up front would hold up its expansion. Close
    up, each edge has its own path and a paint strokes only those in the cells of a grid that the
    exposed area touches: stroking a path costs as much off screen as on it, and Qt's antialiasing
    rasteriser takes about eight times longer over one path of hundreds of overlapping wide strokes
    than over the same strokes one by one. Far out, where curves and arrow heads cannot be told
    apart, one path of straight lines per grid cell is drawn; so it is for `crowded` grey edges,
    when the view shows more than can be followed one by one. Far out, thousands of edges come
    from a picture of those lines, rendered once and scaled down. Pens are opaque, which the raster
    engine fills several times faster than translucent ones, and the item is cached in device
    coordinates, so panning only paints the strip it uncovers.
    """

    def __init__(self, kind: str, edges: list[Edge], style: GraphStyle) -> None:
        super().__init__()
        self.kind = kind
        self.edges = sorted(edges, key=self.width_of)  # drawn in order of width, changing pens least
        colour = QColor({LEGAL: style.legal, ILLEGAL: style.illegal, CYCLE: style.cycle, IGNORED: style.ignored}[kind])
        self._pens: dict[float, QPen] = {}
        # Each edge's bounds (left, top, right, bottom), arrow head and stroke included, and pen.
        self._near: list[tuple[tuple[float, float, float, float], QPen]] = []
        self._paths: list[QPainterPath | None] = [None] * len(self.edges)
        self._cells: dict[tuple[int, int], list[int]] = {}  # filled as paints reach them
        self._far: list[tuple[QRectF, QPainterPath]] | None = None
        left = top = math.inf
        right = bottom = -math.inf
        for edge in self.edges:
            width = self.width_of(edge)
            pen = self._pens.get(width) or self._pens.setdefault(width, self._pen(colour, width))
            margin = width + ARROW_LENGTH
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = edge.curve
            edge_bounds = (
                min(x0, x1, x2, x3) - margin,
                min(y0, y1, y2, y3) - margin,
                max(x0, x1, x2, x3) + margin,
                max(y0, y1, y2, y3) + margin,
            )
            self._near.append((edge_bounds, pen))
            left, top = min(left, edge_bounds[0]), min(top, edge_bounds[1])
            right, bottom = max(right, edge_bounds[2]), max(bottom, edge_bounds[3])
        bounds = QRectF(left, top, right - left, bottom - top) if self.edges else QRectF()
        self._far_pen = QPen(colour, 2.0 if kind == ILLEGAL else 1.0)
        self._far_pen.setCosmetic(True)
        self._marks = QPainterPath()
        for edge in edges:
            if edge.dependency.cycle_imports:
                self._marks.addEllipse(QPointF(*curve_point(edge.curve, 0.5)), CYCLE_MARK_RADIUS, CYCLE_MARK_RADIUS)
        self._mark_brush = QBrush(QColor(style.cycle))
        self._bounds = bounds.united(self._marks.boundingRect())
        self.crowded = False
        self._picture: QImage | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(Z_EDGES + EDGE_Z_OFFSET[kind])

    def width_of(self, edge: Edge) -> float:
        if self.kind == ILLEGAL:
            return round(illegal_width(edge.imports) * 2) / 2
        return EDGE_WIDTHS[self.kind]

    def _path(self, number: int) -> QPainterPath:
        path = self._paths[number]
        if path is None:
            path = self._paths[number] = curve_path([self.edges[number]])
        return path

    def _far_lines(self) -> list[tuple[QRectF, QPainterPath]]:
        """Straight lines standing for the edges, one path per grid cell of the edges' centres."""
        if self._far is None:
            groups: dict[tuple[int, int], list[Edge]] = defaultdict(list)
            for edge, ((left, top, right, bottom), _pen) in zip(self.edges, self._near):
                groups[(int((left + right) / 2 // CHUNK), int((top + bottom) / 2 // CHUNK))].append(edge)
            self._far = []
            for group in groups.values():
                lines = QPainterPath()
                for edge in group:
                    lines.moveTo(*edge.curve[0])
                    lines.lineTo(*edge.curve[3])
                self._far.append((lines.controlPointRect().adjusted(-2, -2, 2, 2), lines))
        return self._far

    def _numbers_in(self, rect: QRectF) -> set[int]:
        """The edges whose bounds share a grid cell with `rect`; cells not asked for before are
        filled in one pass over the edges."""
        wanted = _cells_of(rect)
        missing = {cell for cell in wanted if cell not in self._cells}
        if missing:
            for cell in missing:
                self._cells[cell] = []
            first_x, last_x = min(x for x, _ in missing), max(x for x, _ in missing)
            first_y, last_y = min(y for _, y in missing), max(y for _, y in missing)
            for number, ((left, top, right, bottom), _pen) in enumerate(self._near):
                from_x, to_x = max(first_x, int(left // CHUNK)), min(last_x, int(right // CHUNK))
                from_y, to_y = max(first_y, int(top // CHUNK)), min(last_y, int(bottom // CHUNK))
                for x in range(from_x, to_x + 1):
                    for y in range(from_y, to_y + 1):
                        if (x, y) in missing:
                            self._cells[(x, y)].append(number)
        numbers: set[int] = set()
        for cell in wanted:
            numbers.update(self._cells[cell])
        return numbers

    def _far_picture(self) -> QImage:
        if self._picture is None:
            bounds = self._bounds
            scale = min(PICTURE_SCALE, PICTURE_MAX_SIDE / max(bounds.width(), bounds.height(), 1.0))
            picture = QImage(
                max(1, math.ceil(bounds.width() * scale)),
                max(1, math.ceil(bounds.height() * scale)),
                QImage.Format.Format_ARGB32_Premultiplied,
            )
            picture.fill(Qt.GlobalColor.transparent)
            painter = QPainter(picture)
            painter.scale(scale, scale)
            painter.translate(-bounds.topLeft())
            painter.setPen(self._far_pen)
            for _bounds, lines in self._far_lines():
                painter.drawPath(lines)
            painter.end()
            self._picture = picture
        return self._picture

    def set_crowded(self, crowded: bool) -> None:
        if crowded != self.crowded:
            self.crowded = crowded
            self.update()

    def _pen(self, colour: QColor, width: float) -> QPen:
        pen = round_pen(colour, width)
        if self.kind == LEGAL:
            pen.setCosmetic(True)  # a hairline at any zoom: the cheapest stroke there is
        if self.kind == IGNORED:
            pen.setStyle(Qt.PenStyle.DashLine)
        return pen

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        # Edges are picked by the scene's own index; for Qt the item covers nothing.
        return QPainterPath()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        lod = level_of_detail(option, painter)
        exposed = option.exposedRect
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if lod < PICTURE_SCALE and len(self._near) > PICTURE_EDGES and not Detail.full:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(self._bounds, self._far_picture())
            return
        if lod < LOD_OUTLINE or (self.crowded and self.kind == LEGAL):
            painter.setPen(self._far_pen)
            for bounds, lines in self._far_lines():
                if bounds.intersects(exposed):
                    painter.drawPath(lines)
            return
        exposed_left, exposed_top, exposed_right, exposed_bottom = (
            exposed.left(), exposed.top(), exposed.right(), exposed.bottom()
        )
        current = None
        for number in sorted(self._numbers_in(exposed)):
            (left, top, right, bottom), pen = self._near[number]
            if left < exposed_right and right > exposed_left and top < exposed_bottom and bottom > exposed_top:
                if pen is not current:
                    painter.setPen(pen)
                    current = pen
                painter.drawPath(self._path(number))
        if not self._marks.isEmpty():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self._mark_brush)
            painter.drawPath(self._marks)


def _cells_of(rect: QRectF) -> list[tuple[int, int]]:
    return [
        (x, y)
        for x in range(int(rect.left() // CHUNK), int(rect.right() // CHUNK) + 1)
        for y in range(int(rect.top() // CHUNK), int(rect.bottom() // CHUNK) + 1)
    ]


class HighlightItem(QGraphicsItem):
    """A glow under the edges of the selected violation or edge."""

    def __init__(self, style: GraphStyle) -> None:
        super().__init__()
        colour = QColor(style.highlight)
        colour.setAlpha(110)
        self._pen = round_pen(colour, 9.0)
        self._thin = QPen(self._pen)
        self._thin.setCosmetic(True)
        self._thin.setWidthF(5.0)
        self._path = QPainterPath()
        self.edges: list[Edge] = []
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(Z_HIGHLIGHT)

    def set_edges(self, edges: list[Edge]) -> None:
        self.prepareGeometryChange()
        self.edges = edges
        self._path = curve_path(edges, arrows=False)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._path.controlPointRect().adjusted(-6, -6, 6, 6) if self.edges else QRectF()

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self.edges:
            lod = level_of_detail(option, painter)
            painter.setPen(self._pen if self._pen.widthF() * lod >= 5.0 else self._thin)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._path)


class NewEdgesItem(QGraphicsItem):
    """The edges that carry violations new since the baseline: over the red ones a brighter stroke
    and a "NEW" badge on each, or (`halo`) a soft halo under them and under the selection's glow."""

    def __init__(self, edges: list[Edge], style: GraphStyle, halo: bool = False) -> None:
        super().__init__()
        self.edges = edges
        self.halo = halo
        colour = QColor(style.new_edge)
        halo = QColor(colour)
        halo.setAlpha(70)
        self._strokes: list[tuple[QPen, QPen, QPainterPath]] = []
        self._badges: list[QPointF] = []
        bounds = QRectF()
        for edge in edges:
            width = illegal_width(edge.imports) + 1.0
            path = curve_path([edge])
            pen, halo_pen = round_pen(colour, width), round_pen(halo, width + 8.0)
            self._strokes.append((halo_pen, pen, path))
            badge = QPointF(*curve_point(edge.curve, NEW_BADGE_AT))
            # Edges running side by side share one badge.
            if not any(abs(badge.x() - b.x()) < 30 and abs(badge.y() - b.y()) < 14 for b in self._badges):
                self._badges.append(badge)
            bounds = bounds.united(path.controlPointRect().adjusted(-width - 8, -width - 8, width + 8, width + 8))
        for point in self._badges:
            bounds = bounds.united(QRectF(point.x() - 20, point.y() - 10, 40, 20))
        self._bounds = bounds
        self._colour = colour
        self._far_pen = QPen(colour, 3.0)
        self._far_pen.setCosmetic(True)
        self._font = label_font(bold=True, pixels=9)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(Z_NEW_HALO if halo else Z_NEW_EDGES)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        lod = level_of_detail(option, painter)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if lod < LOD_OUTLINE:
            if not self.halo:
                painter.setPen(self._far_pen)
                for _halo, _pen, path in self._strokes:
                    painter.drawPath(path)
            return
        for halo, pen, path in self._strokes:
            painter.setPen(halo if self.halo else pen)
            painter.drawPath(path)
        if lod >= LOD_TEXT and not self.halo:
            for point in self._badges:
                draw_badge(painter, point, "NEW", self._colour, self._font, Qt.AlignmentFlag.AlignCenter)


class FocusItem(QGraphicsItem):
    """A marker-pen glow around the boxes and along the edges of what one commit brought."""

    def __init__(self, style: GraphStyle) -> None:
        super().__init__()
        colour = QColor(style.focus)
        colour.setAlpha(150)
        self._edge_pen = round_pen(colour, 12.0)
        self._box_pen = round_pen(colour, 8.0)
        self._edges = QPainterPath()
        self.boxes: list[QRectF] = []
        self.edges: list[Edge] = []
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(Z_FOCUS)

    def set_focus(self, boxes: list[QRectF], edges: list[Edge]) -> None:
        self.prepareGeometryChange()
        self.boxes, self.edges = boxes, edges
        self._edges = curve_path(edges, arrows=False)
        self.update()

    def boundingRect(self) -> QRectF:
        bounds = self._edges.controlPointRect() if self.edges else QRectF()
        for rect in self.boxes:
            bounds = bounds.united(rect)
        return bounds.adjusted(-8, -8, 8, 8) if not bounds.isNull() else QRectF()

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.edges:
            painter.setPen(self._edge_pen)
            painter.drawPath(self._edges)
        painter.setPen(self._box_pen)
        for rect in self.boxes:
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), 4, 4)


class OverviewItem(QGraphicsItem):
    """All boxes as filled rectangles in a few calls, shown instead of the box items when a large
    scene is seen from far out, where painting each box from Python would cost a frame."""

    def __init__(self, items: list[BoxItem], style: GraphStyle, bounds: QRectF) -> None:
        super().__init__()
        self._groups: dict[str, list[QRectF]] = {}
        for item in items:
            self._groups.setdefault(item.fill.name(), []).append(qrect(item.box.rect))
        self._highlight = QColor(style.highlight)
        self.selected: list[Box] = []
        self._bounds = bounds
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(Z_BOX)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        for colour, rects in self._groups.items():
            painter.setBrush(QColor(colour))
            painter.drawRects(rects)
        if self.selected:
            painter.setBrush(self._highlight)
            painter.drawRects([qrect(box.rect) for box in self.selected])

    def set_selected(self, boxes: list[Box]) -> None:
        self.selected = sorted(boxes, key=lambda box: box.name)
        self.update()


class BoundaryItem(QGraphicsItem):
    """An interface rule's boundary: a dashed frame around its package's box or frame, labelled."""

    def __init__(self, name: str, rect: QRectF, style: GraphStyle) -> None:
        super().__init__()
        self.name = name
        self._rect = rect.adjusted(-4, -4, 4, 4)
        self._pen = QPen(QColor(style.boundary), 2.0, Qt.PenStyle.DashLine)
        self._font = label_font(bold=True, pixels=9)
        self._bounds = self._rect.adjusted(-2, -10, 2, 2)
        self.setZValue(Z_BOX + 1)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setPen(self._pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self._rect)
        if level_of_detail(option, painter) >= LOD_TEXT:
            anchor = QPointF(self._rect.right() - 6, self._rect.top())
            draw_badge(painter, anchor, "boundary", self._pen.color(), self._font, Qt.AlignmentFlag.AlignRight)


class PublicMarkItem(QGraphicsItem):
    """A "public" badge on the top edge of a module a boundary exposes."""

    def __init__(self, name: str, rect: QRectF, style: GraphStyle) -> None:
        super().__init__()
        self.name = name
        self._rect = rect
        self._colour = QColor(style.boundary)
        self._font = label_font(bold=True, pixels=9)
        self._bounds = QRectF(rect.right() - 60, rect.top() - 8, 60, 16)
        self.setZValue(Z_BOX + 2)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setPen(QPen(self._colour, 2.0))
        painter.drawLine(self._rect.bottomLeft(), self._rect.bottomRight())
        if level_of_detail(option, painter) >= LOD_TEXT:
            anchor = QPointF(self._rect.right() - 4, self._rect.top())
            draw_badge(painter, anchor, "public", self._colour, self._font, Qt.AlignmentFlag.AlignRight)
