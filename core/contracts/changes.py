"""Two schemas of a contract model compared: each change, and for which direction it breaks.

An *input* model is data handed to the boundary (a request: others write it, the boundary
reads it); an *output* model is data the boundary hands out (a response: the boundary writes
it, others read it). A change breaks input when values that writers send may now be refused,
and breaks output when readers may now get values they did not expect. `BREAKS` is the table.
"""

from __future__ import annotations

import ast
from typing import Literal

from pydantic import BaseModel, ConfigDict

from core.contracts.type_expressions import TypeExpr, accepts, parse_canonical, union
from core.model import ContractField, ContractSchema

Direction = Literal["input", "output", "both"]
ChangeKind = Literal[
    "model-removed",
    "kind-changed",
    "field-removed",
    "field-renamed",
    "field-added-required",
    "field-added-optional",
    "became-required",
    "became-optional",
    "type-changed",
    "type-narrowed",
    "type-widened",
    "literal-value-removed",
    "literal-value-added",
    "enum-member-removed",
    "enum-member-added",
    "enum-value-changed",
    "alias-changed",
    "validation-alias-changed",
    "serialization-alias-changed",
    "constraint-tightened",
    "constraint-loosened",
    "constraint-changed",
    "extra-tightened",
    "extra-loosened",
    "order-changed",
    "default-changed",
    "description-changed",
]
_BOTH = ("input", "output")
BREAKS: dict[ChangeKind, tuple[str, ...]] = {
    "model-removed": _BOTH,
    "kind-changed": _BOTH,
    "field-removed": _BOTH,  # writers' data is refused or dropped; readers miss it
    "field-renamed": ("output",),  # the alias is kept, so writers' data still validates; readers' attribute is gone
    "field-added-required": ("input",),
    "field-added-optional": (),
    "became-required": ("input",),
    "became-optional": (),  # readers still get a value: the default
    "type-changed": _BOTH,
    "type-narrowed": ("input",),
    "type-widened": ("output",),
    "literal-value-removed": ("input",),
    "literal-value-added": ("output",),
    "enum-member-removed": _BOTH,  # code on either side naming the member breaks
    "enum-member-added": ("output",),
    "enum-value-changed": _BOTH,
    "alias-changed": _BOTH,
    "validation-alias-changed": ("input",),
    "serialization-alias-changed": ("output",),
    "constraint-tightened": ("input",),
    "constraint-loosened": ("output",),
    "constraint-changed": _BOTH,
    "extra-tightened": ("input",),
    "extra-loosened": ("output",),  # only to 'allow': readers may get fields they do not know
    "order-changed": _BOTH,
    "default-changed": (),
    "description-changed": (),
}
_EXTRA_ORDER = {"forbid": 0, "ignore": 1, "allow": 2}
_LOWER = {"gt": True, "ge": False}  # strict or not
_UPPER = {"lt": True, "le": False}
_LOWER_LIMITS = ("min_length",)
_UPPER_LIMITS = ("max_length", "max_digits", "decimal_places")
# Flags that tighten a field when set to this value.
_TIGHT_FLAGS = {"strict": True, "allow_inf_nan": False, "unique_items": True}


class SchemaChange(BaseModel):
    """One difference between a model's baseline and current schema."""

    model_config = ConfigDict(frozen=True)

    model: str
    field: str | None = None
    kind: ChangeKind
    subject: str | None = None
    """The constraint, Enum member or Literal value the change is about."""
    before: str | None = None
    after: str | None = None

    @property
    def breaks(self) -> tuple[str, ...]:
        return BREAKS[self.kind]

    def breaking(self, direction: Direction) -> bool:
        return bool(self.breaks) if direction == "both" else direction in self.breaks

    def describe(self) -> str:
        where = f"field '{self.field}'" if self.field else "the model"
        subject = self.subject
        texts: dict[str, str] = {
            "model-removed": "the model was removed",
            "kind-changed": f"the model changed from a {self.before} to a {self.after}",
            "field-removed": f"{where} was removed",
            "field-renamed": f"field '{self.before}' was renamed to '{self.after}' (data still names it '{subject}')",
            "field-added-required": f"required {where} was added",
            "field-added-optional": f"optional {where} was added (default {self.after})",
            "became-required": f"{where} became required (it had the default {self.before})",
            "became-optional": f"{where} became optional (default {self.after})",
            "type-changed": f"the type of {where} changed from {self.before} to {self.after}",
            "type-narrowed": f"the type of {where} narrowed from {self.before} to {self.after}",
            "type-widened": f"the type of {where} widened from {self.before} to {self.after}",
            "literal-value-removed": f"Literal value {subject} of {where} was removed",
            "literal-value-added": f"Literal value {subject} of {where} was added",
            "enum-member-removed": f"member {subject} was removed",
            "enum-member-added": f"member {subject} was added",
            "enum-value-changed": f"the value of member {subject} changed from {self.before} to {self.after}",
            "alias-changed": f"the alias of {where} changed from {_name(self.before)} to {_name(self.after)}",
            "validation-alias-changed": (
                f"the name {where} is read by changed from {_name(self.before)} to {_name(self.after)}"
            ),
            "serialization-alias-changed": (
                f"the name {where} is written as changed from {_name(self.before)} to {_name(self.after)}"
            ),
            "constraint-tightened": f"a constraint of {where} tightened: {_value(self.before)} -> {_value(self.after)}",
            "constraint-loosened": f"a constraint of {where} loosened: {_value(self.before)} -> {_value(self.after)}",
            "constraint-changed": f"a constraint of {where} changed: {_value(self.before)} -> {_value(self.after)}",
            "extra-tightened": f"extra fields: {self.before} -> {self.after}",
            "extra-loosened": f"extra fields: {self.before} -> {self.after}",
            "order-changed": f"the order of the positional fields changed from ({self.before}) to ({self.after})",
            "default-changed": f"the default of {where} changed from {self.before} to {self.after}",
            "description-changed": f"the description of {where} changed",
        }
        return texts[self.kind]


def _name(text: str | None) -> str:
    return f"'{text}'" if text else "its own name"


def _value(text: str | None) -> str:
    return text if text is not None else "none"


def compare_schemas(before: ContractSchema, after: ContractSchema) -> list[SchemaChange]:
    """Every difference between a model's two schemas, in field order."""
    changes: list[SchemaChange] = []
    model = after.name

    def change(kind: ChangeKind, field: str | None = None, **details: str | None) -> None:
        changes.append(SchemaChange(model=model, field=field, kind=kind, **details))

    if before.kind != after.kind:
        change("kind-changed", before=before.kind, after=after.kind)
    if before.kind == "enum" or after.kind == "enum":
        _compare_members(before, after, change)
        return changes
    old = {field.name: field for field in before.fields}
    new = {field.name: field for field in after.fields}
    renamed = _renames(old, new)
    for name, field in old.items():
        if name in new:
            _compare_field(field, new[name], change)
        elif name in renamed:
            change("field-renamed", renamed[name], subject=field.alias or name, before=name, after=renamed[name])
        else:
            change("field-removed", name, before=field.type)
    for name, field in new.items():
        if name in old or name in renamed.values():
            continue
        if field.required:
            change("field-added-required", name, after=field.type)
        else:
            change("field-added-optional", name, after=field.default)
    extra_before, extra_after = before.extra or "ignore", after.extra or "ignore"
    if after.kind == "pydantic" and extra_before != extra_after:
        if _EXTRA_ORDER[extra_after] < _EXTRA_ORDER[extra_before]:
            change("extra-tightened", before=extra_before, after=extra_after)
        elif extra_after == "allow":
            change("extra-loosened", before=extra_before, after=extra_after)
    if before.positional and after.positional and _reordered(list(old), list(new)):
        change("order-changed", before=", ".join(old), after=", ".join(new))
    return changes


def _reordered(old: list[str], new: list[str]) -> bool:
    """Whether the fields both schemas have changed their relative order, or a new field came
    before one of them (so its position moved)."""
    kept = [name for name in new if name in old]
    if kept != [name for name in old if name in new]:
        return True
    last_kept = max((new.index(name) for name in kept), default=-1)
    return any(name not in old for name in new[:last_kept])


def _renames(old: dict[str, ContractField], new: dict[str, ContractField]) -> dict[str, str]:
    """Fields renamed while keeping the name data carries them by (an alias, or the old name
    as the new field's alias): old name -> new name."""
    gone = {field.alias or name: name for name, field in old.items() if name not in new}
    return {
        gone[field.alias or name]: name
        for name, field in new.items()
        if name not in old and (field.alias or name) in gone
    }


def _compare_members(before: ContractSchema, after: ContractSchema, change) -> None:
    old = {member.name: member.value for member in before.members}
    new = {member.name: member.value for member in after.members}
    for name, value in old.items():
        if name not in new:
            change("enum-member-removed", subject=name, before=value)
        elif new[name] != value:
            change("enum-value-changed", subject=name, before=value, after=new[name])
    for name, value in new.items():
        if name not in old:
            change("enum-member-added", subject=name, after=value)


def _compare_field(old: ContractField, new: ContractField, change) -> None:
    name = new.name
    if old.required and not new.required:
        change("became-optional", name, after=new.default)
    elif new.required and not old.required:
        change("became-required", name, before=old.default)
    elif old.default != new.default and not new.required:
        change("default-changed", name, before=old.default, after=new.default)
    if old.type != new.type:
        _compare_types(name, parse_canonical(old.type), parse_canonical(new.type), change)
    if old.alias != new.alias and old.serialization_alias != new.serialization_alias:
        change("alias-changed", name, before=old.alias, after=new.alias)
    elif old.alias != new.alias:
        change("validation-alias-changed", name, before=old.alias, after=new.alias)
    elif old.serialization_alias != new.serialization_alias:
        change("serialization-alias-changed", name, before=old.serialization_alias, after=new.serialization_alias)
    _compare_constraints(name, old.constraints, new.constraints, change)
    if old.description != new.description:
        change("description-changed", name, before=old.description, after=new.description)


def _compare_types(name: str, old: TypeExpr, new: TypeExpr, change) -> None:
    """Literal values gained or lost are named one by one; any other change is a narrowing, a
    widening, or neither."""
    old_rest, old_values = _split_literals(old)
    new_rest, new_values = _split_literals(new)
    if (old_values or new_values) and old_rest == new_rest:
        for value in sorted(old_values - new_values):
            change("literal-value-removed", name, subject=value, before=old.text(), after=new.text())
        for value in sorted(new_values - old_values):
            change("literal-value-added", name, subject=value, before=old.text(), after=new.text())
        return
    widened, narrowed = accepts(new, old), accepts(old, new)
    if widened and narrowed:
        return  # the same values, written differently
    kind: ChangeKind = "type-widened" if widened else "type-narrowed" if narrowed else "type-changed"
    change(kind, name, before=old.text(), after=new.text())


def _split_literals(expression: TypeExpr) -> tuple[str, set[str]]:
    """A type's non-Literal part (as text) and its Literal values."""
    values: set[str] = set()
    rest = []
    for alternative in expression.alternatives():
        if alternative.kind == "literal":
            values.update(alternative.values)
        else:
            rest.append(alternative)
    return (union(rest).text() if rest else ""), values


def _compare_constraints(name: str, old: dict[str, str], new: dict[str, str], change) -> None:
    for kind, subject, before, after in _constraint_changes(old, new):
        change(kind, name, subject=subject, before=before, after=after)


def _constraint_changes(
    old: dict[str, str], new: dict[str, str]
) -> list[tuple[ChangeKind, str, str | None, str | None]]:
    """(kind, constraint, before, after) for each constraint that changed."""
    found: list[tuple[ChangeKind, str, str | None, str | None]] = []
    bounds = [(_LOWER, True), (_UPPER, False)] + [({name: False}, True) for name in _LOWER_LIMITS]
    bounds += [({name: False}, False) for name in _UPPER_LIMITS]
    for names, is_lower in bounds:
        before, after = _bound(old, names), _bound(new, names)
        kind = _bound_change(before, after, is_lower)
        if kind is not None:
            subject = (after or before)[0]  # type: ignore[index]
            found.append((kind, subject, _bound_text(before), _bound_text(after)))
    for flag, tight in _TIGHT_FLAGS.items():
        was, now = old.get(flag), new.get(flag)
        if was != now:
            was_tight, is_tight = was == repr(tight), now == repr(tight)
            kind = (
                "constraint-tightened" if is_tight and not was_tight else
                "constraint-loosened" if was_tight and not is_tight else "constraint-changed"
            )  # fmt: skip
            found.append((kind, flag, _setting(flag, was), _setting(flag, now)))
    for constraint in ("pattern", "multiple_of"):
        was, now = old.get(constraint), new.get(constraint)
        if was == now:
            continue
        if was is None:
            kind = "constraint-tightened"
        elif now is None:
            kind = "constraint-loosened"
        elif constraint == "multiple_of" and _divides(was, now):
            kind = "constraint-tightened"  # multiples of 4 are multiples of 2
        elif constraint == "multiple_of" and _divides(now, was):
            kind = "constraint-loosened"
        else:
            kind = "constraint-changed"
        found.append((kind, constraint, _setting(constraint, was), _setting(constraint, now)))
    return found


def _setting(name: str, value: str | None) -> str | None:
    return None if value is None else f"{name}={value}"


Bound = tuple[str, str, bool] | None  # (constraint, value as written, strict)


def _bound(constraints: dict[str, str], names: dict[str, bool]) -> Bound:
    for name, strict in names.items():
        if name in constraints:
            return name, constraints[name], strict
    return None


def _bound_text(bound: Bound) -> str | None:
    return None if bound is None else f"{bound[0]}={bound[1]}"


def _bound_change(before: Bound, after: Bound, is_lower: bool) -> ChangeKind | None:
    """A bound added tightens, removed loosens; moved inwards tightens, outwards loosens."""
    if before == after:
        return None
    if before is None:
        return "constraint-tightened"
    if after is None:
        return "constraint-loosened"
    old, new = _number(before[1]), _number(after[1])
    if old is None or new is None:
        return "constraint-changed"
    if new == old:
        if before[2] == after[2]:
            return None  # the same bound written differently (0 and 0.0)
        inward = after[2]
    else:
        inward = new > old if is_lower else new < old
    return "constraint-tightened" if inward else "constraint-loosened"


def _number(text: str) -> float | None:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _divides(smaller: str, larger: str) -> bool:
    a, b = _number(smaller), _number(larger)
    return a is not None and b is not None and a != 0 and (b / a).is_integer()
