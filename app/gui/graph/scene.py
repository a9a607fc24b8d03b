"""The architecture scene: the layout of a dependency map as items, what is expanded, and what
the selection and the violations mean on it; against a baseline, what is new on it too, and (when
coloured by age) how old each box's modules are."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QWidget

from app.gui.graph.ages import AgeScale, BoxAge, age_scale
from app.gui.graph.items import (
    BandItem,
    BoundaryItem,
    BoxItem,
    EdgesItem,
    FocusItem,
    FrameItem,
    HighlightItem,
    NewEdgesItem,
    OverviewItem,
    PublicMarkItem,
    label_font,
    style_for,
)
from app.gui.theme import current_theme
from core.architecture import DependencyMap
from core.contracts.code import matches
from core.expressions import name_and_ancestors
from core.layout import (
    CYCLE,
    EDGE_KINDS,
    ILLEGAL,
    ArchitectureLayout,
    Edge,
    EdgeIndex,
    layout_architecture,
)
from core.model import CheckResult, Violation
from core.rules.common import RuleOptions
from core.rules.interface import Options as InterfaceOptions

# Above this many boxes, a scene seen from far out draws them all through one overview item.
OVERVIEW_MIN_BOXES = 600
SCENE_MARGIN = 40.0
EXAMPLE_IMPORTS = 6  # module-level imports a tooltip lists
COLOUR_BY = ("layer", "age")  # what the boxes are coloured by: their kind in the layers, or their age


class ArchitectureScene(QGraphicsScene):
    rebuilt = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.dependency_map: DependencyMap | None = None
        self.result: CheckResult | None = None
        self.rule: str | None = None
        self.colour_by = "layer"
        self.ages: AgeScale | None = None  # coloured by age, the modules' ages
        self.box_ages: dict[str, BoxAge] = {}
        self.expanded: set[str] = set()
        self.layout: ArchitectureLayout | None = None
        self.boxes: dict[str, BoxItem] = {}
        self.frames: dict[str, FrameItem] = {}
        self.band_items: list[BandItem] = []
        self.edge_items: dict[str, EdgesItem] = {}
        # Interface rules' boundaries (package -> public module expressions), drawn as framed groups.
        self.boundaries: dict[str, tuple[str, ...]] = {}
        self.boundary_items: dict[str, BoundaryItem] = {}
        self.public_marks: dict[str, PublicMarkItem] = {}
        self.highlight: HighlightItem | None = None
        self.overview: OverviewItem | None = None
        self.overview_shown = False
        self.new_edges_items: list[NewEdgesItem] = []
        self.focus_item: FocusItem | None = None
        self._focus_modules: frozenset[str] = frozenset()
        self._focus_violations: tuple[Violation, ...] = ()
        self._edge_index = EdgeIndex([])
        self._edges_of_pair: dict[tuple[str, str], list[Edge]] = defaultdict(list)
        self._dependencies_of: dict[str, list] = defaultdict(list)
        self._violations_of_pair: dict[tuple[str, str], list[Violation]] = defaultdict(list)
        self._coverage_of_box: dict[str, list[Violation]] = defaultdict(list)
        self._shown_violation: Violation | None = None
        metrics = QFontMetricsF(label_font(bold=True))
        self._text_width = metrics.horizontalAdvance
        self.selectionChanged.connect(self._on_selection_changed)

    # Input.

    def set_analysis(self, result: CheckResult | None, dependency_map: DependencyMap | None) -> None:
        """Draw a new result; expanded packages that still exist stay expanded."""
        self.result = result
        self.dependency_map = dependency_map
        if dependency_map is not None:
            self.expanded = {name for name in self.expanded if dependency_map.children(name)}
        self.rebuild()

    def set_rule(self, rule: str | None) -> None:
        if rule != self.rule:
            self.rule = rule
            self.rebuild()

    def set_colour_by(self, colour_by: str) -> None:
        """Colour the boxes by their kind in the layers ("layer") or by their age ("age")."""
        if colour_by not in COLOUR_BY:
            raise ValueError(f"colour by one of {COLOUR_BY}, not {colour_by!r}")
        if colour_by != self.colour_by:
            self.colour_by = colour_by
            self.rebuild()

    def toggle(self, name: str) -> bool:
        """Expand a collapsed package or collapse an expanded one; False if `name` is neither."""
        if self.layout is None:
            return False
        if name in self.frames:
            self.expanded.discard(name)
        elif name in self.boxes and self.boxes[name].box.package:
            self.expanded.add(name)
        else:
            return False
        self.rebuild()
        return True

    def reveal(self, module: str) -> QGraphicsItem | None:
        """Expand the packages holding `module` so that it has a box (or a frame) of its own; returns it."""
        if self.layout is None or self.dependency_map is None or self.dependency_map.module_count(module) == 0:
            return None
        missing = [a for a in name_and_ancestors(module)[1:] if a not in self.layout.expanded]
        if missing:
            self.expanded.update(missing)
            self.rebuild()
        return self.frames.get(module) or self.boxes.get(module)

    # Building.

    def rebuild(self) -> None:
        selected = [item.name for item in self.selectedItems() if isinstance(item, BoxItem | FrameItem)]
        highlighted = [(edge.importer, edge.imported) for edge in self.highlight.edges] if self.highlight else []
        self.blockSignals(True)
        self.clear()
        self.blockSignals(False)
        self.boxes, self.frames, self.band_items, self.edge_items = {}, {}, [], {}
        self.boundary_items, self.public_marks = {}, {}
        self.highlight = self.overview = None
        self.new_edges_items = []
        self.focus_item = None
        self.overview_shown = False
        self._edges_of_pair.clear()
        self._dependencies_of.clear()
        self._violations_of_pair.clear()
        self._coverage_of_box.clear()
        if self.dependency_map is None:
            self.layout = None
            self._edge_index = EdgeIndex([])
            self.setSceneRect(QRectF())
            self.rebuilt.emit()
            return

        layout = layout_architecture(
            self.dependency_map, rule=self.rule, expanded=self.expanded, text_width=self._text_width
        )
        self.layout = layout
        style = style_for(current_theme())
        for number, band in enumerate(layout.bands):
            item = BandItem(band, style, alternate=number % 2 == 1)
            self.addItem(item)
            self.band_items.append(item)
        for name, frame in layout.frames.items():
            item = FrameItem(frame, style)
            self.addItem(item)
            self.frames[name] = item
        added = self._added_per_box()
        by_age = self.colour_by == "age"
        self._measure_ages()
        for name, box in layout.boxes.items():
            item = BoxItem(box, style, added.get(name, 0), self.box_ages.get(name), by_age)
            self.addItem(item)
            self.boxes[name] = item
        self._draw_boundaries(style)
        by_kind: dict[str, list[Edge]] = {kind: [] for kind in EDGE_KINDS}
        for edge in layout.edges:
            by_kind[edge.kind].append(edge)
            self._edges_of_pair[(edge.importer, edge.imported)].append(edge)
        for kind, edges in by_kind.items():
            item = EdgesItem(kind, edges, style)
            self.addItem(item)
            self.edge_items[kind] = item
        for dependency in layout.dependencies:
            self._dependencies_of[dependency.importer].append(dependency)
            self._dependencies_of[dependency.imported].append(dependency)
        self._edge_index = EdgeIndex(layout.edges)
        self.highlight = HighlightItem(style)
        self.addItem(self.highlight)
        bounds = QRectF(0, 0, layout.width, layout.height)
        if len(self.boxes) > OVERVIEW_MIN_BOXES:
            self.overview = OverviewItem(list(self.boxes.values()), style, bounds)
            self.overview.setVisible(False)
            self.addItem(self.overview)
        self.setSceneRect(bounds.adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN))
        self._index_violations()
        new_edges = self.new_edges()
        self.new_edges_items = [NewEdgesItem(new_edges, style, halo) for halo in (True, False)]
        for item in self.new_edges_items:
            self.addItem(item)
        self.focus_item = FocusItem(style)
        self.addItem(self.focus_item)
        self._draw_focus()

        if self._shown_violation is not None:
            self._highlight_violation(self._shown_violation)
        else:
            self.blockSignals(True)
            for name in selected:
                item = self.frames.get(name) or self.boxes.get(name)
                if item is not None:
                    item.setSelected(True)
            self.blockSignals(False)
            self.highlight.set_edges([e for pair in highlighted for e in self._edges_of_pair.get(pair, [])])
        self._on_selection_changed()
        self.rebuilt.emit()

    def _draw_boundaries(self, style) -> None:
        for boundary, public in self.boundaries.items():
            shown = self.frames.get(boundary) or self.boxes.get(boundary)
            if shown is not None:
                item = BoundaryItem(boundary, shown.boundingRect().adjusted(2, 2, -2, -2), style)
                self.addItem(item)
                self.boundary_items[boundary] = item
            for name, box in self.boxes.items():
                if name.startswith(boundary + ".") and is_public(name, public):
                    mark = PublicMarkItem(name, box.boundingRect().adjusted(2, 2, -2, -2), style)
                    self.addItem(mark)
                    self.public_marks[name] = mark

    def _index_violations(self) -> None:
        if self.result is None or self.layout is None:
            return
        for violation in self.result.violations:
            if self.rule is not None and violation.rule != self.rule:
                continue
            if violation.type == "coverage" and violation.importer:
                box = self.layout.box_for(violation.importer)
                if box is not None:
                    self._coverage_of_box[box].append(violation)
            for pair in self._pairs_of(violation):
                if violation not in self._violations_of_pair[pair]:
                    self._violations_of_pair[pair].append(violation)

    def _measure_ages(self) -> None:
        """Coloured by age, the ages of the modules and of each box (none without provenance)."""
        self.ages, self.box_ages = None, {}
        if self.colour_by != "age" or self.result is None or self.layout is None:
            return
        provenance = self.result.module_provenance
        self.ages = age_scale(provenance)
        self.box_ages = self.ages.box_ages(self.layout.boxes, self.layout.box_for, provenance)

    def _added_per_box(self) -> Counter[str]:
        """How many modules added since the baseline each box holds."""
        added: Counter[str] = Counter()
        if self.result is None or self.result.drift is None or self.layout is None:
            return added
        for module in self.result.drift.modules_added:
            box = self.layout.box_for(module)
            if box is not None:
                added[box] += 1
        return added

    def _pairs_of(self, violation: Violation) -> list[tuple[str, str]]:
        assert self.layout is not None
        pairs: list[tuple[str, str]] = []
        for chain in violation.chains:
            for link in chain:
                importer, imported = self.layout.box_for(link.importer), self.layout.box_for(link.imported)
                if importer and imported and importer != imported and (importer, imported) not in pairs:
                    pairs.append((importer, imported))
        return pairs

    # Questions.

    def item_for(self, name: str) -> BoxItem | FrameItem | None:
        """The frame of an expanded package, or the box that holds `name`."""
        if self.layout is None:
            return None
        if name in self.frames:
            return self.frames[name]
        box = self.layout.box_for(name)
        return self.boxes.get(box) if box else None

    def edges(self, kind: str | None = None) -> list[Edge]:
        if self.layout is None:
            return []
        return [edge for edge in self.layout.edges if kind is None or edge.kind == kind]

    def edge_at(self, point: QPointF, tolerance: float) -> Edge | None:
        return self._edge_index.nearest(point.x(), point.y(), tolerance)

    def edges_in(self, rect: QRectF, limit: int) -> int:
        """About how many edges pass through `rect` (at most this many), counted up to just over `limit`."""
        return self._edge_index.count_in(rect.left(), rect.top(), rect.right(), rect.bottom(), limit)

    def node_at(self, point: QPointF) -> BoxItem | FrameItem | None:
        if self.overview_shown and self.layout is not None:
            # Qt does not pick the transparent boxes of the overview.
            name = self.layout.box_at(point.x(), point.y())
            if name is not None:
                return self.boxes[name]
        for item in self.items(point):
            if isinstance(item, BoxItem | FrameItem):
                return item
        return None

    def violations_on(self, edge: Edge) -> list[Violation]:
        """The violations whose import chains run along a red or violet edge."""
        found = self._violations_of_pair.get((edge.importer, edge.imported), [])
        if edge.kind == ILLEGAL:
            return [v for v in found if v.type != "acyclic"]
        if edge.kind == CYCLE:
            return [v for v in found if v.type == "acyclic"]
        return []

    def coverage_violations(self, box: str) -> list[Violation]:
        return self._coverage_of_box.get(box, [])

    def new_edges(self) -> list[Edge]:
        """The red and violet edges carrying a violation that is new since the baseline."""
        if self.layout is None:
            return []
        return [
            edge
            for edge in self.layout.edges
            if edge.kind in (ILLEGAL, CYCLE) and any(v.status == "new" for v in self.violations_on(edge))
        ]

    # What one commit brought (picked on the timeline).

    def set_focus(self, modules: Iterable[str] = (), violations: Iterable[Violation] = ()) -> None:
        """Mark the boxes of `modules` and the edges and boxes of `violations`; called with neither, clear the marks."""
        self._focus_modules = frozenset(modules)
        self._focus_violations = tuple(violations)
        self._draw_focus()

    def focused_boxes(self) -> list[str]:
        """The names of the boxes the focus marks."""
        if self.layout is None:
            return []
        names = {self.layout.box_for(module) for module in self._focus_modules}
        for violation in self._focus_violations:
            names.update(self.layout.box_for(name) for name in (violation.importer, violation.imported) if name)
            for pair in self._pairs_of(violation):
                names.update(pair)
        return sorted(name for name in names if name is not None and name in self.boxes)

    def focused_edges(self) -> list[Edge]:
        edges: list[Edge] = []
        for violation in self._focus_violations:
            kinds = (CYCLE,) if violation.type == "acyclic" else (ILLEGAL,)
            for pair in self._pairs_of(violation):
                edges += [e for e in self._edges_of_pair.get(pair, []) if e.kind in kinds and e not in edges]
        return edges

    def _draw_focus(self) -> None:
        if self.focus_item is not None:
            rects = [self.boxes[name].sceneBoundingRect().adjusted(2, 2, -2, -2) for name in self.focused_boxes()]
            self.focus_item.set_focus(rects, self.focused_edges())

    # Selection and highlighting.

    def show_violation(self, violation: Violation | None) -> QRectF:
        """Select the importer and imported of a violation and light up its edges; returns the area shown."""
        self._shown_violation = violation
        self.blockSignals(True)
        self.clearSelection()
        self.blockSignals(False)
        area = self._highlight_violation(violation)
        self._on_selection_changed()
        return area

    def _highlight_violation(self, violation: Violation | None) -> QRectF:
        if self.highlight is None:
            return QRectF()
        if violation is None:
            self.highlight.set_edges([])
            return QRectF()
        names = [name for name in (violation.importer, violation.imported) if name]
        items = [item for item in (self.item_for(name) for name in names) if item is not None]
        kinds = (CYCLE, ILLEGAL) if violation.type == "acyclic" else (ILLEGAL, CYCLE)
        edges: list[Edge] = []
        for pair in self._pairs_of(violation):
            on_pair = self._edges_of_pair.get(pair, [])
            preferred = [e for e in on_pair if e.kind in kinds]
            edges += preferred or on_pair
            items += [item for item in (self.boxes.get(pair[0]), self.boxes.get(pair[1])) if item is not None]
        self.blockSignals(True)
        for item in items:
            item.setSelected(True)
        self.blockSignals(False)
        self.highlight.set_edges(edges)
        area = QRectF()
        for item in items:
            area = area.united(item.sceneBoundingRect())
        for edge in edges:
            area = area.united(qrect_of_curve(edge))
        return area

    def highlight_edge(self, edge: Edge | None) -> None:
        """Light up one edge and select its two boxes (a click on an edge)."""
        self._shown_violation = None
        self.blockSignals(True)
        self.clearSelection()
        if edge is not None:
            for name in (edge.importer, edge.imported):
                if name in self.boxes:
                    self.boxes[name].setSelected(True)
        self.blockSignals(False)
        if self.highlight is not None:
            self.highlight.set_edges([edge] if edge else [])
        self._on_selection_changed()

    def select_only(self, item: QGraphicsItem | None) -> None:
        self._shown_violation = None
        self.blockSignals(True)
        self.clearSelection()
        if item is not None:
            item.setSelected(True)
        self.blockSignals(False)
        if self.highlight is not None:
            self.highlight.set_edges([])
        self._on_selection_changed()

    def _on_selection_changed(self) -> None:
        if self.overview is not None:
            self.overview.set_selected([item.box for item in self.selectedItems() if isinstance(item, BoxItem)])

    def set_overview(self, shown: bool) -> None:
        """Draw all boxes through the overview item (far out) or each through its own item.

        Box items are made fully transparent rather than hidden: Qt then skips painting them, yet
        they can still be clicked and selected.
        """
        if self.overview is None or shown == self.overview_shown:
            return
        self.overview_shown = shown
        for item in self.boxes.values():
            item.setOpacity(0.0 if shown else 1.0)
        self.overview.setVisible(shown)

    # Tooltips.

    def tooltip_at(self, point: QPointF, tolerance: float) -> str:
        node = self.node_at(point)
        if isinstance(node, BoxItem):
            return self.describe_box(node.name)
        edge = self.edge_at(point, tolerance)
        if edge is not None:
            return self.describe_edge(edge)
        if isinstance(node, FrameItem):
            frame = node.frame
            text = f"{frame.name}\nexpanded package · {_count(frame.modules, 'module')}"
            if frame.uncovered:
                text += f"\n{_count(frame.uncovered, 'module')} outside the declared architecture"
            return text + "\nDouble-click to collapse"
        for band in self.band_items:
            if band.boundingRect().contains(point):
                return f"{band.band.title}\n{band.note}"
        return ""

    def describe_box(self, name: str) -> str:
        box = self.boxes[name].box
        kind = "package" if box.package else "module"
        if box.own_module:
            kind = "the package's own module (__init__)"
        lines = [name, f"{kind} · {_count(box.modules, 'module')}" if box.package else kind]
        outgoing = [d for d in self._dependencies_of.get(name, []) if d.importer == name]
        incoming = [d for d in self._dependencies_of.get(name, []) if d.imported == name]
        lines.append(
            f"imports {_count(len(outgoing), 'box', 'boxes')} ({_count(sum(d.imports for d in outgoing), 'import')}), "
            f"imported by {len(incoming)} ({_count(sum(d.imports for d in incoming), 'import')})"
        )
        illegal = sum(d.illegal_imports for d in outgoing) + sum(d.illegal_imports for d in incoming)
        if illegal:
            lines.append(f"{_count(illegal, 'import')} that break{'s' if illegal == 1 else ''} a rule")
        ignored = sum(d.ignored_imports for d in outgoing) + sum(d.ignored_imports for d in incoming)
        if ignored:
            lines.append(f"{_count(ignored, 'import')} excluded by ignore_imports")
        if box.uncovered:
            lines.append(f"{_count(box.uncovered, 'module')} outside the declared architecture")
        lines += self._describe_added(name)
        lines += self._describe_age(name)
        if box.package:
            lines.append("Double-click to expand")
        return "\n".join(lines)

    def describe_edge(self, edge: Edge) -> str:
        dependency = edge.dependency
        lines = [f"{dependency.importer} → {dependency.imported}", _count(dependency.imports, "import")]
        if dependency.illegal_imports:
            lines.append(f"{dependency.illegal_imports} break{'s' if dependency.illegal_imports == 1 else ''} "
                         f"{', '.join(dependency.rules)}")
        if dependency.cycle_imports:
            lines.append(f"{dependency.cycle_imports} in an import cycle")
        if dependency.ignored_imports:
            lines.append(f"{_count(dependency.ignored_imports, 'import')} excluded by ignore_imports "
                         "(right-click to list them)")
        assert self.dependency_map is not None
        imports = self.dependency_map.imports_between(dependency.importer, dependency.imported)
        lines += [f"  {importer} → {imported}" for importer, imported, _ in imports[:EXAMPLE_IMPORTS]]
        if len(imports) > EXAMPLE_IMPORTS:
            lines.append(f"  … and {len(imports) - EXAMPLE_IMPORTS} more")
        violations = self.violations_on(edge)
        new = sum(v.status == "new" for v in violations)
        if new:
            lines.insert(1, f"{_count(new, 'violation')} new since the baseline")
        if violations:
            lines.append("Click to select its violation")
        return "\n".join(lines)

    def _describe_added(self, name: str) -> list[str]:
        item = self.boxes[name]
        if not item.added or self.result is None:
            return []
        if item.box.package:
            return [f"{_count(item.added, 'module')} added since the baseline"]
        origin = self.result.module_provenance.get(item.box.name)
        if origin is None:
            return ["added since the baseline"]
        if origin.commit is None:
            return ["added since the baseline, not committed yet"]
        who = f" by {origin.author}" if origin.author else ""
        assisted = " (AI-assisted)" if origin.generated else ""
        return [f"added since the baseline in {origin.commit[:7]}{who}{assisted}"]


    def _describe_age(self, name: str) -> list[str]:
        if self.colour_by != "age":
            return []
        age = self.box_ages.get(name)
        if age is None:
            return ["age unknown: no commit added its modules (choose a git baseline)"]
        origin = age.provenance
        newest = f"newest module {age.newest}: " if self.boxes[name].box.package else ""
        if origin.commit is None:
            lines = [f"{newest}{origin.note}"]
        else:
            who = f" by {origin.author}" if origin.author else ""
            lines = [f"{newest}added {(origin.date or '')[:10]} in {origin.commit[:7]}{who}"]
        if age.generated:
            signals = "; ".join(origin.signals) if origin.generated else ""
            lines.append(
                f"{_count(len(age.generated), 'module')} from AI-assisted commits"
                + (f" ({signals})" if signals else "")
            )
        return lines


def interface_boundaries(rules: Sequence[RuleOptions]) -> dict[str, tuple[str, ...]]:
    """The boundaries of the interface rules and the public modules of each."""
    boundaries: dict[str, tuple[str, ...]] = {}
    for rule in rules:
        if isinstance(rule, InterfaceOptions):
            boundaries[rule.boundary] = (*boundaries.get(rule.boundary, ()), *rule.public)
    return boundaries


def is_public(module: str, public: Sequence[str]) -> bool:
    """Whether `module` is one of the public modules or inside one."""
    return any(matches(expression, name) for name in name_and_ancestors(module) for expression in public)


def qrect_of_curve(edge: Edge) -> QRectF:
    xs = [p[0] for p in edge.curve]
    ys = [p[1] for p in edge.curve]
    return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"

