"""The JSON Schema shipped in resources/ for editors: generated from the models, and right."""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path

import jsonschema
import pytest

from app.cli import main
from core.config import config_json_schema
from core.rules import RULE_TYPES

REPOSITORY = Path(__file__).resolve().parent.parent
SCHEMA_FILE = REPOSITORY / "resources" / "strataview.schema.json"

ISSUE_EXAMPLE = {
    "root_packages": ["shop"],
    "include_external_packages": False,
    "exclude_type_checking_imports": False,
    "rules": [
        {
            "id": "layers",
            "name": "ui over api over core",
            "type": "layers",
            "layers": ["shop.ui", "shop.api | shop.cli", "shop.core"],
            "ignore_imports": ["shop.core.legacy -> shop.ui.**"],
        }
    ],
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_committed_schema_is_the_generated_one(capsys):
    """Regenerate with `strataview schema --output resources/strataview.schema.json`."""
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == config_json_schema()
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == SCHEMA_FILE.read_text(encoding="utf-8")


def test_schema_output_is_written_atomically_to_a_file(tmp_path):
    target = tmp_path / "schema.json"
    assert main(["schema", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8")
    assert [path.name for path in tmp_path.iterdir()] == ["schema.json"]


@pytest.mark.parametrize(
    "pyproject", [REPOSITORY / "pyproject.toml", REPOSITORY / "resources" / "example" / "pyproject.toml"]
)
def test_real_configurations_are_valid(validator, pyproject):
    table = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["strataview"]
    assert list(validator.iter_errors(table)) == []


def test_the_issues_example_is_valid(validator):
    assert list(validator.iter_errors(ISSUE_EXAMPLE)) == []


def _broken(change) -> dict:
    config = copy.deepcopy(ISSUE_EXAMPLE)
    change(config)
    return config


@pytest.mark.parametrize(
    "config",
    [
        _broken(lambda c: c.update(root_package=["shop"])),
        _broken(lambda c: c.pop("root_packages")),
        _broken(lambda c: c.update(root_packages=[])),
        _broken(lambda c: c.update(include_external_packages="yes")),
        _broken(lambda c: c["rules"][0].update(type="layer")),
        _broken(lambda c: c["rules"][0].pop("type")),
        _broken(lambda c: c["rules"][0].pop("id")),
        _broken(lambda c: c["rules"][0].update(layerz=["shop.ui"])),
        _broken(lambda c: c["rules"][0].update(layers="shop.ui")),
        _broken(lambda c: c["rules"][0].update(unmatched_ignore_imports_alerting="loud")),
    ],
)
def test_mistakes_are_invalid(validator, config):
    assert list(validator.iter_errors(config)) != []


def test_each_rule_type_has_a_readable_definition_with_all_its_options(validator):
    definitions = validator.schema["$defs"]
    for rule_type, module in RULE_TYPES.items():
        definition = definitions[f"{rule_type}_rule"]
        assert set(definition["properties"]) == set(module.Options.model_fields)
        assert definition["required"][:2] == ["id", "type"]
        assert definition["properties"]["type"] == {"const": rule_type, "title": "Type", "type": "string"}
        assert definition["additionalProperties"] is False
    mapping = validator.schema["properties"]["rules"]["items"]["discriminator"]["mapping"]
    assert mapping == {rule_type: f"#/$defs/{rule_type}_rule" for rule_type in RULE_TYPES}
    assert "null" not in json.dumps(validator.schema)
