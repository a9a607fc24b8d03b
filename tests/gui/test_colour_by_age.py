"""View > Colour by Age: the architecture's boxes filled by when their newest module was added,
those holding modules from AI-assisted commits hatched, with a legend; the choice is remembered."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_support import TIMEOUT_MS, analyse
from PySide6.QtWidgets import QApplication

from app.gui.graph.ages import age_scale
from app.gui.graph.items import age_colour, style_for
from app.gui.main_window import MainWindow
from app.gui.theme import current_theme
from core.demo import DemoProject, create_demo_project
from core.model import Provenance
from core.provenance import UNCOMMITTED


def committed(sha: str, date: str, generated: bool = False) -> Provenance:
    signals = ("Co-authored-by: Claude <noreply@anthropic.com>",) if generated else ()
    return Provenance(commit=sha * 40, author="Ada", date=date, summary="s", generated=generated, signals=signals)


def test_ages_rank_the_dates_of_the_commits_and_a_box_is_as_old_as_its_newest_module():
    provenance = {
        "shop.a.one": committed("1", "2020-01-01T10:00:00+00:00"),
        "shop.a.two": committed("2", "2025-03-01T10:00:00+01:00"),
        "shop.b.one": committed("3", "2025-03-01T09:30:00+00:00", generated=True),  # half an hour after two
        "shop.b.two": committed("1", "2020-01-01T10:00:00+00:00"),
        "shop.c.fresh": Provenance(note=UNCOMMITTED),
        "shop.c.ancient": Provenance(note="added before the 10 most recent commits"),
    }

    scale = age_scale(provenance)

    # Three distinct dates, evenly spread however far apart they are; uncommitted is the newest.
    assert scale.positions == {
        "shop.a.one": 0.0,
        "shop.b.two": 0.0,
        "shop.a.two": 0.5,
        "shop.b.one": 1.0,
        "shop.c.fresh": 1.0,
        "shop.c.ancient": 0.0,
    }
    assert (scale.oldest, scale.newest) == ("2020-01-01", "2025-03-01")
    boxes = ["shop.a", "shop.b", "shop.c", "shop.d"]
    ages = scale.box_ages(boxes, lambda module: module.rpartition(".")[0], provenance)
    assert set(ages) == {"shop.a", "shop.b", "shop.c"}  # shop.d holds no module with a history
    assert (ages["shop.a"].position, ages["shop.a"].newest, ages["shop.a"].generated) == (0.5, "shop.a.two", ())
    assert (ages["shop.b"].position, ages["shop.b"].generated, ages["shop.b"].modules) == (1.0, ("shop.b.one",), 2)
    assert ages["shop.c"].newest == "shop.c.fresh" and ages["shop.c"].provenance.note == UNCOMMITTED
    assert age_scale({"m": committed("1", "2025-01-01T00:00:00+00:00")}).positions == {"m": 1.0}


def test_the_age_colours_run_from_old_through_middle_to_new():
    style = style_for(current_theme())
    assert age_colour(0.0, style).name() == style.age_old
    assert age_colour(0.5, style).name() == style.age_middle
    assert age_colour(1.0, style).name() == style.age_new
    quarter = age_colour(0.25, style)
    old, middle = age_colour(0.0, style), age_colour(0.5, style)
    assert min(old.red(), middle.red()) <= quarter.red() <= max(old.red(), middle.red())


@pytest.fixture
def demo(tmp_path: Path) -> DemoProject:
    return create_demo_project(tmp_path / "demo")


def open_demo(qtbot, window: MainWindow, demo: DemoProject) -> None:
    with qtbot.waitSignal(window.runner.succeeded, timeout=TIMEOUT_MS):
        window.open_project(demo.root, baseline=demo.commits[0].sha)


def test_colour_by_age_on_the_demo_shows_the_new_and_generated_modules(qtbot, make_window, settings, demo, tmp_path):
    window = make_window()
    window.resize(1400, 900)
    open_demo(qtbot, window, demo)
    scene = window.architecture.scene
    style = style_for(current_theme())
    layered = {name: item.fill.name() for name, item in scene.boxes.items()}
    assert scene.colour_by == "layer" and not any(item.generated for item in scene.boxes.values())

    window.commands["colour_by_age"].trigger()

    assert scene.colour_by == "age" and settings.colour_by() == "age"
    assert window.commands["colour_by_age"].isChecked() and not window.commands["colour_by_layer"].isChecked()
    shas = [commit.sha for commit in demo.commits]
    ages = {name: (age.position, age.provenance.commit, age.generated) for name, age in scene.box_ages.items()}
    # The first commit's packages are the oldest; recommendations (Claude) and the sales report
    # (Copilot), added since, are newer and AI-assisted.
    assert ages["shop.ui"] == (0.0, shas[0], ())
    assert ages["shop.core"] == (0.5, shas[1], ("shop.core.recommendations",))
    assert ages["shop.sales_report"] == (1.0, shas[3], ("shop.sales_report",))
    assert scene.boxes["shop.ui"].fill.name() == style.age_old
    assert scene.boxes["shop.sales_report"].fill.name() == style.age_new
    assert scene.boxes["shop.core"].fill == age_colour(0.5, style)
    assert [name for name, item in scene.boxes.items() if item.generated] == ["shop.core", "shop.sales_report"]
    assert {name: item.fill.name() for name, item in scene.boxes.items()} != layered
    legend = window.architecture.legend.text()
    assert "2025-03-03" in legend and "2025-03-14" in legend and "AI-assisted" in legend
    tooltip = scene.describe_box("shop.core")
    assert f"newest module shop.core.recommendations: added 2025-03-10 in {shas[1][:7]} by Jonas Reiter" in tooltip
    assert "1 module from AI-assisted commits (Co-authored-by: Claude <noreply@anthropic.com>)" in tooltip
    # Expanded, each module has its own age.
    window.architecture.toggle("shop.core")
    assert scene.boxes["shop.core.recommendations"].generated
    assert scene.boxes["shop.core.pricing"].fill.name() == style.age_old
    QApplication.processEvents()  # the two-line legend lays out the bar again
    window.architecture.fit()
    window.grab().save(str(tmp_path / "colour-by-age.png"))

    window.commands["colour_by_layer"].trigger()
    assert scene.colour_by == "layer" and settings.colour_by() == "layer"
    assert "AI-assisted" not in window.architecture.legend.text()
    assert not scene.boxes["shop.core.recommendations"].generated


def test_the_choice_is_remembered_and_without_history_the_boxes_say_so(qtbot, make_window, settings, demo):
    settings.set_colour_by("age")
    window = make_window()
    assert window.commands["colour_by_age"].isChecked()
    analyse(qtbot, window, demo.root)  # no baseline: no module has a commit to tell its age

    scene = window.architecture.scene
    style = style_for(current_theme())
    assert scene.colour_by == "age" and scene.box_ages == {}
    assert {item.fill.name() for item in scene.boxes.values()} == {style.age_unknown}
    assert "no module has a commit yet; choose a git baseline" in window.architecture.legend.text()
    assert "age unknown" in scene.describe_box("shop.ui")

    settings.store.setValue("view/colour_by", "rainbow")
    assert settings.colour_by() == "layer"
