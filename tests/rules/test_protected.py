"""`protected`: only the allowed importers may import the protected modules directly."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from fixtures.projects import chains_as_modules, rule_result, violations_of

SHOP = {
    "shop/db/session.py": "",
    "shop/db/models.py": "from shop.db import session\n",
    "shop/repositories/orders.py": "import shop.db.session\n",
    "shop/api/handlers.py": "from shop.repositories import orders\n",
}


def protected_rule(protected: list[str], allowed: list[str], **options) -> dict:
    return {
        "id": "db-access",
        "type": "protected",
        "protected_modules": protected,
        "allowed_importers": allowed,
        **options,
    }


def test_only_allowed_importers_keep_the_rule(run_rules):
    result = run_rules(SHOP, protected_rule(["shop.db"], ["shop.repositories"]))

    assert rule_result(result, "db-access").kept


def test_illegal_importer_breaks_the_rule(run_rules):
    files = {**SHOP, "shop/api/handlers.py": "from shop.repositories import orders\nfrom shop.db.models import Order\n"}

    result = run_rules(files, protected_rule(["shop.db"], ["shop.repositories"]))

    assert not rule_result(result, "db-access").kept
    [violation] = violations_of(result, "db-access")
    assert (violation.importer, violation.imported) == ("shop.api.handlers", "shop.db.models")
    assert violation.type == "protected"
    [[link]] = violation.chains
    assert (link.file, link.line_numbers, link.line_contents) == (
        "shop/api/handlers.py",
        (2,),
        ("from shop.db.models import Order",),
    )


def test_each_illegal_import_is_its_own_violation(run_rules):
    files = {
        **SHOP,
        "shop/api/handlers.py": "import shop.db.models\nimport shop.db.session\n",
        "shop/api/admin.py": "import shop.db\n",
    }

    result = run_rules(files, protected_rule(["shop.db"], ["shop.repositories"]))

    assert sorted((v.importer, v.imported) for v in violations_of(result, "db-access")) == [
        ("shop.api.admin", "shop.db"),
        ("shop.api.handlers", "shop.db.models"),
        ("shop.api.handlers", "shop.db.session"),
    ]
    assert all(len(v.chains) == 1 and len(v.chains[0]) == 1 for v in violations_of(result, "db-access"))


def test_indirect_imports_are_allowed(run_rules):
    # api -> repositories -> db: only direct imports of the protected modules count.
    result = run_rules(SHOP, protected_rule(["shop.db"], ["shop.repositories"]))

    assert violations_of(result, "db-access") == []


def test_allowed_importers_as_packages_include_their_descendants(run_rules):
    files = {**SHOP, "shop/repositories/legacy/old.py": "import shop.db.models\n"}

    result = run_rules(files, protected_rule(["shop.db"], ["shop.repositories"]))

    assert rule_result(result, "db-access").kept


def test_as_packages_false_protects_only_the_named_module(run_rules):
    files = {**SHOP, "shop/api/handlers.py": "import shop.db.models\n"}

    result = run_rules(files, protected_rule(["shop.db"], ["shop.repositories"], as_packages=False))

    assert rule_result(result, "db-access").kept


def test_as_packages_false_allows_only_the_named_importer(run_rules):
    files = {
        **SHOP,
        "shop/repositories/__init__.py": "import shop.db\n",
        "shop/repositories/orders.py": "import shop.db\n",
    }

    result = run_rules(files, protected_rule(["shop.db"], ["shop.repositories"], as_packages=False))

    [violation] = violations_of(result, "db-access")
    assert (violation.importer, violation.imported) == ("shop.repositories.orders", "shop.db")


def test_wildcard_protected_modules(run_rules):
    files = {
        **SHOP,
        "shop/secrets/keys.py": "",
        "shop/api/handlers.py": "import shop.secrets.keys\nimport shop.db.models\n",
    }

    result = run_rules(files, protected_rule(["shop.db", "shop.secrets"], ["shop.repositories"]))
    wildcard = run_rules(files, protected_rule(["shop.*.keys"], ["shop.repositories"]))

    assert sorted(chains_as_modules(v)[0] for v in violations_of(result, "db-access")) == [
        ("shop.api.handlers", "shop.db.models"),
        ("shop.api.handlers", "shop.secrets.keys"),
    ]
    [via_wildcard] = violations_of(wildcard, "db-access")
    assert (via_wildcard.importer, via_wildcard.imported) == ("shop.api.handlers", "shop.secrets.keys")


def test_missing_protected_module_is_a_config_error(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, protected_rule(["shop.vault"], ["shop.repositories"]))

    assert "shop.vault" in str(raised.value) and "rule 'db-access'" in str(raised.value)
