"""Light and dark palettes following the system colour scheme, and the app's semantic colours."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class Theme:
    dark: bool
    window: str
    window_text: str
    base: str
    alternate_base: str
    text: str
    button: str
    mid: str
    highlight: str
    highlighted_text: str
    link: str
    placeholder: str
    kept: str
    broken: str
    banner_background: str
    banner_border: str
    banner_text: str
    current_line: str
    line_numbers: str
    code_style: str  # a Pygments style

    def palette(self) -> QPalette:
        palette = QPalette()
        roles = {
            QPalette.ColorRole.Window: self.window,
            QPalette.ColorRole.WindowText: self.window_text,
            QPalette.ColorRole.Base: self.base,
            QPalette.ColorRole.AlternateBase: self.alternate_base,
            QPalette.ColorRole.Text: self.text,
            QPalette.ColorRole.Button: self.button,
            QPalette.ColorRole.ButtonText: self.window_text,
            QPalette.ColorRole.ToolTipBase: self.base,
            QPalette.ColorRole.ToolTipText: self.text,
            QPalette.ColorRole.Highlight: self.highlight,
            QPalette.ColorRole.HighlightedText: self.highlighted_text,
            QPalette.ColorRole.Link: self.link,
            QPalette.ColorRole.PlaceholderText: self.placeholder,
            QPalette.ColorRole.Mid: self.mid,
            QPalette.ColorRole.Midlight: self.button,
            QPalette.ColorRole.Dark: self.mid,
            QPalette.ColorRole.Light: self.alternate_base,
            QPalette.ColorRole.BrightText: self.broken,
        }
        for role, colour in roles.items():
            palette.setColor(role, QColor(colour))
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(self.placeholder))
        return palette


LIGHT = Theme(
    dark=False,
    window="#f3f3f3",
    window_text="#1f2328",
    base="#ffffff",
    alternate_base="#f6f8fa",
    text="#1f2328",
    button="#e9e9e9",
    mid="#c4c4c4",
    highlight="#2f6fdb",
    highlighted_text="#ffffff",
    link="#0969da",
    placeholder="#6e7781",
    kept="#1a7f37",
    broken="#cf222e",
    banner_background="#ffebe9",
    banner_border="#ff8182",
    banner_text="#82071e",
    current_line="#fff1a8",
    line_numbers="#8c959f",
    code_style="default",
)

DARK = Theme(
    dark=True,
    window="#2b2d30",
    window_text="#dfe1e5",
    base="#1e1f22",
    alternate_base="#26282b",
    text="#dfe1e5",
    button="#3c3f41",
    mid="#4e5157",
    highlight="#2f65ca",
    highlighted_text="#ffffff",
    link="#6ea8fe",
    placeholder="#8b8f96",
    kept="#3fb950",
    broken="#f85149",
    banner_background="#3d1f21",
    banner_border="#a4373a",
    banner_text="#ffc9c4",
    current_line="#4a3f12",
    line_numbers="#6e7681",
    code_style="github-dark",
)


def theme_for(scheme: Qt.ColorScheme) -> Theme:
    return DARK if scheme == Qt.ColorScheme.Dark else LIGHT


def current_theme() -> Theme:
    """The theme for the system's colour scheme (light when the system does not say)."""
    return theme_for(QGuiApplication.styleHints().colorScheme())


def apply_theme(app: QApplication) -> Theme:
    theme = current_theme()
    app.setStyle("Fusion")
    app.setPalette(theme.palette())
    return theme


_FOLLOWING = "strataview-follows-system-theme"


def follow_system_theme(app: QApplication) -> None:
    """Apply the current theme now and again whenever the system switches between light and dark."""
    apply_theme(app)
    if not app.property(_FOLLOWING):
        app.setProperty(_FOLLOWING, True)
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_theme(app))
