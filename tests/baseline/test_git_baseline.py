"""`check --baseline REV` on a history with human, AI co-authored and burst commits and uncommitted work:
which violations are new, which commit brought each, what was fixed and what drifted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from baseline.history import ADA, History
from core.check import CheckOptions, check_project
from core.model import CheckResult, PackageImport, Provenance

BOB = "Bob Stone <bob@example.com>"
CAROL = "Carol Reyes <carol@example.com>"
DAN = "Dan Okafor <dan@example.com>"
CLAUDE = "Co-authored-by: Claude <noreply@anthropic.com>"

CONFIG = """
[tool.strataview]
root_packages = ["shop"]

[tool.strataview.provenance]
burst_modules = 5
burst_lines = 400

[[tool.strataview.rules]]
id = "layers"
type = "layers"
layers = ["shop.ui", "shop.api", "shop.core"]

[[tool.strataview.rules]]
id = "core-without-adapters"
type = "forbidden"
source_modules = ["shop.core"]
forbidden_modules = ["shop.adapters"]

[[tool.strataview.rules]]
id = "api-without-adapters"
type = "forbidden"
source_modules = ["shop.api"]
forbidden_modules = ["shop.adapters"]

[[tool.strataview.rules]]
id = "ui-without-adapters"
type = "forbidden"
source_modules = ["shop.ui"]
forbidden_modules = ["shop.adapters"]
"""

LEGACY = """
import os
from shop.ui import widgets


def export():
    return widgets, os
"""
# The same import ten lines further down, in a reformatted file.
LEGACY_MOVED = """
'''Exports in the old format.'''

import os





import sys



from shop.ui import (
    widgets,
)


def export():
    return (widgets, os, sys)
"""


class Scenario:
    def __init__(self, root: Path) -> None:
        self.history = History(root)
        self.root = root
        self.commits: dict[str, str] = {}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    scenario = Scenario(tmp_path_factory.mktemp("history") / "shop")
    history = scenario.history
    history.write(
        {
            "pyproject.toml": CONFIG,
            "shop/__init__.py": "",
            "shop/ui/__init__.py": "",
            "shop/ui/widgets.py": "def button():\n    return 'button'\n",
            "shop/ui/views.py": "from shop.api import orders\n",
            "shop/api/__init__.py": "",
            "shop/api/orders.py": "from shop.core import models\nfrom shop.ui import widgets\n",
            "shop/api/payments.py": "from shop.adapters import db\n",
            "shop/api/old.py": "from shop.core import models\n",
            "shop/core/__init__.py": "",
            "shop/core/models.py": "class Order:\n    pass\n",
            "shop/core/legacy.py": LEGACY,
            "shop/adapters/__init__.py": "",
            "shop/adapters/db.py": "from shop.core import models\n",
        }
    )
    scenario.commits["baseline"] = history.commit("Shop in layers")
    history.git("tag", "v1")
    # Bob tidies up: the legacy import moves down and is reformatted, the api stops importing
    # the ui, and an old module goes.
    history.write({"shop/core/legacy.py": LEGACY_MOVED, "shop/api/orders.py": "from shop.core import models\n"})
    history.remove("shop/api/old.py")
    scenario.commits["tidy"] = history.commit("Tidy the legacy export", BOB)
    history.write({"shop/core/pricing.py": "from shop.adapters import db\n\n\ndef price():\n    return db\n"})
    scenario.commits["pricing"] = history.commit(f"Price orders\n\n{CLAUDE}\n")
    # A burst: a whole reports package at once, and a core module that reaches up to the api.
    reports = {f"shop/reports/r{number}.py": f"def report_{number}():\n    return {number}\n" for number in range(2, 7)}
    history.write(
        {
            "shop/reports/__init__.py": "",
            "shop/reports/r1.py": "from shop.ui import widgets\n",
            **reports,
            "shop/core/stats.py": "from shop.api import orders\n",
            "shop/ui/views.py": "from shop.api import orders\nfrom shop.reports import r1\n",
        }
    )
    scenario.commits["burst"] = history.commit("Reports for every team", CAROL)
    # Dan edits a file from the baseline: a new illegal import in a violation that already existed.
    history.write({"shop/core/models.py": "from shop.ui import widgets\n\n\nclass Order:\n    pass\n"})
    scenario.commits["status"] = history.commit("Show order status", DAN)
    # Work kept aside, another branch, then uncommitted work: a staged edit and a new file.
    history.write({"shop/ui/widgets.py": "def button():\n    return 'stashed'\n"})
    history.git("stash", "push", "--quiet", "--message", "kept aside")
    history.git("branch", "feature", scenario.commits["tidy"])
    history.write(
        {
            "shop/ui/views.py": (
                "from shop.api import orders\nfrom shop.reports import r1\nfrom shop.adapters import db\n"
            ),
            "shop/ui/draft.py": "from shop.ui import widgets\n",
        }
    )
    history.git("add", "shop/ui/views.py")
    return scenario


@pytest.fixture(scope="module")
def result(scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> CheckResult:
    cache = tmp_path_factory.mktemp("cache")
    return check_project(scenario.root, CheckOptions(baseline="v1", cache_dir=cache))


def by_message(result: CheckResult) -> dict[str, tuple[str | None, Provenance | None]]:
    return {violation.message: (violation.status, violation.provenance) for violation in result.violations}


def commit_provenance(scenario: Scenario, name: str, author: str, day: int, summary: str, *signals: str) -> Provenance:
    return Provenance(
        commit=scenario.commits[name],
        author=author[: author.index("<")].strip(),
        date=History.date(day),
        summary=summary,
        generated=bool(signals),
        signals=signals,
    )


def test_every_violation_is_new_or_existing_with_the_commit_that_brought_it(scenario, result):
    assert result.baseline is not None
    assert (result.baseline.ref, result.baseline.kind, result.baseline.commit) == (
        "v1",
        "git",
        scenario.commits["baseline"],
    )
    assert by_message(result) == {
        # An existing violation that gained a new illegal import (an edit to an old file): new, by that edit.
        "shop.core is not allowed to import shop.ui": (
            "new",
            commit_provenance(scenario, "status", DAN, 5, "Show order status"),
        ),
        "shop.core is not allowed to import shop.api": (
            "new",
            commit_provenance(
                scenario, "burst", CAROL, 4, "Reports for every team", "burst: 8 modules added (threshold 5)"
            ),
        ),
        "shop.core is not allowed to import shop.adapters": (
            "new",
            commit_provenance(
                scenario, "pricing", ADA, 3, "Price orders", "Co-authored-by: Claude <noreply@anthropic.com>"
            ),
        ),
        "shop.api is not allowed to import shop.adapters": ("existing", None),
        "shop.ui is not allowed to import shop.adapters": (
            "new",
            Provenance(commit=None, note="in uncommitted changes"),
        ),
    }


def test_the_moved_and_reformatted_import_is_not_what_made_the_violation_new(result):
    violation = next(v for v in result.violations if v.message == "shop.core is not allowed to import shop.ui")
    pairs = {(chain[0].importer, chain[0].imported, chain[0].line_numbers) for chain in violation.chains}
    assert pairs == {("shop.core.legacy", "shop.ui.widgets", (13,)), ("shop.core.models", "shop.ui.widgets", (1,))}
    # Its provenance is the edit that added the new import, not Bob's reformatting of the old one.
    assert violation.provenance is not None and violation.provenance.author == "Dan Okafor"


def test_violations_of_the_baseline_that_are_gone_are_fixed(result):
    assert [(v.rule, v.message, v.status) for v in result.fixed] == [
        ("layers", "shop.api is not allowed to import shop.ui", None)
    ]
    [chain] = result.fixed[0].chains
    assert [(link.importer, link.imported, link.line_numbers) for link in chain] == [
        ("shop.api.orders", "shop.ui.widgets", ())
    ]


def test_drift_lists_modules_package_imports_and_cycles(result):
    assert result.drift is not None
    assert result.drift.modules_added == (
        "shop.core.pricing",
        "shop.core.stats",
        "shop.reports",
        *(f"shop.reports.r{number}" for number in range(1, 7)),
        "shop.ui.draft",
    )
    assert result.drift.modules_removed == ("shop.api.old",)
    assert result.drift.imports_added == tuple(
        PackageImport(importer=a, imported=b)
        for a, b in [
            ("shop.core", "shop.adapters"),
            ("shop.core", "shop.api"),
            ("shop.reports", "shop.ui"),
            ("shop.ui", "shop.adapters"),
            ("shop.ui", "shop.reports"),
        ]
    )
    # The baseline's cycle of ui, api, core and adapters now takes in the reports too.
    assert result.drift.cycles_appeared == (("shop.adapters", "shop.api", "shop.core", "shop.reports", "shop.ui"),)


def test_each_added_module_has_the_commit_that_added_it(scenario, result):
    pricing = commit_provenance(scenario, "pricing", ADA, 3, "Price orders", CLAUDE)
    burst = commit_provenance(
        scenario, "burst", CAROL, 4, "Reports for every team", "burst: 8 modules added (threshold 5)"
    )
    added = {
        "shop.core.pricing": pricing,
        "shop.core.stats": burst,
        "shop.reports": burst,
        **{f"shop.reports.r{number}": burst for number in range(1, 7)},
        "shop.ui.draft": Provenance(commit=None, note="in uncommitted changes"),
    }
    assert {module: result.module_provenance[module] for module in added} == added


def test_every_module_has_the_commit_that_added_it_so_views_can_show_its_age(scenario, result):
    baseline = commit_provenance(scenario, "baseline", ADA, 1, "Shop in layers")
    since_the_baseline = set(result.drift.modules_added)
    # Modules edited since (models, views, orders, legacy) were still added by the baseline's commit.
    assert {module: p for module, p in result.module_provenance.items() if module not in since_the_baseline} == {
        module: baseline
        for module in (
            "shop", "shop.adapters", "shop.adapters.db", "shop.api", "shop.api.orders", "shop.api.payments",
            "shop.core", "shop.core.legacy", "shop.core.models", "shop.ui", "shop.ui.views", "shop.ui.widgets",
        )
    }
    assert since_the_baseline <= set(result.module_provenance)


def test_the_users_repository_is_left_exactly_as_it_was(scenario, tmp_path):
    history = scenario.history
    before = history.state()
    assert "kept aside" in before["stash"] and "M  shop/ui/views.py" in before["status"]
    assert "?? shop/ui/draft.py" in before["status"]
    check_project(scenario.root, CheckOptions(baseline=scenario.commits["tidy"], cache_dir=tmp_path / "cache"))
    assert (
        main(["check", str(scenario.root), "--baseline", "feature", "--format", "json", "-o", str(tmp_path / "r.json")])
        == 1
    )
    assert history.state() == before


def test_a_branch_a_tag_a_commit_and_an_expression_name_the_same_baseline(scenario, tmp_path, capsys):
    reports = []
    for ref in ("v1", scenario.commits["baseline"], scenario.commits["baseline"][:10], "feature~1", "main~4"):
        assert main(["check", str(scenario.root), "--baseline", ref, "--format", "json"]) == 1
        report = json.loads(capsys.readouterr().out)
        assert report["baseline"] == {"ref": ref, "kind": "git", "commit": scenario.commits["baseline"], "warnings": []}
        reports.append({key: report[key] for key in ("violations", "fixed", "drift", "module_provenance")})
    assert all(report == reports[0] for report in reports)


def test_new_only_fails_only_on_new_violations(scenario, capsys):
    root = str(scenario.root)
    # Since the last commit only the uncommitted import of the adapters into the ui is new.
    assert main(["check", root, "--baseline", "HEAD", "--new-only", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [v["message"] for v in report["violations"] if v["status"] == "new"] == [
        "shop.ui is not allowed to import shop.adapters"
    ]
    assert main(["check", root, "--baseline", "v1", "--new-only"]) == 1
    assert main(["check", root, "--baseline", "v1"]) == 1


def test_the_text_report_tags_violations_and_lists_fixed_and_drift(scenario, capsys):
    assert main(["check", str(scenario.root), "--baseline", "v1", "--color", "never"]) == 1
    out = capsys.readouterr().out
    status = scenario.commits["status"][:7]
    assert "  - [new] shop.core is not allowed to import shop.ui\n" in out
    assert f'      introduced by {status} Dan Okafor 2025-02-05 "Show order status"\n' in out
    assert "  - [existing] shop.api is not allowed to import shop.adapters\n" in out
    assert "      introduced by in uncommitted changes\n" not in out
    assert "  - [new] shop.ui is not allowed to import shop.adapters\n      introduced in uncommitted changes\n" in out
    burst = scenario.commits["burst"][:7]
    assert (
        f'introduced by {burst} Carol Reyes 2025-02-04 "Reports for every team" · generated: '
        "burst: 8 modules added (threshold 5)"
    ) in out
    assert f"Baseline: git revision v1 (commit {scenario.commits['baseline'][:12]})" in out
    assert "  fixed since the baseline (1):\n    - shop.api is not allowed to import shop.ui [layers]\n" in out
    assert "  modules removed (1):\n    shop.api.old\n" in out
    assert "    shop.ui.draft  in uncommitted changes\n" in out
    assert f"    shop.reports.r6  {burst} Carol Reyes 2025-02-04 · generated\n" in out
    assert "  imports added between top-level packages (5):\n    shop.core -> shop.adapters\n" in out
    assert (
        "  cycles appeared between top-level packages (1):\n"
        "    shop.adapters <-> shop.api <-> shop.core <-> shop.reports <-> shop.ui\n"
    ) in out
    assert out.rstrip().endswith("5 violations; 4 new, 1 existing, 1 fixed since v1")
