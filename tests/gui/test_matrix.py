"""The dependency structure matrix on the example project: order, colours, the imports list, expansion."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gui_support import EXAMPLE, NO_CACHE
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from app.gui.matrix import MatrixView
from app.gui.matrix.colours import matrix_colours
from app.gui.matrix.grid import cell_tooltip
from core.architecture import DependencyMap
from core.check import Analysis, run_analysis

LAYERED = ("shop.ui", "shop.api", "shop.cli", "shop.core", "shop.adapters", "shop.recommendations")


def dependency_map_of(path: Path) -> DependencyMap:
    analysis = list(run_analysis(path, NO_CACHE))[-1]
    assert isinstance(analysis, Analysis)
    return DependencyMap(analysis)


@pytest.fixture(scope="module")
def example_map() -> DependencyMap:
    return dependency_map_of(EXAMPLE)


@pytest.fixture
def view(qtbot, example_map) -> MatrixView:
    matrix = MatrixView()
    qtbot.addWidget(matrix)
    matrix.resize(900, 700)
    matrix.set_map(example_map, None)
    matrix.show()
    qtbot.waitExposed(matrix)
    return matrix


def cell_centre(view: MatrixView, importer: str, imported: str) -> QPoint:
    return view.grid.cell_rect(*view.content.position(importer, imported)).center()


def cell_fill(view: MatrixView, importer: str, imported: str) -> QColor:
    """The colour painted in the cell, away from its count and its marks."""
    image = view.grid.viewport().grab().toImage()
    return image.pixelColor(view.grid.cell_rect(*view.content.position(importer, imported)).topLeft() + QPoint(5, 5))


def test_packages_follow_the_layers_with_the_root_package_expanded(view):
    assert view.expanded == {"shop"}
    assert view.nodes == LAYERED
    assert view.content.layer_description("shop.cli") == "layer 2 of 'layers'"
    assert view.content.layer_description("shop.adapters") == "outside every layer"
    # The coverage rule finds recommendations in no layer; its name is drawn in the broken colour.
    assert [node for node in view.nodes if view.content.uncovered(node)] == ["shop.recommendations"]


def test_a_broken_import_against_the_layers_is_red_above_the_diagonal(view):
    content, colours = view.content, matrix_colours()
    core_to_ui = content.cell("shop.core", "shop.ui")
    assert core_to_ui.imports == 2 and content.breaks(core_to_ui)
    row, column = content.position("shop.core", "shop.ui")
    assert (row, column) == (0, 3) and content.above_diagonal("shop.core", "shop.ui")
    assert cell_fill(view, "shop.core", "shop.ui") == colours.broken

    ui_to_api = content.cell("shop.ui", "shop.api")
    assert not content.breaks(ui_to_api) and not content.above_diagonal("shop.ui", "shop.api")
    assert cell_fill(view, "shop.ui", "shop.api") == colours.cell
    # Kept, but against the order: recommendations is outside the layers and imports the api.
    assert not content.breaks(content.cell("shop.recommendations", "shop.api"))
    assert cell_fill(view, "shop.recommendations", "shop.api") == colours.upward
    # Empty cells above the diagonal are tinted too; those below are not.
    assert cell_fill(view, "shop.adapters", "shop.ui") == colours.upward_region
    assert cell_fill(view, "shop.ui", "shop.adapters") == colours.background

    tooltip = cell_tooltip(content, row, column)
    assert tooltip.splitlines()[:4] == [
        "shop.core → shop.ui",
        "2 imports",
        "1 breaks 'layers'",
        "1 ignored by a rule's ignore_imports",
    ]
    assert "Above the diagonal" in tooltip


def test_clicking_a_cell_lists_its_imports_and_choosing_one_announces_it(qtbot, view):
    with qtbot.waitSignal(view.cellSelected) as selected:
        qtbot.mouseClick(view.grid.viewport(), Qt.MouseButton.LeftButton, pos=cell_centre(view, "shop.core", "shop.ui"))
    assert selected.args == ["shop.core", "shop.ui"]
    assert view.selected_cell == ("shop.core", "shop.ui")
    assert view.imports.rows() == [
        ("shop.core.legacy.export", "shop.ui.formatting", 1, "ignored by 'layers'"),
        ("shop.core.pricing", "shop.ui.formatting", 1, "breaks 'layers'"),
    ]
    assert view.imports.title.text() == "shop.core → shop.ui: 2 imports, 1 breaking a rule, 1 ignored"
    tree = view.imports.tree
    ignored, broken = tree.topLevelItem(0), tree.topLevelItem(1)
    assert ignored.font(0).italic() and not broken.font(0).italic()
    assert broken.foreground(0).color() == matrix_colours().broken

    with qtbot.waitSignal(view.importSelected) as chosen:
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(broken).center())
    assert chosen.args == ["shop.core.pricing", "shop.ui.formatting"]

    # The diagonal and empty cells are not selectable.
    with qtbot.assertNotEmitted(view.cellSelected):
        qtbot.mouseClick(view.grid.viewport(), Qt.MouseButton.LeftButton, pos=cell_centre(view, "shop.ui", "shop.core"))
        grid = view.grid
        qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=grid.cell_rect(0, 0).center())
    assert view.selected_cell == ("shop.core", "shop.ui")


def test_clicking_a_package_expands_it_and_its_bracket_collapses_it(qtbot, view):
    header = view.grid.row_header
    qtbot.mouseClick(header, Qt.MouseButton.LeftButton, pos=header.node_point("shop.api"))
    api_modules = ("shop.api.catalogue", "shop.api.orders", "shop.api.payments")
    assert view.nodes == ("shop.ui", *api_modules, "shop.cli", "shop.core", "shop.adapters", "shop.recommendations")
    assert view.expanded == {"shop", "shop.api"}
    assert [view.content.label(node) for node in api_modules] == ["catalogue", "orders", "payments"]
    cycle = view.content.cell("shop.api.orders", "shop.api.payments")
    assert cycle.cycle_imports == 1
    assert view.content.cell("shop.api.orders", "shop.cli").rules == ("layers",)

    columns = view.grid.column_header
    qtbot.mouseClick(columns, Qt.MouseButton.LeftButton, pos=columns.bracket_point("shop.api"))
    assert view.nodes == LAYERED and view.expanded == {"shop"}

    # The column header expands too; collapsing the root collapses what lies inside it.
    qtbot.mouseClick(columns, Qt.MouseButton.LeftButton, pos=columns.node_point("shop.core"))
    assert "shop.core.legacy" in view.nodes and "shop.core" not in view.nodes
    qtbot.mouseClick(header, Qt.MouseButton.LeftButton, pos=header.bracket_point("shop"))
    assert view.nodes == ("shop",) and view.expanded == set()
    view.expand("shop")
    assert view.nodes == LAYERED


def test_a_double_click_on_a_header_toggles_once(qtbot, view):
    header = view.grid.row_header
    qtbot.mouseDClick(header, Qt.MouseButton.LeftButton, pos=header.node_point("shop.api"))
    assert view.expanded == {"shop", "shop.api"}
    # Where the bracket was, after collapsing, lies the label of shop.api: the rest of the double click
    # must not expand it again.
    point = header.bracket_point("shop.api")
    qtbot.mouseClick(header, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(header, Qt.MouseButton.LeftButton, pos=point)
    assert view.expanded == {"shop"}


def test_selecting_a_module_import_selects_its_cell_without_announcing_it(qtbot, view):
    with qtbot.assertNotEmitted(view.cellSelected), qtbot.assertNotEmitted(view.importSelected):
        assert view.select_cell("shop.core.pricing", "shop.ui.formatting")
    assert view.selected_cell == ("shop.core", "shop.ui")
    assert view.grid.selected == view.content.position("shop.core", "shop.ui")
    current = view.imports.tree.currentItem()
    assert (current.text(0), current.text(1)) == ("shop.core.pricing", "shop.ui.formatting")
    assert not view.select_cell("shop.ui", "shop.core")  # no such imports

    # A new map of the same project keeps the expansion and the selection; no map clears both.
    view.expand("shop.api")
    view.set_map(view.content.dependency_map, "layers")
    assert view.expanded == {"shop", "shop.api"} and view.selected_cell == ("shop.core", "shop.ui")
    view.set_map(None)
    assert view.nodes == () and view.selected_cell is None and view.imports.rows() == []


def test_the_selected_rule_orders_the_packages_and_decides_what_is_red(qtbot, tmp_path, view):
    project = Path(shutil.copytree(EXAMPLE, tmp_path / "example"))
    config = project / "pyproject.toml"
    config.write_text(
        config.read_text()
        + '\n[[tool.strataview.rules]]\nid = "cli-over-api"\nname = "the cli drives the api"\n'
        'type = "layers"\nlayers = ["shop.cli", "shop.api"]\n'
    )
    dependency_map = dependency_map_of(project)

    view.set_map(dependency_map, "layers")
    assert view.nodes == LAYERED
    view.set_map(dependency_map, "cli-over-api")
    assert view.nodes[:2] == ("shop.cli", "shop.api")
    assert set(view.nodes[2:]) == {"shop.ui", "shop.core", "shop.adapters", "shop.recommendations"}
    # Both layers rules: the one declared first orders, the other refines its middle layer.
    view.set_map(dependency_map, None)
    assert view.nodes == ("shop.ui", "shop.cli", "shop.api", "shop.core", "shop.adapters", "shop.recommendations")

    view.set_map(dependency_map, "adapters-stay-out-of-core")
    content = view.content
    assert content.breaks(content.cell("shop.core", "shop.adapters"))
    assert not content.breaks(content.cell("shop.core", "shop.ui"))
    assert cell_fill(view, "shop.core", "shop.ui") == matrix_colours().upward
    assert "breaks&nbsp;'adapters-stay-out-of-core'" in view.legend.text()


def test_cycles_are_marked_and_turn_red_when_their_acyclic_rule_is_selected(qtbot, view):
    view.expand("shop.api")
    cycle, back = ("shop.api.orders", "shop.api.payments"), ("shop.api.payments", "shop.api.orders")
    assert view.content.cell(*cycle).cycle_imports == 1 and not view.content.breaks(view.content.cell(*cycle))
    # Within a cycle the names decide: orders comes first, so the import back from payments lies above.
    assert cell_fill(view, *cycle) == matrix_colours().cell
    assert cell_fill(view, *back) == matrix_colours().upward
    view.set_map(view.content.dependency_map, "no-cycles")
    assert view.content.breaks(view.content.cell(*cycle)) and view.content.breaks(view.content.cell(*back))
    assert cell_fill(view, *cycle) == cell_fill(view, *back) == matrix_colours().broken
    assert not view.content.breaks(view.content.cell("shop.core", "shop.ui"))
    with qtbot.waitSignal(view.cellSelected):
        qtbot.mouseClick(view.grid.viewport(), Qt.MouseButton.LeftButton, pos=cell_centre(view, *cycle))
    assert view.imports.rows() == [(*cycle, 1, "in an import cycle")]
    assert view.imports.tree.topLevelItem(0).foreground(0).color() == matrix_colours().broken
    assert view.imports.title.text() == "shop.api.orders → shop.api.payments: 1 import, 1 breaking 'no-cycles'"


def test_zooming_keeps_the_cell_under_the_pointer_in_place(view):
    grid = view.grid
    view.resize(500, 450)
    view.expand("shop.api")
    view.expand("shop.core")
    grid.zoom(12)
    assert grid.cell_size == 48 and grid.horizontalScrollBar().maximum() > 0
    anchor = grid.cell_rect(5, 6).center()
    grid.zoom(-4, anchor)
    assert grid.cell_size == 40
    assert (grid.row_at(anchor.y()), grid.column_at(anchor.x())) == (5, 6)
    grid.zoom(-100)
    assert grid.cell_size == 8 and grid.verticalScrollBar().maximum() == 0
