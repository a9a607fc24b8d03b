"""Each change to a contract model, classified, and for which direction it breaks."""

from __future__ import annotations

import textwrap
import typing
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from contracts.projects import readers, shop
from core.contracts.changes import BREAKS, SchemaChange, compare_schemas
from core.contracts.type_expressions import accepts, parse_canonical

HEADER = """
import enum
from dataclasses import dataclass
from typing import Annotated, Literal, NamedTuple, Optional

from pydantic import BaseModel, ConfigDict, Field
"""


def changes(tmp_path: Path, before: str, after: str, name: str = "M") -> list[SchemaChange]:
    schemas = []
    for version, body in (("before", before), ("after", after)):
        source = HEADER + textwrap.dedent(body)
        reading = readers(tmp_path / version, shop(**{"shop/billing/models.py": source}))
        schema = reading.models.schema(reading.index.lookup(f"shop.billing.models.{name}"))
        assert schema is not None
        schemas.append(schema)
    return compare_schemas(*schemas)


def summary(found: list[SchemaChange]) -> list[tuple[str, str | None, str | None]]:
    return [(change.kind, change.field, change.subject) for change in found]


def model(*fields: str, config: str = "") -> str:
    lines = ["class M(BaseModel):"] + ([f"    {config}"] if config else []) + [f"    {f}" for f in fields or ("pass",)]
    return "\n".join(lines) + "\n"


BASE = ("id: int", "name: str = 'x'")
CASES = {
    # name: (before, after, expected (kind, field, subject) list, breaks input, breaks output)
    "field removed": (model(*BASE), model("id: int"), [("field-removed", "name", None)], True, True),
    "required field added": (
        model(*BASE),
        model(*BASE, "email: str"),
        [("field-added-required", "email", None)],
        True,
        False,
    ),
    "optional field added with a default": (
        model(*BASE),
        model(*BASE, "email: Optional[str] = None"),
        [("field-added-optional", "email", None)],
        False,
        False,
    ),
    "optional became required": (
        model(*BASE),
        model("id: int", "name: str"),
        [("became-required", "name", None)],
        True,
        False,
    ),
    "required became optional": (
        model(*BASE),
        model("id: int = 0", "name: str = 'x'"),
        [("became-optional", "id", None)],
        False,
        False,
    ),
    "type narrowed": (model("id: float"), model("id: int"), [("type-narrowed", "id", None)], True, False),
    "type widened": (model("id: int"), model("id: int | str"), [("type-widened", "id", None)], False, True),
    "optional type widened": (
        model("id: int"),
        model("id: Optional[int]"),
        [("type-widened", "id", None)],
        False,
        True,
    ),
    "type changed": (model("id: int"), model("id: str"), [("type-changed", "id", None)], True, True),
    "generic argument narrowed": (
        model("ids: list[float]"),
        model("ids: list[int]"),
        [("type-narrowed", "ids", None)],
        True,
        False,
    ),
    "same type written differently": (
        model("id: Optional[int]", "ids: 'list[str]'"),
        model("id: int | None", "ids: list[str]"),
        [],
        False,
        False,
    ),
    "Literal value removed": (
        model("state: Literal['open', 'paid']"),
        model("state: Literal['open']"),
        [("literal-value-removed", "state", "'paid'")],
        True,
        False,
    ),
    "Literal value added": (
        model("state: Literal['open']"),
        model("state: Literal['open', 'paid']"),
        [("literal-value-added", "state", "'paid'")],
        False,
        True,
    ),
    "alias changed": (
        model("id: int = Field(alias='ID')"),
        model("id: int = Field(alias='Id')"),
        [("alias-changed", "id", None)],
        True,
        True,
    ),
    "alias added": (
        model("id: int"),
        model("id: int = Field(alias='ID')"),
        [("alias-changed", "id", None)],
        True,
        True,
    ),
    "validation alias changed": (
        model("id: int = Field(validation_alias='a')"),
        model("id: int = Field(validation_alias='b')"),
        [("validation-alias-changed", "id", None)],
        True,
        False,
    ),
    "serialization alias changed": (
        model("id: int = Field(serialization_alias='a')"),
        model("id: int = Field(serialization_alias='b')"),
        [("serialization-alias-changed", "id", None)],
        False,
        True,
    ),
    "field renamed, alias kept": (
        model("customer_id: int = Field(alias='customerId')"),
        model("client_id: int = Field(alias='customerId')"),
        [("field-renamed", "client_id", "customerId")],
        False,
        True,
    ),
    "field renamed, old name kept as alias": (
        model("customer_id: int"),
        model("client_id: int = Field(alias='customer_id')"),
        [("field-renamed", "client_id", "customer_id")],
        False,
        True,
    ),
    "lower bound tightened": (
        model("n: int = Field(gt=0)"),
        model("n: int = Field(ge=5)"),
        [("constraint-tightened", "n", "ge")],
        True,
        False,
    ),
    "bound made strict": (
        model("n: int = Field(ge=0)"),
        model("n: int = Field(gt=0)"),
        [("constraint-tightened", "n", "gt")],
        True,
        False,
    ),
    "upper bound added": (
        model("n: int"),
        model("n: int = Field(lt=10)"),
        [("constraint-tightened", "n", "lt")],
        True,
        False,
    ),
    "max_length tightened through Annotated": (
        model("s: Annotated[str, Field(max_length=10)]"),
        model("s: Annotated[str, Field(max_length=5)]"),
        [("constraint-tightened", "s", "max_length")],
        True,
        False,
    ),
    "min_length loosened": (
        model("s: str = Field(min_length=3)"),
        model("s: str = Field(min_length=1)"),
        [("constraint-loosened", "s", "min_length")],
        False,
        True,
    ),
    "pattern added": (
        model("s: str"),
        model("s: str = Field(pattern='^a')"),
        [("constraint-tightened", "s", "pattern")],
        True,
        False,
    ),
    "pattern changed": (
        model("s: str = Field(pattern='^a')"),
        model("s: str = Field(pattern='^b')"),
        [("constraint-changed", "s", "pattern")],
        True,
        True,
    ),
    "multiple_of tightened": (
        model("n: int = Field(multiple_of=2)"),
        model("n: int = Field(multiple_of=4)"),
        [("constraint-tightened", "n", "multiple_of")],
        True,
        False,
    ),
    "strict added": (
        model("n: int"),
        model("n: int = Field(strict=True)"),
        [("constraint-tightened", "n", "strict")],
        True,
        False,
    ),
    "bound written differently": (model("n: int = Field(gt=0)"), model("n: int = Field(gt=0.0)"), [], False, False),
    "extra forbidden": (
        model(*BASE),
        model(*BASE, config="model_config = ConfigDict(extra='forbid')"),
        [("extra-tightened", None, None)],
        True,
        False,
    ),
    "extra allowed": (
        model(*BASE),
        model(*BASE, config="model_config = ConfigDict(extra='allow')"),
        [("extra-loosened", None, None)],
        False,
        True,
    ),
    "extra ignored instead of forbidden": (
        model(*BASE, config="model_config = ConfigDict(extra='forbid')"),
        model(*BASE),
        [],
        False,
        False,
    ),
    "default changed": (model("n: int = 1"), model("n: int = 2"), [("default-changed", "n", None)], False, False),
    "description changed": (
        model("n: int = Field(1, description='old')"),
        model("n: int = Field(1, description='new')"),
        [("description-changed", "n", None)],
        False,
        False,
    ),
    "docstring changed": (
        'class M(BaseModel):\n    """Old."""\n    n: int\n',
        'class M(BaseModel):\n    """New."""\n    n: int\n',
        [],
        False,
        False,
    ),
    "enum member removed": (
        "class M(enum.Enum):\n    A = 'a'\n    B = 'b'\n",
        "class M(enum.Enum):\n    A = 'a'\n",
        [("enum-member-removed", None, "B")],
        True,
        True,
    ),
    "enum member added": (
        "class M(enum.Enum):\n    A = 'a'\n",
        "class M(enum.Enum):\n    A = 'a'\n    B = 'b'\n",
        [("enum-member-added", None, "B")],
        False,
        True,
    ),
    "enum value changed": (
        "class M(enum.Enum):\n    A = 'a'\n",
        "class M(enum.Enum):\n    A = 'A'\n",
        [("enum-value-changed", None, "A")],
        True,
        True,
    ),
    "named tuple reordered": (
        "class M(NamedTuple):\n    x: int\n    y: int\n",
        "class M(NamedTuple):\n    y: int\n    x: int\n",
        [("order-changed", None, None)],
        True,
        True,
    ),
    "dataclass field inserted before another": (
        "@dataclass\nclass M:\n    x: int\n    y: int = 0\n",
        "@dataclass\nclass M:\n    x: int\n    z: int = 0\n    y: int = 0\n",
        [("field-added-optional", "z", None), ("order-changed", None, None)],
        True,
        True,
    ),
    "dataclass field appended": (
        "@dataclass\nclass M:\n    x: int\n",
        "@dataclass\nclass M:\n    x: int\n    z: int = 0\n",
        [("field-added-optional", "z", None)],
        False,
        False,
    ),
    "became a dataclass": (
        model("x: int"),
        "@dataclass\nclass M:\n    x: int\n",
        [("kind-changed", None, None)],
        True,
        True,
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_change_is_classified_and_breaks_the_directions_in_the_table(tmp_path, case):
    before, after, expected, breaks_input, breaks_output = CASES[case]
    found = changes(tmp_path, before, after)
    assert summary(found) == expected
    assert any(change.breaking("input") for change in found) is breaks_input
    assert any(change.breaking("output") for change in found) is breaks_output
    assert any(change.breaking("both") for change in found) is (breaks_input or breaks_output)
    for change in found:
        assert change.describe()


def test_every_kind_of_change_has_a_row_in_the_table_and_is_covered_here():
    covered = {kind for _, _, expected, _, _ in CASES.values() for kind, _, _ in expected}
    assert covered | {"model-removed"} == set(BREAKS)


TYPES = [
    "int", "float", "str", "bool", "bytes", "None", "int | None", "int | str", "float | None",
    "list[int]", "list[float]", "list[str]", "list", "dict[str, int]", "dict[str, float]",
    "Literal['a']", "Literal['a', 'b']", "Literal[-3, 7]", "Literal['a'] | int", "typing.Any",
]  # fmt: skip
SAMPLES = [0, 1, -3, 1.5, True, "a", "b", "c", b"x", None, [], [1], [1.5], ["a"], {"a": 1}, {"a": 1.5}]


def _adapter(text: str) -> TypeAdapter:
    return TypeAdapter(eval(text, {"typing": typing, "Literal": typing.Literal}), config={"strict": True})


def _valid(adapter: TypeAdapter, value: object) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


def test_a_type_accepts_another_exactly_when_pydantic_takes_all_its_values():
    """`accepts` against pydantic in strict mode on sample values: where it says yes, every
    sample the narrow type takes the wide one takes too; where it says no, a sample shows it."""
    adapters = {text: _adapter(text) for text in TYPES}
    valid = {text: {i for i, value in enumerate(SAMPLES) if _valid(adapters[text], value)} for text in TYPES}
    for wide in TYPES:
        for narrow in TYPES:
            takes_all = valid[narrow] <= valid[wide]
            assert accepts(parse_canonical(wide), parse_canonical(narrow)) is takes_all, (wide, narrow)
