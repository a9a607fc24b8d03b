"""`--format json`: the check result for machines (schema_version 1).

Its JSON Schema, generated from the result's models, is published as
`resources/report.schema.json` (`strataview schema --report` prints it).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from core.model import SCHEMA_VERSION, CheckResult

if TYPE_CHECKING:
    from core.check import Analysis

TITLE = "JSON"
SUFFIX = "json"

# Fields that only a comparison with a baseline fills, and those only a review workspace fills;
# without them they are left out.
_BASELINE_ONLY_FIELDS = {"baseline", "fixed", "drift", "module_provenance"}
_BASELINE_ONLY_VIOLATION_FIELDS = {"status", "provenance"}


def render(result: CheckResult, *, analysis: Analysis | None = None, color: bool = False) -> str:
    top: set[str] = set()
    per_violation: set[str] = set()
    if result.baseline is None:
        top |= _BASELINE_ONLY_FIELDS
        per_violation |= _BASELINE_ONLY_VIOLATION_FIELDS
    if not any(violation.review for violation in (*result.violations, *result.fixed)):
        per_violation.add("review")
    exclude: dict = dict.fromkeys(top, True)
    if per_violation:
        exclude["violations"] = {"__all__": per_violation}
        if "fixed" not in top:
            exclude["fixed"] = {"__all__": per_violation}
    return json.dumps(result.model_dump(mode="json", exclude=exclude or None), indent=2, ensure_ascii=False) + "\n"


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema every `--format json` report validates against."""
    schema = CheckResult.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Strataview check report (schema_version {SCHEMA_VERSION})",
        "description": "What `strataview check --format json` writes.",
        **{key: value for key, value in schema.items() if key != "title"},
    }
