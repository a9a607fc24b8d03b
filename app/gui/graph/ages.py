"""How old the modules in each box of the architecture drawing are, for its "colour by age".

Every module has the provenance of the commit that added it (`CheckResult.module_provenance`, made
when the check has a git baseline). A module's age is its place among the dates of those commits:
0 for the oldest, 1 for the newest, ranked so that a long quiet history does not squeeze the
recent weeks into one colour; work not committed yet is the newest of all, modules added before
the history that was read are the oldest. A box is as old as its newest module, so a package
that gained one module yesterday stands out. Nothing here needs Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from core.model import Provenance
from core.provenance import UNCOMMITTED


@dataclass(frozen=True)
class BoxAge:
    """The age of a box: that of its newest module, and which of its modules came from commits
    that show signs of generated code."""

    position: float  # 0 (the oldest commit that added a module) to 1 (the newest, or uncommitted)
    newest: str  # the box's newest module
    provenance: Provenance  # of that module
    modules: int  # the box's modules whose commit is known
    generated: tuple[str, ...]  # the box's modules added by commits with signals of generated code


@dataclass(frozen=True)
class AgeScale:
    """The module ages of a project: each module's position, and the dates the scale runs between."""

    positions: dict[str, float]
    oldest: str | None  # the date (YYYY-MM-DD) of the oldest commit that added a module
    newest: str | None

    def box_ages(
        self, boxes: Iterable[str], box_for: Callable[[str], str | None], provenance: Mapping[str, Provenance]
    ) -> dict[str, BoxAge]:
        """The age of each of `boxes` that holds a module with a known commit."""
        members: dict[str, list[str]] = {}
        wanted = set(boxes)
        for module in self.positions:
            box = box_for(module)
            if box in wanted:
                members.setdefault(box, []).append(module)
        ages = {}
        for box, modules in members.items():
            newest = max(modules, key=lambda module: (self.positions[module], module))
            ages[box] = BoxAge(
                position=self.positions[newest],
                newest=newest,
                provenance=provenance[newest],
                modules=len(modules),
                generated=tuple(sorted(module for module in modules if provenance[module].generated)),
            )
        return ages


def age_scale(module_provenance: Mapping[str, Provenance]) -> AgeScale:
    """Rank the commits that added the modules by date (the same date, the same rank)."""
    dates = {module: _date(p) for module, p in module_provenance.items() if p.commit is not None and p.date}
    distinct = sorted(set(dates.values()))
    rank = {date: number / (len(distinct) - 1) if len(distinct) > 1 else 1.0 for number, date in enumerate(distinct)}
    positions = {module: rank[date] for module, date in dates.items()}
    for module, provenance in module_provenance.items():
        if provenance.commit is None:
            positions[module] = 1.0 if provenance.note == UNCOMMITTED else 0.0
    oldest, newest = (distinct[0], distinct[-1]) if distinct else (None, None)
    return AgeScale(
        positions=positions,
        oldest=oldest.date().isoformat() if oldest else None,
        newest=newest.date().isoformat() if newest else None,
    )


def _date(provenance: Provenance) -> datetime:
    assert provenance.date is not None
    return datetime.fromisoformat(provenance.date)
