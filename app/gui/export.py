"""Save the architecture drawing as a PNG or SVG file, and the check as a report.

The whole drawing is saved as it stands (expanded packages, rule, selection), in full detail
whatever the zoom. Reports are those of `strataview check --format F` (core.reports), made from
the result on screen. Files are written beside the target under a temporary name and then
renamed over it, so a failed export never leaves a half-written file in its place.
"""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem

from app.gui.graph.items import Detail
from app.gui.graph.scene import ArchitectureScene
from app.gui.theme import current_theme
from core.architecture import DependencyMap
from core.check import Analysis
from core.files import write_text_atomically
from core.model import CheckResult
from core.reports import REPORT_FORMATS

PNG_SCALE = 2.0  # pixels per scene unit: sharp on high-DPI screens and in print
MAX_SIDE = 16_000
MAX_PIXELS = 48_000_000
# The report formats File > Export Report offers, first the one it proposes (annotations for
# GitHub Actions are only of use in a CI log).
EXPORTED_REPORTS = ("html", "sarif", "markdown", "junit", "json", "text")


def export_png(scene: ArchitectureScene, target: Path, scale: float = PNG_SCALE) -> Path:
    """Render the scene to a PNG; a large drawing is scaled down to stay within a sane image size."""
    source = scene.sceneRect()
    width, height = max(source.width(), 1.0), max(source.height(), 1.0)
    scale = min(scale, MAX_SIDE / max(width, height), math.sqrt(MAX_PIXELS / (width * height)))
    image = QImage(math.ceil(width * scale), math.ceil(height * scale), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor(current_theme().base))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    with _full_detail(scene):
        scene.render(painter, QRectF(image.rect()), source)
    painter.end()
    return _write_atomically(Path(target), lambda path: image.save(str(path), "PNG"))


def export_svg(scene: ArchitectureScene, target: Path) -> Path:
    """Render the scene to an SVG drawing in scene units."""
    source = scene.sceneRect()
    size = QSize(math.ceil(source.width()), math.ceil(source.height()))

    def write(path: Path) -> bool:
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(size)
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setTitle("Architecture")
        generator.setDescription("Layers, packages and their dependencies, drawn by Strataview")
        painter = QPainter()
        if not painter.begin(generator):
            return False
        painter.fillRect(QRectF(0, 0, size.width(), size.height()), QColor(current_theme().base))
        with _full_detail(scene):
            scene.render(painter, QRectF(0, 0, size.width(), size.height()), source)
        return painter.end()

    return _write_atomically(Path(target), write)


@contextmanager
def _full_detail(scene: ArchitectureScene) -> Iterator[None]:
    """Every item drawn in full, from itself: no overview, no level of detail, and no cached pixels
    (which would end up in an SVG as embedded images instead of paths)."""
    overview = scene.overview_shown
    scene.set_overview(False)
    cached = [(item, item.cacheMode()) for item in scene.items() if item.cacheMode() != QGraphicsItem.CacheMode.NoCache]
    for item, _mode in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    Detail.full = True
    try:
        yield
    finally:
        Detail.full = False
        for item, mode in cached:
            item.setCacheMode(mode)
        scene.set_overview(overview)


def _write_atomically(target: Path, write: Callable[[Path], bool]) -> Path:
    """Write through `write` to a temporary file beside `target`, then rename it over `target`."""
    if not target.parent.is_dir():
        raise FileNotFoundError(2, "No such directory", str(target.parent))
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        if not write(temporary) or not temporary.is_file():
            raise OSError(f"could not write {target}")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def report_filters() -> list[tuple[str, str]]:
    """Each exported report format with its file dialog filter, such as 'HTML report (*.html)'."""
    return [
        (name, f"{REPORT_FORMATS[name].TITLE} (*.{REPORT_FORMATS[name].SUFFIX})") for name in EXPORTED_REPORTS
    ]


def export_report(
    result: CheckResult,
    format_name: str,
    target: Path,
    analysis: Analysis | None = None,
    dependency_map: DependencyMap | None = None,
) -> Path:
    """Write the report of `result` in a format of core.reports; the HTML report draws the
    architecture from `dependency_map` (made from `analysis` when not given)."""
    module = REPORT_FORMATS[format_name]
    extra = {"dependency_map": dependency_map} if format_name == "html" and dependency_map is not None else {}
    text = module.render(result, analysis=analysis, **extra)
    write_text_atomically(Path(target), text)
    return Path(target)
