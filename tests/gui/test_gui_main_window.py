"""The main window on the example project: rules, filters, sorting, source lines, cancel and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import EXAMPLE, TIMEOUT_MS, GatedAnalysis, analyse
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from app.gui import launch
from app.gui.main_window import MainWindow
from app.gui.models.violations import IMPORTER, VIOLATION_ROLE
from app.gui.worker import AnalysisRunner
from core.model import Violation


def shown(window: MainWindow) -> list[Violation]:
    proxy = window.violations.filter
    return [proxy.index(row, 0).data(VIOLATION_ROLE) for row in range(proxy.rowCount())]


def click_rule(qtbot, window: MainWindow, rule_id: str | None) -> None:
    panel = window.rules
    rect = panel.view.visualRect(panel.model.index(panel.model.row_of(rule_id), 0))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def select_violation(window: MainWindow, rule: str, importer: str) -> None:
    proxy = window.violations.filter
    for row in range(proxy.rowCount()):
        violation = proxy.index(row, 0).data(VIOLATION_ROLE)
        if (violation.rule, violation.importer) == (rule, importer):
            window.violations.table.selectRow(row)
            return
    raise AssertionError(f"no {rule} violation from {importer} on screen")


def test_rules_panel_shows_which_rules_hold(qtbot, make_window, example: Path):
    (example / "shop" / "core" / "inventory.py").write_text('"""Stock levels, without the database."""\n')
    window = make_window()
    analyse(qtbot, window, example)
    model = window.rules.model
    states = {
        model.index(row, 0).data(): (model.index(row, 1).data(), model.index(row, 2).data())
        for row in range(model.rowCount())
    }
    assert states == {
        "All rules": ("3 broken", "4"),
        "ui over api over core": ("broken", "2"),
        "the core never reaches for adapters": ("kept", "0"),
        "no import cycles": ("broken", "1"),
        "every module belongs to the declared architecture": ("broken", "1"),
    }
    assert window.summary_label.text() == "19 modules · 13 imports · 4 violations · 3 of 4 rules broken"


def test_selecting_a_rule_filters_the_violations(qtbot, make_window):
    window = make_window()
    analyse(qtbot, window, EXAMPLE)
    assert len(shown(window)) == 5 and window.rules.selected_rule is None
    click_rule(qtbot, window, "layers")
    assert window.rules.selected_rule == "layers"
    assert [(v.rule, v.importer, v.imported) for v in shown(window)] == [
        ("layers", "shop.api", "shop.cli"),
        ("layers", "shop.core", "shop.ui"),
    ]
    assert window.violations.count_label.text() == "2 of 5 violations"
    assert window.detail.title.text() == "shop.api is not allowed to import shop.cli"
    click_rule(qtbot, window, "no-cycles")
    assert [v.type for v in shown(window)] == ["acyclic"]
    click_rule(qtbot, window, None)
    assert len(shown(window)) == 5


def test_text_and_rule_type_filters_narrow_the_table(qtbot, make_window):
    window = make_window()
    analyse(qtbot, window, EXAMPLE)
    panel = window.violations
    qtbot.keyClicks(panel.filter_box, "orders")
    assert [v.type for v in shown(window)] == ["layers", "acyclic"]
    qtbot.keyClicks(panel.filter_box, " payments")
    assert [v.type for v in shown(window)] == ["acyclic"]
    assert panel.count_label.text() == "1 of 5 violations"
    assert window.detail.title.text().startswith("import cycle shop.api.orders -> shop.api.payments")
    panel.filter_box.clear()
    panel.type_box.setCurrentIndex(panel.type_box.findData("coverage"))
    assert [v.importer for v in shown(window)] == ["shop.recommendations"]
    assert [panel.type_box.itemText(i) for i in range(panel.type_box.count())] == [
        "All rule types", "layers", "forbidden", "acyclic", "coverage"
    ]
    panel.type_box.setCurrentIndex(0)
    assert len(shown(window)) == 5


def test_clicking_a_column_header_sorts_the_table(qtbot, make_window):
    window = make_window()
    analyse(qtbot, window, EXAMPLE)
    header = window.violations.table.horizontalHeader()
    middle = header.sectionViewportPosition(IMPORTER) + header.sectionSize(IMPORTER) // 2
    position = QPoint(middle, header.height() // 2)
    select_violation(window, "no-cycles", "shop.api.orders")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=position)
    importers = [v.importer for v in shown(window)]
    assert importers == sorted(importers)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=position)
    importers = [v.importer for v in shown(window)]
    assert importers == sorted(importers, reverse=True)
    assert window.violations.filter.sortColumn() == -1  # sorted by the model, not the proxy
    assert window.violations.selected_violation.type == "acyclic"  # the selection moved with its row


def test_a_chain_step_shows_its_import_line_in_the_source(qtbot, make_window):
    window = make_window()
    analyse(qtbot, window, EXAMPLE)
    select_violation(window, "no-cycles", "shop.api.orders")
    source = window.detail.source
    assert source.file == EXAMPLE / "shop" / "api" / "orders.py"  # the first step is shown at once
    assert source.highlighted_lines == (3,)
    steps = window.detail.steps
    second = window.detail._step_items[0][1]
    assert second.text(0) == "shop.api.payments → shop.api.orders" and second.text(1) == "shop/api/payments.py:3"
    qtbot.mouseClick(steps.viewport(), Qt.MouseButton.LeftButton, pos=steps.visualItemRect(second).center())
    assert source.file == EXAMPLE / "shop" / "api" / "payments.py"
    assert source.highlighted_lines == (3,)
    assert source.textCursor().blockNumber() == 2
    assert source.textCursor().block().text() == "from shop.api import orders"
    assert window.detail.source_title.text() == "shop/api/payments.py — line 3"


def test_the_source_view_scrolls_to_a_line_far_down(qtbot, make_window, example: Path):
    pricing = example / "shop" / "core" / "pricing.py"
    pricing.write_text("".join(f"# filler {n}\n" for n in range(300)) + pricing.read_text())
    window = make_window()
    analyse(qtbot, window, example)
    select_violation(window, "layers", "shop.core")
    source = window.detail.source
    assert source.file == example.resolve() / "shop" / "core" / "pricing.py"
    assert source.highlighted_lines == (304,)
    assert source.textCursor().block().text() == "from shop.ui.formatting import format_price"
    assert source.firstVisibleBlock().blockNumber() > 250
    assert source.viewport().rect().contains(source.cursorRect())


def test_a_violation_without_imports_shows_no_source(qtbot, make_window):
    window = make_window()
    analyse(qtbot, window, EXAMPLE)
    select_violation(window, "everything-has-a-place", "shop.recommendations")
    assert window.detail.title.text().startswith("shop.recommendations lies outside")
    assert window.detail.source.file is None
    assert window.detail.source.placeholderText() == "This violation has no import line to show."


def test_cancelling_keeps_the_previous_result_and_the_cancelled_run_never_delivers(
    qtbot, make_window, gated: GatedAnalysis
):
    window = make_window(AnalysisRunner(gated))
    first = analyse(qtbot, window, EXAMPLE)
    summary = window.summary_label.text()
    delivered: list = []
    window.runner.succeeded.connect(delivered.append)
    gated.gate.clear()
    with qtbot.waitSignal(window.runner.progressed, timeout=TIMEOUT_MS):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.progress_bar.isVisible() and window.cancel_button.isVisible()
    assert not window.summary_label.isVisible()
    assert window.progress_label.text() == "Waiting at the gate…"
    worker = window.runner.worker
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    assert not window.progress_bar.isVisible() and window.summary_label.isVisible()
    with qtbot.waitSignal(worker.finished, timeout=TIMEOUT_MS):
        gated.gate.set()
    QApplication.processEvents()
    assert delivered == []
    assert window.result is first and len(shown(window)) == 5 and window.summary_label.text() == summary


def test_closing_the_window_shuts_the_analysis_down(qtbot, make_window, gated: GatedAnalysis):
    window = make_window(AnalysisRunner(gated))
    gated.gate.clear()
    with qtbot.waitSignal(window.runner.progressed, timeout=TIMEOUT_MS):
        window.open_project(EXAMPLE)
    worker = window.runner.worker
    gated.gate.set()
    window.close()
    assert worker.abort_requested and not worker.is_running
    assert not window.runner.running


def break_config(project: Path) -> None:
    config = project / "pyproject.toml"
    config.write_text(config.read_text().replace('type = "acyclic"', 'type = "acyclicc"'))


def break_code(project: Path) -> None:
    with (project / "shop" / "core" / "models.py").open("a") as file:
        file.write("\ndef broken(:\n")


@pytest.mark.parametrize(
    ("breaks", "expected"),
    [(break_config, ("pyproject.toml", "acyclicc")), (break_code, ("shop/core/models.py", "syntax error"))],
    ids=["config-error", "syntax-error"],
)
def test_an_analysis_error_is_shown_and_the_previous_result_stays(qtbot, make_window, example: Path, breaks, expected):
    window = make_window()
    first = analyse(qtbot, window, example)
    breaks(example)
    with qtbot.waitSignal(window.runner.failed, timeout=TIMEOUT_MS) as failed:
        window.commands["reanalyse"].trigger()
    error = failed.args[0]
    text = window.banner.text()
    assert window.banner.isVisible()
    assert text.startswith("Could not analyse example\n")
    assert all(part in text for part in expected)
    assert error.place and error.place in text  # names the place, not only the file
    assert "The previous result is still shown." in text
    assert "Traceback" not in text
    assert window.result is first and len(shown(window)) == 5 and window.rules.model.rowCount() == 5
    assert window.summary_label.isVisible() and "5 violations" in window.summary_label.text()


def test_an_error_before_any_result_is_shown_too(qtbot, make_window, tmp_path: Path):
    window = make_window()
    with qtbot.waitSignal(window.runner.failed, timeout=TIMEOUT_MS):
        window.open_project(tmp_path / "nowhere")
    assert window.banner.isVisible() and "does not exist" in window.banner.text()
    assert "previous result" not in window.banner.text()
    assert window.result is None and window.rules.model.rowCount() == 0


def test_fixing_the_error_and_reanalysing_clears_the_message(qtbot, make_window, example: Path):
    window = make_window()
    analyse(qtbot, window, example)
    models = example / "shop" / "core" / "models.py"
    good = models.read_text()
    break_code(example)
    with qtbot.waitSignal(window.runner.failed, timeout=TIMEOUT_MS):
        window.reanalyse()
    models.write_text(good)
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        window.reanalyse()
    assert not window.banner.isVisible()


def test_shortcuts_and_menus(qtbot, make_window):
    window = make_window()
    analyse(qtbot, window, EXAMPLE)
    expected = {"open_project": "Ctrl+O", "reanalyse": "F5", "find": "Ctrl+F", "quit": "Ctrl+Q"}
    assert {name: window.commands[name].shortcut().toString() for name in expected} == expected
    menus = {action.text(): [a.text() for a in action.menu().actions()] for action in window.menuBar().actions()}
    assert menus == {
        "&File": [
            "&Open Project…", "Open &Recent", "",
            "&New Workspace", "Open &Workspace…", "Open Recent Wor&kspace", "&Save Workspace", "Save Workspace &As…", "",
            "Export View as &PNG…", "Export View as &SVG…", "Export &Report…", "", "&Quit",
        ],
        "&Edit": ["&Find…", "&Go to Module…"],
        "&View": [
            "&Fit to Window", "Zoom &In", "Zoom &Out", "", "Colour by &Layer", "Colour by &Age", "",
            "&Re-analyse", "&Live Mode", "&Cancel Analysis", "",
            "Save &View…", "Saved V&iews", "&Pin View",
        ],
        "&Review": [
            "&Accept", "&Waive", "&Must Fix", "&Reopen", "", "&Next Undecided", "",
            "&Changes Since Last Session…", "&Resolved Decisions…", "", "Set Reviewer &Name…",
        ],
    }
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.violations.filter_box


def test_recent_projects_and_the_layout_are_remembered(qtbot, make_window, settings, example: Path):
    window = make_window()
    analyse(qtbot, window, example)
    window.resize(700, 560)  # within the offscreen screen, which is 800x600
    defaults = (window.workspace.sizes(), window.splitter.sizes())
    window.workspace.setSizes([100, 400])
    window.splitter.setSizes([100, 500])
    sizes = (window.workspace.sizes(), window.splitter.sizes())
    assert sizes[0] != defaults[0] and sizes[1] != defaults[1]
    assert sizes[0][0] < sizes[0][1] and sizes[1][0] < sizes[1][1] / 2
    window.close()

    again = make_window()
    assert again.size() == QSize(700, 560)
    assert (again.workspace.sizes(), again.splitter.sizes()) == sizes
    assert settings.recent_projects() == [example.resolve()]
    recent_menu = again.commands.recent_menu
    recent_menu.aboutToShow.emit()
    entry = recent_menu.actions()[0]
    assert entry.text() == str(example.resolve())
    with qtbot.waitSignal(again.runner.succeeded, timeout=TIMEOUT_MS):
        entry.trigger()
    assert again.project == example.resolve() and again.windowTitle() == "example — Strataview"


def test_launch_renders_a_screenshot_without_an_event_loop(qtbot, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the analysis cache stays in the test
    shot = tmp_path / "main.png"
    assert launch(EXAMPLE, None, shot) == 0
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1400, 900)
    assert not (tmp_path / "qsettings").exists() or not any((tmp_path / "qsettings").rglob("*.conf"))


def test_launch_screenshot_of_a_project_that_cannot_be_analysed_exits_2(qtbot, tmp_path: Path, capsys):
    shot = tmp_path / "main.png"
    assert launch(tmp_path / "nowhere", None, shot) == 2
    assert QImage(str(shot)).width() == 1400
    assert "project directory does not exist" in capsys.readouterr().err
