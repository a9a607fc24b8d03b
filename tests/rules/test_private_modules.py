"""`private_modules`: a `_module` may only be imported from within its parent package."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from fixtures.projects import chains_as_modules, rule_result, violations_of

SHOP = {
    "shop/orders/_pricing/__init__.py": "",
    "shop/orders/_pricing/rules.py": "",
    "shop/orders/__init__.py": "from shop.orders import _pricing\n",
    "shop/orders/models.py": "from shop.orders._pricing import rules\n",
    "shop/orders/returns/refunds.py": "import shop.orders._pricing\n",
    "shop/billing/_ledger.py": "",
    "shop/billing/invoices.py": "import shop.billing._ledger\n",
    "shop/cli/__main__.py": "",
    "shop/api/handlers.py": "import shop.cli.__main__\nfrom shop.orders import models\n",
}


def private_rule(**options) -> dict:
    return {"id": "private", "type": "private_modules", **options}


def test_imports_from_within_the_parent_package_keep_the_rule(run_rules):
    result = run_rules(SHOP, private_rule())

    assert rule_result(result, "private").kept


def test_import_from_outside_the_parent_package_breaks_the_rule(run_rules):
    files = {**SHOP, "shop/api/handlers.py": "from shop.orders import models\n\nfrom shop.orders._pricing import rules\n"}

    result = run_rules(files, private_rule())

    assert not rule_result(result, "private").kept
    [violation] = violations_of(result, "private")
    assert (violation.importer, violation.imported) == ("shop.api.handlers", "shop.orders._pricing.rules")
    assert violation.type == "private_modules"
    [[link]] = violation.chains
    assert (link.file, link.line_numbers, link.line_contents) == (
        "shop/api/handlers.py",
        (3,),
        ("from shop.orders._pricing import rules",),
    )


def test_every_illegal_import_is_reported(run_rules):
    files = {
        **SHOP,
        "shop/api/handlers.py": "import shop.orders._pricing\nimport shop.billing._ledger\n",
        "shop/billing/invoices.py": "import shop.billing._ledger\nimport shop.orders._pricing.rules\n",
    }

    result = run_rules(files, private_rule())

    assert sorted(chains_as_modules(v)[0] for v in violations_of(result, "private")) == [
        ("shop.api.handlers", "shop.billing._ledger"),
        ("shop.api.handlers", "shop.orders._pricing"),
        ("shop.billing.invoices", "shop.orders._pricing.rules"),
    ]


def test_dunder_modules_are_not_private(run_rules):
    result = run_rules(SHOP, private_rule())

    assert ("shop.api.handlers", "shop.cli.__main__") not in {
        (v.importer, v.imported) for v in violations_of(result, "private")
    }
    assert rule_result(result, "private").kept


def test_packages_with_private_modules_limits_what_is_checked(run_rules):
    files = {**SHOP, "shop/api/handlers.py": "import shop.orders._pricing\nimport shop.billing._ledger\n"}

    result = run_rules(files, private_rule(packages_with_private_modules=["shop.billing"]))

    [violation] = violations_of(result, "private")
    assert (violation.importer, violation.imported) == ("shop.api.handlers", "shop.billing._ledger")


def test_packages_with_private_modules_wildcard(run_rules):
    files = {
        **SHOP,
        "lib/_internal.py": "",
        "shop/api/handlers.py": "import shop.orders._pricing\nimport lib._internal\n",
    }

    result = run_rules(files, private_rule(packages_with_private_modules=["shop.*"]))

    [violation] = violations_of(result, "private")
    assert (violation.importer, violation.imported) == ("shop.api.handlers", "shop.orders._pricing")


def test_private_package_named_is_a_config_error(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, private_rule(packages_with_private_modules=["shop.billing._ledger"]))

    assert "shop.billing._ledger" in str(raised.value) and "rule 'private'" in str(raised.value)


def test_wildcard_matching_a_private_package_is_a_config_error(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, private_rule(packages_with_private_modules=["shop.billing.*"]))

    assert "shop.billing._ledger" in str(raised.value)


def test_missing_package_is_a_config_error(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, private_rule(packages_with_private_modules=["shop.nowhere"]))

    assert "shop.nowhere" in str(raised.value) and "rule 'private'" in str(raised.value)
