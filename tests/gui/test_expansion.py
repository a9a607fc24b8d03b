"""Expanding a package with very many children: its children in alphabetical rows, dependencies
remembered per expansion, edges indexed and drawn lazily, a large analysis kept out of the GC."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from gui_support import NO_CACHE, analyse
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from app.gui import worker as worker_module
from app.gui.graph.items import EdgesItem, style_for
from app.gui.theme import LIGHT
from core import layout as layout_module
from core.architecture import DEPENDENCY_CACHE_SIZE, DependencyMap
from core.check import Analysis, run_analysis
from core.layout import ILLEGAL, LEGAL, EdgeIndex, layout_architecture

CHILDREN = 24


def write_project(root: Path) -> Path:
    """`app.integrations` with many small packages over `app.core`, and `app.ui` over both."""
    package = root / "app"
    for directory in (package, package / "core", package / "ui", package / "integrations"):
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "__init__.py").write_text("")
    (package / "core" / "models.py").write_text("")
    (package / "core" / "bus.py").write_text("import app.core.models\n")
    # Named so that alphabetical order and the order of their imports disagree.
    for number in range(CHILDREN):
        name = f"i{(number * 7) % CHILDREN:02d}"
        integration = package / "integrations" / name
        integration.mkdir()
        target = "models" if number % 2 else "bus"
        (integration / "__init__.py").write_text(f"import app.core.{target}\n")
    (package / "ui" / "pages.py").write_text("import app.integrations.i03\nimport app.core.bus\n")
    (package / "core" / "hooks.py").write_text("import app.ui.pages\n")  # breaks the layers
    (root / "strataview.toml").write_text(
        'root_packages = ["app"]\n\n[[rules]]\nid = "layers"\ntype = "layers"\n'
        'layers = ["app.ui", "app.integrations", "app.core"]\n'
    )
    return root


@pytest.fixture(scope="module")
def dependency_map(tmp_path_factory) -> DependencyMap:
    root = write_project(tmp_path_factory.mktemp("wide"))
    analysis = list(run_analysis(root, NO_CACHE))[-1]
    assert isinstance(analysis, Analysis)
    return DependencyMap(analysis)


def reading_order(layout, names) -> list[str]:
    return sorted(names, key=lambda name: (layout.boxes[name].rect.y, layout.boxes[name].rect.x))


def test_the_children_of_a_huge_package_are_set_in_alphabetical_rows(dependency_map, monkeypatch):
    monkeypatch.setattr(layout_module, "GRID_CHILDREN", CHILDREN - 1)
    layout = layout_architecture(dependency_map, expanded={"app.integrations"})
    children = [name for name in layout.boxes if name.startswith("app.integrations.")]
    assert len(children) == CHILDREN
    assert reading_order(layout, children) == sorted(children)
    rows = {layout.boxes[name].rect.y for name in children}
    assert 1 < len(rows) < CHILDREN  # rows of several boxes, not one long row or a column
    frame = layout.frames["app.integrations"].rect
    for name in children:
        box = layout.boxes[name].rect
        assert frame.x <= box.x and box.right <= frame.right and frame.y <= box.y and box.bottom <= frame.bottom
    # The rest keeps its bands and its edges, those to and from the children included.
    assert {layout.boxes[name].band for name in children} == {1}
    assert (layout.boxes["app.ui"].band, layout.boxes["app.core"].band) == (0, 2)
    pairs = {(edge.importer, edge.imported) for edge in layout.edges}
    assert ("app.ui", "app.integrations.i03") in pairs and ("app.integrations.i00", "app.core") in pairs
    assert ("app.core", "app.ui") in {(e.importer, e.imported) for e in layout.edges if e.kind == ILLEGAL}


def test_below_the_threshold_the_children_are_ordered_by_their_imports(dependency_map, monkeypatch):
    monkeypatch.setattr(layout_module, "GRID_CHILDREN", CHILDREN)
    ordered = layout_architecture(dependency_map, expanded={"app.integrations"})
    monkeypatch.setattr(layout_module, "GRID_CHILDREN", CHILDREN - 1)
    alphabetical = layout_architecture(dependency_map, expanded={"app.integrations"})
    children = sorted(name for name in ordered.boxes if name.startswith("app.integrations."))
    assert reading_order(ordered, children) != reading_order(alphabetical, children)
    assert {(e.importer, e.imported, e.kind) for e in ordered.edges} == {
        (e.importer, e.imported, e.kind) for e in alphabetical.edges
    }


def test_dependencies_are_remembered_per_expansion_and_rule(dependency_map):
    expanded = {"app", "app.integrations"}
    first = dependency_map.dependencies(expanded)
    first.clear()  # a caller's list is its own
    again = dependency_map.dependencies(frozenset(expanded))
    assert again and again == dependency_map.dependencies(list(expanded))
    layers_only = dependency_map.dependencies(expanded, rule="layers")
    assert sum(d.illegal_imports for d in layers_only) == sum(d.illegal_imports for d in again) > 0
    assert dependency_map.dependencies(expanded, rule="no-such-rule") != again
    for number in range(DEPENDENCY_CACHE_SIZE + 3):
        dependency_map.dependencies({"app", f"app.integrations.i{number:02d}"})
    assert len(dependency_map._dependency_cache) == DEPENDENCY_CACHE_SIZE
    assert dependency_map.dependencies(expanded) == again


def test_the_edge_index_counts_and_finds_edges_it_has_not_indexed_yet(dependency_map):
    layout = layout_architecture(dependency_map, expanded={"app.integrations"})
    index = EdgeIndex(layout.edges)
    assert index.count_in(-1e6, -1e6, 1e6, 1e6, 10_000) == len(layout.edges)
    assert index.count_in(-1e6, -1e6, 1e6, 1e6, 5) == 6  # stops just over the limit
    assert index.count_in(-1e6, -1e6, -1e5, -1e5, 10) == 0
    for edge in layout.edges[:10]:
        x, y = layout_module.curve_point(edge.curve, 0.5)
        found = index.nearest(x, y, 0.5)
        assert found is not None and layout_module.curve_point(found.curve, 0.5) == pytest.approx((x, y), abs=1.0)


def test_edges_are_built_into_paths_only_where_they_are_painted(qapp, dependency_map):
    layout = layout_architecture(dependency_map, expanded={"app.integrations"})
    legal = [edge for edge in layout.edges if edge.kind == LEGAL]
    item = EdgesItem(LEGAL, legal, style_for(LIGHT))
    assert item._paths == [None] * len(legal) and not item._cells
    corner = QRectF(item.boundingRect().topLeft(), item.boundingRect().center())
    image = QImage(400, 400, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    painter.translate(-corner.topLeft())
    item.paint(painter, _option(corner), None)
    painter.end()
    built = [number for number, path in enumerate(item._paths) if path is not None]
    assert 0 < len(built) < len(legal)
    for number in built:
        left, top, right, bottom = item._near[number][0]
        assert QRectF(left, top, right - left, bottom - top).intersects(corner)


def _option(exposed: QRectF) -> QStyleOptionGraphicsItem:
    option = QStyleOptionGraphicsItem()
    option.exposedRect = exposed
    return option


def test_a_large_analysis_is_frozen_out_of_the_collector(qtbot, make_window, tmp_path: Path, monkeypatch):
    project = write_project(tmp_path)
    window = make_window()
    try:
        analyse(qtbot, window, project)
        assert gc.get_freeze_count() == 0  # a small project is left to the collector
        monkeypatch.setattr(worker_module, "LARGE_ANALYSIS_MODULES", 10)
        analyse(qtbot, window, project)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
