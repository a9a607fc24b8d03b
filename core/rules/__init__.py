"""The rule types: one module each, registered here by its `type` name.

A rule module defines `Options` (its pydantic options, with a `type` literal) and
`check(options, context) -> list[Violation]`. A new rule type is a new module plus one line below.
"""

from __future__ import annotations

from types import ModuleType

from core.rules import (
    acyclic,
    acyclic_siblings,
    contract_stability,
    contract_types,
    coverage,
    dependencies,
    external,
    forbidden,
    ignore_comments,
    independence,
    interface,
    layers,
    private_modules,
    protected,
)

RULE_TYPES: dict[str, ModuleType] = {
    module.Options.model_fields["type"].default: module
    for module in (
        layers,
        forbidden,
        independence,
        protected,
        acyclic_siblings,
        private_modules,
        acyclic,
        coverage,
        interface,
        dependencies,
        contract_types,
        contract_stability,
        external,
        ignore_comments,
    )
}
