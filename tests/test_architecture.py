"""The dependency map the architecture view and the matrix draw from."""

from pathlib import Path

import pytest

from core.architecture import DependencyMap
from core.check import Analysis, CheckOptions, run_analysis

EXAMPLE = Path(__file__).resolve().parent.parent / "resources" / "example"


@pytest.fixture(scope="module")
def dependency_map() -> DependencyMap:
    analysis = [event for event in run_analysis(EXAMPLE, CheckOptions(use_cache=False))][-1]
    assert isinstance(analysis, Analysis)
    return DependencyMap(analysis)


def test_layers_become_bands_in_declared_order(dependency_map):
    bands = [(band.rule, band.index, band.modules, band.independent) for band in dependency_map.bands]
    assert bands == [
        ("layers", 0, ("shop.ui",), True),
        ("layers", 1, ("shop.api", "shop.cli"), True),
        ("layers", 2, ("shop.core",), True),
    ]


def test_dependencies_between_expanded_packages_count_and_mark_imports(dependency_map):
    deps = {(d.importer, d.imported): d for d in dependency_map.dependencies({"shop"})}
    core_to_ui = deps[("shop.core", "shop.ui")]
    # pricing -> ui.formatting breaks the layers; legacy.export -> ui.formatting is ignored.
    assert (core_to_ui.imports, core_to_ui.illegal_imports, core_to_ui.ignored_imports) == (2, 1, 1)
    assert core_to_ui.rules == ("layers",)
    ui_to_api = deps[("shop.ui", "shop.api")]
    assert (ui_to_api.illegal, ui_to_api.imports) == (False, 1)
    assert deps[("shop.core", "shop.adapters")].rules == ("adapters-stay-out-of-core",)
    assert ("shop", "shop") not in deps and all("." in a for a, _ in deps)


def test_expanding_a_package_shows_its_modules_and_cycles(dependency_map):
    deps = {(d.importer, d.imported): d for d in dependency_map.dependencies({"shop", "shop.api"})}
    assert deps[("shop.api.orders", "shop.api.payments")].cycle_imports == 1
    assert deps[("shop.api.payments", "shop.api.orders")].cycle_imports == 1
    assert ("shop.api.orders", "shop.cli") in deps
    assert dependency_map.children("shop.api") == [
        "shop.api.catalogue", "shop.api.orders", "shop.api.payments"
    ]


def test_collapsed_root_has_no_dependencies_and_uncovered_modules_are_known(dependency_map):
    assert dependency_map.dependencies() == []
    assert dependency_map.uncovered == {"shop.recommendations"}
    assert dependency_map.imports_between("shop.core", "shop.ui") == [
        ("shop.core.legacy.export", "shop.ui.formatting", 1),
        ("shop.core.pricing", "shop.ui.formatting", 1),
    ]
    assert dependency_map.ignored_between("shop.core", "shop.ui") == [
        ("shop.core.legacy.export", "shop.ui.formatting", ("layers",))
    ]
    assert dependency_map.module_count("shop.core") == 6
