"""`external`: the project imports only the third-party distributions its manifest declares, each
import judged at its line; modules may be restricted further; unused declarations are reported
when asked. The distributions are real ones installed here (PyYAML provides `yaml`, attrs
provides `attr` and `attrs`, Jinja2 `jinja2`, Pygments `pygments`, networkx, idna)."""

from __future__ import annotations

import os

import pytest
from baseline.history import History
from fixtures.projects import check, rule_result, violations_of, write_project

from core.check import CheckOptions, check_project
from core.errors import ConfigError

PYPROJECT = """\
    [project]
    name = "shop"
    version = "1.0"
    dependencies = [
        "PyYAML>=6",
        "attrs[tests]; python_version >= '3.8'",
        "Jinja2 @ https://example.invalid/Jinja2-3.1.6-py3-none-any.whl",
        "python_dateutil",
        "idna",
    ]

    [project.optional-dependencies]
    graphs = ["networkx"]
    """


def external_rule(**options) -> dict:
    return {"id": "third-party", "type": "external", **options}


def shop(source: str, **more: str) -> dict[str, str]:
    return {"pyproject.toml": PYPROJECT, "shop/orders/service.py": source, "shop/billing/api.py": "", **more}


def found(result) -> list[tuple]:
    return sorted((v.importer, v.imported, v.line) for v in violations_of(result, "third-party") if v.imported)


def test_declared_distributions_the_standard_library_and_the_projects_own_code_are_allowed(run_rules):
    source = """\
        import os.path
        import yaml
        from attr import define
        import attrs
        from jinja2 import Template
        import dateutil.parser
        import typing_extensions
        from shop.billing import api
        from . import pricing
        import tools.seed
        """

    result = run_rules(shop(source, **{"tools/seed.py": ""}), external_rule(), root_packages=["shop"])

    # Names differing from their distribution's come from the installed metadata; names compare
    # normalised (python_dateutil is python-dateutil); typing's backport needs no declaration, as
    # in tach; `tools` is a package in the source root, the project's own though not analysed.
    assert rule_result(result, "third-party").kept


def test_an_undeclared_distribution_is_a_violation_at_each_of_its_lines(run_rules):
    source = "import networkx\nimport yaml\n\n\ndef later():\n    from networkx import DiGraph\n"

    result = run_rules(shop(source), external_rule(), root_packages=["shop"])

    [violation] = violations_of(result, "third-party")
    assert (violation.importer, violation.imported, violation.file, violation.line) == (
        "shop.orders.service",
        "networkx",
        "shop/orders/service.py",
        1,
    )
    assert violation.message == "shop.orders.service is not allowed to import networkx"
    assert violation.detail == (
        "pyproject.toml does not declare networkx, the distribution providing networkx; declare it, or list it "
        "in ignore_distributions"
    )
    [[link]] = violation.chains
    assert (link.line_numbers, link.line_contents) == ((1, 6), ("import networkx", "from networkx import DiGraph"))


def test_the_distribution_is_named_as_its_project_writes_it(run_rules):
    files = shop("import pygments\n", **{"pyproject.toml": '[project]\nname = "shop"\ndependencies = []\n'})

    result = run_rules(files, external_rule(), root_packages=["shop"])

    [violation] = violations_of(result, "third-party")
    assert violation.detail.startswith("pyproject.toml does not declare Pygments, the distribution providing pygments")


def test_optional_dependencies_count_only_when_asked(run_rules):
    source = "import networkx\n"

    strict = run_rules(shop(source), external_rule(), root_packages=["shop"])
    lenient = run_rules(shop(source), external_rule(optional_dependencies=True), root_packages=["shop"])

    assert found(strict) == [("shop.orders.service", "networkx", 1)]
    assert rule_result(lenient, "third-party").kept


def test_provided_by_names_the_distribution_of_an_import_name(run_rules):
    files = shop("import PIL.Image\nimport yaml\n", **{"pyproject.toml": '[project]\ndependencies = ["Pillow"]\n'})

    unknown = run_rules(files, external_rule(), root_packages=["shop"])
    renamed = run_rules(files, external_rule(provided_by={"PIL": "pillow", "yaml": "pillow"}), root_packages=["shop"])

    # Without metadata, an import name is its own distribution's name.
    assert found(unknown) == [("shop.orders.service", "PIL", 1), ("shop.orders.service", "yaml", 2)]
    assert rule_result(renamed, "third-party").kept


def test_type_checking_imports_follow_the_graph_setting(run_rules):
    source = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import networkx\n"

    kept = run_rules(shop(source), external_rule(), root_packages=["shop"], exclude_type_checking_imports=True)
    broken = run_rules(shop(source), external_rule(), root_packages=["shop"])

    assert rule_result(kept, "third-party").kept
    assert found(broken) == [("shop.orders.service", "networkx", 4)]


def test_restrictions_narrow_what_modules_may_import_by_import_name(run_rules):
    files = shop(
        "import yaml\nimport attr\n",
        **{
            "shop/orders/pricing/rates.py": "import yaml\nimport jinja2\n",
            "shop/billing/api.py": "import attr\nimport yaml\n",
        },
    )
    rule = external_rule(
        restrictions=[
            {"module": "shop.orders", "may_import": ["yaml"]},
            {"module": "shop.orders.pricing", "may_import": ["yaml", "jinja2"]},
            {"module": "shop.billing", "may_not_import": ["attr"]},
        ]
    )

    result = run_rules(files, rule, root_packages=["shop"])

    # Code belongs to the nearest restricted module: pricing's own list applies to its modules.
    assert found(result) == [("shop.billing.api", "attr", 1), ("shop.orders.service", "attr", 2)]
    details = {v.imported + "@" + v.importer: v.detail for v in violations_of(result, "third-party")}
    assert details == {
        "attr@shop.billing.api": "shop.billing must not import attr",
        "attr@shop.orders.service": "shop.orders may import yaml (by import name), not attr",
    }


def test_an_undeclared_distribution_is_reported_once_whatever_the_restrictions(run_rules):
    rule = external_rule(restrictions=[{"module": "shop.orders", "may_import": []}])

    result = run_rules(shop("import networkx\n"), rule, root_packages=["shop"])

    [violation] = violations_of(result, "third-party")
    assert violation.detail.startswith("pyproject.toml does not declare networkx")


@pytest.mark.parametrize("unused", ["error", "warn", "off"])
def test_unused_declared_distributions(run_rules, unused):
    result = run_rules(shop("import yaml\nimport attrs\n"), external_rule(unused=unused), root_packages=["shop"])

    messages = [
        "idna is declared in pyproject.toml but never imported",
        "Jinja2 is declared in pyproject.toml but never imported",
        "python_dateutil is declared in pyproject.toml but never imported",
    ]
    rule = rule_result(result, "third-party")
    if unused == "error":
        violations = violations_of(result, "third-party")
        assert [v.message for v in violations] == messages
        assert [(v.file, v.line) for v in violations] == [
            ("pyproject.toml", 9),
            ("pyproject.toml", 7),
            ("pyproject.toml", 8),
        ]
        assert violations[1].detail == "no judged import uses Jinja2 (it provides jinja2); remove it"
    else:
        assert rule.kept
        assert list(rule.warnings) == (messages if unused == "warn" else [])


def test_ignored_distributions_are_neither_judged_nor_unused(run_rules):
    rule = external_rule(ignore_distributions=["NetworkX", "jinja2", "idna", "python-dateutil"], unused="error")

    result = run_rules(shop("import networkx\nimport yaml\nimport attr\n"), rule, root_packages=["shop"])

    assert rule_result(result, "third-party").kept


def test_poetry_dependencies_when_the_project_table_declares_none(run_rules):
    pyproject = """\
        [tool.poetry]
        name = "shop"

        [tool.poetry.dependencies]
        python = "^3.11"
        PyYAML = "^6"
        "networkx" = { version = "*", optional = true }
        """
    files = shop("import yaml\nimport networkx\nimport attr\n", **{"pyproject.toml": pyproject})

    result = run_rules(files, external_rule(unused="error"), root_packages=["shop"])

    assert found(result) == [("shop.orders.service", "attr", 3)]


def test_a_requirements_file(run_rules):
    requirements = (
        "# runtime\nPyYAML==6.0.3\n-r more.txt\n--index-url https://example.invalid\n\nidna>=3 ; python_version > '3'\n"
    )
    files = shop("import yaml\nimport attr\n", **{"requirements.txt": requirements})

    result = run_rules(files, external_rule(declared_in="requirements.txt", unused="error"), root_packages=["shop"])

    assert found(result) == [("shop.orders.service", "attr", 2)]
    [unused] = [v for v in violations_of(result, "third-party") if v.imported is None]
    assert (unused.message, unused.file, unused.line) == (
        "idna is declared in requirements.txt but never imported",
        "requirements.txt",
        6,
    )


def test_a_requirements_file_written_with_a_byte_order_mark(run_rules):
    """As pip reads it: the mark some Windows editors write first is no part of the first name."""
    files = shop("import yaml\n", **{"requirements.txt": "\ufeffPyYAML==6.0.3\r\nidna\r\n"})

    result = run_rules(files, external_rule(declared_in="requirements.txt", unused="error"), root_packages=["shop"])

    assert [v.message for v in violations_of(result, "third-party")] == [
        "idna is declared in requirements.txt but never imported"
    ]


def test_nothing_declared(run_rules):
    result = run_rules(shop("import yaml\nimport os\n"), external_rule(declared_in=""), root_packages=["shop"])

    [violation] = violations_of(result, "third-party")
    assert violation.detail.startswith("the project does not declare PyYAML, the distribution providing yaml")


def test_included_files_outside_the_packages_are_judged_and_use_distributions(run_rules):
    files = shop(
        "import yaml\n",
        **{
            "tests/test_orders.py": "import networkx\nfrom . import helpers\nimport shop.orders\n",
            "tests/helpers.py": "import idna\n",
            "manage.py": "import jinja2\nimport pygments\n",
        },
    )
    rule = external_rule(
        include=["tests", "manage"], exclude=["tests.helpers"], unused="error", optional_dependencies=True
    )

    result = run_rules(files, rule, root_packages=["shop"])

    assert found(result) == [("manage", "pygments", 2)]
    # attrs, python_dateutil and idna (imported by excluded code only) go unused; networkx is used by tests.
    assert sorted(v.message.split()[0] for v in violations_of(result, "third-party") if v.imported is None) == [
        "attrs",
        "idna",
        "python_dateutil",
    ]
    [violation] = [v for v in violations_of(result, "third-party") if v.imported]
    assert violation.file == "manage.py"


def test_modules_limit_the_judged_code(run_rules):
    files = shop("import networkx\n", **{"shop/billing/api.py": "import pygments\n"})

    result = run_rules(files, external_rule(modules=["shop.billing"]), root_packages=["shop"])

    assert found(result) == [("shop.billing.api", "pygments", 1)]


def test_sibling_packages_are_imported_as_distributions(run_rules):
    files = shop("import kit.tools\nimport yaml\n", **{"kit/tools.py": ""})

    undeclared = run_rules(files, external_rule(sibling_packages={"kit": "acme-kit"}), root_packages=["shop"])
    own = run_rules(files, external_rule(), root_packages=["shop"])

    [violation] = violations_of(undeclared, "third-party")
    assert (violation.imported, violation.detail.split(",")[0]) == ("kit", "pyproject.toml does not declare acme-kit")
    assert rule_result(own, "third-party").kept


def test_fingerprints_rest_on_names_not_lines(run_rules):
    first = run_rules(shop("import networkx\n"), external_rule(), root_packages=["shop"])
    moved = run_rules(shop("import os\n\n\nimport networkx as nx\n"), external_rule(), root_packages=["shop"])

    [before], [after] = violations_of(first, "third-party"), violations_of(moved, "third-party")
    assert before.line == 1 and after.line == 4 and before.fingerprint == after.fingerprint


@pytest.mark.parametrize(
    ("files", "options", "message", "option"),
    [
        ({}, {"declared_in": "deps.txt"}, "cannot read deps.txt", "declared_in"),
        ({"pyproject.toml": "[project\n"}, {}, "pyproject.toml is not valid TOML", "declared_in"),
        ({}, {"include": ["scripts"]}, "'scripts' is no package or module in the source roots", "include"),
        ({}, {"modules": ["shop.nowhere"]}, "module 'shop.nowhere' does not exist", "modules"),
        (
            {},
            {"restrictions": [{"module": "shop.nowhere", "may_import": []}]},
            "module 'shop.nowhere' does not exist",
            "restrictions",
        ),
    ],
)
def test_configuration_errors_name_the_rule_and_option(run_rules, files, options, message, option):
    with pytest.raises(ConfigError) as raised:
        run_rules({**shop(""), **files}, external_rule(**options), root_packages=["shop"])

    assert raised.value.message.startswith(message)
    assert raised.value.place.endswith(f"rule 'third-party', option '{option}'")


@pytest.mark.parametrize("include_external_packages", [False, True])
def test_imports_alike_with_and_without_external_packages_in_the_graph(run_rules, include_external_packages):
    source = "import yaml\nimport networkx\nimport os\n\n\ndef later():\n    import networkx.algorithms\n"

    result = run_rules(
        shop(source), external_rule(), root_packages=["shop"], include_external_packages=include_external_packages
    )

    [violation] = violations_of(result, "third-party")
    assert (violation.imported, violation.chains[0][0].line_numbers) == ("networkx", (2, 7))


def test_ignore_comments_and_local_imports_leave_imports_unjudged_but_used(run_rules):
    source = """\
        import networkx  # tach-ignore
        import pygments  # tach-ignore(not shipped) pygments
        import jinja2, idna  # tach-ignore jinja2


        def later():
            import dateutil
            import requests
        """
    result = run_rules(
        shop(source),
        external_rule(unused="error"),
        root_packages=["shop"],
        ignore_comments=["tach-ignore"],
        local_imports="none",
    )

    # Nothing undeclared is judged; networkx (not declared) is taken out, idna stays. Jinja2 and
    # python_dateutil are used, though one import goes with a comment and one is inside a function.
    assert [v.message for v in violations_of(result, "third-party")] == [
        "attrs is declared in pyproject.toml but never imported",
        "PyYAML is declared in pyproject.toml but never imported",
    ]


def test_against_a_git_baseline_only_the_new_undeclared_imports_are_new(tmp_path):
    """A module changed since the baseline is read as it was there; the others as they are."""
    history = History(tmp_path)
    config = '[project]\ndependencies = ["PyYAML"]\n[tool.strataview]\nroot_packages = ["shop"]\n'
    config += '[[tool.strataview.rules]]\nid = "third-party"\ntype = "external"\n'
    history.write(
        {
            "pyproject.toml": config,
            "shop/__init__.py": "",
            "shop/orders.py": "import yaml\nimport networkx\n",
            "shop/billing.py": "import pygments\n",
        }
    )
    base = history.commit("the shop")
    history.write({"shop/orders.py": "import yaml\nimport networkx\nimport jinja2\n"})

    result = check(tmp_path, baseline=base)

    statuses = {(v.importer, v.imported): v.status for v in violations_of(result, "third-party")}
    assert statuses == {
        ("shop.billing", "pygments"): "existing",
        ("shop.orders", "networkx"): "existing",
        ("shop.orders", "jinja2"): "new",
    }


def test_included_files_git_ignores_are_left_out_with_respect_gitignore(run_rules, tmp_path):
    files = shop("", **{"scripts/run.py": "import networkx\n", "scripts/build/out.py": "import pygments\n"})
    (tmp_path / ".gitignore").write_text("build/\n")

    result = run_rules(files, external_rule(include=["scripts"]), root_packages=["shop"], respect_gitignore=True)

    assert found(result) == [("scripts.run", "networkx", 1)]


def test_a_directory_without_python_code_is_not_the_projects_own(run_rules, tmp_path):
    (tmp_path / "yaml").mkdir()
    (tmp_path / "yaml" / "samples.txt").write_text("a: 1\n")
    files = shop(
        "import yaml\nimport networkx\n",
        **{"pyproject.toml": "[project]\ndependencies = []\n", "networkx/scripts/draw.py": ""},
    )

    result = run_rules(files, external_rule(), root_packages=["shop"])

    # A package in the source root is the project's own, though not analysed; a data directory is not.
    assert found(result) == [("shop.orders.service", "yaml", 1)]


def test_an_import_added_since_the_last_cached_check_is_judged(tmp_path):
    """The graph with external packages is built from grimp's cache too: a file changed since the
    last check must be read again, though the project's own graph has already seen the change."""
    files = shop("import yaml\n")
    write_project(tmp_path / "p", files, [external_rule()], root_packages=["shop"])
    options = CheckOptions(cache_dir=tmp_path / "cache")
    assert rule_result(check_project(tmp_path / "p", options), "third-party").kept

    service = tmp_path / "p" / "shop" / "orders" / "service.py"
    service.write_text("import yaml\nimport networkx\n")
    os.utime(service, (service.stat().st_atime + 10, service.stat().st_mtime + 10))

    result = check_project(tmp_path / "p", options)

    assert found(result) == [("shop.orders.service", "networkx", 2)]
