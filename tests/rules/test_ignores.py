"""`ignore_imports` (with `*` and `**`) and `unmatched_ignore_imports_alerting`, for every rule type."""

from __future__ import annotations

import pytest

from core.errors import ConfigError
from core.model import IgnoredImport
from fixtures.projects import rule_result, violations_of

SHOP = {
    "shop/ui/views.py": "",
    "shop/core/models.py": '"""Models."""\nfrom shop.ui import views\n',
    "shop/core/legacy/old.py": "import shop.ui.views\n\nfrom shop.ui.views import render\n",
}
LAYERS = {"id": "layers", "type": "layers", "layers": ["shop.ui", "shop.core"]}


def with_ignores(rule: dict, *expressions: str, **options) -> dict:
    return {**rule, "ignore_imports": list(expressions), **options}


def test_ignored_import_no_longer_breaks_the_rule_and_is_listed(run_rules):
    rule = with_ignores(LAYERS, "shop.core.models -> shop.ui.views", "shop.core.legacy.old -> shop.ui.views")

    result = run_rules(SHOP, rule)

    layers = rule_result(result, "layers")
    assert layers.kept
    assert layers.ignored == (
        IgnoredImport(
            importer="shop.core.legacy.old",
            imported="shop.ui.views",
            file="shop/core/legacy/old.py",
            line=1,
            line_contents="import shop.ui.views",
            expression="shop.core.legacy.old -> shop.ui.views",
        ),
        IgnoredImport(
            importer="shop.core.legacy.old",
            imported="shop.ui.views",
            file="shop/core/legacy/old.py",
            line=3,
            line_contents="from shop.ui.views import render",
            expression="shop.core.legacy.old -> shop.ui.views",
        ),
        IgnoredImport(
            importer="shop.core.models",
            imported="shop.ui.views",
            file="shop/core/models.py",
            line=2,
            line_contents="from shop.ui import views",
            expression="shop.core.models -> shop.ui.views",
        ),
    )
    assert layers.unmatched_ignores == ()


def test_only_the_ignored_import_is_left_out(run_rules):
    result = run_rules(SHOP, with_ignores(LAYERS, "shop.core.models -> shop.ui.views"))

    [violation] = violations_of(result, "layers")
    assert [chain[0].importer for chain in violation.chains] == ["shop.core.legacy.old"]
    assert [ignored.importer for ignored in rule_result(result, "layers").ignored] == ["shop.core.models"]


def test_single_wildcard_matches_one_level(run_rules):
    result = run_rules(SHOP, with_ignores(LAYERS, "shop.core.* -> shop.ui.views"))

    layers = rule_result(result, "layers")
    assert {ignored.importer for ignored in layers.ignored} == {"shop.core.models"}
    [violation] = violations_of(result, "layers")
    assert [chain[0].importer for chain in violation.chains] == ["shop.core.legacy.old"]


def test_recursive_wildcard_matches_any_depth_on_both_sides(run_rules):
    result = run_rules(SHOP, with_ignores(LAYERS, "shop.core.** -> shop.ui.**"))

    layers = rule_result(result, "layers")
    assert layers.kept
    assert sorted({(i.importer, i.imported) for i in layers.ignored}) == [
        ("shop.core.legacy.old", "shop.ui.views"),
        ("shop.core.models", "shop.ui.views"),
    ]
    assert {i.expression for i in layers.ignored} == {"shop.core.** -> shop.ui.**"}


def test_ignoring_a_direct_import_leaves_the_indirect_chains(run_rules):
    files = {
        "shop/ui/views.py": "",
        "shop/core/models.py": "import shop.helpers.text\nimport shop.ui.views\n",
        "shop/helpers/text.py": "import shop.ui.views\n",
    }

    result = run_rules(files, with_ignores(LAYERS, "shop.core.models -> shop.ui.views"))

    [violation] = violations_of(result, "layers")
    assert [[(link.importer, link.imported) for link in chain] for chain in violation.chains] == [
        [("shop.core.models", "shop.helpers.text"), ("shop.helpers.text", "shop.ui.views")]
    ]


UNMATCHED = "shop.ui.views -> shop.core.models"


def test_unmatched_expression_breaks_the_rule_by_default(run_rules):
    rule = with_ignores(LAYERS, "shop.core.** -> shop.ui.views", UNMATCHED)

    result = run_rules(SHOP, rule)

    layers = rule_result(result, "layers")
    assert not layers.kept and layers.violations == 1
    assert layers.unmatched_ignores == (UNMATCHED,)
    [violation] = violations_of(result, "layers")
    assert UNMATCHED in violation.message and violation.rule == "layers"


def test_unmatched_expression_alerting_error(run_rules):
    rule = with_ignores(LAYERS, "shop.core.** -> shop.ui.views", UNMATCHED, unmatched_ignore_imports_alerting="error")

    result = run_rules(SHOP, rule)

    assert not rule_result(result, "layers").kept
    assert not result.kept


def test_unmatched_expression_alerting_warn_keeps_the_rule_with_a_warning(run_rules):
    rule = with_ignores(LAYERS, "shop.core.** -> shop.ui.views", UNMATCHED, unmatched_ignore_imports_alerting="warn")

    result = run_rules(SHOP, rule)

    layers = rule_result(result, "layers")
    assert layers.kept and layers.violations == 0
    assert layers.unmatched_ignores == (UNMATCHED,)
    [warning] = layers.warnings
    assert UNMATCHED in warning


def test_unmatched_expression_alerting_none_keeps_the_rule_silently(run_rules):
    rule = with_ignores(LAYERS, "shop.core.** -> shop.ui.views", UNMATCHED, unmatched_ignore_imports_alerting="none")

    result = run_rules(SHOP, rule)

    layers = rule_result(result, "layers")
    assert layers.kept and layers.warnings == ()
    assert layers.unmatched_ignores == (UNMATCHED,)


def test_unmatched_wildcard_expression_is_reported_too(run_rules):
    rule = with_ignores(LAYERS, "shop.core.** -> shop.ui.views", "shop.*.legacy -> shop.**")

    result = run_rules(SHOP, rule)

    assert rule_result(result, "layers").unmatched_ignores == ("shop.*.legacy -> shop.**",)


def test_ignores_belong_to_their_own_rule(run_rules):
    ignoring = with_ignores(LAYERS, "shop.core.** -> shop.ui.views")
    strict = {**LAYERS, "id": "strict"}

    result = run_rules(SHOP, ignoring, strict)

    assert rule_result(result, "layers").kept
    assert not rule_result(result, "strict").kept
    assert rule_result(result, "strict").ignored == ()


# Each rule type, broken by imports in BREAKING_FILES, with the expressions that hide them.
BREAKING_RULES = {
    "layers": (LAYERS, ["shop.core.models -> shop.ui.*"]),
    "forbidden": (
        {"type": "forbidden", "source_modules": ["shop.core"], "forbidden_modules": ["shop.ui"]},
        ["shop.core.models -> shop.ui.*"],
    ),
    "independence": (
        {"type": "independence", "modules": ["shop.core", "shop.ui"]},
        ["shop.core.models -> shop.ui.*", "shop.ui.views -> shop.core.*"],
    ),
    "protected": (
        {"type": "protected", "protected_modules": ["shop.ui"], "allowed_importers": ["shop.api"]},
        ["shop.core.** -> shop.ui.*"],
    ),
    "acyclic_siblings": ({"type": "acyclic_siblings", "ancestors": ["shop"]}, ["shop.ui.views -> shop.core.models"]),
    "private_modules": ({"type": "private_modules"}, ["shop.core.models -> shop.ui._widgets"]),
    "acyclic": ({"type": "acyclic", "packages": ["shop"]}, ["shop.core.models -> shop.ui.views"]),
}
BREAKING_FILES = {
    "shop/api/handlers.py": "",
    "shop/ui/views.py": "import shop.core.models\nfrom shop.ui import _widgets\n",
    "shop/ui/_widgets.py": "",
    "shop/core/models.py": "from shop.ui import views\nfrom shop.ui import _widgets\n",
}


@pytest.mark.parametrize("rule_type", sorted(BREAKING_RULES))
def test_every_rule_type_honours_ignore_imports(run_rules, rule_type):
    options, expressions = BREAKING_RULES[rule_type]
    rule = {**options, "id": "rule"}

    broken = run_rules(BREAKING_FILES, rule)
    ignoring = run_rules(BREAKING_FILES, with_ignores(rule, *expressions))

    assert not rule_result(broken, "rule").kept
    result = rule_result(ignoring, "rule")
    assert result.kept, violations_of(ignoring, "rule")
    assert {ignored.expression for ignored in result.ignored} == set(expressions)
    assert all(ignored.file and ignored.line for ignored in result.ignored)


@pytest.mark.parametrize(
    "expression",
    ["shop.core.models", "shop.core.models -> ", "shop.**.* -> shop.ui", "shop.core -> shop.u*"],
)
def test_malformed_expression_is_a_config_error(run_rules, expression):
    with pytest.raises(ConfigError) as raised:
        run_rules(SHOP, with_ignores(LAYERS, expression))

    assert "rule 'layers'" in str(raised.value) and "ignore_imports" in str(raised.value)
