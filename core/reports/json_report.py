"""`--format json`: the check result for machines (schema_version 1)."""

from __future__ import annotations

import json

from core.model import CheckResult

# Fields that only a comparison with a baseline fills; without one they are left out.
_BASELINE_ONLY = {
    "baseline": True,
    "fixed": True,
    "drift": True,
    "module_provenance": True,
    "violations": {"__all__": {"status", "provenance"}},
}


def render(result: CheckResult, *, color: bool = False) -> str:
    exclude = _BASELINE_ONLY if result.baseline is None else None
    return json.dumps(result.model_dump(mode="json", exclude=exclude), indent=2, ensure_ascii=False) + "\n"
