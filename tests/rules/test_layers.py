"""`layers`: higher layers may import lower ones, never the reverse."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from fixtures.projects import chains_as_modules, rule_result, violations_of

SHOP = {
    "shop/ui/views.py": "from shop.api import handlers\n",
    "shop/api/handlers.py": "import shop.core.models\n",
    "shop/cli/main.py": "import shop.core.models\n",
    "shop/core/models.py": "VALUE = 1\n",
}


def layers_rule(*layers: str, **options) -> dict:
    return {"id": "layers", "type": "layers", "layers": list(layers), **options}


def test_downward_imports_keep_the_rule(run_rules):
    result = run_rules(SHOP, layers_rule("shop.ui", "shop.api | shop.cli", "shop.core"))

    rule = rule_result(result, "layers")
    assert rule.kept and rule.violations == 0
    assert result.violations == ()


def test_upward_import_breaks_the_rule_at_layer_level(run_rules):
    files = {**SHOP, "shop/core/models.py": "import os\n\nfrom shop.ui import views\n"}

    result = run_rules(files, layers_rule("shop.ui", "shop.api | shop.cli", "shop.core"))

    assert not rule_result(result, "layers").kept
    [violation] = violations_of(result, "layers")
    assert (violation.rule, violation.type) == ("layers", "layers")
    assert (violation.importer, violation.imported) == ("shop.core", "shop.ui")
    assert "shop.core is not allowed to import shop.ui" in violation.message
    [[link]] = violation.chains
    assert (link.importer, link.imported) == ("shop.core.models", "shop.ui.views")
    assert link.line_numbers == (3,)
    assert link.line_contents == ("from shop.ui import views",)
    assert link.file == "shop/core/models.py"


def test_every_direct_illegal_import_is_a_one_link_chain(run_rules):
    files = {
        **SHOP,
        "shop/core/models.py": "from shop.ui import views\nfrom shop.ui.views import render\n",
        "shop/core/rules.py": "import shop.ui\n",
        "shop/core/prices.py": "import shop.api.handlers\n",
    }

    result = run_rules(files, layers_rule("shop.ui", "shop.api | shop.cli", "shop.core"))

    by_pair = {(v.importer, v.imported): v for v in violations_of(result, "layers")}
    assert set(by_pair) == {("shop.core", "shop.ui"), ("shop.core", "shop.api")}
    to_ui = by_pair["shop.core", "shop.ui"]
    assert sorted(chains_as_modules(to_ui)) == [
        ("shop.core.models", "shop.ui.views"),
        ("shop.core.rules", "shop.ui"),
    ]
    models_link = next(chain[0] for chain in to_ui.chains if chain[0].importer == "shop.core.models")
    assert models_link.line_numbers == (1, 2)
    assert models_link.line_contents == ("from shop.ui import views", "from shop.ui.views import render")
    assert chains_as_modules(by_pair["shop.core", "shop.api"]) == [("shop.core.prices", "shop.api.handlers")]


def test_indirect_chain_through_a_module_outside_the_layers(run_rules):
    files = {
        **SHOP,
        "shop/core/models.py": "from shop.helpers import formatting\n",
        "shop/core/prices.py": "\n\nimport shop.helpers.formatting\n",
        "shop/helpers/formatting.py": "from shop.ui.views import render\n",
    }

    result = run_rules(files, layers_rule("shop.ui", "shop.api | shop.cli", "shop.core"))

    [violation] = violations_of(result, "layers")
    assert (violation.importer, violation.imported) == ("shop.core", "shop.ui")
    assert sorted(chains_as_modules(violation)) == [
        ("shop.core.models", "shop.helpers.formatting", "shop.ui.views"),
        ("shop.core.prices", "shop.helpers.formatting", "shop.ui.views"),
    ]
    prices_chain = next(chain for chain in violation.chains if chain[0].importer == "shop.core.prices")
    first, second = prices_chain
    assert (first.file, first.line_numbers, first.line_contents) == (
        "shop/core/prices.py",
        (3,),
        ("import shop.helpers.formatting",),
    )
    assert (second.file, second.line_numbers, second.line_contents) == (
        "shop/helpers/formatting.py",
        (1,),
        ("from shop.ui.views import render",),
    )


def test_independent_siblings_must_not_import_each_other(run_rules):
    files = {**SHOP, "shop/cli/main.py": "import shop.api.handlers\n"}

    result = run_rules(files, layers_rule("shop.ui", "shop.api | shop.cli", "shop.core"))

    [violation] = violations_of(result, "layers")
    assert (violation.importer, violation.imported) == ("shop.cli", "shop.api")
    assert chains_as_modules(violation) == [("shop.cli.main", "shop.api.handlers")]


def test_non_independent_siblings_may_import_each_other(run_rules):
    files = {**SHOP, "shop/cli/main.py": "import shop.api.handlers\n"}

    result = run_rules(files, layers_rule("shop.ui", "shop.api : shop.cli", "shop.core"))

    assert rule_result(result, "layers").kept


def test_non_independent_siblings_still_sit_above_lower_layers(run_rules):
    files = {**SHOP, "shop/core/models.py": "import shop.cli.main\n"}

    result = run_rules(files, layers_rule("shop.ui", "shop.api : shop.cli", "shop.core"))

    [violation] = violations_of(result, "layers")
    assert (violation.importer, violation.imported) == ("shop.core", "shop.cli")


def test_missing_optional_layer_is_allowed(run_rules):
    result = run_rules(SHOP, layers_rule("shop.ui", "(shop.admin)", "shop.api | shop.cli", "shop.core"))

    assert rule_result(result, "layers").kept


def test_optional_layer_that_exists_is_enforced(run_rules):
    files = {**SHOP, "shop/admin/panel.py": "import shop.ui.views\n"}

    result = run_rules(files, layers_rule("shop.ui", "(shop.admin)", "shop.api | shop.cli", "shop.core"))

    [violation] = violations_of(result, "layers")
    assert (violation.importer, violation.imported) == ("shop.admin", "shop.ui")


def test_optional_sibling_inside_a_layer(run_rules):
    result = run_rules(SHOP, layers_rule("shop.ui", "shop.api | shop.cli | (shop.worker)", "shop.core"))

    assert rule_result(result, "layers").kept


def test_missing_required_layer_is_a_config_error_naming_rule_and_module(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, layers_rule("shop.ui", "shop.admin", "shop.core"))

    message = str(raised.value)
    assert "rule 'layers'" in message
    assert "shop.admin" in message
    assert raised.value.file.endswith("strataview.toml")


CONTAINED = {
    "shop/orders/ui.py": "from shop.orders import domain\n",
    "shop/orders/domain.py": "",
    "shop/billing/ui.py": "import shop.billing.domain\n",
    "shop/billing/domain.py": "from shop.orders import ui\n",
}


def test_containers_repeat_the_layers_inside_each_container(run_rules):
    files = {**CONTAINED, "shop/orders/domain.py": "import shop.orders.ui\n"}

    result = run_rules(files, layers_rule("ui", "domain", containers=["shop.orders", "shop.billing"]))

    # billing.domain -> orders.ui crosses containers, which the rule does not speak of.
    [violation] = violations_of(result, "layers")
    assert (violation.importer, violation.imported) == ("shop.orders.domain", "shop.orders.ui")
    assert chains_as_modules(violation) == [("shop.orders.domain", "shop.orders.ui")]
    assert violation.chains[0][0].file == "shop/orders/domain.py"


def test_wildcard_containers(run_rules):
    files = {**CONTAINED, "shop/billing/domain.py": "from shop.billing.ui import x\n"}

    result = run_rules(files, layers_rule("ui", "domain", containers=["shop.*"]))

    [violation] = violations_of(result, "layers")
    assert (violation.importer, violation.imported) == ("shop.billing.domain", "shop.billing.ui")


def test_wildcard_containers_kept(run_rules):
    result = run_rules(CONTAINED, layers_rule("ui", "domain", containers=["shop.*"]))

    assert rule_result(result, "layers").kept


def test_required_layer_missing_from_one_container_is_a_config_error(run_rules):
    files = {**CONTAINED, "shop/returns/ui.py": ""}

    with pytest.raises(ConfigError) as raised:
        run_rules(files, layers_rule("ui", "domain", containers=["shop.*"]))

    assert "rule 'layers'" in str(raised.value)
    assert "shop.returns.domain" in str(raised.value)


def test_optional_layer_missing_from_one_container(run_rules):
    files = {**CONTAINED, "shop/orders/api.py": "import shop.orders.ui\n"}

    result = run_rules(files, layers_rule("(api)", "ui", "domain", containers=["shop.orders", "shop.billing"]))

    assert rule_result(result, "layers").kept


def test_container_outside_the_root_packages_is_a_config_error(run_rules):
    files = {**CONTAINED, "other/ui.py": "", "other/domain.py": ""}

    with pytest.raises(ConfigError) as raised:
        run_rules(files, layers_rule("ui", "domain", containers=["other"]), root_packages=["shop"])

    assert "other" in str(raised.value) and "rule 'layers'" in str(raised.value)


def test_container_that_does_not_exist_is_a_config_error(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(CONTAINED, layers_rule("ui", "domain", containers=["shop.returns"]))

    assert "shop.returns" in str(raised.value) and "rule 'layers'" in str(raised.value)


def test_exhaustive_reports_children_that_are_not_layers(run_rules):
    files = {**CONTAINED, "shop/orders/utils.py": "", "shop/billing/legacy/old.py": ""}

    result = run_rules(files, layers_rule("ui", "domain", containers=["shop.orders", "shop.billing"], exhaustive=True))

    assert not rule_result(result, "layers").kept
    undeclared = sorted(v.importer for v in violations_of(result, "layers"))
    assert undeclared == ["shop.billing.legacy", "shop.orders.utils"]
    assert all("not listed as a layer" in v.message for v in violations_of(result, "layers"))


def test_exhaustive_is_kept_when_every_child_is_a_layer(run_rules):
    result = run_rules(CONTAINED, layers_rule("ui", "domain", containers=["shop.*"], exhaustive=True))

    assert rule_result(result, "layers").kept


def test_exhaustive_ignores_exempt_children(run_rules):
    files = {**CONTAINED, "shop/orders/utils.py": "", "shop/billing/legacy/old.py": ""}

    result = run_rules(
        files,
        layers_rule(
            "ui", "domain", containers=["shop.orders", "shop.billing"], exhaustive=True, exhaustive_ignores=["utils"]
        ),
    )

    assert [v.importer for v in violations_of(result, "layers")] == ["shop.billing.legacy"]


def test_exhaustive_without_containers_is_a_config_error(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, layers_rule("shop.ui", "shop.core", exhaustive=True))

    assert "exhaustive" in str(raised.value) and "rule 'layers'" in str(raised.value)


@pytest.mark.parametrize(
    ("layers", "complaint"),
    [
        (["shop.ui | shop.api : shop.cli", "shop.core"], "mixes"),
        (["shop.ui", "shop.ui"], "more than one layer"),
        (["shop.api | shop.api", "shop.core"], "repeated"),
        (["shop", "shop.core"], "cannot contain"),
    ],
)
def test_malformed_layers_are_config_errors(run_rules, layers, complaint):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, layers_rule(*layers))

    assert complaint in str(raised.value) and "rule 'layers'" in str(raised.value)
