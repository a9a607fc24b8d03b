"""SARIF 2.1.0: valid against the official schema, and within what GitHub code scanning accepts
(a tool name, a ruleId and one relative %SRCROOT% location with a line on every result,
partialFingerprints, levels, its limits)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from reports.conftest import HOSTILE, HOSTILE_NOTE, many_violations, validate_sarif, violation

from core.model import CheckResult, GraphSummary, ProjectInfo, RuleResult, ToolInfo, Violation
from core.reports import sarif_report

CLAUDE_SIGNAL = "Co-authored-by: Claude <noreply@anthropic.com>"
CYCLE = (
    "import cycle shop.api.payments -> shop.api.refunds -> shop.api.payments; "
    "suggested cut: shop.api.payments -> shop.api.refunds (1 import statement)"
)


def results_by_message(log: dict) -> dict[str, dict]:
    return {result["message"]["text"].split(". ")[0]: result for result in log["runs"][0]["results"]}


def test_the_drift_report_is_valid_sarif_that_code_scanning_accepts(drifted):
    log = json.loads(sarif_report.render(drifted.reviewed, analysis=drifted.analysis))
    validate_sarif(log)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "Strataview" and driver["semanticVersion"] == drifted.result.tool.version
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert rule_ids == ["layers", "core-without-adapters", "no-cycles", "apart"]
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        [location] = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%" and not artifact["uri"].startswith(("/", "file:"))
        assert (drifted.root / artifact["uri"]).is_file()
        assert set(result["partialFingerprints"]) == {"strataview/v1"}
    fingerprints = [result["partialFingerprints"]["strataview/v1"] for result in run["results"]]
    assert len(set(fingerprints)) == len(fingerprints)
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_each_rule_is_described_with_its_type_and_what_it_forbids(drifted):
    log = sarif_report.sarif_log(drifted.result, drifted.analysis)
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    forbidden = rules["core-without-adapters"]
    assert forbidden["name"] == "the core never reaches for adapters"
    assert forbidden["shortDescription"] == {"text": "the core never reaches for adapters"}
    assert forbidden["fullDescription"]["text"] == (
        "the core never reaches for adapters. `forbidden`: source modules must not import the forbidden ones, "
        "directly or (by default) indirectly."
    )
    assert "is a `forbidden` rule" in forbidden["help"]["text"]
    assert 'source_modules = ["shop.core"]' in forbidden["help"]["text"]
    assert 'forbidden_modules = ["shop.adapters"]' in forbidden["help"]["markdown"]
    assert "Pass the adapter in from the api layer." in forbidden["help"]["text"]
    assert forbidden["defaultConfiguration"] == {"level": "error"}
    assert forbidden["properties"]["tags"] == ["architecture", "forbidden"]
    assert all(len(rule["fullDescription"]["text"]) <= 1000 for rule in rules.values())


def test_a_result_sits_at_the_offending_import_line_with_its_text(drifted):
    log = sarif_report.sarif_log(drifted.result, drifted.analysis)
    result = results_by_message(log)["shop.core is not allowed to import shop.api"]
    assert result["level"] == "error" and result["kind"] == "fail" and result["baselineState"] == "new"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "shop/core/stats.py"
    assert region == {"startLine": 3, "snippet": {"text": f"from shop.api import orders  # {HOSTILE}"}}
    assert "Introduced by" in result["message"]["text"] and CLAUDE_SIGNAL in result["message"]["text"]
    assert result["properties"]["provenance"]["generated"] is True
    fingerprint = violation(drifted.result, "shop.core is not allowed to import shop.api").fingerprint
    assert result["partialFingerprints"] == {"strataview/v1": fingerprint}


def test_a_chain_gives_related_locations_and_a_code_flow(drifted):
    log = sarif_report.sarif_log(drifted.result, drifted.analysis)
    cycle = results_by_message(log)[CYCLE]
    primary = cycle["locations"][0]["physicalLocation"]
    assert (primary["artifactLocation"]["uri"], primary["region"]["startLine"]) == ("shop/api/payments.py", 2)
    [related] = cycle["relatedLocations"]
    assert related["id"] == 1 and related["message"] == {"text": "shop.api.refunds imports shop.api.payments"}
    assert related["physicalLocation"] == {
        "artifactLocation": {"uri": "shop/api/refunds.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1, "snippet": {"text": "from shop.api import payments"}},
    }
    [flow] = cycle["codeFlows"]
    steps = flow["threadFlows"][0]["locations"]
    assert [step["location"]["physicalLocation"]["artifactLocation"]["uri"] for step in steps] == [
        "shop/api/payments.py",
        "shop/api/refunds.py",
    ]
    assert flow["message"]["text"] == "shop.api.payments -> shop.api.refunds -> shop.api.payments"


def test_baseline_states_and_levels_follow_new_existing_and_fixed(drifted):
    log = sarif_report.sarif_log(drifted.result, drifted.analysis)
    states = {
        (result["ruleId"], result["baselineState"], result["level"], result["kind"])
        for result in log["runs"][0]["results"]
    }
    assert states == {
        ("layers", "new", "error", "fail"),
        ("layers", "unchanged", "warning", "fail"),  # the unmatched ignore
        ("core-without-adapters", "unchanged", "warning", "fail"),
        ("no-cycles", "new", "error", "fail"),
        ("layers", "absent", "none", "pass"),  # fixed since the baseline
    }
    fixed = next(result for result in log["runs"][0]["results"] if result["baselineState"] == "absent")
    assert fixed["message"]["text"] == "shop.api is not allowed to import shop.ui"
    assert fixed["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "shop/api/orders.py"
    assert log["runs"][0]["properties"]["baseline"]["commit"] == drifted.commits["baseline"]


def test_without_a_baseline_there_is_no_baseline_state(tmp_path, kept, drifted):
    plain = drifted.result.model_copy(update={"baseline": None, "fixed": (), "drift": None})
    plain = plain.model_copy(
        update={"violations": tuple(v.model_copy(update={"status": None, "provenance": None}) for v in plain.violations)}
    )
    log = sarif_report.sarif_log(plain, drifted.analysis)
    validate_sarif(log)
    assert all("baselineState" not in result and result["level"] == "error" for result in log["runs"][0]["results"])


def test_an_unmatched_ignore_is_located_at_its_expression_in_the_configuration(drifted):
    log = sarif_report.sarif_log(drifted.result)  # without the analysis: the lines are found in the file
    result = results_by_message(log)["ignore_imports expression 'shop.gone -> shop.ui' matched no import"]
    physical = result["locations"][0]["physicalLocation"]
    lines = (drifted.root / "pyproject.toml").read_text().splitlines()
    assert physical["artifactLocation"]["uri"] == "pyproject.toml"
    assert "shop.gone -> shop.ui" in lines[physical["region"]["startLine"] - 1]
    with_analysis = sarif_report.sarif_log(drifted.result, drifted.analysis)
    assert results_by_message(with_analysis)[
        "ignore_imports expression 'shop.gone -> shop.ui' matched no import"
    ]["locations"][0] == result["locations"][0]


def test_review_decisions_suppress_accepted_and_waived_violations(drifted):
    log = sarif_report.sarif_log(drifted.reviewed, drifted.analysis)
    results = results_by_message(log)
    waived = results["shop.core is not allowed to import shop.adapters"]
    assert waived["suppressions"] == [{"kind": "external", "status": "accepted", "justification": HOSTILE_NOTE}]
    assert waived["level"] == "note"
    assert waived["properties"]["review"]["status"] == "waived"
    assert waived["properties"]["reviewText"].startswith("waived by Ada on 2025-03-01 until 2030-01-01: Ship it")
    must_fix = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "no-cycles")
    assert "suppressions" not in must_fix and must_fix["level"] == "error"
    assert must_fix["properties"]["review"]["status"] == "must-fix"


def test_code_level_violations_are_located_at_their_file_and_line(tmp_path):
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "api.py").write_text("from pydantic import BaseModel\n\nclass Order(BaseModel):\n    total: float\n")
    contract = Violation(
        fingerprint="c0ffee",
        rule="money",
        type="contract_types",
        message="shop.api.Order.total crosses the boundary as float",
        file="shop/api.py",
        line=4,
        detail="Use shop.billing.Money for amounts.",
    )
    result = CheckResult(
        tool=ToolInfo(version="1.0"),
        project=ProjectInfo(root=str(tmp_path), root_packages=("shop",), config="pyproject.toml"),
        graph=GraphSummary(modules=1, imports=0),
        rules=(RuleResult(id="money", name="money", type="contract_types", kept=False, violations=1),),
        violations=(contract,),
    )
    log = sarif_report.sarif_log(result)
    validate_sarif(log)
    [found] = log["runs"][0]["results"]
    assert found["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "shop/api.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 4, "snippet": {"text": "    total: float"}},
    }
    assert found["message"]["text"] == (
        "shop.api.Order.total crosses the boundary as float. Use shop.billing.Money for amounts."
    )
    assert log["runs"][0]["tool"]["driver"]["rules"][0]["fullDescription"]["text"]


def test_paths_are_relative_to_the_repository_holding_the_project(tmp_path, drifted):
    repository = tmp_path / "monorepo"
    subprocess.run(["git", "init", "--quiet", str(repository)], check=True)
    project = repository / "services" / "shop service"
    project.mkdir(parents=True)
    (project / "shop").mkdir()
    (project / "shop" / "core.py").write_text("import shop.ui\n")
    moved = drifted.result.model_copy(
        update={"project": drifted.result.project.model_copy(update={"root": str(project)})}
    )
    link_result = moved.model_copy(
        update={"violations": (violation(drifted.result, "shop.core is not allowed to import shop.api"),)}
    )
    [result, *_] = sarif_report.sarif_log(link_result)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "services/shop%20service/shop/core/stats.py",
        "uriBaseId": "%SRCROOT%",
    }


def test_a_project_without_violations_is_a_valid_run_without_results(kept):
    log = sarif_report.sarif_log(kept.result, kept)
    validate_sarif(log)
    assert log["runs"][0]["results"] == []
    assert [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]] == ["layers"]


def test_results_beyond_code_scannings_limit_are_left_out_with_a_notification(tmp_path, monkeypatch):
    monkeypatch.setattr(sarif_report, "MAX_RESULTS", 40)
    result = many_violations(tmp_path, 100)
    log = sarif_report.sarif_log(result)
    validate_sarif(log)
    results = log["runs"][0]["results"]
    new = {violation.fingerprint for violation in result.violations if violation.status == "new"}
    assert len(results) == 40 and len(new) == 34
    assert {r["partialFingerprints"]["strataview/v1"] for r in results[:34]} == new
    [notification] = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notification["message"]["text"].startswith("100 violations found; only the first 40 (new ones first)")


@pytest.mark.parametrize("fixture", ["drifted", "kept"])
def test_the_command_writes_sarif(fixture, request, tmp_path):
    from app.cli import main

    analysed = request.getfixturevalue(fixture)
    root = analysed.root if fixture == "drifted" else Path(analysed.result.project.root)
    arguments = ["check", str(root), "--format", "sarif", "-o", str(tmp_path / "out.sarif"), "--no-cache"]
    if fixture == "drifted":
        arguments += ["--baseline", analysed.commits["baseline"]]
    assert main(arguments) == (1 if fixture == "drifted" else 0)
    validate_sarif(json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8")))
