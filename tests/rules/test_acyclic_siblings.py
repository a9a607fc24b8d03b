"""`acyclic_siblings`: no import cycles between the children of each ancestor package."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from fixtures.projects import chains_as_modules, rule_result, violations_of

# Cycle between shop.orders and shop.billing: two module-level imports one way, one the other,
# so the cheapest dependency to remove is billing -> orders.
TOP_LEVEL_CYCLE = {
    "shop/orders/models.py": "import shop.billing.invoices\n",
    "shop/orders/api.py": "from shop.billing import invoices\n",
    "shop/billing/invoices.py": "\nfrom shop.orders.models import Order\n",
}

# Cycle between shop.catalog.search and shop.catalog.index, one level down.
NESTED_CYCLE = {
    "shop/catalog/search.py": "import shop.catalog.index\n",
    "shop/catalog/index.py": "import shop.catalog.search\n",
    "shop/users/accounts.py": "",
}


def siblings_rule(ancestors: list[str], **options) -> dict:
    return {"id": "siblings", "type": "acyclic_siblings", "ancestors": ancestors, **options}


def test_acyclic_children_keep_the_rule(run_rules):
    files = {**TOP_LEVEL_CYCLE, "shop/billing/invoices.py": ""}

    result = run_rules(files, siblings_rule(["shop"]))

    assert rule_result(result, "siblings").kept


def test_cycle_between_children_reports_the_dependency_to_remove(run_rules):
    result = run_rules(TOP_LEVEL_CYCLE, siblings_rule(["shop"]))

    assert not rule_result(result, "siblings").kept
    [violation] = violations_of(result, "siblings")
    assert (violation.importer, violation.imported) == ("shop.billing", "shop.orders")
    assert violation.type == "acyclic_siblings"
    assert "No cycles are allowed in shop" in violation.message
    assert ".billing -> .orders (1 import)" in violation.message
    [[link]] = violation.chains
    assert (link.importer, link.imported) == ("shop.billing.invoices", "shop.orders.models")
    assert (link.file, link.line_numbers, link.line_contents) == (
        "shop/billing/invoices.py",
        (2,),
        ("from shop.orders.models import Order",),
    )


def test_dependency_with_several_imports_lists_each_as_a_chain(run_rules):
    files = {
        **TOP_LEVEL_CYCLE,
        "shop/orders/models.py": "import shop.billing.invoices\nimport shop.billing.taxes\n",
        "shop/orders/api.py": "from shop.billing import invoices\nfrom shop.billing import taxes\n",
        "shop/orders/cart.py": "import shop.billing.invoices\n",
        "shop/billing/invoices.py": "import shop.orders.models\n",
        "shop/billing/taxes.py": "import shop.orders.api\n",
    }

    result = run_rules(files, siblings_rule(["shop"]))

    [violation] = violations_of(result, "siblings")
    assert (violation.importer, violation.imported) == ("shop.billing", "shop.orders")
    assert "(2 imports)" in violation.message
    assert sorted(chains_as_modules(violation)) == [
        ("shop.billing.invoices", "shop.orders.models"),
        ("shop.billing.taxes", "shop.orders.api"),
    ]


def test_cycles_below_the_ancestor_are_found_within_depth(run_rules):
    result = run_rules(NESTED_CYCLE, siblings_rule(["shop"]))

    [violation] = violations_of(result, "siblings")
    assert "No cycles are allowed in shop.catalog" in violation.message
    assert {violation.importer, violation.imported} == {"shop.catalog.search", "shop.catalog.index"}


def test_depth_zero_checks_only_the_ancestors_own_children(run_rules):
    result = run_rules(NESTED_CYCLE, siblings_rule(["shop"], depth=0))

    assert rule_result(result, "siblings").kept


def test_depth_counts_levels_below_the_ancestor(run_rules):
    files = {
        "shop/a/b/c/one.py": "import shop.a.b.c.two\n",
        "shop/a/b/c/two.py": "import shop.a.b.c.one\n",
    }

    shallow = run_rules(files, siblings_rule(["shop"], depth=2))
    deep = run_rules(files, siblings_rule(["shop"], depth=3))

    assert rule_result(shallow, "siblings").kept
    [violation] = violations_of(deep, "siblings")
    assert "No cycles are allowed in shop.a.b.c" in violation.message


def test_skip_descendants_leaves_a_package_out(run_rules):
    files = {**NESTED_CYCLE, **TOP_LEVEL_CYCLE}

    result = run_rules(files, siblings_rule(["shop"], skip_descendants=["shop.catalog"]))

    [violation] = violations_of(result, "siblings")
    assert (violation.importer, violation.imported) == ("shop.billing", "shop.orders")


def test_wildcard_ancestors(run_rules):
    files = {**NESTED_CYCLE, **TOP_LEVEL_CYCLE}

    result = run_rules(files, siblings_rule(["shop.*"], depth=0))

    # shop.* names shop.catalog, shop.orders ...; the cycle between shop's own children is not looked at.
    [violation] = violations_of(result, "siblings")
    assert "No cycles are allowed in shop.catalog" in violation.message


def test_cycles_in_several_packages_are_separate_violations(run_rules):
    files = {**NESTED_CYCLE, **TOP_LEVEL_CYCLE}

    result = run_rules(files, siblings_rule(["shop"]))

    assert rule_result(result, "siblings").violations == 2
    packages = sorted(v.message.split(":")[0].rpartition(" ")[2] for v in violations_of(result, "siblings"))
    assert packages == ["shop", "shop.catalog"]


def test_missing_ancestor_is_a_config_error(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(NESTED_CYCLE, siblings_rule(["shop.nowhere"]))

    assert "shop.nowhere" in str(raised.value) and "rule 'siblings'" in str(raised.value)


def test_wildcard_ancestor_matching_nothing_is_a_config_error(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(NESTED_CYCLE, siblings_rule(["shop.nowhere.*"]))

    assert "shop.nowhere.*" in str(raised.value)


def test_ancestor_that_is_also_skipped_is_a_config_error(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(NESTED_CYCLE, siblings_rule(["shop.catalog"], skip_descendants=["shop.catalog"]))

    assert "shop.catalog" in str(raised.value) and "rule 'siblings'" in str(raised.value)
