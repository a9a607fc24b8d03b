"""Icons: SVG files under `resources/icons/`, drawn in the colours of the current theme.

Each file is drawn in one colour, written `currentColor`; it is replaced by the theme's text
colour (or the colour asked for) before the SVG is rendered, at sizes from small toolbar icons to
those of high-DPI screens. `ThemedIcons` puts icons on actions and draws them again when the
system switches between light and dark.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QRectF, Qt
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from app.gui.theme import Theme, current_theme

ICONS_DIR = Path(__file__).resolve().parents[2] / "resources" / "icons"
PLACEHOLDER = "currentColor"
# Pixel sizes each icon is rendered at: 16 to 24 logical pixels at scales of 1 to 3, and larger.
SIZES = (16, 20, 24, 32, 40, 48, 64, 72, 96)


class MissingIcon(FileNotFoundError):
    """An icon file is missing or is not an SVG image."""


@lru_cache(maxsize=None)
def svg_text(name: str) -> str:
    """The SVG source of icon `name`, as it is in `resources/icons/`."""
    path = ICONS_DIR / f"{name}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MissingIcon(
            f"the icon '{name}' is missing: {path} does not exist (Strataview runs from a checkout of its "
            "repository, with resources/ next to app/)"
        ) from None


def recoloured(name: str, colour: str) -> bytes:
    """The SVG of icon `name` drawn in `colour` (any colour SVG understands, as '#1f2328')."""
    return svg_text(name).replace(PLACEHOLDER, colour).encode("utf-8")


def render(name: str, colour: str, size: int) -> QPixmap:
    """Icon `name` in `colour` on a transparent square pixmap of `size` pixels."""
    renderer = QSvgRenderer(QByteArray(recoloured(name, colour)))
    if not renderer.isValid():
        raise MissingIcon(f"the icon '{name}' is not a valid SVG image: {ICONS_DIR / f'{name}.svg'}")
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


@lru_cache(maxsize=128)
def icon(name: str, colour: str, disabled_colour: str | None = None) -> QIcon:
    """Icon `name` in `colour` at every size in `SIZES`, greyed to `disabled_colour` when disabled."""
    result = QIcon()
    for size in SIZES:
        result.addPixmap(render(name, colour, size), QIcon.Mode.Normal)
        if disabled_colour is not None:
            result.addPixmap(render(name, disabled_colour, size), QIcon.Mode.Disabled)
    return result


def themed_icon(name: str, theme: Theme | None = None) -> QIcon:
    """Icon `name` in the text colour of `theme` (the current theme unless given)."""
    theme = theme or current_theme()
    return icon(name, theme.window_text, theme.placeholder)


def status_icon(kept: bool, theme: Theme | None = None) -> QIcon:
    """A disc with a tick in the theme's green for a kept rule, with a cross in its red for a broken one."""
    theme = theme or current_theme()
    return icon("kept", theme.kept) if kept else icon("broken", theme.broken)


class ThemedIcons(QObject):
    """Gives actions their icons in the current theme's colours, and gives them again in the new
    colours when the system switches between light and dark. Lives as long as its parent."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._actions: list[tuple[QAction, str]] = []
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.refresh)

    def set_icon(self, action: QAction, name: str) -> None:
        self._actions.append((action, name))
        action.setIcon(themed_icon(name))

    def refresh(self) -> None:
        for action, name in self._actions:
            action.setIcon(themed_icon(name))
