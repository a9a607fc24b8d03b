"""The order of the dependency structure matrix."""

from core.architecture import LayerBand
from core.matrix import matrix_order


def band(rule: str, index: int, *modules: str) -> LayerBand:
    return LayerBand(rule=rule, index=index, modules=modules, independent=True)


SHOP = [band("layers", 0, "shop.ui"), band("layers", 1, "shop.api", "shop.cli"), band("layers", 2, "shop.core")]


def test_highest_layer_first_then_what_no_layer_holds():
    nodes = ["shop.core", "shop.adapters", "shop.ui", "shop.cli", "shop.api", "shop.zeta"]
    order = matrix_order(nodes, SHOP, [])
    assert order.nodes == ("shop.ui", "shop.api", "shop.cli", "shop.core", "shop.adapters", "shop.zeta")
    assert order.rules == ("layers",)
    assert order.ranks["shop.cli"] == (1,) and order.ranks["shop.adapters"] == (None,)


def test_modules_of_an_expanded_package_stay_together_in_its_layer():
    nodes = ["shop.ui", "shop.api", "shop.cli", "shop.core.b", "shop.core.a", "shop.core", "shop.adapters"]
    order = matrix_order(nodes, SHOP, [])
    # The package's own module comes before its children.
    assert order.nodes == (
        "shop.ui", "shop.api", "shop.cli", "shop.core", "shop.core.a", "shop.core.b", "shop.adapters"
    )
    assert order.ranks["shop.core.b"] == (2,)


def test_siblings_of_one_layer_put_importers_first_and_cycles_by_name():
    nodes = ["shop.core.a", "shop.core.b", "shop.core.c", "shop.core.d", "shop.x", "shop.y"]
    imports = [
        ("shop.core.a", "shop.core.d"),  # d is imported, so it goes after a
        ("shop.core.c", "shop.core.b"),  # b and c form a cycle: by name
        ("shop.core.b", "shop.core.c"),
        ("shop.core.d", "shop.core.b"),
        ("shop.x", "shop.y"),
        ("shop.y", "shop.core.a"),  # different ranks: the layers decide, not the import
    ]
    order = matrix_order(nodes, SHOP, imports)
    assert order.nodes == ("shop.core.a", "shop.core.d", "shop.core.b", "shop.core.c", "shop.x", "shop.y")
    reversed_imports = [("shop.y", "shop.x")]
    assert matrix_order(nodes, SHOP, reversed_imports).nodes[-2:] == ("shop.y", "shop.x")


def test_a_finer_rule_refines_a_coarser_one_and_a_selected_rule_orders_alone():
    bands = [
        band("core-layers", 0, "core.reports", "core.architecture"),
        band("core-layers", 1, "core.check"),
        band("core-layers", 2, "core.model"),
        band("app-layers", 0, "app.cli"),
        band("app-layers", 1, "app.gui"),
        band("app-layers", 2, "core"),
    ]
    nodes = ["core.model", "core.check", "core.reports", "core.architecture", "core.extra", "app.gui", "app.cli"]
    everything = matrix_order(nodes, bands, [])
    # app-layers holds the root packages, so it decides first, although it is declared second.
    assert everything.rules == ("app-layers", "core-layers")
    assert everything.nodes == (
        "app.cli", "app.gui", "core.architecture", "core.reports", "core.check", "core.model", "core.extra"
    )
    assert everything.ranks["core.check"] == (2, 1)
    only_core = matrix_order(nodes, bands, [], rule="core-layers")
    assert only_core.rules == ("core-layers",)
    assert only_core.nodes[:4] == ("core.architecture", "core.reports", "core.check", "core.model")
    # core's modules stay together: the one outside core's layers still comes before app.
    assert only_core.nodes[4:] == ("core.extra", "app.cli", "app.gui")
    # A rule that is not a layers rule orders by every layers rule.
    assert matrix_order(nodes, bands, [], rule="no-cycles").nodes == everything.nodes


def test_without_layers_the_order_is_by_imports_then_name():
    order = matrix_order(["b", "a", "c"], [], [("c", "a")])
    assert order.nodes == ("b", "c", "a")
    assert order.rules == () and order.ranks["a"] == ()
