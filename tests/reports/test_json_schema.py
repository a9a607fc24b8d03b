"""The JSON report's published schema: generated from the models, committed, and every report
the command writes validates against it."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jsonschema
import pytest
from reports.conftest import many_violations, validate_sarif

from app.cli import main
from core.model import ProblemReport
from core.reports import REPORT_FORMATS, json_report

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "resources" / "report.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def test_the_committed_schema_is_the_generated_one():
    """Regenerate it with `strataview schema --report -o resources/report.schema.json`."""
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == json_report.report_json_schema()


def test_the_command_prints_and_writes_the_schema(tmp_path, capsys):
    assert main(["schema", "--report"]) == 0
    assert json.loads(capsys.readouterr().out) == json_report.report_json_schema()
    target = tmp_path / "report.schema.json"
    assert main(["schema", "--report", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8")


def test_reports_with_baseline_review_and_errors_validate(validator, drifted, kept, tmp_path):
    failed = kept.result.model_copy(update={"errors": (ProblemReport(message="broken", file="x.toml"),)})
    for result in (drifted.result, drifted.reviewed, kept.result, failed, many_violations(tmp_path, 50, files=0)):
        report = json.loads(json_report.render(result))
        validator.validate(report)
    reviewed = json.loads(json_report.render(drifted.reviewed))
    assert {v["rule"]: (v["review"] or {}).get("status") for v in reviewed["violations"]} == {
        "layers": None,
        "core-without-adapters": "waived",
        "no-cycles": "must-fix",
    }
    assert reviewed["fixed"][0]["message"] == "shop.api is not allowed to import shop.ui"
    assert reviewed["drift"]["modules_added"] == ["shop.api.refunds", "shop.core.stats"]


def test_the_schema_rejects_what_a_report_never_has(validator, kept):
    report = json.loads(json_report.render(kept.result))
    report["violations"] = [{"rule": "layers"}]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(report)
    report = json.loads(json_report.render(kept.result))
    report["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(report)


@pytest.mark.parametrize("format_name", ["text", "json", "sarif", "html", "markdown", "junit", "github"])
def test_every_format_is_written_by_the_command(format_name, drifted, validator, tmp_path, capsys):
    target = tmp_path / f"report.{format_name}"
    arguments = ["check", str(drifted.root), "--baseline", drifted.commits["baseline"], "--format", format_name]
    assert main([*arguments, "--output", str(target), "--new-only"]) == 1
    written = target.read_text(encoding="utf-8")
    assert "shop.core" in written
    assert main(arguments) == 1
    assert capsys.readouterr().out == written
    if format_name == "json":
        validator.validate(json.loads(written))
    if format_name == "html":
        assert "<svg xmlns" in written  # the command gives the report its analysis


def test_every_format_renders_thousands_of_violations_in_well_under_a_few_seconds(validator, tmp_path):
    result = many_violations(tmp_path, 3000)
    for name, module in REPORT_FORMATS.items():
        started = time.perf_counter()
        text = module.render(result)
        elapsed = time.perf_counter() - started
        assert elapsed < 3.0, f"{name}: {elapsed:.1f} s"
        assert "big.p49.m2999" in text or name in ("markdown", "html"), name
        if name == "json":
            validator.validate(json.loads(text))
        if name == "sarif":
            log = json.loads(text)
            validate_sarif(log)
            assert len(log["runs"][0]["results"]) == 3000
        if name == "github":
            assert text.count("\n::") == 2999
