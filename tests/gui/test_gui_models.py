"""Item models over a check result, the source view, settings and themes, each on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import EXAMPLE, NO_CACHE
from PySide6.QtCore import QPersistentModelIndex, QSettings, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from app.gui.models.rules import KEPT_ROLE, RULE_ID_ROLE, RulesModel
from app.gui.models.violations import IMPORTER, VIOLATION_ROLE, WHERE, ViolationsFilter, ViolationsModel
from app.gui.settings import MAX_RECENT_PROJECTS, Settings
from app.gui.source_view import SourceView
from app.gui.theme import DARK, LIGHT, theme_for
from core.check import check_project
from core.model import CheckResult


@pytest.fixture(scope="module")
def result() -> CheckResult:
    return check_project(EXAMPLE, NO_CACHE)


def column(model, number: int, role=Qt.ItemDataRole.DisplayRole) -> list:
    return [model.index(row, number).data(role) for row in range(model.rowCount())]


def test_violations_model_sorts_itself_and_keeps_the_selected_row(qtbot, result):
    model = ViolationsModel()
    model.set_result(result)
    assert column(model, IMPORTER) == ["shop.api", "shop.core", "shop.core", "shop.api.orders", "shop.recommendations"]
    tracked = QPersistentModelIndex(model.index(3, 0))  # the cycle
    model.sort(IMPORTER, Qt.SortOrder.AscendingOrder)
    assert column(model, IMPORTER) == sorted(column(model, IMPORTER))
    assert tracked.data(VIOLATION_ROLE).type == "acyclic"
    assert column(model, IMPORTER)[tracked.row()] == "shop.api.orders"
    model.sort(WHERE, Qt.SortOrder.DescendingOrder)
    assert column(model, WHERE) == [
        "", "shop/core/pricing.py:4", "shop/core/inventory.py:3", "shop/api/orders.py:4", "shop/api/orders.py:3"
    ]
    model.sort(WHERE, Qt.SortOrder.AscendingOrder)
    assert column(model, WHERE) == [
        "shop/api/orders.py:3", "shop/api/orders.py:4", "shop/core/inventory.py:3", "shop/core/pricing.py:4", ""
    ]
    assert tracked.data(VIOLATION_ROLE).type == "acyclic"
    model.sort(-1)
    assert column(model, IMPORTER)[3] == "shop.api.orders"  # back to the order of the check


def test_violations_model_keeps_its_sort_for_a_new_result(result):
    model = ViolationsModel()
    model.sort(IMPORTER, Qt.SortOrder.DescendingOrder)
    model.set_result(result)
    assert column(model, IMPORTER) == sorted(column(model, IMPORTER), reverse=True)


def test_the_proxy_filters_and_hands_sorting_to_the_model(result):
    model = ViolationsModel()
    model.set_result(result)
    proxy = ViolationsFilter(model)
    proxy.set_rule("layers")
    assert {v.rule for v in column(proxy, 0, VIOLATION_ROLE)} == {"layers"} and proxy.rowCount() == 2
    proxy.set_rule(None)
    proxy.set_rule_type("coverage")
    assert column(proxy, IMPORTER) == ["shop.recommendations"]
    proxy.set_rule_type(None)
    proxy.set_text("  ORDERS ")
    assert [v.type for v in column(proxy, 0, VIOLATION_ROLE)] == ["layers", "acyclic"]
    proxy.set_text("orders payments")  # every word must match
    assert [v.type for v in column(proxy, 0, VIOLATION_ROLE)] == ["acyclic"]
    proxy.set_text("inventory.py")  # file names match too
    assert column(proxy, IMPORTER) == ["shop.core"]
    proxy.set_text("")
    proxy.sort(IMPORTER, Qt.SortOrder.DescendingOrder)
    assert isinstance(proxy, QSortFilterProxyModel) and proxy.sortColumn() == -1  # the proxy itself never sorts
    assert column(proxy, IMPORTER) == sorted(column(model, IMPORTER), reverse=True)


def test_rules_model_shows_each_rule_kept_or_broken_with_its_count(result):
    model = RulesModel()
    model.set_result(result)
    assert model.rowCount() == 5
    assert [model.index(0, c).data() for c in range(3)] == ["All rules", "4 broken", "5"]
    assert model.index(0, 0).data(RULE_ID_ROLE) is None
    rows = [[model.index(row, c).data() for c in range(3)] for row in range(1, 5)]
    assert rows == [
        ["ui over api over core", "broken", "2"],
        ["the core never reaches for adapters", "broken", "1"],
        ["no import cycles", "broken", "1"],
        ["every module belongs to the declared architecture", "broken", "1"],
    ]
    assert column(model, 0, RULE_ID_ROLE) == [
        None, "layers", "adapters-stay-out-of-core", "no-cycles", "everything-has-a-place"
    ]
    assert column(model, 0, KEPT_ROLE) == [False] * 5
    assert "1 import excluded by ignore_imports" in model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, 1).data(Qt.ItemDataRole.ForegroundRole) == QColor(LIGHT.broken)


def test_source_view_highlights_python_including_multi_line_strings(qtbot, tmp_path: Path):
    source = tmp_path / "module.py"
    source.write_text('"""First line\nsecond line of the docstring."""\nimport os  # café ☕ \U0001f600\nx = 1\n')
    view = SourceView()
    qtbot.addWidget(view)
    view.show_file(source, (3,))
    document = view.document()

    def colour_at(line: int, column: int) -> QColor:
        block = document.findBlockByNumber(line - 1)
        for format_range in block.layout().formats():
            if format_range.start <= column < format_range.start + format_range.length:
                return format_range.format.foreground().color()
        return QColor()

    string_colour = colour_at(1, 0)
    assert string_colour.isValid()
    assert colour_at(2, 3) == string_colour  # inside the docstring's second line
    assert colour_at(3, 0).isValid() and colour_at(3, 0) != string_colour  # the keyword
    assert colour_at(4, 0) != string_colour
    # After a character outside the BMP, formats still line up (Qt counts UTF-16 units).
    assert colour_at(4, 4).isValid()  # the number literal
    assert view.highlighted_lines == (3,)
    assert view.textCursor().blockNumber() == 2


def test_source_view_reloads_a_file_that_changed(qtbot, tmp_path: Path):
    source = tmp_path / "module.py"
    source.write_text("import os\n")
    view = SourceView()
    qtbot.addWidget(view)
    view.show_file(source, (1,))
    source.write_text("# a new first line\nimport os\n")
    view.show_file(source, (2,))
    assert view.toPlainText() == "# a new first line\nimport os\n"
    assert view.textCursor().block().text() == "import os"


def test_source_view_says_when_a_file_cannot_be_read(qtbot, tmp_path: Path):
    view = SourceView()
    qtbot.addWidget(view)
    view.show_file(tmp_path / "gone.py", (1,))
    assert view.file is None and view.toPlainText() == ""
    assert "Cannot read" in view.placeholderText() and "gone.py" in view.placeholderText()


def test_settings_remember_recent_projects_newest_first(tmp_path: Path):
    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings = Settings(store)
    settings.add_recent_project(tmp_path / "a")
    store.sync()
    reread = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert reread.recent_projects() == [tmp_path / "a"]  # a one-entry list read back from an INI file
    for name in ("b", "a", *(f"p{i}" for i in range(MAX_RECENT_PROJECTS))):
        settings.add_recent_project(tmp_path / name)
    recent = settings.recent_projects()
    assert len(recent) == MAX_RECENT_PROJECTS and recent[0] == tmp_path / f"p{MAX_RECENT_PROJECTS - 1}"
    assert len(set(recent)) == len(recent)
    settings.clear_recent_projects()
    assert settings.recent_projects() == []


def test_dark_and_light_themes_follow_the_colour_scheme(qapp):
    assert theme_for(Qt.ColorScheme.Dark) is DARK
    assert theme_for(Qt.ColorScheme.Light) is LIGHT and theme_for(Qt.ColorScheme.Unknown) is LIGHT
    for theme in (LIGHT, DARK):
        palette = theme.palette()
        window, text = palette.window().color(), palette.windowText().color()
        assert abs(window.lightnessF() - text.lightnessF()) > 0.6  # readable
        assert (window.lightnessF() < 0.5) == theme.dark


def test_a_violation_without_imports_is_where_it_says(result):
    unused = result.violations[0].model_copy(
        update={"chains": (), "file": "tach.toml", "line": 14, "message": "shop.api declares an unused dependency"}
    )
    model = ViolationsModel()
    model.set_result(result.model_copy(update={"violations": (unused,)}))

    assert column(model, WHERE) == ["tach.toml:14"]
