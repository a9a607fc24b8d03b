"""The matrix tab and live mode inside the main window."""

from __future__ import annotations

from pathlib import Path

from gui_support import EXAMPLE, TIMEOUT_MS, analyse


def test_the_matrix_tab_follows_the_result_and_the_selection(qtbot, make_window):
    window = make_window()
    analyse(qtbot, window, EXAMPLE)
    assert [window.views.tabText(i) for i in range(window.views.count())] == ["Architecture", "Matrix", "Timeline"]
    assert window.matrix.content.cell("shop.core", "shop.ui") is not None

    layers = next(v for v in window.result.violations if (v.importer, v.imported) == ("shop.core", "shop.ui"))
    assert window.select_violation(layers.fingerprint)
    assert window.matrix.selected_cell == ("shop.core", "shop.ui")

    # A cell clicked in the matrix selects the violation behind it in the table.
    other = next(v for v in window.result.violations if v.rule == "adapters-stay-out-of-core")
    window.matrix.cellSelected.emit("shop.core", "shop.adapters")
    assert window.violations.selected_violation.fingerprint == other.fingerprint


def test_live_mode_rechecks_after_a_save_and_stops_when_turned_off(qtbot, make_window, example: Path):
    window = make_window()
    analyse(qtbot, window, example)
    assert not any(v.imported == "shop.api" and v.importer == "shop.core" for v in window.result.violations)

    window.set_live(True)
    assert window.commands["live_mode"].isChecked()
    assert window.summary_label.text().endswith("· live")
    models = example / "shop" / "core" / "models.py"
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        models.write_text(models.read_text() + "\nfrom shop.api import catalogue  # noqa\n")
    assert any(v.importer == "shop.core" and v.imported == "shop.api" for v in window.result.violations)

    window.set_live(False)
    assert not window.summary_label.text().endswith("· live")
    with qtbot.assertNotEmitted(window.runner.running_changed, wait=1000):
        models.write_text(models.read_text() + "\n# another save\n")
