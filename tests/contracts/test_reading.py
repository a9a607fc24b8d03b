"""Reading code statically: names resolved through imports, annotations as type expressions,
contract models recognised and their fields read."""

from __future__ import annotations

import ast
import gc
import textwrap
import weakref
from pathlib import Path

import pytest

from contracts.projects import CONTRACTS, readers, shop
from core.contracts.code import CodeIndex, code_index, recorded_schemas
from core.contracts.type_expressions import accepts, parse_canonical


def annotation_text(tmp_path: Path, module_source: str, annotation: str, extra: dict[str, str] | None = None) -> str:
    """The canonical text of `annotation` written in shop.billing.api after `module_source`."""
    source = textwrap.dedent(module_source) + f"\nvalue: {annotation}\n"
    reading = readers(tmp_path, shop(**{"shop/billing/api.py": source}, **(extra or {})))
    code = reading.index.module("shop.billing.api")
    assert code is not None
    node = code.tree.body[-1]
    assert isinstance(node, ast.AnnAssign)
    return reading.types.read("shop.billing.api", node.annotation).text()


IMPORTS = """
import datetime as dt
import typing
import typing as t
from collections.abc import Sequence
from typing import Annotated, List, Literal, Optional, Union

import shop.billing.contracts
import shop.billing.contracts as c
from pydantic import Field, conint, conlist
from shop import billing
from shop.billing import Money as ReExported
from .contracts import Currency, Money as M
from . import contracts
"""
MONEY = "shop.billing.contracts.Money"


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        ("int", "int"),
        ("None", "None"),
        ("M", MONEY),
        ("c.Money", MONEY),
        ("contracts.Money", MONEY),
        ("shop.billing.contracts.Money", MONEY),
        ("ReExported", MONEY),
        ("billing.Money", MONEY),
        ("dt.datetime", "datetime.datetime"),
        ("Optional[M]", f"{MONEY} | None"),
        ("t.Optional[M]", f"{MONEY} | None"),
        ("Union[int, str]", "int | str"),
        ("Union[str, Union[int, None]]", "int | str | None"),
        ("Optional[Optional[int]]", "int | None"),
        ("int | None | str", "int | str | None"),
        ("list[M]", f"list[{MONEY}]"),
        ("List[M]", f"list[{MONEY}]"),
        ("typing.Dict[str, M]", f"dict[str, {MONEY}]"),
        ("dict[str, list[M | None]]", f"dict[str, list[{MONEY} | None]]"),
        ("tuple[int, ...]", "tuple[int, ...]"),
        ("typing.Callable[[int], str]", "collections.abc.Callable[[int], str]"),
        ("Sequence[M]", f"collections.abc.Sequence[{MONEY}]"),
        ("typing.Sequence[M]", f"collections.abc.Sequence[{MONEY}]"),
        ('"M"', MONEY),
        ('"list[M] | None"', f"list[{MONEY}] | None"),
        ('list["M"]', f"list[{MONEY}]"),
        ("Annotated[int, Field(gt=0)]", "int"),
        ("Annotated[Optional[M], 'meta']", f"{MONEY} | None"),
        ('Literal["b", "a"]', "Literal['a', 'b']"),
        ("Literal[1, -2, True, None]", "Literal[-2, 1, None, True]"),
        ("Literal[Currency.EUR]", "Literal[shop.billing.contracts.Currency.EUR]"),
        ('Literal["a", Literal["b"]]', "Literal['a', 'b']"),
        ("conint(gt=0)", "int"),
        ("conlist(M, min_length=1)", f"list[{MONEY}]"),
        ("Undefined", "Undefined"),
    ],
)
def test_annotations_resolve_through_the_module_s_imports(tmp_path, annotation, expected):
    assert annotation_text(tmp_path, IMPORTS, annotation) == expected


def test_canonical_texts_read_back_as_the_same_type(tmp_path):
    for text in [
        f"{MONEY} | None",
        "int | str | None",
        f"dict[str, list[{MONEY} | None]]",
        "Literal['a', 'b']",
        "Literal[shop.billing.contracts.Currency.EUR]",
        "tuple[int, ...]",
        "collections.abc.Callable[[int], str]",
    ]:
        assert parse_canonical(text).text() == text
    enum_literal = parse_canonical("Literal[shop.billing.contracts.Currency.EUR]")
    assert [arg.name for arg in enum_literal.args] == ["shop.billing.contracts.Currency"]


def test_type_aliases_and_new_types_are_followed(tmp_path):
    contracts = CONTRACTS + textwrap.dedent(
        """
        from typing import NewType, TypeAlias
        Amount = Decimal
        MaybeMoney: TypeAlias = "Money | None"
        InvoiceId = NewType("InvoiceId", str)
        """
    )
    extra = {"shop/billing/contracts.py": contracts}
    source = "from shop.billing.contracts import Amount, MaybeMoney, InvoiceId\n"
    assert annotation_text(tmp_path / "a", source, "Amount", extra) == "decimal.Decimal"
    assert annotation_text(tmp_path / "b", source, "list[MaybeMoney]", extra) == f"list[{MONEY} | None]"
    assert annotation_text(tmp_path / "c", source, "InvoiceId", extra) == "str"


def test_names_imported_under_type_checking_and_in_fallbacks_resolve(tmp_path):
    source = """
    from typing import TYPE_CHECKING
    if TYPE_CHECKING:
        from shop.billing.contracts import Money
    try:
        from shop.billing.contracts import Invoice
    except ImportError:
        Invoice = None
    """
    assert annotation_text(tmp_path / "a", source, '"Money"') == MONEY
    assert annotation_text(tmp_path / "b", source, "Invoice") == "shop.billing.contracts.Invoice"


def test_re_exports_are_followed_through_several_packages_and_star_imports(tmp_path):
    files = shop(
        **{
            "shop/__init__.py": "from shop.billing import *\n",
            "shop/billing/__init__.py": "from .public import Money as Cash\n__all__ = ['Cash']\n",
            "shop/billing/public.py": "from shop.billing.contracts import *\n",
            "shop/billing/api.py": "",
        }
    )
    reading = readers(tmp_path, files)
    symbol = reading.index.lookup("shop.Cash")
    assert (symbol.name, symbol.kind) == (MONEY, "class")
    assert symbol.via == ("shop.Cash", "shop.billing.Cash", "shop.billing.public.Money")


def test_an_import_cycle_of_names_ends_as_unknown(tmp_path):
    files = shop(
        **{
            "shop/billing/a.py": "from shop.billing.b import Thing\n",
            "shop/billing/b.py": "from shop.billing.a import Thing\n",
        }
    )
    assert readers(tmp_path, files).index.lookup("shop.billing.a.Thing").kind == "unknown"


def test_a_module_that_does_not_parse_has_no_code_and_its_names_are_unknown(tmp_path):
    reading = readers(tmp_path, shop(**{"shop/billing/api.py": "from shop.billing.contracts import Money\n"}))
    (tmp_path / "shop/billing/api.py").write_text("def broken(:\n")  # after the graph was built
    (tmp_path / "shop/billing/ledger.py").write_bytes(b"x = 1\0\n")
    assert reading.index.module("shop.billing.api") is None
    assert reading.index.module("shop.billing.ledger") is None
    assert reading.index.resolve("shop.billing.api", "Money").kind == "unknown"
    assert reading.index.lookup(MONEY).kind == "class"


def test_each_module_is_parsed_once_per_graph_and_the_index_goes_with_its_graph(tmp_path, monkeypatch):
    reading = readers(tmp_path, shop())
    parsed: list[str] = []
    parse = CodeIndex._parse

    def counting(index: CodeIndex, module: str):
        parsed.append(module)
        return parse(index, module)

    monkeypatch.setattr(CodeIndex, "_parse", counting)
    for _ in range(3):
        reading.index.resolve("shop.billing", "Money")
        reading.models.schema(reading.index.lookup(MONEY))
    assert sorted(parsed) == ["shop.billing", "shop.billing.contracts"]
    assert code_index(reading.project) is reading.index
    reading.index.schemas[MONEY] = reading.models.schema(reading.index.lookup(MONEY))
    assert list(recorded_schemas(reading.project)) == [MONEY]

    index = weakref.ref(reading.index)
    del reading
    gc.collect()
    assert index() is None


MODELS = """
import dataclasses as dc
import enum
import typing
import typing_extensions
from dataclasses import dataclass
from typing import NamedTuple, TypedDict

import pydantic
import pydantic.dataclasses
from pydantic import BaseModel as BM, RootModel


class Direct(pydantic.BaseModel):
    a: int


class Aliased(BM):
    a: int


class Root(RootModel[list[int]]):
    root: list[int]


class Child(Direct):
    b: str


class GrandChild(Child):
    c: float


@dataclass
class Plain:
    a: int


@dataclass(frozen=True, kw_only=True)
class Frozen:
    a: int


@dc.dataclass
class Qualified:
    a: int


@pydantic.dataclasses.dataclass
class PydanticData:
    a: int


class TD(TypedDict):
    a: int


class TDX(typing_extensions.TypedDict):
    a: int


class NT(NamedTuple):
    a: int


class NT2(typing.NamedTuple):
    a: int


class Colour(enum.Enum):
    RED = 1


class Level(enum.IntEnum):
    LOW = 1


class Text(str, enum.Enum):
    A = "a"


class NotAModel:
    a: int


class AlsoNot(NotAModel):
    b: int
"""


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Direct", "pydantic"),
        ("Aliased", "pydantic"),
        ("Root", "pydantic"),
        ("Child", "pydantic"),
        ("GrandChild", "pydantic"),
        ("Inherited", "pydantic"),
        ("Plain", "dataclass"),
        ("Frozen", "dataclass"),
        ("Qualified", "dataclass"),
        ("PydanticData", "dataclass"),
        ("TD", "typeddict"),
        ("TDX", "typeddict"),
        ("NT", "namedtuple"),
        ("NT2", "namedtuple"),
        ("Colour", "enum"),
        ("Level", "enum"),
        ("Text", "enum"),
        ("NotAModel", None),
        ("AlsoNot", None),
    ],
)
def test_contract_models_are_recognised_also_through_project_bases(tmp_path, name, kind):
    files = shop(
        **{
            "shop/billing/models.py": MODELS,
            "shop/billing/more.py": "from shop.billing import models as m\n\nclass Inherited(m.GrandChild):\n    d: int\n",
        }
    )
    reading = readers(tmp_path, files)
    module = "shop.billing.more" if name == "Inherited" else "shop.billing.models"
    assert reading.models.kind(reading.index.lookup(f"{module}.{name}")) == kind


def schema_of(tmp_path: Path, source: str, name: str):
    reading = readers(tmp_path, shop(**{"shop/billing/models.py": source}))
    schema = reading.models.schema(reading.index.lookup(f"shop.billing.models.{name}"))
    assert schema is not None
    return schema


FIELDS = """
from typing import Annotated, ClassVar, Optional
import annotated_types as at
from pydantic import BaseModel, ConfigDict, Extra, Field, StringConstraints, conint, constr


def make() -> list[int]:
    return []


class Base(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(..., alias="ID", description="Identifier.")


class Order(Base):
    registry: ClassVar[dict] = {}
    _secret: int = 0

    quantity: int = Field(gt=0, le=100)
    note: Optional[str]
    sku: Annotated[str, Field(min_length=3, pattern="^[A-Z]+$")] = "AAA"
    count: Annotated[int, at.Ge(1), at.Lt(10)] = 1
    tags: list[str] = Field(default_factory=list, max_length=5)
    code: constr(min_length=2) = "xx"
    level: conint(ge=0) = Field(0, serialization_alias="lvl")
    key: str = Field(validation_alias="k")
    legacy: str = Field("", regex="^x", min_items=1)
    text: Annotated[str, StringConstraints(max_length=9)] = ""
    size: Annotated[bytes, at.Len(1, 4)] = b"x"


class Loose(BaseModel, extra="allow"):
    a: int = 1


class Old(BaseModel):
    class Config:
        extra = Extra.forbid

    a: int = 1


class DictConfig(BaseModel):
    model_config = {"extra": "ignore"}
"""


def test_pydantic_fields_with_defaults_aliases_constraints_and_config(tmp_path):
    order = schema_of(tmp_path / "order", FIELDS, "Order")
    fields = {field.name: field for field in order.fields}
    assert list(fields) == [
        "id",
        "quantity",
        "note",
        "sku",
        "count",
        "tags",
        "code",
        "level",
        "key",
        "legacy",
        "text",
        "size",
    ]
    assert order.extra == "forbid"  # inherited from Base
    assert (fields["id"].required, fields["id"].alias, fields["id"].serialization_alias) == (True, "ID", "ID")
    assert fields["id"].description == "Identifier."
    assert (fields["quantity"].required, fields["quantity"].constraints) == (True, {"gt": "0", "le": "100"})
    assert (fields["note"].required, fields["note"].type) == (True, "str | None")
    assert fields["sku"].constraints == {"min_length": "3", "pattern": "'^[A-Z]+$'"}
    assert (fields["sku"].required, fields["sku"].default) == (False, "'AAA'")
    assert fields["count"].constraints == {"ge": "1", "lt": "10"}
    assert (fields["tags"].required, fields["tags"].default, fields["tags"].constraints) == (
        False,
        "list()",
        {"max_length": "5"},
    )
    assert (fields["code"].type, fields["code"].constraints) == ("str", {"min_length": "2"})
    assert (fields["level"].type, fields["level"].constraints, fields["level"].default) == ("int", {"ge": "0"}, "0")
    assert (fields["level"].alias, fields["level"].serialization_alias) == (None, "lvl")
    assert (fields["key"].alias, fields["key"].serialization_alias, fields["key"].required) == ("k", None, True)
    assert fields["legacy"].constraints == {"pattern": "'^x'", "min_length": "1"}
    assert fields["text"].constraints == {"max_length": "9"}
    assert fields["size"].constraints == {"min_length": "1", "max_length": "4"}
    assert order.line == 17 and fields["quantity"].line == 21
    assert schema_of(tmp_path / "loose", FIELDS, "Loose").extra == "allow"
    assert schema_of(tmp_path / "old", FIELDS, "Old").extra == "forbid"
    assert schema_of(tmp_path / "dict", FIELDS, "DictConfig").extra == "ignore"


def test_dataclass_typeddict_namedtuple_and_enum_schemas(tmp_path):
    source = """
    import enum
    from dataclasses import KW_ONLY, dataclass, field
    from typing import NamedTuple, NotRequired, Required, TypedDict


    @dataclass
    class Shipment:
        id: str
        weight: float = 1.0
        parts: list[str] = field(default_factory=list)
        _: KW_ONLY
        fragile: bool = False


    @dataclass(kw_only=True)
    class Named:
        a: int


    class Partial(TypedDict, total=False):
        a: int
        b: Required[str]


    class Full(Partial):
        c: int
        d: NotRequired[int]


    class Pair(NamedTuple):
        left: int
        right: int = 0


    class Status(enum.Enum):
        OPEN = "open"
        CLOSED = enum.auto()
        _ignore_ = ["x"]

        def label(self) -> str:
            return self.value
    """
    shipment = schema_of(tmp_path / "s", source, "Shipment")
    assert [(f.name, f.required, f.default) for f in shipment.fields] == [
        ("id", True, None),
        ("weight", False, "1.0"),
        ("parts", False, "list()"),
        ("fragile", False, "False"),
    ]
    assert shipment.positional and not schema_of(tmp_path / "n", source, "Named").positional
    full = schema_of(tmp_path / "f", source, "Full")
    assert [(f.name, f.required) for f in full.fields] == [("a", False), ("b", True), ("c", True), ("d", False)]
    pair = schema_of(tmp_path / "p", source, "Pair")
    assert [(f.name, f.required) for f in pair.fields] == [("left", True), ("right", False)] and pair.positional
    status = schema_of(tmp_path / "e", source, "Status")
    assert [(m.name, m.value) for m in status.members] == [("OPEN", "'open'"), ("CLOSED", "enum.auto()")]
    assert status.kind == "enum" and status.fields == ()


@pytest.mark.parametrize(
    ("wide", "narrow", "accepted"),
    [
        ("int | None", "int", True),
        ("int", "int | None", False),
        ("float", "int", True),
        ("int", "float", False),
        ("list", "list[int]", True),
        ("list[float]", "list[int]", True),
        ("list[int]", "list[str]", False),
        ("str", "Literal['a', 'b']", True),
        ("Literal['a', 'b']", "Literal['a']", True),
        ("Literal['a']", "Literal['a', 'b']", False),
        ("Literal['a'] | int", "Literal['a', 1]", True),
        ("shop.Colour", "Literal[shop.Colour.RED]", True),
        ("typing.Any", "dict[str, int]", True),
        ("dict[str, int]", "dict[str, int | None]", False),
        ("str", "bytes", False),
    ],
)
def test_which_types_accept_which(wide, narrow, accepted):
    assert accepts(parse_canonical(wide), parse_canonical(narrow)) is accepted
