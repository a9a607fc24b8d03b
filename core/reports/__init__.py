"""Report formats: one module each, registered here by name. Each has `render(result) -> str`."""

from __future__ import annotations

from types import ModuleType

from core.reports import json_report, text_report

REPORT_FORMATS: dict[str, ModuleType] = {
    "text": text_report,
    "json": json_report,
}
