"""The static reading of contract models against what Python makes of the same classes.

The test imports its own fixture module (the rules never import analysed code) and compares
each model's schema as read with `ast` with pydantic's `model_fields` and `model_config`, with
`dataclasses.fields`, a TypedDict's required keys, a NamedTuple's fields and defaults, and an
Enum's members.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import sys
import typing

import pytest
from pydantic import BaseModel

from contracts.projects import readers
from core.contracts.models import CONSTRAINTS
from core.model import ContractSchema

PACKAGE = "oracle_shop"
MODELS = """
import dataclasses
import enum
from decimal import Decimal
from typing import Annotated, ClassVar, Literal, NamedTuple, NotRequired, Optional, Required, TypedDict

import annotated_types as at
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, StringConstraints, conint, constr


class Base(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(alias="ID", description="Identifier.")
    created: Optional[int] = None


class Order(Base):
    registry: ClassVar[dict[str, int]] = {}
    _cache: dict = {}

    quantity: int = Field(gt=0, le=100)
    note: Optional[str]
    sku: Annotated[str, Field(min_length=3, pattern="^[A-Z]+$")] = "AAA"
    count: Annotated[int, at.Ge(1), at.Lt(10)] = 1
    tags: list[str] = Field(default_factory=list, max_length=5)
    code: constr(min_length=2) = "xx"
    level: conint(ge=0, multiple_of=2) = Field(0, serialization_alias="lvl")
    key: str = Field(validation_alias="k")
    text: Annotated[str, StringConstraints(max_length=9)] = ""
    amount: Decimal = Field(Decimal("1"), max_digits=10, decimal_places=2)
    kind: Literal["a", "b"] = "a"
    strict_flag: bool = Field(True, strict=True)


class Loose(BaseModel, extra="allow"):
    a: int = 1
    b: "Optional[list[Loose]]" = None


class Settings(BaseModel):
    model_config = {"extra": "ignore"}

    name: str = Field(..., description="Name.")


@dataclasses.dataclass
class Shipment:
    id: str
    weight: float = 1.0
    parts: list[str] = dataclasses.field(default_factory=list)
    registry: ClassVar[int] = 0


class Partial(TypedDict, total=False):
    a: int
    b: Required[str]


class Full(Partial):
    c: int
    d: NotRequired[int]


class Pair(NamedTuple):
    left: int
    right: int = 0


class Status(str, enum.Enum):
    OPEN = "open"
    CLOSED = "closed"
    _ignore_ = ["helper"]

    def label(self) -> str:
        return self.value
"""


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """The fixture module read statically ({name: schema}) and imported (the module)."""
    root = tmp_path_factory.mktemp("oracle")
    reading = readers(root, {f"{PACKAGE}/models.py": MODELS, f"{PACKAGE}/__init__.py": ""}, (PACKAGE,))
    schemas: dict[str, ContractSchema] = {}
    for symbol in reading.models.models_in(f"{PACKAGE}.models"):
        schema = reading.models.schema(symbol)
        assert schema is not None
        schemas[symbol.name.rpartition(".")[2]] = schema
    sys.path.insert(0, str(root))
    try:
        module = importlib.import_module(f"{PACKAGE}.models")
    finally:
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]
    return schemas, module


def runtime_constraints(info) -> dict[str, str]:
    """The constraints pydantic keeps in a field's metadata (annotated_types markers, Interval,
    StringConstraints, its own general metadata), by the names the static reading uses."""
    found = {}
    for item in info.metadata:
        for name in CONSTRAINTS:
            value = getattr(item, name, None)
            if value is not None:
                found[name] = repr(value)
    return found


@pytest.mark.parametrize("name", ["Base", "Order", "Loose", "Settings"])
def test_pydantic_models_read_as_pydantic_builds_them(models, name):
    schemas, module = models
    schema, model = schemas[name], getattr(module, name)
    assert issubclass(model, BaseModel) and schema.kind == "pydantic"
    assert [field.name for field in schema.fields] == list(model.model_fields)
    assert schema.extra == model.model_config.get("extra", "ignore")
    for field in schema.fields:
        info = model.model_fields[field.name]
        assert field.required == info.is_required(), field.name
        validation = info.validation_alias if isinstance(info.validation_alias, str) else None
        assert field.alias == (validation or info.alias), field.name
        assert field.serialization_alias == (info.serialization_alias or info.alias), field.name
        assert field.description == info.description, field.name
        static = {key: value.strip("'\"") for key, value in field.constraints.items()}
        runtime = {key: value.strip("'\"") for key, value in runtime_constraints(info).items()}
        assert static == runtime, field.name


def test_dataclasses_typeddicts_namedtuples_and_enums_read_as_python_builds_them(models):
    schemas, module = models
    shipment = schemas["Shipment"]
    runtime_fields = dataclasses.fields(module.Shipment)
    assert [f.name for f in shipment.fields] == [f.name for f in runtime_fields]
    assert [f.required for f in shipment.fields] == [
        f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING for f in runtime_fields
    ]
    for name in ("Partial", "Full"):
        typed_dict = getattr(module, name)
        schema = schemas[name]
        assert {f.name for f in schema.fields if f.required} == set(typed_dict.__required_keys__)
        assert {f.name for f in schema.fields if not f.required} == set(typed_dict.__optional_keys__)
        assert set(typing.get_type_hints(typed_dict)) == {f.name for f in schema.fields}
    pair = schemas["Pair"]
    assert [f.name for f in pair.fields] == list(module.Pair._fields)
    assert {f.name for f in pair.fields if not f.required} == set(module.Pair._field_defaults)
    status = schemas["Status"]
    assert issubclass(module.Status, enum.Enum)
    assert [m.name for m in status.members] == list(module.Status.__members__)
    assert [m.value.strip("'") for m in status.members] == [m.value for m in module.Status]
