"""The configuration models, validated rule by rule so every error names its rule and option."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import ConfigError
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


class ProjectConfig(SessionOptions):
    """The shape of `[tool.strataview]` in pyproject.toml, or of a whole `strataview.toml`."""

    rules: tuple[RuleConfig, ...] = Field(default=(), description="The architecture rules.")


@dataclass
class LoadedConfig:
    """A validated configuration and where it came from."""

    config: ProjectConfig
    file: Path
    format: Literal["strataview", "importlinter"]
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
        options = SessionOptions.model_validate(session)
    except ValidationError as error:
        raise ConfigError(_describe(error, SessionOptions), file=file, place=section) from None
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
            rule = model.model_validate(raw)
        except ValidationError as error:
            raise ConfigError(_describe(error, model), file=file, place=place) from None
        if rule.id in seen:
            raise ConfigError(f"more than one rule has the id '{rule.id}'; ids must be unique", file=file, place=place)
        seen.add(rule.id)
        rules.append(rule)
    return ProjectConfig(**options.model_dump(), rules=tuple(rules))


def _describe(error: ValidationError, model: type[BaseModel]) -> str:
    """The first problem pydantic found, in the words of the configuration file."""
    problem = error.errors()[0]
    option = ".".join(str(part) for part in problem["loc"] if not isinstance(part, int)) or None
    if problem["type"] == "extra_forbidden":
        hint = difflib.get_close_matches(str(option), list(model.model_fields), n=1)
        return f"unknown option '{option}'" + (f" (did you mean '{hint[0]}'?)" if hint else "")
    if problem["type"] == "missing":
        return f"missing option '{option}'"
    message = problem["msg"].removeprefix("Value error, ")
    value = problem.get("input")
    shown = f" (got {value!r})" if problem["type"] != "value_error" and not isinstance(value, dict) else ""
    return f"option '{option}': {message}{shown}" if option else message + shown


def config_json_schema() -> dict[str, Any]:
    """JSON Schema of `[tool.strataview]` / `strataview.toml`, for editors to complete and check."""
    schema = ProjectConfig.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Strataview configuration"
    return schema
