"""`acyclic`: no import cycle among the modules of the given packages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import ConfigError
from fixtures.projects import chain_modules, check, rule_result, violations_of, write_tree

ACYCLIC = {"id": "no-cycles", "type": "acyclic", "packages": ["shop"]}


def imports(*modules: str) -> str:
    return "".join(f"import {module}\n" for module in modules)


def test_acyclic_package_keeps_the_rule(run_rules):
    files = {"shop/a.py": imports("shop.b"), "shop/b.py": imports("shop.c"), "shop/c.py": ""}

    result = run_rules(files, ACYCLIC)

    assert rule_result(result, "no-cycles").kept


def test_self_import_is_not_a_cycle(run_rules):
    result = run_rules({"shop/a.py": "import shop.a\n"}, ACYCLIC)

    assert rule_result(result, "no-cycles").kept


def test_cycle_is_reported_with_its_import_lines_and_the_lighter_import_as_cut(run_rules):
    files = {
        "shop/orders/models.py": "import shop.billing.invoices\n\nfrom shop.billing.invoices import Invoice\n",
        "shop/billing/invoices.py": '"""Invoices."""\nfrom shop.orders.models import Order\n',
    }

    result = run_rules(files, ACYCLIC)

    assert not rule_result(result, "no-cycles").kept
    [violation] = violations_of(result, "no-cycles")
    assert violation.type == "acyclic"
    assert (violation.importer, violation.imported) == ("shop.billing.invoices", "shop.orders.models")
    assert "suggested cut: shop.billing.invoices -> shop.orders.models" in violation.message
    [chain] = violation.chains
    assert chain_modules(chain) == ("shop.billing.invoices", "shop.orders.models", "shop.billing.invoices")
    back, forth = chain
    assert (back.file, back.line_numbers, back.line_contents) == (
        "shop/billing/invoices.py",
        (2,),
        ("from shop.orders.models import Order",),
    )
    assert (forth.file, forth.line_numbers, forth.line_contents) == (
        "shop/orders/models.py",
        (1, 3),
        ("import shop.billing.invoices", "from shop.billing.invoices import Invoice"),
    )


def test_between_equal_imports_the_cut_is_made_by_the_module_first_by_name(run_rules):
    files = {"shop/orders.py": imports("shop.payments"), "shop/payments.py": imports("shop.orders")}

    [violation] = violations_of(run_rules(files, ACYCLIC), "no-cycles")

    assert (violation.importer, violation.imported) == ("shop.orders", "shop.payments")


# Three cycles of the same length, all closed by shop.d -> shop.a.
FAN = {
    "shop/a.py": imports("shop.b", "shop.c", "shop.e"),
    "shop/b.py": imports("shop.d"),
    "shop/c.py": imports("shop.d"),
    "shop/e.py": imports("shop.d"),
    "shop/d.py": imports("shop.a"),
}


def test_one_cut_is_suggested_where_one_import_closes_several_cycles(run_rules):
    result = run_rules(FAN, ACYCLIC)

    [violation] = violations_of(result, "no-cycles")
    assert (violation.importer, violation.imported) == ("shop.d", "shop.a")
    [chain] = violation.chains
    modules = chain_modules(chain)
    assert modules[:2] == ("shop.d", "shop.a") and modules[-1] == "shop.d" and len(modules) == 4


def test_two_separate_cycles_are_two_violations(run_rules):
    files = {
        "shop/orders/a.py": imports("shop.orders.b"),
        "shop/orders/b.py": imports("shop.orders.a"),
        "shop/billing/x.py": imports("shop.billing.y"),
        "shop/billing/y.py": imports("shop.billing.z"),
        "shop/billing/z.py": imports("shop.billing.x"),
    }

    result = run_rules(files, ACYCLIC)

    assert rule_result(result, "no-cycles").violations == 2
    cycles = [set(chain_modules(v.chains[0])) for v in violations_of(result, "no-cycles")]
    assert sorted(cycles, key=len) == [
        {"shop.orders.a", "shop.orders.b"},
        {"shop.billing.x", "shop.billing.y", "shop.billing.z"},
    ]


TANGLE = {
    "shop/a.py": imports("shop.b", "shop.c"),
    "shop/b.py": imports("shop.c", "shop.d", "shop.a"),
    "shop/c.py": imports("shop.a", "shop.e"),
    "shop/d.py": imports("shop.b", "shop.e", "shop.f"),
    "shop/e.py": imports("shop.f", "shop.c"),
    "shop/f.py": imports("shop.d", "shop.a"),
    "shop/g.py": imports("shop.a"),
}


def test_each_reported_cycle_is_real_and_closed_by_its_cut(run_rules):
    result = run_rules(TANGLE, ACYCLIC)

    violations = violations_of(result, "no-cycles")
    assert violations
    cuts = {(v.importer, v.imported) for v in violations}
    for violation in violations:
        [chain] = violation.chains
        modules = chain_modules(chain)
        assert modules[0] == modules[-1] == violation.importer
        assert modules[1] == violation.imported
        for link in chain:
            assert f"import {link.imported}" in TANGLE[link.file]
            assert link.line_contents == (f"import {link.imported}",)
        assert sum((link.importer, link.imported) in cuts for link in chain) == 1


def test_the_suggested_cuts_together_make_the_package_acyclic(tmp_path, run_rules):
    result = run_rules(TANGLE, ACYCLIC)
    cuts = {(v.importer, v.imported) for v in violations_of(result, "no-cycles")}
    assert len(cuts) >= 2

    write_tree(tmp_path, {
        path: "".join(
            line + "\n"
            for line in source.splitlines()
            if (path[:-3].replace("/", "."), line.removeprefix("import ")) not in cuts
        )
        for path, source in TANGLE.items()
    })

    assert rule_result(check(tmp_path), "no-cycles").kept


def test_cycles_through_modules_outside_the_packages_do_not_count(run_rules):
    files = {"shop/orders/a.py": imports("shop.billing.b"), "shop/billing/b.py": imports("shop.orders.a")}

    only_orders = run_rules(files, {**ACYCLIC, "packages": ["shop.orders"]})
    both = run_rules(files, {**ACYCLIC, "packages": ["shop.orders", "shop.billing"]})

    assert rule_result(only_orders, "no-cycles").kept
    [violation] = violations_of(both, "no-cycles")
    assert {violation.importer, violation.imported} == {"shop.orders.a", "shop.billing.b"}


def test_missing_package_is_a_config_error(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules({"shop/a.py": ""}, {**ACYCLIC, "packages": ["shop.nowhere"]})

    assert "shop.nowhere" in str(raised.value) and "rule 'no-cycles'" in str(raised.value)


@pytest.mark.parametrize("files", [FAN, TANGLE], ids=["fan", "tangle"])
def test_same_code_gives_the_same_cycles_and_cuts_whatever_the_hash_seed(tmp_path, run_rules, files):
    run_rules(files, ACYCLIC)
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from core.check import CheckOptions, check_project\n"
        "result = check_project(Path(sys.argv[1]), CheckOptions(use_cache=False))\n"
        "print(json.dumps([[v.fingerprint, v.message] for v in result.violations]))\n"
    )
    outputs = []
    for seed in ("1", "2", "3"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        completed = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path)],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
        )
        outputs.append(json.loads(completed.stdout))

    assert outputs[0] and outputs[0] == outputs[1] == outputs[2]
