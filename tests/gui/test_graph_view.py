"""The architecture view: layers as bands, packages as boxes, dependencies as edges, in step with the table."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from gui_support import EXAMPLE, NO_CACHE, analyse
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from app.gui import launch
from app.gui.export import export_png, export_svg
from app.gui.graph import scene as scene_module
from app.gui.graph.items import BoxItem, EdgesItem, FrameItem
from app.gui.graph.view import ArchitectureView
from app.gui.main_window import MainWindow
from app.gui.theme import LIGHT
from core.architecture import DependencyMap
from core.check import Analysis, run_analysis
from core.layout import (
    CYCLE,
    IGNORED,
    ILLEGAL,
    LEGAL,
    Edge,
    EdgeIndex,
    curve_point,
    layout_architecture,
)


def pairs(view: ArchitectureView, kind: str) -> set[tuple[str, str]]:
    return {(edge.importer, edge.imported) for edge in view.scene.edges(kind)}


def edge(view: ArchitectureView, kind: str, importer: str, imported: str) -> Edge:
    [found] = [e for e in view.scene.edges(kind) if (e.importer, e.imported) == (importer, imported)]
    return found


def view_point(view: ArchitectureView, scene_point: QPointF) -> QPoint:
    return view.view.mapFromScene(scene_point)


def free_point(view: ArchitectureView, found: Edge) -> QPointF:
    """A point of an edge that lies on no box or frame."""
    for step in range(1, 20):
        point = QPointF(*curve_point(found.curve, step / 20))
        if view.scene.node_at(point) is None:
            return point
    raise AssertionError(f"{found.importer} -> {found.imported} runs over boxes all the way")


def box_center(view: ArchitectureView, name: str) -> QPoint:
    return view_point(view, view.scene.boxes[name].sceneBoundingRect().center())


def red_pixels(image: QImage) -> int:
    red = QColor(LIGHT.broken)
    return sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if _close(QColor(image.pixel(x, y)), red)
    )


def _close(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 60


def select_violation(window: MainWindow, rule: str, importer: str) -> None:
    violation = next(v for v in window.result.violations if (v.rule, v.importer) == (rule, importer))
    assert window.select_violation(violation.fingerprint)


@pytest.fixture
def window(qtbot, make_window) -> MainWindow:
    window = make_window()
    analyse(qtbot, window, EXAMPLE)
    return window


def test_the_window_holds_the_analysis_and_draws_the_layers_top_to_bottom(window: MainWindow):
    assert isinstance(window.analysis, Analysis) and window.analysis.result is window.result
    assert isinstance(window.dependency_map, DependencyMap)
    assert window.views.widget(0) is window.architecture
    scene = window.architecture.scene
    bands = [(item.band.title, item.band.rule) for item in scene.band_items]
    assert bands == [
        ("shop.ui", "layers"),
        ("shop.api | shop.cli", "layers"),
        ("shop.core", "layers"),
        ("Outside the layers", None),
    ]
    tops = [item.boundingRect().top() for item in scene.band_items]
    assert tops == sorted(tops)
    for name, band in (("shop.ui", 0), ("shop.api", 1), ("shop.cli", 1), ("shop.core", 2), ("shop.adapters", 3)):
        box = scene.boxes[name]
        assert box.box.band == band and box.box.package
        assert scene.band_items[band].boundingRect().contains(box.sceneBoundingRect())


def test_broken_layer_pairs_are_red_legal_ones_grey_ignored_ones_dashed(window: MainWindow):
    view = window.architecture
    window.rules.select_rule("layers")
    assert pairs(view, ILLEGAL) == {("shop.core", "shop.ui"), ("shop.api", "shop.cli")}
    assert {("shop.ui", "shop.api"), ("shop.api", "shop.core"), ("shop.cli", "shop.core")} <= pairs(view, LEGAL)
    assert pairs(view, IGNORED) == {("shop.core", "shop.ui")}  # shop.core.legacy.export -> shop.ui.formatting
    dashed = view.scene.edge_items[IGNORED]
    assert dashed._near[0][1].style() == Qt.PenStyle.DashLine
    # Each kind is one item, however many edges it has.
    assert sum(isinstance(item, EdgesItem) for item in view.scene.items()) == 4
    window.rules.select_rule(None)
    assert pairs(view, ILLEGAL) == {("shop.core", "shop.ui"), ("shop.api", "shop.cli"), ("shop.core", "shop.adapters")}
    window.rules.select_rule("adapters-stay-out-of-core")
    assert pairs(view, ILLEGAL) == {("shop.core", "shop.adapters")}
    assert pairs(view, IGNORED) == set()  # that rule ignores nothing


def test_red_edges_grow_with_their_illegal_imports(qtbot, make_window, example: Path):
    (example / "shop" / "core" / "discounts.py").write_text("from shop.ui import formatting\nimport shop.ui.pages\n")
    window = make_window()
    analyse(qtbot, window, example)
    view = window.architecture
    red = view.scene.edge_items[ILLEGAL]
    core_to_ui, api_to_cli = edge(view, ILLEGAL, "shop.core", "shop.ui"), edge(view, ILLEGAL, "shop.api", "shop.cli")
    assert (core_to_ui.imports, api_to_cli.imports) == (3, 1)
    assert red.width_of(core_to_ui) > red.width_of(api_to_cli)


def test_the_drawing_shows_red_and_the_uncovered_module_stands_out(window: MainWindow):
    scene = window.architecture.scene
    outside = scene.band_items[-1].band
    assert outside.outside and outside.uncovered == 1
    uncovered = scene.boxes["shop.recommendations"]
    assert uncovered.box.uncovered == 1 and uncovered.box.band == 3
    assert scene.boxes["shop.adapters"].box.uncovered == 0
    assert uncovered.fill != scene.boxes["shop.adapters"].fill
    image = window.architecture.view.grab().toImage()
    assert red_pixels(image) > 20
    amber = QColor(uncovered.fill)
    centre = box_center(window.architecture, "shop.recommendations") + QPoint(-20, 6)
    assert _close(QColor(image.pixel(centre)), amber)


def test_double_click_expands_a_package_and_collapses_it_again(qtbot, window: MainWindow):
    view = window.architecture
    viewport = view.view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=box_center(view, "shop.cli"))
    assert view.scene.selectedItems() == [view.scene.boxes["shop.cli"]]
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=box_center(view, "shop.api"))
    scene = view.scene
    assert "shop.api" not in scene.boxes and "shop.api" in scene.frames
    assert {"shop.api.catalogue", "shop.api.orders", "shop.api.payments"} <= set(scene.boxes)
    assert pairs(view, CYCLE) == {("shop.api.orders", "shop.api.payments"), ("shop.api.payments", "shop.api.orders")}
    frame = scene.frames["shop.api"].sceneBoundingRect()
    for name in ("shop.api.catalogue", "shop.api.orders", "shop.api.payments"):
        assert frame.contains(scene.boxes[name].sceneBoundingRect())
    assert ("shop.api.orders", "shop.cli") in pairs(view, ILLEGAL)
    title = view_point(view, frame.topLeft() + QPointF(frame.width() / 2, 8))
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=title)
    assert "shop.api" in scene.boxes and not scene.frames
    assert "shop.api.orders" not in scene.boxes


def test_search_expands_packages_centres_and_selects_the_module(qtbot, window: MainWindow):
    view = window.architecture
    view.view.scale(2.0, 2.0)  # close in, so that the view can scroll the module to its centre
    qtbot.keyClicks(view.search_box, "legacy.export")
    qtbot.keyClick(view.search_box, Qt.Key.Key_Return)
    scene = view.scene
    assert {"shop.core", "shop.core.legacy"} <= set(scene.frames)
    item = scene.boxes["shop.core.legacy.export"]
    assert scene.selectedItems() == [item]
    offset = view_point(view, item.sceneBoundingRect().center()) - view.view.viewport().rect().center()
    # Centred, unless the view cannot scroll any further that way.
    for distance, bar in ((offset.x(), view.view.horizontalScrollBar()), (offset.y(), view.view.verticalScrollBar())):
        assert abs(distance) < 4 or bar.value() == (bar.maximum() if distance > 0 else bar.minimum())
    assert abs(offset.x()) < 4 or abs(offset.y()) < 4
    view.fit()  # far out, a search zooms in to reading size
    assert view.find_module("shop.recommendations")
    assert view.view.scale_factor >= 0.8
    shown = view.view.mapFromScene(scene.boxes["shop.recommendations"].sceneBoundingRect()).boundingRect()
    assert view.view.viewport().rect().contains(shown)
    view.search_box.clear()
    qtbot.keyClicks(view.search_box, "no.such.thing")
    qtbot.keyClick(view.search_box, Qt.Key.Key_Return)
    assert "No module matches" in view.message.text()
    assert view.find_module("shop.core")  # an expanded package: its frame is selected
    assert scene.selectedItems() == [scene.frames["shop.core"]]


def test_selecting_a_violation_in_the_table_highlights_it_on_the_drawing(window: MainWindow):
    scene = window.architecture.scene
    select_violation(window, "layers", "shop.core")
    assert {item.name for item in scene.selectedItems()} == {"shop.core", "shop.ui"}
    assert [(e.kind, e.importer, e.imported) for e in scene.highlight.edges] == [(ILLEGAL, "shop.core", "shop.ui")]
    select_violation(window, "everything-has-a-place", "shop.recommendations")
    assert [item.name for item in scene.selectedItems()] == ["shop.recommendations"]
    assert scene.highlight.edges == []
    # The highlight follows expansion: the cycle lies inside shop.api.
    select_violation(window, "no-cycles", "shop.api.orders")
    assert [item.name for item in scene.selectedItems()] == ["shop.api"]
    window.architecture.toggle("shop.api")
    assert {item.name for item in scene.selectedItems()} == {"shop.api.orders", "shop.api.payments"}
    assert {e.kind for e in scene.highlight.edges} == {CYCLE} and len(scene.highlight.edges) == 2


def test_clicking_a_red_edge_or_an_uncovered_box_selects_its_violation_in_the_table(qtbot, window: MainWindow):
    view = window.architecture
    select_violation(window, "layers", "shop.api")
    red = edge(view, ILLEGAL, "shop.core", "shop.ui")
    qtbot.mouseClick(view.view.viewport(), Qt.MouseButton.LeftButton, pos=view_point(view, free_point(view, red)))
    selected = window.violations.selected_violation
    assert (selected.rule, selected.importer, selected.imported) == ("layers", "shop.core", "shop.ui")
    assert window.detail.title.text() == "shop.core is not allowed to import shop.ui"
    assert [(e.importer, e.imported) for e in view.scene.highlight.edges] == [("shop.core", "shop.ui")]
    # A filter that hides the violation is cleared rather than leaving the click unanswered.
    qtbot.keyClicks(window.violations.filter_box, "cli")
    qtbot.mouseClick(view.view.viewport(), Qt.MouseButton.LeftButton, pos=box_center(view, "shop.recommendations"))
    selected = window.violations.selected_violation
    assert (selected.type, selected.importer) == ("coverage", "shop.recommendations")
    assert window.violations.filter_box.text() == ""


def test_tooltips_give_counts_and_ignored_imports_can_be_listed(window: MainWindow):
    view = window.architecture
    scene = view.scene
    core = scene.describe_box("shop.core")
    assert core.startswith("shop.core\npackage · 6 modules")
    assert "1 import excluded by ignore_imports" in core and "Double-click to expand" in core
    dashed = edge(view, IGNORED, "shop.core", "shop.ui")
    point = free_point(view, dashed)
    text = scene.tooltip_at(point, view.view.scene_tolerance())
    assert text.startswith("shop.core → shop.ui\n2 imports") and "excluded by ignore_imports" in text
    menu = view.menu_at(point)
    [listing] = [action for action in menu.actions() if action.text() == "List the 1 ignored import…"]
    listing.trigger()
    dialog = view.dialogs[-1]
    assert dialog.rows() == [
        ("shop.core.legacy.export", "shop.ui.formatting", "shop/core/legacy/export.py:3",
         "layers: shop.core.legacy.** -> shop.ui.**")
    ]
    dialog.close()
    everything = view.list_all_ignored()
    assert len(everything.rows()) == 1


def test_wheel_zooms_and_fit_shows_everything(qtbot, window: MainWindow):
    graphics = window.architecture.view
    before = graphics.scale_factor
    wheel = QWheelEvent(
        QPointF(200, 150), QPointF(graphics.viewport().mapToGlobal(QPoint(200, 150))), QPoint(), QPoint(0, 240),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )
    QApplication.sendEvent(graphics.viewport(), wheel)
    assert graphics.scale_factor == pytest.approx(min(4.0, before * 1.25**2))
    assert graphics.renderHints() & graphics.renderHints().Antialiasing
    window.commands["zoom_out"].trigger()
    window.commands["fit_view"].trigger()
    visible = graphics.mapToScene(graphics.viewport().rect()).boundingRect()
    assert visible.contains(window.architecture.scene.itemsBoundingRect())


def test_far_out_a_large_scene_draws_its_boxes_through_one_overview_item(qtbot, window: MainWindow, monkeypatch):
    monkeypatch.setattr(scene_module, "OVERVIEW_MIN_BOXES", 3)
    view = window.architecture
    view.scene.rebuild()
    graphics = view.view
    graphics.resetTransform()
    graphics.scale(0.2, 0.2)
    graphics.after_transform()
    scene = view.scene
    assert scene.overview_shown and scene.overview.isVisible()
    assert all(item.opacity() == 0.0 for item in scene.boxes.values())  # Qt skips painting them
    assert not graphics.renderHints() & graphics.renderHints().Antialiasing
    painted: list[str] = []
    monkeypatch.setattr(BoxItem, "paint", lambda item, *args: painted.append(item.name))
    graphics.viewport().repaint()
    assert painted == []
    # Boxes still answer clicks and show a selected violation, drawn by the overview.
    core = scene.boxes["shop.core"]
    assert scene.node_at(core.sceneBoundingRect().center()) is core
    qtbot.mouseClick(graphics.viewport(), Qt.MouseButton.LeftButton, pos=box_center(view, "shop.core"))
    assert scene.selectedItems() == [core] and scene.overview.selected == [core.box]
    select_violation(window, "layers", "shop.core")
    assert [box.name for box in scene.overview.selected] == ["shop.core", "shop.ui"]
    graphics.resetTransform()
    graphics.after_transform()
    assert not scene.overview_shown and not scene.overview.isVisible()
    graphics.viewport().repaint()
    assert "shop.core" in painted


def test_export_writes_valid_png_and_svg_files_atomically(window: MainWindow, tmp_path: Path):
    scene = window.architecture.scene
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    png = tmp_path / "architecture.png"
    png.write_bytes(b"an older export")
    export_png(scene, png)
    image = QImage(str(png))
    assert not image.isNull()
    assert image.width() == pytest.approx(scene.sceneRect().width() * 2, abs=2)
    assert red_pixels(image) > 50
    svg = tmp_path / "architecture.svg"
    export_svg(scene, svg)
    root = ElementTree.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = "".join(root.itertext())
    assert "shop.core" in texts and "shop.recommendations" in texts
    assert not list(root.iter("{http://www.w3.org/2000/svg}image"))  # edges are paths, not cached pixels
    assert any(element.get("stroke") == LIGHT.broken for element in root.iter())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["architecture.png", "architecture.svg"]
    with pytest.raises(FileNotFoundError):
        export_png(scene, tmp_path / "missing" / "architecture.png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["architecture.png", "architecture.svg"]


def test_boxes_in_a_band_are_ordered_to_avoid_crossings(tmp_path: Path):
    # Alphabetical order (a, b over x, y) would cross a -> y and b -> x.
    package = tmp_path / "app"
    for layer, modules in (("top", ("a", "b")), ("bottom", ("x", "y"))):
        (package / layer).mkdir(parents=True)
        (package / layer / "__init__.py").write_text("")
        for module in modules:
            (package / layer / module / "__init__.py").parent.mkdir()
            (package / layer / module / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "top" / "a" / "__init__.py").write_text("import app.bottom.y\n")
    (package / "top" / "b" / "__init__.py").write_text("import app.bottom.x\n")
    (tmp_path / "strataview.toml").write_text(
        'root_packages = ["app"]\n\n[[rules]]\nid = "layers"\ntype = "layers"\nlayers = ["app.top", "app.bottom"]\n'
    )
    analysis = list(run_analysis(tmp_path, NO_CACHE))[-1]
    layout = layout_architecture(DependencyMap(analysis), expanded={"app.top", "app.bottom"})
    x = {name: box.rect.center_x for name, box in layout.boxes.items()}
    assert (x["app.top.a"] < x["app.top.b"]) == (x["app.bottom.y"] < x["app.bottom.x"])
    assert {box.band for name, box in layout.boxes.items() if name.startswith("app.top.")} == {0}
    assert layout.box_for("app.bottom.x") == "app.bottom.x"


def test_edge_index_finds_the_nearest_edge_of_the_most_important_kind(window: MainWindow):
    edges = window.architecture.scene.edges()
    index = EdgeIndex(edges)
    dashed = edge(window.architecture, IGNORED, "shop.core", "shop.ui")
    x, y = curve_point(dashed.curve, 0.5)
    assert index.nearest(x, y, 3.0) is dashed
    assert index.nearest(x, y, 3.0, kinds=(LEGAL,)) is None
    assert index.nearest(-500.0, -500.0, 10.0) is None


def test_nodes_are_boxes_and_frames_the_view_can_name(window: MainWindow):
    scene = window.architecture.scene
    window.architecture.toggle("shop.core")
    assert isinstance(scene.item_for("shop.core"), FrameItem)
    assert isinstance(scene.item_for("shop.core.legacy.export"), BoxItem)
    assert scene.item_for("shop.core.legacy.export").name == "shop.core.legacy"


def test_the_screenshot_shows_the_architecture(qtbot, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shot = tmp_path / "main.png"
    assert launch(EXAMPLE, None, shot) == 0
    image = QImage(str(shot))
    top_half = image.copy(0, 0, 1400, 450)
    assert red_pixels(top_half) > 20  # the red edges of the architecture view, above the table
