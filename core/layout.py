"""Where the architecture view draws things, in scene units: layer bands from top to bottom in
declared order, the visible packages and modules as boxes in their band, expanded packages as
frames around their children, and a curve for every dependency between boxes.

Boxes in a band are ordered by igraph's Sugiyama layout with the bands as its fixed layers,
which orders each layer to cut edge crossings; a band then flows its boxes into rows. The
children of a huge expanded package (hundreds of integrations, say) are set in alphabetical
rows instead, where a name is easier to find than a crossing is to follow, and the package
takes part in the ordering as one node. This module is geometry only: it knows no Qt, and the
caller measures text (the app with its fonts, the HTML report with an estimate per character).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import igraph

from core.architecture import Dependency, DependencyMap, LayerBand
from core.expressions import name_and_ancestors

BOX_HEIGHT = 30.0
BOX_MIN_WIDTH = 64.0
BOX_MAX_WIDTH = 280.0
BOX_TEXT_PADDING = 22.0  # the margins around a label
PACKAGE_EXTRAS = 24.0  # a package's expand marker and the space before its module count
GAP_X = 18.0
ROW_GAP = 30.0  # between rows of boxes, where curves pass
BAND_PADDING = 20.0  # above the first row and below the last one, room for arrow heads
LABEL_WIDTH = 160.0  # the column on the left that names each band
LABEL_LINE_HEIGHT = 16.0
NOTE_HEIGHT = 28.0  # two lines of the note under a band's title
MARGIN = 24.0
FRAME_PADDING = 10.0
FRAME_TITLE = 22.0
MIN_CONTENT_WIDTH = 640.0
ASPECT = 4.0  # the width of the drawing over its height that wrapping aims at
FRAME_ROW_WIDTH = 720.0  # a frame's children stay in one row up to this width
SUGIYAMA_ITERATIONS = 40
GRID_CHILDREN = 200  # an expanded package with more children than this sets them in alphabetical rows
BOX_CELL = 200.0  # side of the grid cells boxes are found by
ARROW_LENGTH = 7.0
NEW_BADGE_AT = 0.4  # where along a new edge its "NEW" badge sits (a cycle's mark takes the middle)

LEGAL, ILLEGAL, CYCLE, IGNORED = "legal", "illegal", "cycle", "ignored"
EDGE_KINDS = (LEGAL, IGNORED, CYCLE, ILLEGAL)  # from the bottom of the drawing to the top
EDGE_WIDTHS = {LEGAL: 1.0, CYCLE: 1.6, IGNORED: 1.4}  # red edges grow with their imports instead (illegal_width)

TextWidth = Callable[[str], float]


def approximate_text_width(text: str) -> float:
    return 7.0 * len(text)


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2

    @property
    def center_y(self) -> float:
        return self.y + self.height / 2

    def united(self, other: Rect) -> Rect:
        x, y = min(self.x, other.x), min(self.y, other.y)
        return Rect(x, y, max(self.right, other.right) - x, max(self.bottom, other.bottom) - y)


@dataclass(frozen=True, slots=True)
class Band:
    """A layer of a `layers` rule, or (with `rule` None) the modules outside the drawn layers."""

    title: str
    rule: str | None
    index: int  # the layer's place in its rule, counted from 0
    rect: Rect
    independent: bool = True
    uncovered: int = 0  # modules drawn in this band that lie outside the declared architecture

    @property
    def outside(self) -> bool:
        return self.rule is None


@dataclass(frozen=True, slots=True)
class Box:
    """A visible package (collapsed) or module."""

    name: str
    label: str
    rect: Rect
    band: int
    modules: int  # modules it stands for, itself included
    package: bool  # it has modules inside, so it can be expanded
    uncovered: int  # of its modules, those outside the declared architecture
    own_module: bool = False  # the module of a package whose modules are shown beside it


@dataclass(frozen=True, slots=True)
class Frame:
    """An expanded package drawn around its children; double-clicking it collapses it."""

    name: str
    label: str
    rect: Rect
    band: int
    depth: int
    modules: int
    uncovered: int


Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Edge:
    """One drawn dependency: a cubic curve from the importer's box to the imported one's."""

    kind: str
    dependency: Dependency
    curve: tuple[Point, Point, Point, Point]  # start, first control point, second control point, end

    @property
    def importer(self) -> str:
        return self.dependency.importer

    @property
    def imported(self) -> str:
        return self.dependency.imported

    @property
    def imports(self) -> int:
        """The imports this curve stands for: the illegal ones of a red edge, the ignored ones of a dashed one."""
        dependency = self.dependency
        if self.kind == ILLEGAL:
            return dependency.illegal_imports
        if self.kind == CYCLE:
            return dependency.cycle_imports
        if self.kind == IGNORED:
            return dependency.ignored_imports
        return dependency.imports


@dataclass
class ArchitectureLayout:
    bands: list[Band]
    boxes: dict[str, Box]
    frames: dict[str, Frame]
    edges: list[Edge]
    dependencies: list[Dependency]
    expanded: frozenset[str]  # every expanded package, those the layers need included
    fixed: frozenset[str]  # packages kept expanded because layers lie inside them
    width: float
    height: float
    _visible: dict[str, str] = field(default_factory=dict, repr=False)
    _box_cells: dict[tuple[int, int], list[str]] | None = field(default=None, repr=False)

    def box_for(self, module: str) -> str | None:
        """The box that stands for `module`: its own, or that of the collapsed package holding it."""
        node = self._visible.get(module)
        return node if node in self.boxes else None

    def box_at(self, x: float, y: float) -> str | None:
        """The box under a point of the drawing."""
        if self._box_cells is None:
            self._box_cells = defaultdict(list)
            for name, box in self.boxes.items():
                rect = box.rect
                for cx in range(int(rect.x // BOX_CELL), int(rect.right // BOX_CELL) + 1):
                    for cy in range(int(rect.y // BOX_CELL), int(rect.bottom // BOX_CELL) + 1):
                        self._box_cells[(cx, cy)].append(name)
        for name in self._box_cells.get((int(x // BOX_CELL), int(y // BOX_CELL)), ()):
            rect = self.boxes[name].rect
            if rect.x <= x <= rect.right and rect.y <= y <= rect.bottom:
                return name
        return None


def bands_for(dependency_map: DependencyMap, rule: str | None) -> list[LayerBand]:
    """The layers to draw: those of `rule` if it is a layers rule, otherwise those of every layers rule."""
    chosen = [band for band in dependency_map.bands if band.rule == rule]
    return chosen or list(dependency_map.bands)


def fixed_packages(dependency_map: DependencyMap, bands: Iterable[LayerBand]) -> frozenset[str]:
    """Packages that must stay expanded so that every layer has boxes of its own: the ancestors of
    the layers' modules, and root packages that are not layers themselves (one box for the whole
    project says nothing)."""
    layer_modules = {module for band in bands for module in band.modules}
    fixed = {ancestor for module in layer_modules for ancestor in name_and_ancestors(module)[1:]}
    fixed |= {root for root in dependency_map.root_packages if root not in layer_modules and dependency_map.children(root)}
    return frozenset(fixed)


def layout_architecture(
    dependency_map: DependencyMap,
    *,
    rule: str | None = None,
    expanded: Iterable[str] = (),
    text_width: TextWidth = approximate_text_width,
) -> ArchitectureLayout:
    """Lay out the layers of `rule` (or of every layers rule) with the `expanded` packages opened."""
    layer_bands = bands_for(dependency_map, rule)
    fixed = fixed_packages(dependency_map, layer_bands)
    opened = set(fixed)
    # A package is open when it and all its ancestors are expanded; forgotten names are dropped.
    for name in sorted(expanded, key=lambda n: n.count(".")):
        parent = name.rpartition(".")[0]
        if dependency_map.children(name) and (not parent or parent in opened):
            opened.add(name)
    visible = dependency_map.visible_map(opened)
    dependencies = dependency_map.dependencies(opened, rule=rule)
    connected = {d.importer for d in dependencies} | {d.imported for d in dependencies}
    # An expanded package's own module (its __init__) is only drawn when it takes part in an import
    # or lies outside the architecture.
    nodes = sorted(
        {node for node in visible.values() if node not in opened or node in connected or node in dependency_map.uncovered}
    )
    frames = sorted(opened - fixed)

    band_of_module: dict[str, int] = {}
    for index, band in enumerate(layer_bands):
        for module in band.modules:
            band_of_module.setdefault(module, index)
    outside = len(layer_bands)

    def band_of(name: str) -> int:
        # The most specific layer containing the name, the first declared on a tie.
        return next((band_of_module[a] for a in name_and_ancestors(name) if a in band_of_module), outside)

    node_band = {node: band_of(node) for node in nodes}
    uncovered = Counter(a for module in dependency_map.uncovered for a in name_and_ancestors(module))

    # Blocks: boxes, and frames holding the blocks of their children, nested.
    frame_set = set(frames)

    def container_of(name: str) -> str | None:
        return next((a for a in name_and_ancestors(name)[1:] if a in frame_set), None)

    children: dict[str | None, list[str]] = defaultdict(list)
    frame_children: dict[str | None, list[str]] = defaultdict(list)
    for node in nodes:
        if node in frame_set:
            # A package's own module sits inside its frame, not beside it.
            children[node].append(node)
        else:
            children[container_of(node)].append(node)
    for frame in frames:
        frame_children[container_of(frame)].append(frame)

    # What each node is ordered as: itself, or the outermost huge frame holding it.
    huge = {frame for frame in frames if len(children[frame]) + len(frame_children[frame]) > GRID_CHILDREN}
    stands_for = {node: node for node in nodes}
    if huge:
        for node in nodes:
            stands_for[node] = next((a for a in reversed(name_and_ancestors(node)) if a in huge), node)
        for frame in huge:
            node_band.setdefault(frame, band_of(frame))
    order = _sugiyama_order(sorted(set(stands_for.values())), node_band, dependencies, stands_for)

    def label_of(node: str) -> str:
        if node in opened:
            return "__init__" if node in frame_set else f"{node} (__init__)"
        container = container_of(node)
        return node[len(container) + 1 :] if container else node

    def box_width(node: str) -> float:
        width = text_width(label_of(node)) + BOX_TEXT_PADDING
        if node not in opened and dependency_map.children(node):
            width += PACKAGE_EXTRAS + text_width(str(dependency_map.module_count(node)))
        return min(BOX_MAX_WIDTH, max(BOX_MIN_WIDTH, width))

    box_sizes = {node: (box_width(node), BOX_HEIGHT) for node in nodes}
    rank = {node: position for position, node in enumerate(order)}

    def box_block(node: str) -> _Block:
        return _Block(node, False, *box_sizes[node], key=rank[stands_for[node]])

    def frame_block(frame: str, depth: int) -> _Block:
        members = [box_block(node) for node in children.get(frame, [])]
        members += [frame_block(child, depth + 1) for child in frame_children.get(frame, [])]
        # Inside a huge frame all keys are equal, and the names decide.
        members.sort(key=lambda block: (block.key, block.name))
        one_row = sum(b.width + GAP_X for b in members) - GAP_X
        target = one_row if one_row <= FRAME_ROW_WIDTH else max(FRAME_ROW_WIDTH, math.sqrt(_area(members) * ASPECT))
        content_width, content_height = _flow(members, target)
        return _Block(
            frame,
            True,
            content_width + 2 * FRAME_PADDING,
            content_height + FRAME_TITLE + FRAME_PADDING,
            key=sum(b.key for b in members) / max(1, len(members)),
            members=members,
            depth=depth,
        )

    band_blocks: dict[int, list[_Block]] = defaultdict(list)
    for node in children.get(None, []):
        band_blocks[node_band[node]].append(box_block(node))
    for frame in frame_children.get(None, []):
        band_blocks[band_of(frame)].append(frame_block(frame, 0))
    for blocks in band_blocks.values():
        blocks.sort(key=lambda block: block.key)

    all_blocks = [block for blocks in band_blocks.values() for block in blocks]
    widest_band = max((sum(b.width + GAP_X for b in blocks) for blocks in band_blocks.values()), default=0.0)
    content_width = max(
        MIN_CONTENT_WIDTH,
        max((b.width for b in all_blocks), default=0.0),
        min(widest_band, math.sqrt(_area(all_blocks) * ASPECT)),
    )
    total_width = LABEL_WIDTH + content_width + 2 * MARGIN

    boxes: dict[str, Box] = {}
    frame_boxes: dict[str, Frame] = {}

    def place(blocks: list[_Block], x: float, y: float, band: int) -> None:
        for block in blocks:
            rect = Rect(x + block.dx, y + block.dy, block.width, block.height)
            name = block.name
            if block.is_frame:
                frame_boxes[name] = Frame(
                    name=name,
                    label=name.rpartition(".")[2] if block.depth else name,
                    rect=rect,
                    band=band,
                    depth=block.depth,
                    modules=dependency_map.module_count(name),
                    uncovered=uncovered[name],
                )
                place(block.members, rect.x + FRAME_PADDING, rect.y + FRAME_TITLE, band)
            elif name in opened:
                boxes[name] = Box(
                    name=name,
                    label=label_of(name),
                    rect=rect,
                    band=band,
                    modules=1,
                    package=False,
                    uncovered=int(name in dependency_map.uncovered),
                    own_module=True,
                )
            else:
                boxes[name] = Box(
                    name=name,
                    label=label_of(name),
                    rect=rect,
                    band=band,
                    modules=dependency_map.module_count(name),
                    package=bool(dependency_map.children(name)),
                    uncovered=uncovered[name],
                )

    bands: list[Band] = []
    y = 0.0
    band_count = len(layer_bands) + (1 if band_blocks.get(outside) else 0)
    for index in range(band_count):
        blocks = band_blocks.get(index, [])
        if index < len(layer_bands):
            layer = layer_bands[index]
            separator = " | " if layer.independent else " : "
            title = separator.join(layer.modules) or "(no modules)"
        else:
            layer, title = None, "Outside the layers"
        used_width, height = _flow(blocks, content_width)
        # Tall enough for the title, wrapped in the label column, and a two-line note under it.
        label_height = _wrapped_lines(title, text_width, LABEL_WIDTH - 24) * LABEL_LINE_HEIGHT + NOTE_HEIGHT + 16
        band_height = max(height + 2 * BAND_PADDING, BOX_HEIGHT + 2 * BAND_PADDING, label_height)
        content_top = y + (band_height - height) / 2
        place(blocks, LABEL_WIDTH + MARGIN + (content_width - used_width) / 2, content_top, index)
        rect = Rect(0.0, y, total_width, band_height)
        drawn_uncovered = sum(uncovered[b.name] for b in blocks)
        if layer is not None:
            bands.append(Band(title, layer.rule, layer.index, rect, layer.independent, drawn_uncovered))
        else:
            bands.append(Band(title, None, 0, rect, True, drawn_uncovered))
        y = rect.bottom

    edges = _route_edges(dependencies, boxes)
    return ArchitectureLayout(
        bands=bands,
        boxes=boxes,
        frames=frame_boxes,
        edges=edges,
        dependencies=dependencies,
        expanded=frozenset(opened),
        fixed=fixed,
        width=total_width,
        height=y,
        _visible=visible,
    )


@dataclass
class _Block:
    name: str
    is_frame: bool
    width: float
    height: float
    key: float = 0.0
    members: list[_Block] = field(default_factory=list)
    depth: int = 0
    # The offset inside the parent's content area, set by _flow.
    dx: float = 0.0
    dy: float = 0.0


def _sugiyama_order(
    nodes: list[str], node_band: dict[str, int], dependencies: list[Dependency], stands_for: dict[str, str]
) -> list[str]:
    """The nodes from left to right within their bands, as the Sugiyama layout orders them; a
    dependency counts between the nodes its ends stand for."""
    if not nodes:
        return []
    index = {node: position for position, node in enumerate(nodes)}
    ends = ((stands_for.get(d.importer), stands_for.get(d.imported)) for d in dependencies)
    pairs = sorted({(index[a], index[b]) for a, b in ends if a is not None and b is not None and a != b})
    if not pairs:
        return list(nodes)
    graph = igraph.Graph(n=len(nodes), edges=pairs, directed=True)
    layout = graph.layout_sugiyama(layers=[node_band[node] for node in nodes], maxiter=SUGIYAMA_ITERATIONS)
    x = [layout[position][0] for position in range(len(nodes))]
    return sorted(nodes, key=lambda node: (x[index[node]], node))


def _wrapped_lines(text: str, text_width: TextWidth, width: float) -> int:
    """Lines `text` takes wrapped at spaces and after dots into `width` (titles are set a little wider)."""
    words = text.replace(".", ". ").split()
    lines, line = 1, 0.0
    for word in words:
        advance = 1.1 * text_width(word.rstrip())
        if line and line + advance > width:
            lines, line = lines + 1, 0.0
        line += advance + (0.0 if word.endswith(".") else 4.0)
    return lines


def _area(blocks: list[_Block]) -> float:
    return sum((b.width + GAP_X) * (b.height + ROW_GAP) for b in blocks)


def _flow(blocks: list[_Block], width: float) -> tuple[float, float]:
    """Place blocks left to right in rows no wider than `width` (a wider block gets a row of its own),
    each row centred in the widest; sets their offsets and returns the size used."""
    rows: list[list[_Block]] = []
    row_width = 0.0
    for block in blocks:
        if rows and row_width + GAP_X + block.width <= width:
            rows[-1].append(block)
            row_width += GAP_X + block.width
        else:
            rows.append([block])
            row_width = block.width
    used_width = max((sum(b.width for b in row) + GAP_X * (len(row) - 1) for row in rows), default=0.0)
    y = 0.0
    for row in rows:
        row_width = sum(b.width for b in row) + GAP_X * (len(row) - 1)
        x = (used_width - row_width) / 2
        height = max(b.height for b in row)
        for block in row:
            block.dx, block.dy = x, y
            x += block.width + GAP_X
        y += height + ROW_GAP
    return used_width, max(0.0, y - ROW_GAP)


def _route_edges(dependencies: list[Dependency], boxes: dict[str, Box]) -> list[Edge]:
    """One curve per drawn kind of each dependency, leaving and entering boxes at spread-out ports."""
    wanted: list[tuple[str, Dependency]] = []
    for dependency in dependencies:
        if dependency.importer not in boxes or dependency.imported not in boxes:
            continue
        if dependency.illegal_imports:
            wanted.append((ILLEGAL, dependency))
        elif dependency.cycle_imports:
            wanted.append((CYCLE, dependency))
        elif dependency.imports > dependency.ignored_imports:
            wanted.append((LEGAL, dependency))
        if dependency.ignored_imports:
            wanted.append((IGNORED, dependency))

    rects = {name: box.rect for name, box in boxes.items()}
    centers = {name: rect.x + rect.width / 2 for name, rect in rects.items()}
    # Which side of each box an edge leaves or enters: downwards from the bottom, upwards from the
    # top, and within a row over the top.
    sides: list[tuple[bool, bool]] = []  # whether it leaves from the top, whether it enters at the top
    ports: dict[tuple[str, bool], list[tuple[float, int, int]]] = defaultdict(list)
    for position, (_, dependency) in enumerate(wanted):
        importer, imported = dependency.importer, dependency.imported
        source, target = rects[importer], rects[imported]
        if source.y + source.height <= target.y:
            leaves_top, enters_top = False, True
        elif target.y + target.height <= source.y:
            leaves_top, enters_top = True, False
        else:
            leaves_top, enters_top = True, True
        sides.append((leaves_top, enters_top))
        ports[(importer, leaves_top)].append((centers[imported], position, 0))
        ports[(imported, enters_top)].append((centers[importer], position, 1))

    # Spread the ports of a side along the box, in the order of the other ends, so curves do not cross there.
    anchor: dict[tuple[int, int], Point] = {}
    for (name, top), users in ports.items():
        rect = rects[name]
        users.sort()
        step = rect.width * 0.8 / (len(users) + 1)
        left = rect.x + rect.width * 0.1
        y = rect.y if top else rect.y + rect.height
        for number, (_, position, end) in enumerate(users, start=1):
            anchor[(position, end)] = (left + step * number, y)

    edges: list[Edge] = []
    for position, (kind, dependency) in enumerate(wanted):
        start, end = anchor[(position, 0)], anchor[(position, 1)]
        leaves_top, enters_top = sides[position]
        if leaves_top and enters_top:  # an arc over the row
            lift = 26.0 + 0.12 * abs(end[0] - start[0])
            first, second = (start[0], start[1] - lift), (end[0], end[1] - lift)
        else:
            bend = max(24.0, abs(end[1] - start[1]) * 0.45)
            direction = -1.0 if leaves_top else 1.0
            first = (start[0], start[1] + direction * bend)
            second = (end[0], end[1] - direction * bend)
        edges.append(Edge(kind, dependency, (start, first, second, end)))
    return edges


def illegal_width(imports: int) -> float:
    """Red edges grow with the number of illegal imports they stand for."""
    return min(9.0, 1.6 + 1.6 * math.log2(max(1, imports)))


def arrow_head(towards: Point, tip: Point) -> tuple[Point, Point, Point]:
    """The two ends of an arrow head's barbs around its tip, for a curve arriving from `towards`."""
    dx, dy = tip[0] - towards[0], tip[1] - towards[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    back_x, back_y = tip[0] - ux * ARROW_LENGTH, tip[1] - uy * ARROW_LENGTH
    half = ARROW_LENGTH * 0.55
    return (back_x - uy * half, back_y + ux * half), tip, (back_x + uy * half, back_y - ux * half)


def curve_point(curve: tuple[Point, Point, Point, Point], t: float) -> Point:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = curve
    u = 1 - t
    a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
    return a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3


class EdgeIndex:
    """Finds the edge nearest a point, through a grid of cells over the edges' control-point bounds
    (a cubic curve stays inside them), measuring against the curve sampled as a polyline.

    A cell learns its edges the first time it is asked: a long curve over a wide drawing touches
    hundreds of cells, and filling them all up front would cost more than the layout itself.
    """

    CELL = 160.0
    SAMPLES = 24

    def __init__(self, edges: list[Edge]) -> None:
        self._edges = edges
        self._bounds: list[tuple[float, float, float, float]] = []
        for edge in edges:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = edge.curve
            self._bounds.append((min(x0, x1, x2, x3), min(y0, y1, y2, y3), max(x0, x1, x2, x3), max(y0, y1, y2, y3)))
        self._cells: dict[tuple[int, int], list[int]] = {}
        self._polylines: dict[int, list[Point]] = {}

    def nearest(self, x: float, y: float, tolerance: float, kinds: Iterable[str] = EDGE_KINDS) -> Edge | None:
        """The edge of one of `kinds` closest to (x, y) within `tolerance`; ties go to the later kind."""
        wanted = {kind: rank for rank, kind in enumerate(kinds)}
        best: tuple[float, int, int] | None = None
        seen: set[int] = set()
        for cx in range(int((x - tolerance) // self.CELL), int((x + tolerance) // self.CELL) + 1):
            for cy in range(int((y - tolerance) // self.CELL), int((y + tolerance) // self.CELL) + 1):
                for number in self._cell(cx, cy):
                    if number in seen or self._edges[number].kind not in wanted:
                        continue
                    seen.add(number)
                    left, top, right, bottom = self._bounds[number]
                    if x < left - tolerance or x > right + tolerance or y < top - tolerance or y > bottom + tolerance:
                        continue
                    distance = self._distance(number, x, y)
                    if distance <= tolerance:
                        candidate = (distance, -wanted[self._edges[number].kind], number)
                        if best is None or candidate < best:
                            best = candidate
        return self._edges[best[2]] if best else None

    def count_in(self, left: float, top: float, right: float, bottom: float, limit: int) -> int:
        """How many edges have control-point bounds that meet the rectangle (an upper bound of
        those passing through it), counted up to just over `limit`."""
        found = 0
        for edge_left, edge_top, edge_right, edge_bottom in self._bounds:
            if edge_left <= right and edge_right >= left and edge_top <= bottom and edge_bottom >= top:
                found += 1
                if found > limit:
                    break
        return found

    def _cell(self, cx: int, cy: int) -> list[int]:
        numbers = self._cells.get((cx, cy))
        if numbers is None:
            left, top = cx * self.CELL, cy * self.CELL
            right, bottom = left + self.CELL, top + self.CELL
            numbers = [
                number
                for number, (edge_left, edge_top, edge_right, edge_bottom) in enumerate(self._bounds)
                if edge_left <= right and edge_right >= left and edge_top <= bottom and edge_bottom >= top
            ]
            self._cells[(cx, cy)] = numbers
        return numbers

    def _distance(self, number: int, x: float, y: float) -> float:
        points = self._polylines.get(number)
        if points is None:
            curve = self._edges[number].curve
            points = [curve_point(curve, step / self.SAMPLES) for step in range(self.SAMPLES + 1)]
            self._polylines[number] = points
        return min(_segment_distance(x, y, a, b) for a, b in zip(points, points[1:]))


def _segment_distance(x: float, y: float, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((x - a[0]) * dx + (y - a[1]) * dy) / length))
    return math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy))
