"""Each test writes a small project into its own directory and checks it with one or more rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from core.model import CheckResult
from fixtures.projects import check, write_project

RunRules = Callable[..., CheckResult]


@pytest.fixture
def run_rules(tmp_path: Path) -> RunRules:
    """`run_rules(files, *rules, **session)`: write the project into tmp_path and check it."""

    def run(files: Mapping[str, str], *rules: Mapping[str, Any], **session: Any) -> CheckResult:
        write_project(tmp_path, files, rules, **session)
        return check(tmp_path)

    return run
