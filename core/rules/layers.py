"""`layers`: higher layers may import lower ones, never the reverse (import-linter's semantics)."""

from __future__ import annotations

from typing import Literal

import grimp
from pydantic import Field, field_validator, model_validator

from core.expressions import expressions_to_modules, is_in_package
from core.model import Violation
from core.rules.common import ModuleExpressions, RuleContext, RuleOptions, rule_error

INDEPENDENT = "|"
NON_INDEPENDENT = ":"


class LayerSpec:
    """One entry of `layers`: sibling module tails, optional ones in parentheses."""

    def __init__(self, text: str) -> None:
        if INDEPENDENT in text and NON_INDEPENDENT in text:
            raise ValueError(f"layer '{text}' mixes independent '|' and non-independent ':' siblings")
        separator = INDEPENDENT if INDEPENDENT in text else NON_INDEPENDENT
        self.independent = NON_INDEPENDENT not in text
        self.tails: dict[str, bool] = {}  # tail -> optional
        for raw in (item.strip() for item in text.split(separator)):
            optional = raw.startswith("(") and raw.endswith(")")
            name = raw[1:-1].strip() if optional else raw
            if not name:
                raise ValueError(f"layer '{text}' has an empty module name")
            if name in self.tails:
                raise ValueError(f"modules cannot be repeated in a layer: '{name}'")
            self.tails[name] = optional


class Options(RuleOptions):
    type: Literal["layers"] = "layers"
    layers: tuple[str, ...] = Field(
        description="From highest to lowest; siblings joined by '|' (independent) or ':' (not); "
        "'(name)' marks an optional layer."
    )
    containers: ModuleExpressions = Field(default=(), description="Parent packages the layers repeat inside.")
    exhaustive: bool = Field(default=False, description="Every child of every container must be a layer.")
    exhaustive_ignores: tuple[str, ...] = Field(default=(), description="Children exempt from `exhaustive`.")

    @field_validator("layers")
    @classmethod
    def _layers_parse(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        value = tuple(layer for layer in value if layer.strip())
        seen: set[str] = set()
        for layer in value:
            tails = set(LayerSpec(layer).tails)
            repeated = seen & tails
            if repeated:
                raise ValueError(f"modules cannot be in more than one layer: {', '.join(sorted(repeated))}")
            seen |= tails
        contained = sorted(
            f"'{parent}' contains '{child}'" for parent in seen for child in seen
            if parent != child and child.startswith(parent + ".")
        )
        if contained:
            raise ValueError(f"layers cannot contain other layers: {', '.join(contained)}")
        return value

    @model_validator(mode="after")
    def _exhaustive_needs_containers(self) -> Options:
        if self.exhaustive and not self.containers:
            raise ValueError("exhaustive is not supported for rules without containers")
        return self

    @property
    def specs(self) -> list[LayerSpec]:
        return [LayerSpec(layer) for layer in self.layers]

    def covered_modules(self, graph: grimp.ImportGraph) -> set[str]:
        tails = {tail for spec in self.specs for tail in spec.tails}
        if not self.containers:
            return tails
        containers = expressions_to_modules(graph, self.containers)
        return {f"{container}.{tail}" for container in containers for tail in tails}


def check(rule: Options, ctx: RuleContext) -> list[Violation]:
    graph = ctx.graph
    specs = rule.specs
    containers = expressions_to_modules(graph, rule.containers)
    if rule.containers:
        for container in sorted(containers):
            if not any(is_in_package(container, root) for root in ctx.project.root_packages):
                raise rule_error(
                    rule,
                    f"container '{container}' must be a root package or inside one "
                    f"({', '.join(ctx.project.root_packages)})",
                    "containers",
                )
            for spec in specs:
                for tail, optional in spec.tails.items():
                    if not optional and f"{container}.{tail}" not in graph.modules:
                        raise rule_error(
                            rule, f"layer '{tail}' is missing from container '{container}': "
                            f"module {container}.{tail} does not exist", "layers"
                        )
    else:
        for spec in specs:
            for tail, optional in spec.tails.items():
                if not optional and tail not in graph.modules:
                    raise rule_error(rule, f"layer module '{tail}' does not exist", "layers")

    violations: list[Violation] = []
    try:
        dependencies = graph.find_illegal_dependencies_for_layers(
            layers=[grimp.Layer(*spec.tails, independent=spec.independent) for spec in specs],
            containers=containers,
        )
    except grimp.exceptions.NoSuchContainer as error:
        raise rule_error(rule, str(error), "containers") from None
    for dependency in sorted(dependencies, key=lambda d: (d.importer, d.imported)):
        violations.append(
            ctx.violation(
                rule,
                "illegal-dependency",
                f"{dependency.importer} is not allowed to import {dependency.imported}",
                importer=dependency.importer,
                imported=dependency.imported,
                chains=ctx.chains_from_routes(dependency.routes),
            )
        )
    if rule.exhaustive:
        declared = {tail for spec in specs for tail in spec.tails} | set(rule.exhaustive_ignores)
        for container in sorted(containers):
            for child in sorted(graph.find_children(container)):
                if child.rpartition(".")[2] not in declared:
                    violations.append(
                        ctx.violation(
                            rule,
                            "undeclared-layer",
                            f"{child} is not listed as a layer (the rule is exhaustive)",
                            importer=child,
                        )
                    )
    return violations
