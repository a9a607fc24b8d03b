"""`coverage`: every module under the given packages must have a place in the declared architecture."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from fixtures.projects import rule_result, violations_of

SHOP = {
    "shop/ui/views.py": "",
    "shop/api/handlers.py": "",
    "shop/core/models.py": "",
    "shop/core/pricing/rules.py": "",
}
LAYERS = {"id": "layers", "type": "layers", "layers": ["shop.ui", "shop.api", "shop.core"]}


def coverage_rule(packages: list[str] | None = None, **options) -> dict:
    return {"id": "coverage", "type": "coverage", "packages": packages or ["shop"], **options}


def uncovered(result) -> list[str]:
    return [violation.importer for violation in violations_of(result, "coverage")]


def test_modules_inside_layers_and_their_container_are_covered(run_rules):
    result = run_rules(SHOP, LAYERS, coverage_rule())

    assert rule_result(result, "coverage").kept
    assert uncovered(result) == []


def test_module_outside_every_layer_is_a_violation(run_rules):
    files = {**SHOP, "shop/generated/helpers.py": "", "shop/stray.py": ""}

    result = run_rules(files, LAYERS, coverage_rule())

    assert not rule_result(result, "coverage").kept
    assert uncovered(result) == ["shop.generated", "shop.generated.helpers", "shop.stray"]
    violation = violations_of(result, "coverage")[-1]
    assert violation.type == "coverage"
    assert violation.imported is None
    assert "shop.stray" in violation.message and "outside the declared architecture" in violation.message


def test_only_modules_under_the_given_packages_are_checked(run_rules):
    files = {**SHOP, "shop/generated/helpers.py": "", "shop/api/stray/thing.py": ""}
    layers = {**LAYERS, "layers": ["shop.ui", "shop.core"]}

    result = run_rules(files, layers, coverage_rule(["shop.api"]))

    assert uncovered(result) == ["shop.api", "shop.api.handlers", "shop.api.stray", "shop.api.stray.thing"]


@pytest.mark.parametrize(
    "placing_rule",
    [
        {"type": "forbidden", "source_modules": ["shop.generated"], "forbidden_modules": ["shop.ui"]},
        {"type": "forbidden", "source_modules": ["shop.ui"], "forbidden_modules": ["shop.generated"]},
        {"type": "independence", "modules": ["shop.generated", "shop.ui"]},
        {"type": "protected", "protected_modules": ["shop.generated"], "allowed_importers": ["shop.api"]},
        {"type": "protected", "protected_modules": ["shop.ui"], "allowed_importers": ["shop.generated"]},
    ],
    ids=["forbidden-source", "forbidden-target", "independence", "protected", "allowed-importer"],
)
def test_modules_named_by_other_rules_are_covered(run_rules, placing_rule):
    files = {**SHOP, "shop/generated/helpers.py": "", "shop/stray.py": ""}

    result = run_rules(files, LAYERS, {"id": "placing", **placing_rule}, coverage_rule())

    assert uncovered(result) == ["shop.stray"]


def test_wildcards_in_other_rules_place_what_they_match(run_rules):
    files = {**SHOP, "shop/plugins/a/main.py": "", "shop/plugins/b/main.py": "", "shop/stray.py": ""}
    independence = {"id": "plugins", "type": "independence", "modules": ["shop.plugins.*"]}

    result = run_rules(files, LAYERS, independence, coverage_rule())

    assert uncovered(result) == ["shop.stray"]


def test_layers_inside_containers_cover_their_modules_and_the_containers(run_rules):
    files = {
        "shop/orders/ui.py": "",
        "shop/orders/domain/models.py": "",
        "shop/billing/ui.py": "",
        "shop/billing/domain.py": "",
        "shop/billing/stray.py": "",
    }
    layers = {"id": "layers", "type": "layers", "layers": ["ui", "domain"], "containers": ["shop.*"]}

    result = run_rules(files, layers, coverage_rule())

    assert uncovered(result) == ["shop.billing.stray"]


def test_rule_types_that_name_no_modules_place_nothing(run_rules):
    files = {**SHOP, "shop/stray/a.py": ""}
    siblings = {"id": "siblings", "type": "acyclic_siblings", "ancestors": ["shop.stray"]}
    acyclic = {"id": "no-cycles", "type": "acyclic", "packages": ["shop.stray"]}

    result = run_rules(files, LAYERS, siblings, acyclic, coverage_rule())

    assert uncovered(result) == ["shop.stray", "shop.stray.a"]


def test_exclude_exempts_modules_and_their_descendants(run_rules):
    files = {**SHOP, "shop/generated/helpers.py": "", "shop/stray.py": "", "shop/conftest.py": ""}

    result = run_rules(files, LAYERS, coverage_rule(exclude=["shop.generated", "shop.conftest"]))

    assert uncovered(result) == ["shop.stray"]


def test_exclude_with_wildcards(run_rules):
    files = {**SHOP, "shop/migrations/m0001.py": "", "shop/migrations/old/m0000.py": "", "shop/stray.py": ""}

    result = run_rules(files, LAYERS, coverage_rule(exclude=["*.migrations"]))

    assert uncovered(result) == ["shop.stray"]


def test_exclude_naming_a_missing_module_is_a_config_error(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, LAYERS, coverage_rule(exclude=["shop.nowhere"]))

    assert "shop.nowhere" in str(raised.value) and "rule 'coverage'" in str(raised.value)


def test_missing_package_is_a_config_error(run_rules):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, LAYERS, coverage_rule(["shop.nowhere"]))

    assert "shop.nowhere" in str(raised.value) and "rule 'coverage'" in str(raised.value)
