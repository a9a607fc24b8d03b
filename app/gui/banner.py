"""A dismissable banner across the top of the window for problems the user has to fix."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from app.gui.theme import current_theme


class ErrorBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("error-banner")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Dismiss")
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._plain = ""
        self._apply_theme()
        self.hide()

    def show_problem(self, headline: str, detail: str, note: str = "") -> None:
        self._plain = "\n".join(part for part in (headline, detail, note) if part)
        html = f"<b>{escape(headline)}</b><br>{escape(detail)}"
        if note:
            html += f"<br><i>{escape(note)}</i>"
        self.label.setText(html)
        self.show()

    def text(self) -> str:
        """The message shown, as plain text."""
        return self._plain

    def _apply_theme(self) -> None:
        theme = current_theme()
        self.setStyleSheet(
            f"#error-banner {{ background: {theme.banner_background}; border: 1px solid {theme.banner_border};"
            f" border-radius: 4px; }}"
            f" #error-banner QLabel, #error-banner QToolButton {{ color: {theme.banner_text}; }}"
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self._apply_theme()
