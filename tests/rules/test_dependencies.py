"""`dependencies`: a module may import only itself, what it declares, the standard library and,
when allowed, external packages; each import is judged on its own line."""

from __future__ import annotations

import pytest
from fixtures.projects import check, rule_result, violations_of, write_tree

from core.errors import ConfigError

SHOP = {
    "shop/orders/service.py": "",
    "shop/orders/pricing.py": "",
    "shop/billing/api.py": "",
    "shop/billing/ledger.py": "",
    "shop/catalog/items.py": "",
    "shop/ui/views.py": "",
}


def dependencies_rule(**options) -> dict:
    return {"id": "orders-deps", "type": "dependencies", "module": "shop.orders", **options}


def orders(source: str, **more: str) -> dict[str, str]:
    return {**SHOP, "shop/orders/service.py": source, **more}


def found(result) -> list[tuple]:
    return sorted((v.importer, v.imported, v.line) for v in violations_of(result, "orders-deps"))


def test_declared_modules_their_descendants_itself_and_the_standard_library_are_allowed(run_rules):
    source = """\
        import os.path
        from collections import OrderedDict
        from shop.billing import api
        import shop.billing.ledger
        from shop.catalog.items import x
        from . import pricing
        from shop.orders import pricing as p
        """

    result = run_rules(orders(source), dependencies_rule(may_import=["shop.billing", "shop.catalog"]))

    assert rule_result(result, "orders-deps").kept


def test_an_undeclared_import_is_a_violation_at_each_of_its_lines(run_rules):
    source = "from shop.billing import api\nfrom shop.ui import views\n\n\ndef later():\n    import shop.ui.views\n"

    result = run_rules(orders(source), dependencies_rule(may_import=["shop.billing", "shop.catalog"]))

    [violation] = violations_of(result, "orders-deps")
    assert (violation.importer, violation.imported, violation.file, violation.line) == (
        "shop.orders.service",
        "shop.ui.views",
        "shop/orders/service.py",
        2,
    )
    assert violation.message == "shop.orders.service is not allowed to import shop.ui.views"
    assert violation.detail == (
        "shop.orders may import shop.billing, shop.catalog (with their descendants), itself, the standard "
        "library and no external package"
    )
    [[link]] = violation.chains
    assert link.line_numbers == (2, 6)


def test_external_packages_are_judged_even_when_the_graph_leaves_them_out(run_rules):
    source = "import requests\nfrom yaml import safe_load\nimport json\n\n\ndef f():\n    import requests.adapters\n"

    result = run_rules(orders(source), dependencies_rule(may_import=["yaml"]))

    [violation] = violations_of(result, "orders-deps")
    assert (violation.imported, violation.line, violation.chains[0][0].line_numbers) == ("requests", 1, (1, 7))
    assert violation.chains[0][0].line_contents == ("import requests", "import requests.adapters")
    assert violation.detail.startswith("requests is an external package; shop.orders may import yaml")


@pytest.mark.parametrize("include_external_packages", [False, True])
def test_external_packages_alike_with_and_without_them_in_the_graph(run_rules, include_external_packages):
    source = "import requests\nimport yaml\nimport os\nfrom shop.ui import views\n"

    result = run_rules(
        orders(source),
        dependencies_rule(may_import=["yaml"]),
        include_external_packages=include_external_packages,
    )

    assert found(result) == [("shop.orders.service", "requests", 1), ("shop.orders.service", "shop.ui.views", 4)]


def test_external_true_allows_every_external_package(run_rules):
    result = run_rules(orders("import requests\nimport yaml\n"), dependencies_rule(may_import=[], external=True))

    assert rule_result(result, "orders-deps").kept


def test_type_checking_imports_follow_the_graph_setting(run_rules):
    source = (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import requests\n    from shop.ui import views\n"
    )

    kept = run_rules(orders(source), dependencies_rule(may_import=[]), exclude_type_checking_imports=True)
    broken = run_rules(orders(source), dependencies_rule(may_import=[]))

    assert rule_result(kept, "orders-deps").kept
    assert found(broken) == [("shop.orders.service", "requests", 4), ("shop.orders.service", "shop.ui.views", 5)]


def test_may_not_import_wins_over_may_import(run_rules):
    source = "from shop.billing import api\nfrom shop.billing import ledger\nimport subprocess\n"

    result = run_rules(
        orders(source),
        dependencies_rule(may_import=["shop.billing"], may_not_import=["shop.billing.ledger", "subprocess"]),
    )

    assert found(result) == [
        ("shop.orders.service", "shop.billing.ledger", 2),
        ("shop.orders.service", "subprocess", 3),
    ]
    assert {v.detail for v in violations_of(result, "orders-deps")} == {
        "shop.orders must not import shop.billing.ledger",
        "shop.orders must not import subprocess",
    }


def test_without_may_import_any_module_but_the_forbidden_ones(run_rules):
    source = "from shop.billing import api\nfrom shop.ui import views\nimport requests\n"

    result = run_rules(orders(source), dependencies_rule(may_not_import=["shop.ui"]))

    assert found(result) == [("shop.orders.service", "requests", 3), ("shop.orders.service", "shop.ui.views", 2)]


def test_declared_modules_nest(run_rules):
    """A declared module inside `module` or a `may_import` entry is a unit of its own; imports of
    code outside every declared module are not judged."""
    files = orders(
        "from shop.billing import api\nfrom shop.billing import ledger\nimport shop.misc\n",
        **{
            "shop/orders/pricing.py": "from shop.ui import views\n",
            "shop/misc.py": "",
        },
    )
    rule = dependencies_rule(
        may_import=["shop.billing"],
        declared_modules=["shop.orders", "shop.orders.pricing", "shop.billing", "shop.billing.ledger", "shop.ui"],
    )

    result = run_rules(files, rule)

    # pricing is its own module (not judged here); the ledger is not part of shop.billing; shop.misc
    # belongs to no declared module.
    assert found(result) == [("shop.orders.service", "shop.billing.ledger", 2)]


def test_judged_elsewhere_and_excluded_importers(run_rules):
    files = orders(
        "from shop.ui import views\nfrom shop.catalog import items\n",
        **{"shop/orders/tests/checks.py": "from shop.catalog import items\n"},
    )
    rule = dependencies_rule(may_import=[], judged_elsewhere=["shop.ui"], exclude=["shop.orders.tests"])

    result = run_rules(files, rule)

    assert found(result) == [("shop.orders.service", "shop.catalog.items", 2)]


def test_ignore_imports_hides_an_import(run_rules):
    rule = dependencies_rule(may_import=[], ignore_imports=["shop.orders.service -> shop.ui.views"])

    result = run_rules(orders("from shop.ui import views\n"), rule)

    assert rule_result(result, "orders-deps").kept
    assert [(i.importer, i.imported) for i in rule_result(result, "orders-deps").ignored] == [
        ("shop.orders.service", "shop.ui.views")
    ]


def test_fingerprints_rest_on_names_not_lines(run_rules):
    first = run_rules(orders("from shop.ui import views\n"), dependencies_rule(may_import=[]))
    moved = run_rules(orders("import os\n\nfrom shop.ui import (\n    views,\n)\n"), dependencies_rule(may_import=[]))

    [before], [after] = violations_of(first, "orders-deps"), violations_of(moved, "orders-deps")
    assert before.line == 1 and after.line == 3 and before.fingerprint == after.fingerprint


@pytest.mark.parametrize(
    ("options", "message", "option"),
    [
        ({"module": "shop.nowhere"}, "module 'shop.nowhere' does not exist", "module"),
        ({"may_import": ["shop.nowhere"]}, "module 'shop.nowhere' does not exist", "may_import"),
        (
            {"may_import": ["requests.adapters"]},
            "'requests.adapters': name external packages by their top-level name",
            "may_import",
        ),
        ({"declared_modules": ["shop.nowhere"]}, "module 'shop.nowhere' does not exist", "declared_modules"),
    ],
)
def test_configuration_errors_name_the_rule_and_option(run_rules, options, message, option):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, dependencies_rule(**options))

    assert raised.value.message == message
    assert raised.value.place.endswith(f"rule 'orders-deps', option '{option}'")


def test_module_must_be_a_plain_name(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, dependencies_rule(module="shop.*"))

    assert "'module' must be a module name, without wildcards" in raised.value.message


def test_exact_reports_each_declared_entry_no_import_reaches(run_rules, tmp_path):
    files = orders(
        "from shop.billing import api\nimport yaml\n\n\ndef later():\n    from shop.catalog import items\n",
        **{"shop/orders/pricing.py": "from shop.orders import service\n"},
    )
    rule = dependencies_rule(
        may_import=["shop.billing", "shop.catalog", "shop.ui", "yaml", "requests", "shop.orders"], exact=True
    )

    result = run_rules(files, rule)

    # A function-level import uses its entry; importing itself does not use a declared entry.
    unused = sorted((v.message, v.file, v.line) for v in violations_of(result, "orders-deps"))
    config_lines = (tmp_path / "strataview.toml").read_text().splitlines()
    line = next(number for number, text in enumerate(config_lines, 1) if text.startswith("may_import"))
    assert unused == [
        ("shop.orders declares a dependency on requests that none of its imports needs", "strataview.toml", line),
        ("shop.orders declares a dependency on shop.orders that none of its imports needs", "strataview.toml", line),
        ("shop.orders declares a dependency on shop.ui that none of its imports needs", "strataview.toml", line),
    ]
    [violation] = [v for v in violations_of(result, "orders-deps") if "on shop.ui " in v.message]
    assert violation.detail == (
        "remove shop.ui from the dependencies of shop.orders: none of its imports needs the declaration"
    )
    assert (violation.importer, violation.imported, violation.chains) == ("shop.orders", None, ())


def test_exact_counts_only_judged_imports_of_the_entry_itself(run_rules):
    """Imports from excluded code do not use an entry; a declared module nested in an entry is a
    unit of its own, so importing it does not use the entry; a wildcard entry is used by any of
    its modules."""
    files = orders(
        "from shop.billing import ledger\nfrom shop.catalog import items\n",
        **{"shop/orders/tests/checks.py": "from shop.ui import views\n"},
    )
    rule = dependencies_rule(
        may_import=["shop.billing", "shop.billing.ledger", "shop.ui", "shop.*"],
        declared_modules=["shop.orders", "shop.billing", "shop.billing.ledger", "shop.catalog", "shop.ui"],
        exclude=["shop.orders.tests"],
        exact=True,
    )

    result = run_rules(files, rule)

    assert sorted(v.message for v in violations_of(result, "orders-deps")) == [
        "shop.orders declares a dependency on shop.billing that none of its imports needs",
        "shop.orders declares a dependency on shop.ui that none of its imports needs",
    ]


def test_exact_entries_name_declarations_another_tool_wrote(run_rules):
    files = orders("from shop.billing import api\nfrom shop.catalog import items\n")
    rule = dependencies_rule(
        may_import=["shop.billing", "shop.catalog"],
        exact=True,
        exact_entries={"shop.b*": ["shop.billing"], "shop.gone": [], "shop.util": []},
    )

    result = run_rules(files, rule)

    assert sorted(v.message for v in violations_of(result, "orders-deps")) == [
        "shop.orders declares a dependency on shop.gone that none of its imports needs",
        "shop.orders declares a dependency on shop.util that none of its imports needs",
    ]


def test_without_exact_unused_entries_are_fine(run_rules):
    result = run_rules(orders(""), dependencies_rule(may_import=["shop.billing"]))

    assert rule_result(result, "orders-deps").kept


def test_exact_entries_need_exact(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, dependencies_rule(may_import=[], exact_entries={"x": []}))

    assert "'exact_entries' is only read with exact = true" in raised.value.message


def test_an_unused_entry_is_placed_at_its_line_not_at_a_comment_naming_it(tmp_path):
    config = """\
        root_packages = ["shop"]

        [[rules]]
        id = "orders-deps"
        type = "dependencies"
        module = "shop.orders"
        exact = true
        may_import = [
            # "shop.ui" was dropped once
            "shop.billing",  # not "shop.ui"
            "shop.ui",
        ]
        """
    write_tree(tmp_path, {**SHOP, "strataview.toml": config})

    result = check(tmp_path)

    assert sorted((v.message, v.file, v.line) for v in violations_of(result, "orders-deps")) == [
        ("shop.orders declares a dependency on shop.billing that none of its imports needs", "strataview.toml", 10),
        ("shop.orders declares a dependency on shop.ui that none of its imports needs", "strataview.toml", 11),
    ]
