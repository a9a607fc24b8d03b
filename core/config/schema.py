"""The configuration models, validated rule by rule so every error names its rule and option."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import ConfigError
from core.provenance import ProvenanceOptions
from core.rules import RULE_TYPES
from core.rules.common import RuleOptions

RuleConfig = Annotated[
    Union[tuple(module.Options for module in RULE_TYPES.values())],  # noqa: UP007
    Field(discriminator="type"),
]


class SessionOptions(BaseModel):
    """What the whole project shares: which packages to analyse and how to build the graph."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    root_packages: tuple[str, ...] = Field(min_length=1, description="The project's top-level packages.")
    include_external_packages: bool = Field(default=False, description="Add imported third-party packages to the graph.")
    exclude_type_checking_imports: bool = Field(default=False, description="Leave out imports under `if TYPE_CHECKING:`.")
    provenance: ProvenanceOptions = Field(
        default_factory=ProvenanceOptions,
        description="What in the git history marks a commit as generated, for violations new since a baseline.",
    )


class ProjectConfig(SessionOptions):
    """The shape of `[tool.strataview]` in pyproject.toml, or of a whole `strataview.toml`."""

    rules: tuple[RuleConfig, ...] = Field(default=(), description="The architecture rules.")


@dataclass
class LoadedConfig:
    """A validated configuration and where it came from."""

    config: ProjectConfig
    file: Path
    format: Literal["strataview", "importlinter", "tach"]
    rule_lines: dict[str, int] = field(default_factory=dict)

    def place_of(self, rule_id: str, detail: str | None = None) -> str:
        line = self.rule_lines.get(rule_id)
        parts = ([f"line {line}"] if line else []) + [detail or f"rule '{rule_id}'"]
        return ", ".join(parts)


def build_config(
    session: dict[str, Any], raw_rules: list[Any], *, file: str, rule_line: Any, section: str
) -> ProjectConfig:
    """Validate session options, then each rule on its own, raising one clear ConfigError."""
    try:
        _reject_loose_booleans(session, SessionOptions)
        options = SessionOptions.model_validate(session)
    except ValidationError as error:
        option, message = _describe(error, SessionOptions)
        raise ConfigError(message, file=file, place=_with_option(section, option)) from None
    rules: list[RuleOptions] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_rules):
        if not isinstance(raw, dict):
            raise ConfigError(f"rule #{index + 1} is not a table", file=file, place=section)
        rule_id = str(raw.get("id", "")) or f"#{index + 1}"
        line = rule_line(index, raw.get("id"))
        place = (f"line {line}, " if line else "") + f"rule '{rule_id}'"
        rule_type = raw.get("type")
        if rule_type not in RULE_TYPES:
            known = ", ".join(RULE_TYPES)
            hint = difflib.get_close_matches(str(rule_type), list(RULE_TYPES), n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            what = f"unknown rule type '{rule_type}'" if rule_type else "missing option 'type'"
            raise ConfigError(f"{what}{suggestion}; known types: {known}", file=file, place=place)
        model = RULE_TYPES[rule_type].Options
        try:
            _reject_loose_booleans(raw, model)
            rule = model.model_validate(raw)
        except ValidationError as error:
            option, message = _describe(error, model)
            raise ConfigError(message, file=file, place=_with_option(place, option)) from None
        if rule.id in seen:
            raise ConfigError(f"more than one rule has the id '{rule.id}'; ids must be unique", file=file, place=place)
        seen.add(rule.id)
        rules.append(rule)
    return ProjectConfig(**options.model_dump(), rules=tuple(rules))


def _reject_loose_booleans(raw: dict[str, Any], model: type[BaseModel]) -> None:
    """A boolean option takes TOML's true or false only, not pydantic's lax "yes" or 1."""
    for option, value in raw.items():
        info = model.model_fields.get(option)
        if info is not None and info.annotation is bool and not isinstance(value, bool):
            raise ValidationError.from_exception_data(
                model.__name__, [{"type": "bool_type", "loc": (option,), "input": value}]
            )


def _describe(error: ValidationError, model: type[BaseModel]) -> tuple[str | None, str]:
    """One problem pydantic found, in the words of the configuration file: the option it is
    about (None when the message names it itself) and the message.

    An unknown option comes first: a misspelt option also makes the right one look missing.
    """
    problems = error.errors()
    problem = next((p for p in problems if p["type"] == "extra_forbidden"), problems[0])
    option = ".".join(str(part) for part in problem["loc"] if not isinstance(part, int)) or None
    if problem["type"] == "extra_forbidden":
        *tables, name = str(option).split(".")
        hint = difflib.get_close_matches(name, _options_of(model, tables), n=1)
        known = ".".join([*tables, hint[0]]) if hint else None
        return None, f"unknown option '{option}'" + (f" (did you mean '{known}'?)" if known else "")
    if problem["type"] == "missing":
        if option == "root_packages":
            return None, "missing option 'root_packages' (the project's top-level packages, e.g. [\"mypackage\"])"
        return None, f"missing option '{option}'"
    value = problem.get("input")
    message = _EXPECTED.get(problem["type"]) or problem["msg"].removeprefix("Value error, ")
    shown = f" (got {value!r})" if problem["type"] != "value_error" and not isinstance(value, dict) else ""
    return option, message + shown


def _options_of(model: type[BaseModel], tables: list[str]) -> list[str]:
    """The options of the model's table at the dotted path `tables` (such as `provenance`)."""
    for table in tables:
        info = model.model_fields.get(table)
        annotation = info.annotation if info else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)


def _with_option(place: str, option: str | None) -> str:
    return f"{place}, option '{option}'" if option else place


# pydantic's wording for a wrong type, in TOML's terms.
_EXPECTED = {
    "tuple_type": "expected a list of strings",
    "list_type": "expected a list of strings",
    "string_type": "expected a string",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "too_short": "must not be empty",
}


def config_json_schema() -> dict[str, Any]:
    """JSON Schema of `[tool.strataview]` / `strataview.toml`, for editors to complete and check.

    Each rule type gets a readable definition name (`layers_rule`), `type` and `id` are required
    (they pick and name the rule), and TOML's lack of null is reflected: optional values are
    simply left out.
    """
    schema = ProjectConfig.model_json_schema()
    renames = {}
    for name, definition in schema.get("$defs", {}).items():
        rule_type = definition.get("properties", {}).get("type", {}).get("const")
        if rule_type in RULE_TYPES:
            renames[name] = f"{rule_type}_rule"
            definition["title"] = f"{rule_type} rule"
            definition["properties"]["type"].pop("default", None)
            definition["required"] = ["id", "type"] + [r for r in definition.get("required", []) if r not in ("id", "type")]
    schema["$defs"] = {renames.get(name, name): definition for name, definition in schema.get("$defs", {}).items()}
    schema = _rewrite(schema, renames)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Strataview configuration",
        **{key: value for key, value in schema.items() if key != "title"},
    }


def _rewrite(node: Any, renames: dict[str, str]) -> Any:
    """Point references at the renamed definitions and drop `null` alternatives."""
    if isinstance(node, list):
        return [_rewrite(item, renames) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _rewrite(value, renames) for key, value in node.items()}

    def renamed(reference: str) -> str:
        name = reference.removeprefix("#/$defs/")
        return f"#/$defs/{renames.get(name, name)}"

    if isinstance(node.get("$ref"), str):
        node["$ref"] = renamed(node["$ref"])
    if isinstance(node.get("mapping"), dict):
        node["mapping"] = {key: renamed(reference) for key, reference in node["mapping"].items()}
    alternatives = node.get("anyOf")
    if isinstance(alternatives, list) and {"type": "null"} in alternatives:
        rest = [alternative for alternative in alternatives if alternative != {"type": "null"}]
        if len(rest) == 1:
            del node["anyOf"]
            node.update(rest[0])
            if "default" in node and node["default"] is None:
                del node["default"]
    return node
