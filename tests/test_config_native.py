"""Strataview's own configuration: `[tool.strataview]` in pyproject.toml or the top level of
strataview.toml, validated with pydantic so that every mistake is one error with its place."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from core.config import load_config
from core.errors import ConfigError

ISSUE_EXAMPLE = """
    [project]
    name = "shop"

    [tool.strataview]
    root_packages = ["shop"]
    include_external_packages = false
    exclude_type_checking_imports = false

    [[tool.strataview.rules]]
    id = "layers"                 # stable, unique; reports and review decisions key on it
    name = "ui over api over core"
    type = "layers"
    layers = ["shop.ui", "shop.api | shop.cli", "shop.core"]   # import-linter's string syntax
    ignore_imports = ["shop.core.legacy -> shop.ui.**"]

    [[tool.strataview.rules]]
    id = "no-db-in-ui"
    type = "forbidden"
    source_modules = ["shop.ui"]
    forbidden_modules = ["shop.db"]
    allow_indirect_imports = true
"""


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load_error(project: Path, config: Path | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(project, config)
    return caught.value


def test_the_issues_example_loads(tmp_path):
    write(tmp_path / "pyproject.toml", ISSUE_EXAMPLE)
    loaded = load_config(tmp_path)
    config = loaded.config
    assert (loaded.format, loaded.file) == ("strataview", tmp_path / "pyproject.toml")
    assert config.root_packages == ("shop",)
    assert (config.include_external_packages, config.exclude_type_checking_imports) == (False, False)
    layers, forbidden = config.rules
    assert (layers.id, layers.name, layers.type) == ("layers", "ui over api over core", "layers")
    assert layers.layers == ("shop.ui", "shop.api | shop.cli", "shop.core")
    assert layers.ignore_imports == ("shop.core.legacy -> shop.ui.**",)
    assert (forbidden.title, forbidden.allow_indirect_imports, forbidden.as_packages) == ("no-db-in-ui", True, True)
    assert loaded.rule_lines == {"layers": 9, "no-db-in-ui": 16}


def test_strataview_toml_takes_the_same_keys_at_its_top_level(tmp_path):
    write(
        tmp_path / "strataview.toml",
        """
        root_packages = ["shop"]
        exclude_type_checking_imports = true

        [[rules]]
        id = "independent"
        type = "independence"
        modules = ["shop.ui", "shop.cli"]
        """,
    )
    loaded = load_config(tmp_path)
    assert loaded.file == tmp_path / "strataview.toml"
    assert loaded.config.exclude_type_checking_imports is True
    assert [rule.modules for rule in loaded.config.rules] == [("shop.ui", "shop.cli")]
    assert loaded.rule_lines == {"independent": 4}


def test_a_configuration_given_with_config_may_have_any_name(tmp_path):
    config = write(tmp_path / "architecture.toml", 'root_packages = ["shop"]\n')
    assert load_config(tmp_path, config).config.root_packages == ("shop",)


def test_a_pyproject_with_neither_table_is_not_a_configuration(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "shop"\n')
    error = load_error(tmp_path)
    assert "no configuration found" in error.message
    assert error.file == str(tmp_path)


@pytest.mark.parametrize(
    ("change", "place", "message"),
    [
        (('root_packages = ["shop"]', 'root_package = ["shop"]'), "[tool.strataview]",
         "unknown option 'root_package' (did you mean 'root_packages'?)"),
        (("include_external_packages = false", "include_external_packages = \"no\""),
         "[tool.strataview], option 'include_external_packages'", "expected true or false (got 'no')"),
        (('root_packages = ["shop"]', 'root_packages = "shop"'), "[tool.strataview], option 'root_packages'",
         "expected a list of strings (got 'shop')"),
        (('root_packages = ["shop"]', "root_packages = []"), "[tool.strataview], option 'root_packages'",
         "must not be empty"),
        (('type = "layers"', 'type = "layer"'), "line 9, rule 'layers'",
         "unknown rule type 'layer' (did you mean 'layers'?)"),
        (("layers = [", "layerz = ["), "line 9, rule 'layers'", "unknown option 'layerz' (did you mean 'layers'?)"),
        (("ignore_imports = [", "ignore_import = ["), "line 9, rule 'layers'",
         "unknown option 'ignore_import' (did you mean 'ignore_imports'?)"),
        (('id = "no-db-in-ui"', 'id = "layers"'), "line 16, rule 'layers'", "more than one rule has the id 'layers'"),
        (('id = "no-db-in-ui"\n', ""), "line 16, rule '#2'", "missing option 'id'"),
        (("allow_indirect_imports = true", 'allow_indirect_imports = "yes"'),
         "line 16, rule 'no-db-in-ui', option 'allow_indirect_imports'", "expected true or false (got 'yes')"),
        (("shop.ui.**", "shop.ui.foo*"), "line 9, rule 'layers', option 'ignore_imports'",
         "'shop.ui.foo*': a wildcard can only replace a whole module name"),
        (("shop.ui.**", "shop.**.*"), "line 9, rule 'layers', option 'ignore_imports'",
         "a recursive wildcard cannot be followed by a wildcard"),
        (("shop.core.legacy -> shop.ui.**", "shop.core.legacy"), "line 9, rule 'layers', option 'ignore_imports'",
         "'shop.core.legacy' must be in the form 'package.importer -> package.imported'"),
    ],
)
def test_each_mistake_is_one_error_naming_its_place_and_value(tmp_path, change, place, message):
    old, new = change
    text = textwrap.dedent(ISSUE_EXAMPLE)
    assert old in text
    config = write(tmp_path / "pyproject.toml", text.replace(old, new, 1))
    error = load_error(tmp_path)
    assert error.file == str(config)
    assert error.place == place
    assert message in error.message


def test_a_misspelt_option_is_reported_rather_than_the_option_it_hides(tmp_path):
    """`layerz` also leaves `layers` missing; the misspelling is what the user must fix."""
    write(tmp_path / "strataview.toml", 'root_packages = ["a"]\n[[rules]]\nid = "x"\ntype = "layers"\nlayerz = ["a.b"]\n')
    assert load_error(tmp_path).message == "unknown option 'layerz' (did you mean 'layers'?)"


def test_a_strataview_toml_with_a_misspelt_key_is_an_error_not_skipped(tmp_path):
    write(tmp_path / "strataview.toml", 'root_pakages = ["shop"]\n')
    write(tmp_path / "pyproject.toml", '[tool.strataview]\nroot_packages = ["other"]\n')
    error = load_error(tmp_path)
    assert error.file == str(tmp_path / "strataview.toml")
    assert error.message == "unknown option 'root_pakages' (did you mean 'root_packages'?)"


def test_toml_syntax_error_names_line_and_column(tmp_path):
    config = write(tmp_path / "strataview.toml", 'root_packages = ["shop"]\n[[rules]]\nid = "x\n')
    error = load_error(tmp_path)
    assert (error.file, error.place) == (str(config), "line 3, column 8")
    assert error.message.startswith("TOML syntax error: ")


def test_toml_syntax_error_at_the_end_names_the_last_line(tmp_path):
    config = write(tmp_path / "pyproject.toml", '[tool.strataview]\nroot_packages = ["shop"\n')
    error = load_error(tmp_path)
    assert (error.file, error.place) == (str(config), "line 2, end of file")
    assert error.message == "TOML syntax error: Unclosed array"


def test_a_configuration_that_is_not_utf8_is_named(tmp_path):
    config = tmp_path / "strataview.toml"
    config.write_bytes(b'root_packages = ["caf\xe9"]\n')
    error = load_error(tmp_path)
    assert error.file == str(config)
    assert "not UTF-8" in error.message


def test_a_missing_config_file_is_named(tmp_path):
    error = load_error(tmp_path, tmp_path / "nope.toml")
    assert (error.file, error.message) == (str(tmp_path / "nope.toml"), "configuration file does not exist")


def test_a_directory_given_as_the_config_file_is_named(tmp_path):
    error = load_error(tmp_path, tmp_path)
    assert (error.file, error.message) == (str(tmp_path), "is a directory, not a configuration file")
