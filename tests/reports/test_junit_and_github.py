"""JUnit XML (a testcase per rule, a failure per broken one) and GitHub Actions annotations
(escaped so that no analysed text can end a command or start another)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest
from reports.conftest import HOSTILE, many_violations, violation

from core.model import ProblemReport
from core.reports import github_report, junit_report


def test_junit_has_a_testcase_per_rule_and_a_failure_per_broken_rule(drifted):
    root = ElementTree.fromstring(junit_report.render(drifted.reviewed, analysis=drifted.analysis))
    assert (root.tag, root.get("tests"), root.get("failures"), root.get("errors")) == ("testsuites", "4", "3", "0")
    [suite] = root
    assert suite.get("name") == "architecture rules of shop" and suite.get("failures") == "3"
    properties = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert properties["baseline"] == drifted.commits["baseline"] and properties["violations.new"] == "2"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == [
        "layers: ui over api over core",
        "core-without-adapters: the core never reaches for adapters",
        "no-cycles",
        "apart: adapters and ui stand apart",
    ]
    assert cases["apart: adapters and ui stand apart"].find("failure") is None
    assert cases["apart: adapters and ui stand apart"].get("classname") == "strataview.independence"
    layers = cases["layers: ui over api over core"]
    assert (layers.get("file"), layers.get("line")) == ("pyproject.toml", str(drifted.analysis.config.rule_lines["layers"]))
    failure = layers.find("failure")
    assert failure.get("message") == f"2 violations (1 new since {drifted.commits['baseline']})"
    assert failure.get("type") == "layers"
    assert f"    shop/core/stats.py:3  shop.core.stats -> shop.api.orders  from shop.api import orders  # {HOSTILE}" in failure.text
    assert "- [existing] ignore_imports expression 'shop.gone -> shop.ui' matched no import" in failure.text
    assert "ignored by ignore_imports: shop/core/legacy.py:1 shop.core.legacy -> shop.ui.widgets" in layers.find("system-out").text
    forbidden = cases["core-without-adapters: the core never reaches for adapters"].find("failure").text
    assert "    review: waived by Ada on 2025-03-01 until 2030-01-01: Ship it" in forbidden
    assert forbidden.endswith("\n\nPass the adapter in from the api layer.")


def test_junit_of_a_project_that_keeps_every_rule_and_of_a_check_that_could_not_run(kept):
    root = ElementTree.fromstring(junit_report.render(kept.result, analysis=kept))
    assert (root.get("tests"), root.get("failures")) == ("1", "0")
    assert root.find("testsuite/testcase").get("name") == "layers" and root.find(".//failure") is None
    failed = kept.result.model_copy(update={"errors": (ProblemReport(message="unknown key\x00", file="strataview.toml"),)})
    root = ElementTree.fromstring(junit_report.render(failed))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("1", "0", "1")
    error = root.find("testsuite/testcase/error")
    assert error.get("message") == "unknown key\ufffd" and error.text == "strataview.toml: unknown key\ufffd"


def test_junit_with_thousands_of_violations_is_well_formed(tmp_path):
    root = ElementTree.fromstring(junit_report.render(many_violations(tmp_path, 3000, files=0)))
    assert root.get("failures") == "5"
    assert sum(case.find("failure").text.count("\n- ") + 1 for case in root.iter("testcase")) == 3000


@pytest.mark.parametrize(
    ("text", "data", "property"),
    [
        ("50% done", "50%25 done", "50%25 done"),
        ("one\r\ntwo", "one%0D%0Atwo", "one%0D%0Atwo"),
        ("a: b, c", "a: b, c", "a%3A b%2C c"),
        ("::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"),
    ],
)
def test_annotation_values_are_escaped_as_the_actions_toolkit_does(text, data, property):
    assert github_report.escape_data(text) == data
    assert github_report.escape_property(text) == property


def test_annotations_point_at_the_offending_lines(drifted):
    output = github_report.render(drifted.reviewed, analysis=drifted.analysis)
    lines = output.splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines[:-1])
    assert lines[-1] == f"Strataview: 2 new violations since {drifted.commits['baseline']}; 3 of 4 rules broken, 4 in all."
    stats = drifted.commits["stats"][:7]
    assert lines[0] == (
        "::error file=shop/core/stats.py,line=3,title=Strataview layers (new)::shop.core is not allowed to import "
        "shop.api%0Avia shop/core/stats.py:3 shop.core.stats -> shop.api.orders%0Aintroduced by "
        f'{stats} Ada Lovelace 2025-02-03 "Order statistics" (generated: Co-authored-by: Claude <noreply@anthropic.com>)'
    )
    levels = [line.split(" ", 1)[0] for line in lines[:-1]]
    assert levels == ["::error", "::error", "::warning", "::notice", "::notice"]
    assert lines[1].startswith("::error file=shop/api/payments.py,line=2,title=Strataview no-cycles (new)::import cycle")
    assert "%0Areview: must-fix by Bob" in lines[1]
    unmatched = lines[2]
    config_line = next(
        number
        for number, text in enumerate((drifted.root / "pyproject.toml").read_text().splitlines(), start=1)
        if "shop.gone" in text
    )
    assert unmatched.startswith(f"::warning file=pyproject.toml,line={config_line},title=Strataview layers (existing)::")
    waived = lines[3]
    assert waived.startswith("::notice file=shop/core/pricing.py,line=4,title=Strataview core-without-adapters (existing)::")
    # The note's line break and its "::" stay inside the one command.
    assert "%0A:: trailing" in waived
    fixed = lines[4]
    assert fixed.startswith("::notice file=shop/api/orders.py,title=Strataview layers (fixed)::shop.api is not allowed")


def test_annotations_of_a_project_that_keeps_every_rule_and_of_an_error(kept):
    assert github_report.render(kept.result, analysis=kept) == "Strataview: All 1 rule kept.\n"
    failed = kept.result.model_copy(
        update={"errors": (ProblemReport(message="unknown key 'x'", file="strataview.toml", place="line 3"),)}
    )
    assert github_report.render(failed) == (
        "::error file=strataview.toml,title=Strataview could not run::line 3: unknown key 'x'\n"
    )


def test_the_command_prints_annotations_also_when_the_check_cannot_run(tmp_path, capsys):
    from app.cli import main

    (tmp_path / "strataview.toml").write_text('root_packages = ["shop"]\nunknown = 1\n')
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").write_text("")
    assert main(["check", str(tmp_path), "--format", "github", "--no-cache"]) == 2
    captured = capsys.readouterr()
    assert captured.out.startswith("::error file=strataview.toml,title=Strataview could not run::")
    assert captured.err.startswith("strataview: error: ")


def test_the_primary_place_of_a_link_without_a_file_is_the_importers_file(drifted):
    found = violation(drifted.result, "shop.core is not allowed to import shop.adapters")
    link = found.chains[0][0].model_copy(update={"file": None})
    stripped = found.model_copy(update={"chains": ((link,),)})
    only = drifted.result.model_copy(update={"violations": (stripped,), "fixed": ()})
    assert "::warning file=shop/core/pricing.py,line=4," in github_report.render(only)
