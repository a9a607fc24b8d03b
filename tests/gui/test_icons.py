"""Icons from resources/icons/: valid SVG, drawn in the theme's colours, on the actions and the rules."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from gui_support import EXAMPLE, analyse
from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage
from PySide6.QtSvg import QSvgRenderer

from app.gui import icons
from app.gui.actions import ACTION_SPECS, TOOLBAR_LAYOUT
from app.gui.icons import ICONS_DIR, PLACEHOLDER, MissingIcon, render, status_icon, themed_icon
from app.gui.models.rules import NAME
from app.gui.theme import DARK, LIGHT

SVG = "{http://www.w3.org/2000/svg}svg"
ICON_NAMES = (
    "open", "reanalyse", "live", "cancel", "export", "fit", "zoom_in", "zoom_out", "find", "kept", "broken", "new"
)


def painted(image: QImage, min_alpha: int = 240) -> list[QColor]:
    """The colours of the pixels that are at least this opaque (all but the edges, by default)."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    return [
        colour
        for x in range(image.width())
        for y in range(image.height())
        if (colour := QColor.fromRgba(image.pixel(x, y))).alpha() >= min_alpha
    ]


def close(a: QColor, b: QColor, tolerance: int = 12) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) <= tolerance


def icon_image(icon: QIcon, size: int = 48) -> QImage:
    return icon.pixmap(QSize(size, size)).toImage()


def test_every_icon_is_an_svg_in_one_replaceable_colour():
    assert sorted(path.stem for path in ICONS_DIR.glob("*.svg")) == sorted(ICON_NAMES)
    for name in ICON_NAMES:
        path = ICONS_DIR / f"{name}.svg"
        root = ElementTree.parse(path).getroot()
        assert root.tag == SVG and root.get("viewBox") == "0 0 24 24", name
        text = path.read_text(encoding="utf-8")
        assert PLACEHOLDER in text, name
        assert not re.search(r"#[0-9a-fA-F]{3,6}\b|rgb\(", text), f"{name} has a colour of its own"
        assert QSvgRenderer(QByteArray(text.encode())).isValid(), name


@pytest.mark.parametrize("name", ICON_NAMES)
def test_every_icon_renders_at_small_and_high_dpi_sizes(qapp, name: str):
    for size in (16, 48):
        image = render(name, "#000000", size).toImage()
        assert (image.width(), image.height()) == (size, size)
        ink = painted(image, min_alpha=1)
        # Something drawn, but not a filled square.
        assert len(ink) > size * size * 0.1, f"{name} at {size} px is (nearly) empty"
        assert len(ink) < size * size * 0.8, f"{name} at {size} px fills its square"
    icon = themed_icon(name, LIGHT)
    assert icon.pixmap(QSize(32, 32), 2.0).deviceIndependentSize().toSize() == QSize(32, 32)
    assert icon.pixmap(QSize(32, 32), 2.0).width() == 64  # drawn at the screen's resolution


def test_recolouring_draws_in_the_light_or_dark_text_colour(qapp):
    light, dark = painted(icon_image(themed_icon("open", LIGHT))), painted(icon_image(themed_icon("open", DARK)))
    assert light and dark
    assert all(close(colour, QColor(LIGHT.window_text)) for colour in light)
    assert all(close(colour, QColor(DARK.window_text)) for colour in dark)
    assert not close(QColor(LIGHT.window_text), QColor(DARK.window_text))
    disabled = themed_icon("open", LIGHT).pixmap(QSize(48, 48), QIcon.Mode.Disabled).toImage()
    assert all(close(colour, QColor(LIGHT.placeholder)) for colour in painted(disabled))


def test_kept_and_broken_are_green_and_red_discs_with_the_mark_cut_out(qapp):
    for theme in (LIGHT, DARK):
        for kept, colour in ((True, theme.kept), (False, theme.broken)):
            image = icon_image(status_icon(kept, theme))  # 48 px: twice the SVG's 24 units
            assert all(close(pixel, QColor(colour)) for pixel in painted(image))
            assert QColor.fromRgba(image.pixel(24, 6)).alpha() > 240  # the disc near its top
            # The corner of the tick is cut out of a kept disc, an arm of the cross out of a broken one.
            tick_corner, cross_arm = QColor.fromRgba(image.pixel(21, 32)), QColor.fromRgba(image.pixel(19, 19))
            assert (tick_corner.alpha(), cross_arm.alpha()) == ((0, 255) if kept else (255, 0))


def test_a_missing_icon_names_the_file(qapp, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(icons, "ICONS_DIR", tmp_path)
    icons.svg_text.cache_clear()
    try:
        with pytest.raises(MissingIcon, match=re.escape(str(tmp_path / "open.svg"))):
            render("open", "#000000", 16)
        (tmp_path / "open.svg").write_text("<svg><path d='M0 0L")
        icons.svg_text.cache_clear()
        with pytest.raises(MissingIcon, match="not a valid SVG"):
            render("open", "#000000", 16)
    finally:
        icons.svg_text.cache_clear()


def test_actions_and_the_toolbar_carry_icons(make_window):
    window = make_window()
    with_icons = {spec.name: spec.icon for spec in ACTION_SPECS if spec.icon}
    main = {"open_project", "reanalyse", "live_mode", "fit_view", "export_png", "cancel_analysis", "find"}
    assert main <= set(with_icons)
    for name, icon_name in with_icons.items():
        assert (ICONS_DIR / f"{icon_name}.svg").is_file()
        assert not window.commands[name].icon().isNull(), name
    toolbar = window.toolbar
    assert [action.objectName() for action in toolbar.actions() if not action.isSeparator()] == [
        entry for entry in TOOLBAR_LAYOUT if entry != "-"
    ]
    assert toolbar.isVisible()
    for action in toolbar.actions():
        if not action.isSeparator():
            assert painted(icon_image(action.icon(), 24))


def test_icons_follow_a_switch_between_light_and_dark(make_window, monkeypatch):
    window = make_window()
    action = window.commands["reanalyse"]
    assert all(close(c, QColor(LIGHT.window_text)) for c in painted(icon_image(action.icon())))
    monkeypatch.setattr(icons, "current_theme", lambda: DARK)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert all(close(c, QColor(DARK.window_text)) for c in painted(icon_image(action.icon())))


def test_the_rules_panel_shows_kept_and_broken_icons(qtbot, make_window):
    window = make_window()
    result = analyse(qtbot, window, EXAMPLE)
    model = window.rules.model
    for row, rule in enumerate(result.rules, start=1):
        icon = model.index(row, NAME).data(Qt.ItemDataRole.DecorationRole)
        assert isinstance(icon, QIcon)
        colours = painted(icon_image(icon, 32))
        assert colours and all(close(c, QColor(LIGHT.kept if rule.kept else LIGHT.broken)) for c in colours)
