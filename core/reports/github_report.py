"""`--format github`: GitHub Actions workflow commands that annotate the offending lines.

Each violation becomes `::error file=…,line=…,title=…::message` (new ones, or all without a
baseline), `::warning` (existing ones) or `::notice` (accepted or waived by a review, and those
fixed since the baseline). Paths are relative to the root of the repository, as the runner
expects. Values are escaped as the Actions toolkit does: `%`, CR and LF everywhere, and also
`:` and `,` in properties, so no text from the analysed code can end a command or start another.
A plain summary line ends the output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.model import CheckResult, Violation
from core.reports.common import (
    ReportContext,
    explanation,
    ordered_violations,
    provenance_text,
    review_text,
    severity,
    verdict,
)

if TYPE_CHECKING:
    from core.check import Analysis

TITLE = "GitHub Actions annotations"
SUFFIX = "txt"

LEVELS = {"error": "error", "warning": "warning", "note": "notice"}  # from common.severity
LEVEL_ORDER = {"error": 0, "warning": 1, "notice": 2}


def render(result: CheckResult, *, analysis: Analysis | None = None, color: bool = False) -> str:
    context = ReportContext(result, analysis)
    if result.errors:
        lines = []
        for error in result.errors:
            properties = {"title": "Strataview could not run"}
            if error.file and (path := context.repository_path(error.file)) is not None:
                properties["file"] = path
            lines.append(_command("error", properties, ": ".join(p for p in (error.place, error.message) if p)))
        return "\n".join(lines) + "\n"
    annotations = [_annotation(violation, context) for violation in ordered_violations(result)]
    annotations += [_annotation(violation, context, fixed=True) for violation in result.fixed]
    annotations.sort(key=lambda pair: LEVEL_ORDER[pair[0]])
    return "".join(text + "\n" for _, text in annotations) + f"Strataview: {verdict(result)}\n"


def _annotation(violation: Violation, context: ReportContext, *, fixed: bool = False) -> tuple[str, str]:
    compared = context.result.baseline is not None
    review = violation.review
    level = "notice" if fixed else LEVELS[severity(violation, compared=compared)]
    state = "fixed" if fixed else violation.status
    title = f"Strataview {violation.rule}" + (f" ({state})" if compared and state else "")
    lines = [violation.message + (" — fixed since the baseline" if fixed else "")]
    if (why := explanation(violation)) is not None:
        lines.append(why)
    for chain in violation.chains[:5]:
        steps = [
            f"{link.file or link.importer}:{link.line_numbers[0] if link.line_numbers else '?'} "
            f"{link.importer} -> {link.imported}"
            for link in chain
        ]
        lines.append("via " + "; ".join(steps))
    if len(violation.chains) > 5:
        lines.append(f"and {len(violation.chains) - 5} more chains")
    if violation.provenance is not None:
        generated = " (generated: " + "; ".join(violation.provenance.signals) + ")" if violation.provenance.generated else ""
        lines.append(f"introduced by {provenance_text(violation.provenance)}{generated}")
    if review is not None:
        lines.append(f"review: {review_text(review)}")
    properties = {"title": title}
    place = context.primary_place(violation)
    if fixed and place is not None and context.lines_of(place.file) is None:
        place = None  # the file went with the violation
    if place is not None and (path := context.repository_path(place.file)) is not None:
        properties["file"] = path
        if place.line is not None:
            properties["line"] = str(place.line)
    return level, _command(level, properties, "\n".join(lines))


def _command(level: str, properties: dict[str, str], message: str) -> str:
    ordered = [(name, properties[name]) for name in ("file", "line", "title") if name in properties]
    listed = ",".join(f"{name}={escape_property(value)}" for name, value in ordered)
    return f"::{level} {listed}::{escape_data(message)}" if listed else f"::{level}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
