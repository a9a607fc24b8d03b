"""Review decisions applied to a check: each violation's `review`, which violations no longer fail
it, the progress of a review, decisions whose violation is gone, and what changed since the last
session.

Decisions follow their violation by fingerprint, which names modules and rules but never lines,
so they survive moved lines and reformatting. A waiver past its expiry date is open again.
"""

from __future__ import annotations

import getpass
import os
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from core.model import CheckResult, Review, ReviewStatus, Violation
from core.workspace import Decision

SETTLED: frozenset[ReviewStatus] = frozenset({"accepted", "waived"})
DECIDED: frozenset[ReviewStatus] = frozenset({"accepted", "waived", "must-fix"})


def review_of(decision: Decision | None, today: date) -> Review:
    """The review in force on `today`: open without a decision, and open (`expired`) past a waiver's expiry."""
    if decision is None:
        return Review()
    expired = decision.status == "waived" and decision.expires is not None and today > decision.expires
    return Review(
        status="open" if expired else decision.status,
        note=decision.note,
        reviewer=decision.reviewer,
        decided_at=decision.decided_at,
        expires=decision.expires,
        expired=expired,
    )


def apply_review(result: CheckResult, decisions: Mapping[str, Decision], today: date) -> CheckResult:
    """The result with every violation's `review` (and every fixed one's) filled from the decisions."""

    def reviewed(violations: Iterable[Violation]) -> tuple[Violation, ...]:
        return tuple(
            violation.model_copy(update={"review": review_of(decisions.get(violation.fingerprint), today)})
            for violation in violations
        )

    return result.model_copy(update={"violations": reviewed(result.violations), "fixed": reviewed(result.fixed)})


def with_review(result: CheckResult, fingerprint: str, review: Review) -> CheckResult:
    """The result with one violation's review replaced (the others are the same objects)."""
    violations = tuple(
        violation.model_copy(update={"review": review}) if violation.fingerprint == fingerprint else violation
        for violation in result.violations
    )
    return result.model_copy(update={"violations": violations})


def settled(violation: Violation) -> bool:
    """Accepted, or waived and not expired: the violation does not fail the check."""
    return violation.review is not None and violation.review.status in SETTLED


def decide(
    current: Decision | None,
    *,
    status: ReviewStatus,
    note: str,
    expires: date | None,
    reviewer: str | None,
    now: datetime,
    violation: Violation | None = None,
) -> Decision | None:
    """The decision after a reviewer's change: who and when change with the status or the expiry
    (a note alone keeps them); only a waiver keeps an expiry; open without a note is no decision."""
    if status == "open" and not note.strip():
        return None
    expires = expires if status == "waived" else None
    now = now.replace(microsecond=0)
    decided = current is None or current.status != status or current.expires != expires
    return Decision(
        status=status,
        note=note,
        reviewer=reviewer if decided or current is None else current.reviewer,
        decided_at=now if decided or current is None else current.decided_at,
        expires=expires,
        rule=violation.rule if violation is not None else current.rule if current else None,
        message=violation.message if violation is not None else current.message if current else None,
    )


def with_context(decisions: Mapping[str, Decision], result: CheckResult) -> dict[str, Decision]:
    """The decisions with each present violation's rule and message recorded, so they still say
    what they were about once the violation is gone."""
    present = {violation.fingerprint: violation for violation in result.violations}
    updated = {}
    for fingerprint, decision in decisions.items():
        violation = present.get(fingerprint)
        if violation is not None and (decision.rule, decision.message) != (violation.rule, violation.message):
            decision = decision.model_copy(update={"rule": violation.rule, "message": violation.message})
        updated[fingerprint] = decision
    return updated


def resolved_decisions(result: CheckResult, decisions: Mapping[str, Decision]) -> dict[str, Decision]:
    """The decisions whose violation is gone from the result: resolved, and kept rather than dropped."""
    present = {violation.fingerprint for violation in result.violations}
    return {fingerprint: decision for fingerprint, decision in sorted(decisions.items()) if fingerprint not in present}


@dataclass(frozen=True)
class ReviewProgress:
    """How far a review is: of the violations to review (the new ones against a baseline, else all),
    how many are decided; and how many are open, accepted, waived or must-fix."""

    decided: int
    total: int
    counts: Mapping[ReviewStatus, int]

    @property
    def done(self) -> bool:
        return self.decided == self.total


def to_review(result: CheckResult) -> list[Violation]:
    """The violations a review is about: the new ones when compared with a baseline, else all."""
    if result.baseline is not None:
        return [violation for violation in result.violations if violation.status == "new"]
    return list(result.violations)


def review_progress(result: CheckResult) -> ReviewProgress:
    violations = to_review(result)
    counts: dict[ReviewStatus, int] = {"open": 0, "accepted": 0, "waived": 0, "must-fix": 0}
    for violation in violations:
        counts[violation.review.status if violation.review else "open"] += 1
    decided = sum(count for status, count in counts.items() if status in DECIDED)
    return ReviewProgress(decided=decided, total=len(violations), counts=counts)


@dataclass(frozen=True)
class SessionChanges:
    """What differs from the analysis saved at the end of the last session: the fingerprints of
    violations that are new since, and the violations that are gone since."""

    new: frozenset[str]
    gone: tuple[Violation, ...]

    @property
    def any(self) -> bool:
        return bool(self.new or self.gone)


def session_changes(previous: CheckResult, current: CheckResult) -> SessionChanges:
    before = {violation.fingerprint for violation in previous.violations}
    now = {violation.fingerprint for violation in current.violations}
    return SessionChanges(
        new=frozenset(now - before),
        gone=tuple(violation for violation in previous.violations if violation.fingerprint not in now),
    )


def default_reviewer(project: Path | None = None) -> str | None:
    """Who is reviewing, when nobody said: git's `user.name` for the project, else the login name."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    try:
        completed = subprocess.run(
            ["git", "config", "user.name"],
            cwd=project if project is not None and project.is_dir() else None,
            env=environment,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        name = completed.stdout.strip() if completed.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        name = ""
    if name:
        return name
    try:
        return getpass.getuser() or None
    except (OSError, KeyError):
        return None
