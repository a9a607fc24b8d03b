"""The architecture view: the scene in a zoomable, pannable view, with a module search box.

Zoom with the wheel, pan by dragging the background, fit with the button; click a box to select
it, double-click a package to expand or collapse it, click an edge to select its violation;
right-click lists the imports behind an edge, including those `ignore_imports` hides.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QStringListModel, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QGraphicsView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QToolTip,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.graph.items import LOD_OUTLINE, BoxItem, FrameItem, GraphStyle, age_colour, style_for
from app.gui.graph.scene import ArchitectureScene, interface_boundaries
from app.gui.theme import current_theme
from core.architecture import DependencyMap
from core.check import Analysis
from core.layout import Edge
from core.model import Violation

ZOOM_STEP = 1.25
MAX_SCALE = 4.0
ANTIALIAS_SCALE = 0.75  # antialiasing costs time far out, where it shows little
ANTIALIAS_MAX_EDGES = 300  # nor is it worth a slow frame when this many edges are in sight
CROWDED_EDGES = 1500  # with more in sight, grey edges are drawn as straight lines
PICK_TOLERANCE = 6.0  # device pixels around an edge that still pick it


class GraphicsView(QGraphicsView):
    """The scene's view: wheel zoom under the mouse, hand-drag pan, edge picking and tooltips."""

    edge_clicked = Signal(object)  # Edge
    node_clicked = Signal(object)  # BoxItem or FrameItem, None on the background
    node_double_clicked = Signal(str)
    context_requested = Signal(QPointF, QPoint)  # scene position, global position

    def __init__(self, scene: ArchitectureScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.architecture = scene
        self.setObjectName("architecture-view")
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        self.setMouseTracking(True)
        self._press: QPoint | None = None

    @property
    def scale_factor(self) -> float:
        return self.transform().m11()

    def scene_tolerance(self) -> float:
        return PICK_TOLERANCE / max(self.scale_factor, 1e-6)

    def zoom_by(self, factor: float, anchor: QPoint | None = None) -> None:
        target = max(self.minimum_scale(), min(MAX_SCALE, self.scale_factor * factor))
        if target == self.scale_factor:
            return
        if anchor is None:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        factor = target / self.scale_factor
        self.scale(factor, factor)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.after_transform()

    def minimum_scale(self) -> float:
        """Far enough out to see the whole scene twice over."""
        rect = self.sceneRect()
        if rect.isEmpty():
            return 0.01
        viewport = self.viewport().rect()
        return min(1.0, viewport.width() / rect.width() / 2, viewport.height() / rect.height() / 2)

    def fit(self) -> None:
        rect = self.sceneRect()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            if self.scale_factor > 1.0:
                self.resetTransform()
                self.centerOn(rect.center())
        self.after_transform()

    def after_transform(self) -> None:
        scale = self.scale_factor
        in_sight = self.architecture.edges_in(self.mapToScene(self.viewport().rect()).boundingRect(), CROWDED_EDGES)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, scale >= ANTIALIAS_SCALE and in_sight <= ANTIALIAS_MAX_EDGES)
        for item in self.architecture.edge_items.values():
            item.set_crowded(in_sight > CROWDED_EDGES)
        self.architecture.set_overview(scale < LOD_OUTLINE)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y()
        if delta:
            self.zoom_by(ZOOM_STEP ** (delta / 120), event.position().toPoint())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint() if event.button() == Qt.MouseButton.LeftButton else None
        if self._press is not None:
            point = self.mapToScene(self._press)
            if not isinstance(self.architecture.node_at(point), BoxItem):
                edge = self.architecture.edge_at(point, self.scene_tolerance())
                if edge is not None:
                    self._press = None
                    self.edge_clicked.emit(edge)
                    event.accept()
                    return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, self._press = self._press, None
        super().mouseReleaseEvent(event)
        if press is not None and (event.position().toPoint() - press).manhattanLength() < QGuiApplication.styleHints().startDragDistance():
            node = self.architecture.node_at(self.mapToScene(press))
            if isinstance(node, BoxItem) and self.architecture.overview_shown:
                self.architecture.select_only(node)  # Qt itself does not pick the overview's transparent boxes
            self.node_clicked.emit(node)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        node = self.architecture.node_at(self.mapToScene(event.position().toPoint()))
        if event.button() == Qt.MouseButton.LeftButton and node is not None:
            # Not handed to the scene: expanding rebuilds it, deleting the item under the mouse.
            event.accept()
            self.node_double_clicked.emit(node.name)
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.context_requested.emit(self.mapToScene(event.pos()), event.globalPos())

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.architecture.tooltip_at(self.mapToScene(event.pos()), self.scene_tolerance())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.after_transform()


class ImportsDialog(QDialog):
    """The module-level imports behind an edge or a box, with the rule that ignores each."""

    def __init__(self, title: str, rows: list[tuple[str, str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("imports-dialog")
        self.resize(760, 360)
        heading = QLabel(title, self)
        heading.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(["Importer", "Imported", "Where", "Ignored by"])
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.addTopLevelItems([QTreeWidgetItem(list(row)) for row in rows])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, ...]]:
        return [
            tuple(self.tree.topLevelItem(row).text(column) for column in range(self.tree.columnCount()))
            for row in range(self.tree.topLevelItemCount())
        ]


class ArchitectureView(QWidget):
    """The layers, packages and dependencies of the analysed project, kept in step with the table."""

    violation_clicked = Signal(str)  # the fingerprint of a violation picked on the drawing

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("architecture")
        self.scene = ArchitectureScene(self)
        self.view = GraphicsView(self.scene, self)
        self._fit_pending = True
        self._project: str | None = None
        self.dialogs: list[ImportsDialog] = []

        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("module-search")
        self.search_box.setPlaceholderText("Go to module…")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setToolTip("Type a module name and press Enter to centre and select it, expanding packages as needed")
        self._modules = QStringListModel(self)
        completer = QCompleter(self._modules, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setMaxVisibleItems(12)
        completer.activated.connect(self.find_module)
        self.search_box.setCompleter(completer)
        self.search_box.returnPressed.connect(lambda: self.find_module(self.search_box.text()))

        self.fit_button = QToolButton(self)
        self.fit_button.setText("Fit")
        self.fit_button.setToolTip("Show the whole drawing (Ctrl+0)")
        self.fit_button.clicked.connect(self.fit)
        self.message = QLabel(self)
        self.message.setObjectName("architecture-message")
        self.legend = QLabel(self)
        self.legend.setObjectName("legend")

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.search_box, 2)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.message, 1)
        bar.addWidget(self.legend)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        # A new drawing may need the overview, or fewer antialiased edges, at the current zoom.
        self.scene.rebuilt.connect(self.view.after_transform)
        self.view.edge_clicked.connect(self._on_edge_clicked)
        self.view.node_clicked.connect(self._on_node_clicked)
        self.view.node_double_clicked.connect(self.toggle)
        self.view.context_requested.connect(self._show_context_menu)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._restyle)
        self._restyle()

    # Input from the window.

    def set_analysis(self, analysis: Analysis | None, dependency_map: DependencyMap | None) -> None:
        """Draw an analysed project; a new project is fitted to the window, a re-analysis keeps the view."""
        project = analysis.result.project.root if analysis else None
        if project != self._project:
            self._project = project
            self.scene.expanded.clear()
            self._fit_pending = True
        self.scene.boundaries = interface_boundaries(analysis.config.config.rules) if analysis else {}
        self.scene.set_analysis(analysis.result if analysis else None, dependency_map)
        self._update_legend()
        self._modules.setStringList(sorted(dependency_map.modules) if dependency_map else [])
        if analysis is None:
            self.message.setText("No architecture to draw")
        elif not dependency_map or not dependency_map.bands:
            self.message.setText("No layers rule: modules are drawn by package")
        else:
            self.message.setText("")
        if self._fit_pending and self.view.isVisible():
            self.fit()

    def set_rule(self, rule: str | None) -> None:
        self.scene.set_rule(rule)

    def set_colour_by(self, colour_by: str) -> None:
        """Colour the boxes by their kind in the layers ("layer") or by their modules' age ("age")."""
        self.scene.set_colour_by(colour_by)
        self._update_legend()

    def show_violation(self, violation: Violation | None) -> None:
        area = self.scene.show_violation(violation)
        if not area.isEmpty():
            visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
            if not visible.contains(area):
                self.view.centerOn(area.center())

    # Commands.

    def fit(self) -> None:
        self._fit_pending = False
        self.view.fit()

    def zoom_in(self) -> None:
        self.view.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.view.zoom_by(1 / ZOOM_STEP)

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def toggle(self, name: str) -> bool:
        """Expand or collapse a package, keeping it where it was on screen."""
        item = self.scene.frames.get(name) or self.scene.boxes.get(name)
        if item is None:
            return False
        before = self.view.mapFromScene(item.sceneBoundingRect().topLeft())
        if not self.scene.toggle(name):
            return False
        after = self.scene.frames.get(name) or self.scene.boxes.get(name)
        if after is not None:
            self._keep_on_screen(after.sceneBoundingRect().topLeft(), before)
        return True

    def find_module(self, text: str) -> bool:
        """Centre on and select the module named by `text` (its full name, or the end or part of one)."""
        module = self._match(text.strip())
        if module is None:
            self.message.setText(f"No module matches “{text.strip()}”" if text.strip() else "")
            return False
        item = self.scene.reveal(module)
        if item is None:
            self.message.setText(f"{module} is not drawn")
            return False
        self.message.setText("")
        self.scene.select_only(item)
        if self.view.scale_factor < 0.8:
            self.view.resetTransform()
            self.view.after_transform()
        self.view.centerOn(item.sceneBoundingRect().center())
        return True

    def list_imports(self, importer: str, imported: str, ignored_only: bool = False) -> ImportsDialog:
        """Open a list of the module-level imports between two boxes (only the ignored ones, if asked)."""
        dependency_map = self.scene.dependency_map
        assert dependency_map is not None
        ignored = dependency_map.ignored_imports(importer, imported, rule=self.scene.rule)
        rows = [_ignored_row(rule, item) for rule, item in ignored]
        if ignored_only:
            title = f"Imports from {importer} to {imported} excluded by ignore_imports"
        else:
            ignored_pairs = {(item.importer, item.imported) for _, item in ignored}
            rows += [
                (a, b, "", "")
                for a, b, _ in dependency_map.imports_between(importer, imported)
                if (a, b) not in ignored_pairs
            ]
            rows.sort()
            title = f"Imports from {importer} to {imported}"
        return self._open_dialog(title, rows)

    def list_all_ignored(self) -> ImportsDialog:
        dependency_map = self.scene.dependency_map
        assert dependency_map is not None
        rows = [_ignored_row(rule, item) for rule, item in dependency_map.ignored_imports(rule=self.scene.rule)]
        return self._open_dialog("Every import excluded by ignore_imports", rows)

    def menu_at(self, point: QPointF) -> QMenu:
        """The context menu for a point of the scene."""
        menu = QMenu(self)
        node = self.scene.node_at(point)
        edge = None if isinstance(node, BoxItem) else self.scene.edge_at(point, self.view.scene_tolerance())
        if edge is not None:
            dependency = edge.dependency
            menu.addAction(
                f"List the {dependency.imports} import{'s' if dependency.imports != 1 else ''}…",
                lambda: self.list_imports(dependency.importer, dependency.imported),
            )
            if dependency.ignored_imports:
                menu.addAction(
                    f"List the {dependency.ignored_imports} ignored import{'s' if dependency.ignored_imports != 1 else ''}…",
                    lambda: self.list_imports(dependency.importer, dependency.imported, ignored_only=True),
                )
            if self.scene.violations_on(edge):
                menu.addAction("Select Its Violation", lambda: self._on_edge_clicked(edge))
            menu.addSeparator()
        elif isinstance(node, BoxItem) and node.box.package:
            name = node.name
            menu.addAction("Expand", lambda: self.toggle(name))
            menu.addSeparator()
        elif isinstance(node, FrameItem):
            name = node.name
            menu.addAction("Collapse", lambda: self.toggle(name))
            menu.addSeparator()
        ignored = len(self.scene.dependency_map.ignored_imports(rule=self.scene.rule)) if self.scene.dependency_map else 0
        action = menu.addAction(f"List Every Ignored Import ({ignored})…", self.list_all_ignored)
        action.setEnabled(bool(ignored))
        menu.addAction("Fit to Window", self.fit)
        return menu

    # Reacting.

    def _on_edge_clicked(self, edge: Edge) -> None:
        self.scene.highlight_edge(edge)
        violations = self.scene.violations_on(edge)
        if violations:
            self.violation_clicked.emit(violations[0].fingerprint)

    def _on_node_clicked(self, node: BoxItem | FrameItem | None) -> None:
        if isinstance(node, BoxItem) and node.box.uncovered:
            found = self.scene.coverage_violations(node.name)
            if found:
                self.violation_clicked.emit(found[0].fingerprint)

    def _show_context_menu(self, point: QPointF, global_position: QPoint) -> None:
        self.menu_at(point).exec(global_position)

    def _open_dialog(self, title: str, rows: list[tuple[str, str, str, str]]) -> ImportsDialog:
        dialog = ImportsDialog(title, rows, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: self.dialogs.remove(dialog) if dialog in self.dialogs else None)
        self.dialogs.append(dialog)
        dialog.show()
        return dialog

    def _keep_on_screen(self, scene_point: QPointF, view_point: QPoint) -> None:
        now = self.view.mapFromScene(scene_point)
        shift = now - view_point
        self.view.horizontalScrollBar().setValue(self.view.horizontalScrollBar().value() + shift.x())
        self.view.verticalScrollBar().setValue(self.view.verticalScrollBar().value() + shift.y())

    def _match(self, text: str) -> str | None:
        dependency_map = self.scene.dependency_map
        if not text or dependency_map is None:
            return None
        if text in dependency_map.modules:
            return text
        lowered = text.casefold()
        ends = sorted(m for m in dependency_map.modules if m.casefold().endswith("." + lowered))
        if ends:
            return min(ends, key=len)
        contains = [m for m in dependency_map.modules if lowered in m.casefold()]
        return min(contains, key=lambda m: (len(m), m)) if contains else None

    def _restyle(self, _scheme: Qt.ColorScheme | None = None) -> None:
        self.view.setBackgroundBrush(self.palette().base())
        self._update_legend()
        if self.scene.layout is not None:
            self.scene.rebuild()

    def _update_legend(self) -> None:
        style = style_for(current_theme())
        against_baseline = (
            f'<span style="color:{style.new_edge}">━<b>NEW</b></span> new since the baseline&nbsp;&nbsp;'
            f'<span style="color:{style.added}">▌</span> added module&nbsp;&nbsp;'
            if self.scene.result is not None and self.scene.result.baseline is not None
            else ""
        )
        marks = (
            f'<span style="color:{style.legal}">━</span> allowed&nbsp;&nbsp;'
            f'<span style="color:{style.illegal}">━━</span> breaks a rule&nbsp;&nbsp;'
            + against_baseline
            + f'<span style="color:{style.cycle}">━●</span> cycle&nbsp;&nbsp;'
            f'<span style="color:{style.ignored}">╌╌</span> ignored&nbsp;&nbsp;'
            f'<span style="color:{style.uncovered_border}">■</span> outside the architecture'
        )
        self.legend.setText(marks + (f"<br>{self._age_legend(style)}" if self.scene.colour_by == "age" else ""))

    def _age_legend(self, style: GraphStyle) -> str:
        """Coloured by age: the scale from the oldest to the newest module's commit, and the hatching."""
        ages = self.scene.ages
        if ages is None or ages.oldest is None:
            return "Colour by age: no module has a commit yet; choose a git baseline"
        swatches = "".join(f'<span style="color:{age_colour(step / 4, style).name()}">█</span>' for step in range(5))
        return (
            f"Age of the newest module: {ages.oldest} {swatches} {ages.newest} or not committed&nbsp;&nbsp;"
            f'<span style="color:{style.generated}"><b>▨ AI</b></span> from AI-assisted commits'
        )

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._fit_pending and self.scene.layout is not None:
            self.fit()


def _ignored_row(rule: str, item) -> tuple[str, str, str, str]:
    where = f"{item.file}:{item.line}" if item.file and item.line else (item.file or "")
    return (item.importer, item.imported, where, f"{rule}: {item.expression}")

