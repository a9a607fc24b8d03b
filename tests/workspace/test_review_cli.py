"""`strataview review init|list|set` and `strataview check --workspace`: scripted decisions, reviews
in every report, and accepted or waived violations that no longer fail the check."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.cli import main
from core.reports import REPORT_FORMATS
from core.workspace import load_workspace, save_workspace
from fixtures.projects import check
from workspace.projects import by_message, write_shop


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return write_shop(tmp_path / "shop")


@pytest.fixture
def workspace(shop: Path, capsys) -> Path:
    file = shop / "review.strataview.json"
    assert main(["review", "init", str(shop), "--workspace", str(file), "--reviewer", "Ada", "--no-cache"]) == 0
    assert capsys.readouterr().err == f"strataview: created {file} for {shop} (3 violations)\n"
    return file


def fingerprints(shop: Path) -> dict[str, str]:
    result = check(shop)
    return {key: by_message(result, f"import shop.{key}").fingerprint for key in ("ui", "api", "adapters")}


def run(capsys, *arguments: str) -> tuple[int, str, str]:
    code = main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_init_stores_the_project_relative_to_the_file_and_the_analysis(shop: Path, workspace: Path, capsys):
    loaded = load_workspace(workspace).workspace
    assert (loaded.project, loaded.reviewer, loaded.decisions) == (".", "Ada", {})
    assert loaded.last_analysis is not None and len(loaded.last_analysis.result.violations) == 3
    code, _, err = run(capsys, "review", "init", str(shop), "--workspace", str(workspace))
    assert (code, err) == (2, f"strataview: error: {workspace}: already exists; `strataview review set` changes it\n")


def test_decisions_are_set_by_fingerprint_or_a_unique_beginning_of_one(shop: Path, workspace: Path, capsys):
    keys = fingerprints(shop)
    W = ("--workspace", str(workspace))
    code, _, err = run(capsys, "review", "set", keys["api"][:6], "--status", "accepted", "--note", "known", *W)
    assert (code, err) == (0, f"strataview: {keys['api']} is accepted in {workspace}\n")
    expires = (date.today() + timedelta(days=30)).isoformat()
    code, _, err = run(
        capsys, "review", "set", keys["ui"], "--status", "waived", "--note", "until the split", "--expires", expires, *W
    )
    assert (code, err) == (0, f"strataview: {keys['ui']} is waived until {expires} in {workspace}\n")
    assert run(capsys, "review", "set", keys["adapters"], "--status", "must-fix", "--reviewer", "Grace", *W)[0] == 0
    decisions = load_workspace(workspace).workspace.decisions
    assert {key: (decisions[fp].status, decisions[fp].note, decisions[fp].reviewer) for key, fp in keys.items()} == {
        "api": ("accepted", "known", "Ada"),
        "ui": ("waived", "until the split", "Ada"),
        "adapters": ("must-fix", "", "Grace"),
    }
    assert decisions[keys["ui"]].expires == date.fromisoformat(expires)
    assert decisions[keys["api"]].message == "shop.core is not allowed to import shop.api"
    # Taking a decision back without a note removes it.
    code, _, err = run(capsys, "review", "set", keys["adapters"], "--status", "open", *W)
    assert (code, err) == (0, f"strataview: {keys['adapters']} has no decision any more in {workspace}\n")
    assert keys["adapters"] not in load_workspace(workspace).workspace.decisions
    assert load_workspace(workspace.with_name(workspace.name + ".bak")).workspace.decisions[keys["adapters"]]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--status", "waived"], "a waiver needs a reason: give it with --note TEXT"),
        (
            ["--status", "accepted", "--expires", "2099-01-01"],
            "only a waiver can expire: --expires goes with --status waived",
        ),
        (
            ["--status", "waived", "--note", "r", "--expires", "2001-01-01"],
            "the expiry date 2001-01-01 has already passed",
        ),
    ],
)
def test_decisions_that_make_no_sense_are_refused(shop: Path, workspace: Path, capsys, arguments, message):
    before = workspace.read_bytes()
    code, _, err = run(capsys, "review", "set", fingerprints(shop)["ui"], *arguments, "--workspace", str(workspace))
    assert (code, err) == (2, f"strataview: error: {message}\n")
    assert workspace.read_bytes() == before


def test_unknown_or_ambiguous_fingerprints_are_refused(shop: Path, workspace: Path, capsys):
    W = ("--workspace", str(workspace))
    code, _, err = run(capsys, "review", "set", "zz", "--status", "accepted", *W)
    assert code == 2 and "no violation with the fingerprint 'zz' in the workspace" in err
    code, _, err = run(capsys, "review", "set", "", "--status", "accepted", *W)
    assert code == 2 and "no violation with the fingerprint ''" in err
    code, _, err = run(capsys, "review", "set", "--status", "accepted", "--expires", "tomorrow", "abc", *W)
    assert code == 2 and "not a date as YYYY-MM-DD: 'tomorrow'" in err
    # A full fingerprint the workspace never saw (from a newer `check --format json`) is taken, with a note.
    code, _, err = run(capsys, "review", "set", "abcdef0123456789abcd", "--status", "accepted", *W)
    assert code == 0 and "is not among the violations the workspace last analysed" in err


def test_list_shows_decisions_and_resolved_ones(shop: Path, workspace: Path, capsys):
    keys = fingerprints(shop)
    W = ("--workspace", str(workspace))
    run(capsys, "review", "set", keys["ui"], "--status", "must-fix", "--note", "move the widget", *W)
    run(capsys, "review", "set", keys["api"], "--status", "accepted", *W)
    (shop / "shop/core/stock.py").write_text("import os\n", encoding="utf-8")  # the api violation is gone
    code, out, _ = run(capsys, "review", "list", *W, "--no-cache")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"Review of {shop} in {workspace} · reviewer Ada"
    assert f"{keys['ui']}  must-fix       layers: shop.core is not allowed to import shop.ui" in lines
    assert "    “move the widget”" in lines
    assert f"{keys['adapters']}  open           no-adapters: shop.core is not allowed to import shop.adapters" in lines
    assert "Resolved: the violation is gone (1)" in lines
    assert f"{keys['api']}  accepted       layers: shop.core is not allowed to import shop.api" in lines
    assert lines[-1] == "1 of 2 violations decided (1 open, 1 must-fix)"
    code, out, _ = run(capsys, "review", "list", *W, "--status", "must-fix", "--format", "json", "--no-cache")
    report = json.loads(out)
    assert [entry["fingerprint"] for entry in report["violations"]] == [keys["ui"]]
    assert report["violations"][0]["review"]["note"] == "move the widget"
    assert report["resolved"] == {} and report["progress"] == {
        "decided": 1,
        "total": 2,
        "open": 1,
        "accepted": 0,
        "waived": 0,
        "must-fix": 1,
    }
    # --stored lists the analysis saved in the workspace: there the api violation is still present.
    code, out, _ = run(capsys, "review", "list", *W, "--stored", "--status", "resolved", "--format", "json")
    assert json.loads(out)["violations"] == [] and json.loads(out)["resolved"] == {}
    code, out, _ = run(capsys, "review", "list", *W, "--stored", "--status", "accepted")
    assert f"{keys['api']}  accepted" in out


def test_check_with_a_workspace_passes_when_every_violation_is_accepted_or_waived(shop: Path, workspace: Path, capsys):
    keys = fingerprints(shop)
    W = ("--workspace", str(workspace))
    code, _, _ = run(capsys, "check", *W, "--no-cache")
    assert code == 1
    run(capsys, "review", "set", keys["ui"], "--status", "waived", "--note", "until the split", *W)
    run(capsys, "review", "set", keys["api"], "--status", "accepted", *W)
    run(capsys, "review", "set", keys["adapters"], "--status", "must-fix", *W)
    code, _, err = run(capsys, "check", *W, "--no-cache")
    assert code == 1  # must-fix fails
    assert err == f"strataview: 1 accepted and 1 waived in {workspace}: they do not fail the check\n"
    run(capsys, "review", "set", keys["adapters"], "--status", "accepted", *W)
    code, out, _ = run(capsys, "check", *W, "--no-cache", "--format", "json")
    assert code == 0
    reviews = {violation["fingerprint"]: violation["review"]["status"] for violation in json.loads(out)["violations"]}
    assert reviews == {keys["ui"]: "waived", keys["api"]: "accepted", keys["adapters"]: "accepted"}
    # PATH given: that project, with the workspace's decisions; without a workspace the rules fail as before.
    assert run(capsys, "check", str(shop), *W, "--no-cache")[0] == 0
    assert run(capsys, "check", str(shop), "--no-cache")[0] == 1


def test_an_expired_waiver_fails_the_check_again(shop: Path, workspace: Path, capsys):
    keys = fingerprints(shop)
    W = ("--workspace", str(workspace))
    for key in ("api", "adapters"):
        run(capsys, "review", "set", keys[key], "--status", "accepted", *W)
    loaded = load_workspace(workspace).workspace
    waiver = loaded.decisions[keys["api"]].model_copy(
        update={"status": "waived", "note": "till the end of 2020", "expires": date(2020, 12, 31)}
    )
    save_workspace(loaded.model_copy(update={"decisions": {**loaded.decisions, keys["ui"]: waiver}}), workspace)
    code, out, err = run(capsys, "check", *W, "--no-cache", "--format", "json")
    assert code == 1
    assert f"strataview: 1 waiver in {workspace} has expired: open again\n" in err
    review = next(v["review"] for v in json.loads(out)["violations"] if v["fingerprint"] == keys["ui"])
    assert (review["status"], review["expired"], review["expires"]) == ("open", True, "2020-12-31")


def test_every_report_format_carries_the_review(shop: Path, workspace: Path, capsys):
    ui = fingerprints(shop)["ui"]
    run(
        capsys,
        "review",
        "set",
        ui,
        "--status",
        "waived",
        "--note",
        "the price widget stays",
        "--workspace",
        str(workspace),
    )
    for name in REPORT_FORMATS:
        code, out, _ = run(capsys, "check", "--workspace", str(workspace), "--no-cache", "--format", name)
        assert code == 1, name
        assert "the price widget stays" in out, name


def test_new_only_passes_when_the_new_violations_are_accepted(shop: Path, tmp_path: Path, capsys):
    snapshot = tmp_path / "baseline.json"
    assert main(["snapshot", str(shop), "--output", str(snapshot)]) == 0
    file = tmp_path / "review.strataview.json"
    assert main(["review", "init", str(shop), "--baseline", str(snapshot), "--workspace", str(file)]) == 0
    assert load_workspace(file).workspace.baseline.model_dump() == {"kind": "snapshot", "ref": "baseline.json"}
    (shop / "shop/api/orders.py").write_text("from shop.ui import views\n", encoding="utf-8")
    capsys.readouterr()
    code, out, _ = run(capsys, "check", "--workspace", str(file), "--new-only", "--no-cache", "--format", "json")
    assert code == 1  # the baseline came from the workspace
    new = [violation for violation in json.loads(out)["violations"] if violation["status"] == "new"]
    assert [violation["message"] for violation in new] == ["shop.api is not allowed to import shop.ui"]
    run(capsys, "review", "set", new[0]["fingerprint"], "--status", "accepted", "--workspace", str(file))
    assert run(capsys, "check", "--workspace", str(file), "--new-only", "--no-cache")[0] == 0
    # The existing violations are still open, so without --new-only the check fails.
    assert run(capsys, "check", "--workspace", str(file), "--no-cache")[0] == 1


def test_a_corrupt_workspace_stops_the_check_and_names_the_backup(shop: Path, workspace: Path, capsys):
    run(capsys, "review", "set", fingerprints(shop)["ui"], "--status", "accepted", "--workspace", str(workspace))
    text = workspace.read_text(encoding="utf-8")
    workspace.write_text(text[:100], encoding="utf-8")
    code, out, err = run(capsys, "check", "--workspace", str(workspace))
    assert (code, out) == (2, "")
    assert err.startswith(f"strataview: error: {workspace}:line ")
    assert "the file ends too early: it is truncated" in err
    assert err.endswith("; the previous version is kept in review.strataview.json.bak\n")
    assert workspace.read_text(encoding="utf-8") == text[:100]
    code, _, err = run(capsys, "review", "set", "abc", "--status", "accepted", "--workspace", str(workspace))
    assert code == 2 and "truncated" in err and workspace.read_text(encoding="utf-8") == text[:100]


def test_a_newer_workspace_is_refused_and_never_rewritten(workspace: Path, capsys):
    data = json.loads(workspace.read_text(encoding="utf-8"))
    data["schema_version"] = 2
    workspace.write_text(json.dumps(data), encoding="utf-8")
    before = workspace.read_bytes()
    for arguments in (["check"], ["review", "list"], ["review", "set", "abcdef0123456789abcd", "--status", "accepted"]):
        code, _, err = run(capsys, *arguments, "--workspace", str(workspace))
        assert code == 2 and "written by a newer Strataview (workspace schema_version 2" in err
    assert workspace.read_bytes() == before


def test_gui_takes_a_workspace_but_not_with_its_own_config_or_baseline(workspace: Path, capsys):
    code, _, err = run(capsys, "gui", str(workspace), "--baseline", "main")
    assert (code, err) == (
        2,
        "strataview: error: --config and --baseline cannot be given with a workspace: it names its own\n",
    )
