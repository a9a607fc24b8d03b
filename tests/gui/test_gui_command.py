"""`strataview gui --screenshot`: the desktop app analyses, draws itself and exits."""

from pathlib import Path

from PySide6.QtGui import QImage

from app.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "example"


def test_gui_command_saves_a_screenshot_of_the_analysed_project(qapp, tmp_path):
    shot = tmp_path / "main.png"
    assert main(["gui", str(EXAMPLE), "--screenshot", str(shot)]) == 0
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1400, 900)
    # Not a blank window: the drawing holds many distinct colours (text, icons, highlighting).
    colours = {image.pixel(x, y) for x in range(0, 1400, 7) for y in range(0, 900, 7)}
    assert len(colours) > 20


def test_gui_command_with_a_broken_config_reports_it_and_exits_2(qapp, tmp_path, capsys):
    project = tmp_path / "project"
    (project / "shop").mkdir(parents=True)
    (project / "shop" / "__init__.py").write_text("")
    (project / "strataview.toml").write_text("root_packages = [\"shop\"\n")
    assert main(["gui", str(project), "--screenshot", str(tmp_path / "shot.png")]) == 2
    assert "strataview.toml" in capsys.readouterr().err
