"""Declared modules that nest, as tach declares them: code belongs to the nearest declared module
that contains it, so a declared module inside another is a unit of its own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from core.expressions import name_and_ancestors


@dataclass(frozen=True)
class Nesting:
    declared: frozenset[str] = frozenset()
    _belongs: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    def belongs_to(self, module: str) -> frozenset[str]:
        """The names `module` belongs to: itself and its ancestors, up to and including the
        nearest declared module containing it. Remembered, as rules ask about the same imported
        modules over and over."""
        found = self._belongs.get(module)
        if found is None:
            names = []
            for ancestor in name_and_ancestors(module):
                names.append(ancestor)
                if ancestor in self.declared:
                    break
            found = self._belongs[module] = frozenset(names)
        return found

    def covers(self, entry: str, module: str) -> bool:
        """Whether `module` belongs to `entry`: it lies inside it and no declared module nested
        inside `entry` holds it. Without declared modules, every descendant belongs."""
        return entry in self.belongs_to(module)

    def covers_any(self, entries: Iterable[str], module: str) -> bool:
        return not self.belongs_to(module).isdisjoint(entries)

    def owner(self, module: str) -> str | None:
        """The nearest declared module containing `module`, if any."""
        return next((ancestor for ancestor in name_and_ancestors(module) if ancestor in self.declared), None)
