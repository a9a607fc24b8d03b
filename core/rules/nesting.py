"""Declared modules that nest, as tach declares them: code belongs to the nearest declared module
that contains it, so a declared module inside another is a unit of its own."""

from __future__ import annotations

from dataclasses import dataclass

from core.expressions import name_and_ancestors


@dataclass(frozen=True)
class Nesting:
    declared: frozenset[str] = frozenset()

    def covers(self, entry: str, module: str) -> bool:
        """Whether `module` belongs to `entry`: it lies inside it and no declared module nested
        inside `entry` holds it. Without declared modules, every descendant belongs."""
        for ancestor in name_and_ancestors(module):
            if ancestor == entry:
                return True
            if ancestor in self.declared:
                return False
        return False

    def owner(self, module: str) -> str | None:
        """The nearest declared module containing `module`, if any."""
        return next((ancestor for ancestor in name_and_ancestors(module) if ancestor in self.declared), None)
