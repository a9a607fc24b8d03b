"""Violations about names, annotations and fields (interface, dependencies, contract_types,
contract_stability) read in every format as the detail pane shows them: the message, what is
wrong and what is allowed (`detail`), at `file:line`; never only as `importer -> imported`."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

import pytest
from baseline.history import History
from contracts.projects import CONTRACTS, shop
from contracts.test_contract_stability import edit

from core.check import Analysis, CheckOptions, run_analysis
from core.model import Violation
from core.reports import (
    github_report,
    html_report,
    junit_report,
    markdown_report,
    sarif_report,
    text_report,
)

BOB = "Bob Stone <bob@example.com>"
CONFIG = """
root_packages = ["shop"]

[[rules]]
id = "billing-surface"
type = "interface"
boundary = "shop.billing"
public = ["shop.billing.api", "shop.billing.contracts"]

[[rules]]
id = "orders-depends-on"
type = "dependencies"
module = "shop.orders"
may_import = ["shop.billing"]

[[rules]]
id = "billing-types"
type = "contract_types"
boundary = "shop.billing"
interface = ["shop.billing.api"]
allowed = ["builtins", "shop.billing.contracts.*"]

[[rules]]
id = "stable-contracts"
type = "contract_stability"
models = ["shop.billing.contracts.*"]
"""
API = "from shop.billing.contracts import Money\n\n\ndef charge(amount: Money) -> str:\n    return 'ok'\n"
API_LATER = (
    "from shop.billing.contracts import Money\nfrom shop.billing.ledger import Ledger\n\n\n"
    "def charge(amount: Money, ledger: Ledger, note) -> str:\n    return 'ok'\n"
)
# (rule, start of the message, start of the detail, file:line)
EXPECTED = [
    (
        "billing-surface",
        "shop.orders.checkout imports shop.billing.ledger.Ledger from inside shop.billing",
        "shop.billing.ledger is internal to shop.billing; outside shop.billing only",
        "shop/orders/checkout.py:1",
    ),
    (
        "orders-depends-on",
        "shop.orders.checkout is not allowed to import shop.catalog.items",
        "shop.orders may import shop.billing",
        "shop/orders/checkout.py:2",
    ),
    (
        "billing-types",
        "Parameter 'ledger' of shop.billing.api.charge uses shop.billing.ledger.Ledger",
        "Parameter 'ledger' of shop.billing.api.charge is annotated `Ledger`",
        "shop/billing/api.py:5",
    ),
    (
        "billing-types",
        "Parameter 'note' of shop.billing.api.charge is not annotated",
        "Parameter 'note' of shop.billing.api.charge has no annotation",
        "shop/billing/api.py:5",
    ),
    (
        "stable-contracts",
        "shop.billing.contracts.Address: field 'city' was removed",
        "Since the baseline, field 'city' was removed.",
        "shop/billing/contracts.py:38",
    ),
]


@dataclass(frozen=True)
class Contracted:
    analysis: Analysis
    commit: str

    def violation(self, message_start: str) -> Violation:
        return next(v for v in self.analysis.result.violations if v.message.startswith(message_start))


@pytest.fixture(scope="module")
def contracted(tmp_path_factory: pytest.TempPathFactory) -> Contracted:
    """One commit since the baseline breaks a boundary, a declared dependency, the interface's
    types (an internal class and an unannotated parameter) and a contract model (a field removed)."""
    history = History(tmp_path_factory.mktemp("contracted") / "shop")
    history.write(
        {
            **shop(**{"shop/billing/api.py": API}),
            "strataview.toml": CONFIG,
            "shop/catalog/__init__.py": "",
            "shop/orders/__init__.py": "",
        }
    )
    baseline = history.commit("Billing with contracts")
    history.write(
        {
            "shop/billing/contracts.py": edit(CONTRACTS, ("    city: str\n", "")),
            "shop/billing/api.py": API_LATER,
            "shop/orders/checkout.py": "from shop.billing.ledger import Ledger\nfrom shop.catalog import items\n",
            "shop/catalog/items.py": "",
        }
    )
    commit = history.commit("Checkout books into the ledger", BOB)
    options = CheckOptions(baseline=baseline, cache_dir=tmp_path_factory.mktemp("cache"))
    analysis = next(event for event in run_analysis(history.root, options) if isinstance(event, Analysis))
    return Contracted(analysis, commit)


def test_the_fixture_has_the_violations_the_formats_are_checked_against(contracted):
    found = sorted(
        (v.rule, v.message, v.detail or "", f"{v.file}:{v.line}") for v in contracted.analysis.result.violations
    )
    assert len(found) == len(EXPECTED)
    for (rule, message, detail, where), expected in zip(found, sorted(EXPECTED), strict=True):
        assert (rule, where) == (expected[0], expected[3])
        assert message.startswith(expected[1]) and detail.startswith(expected[2])
    # All were brought by the one commit since the baseline, the removed field too.
    assert {v.provenance.commit for v in contracted.analysis.result.violations} == {contracted.commit}


def test_markdown_shows_the_message_and_the_detail_where_it_used_to_show_the_modules(contracted):
    text = markdown_report.render(contracted.analysis.result, analysis=contracted.analysis)
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) == len(EXPECTED)
    for rule, message, detail, where in EXPECTED:
        [row] = [row for row in rows if markdown_report.escape_markdown(message) in row]
        cells = row.split(" | ")
        assert cells[0] == f"| `{rule}`"
        assert cells[1].startswith(markdown_report.escape_markdown(message))
        assert "<br>" + markdown_report.escape_markdown(detail) in cells[1]
        assert cells[2] == f"`{where}`"
        assert "→" not in cells[1]
    ledger = next(row for row in rows if "annotated" in row)
    assert "`shop.billing.api` → `shop.billing.ledger`" not in ledger
    assert "shop.billing.contracts.\\*" in ledger  # the detail's text is escaped like any other


def test_text_shows_the_detail_under_the_message_and_the_place(contracted):
    lines = text_report.render(contracted.analysis.result, analysis=contracted.analysis).splitlines()
    for _, message, detail, where in EXPECTED:
        start = next(i for i, line in enumerate(lines) if line.startswith(f"  - [new] {message}"))
        block = lines[start : start + 4]
        assert block[1].startswith(f"      {detail}")
        assert block[2].startswith("      introduced by ")
        assert block[3].startswith(f"      {where}")


def test_html_shows_the_detail_and_the_place_once(contracted):
    page = html_report.render(contracted.analysis.result, analysis=contracted.analysis)
    for _, message, detail, where in EXPECTED:
        section = page.split(html_escape(message), 1)[1].split("</details>", 1)[0]
        assert f'<code class="where">{where}</code>' in section
        assert f'<p class="detail">{html_escape(detail)}' in section


def test_junit_github_and_sarif_show_the_detail_and_the_place(contracted):
    result = contracted.analysis.result
    failures = "\n".join(
        failure.text or ""
        for failure in ElementTree.fromstring(junit_report.render(result, analysis=contracted.analysis)).iter("failure")
    )
    annotations = github_report.render(result, analysis=contracted.analysis)
    sarif = json.loads(sarif_report.render(result, analysis=contracted.analysis))
    messages = {r["message"]["text"]: r["locations"][0] for r in sarif["runs"][0]["results"]}
    for _, message, detail, where in EXPECTED:
        file, line = where.rsplit(":", 1)
        junit = failures.split(f"- [new] {message}", 1)[1].split("\n- ", 1)[0]
        assert f"\n    {detail}" in junit
        assert f"\n    at {where}" in junit or f"\n    {where}  " in junit
        [annotation] = [a for a in annotations.splitlines() if f"::{message}" in a]
        assert annotation.startswith(f"::error file={file},line={line},")
        assert f"%0A{github_report.escape_data(detail)}" in annotation
        [location] = [place for text, place in messages.items() if text.startswith(message) and f". {detail}" in text]
        region = location["physicalLocation"]
        assert (region["artifactLocation"]["uri"], region["region"]["startLine"]) == (file, int(line))


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")


def test_a_detail_that_repeats_the_message_is_shown_once(tmp_path: Path):
    from core.model import CheckResult, GraphSummary, ProjectInfo, RuleResult, ToolInfo

    violation = Violation(
        fingerprint="f" * 20,
        rule="r",
        type="contract_types",
        message="Return of shop.api.f is not annotated",
        importer="shop.api",
        file="shop/api.py",
        line=3,
        detail="Return of shop.api.f is not annotated",
    )
    result = CheckResult(
        tool=ToolInfo(version="9.9"),
        project=ProjectInfo(root=str(tmp_path), root_packages=("shop",)),
        graph=GraphSummary(modules=1, imports=0),
        rules=(RuleResult(id="r", name="r", type="contract_types", kept=False, violations=1),),
        violations=(violation,),
    )
    assert markdown_report.render(result).count("Return of shop.api.f is not annotated") == 1
    assert text_report.render(result).count("Return of shop.api.f is not annotated") == 1
    assert github_report.render(result).count("Return of shop.api.f is not annotated") == 1
