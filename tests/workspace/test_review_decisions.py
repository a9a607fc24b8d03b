"""Decisions applied to checks: they follow their violation through moved lines and reformatting,
a gone violation's decision is resolved (kept), expired waivers are open again, and a later
analysis tells what is new and gone since the last session."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from core.model import Review
from core.review import (
    apply_review,
    decide,
    resolved_decisions,
    review_of,
    review_progress,
    session_changes,
    settled,
    with_context,
    with_review,
)
from fixtures.projects import check
from workspace.projects import WHEN, by_message, decision, write_shop

TODAY = date(2025, 6, 30)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return write_shop(tmp_path / "shop")


def test_every_violation_gets_the_review_in_force(shop: Path):
    result = check(shop)
    ui, up, adapters = (by_message(result, text) for text in ("shop.ui", "shop.api", "shop.adapters"))
    decisions = {
        ui.fingerprint: decision("waived", "until the widgets move", TODAY),
        up.fingerprint: decision("accepted", "known"),
    }
    reviewed = apply_review(result, decisions, TODAY)
    reviews = {violation.fingerprint: violation.review for violation in reviewed.violations}
    assert reviews[ui.fingerprint] == Review(
        status="waived", note="until the widgets move", reviewer="Ada", decided_at=WHEN, expires=TODAY
    )
    assert reviews[up.fingerprint].status == "accepted"
    assert reviews[adapters.fingerprint] == Review()  # undecided: open
    assert [settled(violation) for violation in reviewed.violations] == [
        violation.fingerprint in decisions for violation in reviewed.violations
    ]
    # The day after the expiry the waiver is open again, and says why.
    later = apply_review(result, decisions, TODAY + timedelta(days=1))
    expired = next(v for v in later.violations if v.fingerprint == ui.fingerprint).review
    assert (expired.status, expired.expired, expired.expires, expired.note) == (
        "open",
        True,
        TODAY,
        "until the widgets move",
    )
    assert not settled(next(v for v in later.violations if v.fingerprint == ui.fingerprint))


def test_decisions_follow_their_violation_through_moved_lines_and_reformatting(shop: Path):
    before = check(shop)
    ui = by_message(before, "shop.ui")
    decisions = {ui.fingerprint: decision("accepted", "the price widget is shared")}
    (shop / "shop/core/prices.py").write_text(
        '"""Prices."""\n\nimport os\nimport sys\n\n\n# The widget formats prices.\nfrom shop.ui import (\n'
        "    views,\n)\n\n\ndef price():\n    return views\n",
        encoding="utf-8",
    )
    after = check(shop)
    moved = by_message(after, "shop.ui")
    assert moved.chains[0][0].line_numbers == (8,) != ui.chains[0][0].line_numbers
    reviewed = apply_review(after, decisions, TODAY)
    assert next(v for v in reviewed.violations if v.fingerprint == moved.fingerprint).review.status == "accepted"
    assert resolved_decisions(after, decisions) == {}


def test_a_decision_whose_violation_is_gone_is_resolved_not_dropped(shop: Path):
    result = check(shop)
    ui = by_message(result, "shop.ui")
    decisions = with_context({ui.fingerprint: decision("must-fix", "move it")}, result)
    assert (decisions[ui.fingerprint].rule, decisions[ui.fingerprint].message) == ("layers", ui.message)
    (shop / "shop/core/prices.py").write_text("import os\n", encoding="utf-8")
    fixed = check(shop)
    assert ui.fingerprint not in {violation.fingerprint for violation in fixed.violations}
    resolved = resolved_decisions(fixed, decisions)
    assert list(resolved) == [ui.fingerprint]
    assert resolved[ui.fingerprint].message == "shop.core is not allowed to import shop.ui"
    assert with_context(decisions, fixed) == decisions  # what it was about is kept once it is gone


def test_a_decision_records_who_and_when_only_when_the_decision_changes():
    first = decide(None, status="waived", note="", expires=TODAY, reviewer="Ada", now=WHEN.replace(microsecond=5))
    assert first is not None and (first.reviewer, first.decided_at, first.expires) == ("Ada", WHEN, TODAY)
    later = WHEN + timedelta(hours=2)
    noted = decide(first, status="waived", note="a reason", expires=TODAY, reviewer="Grace", now=later)
    assert (noted.note, noted.reviewer, noted.decided_at) == ("a reason", "Ada", WHEN)
    accepted = decide(noted, status="accepted", note="a reason", expires=TODAY, reviewer="Grace", now=later)
    assert (accepted.status, accepted.reviewer, accepted.decided_at, accepted.expires) == (
        "accepted",
        "Grace",
        later,
        None,
    )
    assert decide(accepted, status="open", note="  ", expires=None, reviewer="Grace", now=later) is None
    kept_note = decide(accepted, status="open", note="look again", expires=None, reviewer="Grace", now=later)
    assert (kept_note.status, kept_note.note) == ("open", "look again")


def test_review_of_without_a_decision_is_open():
    assert review_of(None, TODAY) == Review()
    assert review_of(decision("waived", "r"), TODAY).status == "waived"  # a waiver without expiry holds


def test_progress_counts_the_new_violations_against_a_baseline(shop: Path, tmp_path: Path):
    from app.cli import main

    snapshot = tmp_path / "baseline.json"
    assert main(["snapshot", str(shop), "--output", str(snapshot)]) == 0
    (shop / "shop/ui/views.py").write_text("from shop.adapters import db\n", encoding="utf-8")
    write_rules = (shop / "strataview.toml").read_text(encoding="utf-8")
    (shop / "strataview.toml").write_text(
        write_rules + '\n[[rules]]\nid = "ui-alone"\ntype = "forbidden"\nsource_modules = ["shop.ui"]\n'
        'forbidden_modules = ["shop.adapters"]\n',
        encoding="utf-8",
    )
    result = check(shop, baseline=str(snapshot))
    new = [violation for violation in result.violations if violation.status == "new"]
    assert len(new) == 1
    decisions = {new[0].fingerprint: decision("must-fix"), result.violations[0].fingerprint: decision("accepted")}
    progress = review_progress(apply_review(result, decisions, TODAY))
    assert (progress.decided, progress.total, progress.done) == (1, 1, True)
    assert dict(progress.counts) == {"open": 0, "accepted": 0, "waived": 0, "must-fix": 1}
    # Without a baseline every violation is to review.
    plain = review_progress(apply_review(check(shop), decisions, TODAY))
    assert (plain.decided, plain.total) == (2, 4)


def test_what_is_new_and_gone_since_the_last_session(shop: Path):
    last = check(shop)
    ui = by_message(last, "shop.ui")
    (shop / "shop/core/prices.py").write_text("import os\n", encoding="utf-8")
    (shop / "shop/api/orders.py").write_text("from shop.ui import views\n", encoding="utf-8")
    now = check(shop)
    changes = session_changes(last, now)
    assert [violation.fingerprint for violation in changes.gone] == [ui.fingerprint]
    assert changes.new == {by_message(now, "shop.api is not allowed to import shop.ui").fingerprint}
    assert changes.any and not session_changes(now, now).any


def test_one_review_is_replaced_and_the_other_violations_stay_the_same_objects(shop: Path):
    result = apply_review(check(shop), {}, TODAY)
    target = result.violations[1].fingerprint
    changed = with_review(result, target, Review(status="accepted"))
    assert changed.violations[1].review.status == "accepted"
    assert changed.violations[0] is result.violations[0] and changed.violations[2] is result.violations[2]
