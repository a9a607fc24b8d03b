"""A read-only Python source view with syntax highlighting, line numbers and highlighted import lines."""

from __future__ import annotations

import tokenize
from functools import lru_cache
from pathlib import Path

from pygments.lexers import PythonLexer
from pygments.styles import get_style_by_name
from pygments.token import _TokenType
from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from app.gui.theme import current_theme

FormatRange = tuple[int, int, QTextCharFormat]  # start, length (UTF-16 units), format


class PythonHighlighter(QSyntaxHighlighter):
    """Highlights a whole Python file with Pygments at once, so that multi-line strings are right.

    The document is read-only: `set_source` lexes the text once and `highlightBlock` only looks up
    the ranges of its line.
    """

    def __init__(self, document: QTextDocument, style: str) -> None:
        super().__init__(document)
        self._style = style
        self._lines: list[list[FormatRange]] = []

    @property
    def background(self) -> str:
        return get_style_by_name(self._style).background_color

    def set_style(self, style: str) -> None:
        if style != self._style:
            self._style = style
            self.set_source(self.document().toPlainText())
            self.rehighlight()

    def set_source(self, text: str) -> None:
        """Lex `text`, which the document is about to show (or already shows)."""
        lines: list[list[FormatRange]] = [[]]
        column = 0
        for _, token, value in PythonLexer().get_tokens_unprocessed(text):
            style = _char_format(self._style, token)
            for number, part in enumerate(value.split("\n")):
                if number:
                    lines.append([])
                    column = 0
                length = _utf16_length(part)
                if length and style is not None:
                    lines[-1].append((column, length, style))
                column += length
        self._lines = lines

    def highlightBlock(self, text: str) -> None:
        number = self.currentBlock().blockNumber()
        if number < len(self._lines):
            for start, length, style in self._lines[number]:
                self.setFormat(start, length, style)


@lru_cache(maxsize=512)
def _char_format(style_name: str, token: _TokenType) -> QTextCharFormat | None:
    style = get_style_by_name(style_name).style_for_token(token)
    if not (style["color"] or style["bold"] or style["italic"] or style["underline"]):
        return None
    char_format = QTextCharFormat()
    if style["color"]:
        char_format.setForeground(QColor(f"#{style['color']}"))
    if style["bold"]:
        char_format.setFontWeight(QFont.Weight.Bold)
    if style["italic"]:
        char_format.setFontItalic(True)
    if style["underline"]:
        char_format.setFontUnderline(True)
    return char_format


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _stamp(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_mtime_ns, status.st_size


def read_source(path: Path) -> str:
    """A Python file's text, honouring its coding cookie; undecodable bytes are replaced."""
    try:
        with tokenize.open(path) as file:
            text = file.read()
    except (SyntaxError, UnicodeDecodeError):
        text = path.read_bytes().decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


class SourceView(QPlainTextEdit):
    """Shows one file at a time, scrolled to and highlighting the lines it was asked to show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._highlighter = PythonHighlighter(self.document(), current_theme().code_style)
        self._file: Path | None = None
        self._stamp: tuple[int, int] | None = None  # the shown file's modification time and size
        self._lines: tuple[int, ...] = ()
        self._gutter = _LineNumberGutter(self)
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._update_gutter)
        self._apply_theme()
        self._update_gutter_width()

    @property
    def file(self) -> Path | None:
        """The file shown, None when the view shows a message instead."""
        return self._file

    @property
    def highlighted_lines(self) -> tuple[int, ...]:
        """The highlighted line numbers, counting from 1."""
        return self._lines

    def show_file(self, path: Path, lines: tuple[int, ...] = ()) -> None:
        """Show `path` with `lines` highlighted, scrolled to the first of them."""
        try:
            stamp = _stamp(path)
            if (path, stamp) != (self._file, self._stamp):
                text = read_source(path)
                self._highlighter.set_source(text)
                self.setPlainText(text)
                self._file, self._stamp = path, stamp
        except OSError as error:
            self.show_message(f"Cannot read {path}: {error.strerror or error}")
            return
        self._lines = tuple(line for line in lines if 0 < line <= self.blockCount())
        self._mark_lines()
        if self._lines:
            cursor = QTextCursor(self.document().findBlockByNumber(self._lines[0] - 1))
            self.setTextCursor(cursor)
            self.centerCursor()

    def show_message(self, message: str) -> None:
        self._file = self._stamp = None
        self._lines = ()
        self._highlighter.set_source("")
        self.setPlainText("")
        self.setPlaceholderText(message)
        self.setExtraSelections([])

    def _mark_lines(self) -> None:
        selections = []
        for line in self._lines:
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(QColor(current_theme().current_line))
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            selection.cursor = QTextCursor(self.document().findBlockByNumber(line - 1))
            selections.append(selection)
        self.setExtraSelections(selections)

    def _apply_theme(self) -> None:
        theme = current_theme()
        self._highlighter.set_style(theme.code_style)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Base, QColor(self._highlighter.background))
        palette.setColor(QPalette.ColorRole.Text, QColor(theme.text))
        self.setPalette(palette)
        self._mark_lines()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self._apply_theme()

    # Line numbers, after Qt's "Code Editor" example.

    def gutter_width(self) -> int:
        digits = max(3, len(str(self.blockCount())))
        return 12 + self.fontMetrics().horizontalAdvance("9") * digits

    def _update_gutter_width(self) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        contents = self.contentsRect()
        self._gutter.setGeometry(QRect(contents.left(), contents.top(), self.gutter_width(), contents.height()))

    def paint_gutter(self, painter: QPainter, rect: QRect) -> None:
        theme = current_theme()
        painter.fillRect(rect, QColor(self._highlighter.background))
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        width = self._gutter.width() - 6
        height = self.fontMetrics().height()
        while block.isValid() and top <= rect.bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= rect.top():
                number = block.blockNumber() + 1
                marked = number in self._lines
                painter.setPen(QColor(theme.text if marked else theme.line_numbers))
                font = painter.font()
                font.setBold(marked)
                painter.setFont(font)
                painter.drawText(0, top, width, height, Qt.AlignmentFlag.AlignRight, str(number))
            block = block.next()
            top = bottom


class _LineNumberGutter(QWidget):
    def __init__(self, view: SourceView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self) -> QSize:
        return QSize(self._view.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setFont(self._view.font())
        self._view.paint_gutter(painter, event.rect())
        painter.end()
