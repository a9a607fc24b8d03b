"""`interface`: outside a boundary, only its public modules and the names they re-export (or the
names `expose` matches) may be imported, judged name by name from the importing statement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from baseline.conftest import private_cache, private_temp  # noqa: F401 (fixtures)
from baseline.history import History
from fixtures.projects import check, rule_result, violations_of, write_project, write_tree

from core.errors import ConfigError
from core.reports import REPORT_FORMATS

BILLING = {
    "shop/billing/__init__.py": """\
        from shop.billing.api import charge, refund
        from shop.billing.ledger import Ledger
        from .facade import settle, audit


        def helper():
            pass
        """,
    "shop/billing/api.py": "from shop.billing.ledger import Ledger\n\n\ndef charge(): pass\n\n\ndef refund(): pass\n",
    "shop/billing/facade.py": "from .api import charge as settle\nfrom .ledger import audit\n",
    "shop/billing/ledger.py": "class Ledger: pass\n\n\ndef audit(): pass\n",
    "shop/billing/contracts/money.py": "class Money: pass\n",
    "shop/orders/service.py": "",
}


def interface_rule(**options) -> dict:
    return {"id": "billing-surface", "type": "interface", "boundary": "shop.billing", **options}


def public_rule(**options) -> dict:
    return interface_rule(public=["shop.billing.api", "shop.billing.contracts"], **options)


def with_orders(source: str) -> dict[str, str]:
    return {**BILLING, "shop/orders/service.py": source}


def found(result, rule_id: str = "billing-surface") -> list[tuple]:
    return sorted((v.importer, v.imported, v.line) for v in violations_of(result, rule_id))


def test_public_modules_their_descendants_and_the_boundary_itself_may_be_imported(run_rules):
    source = """\
        import shop.billing
        import shop.billing.api
        from shop.billing import api
        from shop.billing.api import charge
        from shop.billing.contracts.money import Money
        from shop import billing
        """

    result = run_rules(with_orders(source), public_rule())

    assert rule_result(result, "billing-surface").kept


def test_internal_modules_may_not_be_imported_from_outside(run_rules):
    source = "import shop.billing.ledger\nfrom shop.billing.ledger import Ledger\nfrom shop.billing import ledger\n"

    result = run_rules(with_orders(source), public_rule())

    module, name = sorted(violations_of(result, "billing-surface"), key=lambda v: v.line)
    # The module itself (imported twice) and the name Ledger taken from it are each a violation,
    # with the lines that import them.
    assert (module.importer, module.imported, name.imported) == (
        "shop.orders.service",
        "shop.billing.ledger",
        "shop.billing.ledger",
    )
    assert [link.line_numbers for [link] in (module.chains[0], name.chains[0])] == [(1, 3), (2,)]
    assert module.message == "shop.orders.service imports shop.billing.ledger from inside shop.billing"
    assert name.message == "shop.orders.service imports shop.billing.ledger.Ledger from inside shop.billing"
    assert module.detail.startswith("shop.billing.ledger is internal to shop.billing; outside shop.billing only")


def test_names_are_judged_by_the_module_they_come_from(run_rules):
    source = "from shop.billing import charge, Ledger\nfrom shop.billing.ledger import Ledger as Raw\n"

    result = run_rules(with_orders(source), public_rule())

    assert found(result) == [
        ("shop.orders.service", "shop.billing", 1),
        ("shop.orders.service", "shop.billing.ledger", 2),
    ]
    reexported = next(v for v in violations_of(result, "billing-surface") if v.imported == "shop.billing")
    assert reexported.message == "shop.orders.service imports shop.billing.Ledger from inside shop.billing"
    assert reexported.file == "shop/orders/service.py" and reexported.line == 1
    assert reexported.detail == (
        "shop.billing re-exports 'Ledger' from shop.billing.ledger, which is internal to shop.billing; outside "
        "shop.billing only shop.billing.api, shop.billing.contracts (and the names they re-export) may be imported"
    )


def test_re_exports_are_followed_through_the_boundary(run_rules):
    """`settle` is `charge` from the public api, through facade; `audit` comes from the ledger."""
    result = run_rules(with_orders("from shop.billing import settle\nfrom shop.billing import audit\n"), public_rule())

    [violation] = violations_of(result, "billing-surface")
    assert violation.line == 2
    assert violation.detail.startswith("shop.billing re-exports 'audit' from shop.billing.ledger")


def test_a_name_the_package_defines_itself_is_not_public(run_rules):
    result = run_rules(with_orders("from shop.billing import helper\n"), public_rule())

    [violation] = violations_of(result, "billing-surface")
    assert violation.detail.startswith("shop.billing defines 'helper' itself")


def test_a_name_the_package_does_not_have_is_not_public(run_rules):
    result = run_rules(with_orders("from shop.billing import missing\n"), public_rule())

    [violation] = violations_of(result, "billing-surface")
    assert violation.detail.startswith("shop.billing does not take 'missing' from a public module")


def test_star_re_exports_from_a_public_module_are_public(run_rules):
    files = {
        **with_orders("from shop.billing import refund, Ledger\n"),
        "shop/billing/__init__.py": "from .api import *\n",
    }

    result = run_rules(files, public_rule())

    # refund comes with the star import from the public api; so does Ledger, which api imports.
    assert rule_result(result, "billing-surface").kept


def test_relative_imports_and_multi_line_statements_are_read(run_rules):
    files = {
        **BILLING,
        "shop/orders/service.py": "from ..billing import (\n    charge,\n    Ledger,\n)\n",
    }

    result = run_rules(files, public_rule())

    [violation] = violations_of(result, "billing-surface")
    assert (violation.imported, violation.line) == ("shop.billing", 1)
    assert violation.chains[0][0].line_contents == ("from ..billing import (",)


def test_one_statement_importing_a_public_submodule_and_an_internal_name(run_rules):
    result = run_rules(with_orders("from shop.billing import api, Ledger\n"), public_rule())

    assert found(result) == [("shop.orders.service", "shop.billing", 1)]


def test_modules_inside_the_boundary_and_allowed_importers_may_reach_inside(run_rules):
    files = {
        **with_orders("from shop.billing.ledger import Ledger\n"),
        "shop/admin/tools/repair.py": "from shop.billing.ledger import Ledger\n",
    }

    result = run_rules(files, public_rule(allowed_importers=["shop.admin"]))

    assert found(result) == [("shop.orders.service", "shop.billing.ledger", 1)]


def test_expose_matches_whole_names_relative_to_the_boundary(run_rules):
    source = """\
        from shop.billing import charge
        from shop.billing import refund
        from shop.billing.api import charge as c
        import shop.billing.api
        from shop.billing.ledger import audit
        """

    result = run_rules(with_orders(source), interface_rule(expose=["charg", "refund", "api\\..*"]))

    # "charg" does not match "charge"; "api\..*" matches names in api but not the module api itself.
    assert found(result) == [
        ("shop.orders.service", "shop.billing", 1),
        ("shop.orders.service", "shop.billing.api", 4),
        ("shop.orders.service", "shop.billing.ledger", 5),
    ]
    first = next(v for v in violations_of(result, "billing-surface") if v.line == 1)
    assert first.detail == (
        "shop.billing.charge is not exposed; outside shop.billing only the names of shop.billing matching "
        "'charg', 'refund', 'api\\..*' may be imported"
    )


EXPOSE_TO = """\
root_packages = ["shop"]

[[rules]]
id = "billing-surface"
type = "interface"
boundary = "shop.billing"
{general}

[[rules.expose_to]]
importers = ["shop.admin"]
expose = ["ledger\\\\..*"]
exclusive = {exclusive}
"""


def write_exposure_project(root: Path, *, general: str, exclusive: bool) -> None:
    write_tree(
        root,
        {
            **BILLING,
            "shop/orders/service.py": "from shop.billing import charge\nfrom shop.billing.ledger import audit\n",
            "shop/admin/panel.py": "from shop.billing import charge\nfrom shop.billing.ledger import audit\n",
        },
    )
    (root / "strataview.toml").write_text(
        EXPOSE_TO.format(general=general, exclusive="true" if exclusive else "false"), encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("general", "exclusive", "expected"),
    [
        # The importers an entry names use its surface as well as the general one.
        ('expose = ["charge"]', False, [("shop.orders.service", 2)]),
        # Exclusive: only their own surface.
        ('expose = ["charge"]', True, [("shop.admin.panel", 1), ("shop.orders.service", 2)]),
        # Without a general surface, the importers no entry names are not restricted (tach's model).
        ("", False, [("shop.admin.panel", 1)]),
    ],
)
def test_surfaces_for_particular_importers(tmp_path, general, exclusive, expected):
    write_exposure_project(tmp_path, general=general, exclusive=exclusive)

    result = check(tmp_path)

    assert sorted((v.importer, v.line) for v in violations_of(result, "billing-surface")) == expected


def test_declared_modules_nest(run_rules):
    """A declared module inside the boundary is outside it; code outside every declared module is not judged."""
    files = {
        **BILLING,
        "shop/billing/ledger.py": "from shop.billing.api import charge\nclass Ledger: pass\n\n\ndef audit(): pass\n",
        "shop/orders/service.py": "from shop.billing.ledger import Ledger\nfrom shop.billing.facade import settle\n",
        "shop/main.py": "from shop.billing.facade import settle\n",
    }
    rule = interface_rule(expose=["charge"], declared_modules=["shop.billing", "shop.billing.ledger", "shop.orders"])

    result = run_rules(files, rule)

    # The ledger imports its former parent's api (now outside it); orders reaches the facade.
    assert found(result) == [
        ("shop.billing.ledger", "shop.billing.api", 1),
        ("shop.orders.service", "shop.billing.facade", 2),
    ]


def test_the_violations_carry_file_line_and_detail_in_the_json_report(run_rules):
    result = run_rules(with_orders("import json\n\nfrom shop.billing import Ledger\n"), public_rule())

    [violation] = json.loads(REPORT_FORMATS["json"].render(result))["violations"]
    assert (violation["file"], violation["line"]) == ("shop/orders/service.py", 3)
    assert "internal to shop.billing" in violation["detail"] and "may be imported" in violation["detail"]


def test_fingerprints_rest_on_names_not_lines(run_rules):
    first = run_rules(with_orders("from shop.billing import Ledger\n"), public_rule())
    moved = run_rules(with_orders("import os\n\n\nfrom shop.billing import (\n    Ledger,\n)\n"), public_rule())

    [before], [after] = violations_of(first, "billing-surface"), violations_of(moved, "billing-surface")
    assert before.line != after.line and before.fingerprint == after.fingerprint


@pytest.mark.usefixtures("private_cache", "private_temp")
def test_at_a_git_baseline_the_statements_are_read_from_the_revision(tmp_path):
    history = History(tmp_path / "shop")
    write_project(history.root, with_orders("from shop.billing import Ledger\n"), [public_rule()])
    base = history.commit("Orders take the ledger")
    history.write({"shop/orders/service.py": "import os\n\n\nfrom shop.billing import Ledger\n"})

    [violation] = violations_of(check(history.root, baseline=base), "billing-surface")
    assert (violation.line, violation.status) == (4, "existing")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"boundary": "shop.nowhere", "expose": ["x"]}, "module 'shop.nowhere' does not exist"),
        ({"public": ["shop.orders"]}, "public module 'shop.orders' is not inside the boundary 'shop.billing'"),
        ({"public": ["shop.billing.missing"]}, "module 'shop.billing.missing' does not exist"),
    ],
)
def test_configuration_errors_at_check_time_name_the_rule_and_option(run_rules, options, message):
    with pytest.raises(ConfigError) as raised:
        run_rules(BILLING, interface_rule(**options))

    assert raised.value.message == message
    assert raised.value.file.endswith("strataview.toml") and "rule 'billing-surface'" in raised.value.place


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "an interface needs 'public', 'expose' or 'expose_to'"),
        ({"boundary": "shop.*", "expose": ["x"]}, "the boundary must be a module name, without wildcards"),
        ({"expose": ["api\\.(("]}, "is not a valid regular expression"),
    ],
)
def test_invalid_options_are_configuration_errors(run_rules, options, message):
    with pytest.raises(ConfigError) as raised:
        run_rules(BILLING, interface_rule(**options))

    assert message in raised.value.message
