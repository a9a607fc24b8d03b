"""Report formats: one module each, registered here by name.

A format module has `TITLE` (how a file dialog names it), `SUFFIX` (its file name ending) and
`render(result, *, analysis=None, color=False) -> str`. The `analysis` behind the result (its
graph and configuration, from `core.check.run_analysis`) lets a format draw the architecture and
point at a rule's line in the configuration; without it, formats fall back on what the result
and the project's files say.
"""

from __future__ import annotations

from types import ModuleType

from core.reports import (
    github_report,
    html_report,
    json_report,
    junit_report,
    markdown_report,
    sarif_report,
    text_report,
)

REPORT_FORMATS: dict[str, ModuleType] = {
    "text": text_report,
    "json": json_report,
    "sarif": sarif_report,
    "html": html_report,
    "markdown": markdown_report,
    "junit": junit_report,
    "github": github_report,
}
