"""The Markdown report: short enough for a pull-request comment, new violations first."""

from __future__ import annotations

from reports.conftest import HOSTILE_NOTE, many_violations

from core.model import ProblemReport
from core.reports import markdown_report


def test_the_verdict_then_new_violations_as_a_table_then_existing_and_fixed_collapsed(drifted):
    text = markdown_report.render(drifted.result, analysis=drifted.analysis)
    baseline = drifted.commits["baseline"]
    lines = text.splitlines()
    assert lines[0] == f"### ❌ Strataview: 2 new violations since {baseline}; 3 of 4 rules broken, 4 in all."
    table = lines[2 : lines.index("", 2)]
    stats, refunds = drifted.commits["stats"][:7], drifted.commits["refunds"][:7]
    assert table == [
        "| Rule | Violation | Where | Introduced by |",
        "|---|---|---|---|",
        f"| `layers` | `shop.core` → `shop.api` | `shop/core/stats.py:3` | `{stats}` Ada Lovelace 2025-02-03 "
        "“Order statistics” · 🤖 **generated** (Co-authored-by: Claude &lt;noreply@anthropic.com&gt;) |",
        f"| `no-cycles` | `shop.api.payments` → `shop.api.refunds` | `shop/api/payments.py:2` | `{refunds}` "
        "Carol Reyes 2025-02-04 “Refunds” |",
    ]
    existing = text.split("<summary>2 existing violations</summary>", 1)[1].split("</details>", 1)[0]
    assert "| `layers` | ignore\\_imports expression 'shop.gone -&gt; shop.ui' matched no import | `pyproject.toml:" in existing
    assert "| `core-without-adapters` | `shop.core` → `shop.adapters` | `shop/core/pricing.py:4` |" in existing
    fixed = text.split(f"<summary>1 fixed since {baseline}</summary>", 1)[1].split("</details>", 1)[0]
    assert "- shop.api is not allowed to import shop.ui (`layers`)" in fixed
    assert "**Drift:** 2 modules added (1 generated), 1 new import between top-level packages, 1 cycle appeared." in text
    assert text.rstrip().endswith(f"1 of 4 rules kept · baseline {baseline} ({baseline[:12]})</sub>")


def test_review_decisions_get_a_column_and_notes_cannot_break_the_table(drifted):
    text = markdown_report.render(drifted.reviewed, analysis=drifted.analysis)
    assert "| Rule | Violation | Where | Introduced by | Review |" in text
    row = next(line for line in text.splitlines() if "`shop.core` → `shop.adapters`" in line)
    assert row.count(" | ") == 3  # the pipe in the note is escaped: still four cells
    assert "waived by Ada on 2025-03-01 until 2030-01-01: Ship it &lt;/script&gt;" in row
    assert "\\| &lt;b&gt;bold&lt;/b&gt; &amp; more :: trailing" in row
    assert "<script>" not in text and HOSTILE_NOTE not in text


def test_without_a_baseline_every_violation_is_in_the_table(drifted):
    plain = drifted.result.model_copy(update={"baseline": None, "fixed": (), "drift": None})
    plain = plain.model_copy(
        update={"violations": tuple(v.model_copy(update={"status": None, "provenance": None}) for v in plain.violations)}
    )
    text = markdown_report.render(plain)
    assert text.startswith("### ❌ Strataview: 4 violations; 3 of 4 rules broken.\n")
    assert "<details>" not in text and "Introduced by" not in text
    assert text.count("\n| `") == 4


def test_a_project_that_keeps_every_rule(kept):
    text = markdown_report.render(kept.result, analysis=kept)
    assert text.splitlines()[0] == "### ✅ Strataview: All 1 rule kept."
    assert "|" not in text.split("<sub>")[0]


def test_only_existing_violations_against_a_baseline_is_a_warning(drifted):
    existing_only = drifted.result.model_copy(
        update={"violations": tuple(v for v in drifted.result.violations if v.status == "existing")}
    )
    assert markdown_report.render(existing_only).startswith("### ⚠️ Strataview: No new violations since ")


def test_thousands_of_violations_stay_within_a_comment(tmp_path):
    text = markdown_report.render(many_violations(tmp_path, 3000, files=0))
    assert len(text) <= markdown_report.MAX_CHARACTERS
    assert "more (the HTML and JSON reports list them all)." in text


def test_an_error_is_reported(kept):
    failed = kept.result.model_copy(update={"errors": (ProblemReport(message="bad | config", file="strataview.toml"),)})
    assert markdown_report.render(failed) == (
        "### ⛔ Strataview: The check could not run: bad \\| config\n\n- strataview.toml: bad \\| config\n"
    )
