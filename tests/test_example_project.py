"""The bundled example project under resources/example: a small layered shop with broken rules."""

from pathlib import Path

from app.cli import main
from core.check import CheckOptions, check_project

EXAMPLE = Path(__file__).resolve().parent.parent / "resources" / "example"


def test_example_breaks_each_rule_where_it_should():
    result = check_project(EXAMPLE, CheckOptions(use_cache=False))
    pairs = {(v.rule, v.importer, v.imported) for v in result.violations}
    assert pairs == {
        ("layers", "shop.core", "shop.ui"),
        ("layers", "shop.api", "shop.cli"),
        ("adapters-stay-out-of-core", "shop.core", "shop.adapters"),
        ("no-cycles", "shop.api.orders", "shop.api.payments"),
        ("everything-has-a-place", "shop.recommendations", None),
    }
    layers = next(rule for rule in result.rules if rule.id == "layers")
    assert [(i.importer, i.imported, i.file, i.line) for i in layers.ignored] == [
        ("shop.core.legacy.export", "shop.ui.formatting", "shop/core/legacy/export.py", 3)
    ]


def test_example_check_exits_1_with_a_readable_report(capsys):
    assert main(["check", str(EXAMPLE), "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "shop/core/pricing.py:4  shop.core.pricing -> shop.ui.formatting" in out
    assert out.rstrip().endswith("4 rules: 0 kept, 4 broken; 5 violations; 1 ignored import")
