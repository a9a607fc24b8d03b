"""A rule's `ignore_imports`: take the matching imports out of its graph, and account for them."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import grimp

from core.graph import ProjectGraph
from core.model import IgnoredImport
from core.rules.common import RuleOptions


@dataclass
class IgnoreOutcome:
    graph: grimp.ImportGraph
    ignored: list[IgnoredImport] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def apply_ignores(project: ProjectGraph, rule: RuleOptions) -> IgnoreOutcome:
    """The graph the rule is checked on: the project's own, or a copy without the ignored imports."""
    graph = project.graph
    outcome = IgnoreOutcome(graph=graph)
    matched: dict[tuple[str, str], str] = {}
    for expression in rule.ignore_imports:
        found = graph.find_matching_direct_imports(import_expression=expression)
        if not found:
            if expression not in outcome.unmatched:
                outcome.unmatched.append(expression)
        for pair in found:
            matched.setdefault((pair["importer"], pair["imported"]), expression)
    if not matched:
        return outcome
    outcome.graph = copy.deepcopy(graph)
    for (importer, imported), expression in sorted(matched.items()):
        details = sorted(graph.get_import_details(importer=importer, imported=imported), key=lambda d: d["line_number"])
        file = project.file_of(importer)
        # A graph built by hand may hold an import without details: it is still listed, without a line.
        for detail in details or [{}]:
            outcome.ignored.append(
                IgnoredImport(
                    importer=importer,
                    imported=imported,
                    file=file,
                    line=detail.get("line_number"),
                    line_contents=detail.get("line_contents"),
                    expression=expression,
                )
            )
        outcome.graph.remove_import(importer=importer, imported=imported)
    return outcome
