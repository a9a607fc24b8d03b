"""`forbidden`: the source modules must not import the forbidden ones."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from fixtures.projects import chains_as_modules, rule_result, violations_of

SHOP = {
    "shop/api/handlers.py": "from shop.services import orders\n",
    "shop/services/orders.py": "VALUE = 1\n",
    "shop/db/session.py": "VALUE = 1\n",
}


def forbidden_rule(sources: list[str], forbidden: list[str], **options) -> dict:
    return {
        "id": "no-db",
        "type": "forbidden",
        "source_modules": sources,
        "forbidden_modules": forbidden,
        **options,
    }


def test_no_forbidden_import_keeps_the_rule(run_rules):
    result = run_rules(SHOP, forbidden_rule(["shop.api"], ["shop.db"]))

    assert rule_result(result, "no-db").kept
    assert violations_of(result, "no-db") == []


def test_direct_import_breaks_the_rule(run_rules):
    files = {**SHOP, "shop/api/handlers.py": '"""Handlers."""\nfrom shop.db.session import VALUE\n'}

    result = run_rules(files, forbidden_rule(["shop.api"], ["shop.db"]))

    assert not rule_result(result, "no-db").kept
    [violation] = violations_of(result, "no-db")
    assert (violation.importer, violation.imported) == ("shop.api", "shop.db")
    assert violation.type == "forbidden"
    assert "shop.api is not allowed to import shop.db" in violation.message
    [[link]] = violation.chains
    assert (link.importer, link.imported) == ("shop.api.handlers", "shop.db.session")
    assert link.line_numbers == (2,)
    assert link.line_contents == ("from shop.db.session import VALUE",)
    assert link.file == "shop/api/handlers.py"


def test_indirect_import_breaks_the_rule_with_the_whole_chain(run_rules):
    files = {**SHOP, "shop/services/orders.py": "import shop.db.session\n"}

    result = run_rules(files, forbidden_rule(["shop.api"], ["shop.db"]))

    [violation] = violations_of(result, "no-db")
    assert (violation.importer, violation.imported) == ("shop.api", "shop.db")
    [chain] = violation.chains
    assert [(link.importer, link.imported, link.file, link.line_numbers) for link in chain] == [
        ("shop.api.handlers", "shop.services.orders", "shop/api/handlers.py", (1,)),
        ("shop.services.orders", "shop.db.session", "shop/services/orders.py", (1,)),
    ]


def test_every_direct_import_is_a_one_link_chain_beside_the_indirect_ones(run_rules):
    files = {
        **SHOP,
        "shop/api/handlers.py": "import shop.db.session\nimport shop.db.models\n",
        "shop/api/admin.py": "import shop.db\n",
        "shop/api/reports.py": "import shop.services.orders\n",
        "shop/services/orders.py": "import shop.db.models\n",
        "shop/db/models.py": "",
    }

    result = run_rules(files, forbidden_rule(["shop.api"], ["shop.db"]))

    [violation] = violations_of(result, "no-db")
    assert sorted(chains_as_modules(violation)) == [
        ("shop.api.admin", "shop.db"),
        ("shop.api.handlers", "shop.db.models"),
        ("shop.api.handlers", "shop.db.session"),
        ("shop.api.reports", "shop.services.orders", "shop.db.models"),
    ]


def test_each_source_and_forbidden_module_is_its_own_violation(run_rules):
    files = {
        **SHOP,
        "shop/api/handlers.py": "import shop.db.session\nimport shop.payments.gateway\n",
        "shop/cli/main.py": "import shop.db.session\n",
        "shop/payments/gateway.py": "",
    }

    result = run_rules(files, forbidden_rule(["shop.api", "shop.cli"], ["shop.db", "shop.payments"]))

    pairs = sorted((v.importer, v.imported) for v in violations_of(result, "no-db"))
    assert pairs == [("shop.api", "shop.db"), ("shop.api", "shop.payments"), ("shop.cli", "shop.db")]
    assert rule_result(result, "no-db").violations == 3


def test_allow_indirect_imports_keeps_indirect_chains(run_rules):
    files = {**SHOP, "shop/services/orders.py": "import shop.db.session\n"}

    result = run_rules(files, forbidden_rule(["shop.api"], ["shop.db"], allow_indirect_imports=True))

    assert rule_result(result, "no-db").kept


def test_allow_indirect_imports_still_reports_direct_imports_only(run_rules):
    files = {
        **SHOP,
        "shop/api/handlers.py": "from shop.services import orders\nimport shop.db.session\n",
        "shop/api/admin.py": "import shop.db\n",
        "shop/services/orders.py": "import shop.db.session\n",
    }

    result = run_rules(files, forbidden_rule(["shop.api"], ["shop.db"], allow_indirect_imports=True))

    [violation] = violations_of(result, "no-db")
    assert sorted(chains_as_modules(violation)) == [
        ("shop.api.admin", "shop.db"),
        ("shop.api.handlers", "shop.db.session"),
    ]


def test_as_packages_false_only_looks_at_the_named_modules(run_rules):
    files = {**SHOP, "shop/api/handlers.py": "import shop.db.session\n"}

    result = run_rules(files, forbidden_rule(["shop.api"], ["shop.db"], as_packages=False))

    assert rule_result(result, "no-db").kept


def test_as_packages_false_catches_imports_between_the_named_modules(run_rules):
    files = {
        **SHOP,
        "shop/api/__init__.py": "from shop.services import orders\n",
        "shop/services/orders.py": "import shop.db\n",
    }

    result = run_rules(files, forbidden_rule(["shop.api"], ["shop.db"], as_packages=False))

    [violation] = violations_of(result, "no-db")
    assert chains_as_modules(violation) == [("shop.api", "shop.services.orders", "shop.db")]
    assert violation.chains[0][0].file == "shop/api/__init__.py"


def test_wildcard_source_modules(run_rules):
    files = {
        **SHOP,
        "shop/api/v1/handlers.py": "import shop.db.session\n",
        "shop/api/v2/handlers.py": "",
    }

    result = run_rules(files, forbidden_rule(["shop.api.*"], ["shop.db"]))

    [violation] = violations_of(result, "no-db")
    assert (violation.importer, violation.imported) == ("shop.api.v1", "shop.db")


def test_external_forbidden_module(run_rules):
    files = {**SHOP, "shop/api/handlers.py": "import os\n\nimport requests\n"}

    result = run_rules(files, forbidden_rule(["shop.api"], ["requests"]), include_external_packages=True)

    [violation] = violations_of(result, "no-db")
    assert (violation.importer, violation.imported) == ("shop.api", "requests")
    [[link]] = violation.chains
    assert (link.importer, link.imported, link.file, link.line_numbers) == (
        "shop.api.handlers",
        "requests",
        "shop/api/handlers.py",
        (3,),
    )


def test_external_forbidden_module_that_is_never_imported(run_rules):
    result = run_rules(SHOP, forbidden_rule(["shop.api"], ["requests"]), include_external_packages=True)

    assert rule_result(result, "no-db").kept


def test_external_forbidden_module_needs_include_external_packages(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, forbidden_rule(["shop.api"], ["requests"]), include_external_packages=False)

    message = str(raised.value)
    assert "include_external_packages" in message and "rule 'no-db'" in message and "requests" in message


def test_subpackage_of_an_external_package_is_a_config_error(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, forbidden_rule(["shop.api"], ["requests.adapters"]), include_external_packages=True)

    assert "requests.adapters" in str(raised.value)


@pytest.mark.parametrize("option", ["source_modules", "forbidden_modules"])
def test_missing_internal_module_is_a_config_error(run_rules, option):
    modules = {"source_modules": ["shop.api"], "forbidden_modules": ["shop.db"]}
    modules[option] = ["shop.nowhere"]

    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, forbidden_rule(modules["source_modules"], modules["forbidden_modules"]))

    assert "shop.nowhere" in str(raised.value) and "rule 'no-db'" in str(raised.value)
