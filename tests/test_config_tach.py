"""tach's configuration (`tach.toml` or `[tool.tach]`), read as tach 0.35 reads it.

tach itself is the oracle for what a configuration says: `tach.extension.parse_project_config`
reads the same file, and every module's declarations, interfaces and settings are compared with
the rules Strataview makes of them. What tach refuses, Strataview refuses, naming the file and
the place.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from fixtures.projects import write_tree
from tach.extension import parse_project_config

from app.cli import main
from core.config import load_config
from core.errors import ConfigError

FIXTURES = Path(__file__).resolve().parent / "differential" / "tach"

TREE = {
    "shop/orders/service.py": "from shop.billing import charge\nfrom shop.billing.ledger import Ledger\n",
    "shop/orders/tests/checks.py": "from shop.billing.ledger import Ledger\n",
    "shop/billing/__init__.py": "from shop.billing.api import charge\n",
    "shop/billing/api.py": "def charge(): pass\n",
    "shop/billing/ledger.py": "class Ledger: pass\n",
    "shop/catalog/items.py": "",
    "shop/ui/views.py": "from shop.orders import service\n",
    "shop/util/text.py": "",
}

TYPICAL = """\
# Module boundaries, kept by the team
exclude = ["**/tests"]
layers = ["ui", { name = "domain", closed = true }, "data"]

[[modules]]
path = "shop.orders"
layer = "domain"
depends_on = [
    "shop.billing",                                   # payments
    { path = "shop.catalog", deprecated = true },
]
cannot_depend_on = ["shop.ui"]

[[modules]]
path   =   "shop.billing"
depends_on = [ ]
visibility = ["shop.orders", "shop.ui*"]

[[modules]]
path = "shop.billing.ledger"
layer = "data"
depends_on = []

[[modules]]
paths = ["shop.ui", "shop.catalog"]
layer = "ui"

[[modules]]
path = "shop.util"
utility = true

[[modules]]
path = "shop.gone"      # no such package: tach warns and skips it
depends_on = []

[[interfaces]]
expose = ["charge", "api\\\\..*"]
from = ["shop\\\\.billing"]

[[interfaces]]
expose = ["ledger\\\\..*"]
from = ["shop.billing"]
visibility = ["shop.orders"]
exclusive = true
"""


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_tree(tmp_path, TREE)
    return tmp_path


def rules_by_id(root: Path, config: Path | None = None) -> dict[str, dict]:
    loaded = load_config(root, config)
    return {rule.id: {**rule.model_dump(exclude_defaults=True), "type": rule.type} for rule in loaded.config.rules}


def load_error(root: Path, config: Path | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as raised:
        load_config(root, config)
    return raised.value


def test_every_declaration_tach_reads_becomes_a_rule(project):
    config = write(project, "tach.toml", TYPICAL)
    tach_config, _ = parse_project_config(config)
    tach_modules = {module.path: module for module in tach_config.all_modules()}

    loaded = load_config(project)
    rules = rules_by_id(project)

    assert loaded.format == "tach" and loaded.file == config
    assert loaded.config.root_packages == ("shop",)
    assert loaded.config.exclude_type_checking_imports  # tach's ignore_type_checking_imports defaults to true
    declared = sorted(path for path in tach_modules if path != "shop.gone")
    orders = rules["shop.orders.depends_on"]
    # What tach read: dependencies as strings and tables, a forbidden one, a utility for all.
    assert [d.path for d in tach_modules["shop.orders"].depends_on] == ["shop.billing", "shop.catalog"]
    assert [d.path for d in tach_modules["shop.orders"].cannot_depend_on] == ["shop.ui"]
    # ... and the rule: deprecated is still allowed; the lower layer needs no declaration; the
    # higher ui layer (where the forbidden shop.ui lies) is the layers rule's to judge.
    assert orders == {
        "id": "shop.orders.depends_on",
        "name": "shop.orders imports only the modules tach.toml declares",
        "type": "dependencies",
        "module": "shop.orders",
        "may_import": ("shop.billing", "shop.billing.ledger", "shop.catalog", "shop.util"),
        "external": True,
        "judged_elsewhere": ("shop.catalog", "shop.ui"),
        "exclude": ("shop.orders.tests",),
        "declared_modules": tuple(declared),
    }
    assert rules["shop.billing.depends_on"]["may_import"] == ("shop.util",)
    assert "shop.ui.depends_on" not in rules and "shop.util.depends_on" not in rules  # no depends_on: anything
    assert "shop.gone.depends_on" not in rules
    assert rules["layers"]["layers"] == ("shop.catalog : shop.ui", "shop.orders", "shop.billing.ledger")
    assert rules["layers.closed.domain"] | {"id": None} == {
        "id": None,
        "name": "tach's closed layer 'domain': the layers above it do not reach below it",
        "type": "forbidden",
        "source_modules": ("shop.catalog", "shop.ui"),
        "forbidden_modules": ("shop.billing.ledger",),
        "allow_indirect_imports": True,
        # The excluded tests inside a layered module are not judged.
        "ignore_imports": ("shop.orders.tests -> **", "shop.orders.tests.** -> **"),
        "unmatched_ignore_imports_alerting": "none",
    }


def test_interfaces_and_visibility_as_tach_reads_them(project):
    config = write(project, "tach.toml", TYPICAL)
    tach_config, _ = parse_project_config(config)
    [general, restricted] = tach_config.all_interfaces()

    rules = rules_by_id(project)

    interface = rules["shop.billing.interface"]
    assert interface["boundary"] == "shop.billing"
    assert interface["expose"] == tuple(sorted(general.expose))
    [exposure] = interface["expose_to"]
    assert (exposure["importers"], exposure["expose"], exposure["exclusive"]) == (
        tuple(restricted.visibility),
        tuple(restricted.expose),
        True,
    )
    assert interface["allowed_importers"] == ("shop.orders.tests",)  # excluded code is not judged
    # `from` is a regular expression matched against whole module paths: not shop.billing.ledger.
    assert "shop.billing.ledger.interface" not in rules
    visibility = rules["shop.billing.visibility"]
    # visibility globs: shop.ui* names shop.ui (any * spans names in tach's visibility).
    assert visibility["protected_modules"] == ("shop.billing",)
    assert set(visibility["allowed_importers"]) == {"shop.orders", "shop.ui", "shop.orders.tests"}
    assert visibility["ignore_imports"] == ("** -> shop.billing.ledger",)  # a nested module is not protected


def test_interfaces_without_from_apply_to_every_module(project):
    write(project, "tach.toml", """\
        [[modules]]
        path = "shop.billing"
        [[modules]]
        path = "shop.catalog"
        [[interfaces]]
        expose = ["api"]
    """)

    rules = rules_by_id(project)

    assert {rules[i]["boundary"] for i in ("shop.billing.interface", "shop.catalog.interface")} == {
        "shop.billing",
        "shop.catalog",
    }


def test_primitive_data_types_become_a_contract_types_rule_with_builtins_only(project):
    write(project, "tach.toml", """\
        [[modules]]
        path = "shop.billing"
        [[interfaces]]
        expose = ["charge", "api\\\\..*", "ledger"]
        from = ["shop.billing"]
        data_types = "primitive"
    """)

    loaded = load_config(project)

    contract = next(rule for rule in loaded.config.rules if rule.id == "shop.billing.data_types")
    assert (contract.type, contract.boundary, contract.allowed) == ("contract_types", "shop.billing", ("builtins",))
    # The boundary itself and its modules whose names are exposed.
    assert contract.interface == ("shop.billing", "shop.billing.api", "shop.billing.ledger")


def test_pyproject_tool_tach_in_a_src_layout(tmp_path):
    write_tree(tmp_path, {f"src/{path}": source for path, source in TREE.items()})
    config = write(tmp_path, "pyproject.toml", """\
        [project]
        name = "shop"

        [tool.tach]
        source_roots = ["src"]
        ignore_type_checking_imports = false

        [[tool.tach.modules]]
        path = "shop.orders"
        depends_on = ["shop.billing"]

        [[tool.tach.modules]]
        path = "shop.billing"
        depends_on = ["shop.nowhere"]
    """)

    loaded = load_config(tmp_path)

    assert (loaded.format, loaded.file) == ("tach", config)
    assert not loaded.config.exclude_type_checking_imports
    assert loaded.rule_lines == {"shop.orders.depends_on": 8, "shop.billing.depends_on": 12}
    billing = next(rule for rule in loaded.config.rules if rule.id == "shop.billing.depends_on")
    assert billing.may_import == ()  # a dependency on a module that does not exist allows nothing


def test_root_module_allow_makes_the_code_outside_every_module_a_module(project):
    write(project, "tach.toml", """\
        root_module = "allow"
        [[modules]]
        path = "<root>"
        depends_on = ["shop.billing"]
        [[modules]]
        path = "shop.billing"
        depends_on = ["<root>"]
        [[modules]]
        path = "shop.orders"
        depends_on = []
    """)

    rules = rules_by_id(project)

    root = rules["<root>.shop.depends_on"]
    assert (root["module"], root["may_import"]) == ("shop", ("shop.billing",))
    assert rules["shop.billing.depends_on"]["may_import"] == ("shop",)
    assert set(root["declared_modules"]) == {"shop", "shop.billing", "shop.orders"}


def test_module_globs_and_later_modules_winning_over_them(project):
    write(project, "tach.toml", """\
        [[modules]]
        path = "shop.*"
        depends_on = ["shop.util"]
        [[modules]]
        path = "shop.orders"
        depends_on = ["shop.billing"]
    """)

    rules = rules_by_id(project)

    assert sorted(rule_id for rule_id, rule in rules.items() if rule["type"] == "dependencies") == [
        f"shop.{name}.depends_on" for name in ("billing", "catalog", "orders", "ui", "util")
    ]
    assert rules["shop.orders.depends_on"]["may_import"] == ("shop.billing",)
    assert rules["shop.catalog.depends_on"]["may_import"] == ("shop.util",)


ACCEPTED_BY_BOTH = [
    'exclude = []\n[[modules]]\npath = "shop.orders"\ndepends_on = []\n',
    '[[modules]]\npath = "shop.orders"\ndepends_on = [{path = "shop.billing"}]\n',
    '[[modules]]\npaths = ["shop.orders", "shop.billing"]\n',
    'layers = [{name = "a"}, "b"]\n[[modules]]\npath = "shop.orders"\nlayer = "a"\n',
    '[[modules]]\npath = "shop.orders"\ndepends_on_external = ["requests"]\nstrict = true\n',
    ('[rules]\nunused_ignore_directives = "off"\n[cache]\nfile_dependencies = ["x"]\n'
    '[external]\nexclude = ["pytest"]\n[[modules]]\npath = "shop.orders"\n'),
    'respect_gitignore = "if_git_repo"\nexact = true\n[[modules]]\npath = "shop.orders"\n',
    # As Windows editors write it: a byte-order mark, and CRLF line ends.
    '\ufeff[[modules]]\r\npath = "shop.orders"\r\ndepends_on = [\r\n    "shop.billing",\r\n]\r\n',
    # A module that does not exist (tach warns), and a layered module inside another.
    '[[modules]]\npath = "shop.nowhere"\n',
    ('layers = ["a", "b"]\n[[modules]]\npath = "shop.orders"\nlayer = "a"\n'
     '[[modules]]\npath = "shop.orders.service"\nlayer = "b"\n'),
]
REFUSED_BY_BOTH = [
    ('bogus = 1\n[[modules]]\npath = "shop.orders"\n', "line 1", "unknown option 'bogus'"),
    ('[[modules]]\npath = "shop.orders"\ncolour = "red"\n', "line 1, [[modules]] #1", "unknown option 'colour'"),
    ('[[modules]]\npath = "shop.orders"\ndepends_on = "shop.billing"\n', "option 'depends_on'",
     "expected a list of module paths (got 'shop.billing')"),
    ('[[modules]]\npath = "shop.orders"\n[[interfaces]]\nexpose = "charge"\n', "line 3, [[interfaces]] #1",
     "expected a list of strings (got 'charge')"),
    ('[[modules]]\npath = "shop.orders"\ndepends_on = [{path = "x", old = true}]\n', "option 'depends_on'",
     "a dependency is a module path or a table"),
    ('layers = [{closed = true}]\n[[modules]]\npath = "shop.orders"\n', "option 'layers'",
     "a layer is a name or a table"),
    ('[[modules]]\npath = "shop.orders"\n[[interfaces]]\nexpose = ["x"]\ndata_types = "exotic"\n',
     "option 'data_types'", "expected \"all\" or \"primitive\""),
    ('[[modules]]\npath = "shop.orders"\nutility = "yes"\n', "option 'utility'", "expected true or false"),
    ('root_module = "sometimes"\n[[modules]]\npath = "shop.orders"\n', "option 'root_module'", "expected one of"),
]


@pytest.mark.parametrize("text", ACCEPTED_BY_BOTH)
def test_what_tach_accepts_is_read(project, text):
    config = write(project, "tach.toml", text)
    parse_project_config(config)

    assert load_config(project).format == "tach"


@pytest.mark.parametrize(("text", "place", "message"), REFUSED_BY_BOTH)
def test_what_tach_refuses_is_an_error_naming_tach_toml_and_the_place(project, text, place, message):
    config = write(project, "tach.toml", text)
    with pytest.raises(ValueError):
        parse_project_config(config)

    error = load_error(project)

    assert error.file == str(config)
    assert place in (error.place or "")
    assert message in error.message


@pytest.mark.parametrize(
    ("text", "place", "message"),
    [
        ('layers = ["ui"]\n[[modules]]\npath = "shop.orders"\nlayer = "domain"\n', "line 2, module 'shop.orders'",
         "layer 'domain' is not defined in 'layers'"),
        (('[[modules]]\npath = "shop.orders"\ndepends_on = ["shop.billing"]\n[[modules]]\npath = "shop.billing"\n'
          'visibility = ["shop.ui"]\n'), "line 1, module 'shop.orders'",
         "'shop.orders' cannot depend on 'shop.billing' because 'shop.orders' does not match its visibility"),
        (('forbid_circular_dependencies = true\n[[modules]]\npath = "shop.orders"\ndepends_on = ["shop.billing"]\n'
          '[[modules]]\npath = "shop.billing"\ndepends_on = ["shop.orders"]\n'), "line 1, option 'forbid_circular",
         "circular dependencies between the modules shop.billing, shop.orders"),
        ('[[modules]]\npath = "shop.orders"\n[[modules]]\npath = "shop.orders"\n', "line 3",
         "module 'shop.orders' is defined more than once"),
        ('root_module = "forbid"\n[[modules]]\npath = "<root>"\n', "line 2, module '<root>'",
         "the root module ('<root>') is forbidden"),
        ('root_module = "dependenciesonly"\n[[modules]]\npath = "shop.orders"\ndepends_on = ["<root>"]\n',
         "module 'shop.orders'", "may not be a dependency"),
        ('source_roots = ["/elsewhere/src"]\n[[modules]]\npath = "shop.orders"\n', "line 1, option 'source_roots'",
         "source root '/elsewhere/src' does not lie within the project root"),
        ('respect_gitignore = "yes"\n[[modules]]\npath = "shop.orders"\n', "line 1, option 'respect_gitignore'",
         'expected true, false or "if_git_repo"'),
        ('[[modules]]\npath = "shop.orders"\n[rules]\nlocal_imports = "never"\n',
         "line 4, [rules], option 'local_imports'", 'expected "error", "warn" or "off"'),
        ('[[modules]]\npath = "shop.orders"\n[[interfaces]]\nexpose = ["(("]\n', "option 'expose'",
         "is not a valid regular expression"),
    ],
)
def test_what_tach_refuses_when_it_checks_is_refused_before_checking(project, text, place, message):
    config = write(project, "tach.toml", text)

    error = load_error(project)

    assert error.file == str(config)
    assert place in (error.place or ""), error.place
    assert message in error.message


def test_a_domain_file_declares_modules_and_interfaces_relative_to_its_package(project):
    write(project, "tach.toml", '[[modules]]\npath = "shop.ui"\ndepends_on = ["shop.billing"]\n')
    write(project / "shop" / "billing", "tach.domain.toml", """\
        [root]
        depends_on = ["ledger", "//shop.util"]

        [[modules]]
        path = "ledger"
        depends_on = ["<root>"]
        visibility = ["<domain_root>"]

        [[interfaces]]
        expose = ["charge"]
        from = ["<domain_root>"]
    """)

    rules = rules_by_id(project)

    assert rules["shop.billing.depends_on"]["may_import"] == ("shop.billing.ledger",)  # shop.util is no module
    visibility = rules["shop.billing.ledger.visibility"]
    assert visibility["protected_modules"] == ("shop.billing.ledger",)
    assert "shop.billing" in visibility["allowed_importers"] and "shop.ui" not in visibility["allowed_importers"]
    assert rules["shop.billing.interface"]["expose"] == ("charge",)


def test_a_mistake_in_a_domain_file_names_that_file(project):
    write(project, "tach.toml", '[[modules]]\npath = "shop.ui"\n')
    domain = write(project / "shop" / "billing", "tach.domain.toml", '[root]\ndepends_on = []\ncolour = "red"\n')

    error = load_error(project)

    assert (error.file, error.place) == (str(domain), "line 1, [root]")
    assert "unknown option 'colour'" in error.message


def test_a_top_level_module_file_is_refused(tmp_path):
    write_tree(tmp_path, {"script.py": "", "shop/orders.py": ""})
    write(tmp_path, "tach.toml", '[[modules]]\npath = "script"\n')

    assert "top-level module file" in load_error(tmp_path).message


def test_a_toml_syntax_error_names_tach_toml_and_the_line(project):
    config = write(project, "tach.toml", '[[modules]]\npath = "shop.orders\n')

    error = load_error(project)

    assert (error.file, error.place) == (str(config), "line 2, column 20")
    assert error.message.startswith("TOML syntax error")


@pytest.mark.parametrize(
    ("files", "found"),
    [
        ({"strataview.toml": 'root_packages = ["shop"]\n'}, "strataview.toml"),
        ({"pyproject.toml": '[tool.strataview]\nroot_packages = ["shop"]\n'}, "pyproject.toml"),
        ({".importlinter": "[importlinter]\nroot_package = shop\n[importlinter:contract:x]\nname = x\n"
          "type = independence\nmodules = shop.ui\n"}, ".importlinter"),
        ({"pyproject.toml": '[tool.tach]\n[[tool.tach.modules]]\npath = "shop.ui"\n'}, "tach.toml"),
    ],
)
def test_discovery_prefers_the_projects_own_and_import_linters_configuration_to_tach_toml(project, files, found):
    write(project, "tach.toml", '[[modules]]\npath = "shop.orders"\n')
    for name, text in files.items():
        write(project, name, text)

    assert load_config(project).file.name == found


def test_tool_tach_in_pyproject_is_found_without_a_tach_toml(project):
    write(project, "pyproject.toml", '[project]\nname = "shop"\n[tool.tach]\n[[tool.tach.modules]]\npath = "shop.ui"\n')

    loaded = load_config(project)

    assert (loaded.file.name, loaded.format) == ("pyproject.toml", "tach")


def test_a_tach_configuration_given_with_config_may_have_any_name(project):
    config = write(project, "boundaries.toml", '[[modules]]\npath = "shop.orders"\ndepends_on = []\n')

    assert load_config(project, config).format == "tach"


def test_strataview_check_on_a_tach_project(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    project = tmp_path / "shop"
    shutil.copytree(FIXTURES / "shop", project)

    code = main(["check", str(project), "--format", "json", "--no-cache"])
    report = json.loads(capsys.readouterr().out)

    assert code == 1
    assert report["project"]["config"] == "tach.toml"
    by_rule = {}
    for violation in report["violations"]:
        by_rule.setdefault(violation["type"], []).append(violation)
    for violation in by_rule["dependencies"] + by_rule["interface"]:
        assert violation["file"] and violation["line"] and violation["detail"]
    forbidden = next(v for v in by_rule["dependencies"] if v["imported"] == "shop.admin")
    assert (forbidden["file"], forbidden["line"], forbidden["detail"]) == (
        "shop/orders/service.py",
        16,
        "shop.orders must not import shop.admin",
    )


def test_exact_checks_each_declared_dependency_as_tach_uses_it(project):
    write(project, "tach.toml", """\
        exact = true
        layers = ["ui", { name = "domain", closed = true }, "data"]
        [[modules]]
        path = "shop.ui"
        layer = "ui"
        depends_on = ["shop.orders", "shop.util", "shop.billing", "shop.c*", "shop.gone"]
        cannot_depend_on = ["shop.util"]
        [[modules]]
        path = "shop.orders"
        layer = "domain"
        depends_on = ["shop.ui"]
        [[modules]]
        path = "shop.billing"
        layer = "data"
        depends_on = []
        [[modules]]
        path = "shop.catalog"
        depends_on = []
        [[modules]]
        path = "shop.util"
        utility = true
        unchecked = true
        depends_on = ["shop.orders"]
    """)

    rules = rules_by_id(project)

    # A lower layer's import needs no declaration, so never uses one, nor does one past a closed
    # layer; a forbidden utility's import and a higher layer's do; globs and modules that do not
    # exist stay as written.
    assert rules["shop.ui.depends_on"]["exact_entries"] == {
        "shop.orders": (),
        "shop.util": ("shop.util",),
        "shop.billing": (),
        "shop.c*": ("shop.catalog",),
        "shop.gone": (),
    }
    assert rules["shop.orders.depends_on"]["exact_entries"] == {"shop.ui": ("shop.ui",)}
    # tach judges none of an unchecked module's code: nothing uses its dependencies.
    assert rules["shop.util.depends_on"] == {
        "id": "shop.util.depends_on",
        "name": "shop.util uses the modules tach.toml declares for it",
        "type": "dependencies",
        "module": "shop.util",
        "exclude": ("shop.util",),
        "exact": True,
        "exact_entries": {"shop.orders": ()},
    }
    assert "exact" not in rules["shop.billing.depends_on"]
    loaded = load_config(project)
    assert loaded.declaration_place("shop.ui.depends_on", "shop.gone", project) == ("tach.toml", 6)


def test_an_exact_dependency_is_placed_at_its_entry_not_at_a_comment_naming_it(project):
    write(project, "tach.toml", """\
        exact = true
        [[modules]]
        path = "shop.ui"
        depends_on = [  # "shop.billing" went in 2024
            # "shop.catalog" is no longer needed
            "shop.orders",  # views
            "shop.catalog",
            'shop.billing',
        ]
    """)

    loaded = load_config(project)

    entries = ("shop.orders", "shop.catalog", "shop.billing")
    places = {entry: loaded.declaration_place("shop.ui.depends_on", entry, project) for entry in entries}
    assert places == {
        "shop.orders": ("tach.toml", 6),
        "shop.catalog": ("tach.toml", 7),
        "shop.billing": ("tach.toml", 8),
    }


def test_check_external_becomes_an_external_rule(project):
    write(project, "pyproject.toml", '[project]\nname = "shop"\ndependencies = ["PyYAML"]\n')
    write(project, "manage.py", "import yaml\n")
    write(project, "tach.toml", """\
        exclude = ["**/tests"]
        [external]
        exclude = ["pytest", "PyYAML", "python_dateutil", "python-dateutil"]
        rename = ["PIL:pillow", "yaml:PyYAML"]
        [rules]
        unused_external_dependencies = "warn"
        [[modules]]
        path = "<root>"
        depends_on_external = ["yaml"]
        [[modules]]
        path = "shop.orders"
        depends_on = []
        depends_on_external = ["requests"]
        [[modules]]
        path = "shop.billing"
        cannot_depend_on_external = ["attr"]
    """)

    rule = rules_by_id(project)["external"]

    assert rule == {
        "id": "external",
        "name": "only the third-party distributions pyproject.toml declares",
        "type": "external",
        "modules": ("shop",),
        "include": ("manage",),
        "exclude": ("shop.orders.tests",),
        # tach compares its exclusions with lower-case names, '_' for '-'.
        "ignore_distributions": ("pytest", "python_dateutil"),
        "provided_by": {"PIL": "pillow", "yaml": "PyYAML"},
        "unused": "warn",
        "restrictions": (
            {"module": "shop.orders", "may_import": ("requests",)},
            {"module": "shop.billing", "may_not_import": ("attr",)},
            {"module": "shop", "may_import": ("yaml",)},
            {"module": "manage", "may_import": ("yaml",)},
        ),
    }


def test_check_external_only_where_the_configuration_uses_it(project):
    write(project, "tach.toml", '[[modules]]\npath = "shop.orders"\ndepends_on = []\n')
    assert not [rule for rule in rules_by_id(project).values() if rule["type"] == "external"]

    for opting_in in ("[external]\n", '[rules]\nunused_external_dependencies = "off"\n'):
        write(project, "tach.toml", opting_in + '[[modules]]\npath = "shop.orders"\ndepends_on = []\n')
        assert rules_by_id(project)["external"]["type"] == "external"

    # The root module's external dependencies say so as well as another module's.
    write(project, "tach.toml", """\
        [[modules]]
        path = "<root>"
        depends_on_external = ["yaml"]
        [[modules]]
        path = "shop.orders"
        depends_on = []
    """)
    assert rules_by_id(project)["external"]["restrictions"] == (
        {"module": "shop.orders"},
        {"module": "shop", "may_import": ("yaml",)},
    )


def test_check_external_without_a_manifest_declares_nothing(project):
    write(project, "tach.toml", '[external]\n[[modules]]\npath = "shop.orders"\ndepends_on = []\n')

    rule = rules_by_id(project)["external"]

    assert rule["declared_in"] == "" and rule["name"] == "only the third-party distributions declared (none)"
    assert rule["unused"] == "error"  # tach's default
