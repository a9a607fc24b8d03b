"""The architecture drawing of the HTML report: the app's layout (core.layout) as inline SVG.

The layers are bands from top to bottom, packages and modules boxes, allowed imports thin grey
curves, imports that break a rule red curves that grow with their number (brighter, over a halo,
when a violation on them is new since the baseline), cycles violet and ignored imports dashed.
Modules added since the baseline have a green stripe and badge. The app measures text with its
fonts; here widths are estimated per character from the metrics of a bold sans-serif face, so a
label takes about the room it takes in the app. Every name is escaped; the report's stylesheet
gives the classes their colours.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from core.architecture import DependencyMap
from core.layout import (
    CYCLE,
    EDGE_WIDTHS,
    FRAME_TITLE,
    IGNORED,
    ILLEGAL,
    LABEL_WIDTH,
    LEGAL,
    NEW_BADGE_AT,
    ArchitectureLayout,
    Band,
    Box,
    Edge,
    Frame,
    arrow_head,
    curve_point,
    illegal_width,
    layout_architecture,
)
from core.model import CheckResult

LABEL_SIZE = 12.0  # pixels, as in the app
TITLE_SIZE = 13.0
NOTE_SIZE = 11.0
COUNT_SIZE = 10.0
BADGE_SIZE = 9.0
LINE_HEIGHT = 1.25  # of the font size
MIN_SCALE, MAX_SCALE = 0.7, 1.4  # how far the page may shrink or grow the drawing

# Advance widths of Helvetica Bold in thousandths of the font size, from space (32) to tilde (126).
_WIDTHS = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
)  # fmt: skip
_OTHER_WIDTH = 611
_WIDE_WIDTH = 1000  # CJK and other full-width characters


def text_width(text: str, size: float = LABEL_SIZE) -> float:
    """About how wide `text` is set in a bold sans-serif face at `size` pixels."""
    total = 0
    for character in text:
        code = ord(character)
        if 32 <= code <= 126:
            total += _WIDTHS[code - 32]
        else:
            total += _WIDE_WIDTH if code >= 0x2E80 else _OTHER_WIDTH
    return total * size / 1000


def architecture_svg(dependency_map: DependencyMap, result: CheckResult) -> str:
    """The layers of every `layers` rule with the project's packages in them, as an `<svg>` element."""
    layout = layout_architecture(dependency_map, text_width=text_width)
    added = _added_per_box(layout, result)
    new_pairs = _pairs_with_new_violations(layout, result)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="architecture" viewBox="0 0 {layout.width:.0f} '
        f'{layout.height:.0f}" width="{layout.width:.0f}" height="{layout.height:.0f}" role="img" '
        # As wide as the page, but never shrunk or grown so far that its labels become hard to read.
        f'style="width:100%;height:auto;min-width:{layout.width * MIN_SCALE:.0f}px;'
        f'max-width:{layout.width * MAX_SCALE:.0f}px" '
        'aria-label="The layers of the architecture and the imports between their packages">'
    ]
    for index, band in enumerate(layout.bands):
        parts.append(_band(band, index, layout.width))
    for frame in sorted(layout.frames.values(), key=lambda frame: frame.depth):
        parts.append(_frame(frame))
    edges, badges = _edges(layout, new_pairs)
    parts.extend(edges)
    for box in layout.boxes.values():
        parts.append(_box(box, added[box.name]))
    parts.extend(badges)  # over the boxes, so that none hides them
    parts.append("</svg>")
    return "".join(parts)


def _band(band: Band, index: int, width: float) -> str:
    rect = band.rect
    if band.outside:
        kind = "band-uncovered" if band.uncovered else "band-outside"
        count = band.uncovered
        note = f"{count} module{'s' if count != 1 else ''} outside the architecture" if count else "modules in no drawn layer"
    else:
        kind = "band-alternate" if index % 2 else "band"
        independence = "independent" if band.independent else "not independent"
        note = f"layer {band.index + 1} of rule '{band.rule}'" + (f", {independence}" if " " in band.title else "")
    title_lines = _wrap(band.title, LABEL_WIDTH - 20, TITLE_SIZE)
    note_lines = _wrap(note, LABEL_WIDTH - 20, NOTE_SIZE)
    title_height = len(title_lines) * TITLE_SIZE * LINE_HEIGHT
    block = title_height + 2 + len(note_lines) * NOTE_SIZE * LINE_HEIGHT
    top = rect.y + max(8.0, (rect.height - block) / 2)
    texts = [
        _text(12, top + TITLE_SIZE * (LINE_HEIGHT * number + 1), line, "band-title")
        for number, line in enumerate(title_lines)
    ]
    note_top = top + title_height + 2
    texts += [
        _text(12, note_top + NOTE_SIZE * (LINE_HEIGHT * number + 1), line, "band-note")
        for number, line in enumerate(note_lines)
    ]
    return (
        f'<g class="{kind}"><rect x="0" y="{rect.y:.1f}" width="{width:.1f}" height="{rect.height:.1f}"/>'
        f'<path class="band-line" d="M0 {rect.bottom:.1f}H{width:.1f}M{LABEL_WIDTH} {rect.y:.1f}V{rect.bottom:.1f}"/>'
        + "".join(texts)
        + "</g>"
    )


def _frame(frame: Frame) -> str:
    rect = frame.rect
    kind = "frame uncovered" if frame.uncovered else "frame"
    label = _elide(frame.label, rect.width - 16, NOTE_SIZE)
    return (
        f'<g class="{kind}"><title>{escape(frame.name)}: {frame.modules} modules</title>'
        f'<rect x="{rect.x:.1f}" y="{rect.y:.1f}" width="{rect.width:.1f}" height="{rect.height:.1f}"/>'
        + _text(rect.x + 8, rect.y + FRAME_TITLE / 2 + NOTE_SIZE * 0.35, label, "frame-title")
        + "</g>"
    )


def _box(box: Box, added: int) -> str:
    rect = box.rect
    kind = "uncovered" if box.uncovered else "package" if box.package else "module"
    if box.own_module:
        kind += " own-module"
    tip = f"{box.name}: {box.modules} modules" if box.package else box.name
    if box.uncovered:
        tip += f" ({box.uncovered} outside the architecture)"
    if added:
        tip += f" ({added} added since the baseline)"
    inner = rect.width - 16
    parts = [
        f'<g class="box {kind}"><title>{escape(tip)}</title>'
        f'<rect x="{rect.x:.1f}" y="{rect.y:.1f}" width="{rect.width:.1f}" height="{rect.height:.1f}"/>'
    ]
    baseline_y = rect.center_y + LABEL_SIZE * 0.35
    if box.package:
        count = str(box.modules)
        parts.append(
            f'<text class="count" x="{rect.right - 8:.1f}" y="{rect.center_y + COUNT_SIZE * 0.35:.1f}" '
            f'text-anchor="end">{count}</text>'
        )
        inner -= text_width(count, COUNT_SIZE) + 6
    parts.append(_text(rect.x + 8, baseline_y, _elide(box.label, inner, LABEL_SIZE), "label"))
    if added:
        badge = f"+{added}" if box.package else "NEW"
        width = text_width(badge, BADGE_SIZE) + 8
        parts.append(
            f'<rect class="added" x="{rect.x:.1f}" y="{rect.y:.1f}" width="4" height="{rect.height:.1f}"/>'
            f'<rect class="added" x="{rect.x - 2:.1f}" y="{rect.y - 6.5:.1f}" width="{width:.1f}" height="13" rx="6.5"/>'
            f'<text class="badge" x="{rect.x - 2 + width / 2:.1f}" y="{rect.y + 3:.1f}" text-anchor="middle">{badge}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _edges(layout: ArchitectureLayout, new_pairs: set[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Allowed and ignored imports as one path of each kind; each cycle and illegal dependency on its
    own, with a tooltip; new ones last, over a halo, and the "NEW" badges on them apart."""
    parts = []
    badges = []
    for kind in (LEGAL, IGNORED):
        edges = [edge for edge in layout.edges if edge.kind == kind]
        if edges:
            parts.append(f'<path class="edge {kind}" d="{"".join(_curve(edge) for edge in edges)}"/>')
    marked = [edge for edge in layout.edges if edge.kind in (CYCLE, ILLEGAL)]
    marked.sort(key=lambda edge: ((edge.importer, edge.imported) in new_pairs, edge.imports))
    for edge in marked:
        new = edge.kind == ILLEGAL and (edge.importer, edge.imported) in new_pairs
        width = illegal_width(edge.imports) if edge.kind == ILLEGAL else EDGE_WIDTHS[CYCLE]
        dependency = edge.dependency
        what = "illegal import" if edge.kind == ILLEGAL else "import closing a cycle"
        tip = f"{edge.importer} → {edge.imported}: {edge.imports} {what}{'s' if edge.imports != 1 else ''}"
        if dependency.rules:
            tip += " (" + ", ".join(dependency.rules) + ")"
        if new:
            tip += ", new since the baseline"
        path = _curve(edge)
        group = [f'<g class="edge-group {edge.kind}{" new" if new else ""}"><title>{escape(tip)}</title>']
        if new:
            group.append(f'<path class="halo" d="{path}" stroke-width="{width + 8:.1f}"/>')
        group.append(f'<path class="edge {edge.kind}" d="{path}" stroke-width="{width + (1 if new else 0):.1f}"/>')
        if new:
            x, y = curve_point(edge.curve, NEW_BADGE_AT)
            badges.append(
                f'<g class="new"><title>{escape(tip)}</title>'
                f'<rect class="new-badge" x="{x - 14:.1f}" y="{y - 6.5:.1f}" width="28" height="13" rx="6.5"/>'
                f'<text class="badge" x="{x:.1f}" y="{y + 3:.1f}" text-anchor="middle">NEW</text></g>'
            )
        group.append("</g>")
        parts.append("".join(group))
    return parts, badges


def _curve(edge: Edge) -> str:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = edge.curve
    left, tip, right = arrow_head((x2, y2), (x3, y3))
    return (
        f"M{x0:.1f} {y0:.1f}C{x1:.1f} {y1:.1f} {x2:.1f} {y2:.1f} {x3:.1f} {y3:.1f}"
        f"M{left[0]:.1f} {left[1]:.1f}L{tip[0]:.1f} {tip[1]:.1f}L{right[0]:.1f} {right[1]:.1f}"
    )


def _text(x: float, y: float, text: str, kind: str) -> str:
    return f'<text class="{kind}" x="{x:.1f}" y="{y:.1f}">{escape(text)}</text>'


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of at most `width`, broken at spaces and after dots (as the app breaks band titles)."""
    words = text.replace(".", ".\n").replace(" ", " \n").split("\n")
    lines: list[str] = []
    line = ""
    for word in words:
        if line and text_width((line + word).rstrip(), size) > width:
            lines.append(line.rstrip())
            line = ""
        line += word
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _elide(text: str, width: float, size: float) -> str:
    """`text`, or its start and end around an ellipsis when it is wider than `width`."""
    if text_width(text, size) <= width:
        return text
    keep = len(text)
    while keep > 1:
        keep -= 1
        head, tail = text[: (keep + 1) // 2], text[len(text) - keep // 2 :]
        if text_width(head + "…" + tail, size) <= width:
            return head + "…" + tail
    return "…"


def _added_per_box(layout: ArchitectureLayout, result: CheckResult) -> Counter[str]:
    added: Counter[str] = Counter()
    for module in result.drift.modules_added if result.drift else ():
        box = layout.box_for(module)
        if box is not None:
            added[box] += 1
    return added


def _pairs_with_new_violations(layout: ArchitectureLayout, result: CheckResult) -> set[tuple[str, str]]:
    """The pairs of boxes an import of a violation new since the baseline runs between."""
    pairs = set()
    for violation in result.violations:
        if violation.status != "new":
            continue
        for chain in violation.chains:
            for link in chain:
                importer, imported = layout.box_for(link.importer), layout.box_for(link.imported)
                if importer and imported and importer != imported:
                    pairs.add((importer, imported))
    return pairs
