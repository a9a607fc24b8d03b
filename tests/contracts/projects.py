"""Fixture projects for the contract tests: a `shop` whose `billing` package has an interface
(`shop.billing.api`) and contract models (`shop.billing.contracts`), and helpers to read them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core.contracts.code import CodeIndex, code_index
from core.contracts.models import ModelReader
from core.contracts.type_expressions import TypeReader
from core.graph import ProjectGraph, build_project_graph
from fixtures.projects import write_tree

CONTRACTS = """\
from __future__ import annotations

import dataclasses
import enum
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal, NamedTuple, Optional, TypedDict

from pydantic import BaseModel, ConfigDict, Field


class Currency(str, enum.Enum):
    EUR = "EUR"
    USD = "USD"


class Money(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: Decimal = Field(gt=0, description="How much.")
    currency: Currency = Currency.EUR


class Invoice(BaseModel):
    number: str = Field(alias="invoiceNumber")
    total: Money
    status: Literal["open", "paid"] = "open"
    issued: Optional[datetime] = None
    lines: Annotated[list[str], Field(max_length=50)] = []


@dataclasses.dataclass(frozen=True)
class Refund:
    invoice: str
    amount: Decimal


class Address(TypedDict):
    street: str
    city: str


class Point(NamedTuple):
    x: int
    y: int = 0


class Ledger:
    \"\"\"A plain class: not a contract type, though it lives among them.\"\"\"
"""


def shop(**overrides: str) -> dict[str, str]:
    """The shop's files, with `overrides` ({path: source}) replacing or adding files."""
    files = {
        "shop/billing/__init__.py": "from shop.billing.api import charge\nfrom shop.billing.contracts import Money\n",
        "shop/billing/contracts.py": CONTRACTS,
        "shop/billing/ledger.py": "class Ledger:\n    pass\n",
        "shop/billing/api.py": "",
        "shop/orders/checkout.py": "",
    }
    files.update(overrides)
    return files


def project_graph(root: Path, files: Mapping[str, str], root_packages: tuple[str, ...] = ("shop",)) -> ProjectGraph:
    write_tree(root, files)
    return build_project_graph(root, root_packages)


@dataclass
class Readers:
    """A project's graph (kept alive: the code index holds it weakly), its code index, and readers."""

    project: ProjectGraph
    index: CodeIndex
    types: TypeReader
    models: ModelReader


def readers(root: Path, files: Mapping[str, str], root_packages: tuple[str, ...] = ("shop",)) -> Readers:
    project = project_graph(root, files, root_packages)
    index = code_index(project)
    types = TypeReader(index)
    return Readers(project, index, types, ModelReader(index, types))
