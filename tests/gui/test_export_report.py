"""File > Export Report: the report of the result on screen, in the format of the file type chosen."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from gui_support import analyse
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.gui.export import report_filters
from core.reports import sarif_report


def choose(monkeypatch, path: Path, file_type: str) -> None:
    """The save dialog answers `path` with the file type whose filter starts with `file_type`."""
    [chosen] = [text for _, text in report_filters() if text.startswith(file_type)]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *arguments, **named: (str(path), chosen))


def test_the_menu_and_the_toolbar_offer_the_report(make_window):
    window = make_window()
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert window.commands["export_report"] in file_menu.actions()
    assert window.commands["export_report"].shortcut().toString() == "Ctrl+E"
    assert [name for name, _ in report_filters()] == ["html", "sarif", "markdown", "junit", "json", "text"]
    assert report_filters()[0][1] == "HTML report (*.html)"


def test_an_html_report_with_the_drawing_is_written(qtbot, make_window, example: Path, tmp_path, monkeypatch):
    window = make_window()
    result = analyse(qtbot, window, example)
    choose(monkeypatch, tmp_path / "review", "HTML")
    window.commands["export_report"].trigger()
    page = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert "<svg xmlns" in page and '<section id="rules">' in page
    assert all(violation.message.replace(">", "&gt;") in page for violation in result.violations)
    assert window.statusBar().currentMessage() == f"Exported the HTML report to {tmp_path / 'review.html'}"


def test_the_file_type_chosen_decides_the_format(qtbot, make_window, example: Path, tmp_path, monkeypatch):
    window = make_window()
    result = analyse(qtbot, window, example)
    choose(monkeypatch, tmp_path / "scan.sarif", "SARIF")
    window.commands["export_report"].trigger()
    log = json.loads((tmp_path / "scan.sarif").read_text(encoding="utf-8"))
    assert log == sarif_report.sarif_log(result, window.analysis)
    choose(monkeypatch, tmp_path / "comment", "Markdown")
    window.commands["export_report"].trigger()
    assert re.match(r"### (❌|✅) Strataview: ", (tmp_path / "comment.md").read_text(encoding="utf-8"))


def test_a_failed_export_says_so_and_leaves_nothing_behind(qtbot, make_window, example: Path, tmp_path, monkeypatch):
    window = make_window()
    analyse(qtbot, window, example)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append((title, text)))
    choose(monkeypatch, tmp_path / "missing" / "report.html", "HTML")
    window.commands["export_report"].trigger()
    [(title, text)] = warnings
    assert title == "Export failed" and text.startswith(f"Could not write {tmp_path / 'missing' / 'report.html'}")
    assert not (tmp_path / "missing").exists()


def test_before_any_result_there_is_nothing_to_export(make_window, monkeypatch):
    window = make_window()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: pytest.fail("no dialog without a result"))
    window.commands["export_report"].trigger()
    assert window.statusBar().currentMessage() == "Nothing to export: no project has been analysed yet."
