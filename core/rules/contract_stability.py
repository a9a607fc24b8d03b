"""`contract_stability`: contract models stay compatible with the baseline.

`models` names contract models (pydantic models, dataclasses, TypedDicts, NamedTuples, Enums) by
qualified class name or by module, with `*` and `**` wildcards: `shop.billing.contracts.*` is
every model defined in `shop.billing.contracts` and in its direct submodules. Their schemas are
read statically (core.contracts.models) and recorded in the check result and in snapshots.

Without a baseline the rule records and reports nothing. Compared with a baseline (a git
revision, analysed with the same rules, or a snapshot file, which carries the schemas), each
model's schema is compared with the baseline's, and each change that breaks the `direction`
(`input`: others write the model and the boundary reads it; `output`: the boundary writes it and
others read it; `both`) is a violation at the field's line. core.contracts.changes holds the
table of which change breaks which direction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import Field

from core.contracts.changes import Direction, SchemaChange, compare_schemas
from core.contracts.code import code_index, matches
from core.contracts.models import ModelReader
from core.expressions import expression_to_modules, has_wildcard
from core.model import ContractSchema, Violation, fingerprint
from core.rules.common import ModuleExpressions, RuleContext, RuleOptions, rule_error

_DIRECTIONS = {
    "input": "an input model (others write it, the boundary reads it)",
    "output": "an output model (the boundary writes it, others read it)",
    "both": "a model used both ways",
}
_COMPATIBLE = {
    "input": "new optional fields with defaults, wider types, looser constraints, new Literal values, new defaults, "
    "documentation",
    "output": "new fields, narrower types, tighter constraints, fewer Literal values, new defaults, documentation",
    "both": "new optional fields with defaults, new defaults, documentation",
}
_HARM = {
    "input": "data others send that was valid may now be refused",
    "output": "those who read it may miss what they relied on or get what they do not expect",
}


class Options(RuleOptions):
    type: Literal["contract_stability"] = "contract_stability"
    models: ModuleExpressions = Field(
        description="Contract models by qualified class name or module, with * and ** wildcards."
    )
    direction: Direction = Field(
        default="both",
        description="'input' (others write the models), 'output' (others read them) or 'both': "
        "which changes break them.",
    )


def check(rule: Options, ctx: RuleContext) -> list[Violation]:
    """Record the current schemas of the models; the comparison needs the baseline (below)."""
    index = code_index(ctx.project)
    reader = ModelReader(index)
    for expression in rule.models:
        candidates = expression_to_modules(ctx.graph, expression)
        if "." in expression:
            candidates |= expression_to_modules(ctx.graph, expression.rpartition(".")[0])
        found = False
        for module in sorted(m for m in candidates if index.is_project_module(m)):
            for symbol in reader.models_in(module):
                schema = reader.schema(symbol)
                if schema is not None and _watches(expression, schema):
                    index.schemas[schema.name] = schema
                    found = True
        if not found and not has_wildcard(expression) and expression not in ctx.graph.modules:
            raise rule_error(rule, f"'{expression}' names no module or contract model of the project", "models")
    return []


def _watches(expression: str, schema: ContractSchema) -> bool:
    return matches(expression, schema.name) or matches(expression, schema.module)


def check_against_baseline(
    rule: Options, current: Mapping[str, ContractSchema], baseline: Mapping[str, ContractSchema]
) -> tuple[list[Violation], list[str]]:
    """The changes from the baseline's schemas to the current ones that break the rule's
    direction, and warnings about what could not be compared."""
    now = {name: schema for name, schema in current.items() if _watched(rule, schema)}
    before = {name: schema for name, schema in baseline.items() if _watched(rule, schema)}
    warnings = []
    if now and not before:
        warnings.append(
            "the baseline records none of the models this rule watches (they did not exist, or the "
            "snapshot was made before this rule), so they are not compared"
        )
    violations = []
    for name, old in sorted(before.items()):
        new = now.get(name)
        changes = compare_schemas(old, new) if new is not None else [SchemaChange(model=name, kind="model-removed")]
        violations.extend(_violation(rule, change, old, new) for change in changes if change.breaking(rule.direction))
    return violations, warnings


def _watched(rule: Options, schema: ContractSchema) -> bool:
    return any(_watches(expression, schema) for expression in rule.models)


def _violation(rule: Options, change: SchemaChange, old: ContractSchema, new: ContractSchema | None) -> Violation:
    schema = new or old
    line = schema.line if new is not None else None
    if new is not None and change.field is not None:
        line = next((field.line for field in new.fields if field.name == change.field), line)
    if new is not None and change.subject is not None and change.kind.startswith("enum-"):
        line = next((member.line for member in new.members if member.name == change.subject), line)
    described = change.describe()
    broken = [
        direction
        for direction in ("input", "output")
        if direction in change.breaks and rule.direction in (direction, "both")
    ]
    harm = "; ".join(_HARM[direction] for direction in broken)
    return Violation(
        fingerprint=fingerprint(
            rule.id, rule.type, change.kind, schema.module, schema.name, change.field, change.subject, change.after
        ),
        rule=rule.id,
        type=rule.type,
        message=f"{schema.name}: {described}",
        importer=schema.module,
        file=schema.file,
        line=line,
        detail=(
            f"Since the baseline, {described}. {schema.name} is {_DIRECTIONS[rule.direction]}, and this "
            f"change breaks it for {' and '.join(broken)}: {harm}. Compatible changes to "
            f"{_DIRECTIONS[rule.direction].split(' (')[0]}: {_COMPATIBLE[rule.direction]}."
        ),
    )
