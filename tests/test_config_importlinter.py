"""import-linter's configuration, read as import-linter 2.17 reads it.

import-linter itself is the oracle: each configuration, written the way people write them, is
read by `importlinter.api.read_configuration`, turned into import-linter's own contract objects,
and every parsed option is compared with Strataview's rule of the same id.
"""

from __future__ import annotations

import configparser
import enum
import textwrap
from pathlib import Path
from typing import Any

import pytest
from importlinter.api import read_configuration
from importlinter.application import use_cases
from importlinter.application.user_options import UserOptions
from importlinter.contracts.layers import Layer
from importlinter.domain.imports import ImportExpression, ModuleExpression

from core.config import load_config
from core.errors import ConfigError
from core.rules.layers import LayerSpec

CONTRACT_CLASSES = dict(use_cases._get_built_in_contract_types())


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def _theirs(value: Any) -> Any:
    """import-linter's parsed value in a plain, comparable form."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, ModuleExpression):
        return value.expression
    if isinstance(value, ImportExpression):
        return f"{value.importer.expression} -> {value.imported.expression}"
    if isinstance(value, Layer):
        return frozenset((tail.name, tail.is_optional) for tail in value.module_tails), value.is_independent
    if isinstance(value, set):
        return {_theirs(item) for item in value}
    if isinstance(value, list):
        return [_theirs(item) for item in value]
    return value


def _ours(rule: Any, option: str, like: Any) -> Any:
    """Strataview's value of `option`, in the container shape import-linter uses for it."""
    value = getattr(rule, option)
    if option == "layers":
        return [(frozenset(spec.tails.items()), spec.independent) for spec in map(LayerSpec, value)]
    if like is None and value in ((), None):
        return None  # import-linter leaves an omitted optional list as None.
    if isinstance(like, set):
        return set(value)
    if isinstance(like, list):
        return list(value)
    return value


def importlinter_reading(config_file: Path | None) -> dict[str, Any]:
    raw = read_configuration(str(config_file) if config_file else None)
    session = raw["session_options"]
    options = UserOptions(session_options=session, contracts_options=raw["contracts_options"])
    contracts = []
    for contract_options in raw["contracts_options"]:
        contract_class = CONTRACT_CLASSES[contract_options["type"]]
        contract = contract_class(
            name=contract_options["name"], session_options=session, contract_options=contract_options
        )
        fields = {name: _theirs(getattr(contract, name)) for name in contract_class._get_field_names()}
        contracts.append(
            {"id": contract_options.get("id"), "name": contract_options["name"], "type": contract_options["type"], **fields}
        )
    return {
        "root_packages": list(session["root_packages"]),
        "include_external_packages": bool(use_cases._get_include_external_packages(options)),
        "exclude_type_checking_imports": use_cases._get_exclude_type_checking_imports(options),
        "contracts": contracts,
    }


def assert_read_as_importlinter_reads(project: Path, config_file: Path | None = None) -> None:
    theirs = importlinter_reading(config_file)
    loaded = load_config(project, config_file)
    assert loaded.format == "importlinter"
    config = loaded.config
    assert list(config.root_packages) == theirs["root_packages"]
    assert config.include_external_packages == theirs["include_external_packages"]
    assert config.exclude_type_checking_imports == theirs["exclude_type_checking_imports"]
    assert len(config.rules) == len(theirs["contracts"])
    for rule, contract in zip(config.rules, theirs["contracts"], strict=True):
        if contract["id"] is not None:
            assert rule.id == contract["id"]
        assert (rule.name, rule.type) == (contract["name"], contract["type"])
        for option, value in contract.items():
            if option in ("id", "name", "type"):
                continue
            assert _ours(rule, option, value) == value, f"{rule.id}: option {option}"


SETUP_CFG = """
    [metadata]
    name = shop

    [flake8]
    max-line-length = 100

    [importlinter]
    root_package = shop
    include_external_packages = True

    [importlinter:contract:layers]
    name = Layered architecture
    type = layers
    layers =
        # The top layer.
        shop.ui

        shop.api | shop.cli
        ; The bottom layer is optional.
        (shop.core)
    containers =
    ignore_imports =
        shop.core.legacy -> shop.ui.**
        # Old code, to be removed.
        shop.*.compat->shop.ui
    unmatched_ignore_imports_alerting = warn
    exhaustive = False

    [importlinter:contract:no-db-in-ui]
    name = The UI does not touch the database
    type = forbidden
    source_modules = shop.ui
    forbidden_modules =
        shop.db
    allow_indirect_imports = TRUE
    as_packages = false
    broken_contract_guidance =
        Go through the api layer.

        See docs/architecture.md.

    [importlinter:contract:independent]
    name = Independent front ends
    type = independence
    modules =
        shop.ui

        shop.cli
    unmatched_ignore_imports_alerting =

    [importlinter:contract:protect]
    name = Only the api touches the database
    type = protected
    protected_modules = shop.db
    allowed_importers =
        shop.api
    as_packages = True

    [importlinter:contract:siblings]
    name = No cycles between siblings
    type = acyclic_siblings
    ancestors = shop
    depth = 2
    skip_descendants =
        shop.ui

    [importlinter:contract:private]
    name = Private modules stay private
    type = private_modules
    packages_with_private_modules = shop.**
"""


def test_setup_cfg_reads_as_importlinter_reads_it(tmp_path):
    config = write(tmp_path / "setup.cfg", SETUP_CFG)
    assert_read_as_importlinter_reads(tmp_path, config)


def test_setup_cfg_details_people_rely_on(tmp_path):
    """Comments and blank lines inside values vanish, one line stands for a one-item list,
    booleans ignore case, an empty alert level means 'error', and guidance keeps its lines."""
    config = load_config(tmp_path, write(tmp_path / "setup.cfg", SETUP_CFG)).config
    rules = {rule.id: rule for rule in config.rules}
    assert rules["layers"].layers == ("shop.ui", "shop.api | shop.cli", "(shop.core)")
    assert rules["layers"].ignore_imports == ("shop.core.legacy -> shop.ui.**", "shop.*.compat -> shop.ui")
    assert rules["layers"].unmatched_ignore_imports_alerting == "warn"
    assert rules["no-db-in-ui"].forbidden_modules == ("shop.db",)
    assert rules["no-db-in-ui"].allow_indirect_imports is True
    assert rules["no-db-in-ui"].as_packages is False
    assert rules["no-db-in-ui"].broken_contract_guidance == "Go through the api layer.\n\nSee docs/architecture.md."
    assert rules["independent"].modules == ("shop.ui", "shop.cli")
    assert rules["independent"].unmatched_ignore_imports_alerting == "error"
    assert rules["siblings"].depth == 2
    assert rules["layers"].name == "Layered architecture"
    assert config.include_external_packages is True


@pytest.mark.parametrize(
    "session",
    [
        "root_package = shop",
        "root_packages =\n    shop\n    shop_extras",
        "root_packages =\n    shop\n    # the plugins\n    shop_extras\nroot_package = ignored",
        "root_package = shop\ninclude_external_packages = true",
        "root_package = shop\ninclude_external_packages = TRUE",
        "root_package = shop\ninclude_external_packages = yes",
        "root_package = shop\nexclude_type_checking_imports = True",
        "root_package = shop\nexclude_type_checking_imports = False\ncontract_types =\n    x: some.Contract",
    ],
)
def test_session_options_read_as_importlinter_reads_them(tmp_path, session):
    contract = "[importlinter:contract:one]\nname = One\ntype = independence\nmodules = shop.a\n"
    config = write(tmp_path / ".importlinter", f"[importlinter]\n{session}\n\n{contract}")
    assert_read_as_importlinter_reads(tmp_path, config)


def test_include_external_packages_is_true_only_as_import_linter_spells_it(tmp_path):
    spellings = {"True": True, "true": True, "TRUE": False, "yes": False, "1": False}
    for spelling, expected in spellings.items():
        config = write(
            tmp_path / ".importlinter",
            f"""
            [importlinter]
            root_package = shop
            include_external_packages = {spelling}

            [importlinter:contract:one]
            name = One
            type = independence
            modules = shop.a
            """,
        )
        assert load_config(tmp_path, config).config.include_external_packages is expected, spelling


PYPROJECT = """
    [project]
    name = "shop"

    [tool.importlinter]
    root_packages = ["shop"]
    include_external_packages = true
    exclude_type_checking_imports = "True"

    [[tool.importlinter.contracts]]
    id = "layers"
    name = "Layers in every feature"
    type = "layers"
    containers = ["shop.features"]
    layers = ["views", "logic : forms", "(models)"]
    exhaustive = true
    exhaustive_ignores = "legacy"

    [[tool.importlinter.contracts]]
    name = "No database in the UI"
    type = "forbidden"
    source_modules = "shop.ui"
    forbidden_modules = ["shop.db", ""]
    allow_indirect_imports = "True"
    as_packages = false
    unmatched_ignore_imports_alerting = "none"
    ignore_imports = ["shop.ui.debug -> shop.db"]

    [[tool.importlinter.contracts]]
    name = "No database in the UI"
    type = "independence"
    modules = ["shop.ui", "shop.cli"]
    broken_contract_guidance = ["Split the shared code", "into shop.common."]

    [[tool.importlinter.contracts]]
    id = "siblings"
    name = "Acyclic siblings"
    type = "acyclic_siblings"
    ancestors = ["shop"]
    depth = 3
"""


def test_pyproject_reads_as_importlinter_reads_it(tmp_path):
    config = write(tmp_path / "pyproject.toml", PYPROJECT)
    assert_read_as_importlinter_reads(tmp_path, config)


def test_toml_contracts_without_id_get_stable_unique_ids_from_their_names(tmp_path):
    loaded = load_config(tmp_path, write(tmp_path / "pyproject.toml", PYPROJECT))
    rules = loaded.config.rules
    assert [rule.id for rule in rules] == ["layers", "no-database-in-the-ui", "no-database-in-the-ui-2", "siblings"]
    assert [rule.name for rule in rules][:2] == ["Layers in every feature", "No database in the UI"]
    assert rules[1].source_modules == ("shop.ui",)
    assert rules[1].forbidden_modules == ("shop.db",)
    assert rules[2].broken_contract_guidance == "Split the shared code\ninto shop.common."
    assert loaded.rule_lines == {"layers": 9, "no-database-in-the-ui": 18, "no-database-in-the-ui-2": 28, "siblings": 34}


@pytest.mark.parametrize(
    "session",
    [
        'root_package = "shop"',
        'root_packages = ["shop", "shop_extras"]\nroot_package = "ignored"',
        'root_packages = ["shop"]\ninclude_external_packages = "true"',
        'root_packages = ["shop"]\ninclude_external_packages = "TRUE"',
        'root_packages = ["shop"]\ninclude_external_packages = false\nexclude_type_checking_imports = true',
    ],
)
def test_toml_session_options_read_as_importlinter_reads_them(tmp_path, session):
    contract = '[[tool.importlinter.contracts]]\nname = "One"\ntype = "independence"\nmodules = ["shop.a"]\n'
    config = write(tmp_path / "pyproject.toml", f"[tool.importlinter]\n{session}\n\n{contract}")
    assert_read_as_importlinter_reads(tmp_path, config)


def test_any_file_given_with_config_is_read_by_its_kind(tmp_path):
    ini = write(tmp_path / "architecture.ini", SETUP_CFG)
    toml = write(tmp_path / "architecture.toml", PYPROJECT)
    assert_read_as_importlinter_reads(tmp_path, ini)
    assert_read_as_importlinter_reads(tmp_path, toml)


def _session_only(root_package: str) -> str:
    return (
        f"[importlinter]\nroot_package = {root_package}\n\n"
        "[importlinter:contract:one]\nname = One\ntype = independence\nmodules = x.a\n"
    )


def _toml_only(root_package: str) -> str:
    return (
        f'[tool.importlinter]\nroot_package = "{root_package}"\n\n'
        '[[tool.importlinter.contracts]]\nname = "One"\ntype = "independence"\nmodules = ["x.a"]\n'
    )


@pytest.mark.parametrize(
    ("files", "chosen"),
    [
        ({"setup.cfg": _session_only("from_setup"), ".importlinter": _session_only("from_dot"),
          "pyproject.toml": _toml_only("from_pyproject")}, "from_setup"),
        ({"setup.cfg": "[flake8]\nmax-line-length = 100\n", ".importlinter": _session_only("from_dot"),
          "pyproject.toml": _toml_only("from_pyproject")}, "from_dot"),
        ({"setup.cfg": "[metadata]\nname = x\n", "pyproject.toml": _toml_only("from_pyproject")}, "from_pyproject"),
    ],
)
def test_discovery_follows_import_linters_own_order(tmp_path, monkeypatch, files, chosen):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # import-linter looks in the working directory.
    assert importlinter_reading(None)["root_packages"] == [chosen]
    assert load_config(tmp_path).config.root_packages == (chosen,)


def test_strataview_configuration_comes_before_import_linters(tmp_path):
    (tmp_path / "setup.cfg").write_text(_session_only("from_setup"), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        _toml_only("from_importlinter") + '\n[tool.strataview]\nroot_packages = ["from_tool_strataview"]\n',
        encoding="utf-8",
    )
    assert load_config(tmp_path).config.root_packages == ("from_tool_strataview",)
    (tmp_path / "strataview.toml").write_text('root_packages = ["from_strataview_toml"]\n', encoding="utf-8")
    loaded = load_config(tmp_path)
    assert (loaded.config.root_packages, loaded.file.name, loaded.format) == (
        ("from_strataview_toml",), "strataview.toml", "strataview"
    )


def test_contract_section_names_give_ids_and_lines(tmp_path):
    config = write(tmp_path / ".importlinter", SETUP_CFG)
    loaded = load_config(tmp_path, config)
    assert [rule.id for rule in loaded.config.rules] == [
        "layers", "no-db-in-ui", "independent", "protect", "siblings", "private"
    ]
    text = config.read_text().splitlines()
    for rule_id, line in loaded.rule_lines.items():
        assert text[line - 1].strip() == f"[importlinter:contract:{rule_id}]"


@pytest.mark.parametrize(
    ("contract_lines", "place", "message"),
    [
        ("allow_indirect_imports = yes", "option 'allow_indirect_imports'", "could not parse a boolean from 'yes'"),
        ("as_packages =\n    true\n    false", "option 'as_packages'", "expected a single value"),
        ("source_modulez = shop.ui", "rule 'broken'", "unknown option 'source_modulez' (did you mean 'source_modules'?)"),
        ("unmatched_ignore_imports_alerting = loud", "option 'unmatched_ignore_imports_alerting'", "'loud'"),
    ],
)
def test_options_import_linter_rejects_are_rejected_with_their_place(tmp_path, contract_lines, place, message):
    config = write(
        tmp_path / ".importlinter",
        "[importlinter]\nroot_package = shop\n\n[importlinter:contract:broken]\nname = Broken\ntype = forbidden\n"
        "source_modules = shop.ui\nforbidden_modules = shop.db\n" + contract_lines + "\n",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path, config)
    error = caught.value
    assert error.file == str(config)
    assert error.place.startswith("line 4, rule 'broken'") and place in error.place
    assert message in error.message


def test_custom_contract_types_are_named_as_such(tmp_path):
    config = write(
        tmp_path / ".importlinter",
        """
        [importlinter]
        root_package = shop
        contract_types =
            forbidden_import: shop_linting.ForbiddenImportContract

        [importlinter:contract:custom]
        name = Custom
        type = forbidden_import
        """,
    )
    with pytest.raises(ConfigError, match="custom import-linter type") as caught:
        load_config(tmp_path, config)
    assert caught.value.place == "line 6, rule 'custom'"


def test_a_percent_sign_in_a_value_is_a_clear_error_as_in_import_linter(tmp_path):
    config = write(
        tmp_path / ".importlinter",
        """
        [importlinter]
        root_package = shop

        [importlinter:contract:one]
        name = 100% independent
        type = independence
        modules = shop.a
        """,
    )
    with pytest.raises(configparser.InterpolationSyntaxError):
        read_configuration(str(config))
    with pytest.raises(ConfigError, match="'%' in a value must be written '%%'") as caught:
        load_config(tmp_path, config)
    assert caught.value.file == str(config)
    assert caught.value.place == "line 4, [importlinter:contract:one], option 'name'"
