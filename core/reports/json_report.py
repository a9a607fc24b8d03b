"""`--format json`: the check result for machines (schema_version 1)."""

from __future__ import annotations

import json

from core.model import CheckResult


def render(result: CheckResult, *, color: bool = False) -> str:
    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
