"""`independence`: the given modules must not import each other, directly or indirectly."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from fixtures.projects import chains_as_modules, rule_result, violations_of

SHOP = {
    "shop/orders/models.py": "from shop.common import money\n",
    "shop/billing/invoices.py": "import shop.common.money\n",
    "shop/shipping/labels.py": "",
    "shop/common/money.py": "",
}


def independence_rule(*modules: str, **options) -> dict:
    return {"id": "apart", "type": "independence", "modules": list(modules), **options}


def test_shared_dependencies_keep_the_rule(run_rules):
    result = run_rules(SHOP, independence_rule("shop.orders", "shop.billing", "shop.shipping"))

    assert rule_result(result, "apart").kept


def test_direct_import_breaks_the_rule_between_the_two_modules(run_rules):
    files = {**SHOP, "shop/billing/invoices.py": "import shop.common.money\nfrom shop.orders.models import Order\n"}

    result = run_rules(files, independence_rule("shop.orders", "shop.billing", "shop.shipping"))

    assert not rule_result(result, "apart").kept
    [violation] = violations_of(result, "apart")
    assert (violation.importer, violation.imported) == ("shop.billing", "shop.orders")
    assert violation.type == "independence"
    assert "shop.billing is not allowed to import shop.orders" in violation.message
    [[link]] = violation.chains
    assert (link.importer, link.imported) == ("shop.billing.invoices", "shop.orders.models")
    assert (link.file, link.line_numbers, link.line_contents) == (
        "shop/billing/invoices.py",
        (2,),
        ("from shop.orders.models import Order",),
    )


def test_indirect_import_through_a_shared_module(run_rules):
    files = {**SHOP, "shop/common/money.py": "import shop.shipping.labels\n"}

    result = run_rules(files, independence_rule("shop.orders", "shop.billing", "shop.shipping"))

    found = {(v.importer, v.imported): v for v in violations_of(result, "apart")}
    assert set(found) == {("shop.orders", "shop.shipping"), ("shop.billing", "shop.shipping")}
    assert chains_as_modules(found["shop.orders", "shop.shipping"]) == [
        ("shop.orders.models", "shop.common.money", "shop.shipping.labels")
    ]
    [[first, second]] = found["shop.billing", "shop.shipping"].chains
    assert (first.file, second.file) == ("shop/billing/invoices.py", "shop/common/money.py")


def test_imports_in_both_directions_are_two_violations_with_every_direct_import(run_rules):
    files = {
        **SHOP,
        "shop/orders/models.py": "import shop.billing.invoices\n",
        "shop/orders/api.py": "import shop.billing\n",
        "shop/billing/invoices.py": "import shop.orders.models\n",
    }

    result = run_rules(files, independence_rule("shop.orders", "shop.billing"))

    found = {(v.importer, v.imported): v for v in violations_of(result, "apart")}
    assert set(found) == {("shop.orders", "shop.billing"), ("shop.billing", "shop.orders")}
    assert sorted(chains_as_modules(found["shop.orders", "shop.billing"])) == [
        ("shop.orders.api", "shop.billing"),
        ("shop.orders.models", "shop.billing.invoices"),
    ]


def test_wildcard_modules(run_rules):
    files = {**SHOP, "shop/shipping/labels.py": "import shop.orders.models\n"}

    result = run_rules(files, independence_rule("shop.*"))

    # shop.* matches shop.common too, so the imports of it count as well.
    pairs = {(v.importer, v.imported) for v in violations_of(result, "apart")}
    assert pairs == {
        ("shop.shipping", "shop.orders"),
        ("shop.orders", "shop.common"),
        ("shop.billing", "shop.common"),
    }


def test_missing_module_is_a_config_error(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, independence_rule("shop.orders", "shop.refunds"))

    assert "shop.refunds" in str(raised.value) and "rule 'apart'" in str(raised.value)
