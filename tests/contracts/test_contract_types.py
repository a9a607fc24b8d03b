"""`contract_types`: the interface's signatures and attributes name only allowed types, and
calls from outside do not pass instances of other classes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from app.cli import main
from contracts.projects import shop
from core.errors import ConfigError
from fixtures.projects import check, rule_result, violations_of, write_project

ALLOWED = ["builtins", "shop.billing.contracts.*", "datetime.datetime", "decimal.Decimal"]


def rule(**options) -> dict:
    return {
        "id": "billing-types",
        "type": "contract_types",
        "boundary": "shop.billing",
        "interface": ["shop.billing.api"],
        "allowed": ALLOWED,
        **options,
    }


def run(tmp_path: Path, api: str, *, options: dict | None = None, **files: str):
    write_project(tmp_path, shop(**{"shop/billing/api.py": api, **files}), [rule(**(options or {}))])
    return check(tmp_path)


def found(result) -> list[tuple[str, int | None]]:
    return sorted((violation.message, violation.line) for violation in violations_of(result, "billing-types"))


KEPT_API = '''
"""Everything here crosses the boundary with allowed types."""
from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal, Optional, TypeVar, Union

from pydantic import Field

from shop.billing import Money as Cash
from shop.billing import contracts
from .contracts import Address, Currency, Invoice, Point, Refund

if TYPE_CHECKING:
    from shop.billing.contracts import Invoice as LaterInvoice

__all__ = ["charge", "refund", "Gateway", "DEFAULT_CURRENCY", "Amount", "lookup"]

T = TypeVar("T")
Amount: typing.TypeAlias = Decimal
DEFAULT_CURRENCY: Currency = Currency.EUR


def charge(money: Cash, when: dt.datetime, note: Optional[str] = None) -> "contracts.Invoice":
    ...


def refund(
    invoice: LaterInvoice,
    lines: list[dict[str, Union[int, float]]],
    reason: Annotated[str, Field(max_length=80)],
    *extra: Refund,
    state: Literal["full", "partial", Currency.EUR] = "full",
    **options: tuple[Point, ...],
) -> Refund | None:
    ...


async def lookup(address: "Address") -> "list[Invoice] | None":
    ...


class Gateway:
    retries: int = 3

    def __init__(self, currency: Currency) -> None:
        self._currency = currency

    def pay(self, amount: Amount) -> bool:
        ...

    @staticmethod
    def version() -> str:
        ...

    def _internal(self, anything):
        ...


def helper_not_exported(anything):
    ...
'''


def test_an_interface_of_allowed_types_keeps_the_rule(tmp_path):
    result = run(tmp_path, KEPT_API)

    assert found(result) == []
    assert rule_result(result, "billing-types").kept


def test_types_that_may_not_cross_are_violations_at_their_annotation(tmp_path):
    api = """
import pathlib
from typing import Any, Optional

from shop.billing.contracts import Ledger, Money
from shop.billing.ledger import Ledger as Book


def charge(money: Money, book: Optional[Book] = None) -> pathlib.Path:
    ...


def audit(
    entries: list[
        "Ledger"
    ],
) -> dict[str, Any]:
    ...


def unknown(x: Missing) -> None:
    ...
"""
    result = run(tmp_path, api)

    assert found(result) == [
        (
            "Parameter 'book' of shop.billing.api.charge uses shop.billing.ledger.Ledger, which may not cross shop.billing",
            9,
        ),
        (
            "Parameter 'entries' of shop.billing.api.audit uses shop.billing.contracts.Ledger, which may not cross shop.billing",
            15,
        ),
        ("Parameter 'x' of shop.billing.api.unknown uses Missing, which may not cross shop.billing", 21),
        ("The return of shop.billing.api.audit uses typing.Any, which may not cross shop.billing", 17),
        ("The return of shop.billing.api.charge uses pathlib.Path, which may not cross shop.billing", 9),
    ]
    by_message = {v.message: v for v in violations_of(result, "billing-types")}
    plain = by_message[
        "Parameter 'entries' of shop.billing.api.audit uses shop.billing.contracts.Ledger, which may not cross shop.billing"
    ]
    assert plain.file == "shop/billing/api.py"
    assert plain.importer == "shop.billing.api" and plain.imported == "shop.billing.contracts"
    assert "is a plain class of an allowed module, not a contract type" in plain.detail
    assert "Allowed to cross: builtins, shop.billing.contracts.*, datetime.datetime, decimal.Decimal" in plain.detail
    book = by_message[
        "Parameter 'book' of shop.billing.api.charge uses shop.billing.ledger.Ledger, which may not cross shop.billing"
    ]
    assert "is annotated `Optional[Book]`: shop.billing.ledger.Ledger is not an allowed type" in book.detail
    missing = by_message["Parameter 'x' of shop.billing.api.unknown uses Missing, which may not cross shop.billing"]
    assert "cannot be resolved through the module's imports" in missing.detail
    assert not rule_result(result, "billing-types").kept


def test_constrained_types_count_as_the_type_they_constrain(tmp_path):
    api = (
        "from pydantic import condecimal, conlist, constr\n\n\n"
        "def pay(amount: condecimal(gt=0), tags: conlist(constr(min_length=1))) -> None:\n    ...\n"
    )
    assert found(run(tmp_path / "allowed", api)) == []
    result = run(tmp_path / "refused", api, options={"allowed": ["decimal.Decimal"]})
    assert found(result) == [
        ("Parameter 'tags' of shop.billing.api.pay uses list, which may not cross shop.billing", 4),
        ("Parameter 'tags' of shop.billing.api.pay uses str, which may not cross shop.billing", 4),
    ]


def test_a_class_named_exactly_is_allowed_whatever_it_is(tmp_path):
    api = "from shop.billing.ledger import Ledger\n\n\ndef post(ledger: Ledger) -> None:\n    ...\n"
    options = {"allowed": [*ALLOWED, "shop.billing.ledger.Ledger"]}

    assert found(run(tmp_path, api, options=options)) == []


def test_without_builtins_allowed_even_str_may_not_cross_but_none_may(tmp_path):
    api = "def name() -> str:\n    ...\n\n\ndef close() -> None:\n    ...\n"
    result = run(tmp_path, api, options={"allowed": ["shop.billing.contracts.*"]})

    assert found(result) == [("The return of shop.billing.api.name uses str, which may not cross shop.billing", 1)]


def test_every_public_function_method_and_attribute_must_be_annotated(tmp_path):
    api = """
RATE = 3
_private = 4


def charge(amount, currency: str):
    ...


class Gateway:
    timeout: float = 1.0

    def __init__(self, url):
        ...

    def pay(self, amount: int):
        ...
"""
    result = run(tmp_path, api)

    assert found(result) == [
        ("Attribute shop.billing.api.RATE is not annotated", 2),
        ("Parameter 'amount' of shop.billing.api.charge is not annotated", 6),
        ("Parameter 'url' of shop.billing.api.Gateway is not annotated", 13),
        ("The return of shop.billing.api.Gateway.pay is not annotated", 16),
        ("The return of shop.billing.api.charge is not annotated", 6),
    ]
    assert not any("'self'" in message for message, _ in found(result))
    assert found(run(tmp_path / "allowed", api, options={"allow_unannotated": True})) == []


def test_all_decides_what_is_public_and_re_exports_are_checked_where_they_are_defined(tmp_path):
    api = "from shop.billing.service import settle\n\n__all__ = ['settle']\n\n\ndef hidden(anything):\n    ...\n"
    service = "from shop.billing.ledger import Ledger\n\n\ndef settle(ledger: Ledger) -> None:\n    ...\n"
    result = run(tmp_path, api, **{"shop/billing/service.py": service})

    [violation] = violations_of(result, "billing-types")
    assert violation.message.startswith(
        "Parameter 'ledger' of shop.billing.service.settle uses shop.billing.ledger.Ledger"
    )
    assert (violation.file, violation.line, violation.importer) == (
        "shop/billing/service.py",
        4,
        "shop.billing.service",
    )


def test_without_all_names_re_exported_as_themselves_are_public(tmp_path):
    api = "from shop.billing.service import settle as settle\nfrom shop.billing.service import helper\n"
    service = "def settle(ledger) -> None:\n    ...\n\n\ndef helper(anything):\n    ...\n"
    result = run(tmp_path, api, **{"shop/billing/service.py": service})

    assert found(result) == [("Parameter 'ledger' of shop.billing.service.settle is not annotated", 1)]


def test_a_type_alias_of_a_type_that_may_not_cross_is_a_violation(tmp_path):
    api = "import pathlib\nfrom typing import TypeAlias\n\nLocation: TypeAlias = pathlib.Path\nPlain = pathlib.Path\n"
    result = run(tmp_path, api)

    assert found(result) == [
        ("Attribute shop.billing.api.Plain is not annotated", 5),
        ("Type alias shop.billing.api.Location uses pathlib.Path, which may not cross shop.billing", 4),
    ]


def test_fingerprints_survive_reformatting_and_name_the_offending_type(tmp_path):
    api = "from shop.billing.ledger import Ledger\n\n\ndef charge(ledger: Ledger) -> None:\n    ...\n"
    moved = '"""Charging."""\n\nfrom shop.billing.ledger import (\n    Ledger,\n)\n\n\n\n\ndef charge(\n    ledger: Ledger,\n) -> None:\n    ...\n'
    other = "import pathlib\n\n\ndef charge(ledger: pathlib.Path) -> None:\n    ...\n"
    [before] = violations_of(run(tmp_path / "a", api), "billing-types")
    [after] = violations_of(run(tmp_path / "b", moved), "billing-types")
    [changed] = violations_of(run(tmp_path / "c", other), "billing-types")

    assert (before.line, after.line) == (4, 11)
    assert before.fingerprint == after.fingerprint
    assert changed.fingerprint != before.fingerprint


CHECKOUT = """
import shop.billing.api as api
from pathlib import Path
from shop import billing
from shop.billing import charge
from shop.billing.contracts import Money
from shop.billing.ledger import Ledger


def place(order: int) -> None:
    charge(Ledger())
    charge(Money(amount=1))
    charge(order)
    charge(len("x"))
    book = Ledger()
    billing.charge(book)
    api.charge(money=Path("x"))
    api.Gateway(Ledger()).pay(Ledger())


def later() -> None:
    book = Money(amount=1)
    charge(book)
"""
CALLED_API = """
from shop.billing.contracts import Money


def charge(money: Money) -> None:
    ...


class Gateway:
    def __init__(self, money: Money) -> None:
        ...

    def pay(self, money: Money) -> None:
        ...
"""


def test_calls_from_outside_passing_instances_of_other_classes_are_violations(tmp_path):
    inside = "from shop.billing.api import charge\nfrom shop.billing.ledger import Ledger\n\ncharge(Ledger())\n"
    result = run(tmp_path, CALLED_API, **{"shop/orders/checkout.py": CHECKOUT, "shop/billing/internal.py": inside})

    calls = [(v.message, v.line) for v in violations_of(result, "billing-types")]
    assert calls == [
        ("shop.orders.checkout.place passes an instance of shop.billing.ledger.Ledger to shop.billing.api.charge", 11),
        ("shop.orders.checkout.place passes an instance of pathlib.Path to shop.billing.api.charge", 17),
        ("shop.orders.checkout.place passes an instance of shop.billing.ledger.Ledger to shop.billing.api.Gateway", 18),
    ]
    first = violations_of(result, "billing-types")[0]
    assert (first.file, first.importer, first.imported) == (
        "shop/orders/checkout.py",
        "shop.orders.checkout",
        "shop.billing.api",
    )
    assert first.detail.startswith(
        "`Ledger()` is passed to shop.billing.api.charge, the interface of shop.billing, and is an instance of "
        "shop.billing.ledger.Ledger, which is not an allowed type."
    )


def test_bad_configurations_name_the_rule_and_option(tmp_path):
    with pytest.raises(
        ConfigError, match="interface module 'shop.orders.checkout' lies outside the boundary 'shop.billing'"
    ) as error:
        run(tmp_path / "a", "", options={"interface": ["shop.orders.checkout"]})
    assert (
        error.value.file.endswith("strataview.toml") and "rule 'billing-types', option 'interface'" in error.value.place
    )
    with pytest.raises(ConfigError, match="module 'shop.nothing' does not exist"):
        run(tmp_path / "b", "", options={"boundary": "shop.nothing"})
    with pytest.raises(ConfigError, match="the interface matches no module"):
        run(tmp_path / "c", "", options={"interface": ["shop.billing.nothing.*"]})
    with pytest.raises(ConfigError, match="without wildcards"):
        run(tmp_path / "d", "", options={"boundary": "shop.*"})


SIDE_EFFECTS = """
import pathlib
import sys

from shop.billing.contracts import Money

pathlib.Path(__file__).with_name("ran.txt").write_text("the analysed code ran")
sys.exit("the analysed code ran")
raise RuntimeError("the analysed code ran")


def charge(money: "Money") -> None:
    ...
"""


def test_analysing_code_with_side_effects_neither_runs_nor_imports_it(tmp_path, capsys):
    files = {
        "shop/billing/__init__.py": "raise SystemExit('imported shop.billing')\n",
        "shop/billing/contracts.py": SIDE_EFFECTS.replace("def charge", "class Money:\n    pass\n\n\ndef charge"),
        "shop/orders/checkout.py": "import os\nos._exit(3)\nfrom shop.billing.api import charge\ncharge(object())\n",
    }
    stability = {"id": "stable", "type": "contract_stability", "models": ["shop.billing.contracts.*"]}
    write_project(tmp_path, shop(**{"shop/billing/api.py": SIDE_EFFECTS, **files}), [rule(), stability])

    code = main(["check", str(tmp_path), "--format", "json", "--no-cache"])

    output = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [v["message"] for v in output["violations"]] == [
        "Parameter 'money' of shop.billing.api.charge uses shop.billing.contracts.Money, which may not cross shop.billing",
        "shop.orders.checkout passes an instance of object to shop.billing.api.charge",
    ]
    assert not list(tmp_path.rglob("ran.txt"))
    assert not [name for name in sys.modules if name == "shop" or name.startswith("shop.")]
