"""The configuration models, validated rule by rule so every error names its rule and option."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.errors import ConfigError
from core.graph import display_path
from core.import_adjustments import AdjustmentOptions
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
    source_roots: tuple[str, ...] | None = Field(
        default=None,
        min_length=1,
        description="Directories where the root packages are looked for, in order, relative to the project root "
        "(default: the project root, and its `src/` if there is one).",
    )
    include_external_packages: bool = Field(default=False, description="Add imported third-party packages to the graph.")
    exclude_type_checking_imports: bool = Field(default=False, description="Leave out imports under `if TYPE_CHECKING:`.")
    ignore_comments: tuple[str, ...] = Field(
        default=(),
        description="Words of comments that take an import out of what rules judge: `# WORD` at the end of the "
        "import's line or alone on the line before it; `# WORD(reason) a.b c` gives a reason and takes out only "
        "the imported names ending with a listed one (tach's 'tach-ignore').",
    )
    local_imports: Literal["error", "warn", "none"] = Field(
        default="error",
        description="What an import inside a function, class or if/for/while/with/try block does when it breaks "
        "a rule: break it, only warn, or nothing (it is not judged).",
    )
    include_string_imports: bool = Field(
        default=False,
        description="Count a string literal naming a project module, or a name in one, with at least two dots "
        "as an import of that module at its line.",
    )
    respect_gitignore: bool | Literal["if_git_repo"] = Field(
        default=False,
        description="Leave out the imports made by files that .gitignore files (with git's info/exclude) or "
        ".ignore files match; they stay modules others may import. \"if_git_repo\": .gitignore files only "
        "inside a git repository (tach's setting).",
    )
    provenance: ProvenanceOptions = Field(
        default_factory=ProvenanceOptions,
        description="What in the git history marks a commit as generated, for violations new since a baseline.",
    )


    @field_validator("respect_gitignore", mode="before")
    @classmethod
    def _strict_respect_gitignore(cls, value: object) -> object:
        if not isinstance(value, bool) and value != "if_git_repo":
            raise ValueError(f'expected true, false or "if_git_repo" (got {value!r})')
        return value

    @field_validator("ignore_comments")
    @classmethod
    def _comment_words(cls, words: tuple[str, ...]) -> tuple[str, ...]:
        for word in words:
            if not word or any(c.isspace() or c in "#()" for c in word):
                raise ValueError(f"'{word}' cannot be an ignore comment's word: no spaces, '#' or parentheses")
        return words

    @property
    def import_adjustments(self) -> AdjustmentOptions:
        """What the graph holds beyond grimp's scan (core.import_adjustments)."""
        return AdjustmentOptions(
            ignore_comments=self.ignore_comments,
            local_imports=self.local_imports,
            include_string_imports=self.include_string_imports,
            respect_gitignore=self.respect_gitignore,
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
    option_lines: dict[str, int] = field(default_factory=dict)
    """The line of each session option, where the file sets it."""
    entry_places: dict[tuple[str, str], tuple[Path, int | None]] = field(default_factory=dict)
    """The file and line declaring an entry of a rule (rule id, entry as written), where the
    reader knows them better than a search would (another file, a rule built from many tables)."""

    def place_of(self, rule_id: str, detail: str | None = None) -> str:
        line = self.rule_lines.get(rule_id)
        parts = ([f"line {line}"] if line else []) + [detail or f"rule '{rule_id}'"]
        return ", ".join(parts)

    def option_place(self, option: str) -> str:
        line = self.option_lines.get(option)
        return (f"line {line}, " if line else "") + f"option '{option}'"

    def declaration_place(self, rule_id: str, entry: str, root: Path) -> tuple[str | None, int | None]:
        """Where the configuration declares an entry of a rule (`entry_places` where the reader
        knows it, else the entry's first quoted mention from the rule's start on), the file
        relative to `root`."""
        file, line = self.entry_places.get((rule_id, entry), (self.file, None))
        if line is None and file == self.file:
            line = _mention_line(self.file, self.rule_lines.get(rule_id, 1), entry)
        return display_path(file, root), line


def _mention_line(file: Path, start: int, entry: str) -> int | None:
    """The first line of the table starting at line `start` that lists `entry` in quotes (not an
    option set to it alone, such as the rule's `module`); `start` if none does."""
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return None
    quoted = rf"""(["']){re.escape(entry)}\1"""
    alone = re.compile(rf"\s*[\w.-]+\s*=\s*{quoted}\s*$")
    for number in range(start, len(lines) + 1):
        text = toml_code(lines[number - 1])
        if number > start and _TABLE_HEADER.match(text):
            break
        if re.search(quoted, text) and not alone.match(text):
            return number
    return start


_TABLE_HEADER = re.compile(r"\s*\[\[?\s*[\w\"'-]")


def toml_code(line: str) -> str:
    """A line of TOML without its comment (from a `#` outside strings on)."""
    quote = None
    escaped = False
    for index, char in enumerate(line):
        if quote is None:
            if char == "#":
                return line[:index]
            if char in "\"'":
                quote = char
        elif escaped:
            escaped = False
        elif char == "\\" and quote == '"':
            escaped = True
        elif char == quote:
            quote = None
    return line


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
