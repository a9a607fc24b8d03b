"""Checks to report on: a git history with drift since its first commit (new, existing, fixed and
generated violations, a cycle, added modules, an unmatched ignore, review decisions and hostile
text in an analysed line and in a note), a project that keeps every rule, and thousands of
violations."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import jsonschema
import pytest
from baseline.history import ADA, History

from core.check import Analysis, CheckOptions, run_analysis
from core.model import (
    CheckResult,
    GraphSummary,
    ImportLink,
    ProjectInfo,
    Review,
    RuleResult,
    ToolInfo,
    Violation,
)
from fixtures.projects import write_project

BOB = "Bob Stone <bob@example.com>"
CAROL = "Carol Reyes <carol@example.com>"
CLAUDE = "Co-authored-by: Claude <noreply@anthropic.com>"
HOSTILE = "</script><img src=x onerror=alert(1)>"
HOSTILE_NOTE = "Ship it </script><script>alert('note')</script> | <b>bold</b> & more\n:: trailing"
SARIF_SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

CONFIG = """
[tool.strataview]
root_packages = ["shop"]

[[tool.strataview.rules]]
id = "layers"
name = "ui over api over core"
type = "layers"
layers = ["shop.ui", "shop.api", "shop.core"]
ignore_imports = ["shop.core.legacy -> shop.ui.widgets", "shop.gone -> shop.ui"]

[[tool.strataview.rules]]
id = "core-without-adapters"
name = "the core never reaches for adapters"
type = "forbidden"
source_modules = ["shop.core"]
forbidden_modules = ["shop.adapters"]
broken_contract_guidance = "Pass the adapter in from the api layer."

[[tool.strataview.rules]]
id = "no-cycles"
type = "acyclic"
packages = ["shop"]

[[tool.strataview.rules]]
id = "apart"
name = "adapters and ui stand apart"
type = "independence"
modules = ["shop.adapters", "shop.ui"]
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Checks run by the command cache their graphs under the test's own directory, never the user's."""
    cache = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return cache


@dataclass(frozen=True)
class Drifted:
    """The history's check against its first commit, and the same result with review decisions."""

    root: Path
    commits: dict[str, str]
    analysis: Analysis
    reviewed: CheckResult

    @property
    def result(self) -> CheckResult:
        return self.analysis.result


def violation(result: CheckResult, message_start: str) -> Violation:
    return next(v for v in result.violations if v.message.startswith(message_start))


@pytest.fixture(scope="session")
def drifted(tmp_path_factory: pytest.TempPathFactory) -> Drifted:
    root = tmp_path_factory.mktemp("drift") / "shop"
    history = History(root)
    history.write(
        {
            "pyproject.toml": CONFIG,
            "shop/__init__.py": "",
            "shop/ui/__init__.py": "",
            "shop/ui/widgets.py": "def button():\n    return 'button'\n",
            "shop/api/__init__.py": "",
            "shop/api/orders.py": "from shop.core import models\nfrom shop.ui import widgets\n",
            "shop/api/payments.py": "from shop.adapters import db\n",
            "shop/core/__init__.py": "",
            "shop/core/models.py": "class Order:\n    pass\n",
            "shop/core/legacy.py": "from shop.ui import widgets\n",
            "shop/core/pricing.py": '"""Prices."""\n\nimport os\nfrom shop.adapters import db\n\n\ndef price():\n    return db, os\n',
            "shop/adapters/__init__.py": "",
            "shop/adapters/db.py": "from shop.core import models\n",
        }
    )
    commits = {"baseline": history.commit("Shop in layers")}
    history.write({"shop/api/orders.py": "from shop.core import models\n"})
    commits["fix"] = history.commit("Orders no longer import the ui", BOB)
    history.write(
        {
            "shop/core/stats.py": (
                '"""Order statistics."""\n\n'
                f"from shop.api import orders  # {HOSTILE}\n\n\n"
                "def count():\n    return orders\n"
            )
        }
    )
    commits["stats"] = history.commit(f"Order statistics\n\n{CLAUDE}\n", ADA)
    history.write(
        {
            "shop/api/payments.py": "from shop.adapters import db\nfrom shop.api import refunds\n",
            "shop/api/refunds.py": "from shop.api import payments\n",
        }
    )
    commits["refunds"] = history.commit("Refunds", CAROL)
    options = CheckOptions(baseline=commits["baseline"], cache_dir=tmp_path_factory.mktemp("cache"))
    analysis = next(event for event in run_analysis(root, options) if isinstance(event, Analysis))
    decided = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
    decisions = {
        "core-without-adapters": Review(
            status="waived", note=HOSTILE_NOTE, reviewer="Ada", decided_at=decided, expires=date(2030, 1, 1)
        ),
        "no-cycles": Review(status="must-fix", note="Untangle before release", reviewer="Bob", decided_at=decided),
    }
    reviewed = analysis.result.model_copy(
        update={
            "violations": tuple(
                v.model_copy(update={"review": decisions[v.rule]}) if v.rule in decisions else v
                for v in analysis.result.violations
            )
        }
    )
    return Drifted(root, commits, analysis, reviewed)


@pytest.fixture(scope="session")
def kept(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    """A project that keeps every rule: zero violations."""
    root = write_project(
        tmp_path_factory.mktemp("kept") / "calm",
        {"calm/ui.py": "import calm.core\n", "calm/core.py": ""},
        [{"id": "layers", "type": "layers", "layers": ["calm.ui", "calm.core"]}],
    )
    return next(event for event in run_analysis(root, CheckOptions(use_cache=False)) if isinstance(event, Analysis))


def many_violations(root: Path, count: int, files: int = 100) -> CheckResult:
    """A result with `count` violations over five rules, each a chain of two imports; the files of
    the first `files` violations are written under `root`."""
    violations = []
    for number in range(count):
        package = f"big.p{number % 50}"
        importer, middle, imported = f"{package}.m{number}", f"{package}.hub{number % 7}", f"big.top.t{number % 11}"
        file = f"big/p{number % 50}/m{number}.py"
        if number < files:
            path = root / file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f'"""Module {number}."""\n\nimport os\nimport {middle}\n\n\ndef run():\n    return os\n')
        chain = (
            ImportLink(importer=importer, imported=middle, line_numbers=(4,), line_contents=(f"import {middle}",), file=file),
            ImportLink(importer=middle, imported=imported, line_numbers=(1,), line_contents=(f"import {imported}",)),
        )
        violations.append(
            Violation(
                fingerprint=f"{number:020d}",
                rule=f"rule-{number % 5}",
                type="forbidden",
                message=f"{importer} is not allowed to import {imported}",
                importer=importer,
                imported=imported,
                chains=(chain,),
                status="new" if number % 3 == 0 else "existing",
            )
        )
    rules = tuple(
        RuleResult(id=f"rule-{index}", name=f"rule {index}", type="forbidden", kept=False, violations=count // 5)
        for index in range(5)
    )
    return CheckResult(
        tool=ToolInfo(version="9.9"),
        project=ProjectInfo(root=str(root), root_packages=("big",), config="strataview.toml"),
        graph=GraphSummary(modules=count * 2, imports=count * 3),
        rules=rules,
        violations=tuple(violations),
    )


def validate_sarif(log: dict) -> None:
    jsonschema.validators.validator_for(SARIF_SCHEMA)(SARIF_SCHEMA).validate(log)
