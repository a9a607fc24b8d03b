"""The import graph is always the analysed project's own, read from its files, never executed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import app as strataview_app
import core as strataview_core
from core.check import CheckOptions, check_project
from core.errors import AnalysedCodeError
from core.graph import build_project_graph, default_cache_dir
from fixtures.projects import write_project, write_tree

STRATAVIEW_ROOT = Path(strataview_core.__file__).resolve().parent.parent


def test_root_packages_named_like_strataviews_own_are_the_projects(tmp_path):
    """`core` and `app` are imported in this very process; grimp's default finder would
    return Strataview's own packages for them."""
    assert sys.modules["core"] is strataview_core and sys.modules["app"] is strataview_app
    write_tree(
        tmp_path,
        {
            "core/engine.py": "import app.main\n",
            "core/models.py": "from core import engine\n",
            "app/main.py": "VALUE = 1\n",
        },
    )
    project = build_project_graph(tmp_path, ["core", "app"])
    assert project.graph.modules == {"core", "core.engine", "core.models", "app", "app.main"}
    assert project.graph.direct_import_exists(importer="core.engine", imported="app.main")
    assert project.package_dirs == {"core": (tmp_path / "core",), "app": (tmp_path / "app",)}
    assert project.file_of("core.engine") == "core/engine.py"
    assert project.file_of("core.check") is None


def test_strataviews_own_packages_are_never_analysed_in_place_of_a_missing_one(tmp_path):
    """With no `core` in the project, Strataview's `core` (importable here) must not stand in."""
    assert (STRATAVIEW_ROOT / "core" / "graph.py").is_file()
    write_tree(tmp_path, {"app/main.py": "VALUE = 1\n"})
    with pytest.raises(AnalysedCodeError, match="root package 'core' cannot be found"):
        build_project_graph(tmp_path, ["core", "app"])


def test_a_src_layout_is_found_without_installing_the_project(tmp_path):
    write_tree(tmp_path, {"src/shop/api/orders.py": "from shop.core import prices\n", "src/shop/core/prices.py": ""})
    project = build_project_graph(tmp_path, ["shop"])
    assert project.graph.modules == {"shop", "shop.api", "shop.api.orders", "shop.core", "shop.core.prices"}
    assert project.file_of("shop.api.orders") == "src/shop/api/orders.py"
    assert project.file_of("shop") == "src/shop/__init__.py"


def test_analysed_code_is_parsed_never_executed(tmp_path):
    marker = tmp_path / "executed.txt"
    write_project(
        tmp_path,
        {
            "shop/__init__.py": f"open({str(marker)!r}, 'w').write('ran')\nraise SystemExit(3)\n",
            "shop/boom.py": f"import shop\nopen({str(marker)!r}, 'w').write('ran')\nraise RuntimeError('imported!')\n",
            "shop/other.py": "import shop.boom\n",
        },
        [{"id": "independent", "type": "independence", "modules": ["shop.boom", "shop.other"]}],
    )
    result = check_project(tmp_path, CheckOptions(use_cache=False))
    assert not marker.exists()
    assert "shop.boom" not in sys.modules and "shop" not in sys.modules
    assert [(v.importer, v.imported) for v in result.violations] == [("shop.other", "shop.boom")]


def test_external_packages_and_type_checking_imports_follow_the_options(tmp_path):
    write_tree(
        tmp_path,
        {
            "shop/api.py": (
                "import json\n"
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from shop import models\n"
            ),
            "shop/models.py": "",
        },
    )
    plain = build_project_graph(tmp_path, ["shop"])
    assert "json" not in plain.graph.modules
    assert plain.graph.direct_import_exists(importer="shop.api", imported="shop.models")

    external = build_project_graph(tmp_path, ["shop"], include_external_packages=True)
    assert "json" in external.graph.modules
    assert external.graph.direct_import_exists(importer="shop.api", imported="json")

    typed = build_project_graph(tmp_path, ["shop"], exclude_type_checking_imports=True)
    assert not typed.graph.direct_import_exists(importer="shop.api", imported="shop.models")


def test_graphs_of_other_settings_never_hide_a_change_from_the_cache(tmp_path):
    """grimp's file times are per package whatever the settings: each combination keeps its own."""
    write_tree(tmp_path, {"shop/api.py": "import json\n", "shop/models.py": ""})
    cache = tmp_path / "cache"
    build_project_graph(tmp_path, ["shop"], cache_dir=cache)
    (tmp_path / "shop" / "api.py").write_text("import json\nfrom shop import models\n")
    os.utime(tmp_path / "shop" / "api.py", (1, 1))  # a changed time, however coarse the clock
    external = build_project_graph(tmp_path, ["shop"], include_external_packages=True, cache_dir=cache)
    assert external.graph.direct_import_exists(importer="shop.api", imported="shop.models")

    plain = build_project_graph(tmp_path, ["shop"], cache_dir=cache)

    assert plain.graph.direct_import_exists(importer="shop.api", imported="shop.models")


def test_the_cache_lives_in_the_users_cache_dir_keyed_by_project(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first, second = tmp_path / "one" / "shop", tmp_path / "two" / "shop"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    assert default_cache_dir(first).parent == tmp_path / "cache" / "strataview" / "grimp"
    assert default_cache_dir(first) != default_cache_dir(second)
    assert default_cache_dir(first).name.startswith("shop-")
    assert default_cache_dir(first) == default_cache_dir(first / ".." / "shop")


@pytest.mark.parametrize(
    ("files", "root_packages", "file", "place", "message"),
    [
        ({"shop/a.py": "def broken(:\n    pass\n"}, ["shop"], "shop/a.py", "line 1", "syntax error: def broken(:"),
        ({"shop/a.py": b"x = 1\nname = '\xe9t\xe9'\n"}, ["shop"], "shop/a.py", "line 2", "file is not UTF-8"),
        ({"shop/a.py": ""}, ["shop", "missing"], "strataview.toml", "root_packages",
         "root package 'missing' cannot be found"),
        ({"shop/a.py": "", "empty/data.txt": "not python"}, ["shop", "empty"], "strataview.toml", "root_packages",
         "root package 'empty' is empty: empty/ holds no Python modules"),
        ({"shop/a.py": "", "single.py": ""}, ["single"], "strataview.toml", "root_packages",
         "root package 'single' is a module (single.py), not a package"),
    ],
)
def test_analysed_code_errors_name_file_and_place(tmp_path, files, root_packages, file, place, message):
    for relative, content in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    (tmp_path / "shop" / "__init__.py").write_text("", encoding="utf-8")
    config = tmp_path / "strataview.toml"
    with pytest.raises(AnalysedCodeError) as caught:
        build_project_graph(tmp_path, root_packages, config_file=config if file == "strataview.toml" else None)
    error = caught.value
    assert error.file == (str(config) if file == "strataview.toml" else file)
    assert error.place == place
    assert message in error.message


def test_a_subpackage_of_a_regular_package_is_not_a_root_package(tmp_path):
    (tmp_path / "shop" / "ui").mkdir(parents=True)
    (tmp_path / "shop" / "__init__.py").write_text("")
    (tmp_path / "shop" / "ui" / "__init__.py").write_text("")
    with pytest.raises(AnalysedCodeError, match="'shop.ui' lies inside the package 'shop': list 'shop' instead"):
        build_project_graph(tmp_path, ["shop.ui"])


def test_a_portion_of_a_namespace_package_can_be_a_root_package(tmp_path):
    (tmp_path / "acme" / "billing").mkdir(parents=True)
    (tmp_path / "acme" / "billing" / "__init__.py").write_text("from acme.billing import tax\n")
    (tmp_path / "acme" / "billing" / "tax.py").write_text("")
    project = build_project_graph(tmp_path, ["acme.billing"])
    assert project.graph.modules == {"acme.billing", "acme.billing.tax"}
    assert project.file_of("acme.billing.tax") == "acme/billing/tax.py"


def test_locating_many_modules_at_once_finds_the_same_files_as_one_by_one(tmp_path):
    write_tree(
        tmp_path,
        {
            "src/shop/__init__.py": "",
            "src/shop/a.py": "import shop.b\n",
            "src/shop/b/__init__.py": "",
            "src/shop/b.py": "",  # shadowed by the package, as Python does
            "src/shop/b/c.py": "",
            "src/shop/spaced/d.py": "import shop.a\n",
            "src/shop/not-a-package/e.py": "",
        },
    )
    project = build_project_graph(tmp_path, ["shop"])
    one_by_one = build_project_graph(tmp_path, ["shop"])
    modules = sorted(project.graph.modules)
    project.locate(modules)
    assert {m: project.file_of(m) for m in modules} == {m: one_by_one.file_of(m) for m in modules}
    assert project.file_of("shop.b") == "src/shop/b/__init__.py"
