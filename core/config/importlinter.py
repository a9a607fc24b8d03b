"""import-linter's configuration, read exactly as import-linter 2.17 reads it.

INI files (`setup.cfg`, `.importlinter`, or any non-TOML file): section `[importlinter]` holds
the session options and each `[importlinter:...:ID]` section a contract whose id is the part
after the last colon. Option names are case-insensitive, a multi-line value is a list of its
lines, full-line comments inside it are dropped and blank lines skipped (configparser's rules).
TOML: `[tool.importlinter]` with `[[tool.importlinter.contracts]]` tables, ids optional, TOML
booleans read as the strings "True"/"False".

Then each option is parsed as import-linter's fields parse it: a single string stands for a
one-item list, booleans are "true"/"false" in any case, integers are strings of digits, an empty
alert level means the default. The session's `include_external_packages` and
`exclude_type_checking_imports` are true only when spelt "True" or "true".
"""

from __future__ import annotations

import ast
import configparser
import re
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.config.schema import LoadedConfig, build_config
from core.errors import ConfigError
from core.rules import RULE_TYPES

SECTION = "importlinter"
TOML_SECTION = "[tool.importlinter]"

RuleLine = Callable[[int, object], "int | None"]


class _OptionError(ValueError):
    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


def read_ini(path: Path) -> tuple[configparser.ConfigParser, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(f"configuration is not UTF-8 ({error.reason})", file=str(path)) from None
    except OSError as error:
        raise ConfigError(f"cannot read configuration: {error.strerror}", file=str(path)) from None
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as error:
        raise ConfigError(
            f"INI syntax error: {_ini_problem(error)}", file=str(path), place=_ini_place(error)
        ) from None
    return parser, text


def _ini_problem(error: configparser.Error) -> str:
    if isinstance(error, configparser.MissingSectionHeaderError):
        return f"a line before the first [section] header: {error.line.strip()!r}"
    if isinstance(error, configparser.ParsingError) and error.errors:
        # configparser keeps the offending line as its repr.
        line = ast.literal_eval(error.errors[0][1]).strip()
        return f"cannot parse {line!r} (expected 'option = value' or a [section] header)"
    detail = error.message.splitlines()[0]
    return re.sub(r"^While reading from '[^']*' \[line\s*\d+\]: ", "", detail)


def _ini_place(error: configparser.Error) -> str | None:
    if isinstance(error, configparser.ParsingError) and error.errors:
        return f"line {error.errors[0][0]}"
    line = getattr(error, "lineno", None)
    return f"line {line}" if line else None


def load_ini(path: Path, parser: configparser.ConfigParser, text: str) -> LoadedConfig:
    header_lines = {
        match.group(1): number
        for number, line in enumerate(text.splitlines(), 1)
        if (match := re.match(r"\s*\[(.+)\]\s*$", line))
    }

    def section_options(section: str) -> dict[str, Any]:
        try:
            return _clean(dict(parser[section]))
        except configparser.InterpolationError as error:
            line = header_lines.get(section)
            raise ConfigError(
                f"a '%' in a value must be written '%%' (configparser's rule, which import-linter follows): "
                f"{error.message.splitlines()[0]}",
                file=str(path),
                place=(f"line {line}, " if line else "") + f"[{section}], option '{error.option}'",
            ) from None

    session = section_options(SECTION)
    sections = [section for section in parser.sections() if section.startswith(f"{SECTION}:")]
    contracts = []
    for section in sections:
        contract = {"id": section.split(":")[-1]}
        contract.update(section_options(section))
        contracts.append(contract)
    return _load(path, session, contracts, lambda index, _id: header_lines.get(sections[index]), f"[{SECTION}]")


def load_toml(path: Path, table: dict[str, Any], text: str) -> LoadedConfig:
    session = dict(table)
    contracts = session.pop("contracts", [])
    if not isinstance(contracts, list) or not all(isinstance(contract, dict) for contract in contracts):
        raise ConfigError(
            "'contracts' must be an array of tables ([[tool.importlinter.contracts]])",
            file=str(path),
            place=TOML_SECTION,
        )
    session = {key: _stringify_boolean(value) for key, value in session.items()}
    contracts = [{key: _stringify_boolean(value) for key, value in contract.items()} for contract in contracts]
    headers = [
        number
        for number, line in enumerate(text.splitlines(), 1)
        if re.match(r"\s*\[\[\s*tool\.importlinter\.contracts\s*\]\]", line)
    ]
    return _load(
        path, session, contracts, lambda index, _id: headers[index] if index < len(headers) else None, TOML_SECTION
    )


def _load(path: Path, session: dict, contracts: list[dict], rule_line: RuleLine, section: str) -> LoadedConfig:
    if "root_packages" not in session and "root_package" not in session:
        raise ConfigError(
            "missing option 'root_packages' (or 'root_package'): the project's top-level packages",
            file=str(path),
            place=section,
        )
    if not contracts:
        raise ConfigError(
            "no contracts found: each contract goes in an [importlinter:contract:ID] section (INI) "
            "or a [[tool.importlinter.contracts]] table (TOML)",
            file=str(path),
            place=section,
        )
    _give_ids(contracts)
    custom_types = _custom_contract_types(session)
    rules = []
    for index, contract in enumerate(contracts):
        line = rule_line(index, contract["id"])
        place = (f"line {line}, " if line else "") + f"rule '{contract['id']}'"
        if contract.get("type") in custom_types and contract.get("type") not in RULE_TYPES:
            raise ConfigError(
                f"contract type '{contract['type']}' is a custom import-linter type (contract_types), "
                "which Strataview cannot run",
                file=str(path),
                place=place,
            )
        try:
            rules.append(_as_rule(contract))
        except _OptionError as error:
            raise ConfigError(str(error), file=str(path), place=f"{place}, option '{error.option}'") from None
    config = build_config(_session(session), rules, file=str(path), rule_line=rule_line, section=section)
    lines = {rule.id: line for index, rule in enumerate(config.rules) if (line := rule_line(index, rule.id))}
    return LoadedConfig(config=config, file=path, format="importlinter", rule_lines=lines)


def _give_ids(contracts: list[dict]) -> None:
    """A TOML contract may have no id: give it a stable one made from its name."""
    taken = {str(contract["id"]) for contract in contracts if "id" in contract}
    for index, contract in enumerate(contracts, start=1):
        if "id" in contract:
            continue
        base = re.sub(r"[^a-z0-9]+", "-", str(contract.get("name", "")).lower()).strip("-") or f"contract-{index}"
        candidate, suffix = base, 2
        while candidate in taken:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(candidate)
        contract["id"] = candidate


def _custom_contract_types(session: dict[str, Any]) -> set[str]:
    declared = session.get("contract_types", [])
    declared = [declared] if isinstance(declared, str) else declared
    return {entry.split(": ")[0].strip() for entry in declared if isinstance(entry, str) and entry.strip()}


def _session(options: dict[str, Any]) -> dict[str, Any]:
    """import-linter's session options; it ignores keys it does not know, and so do we.

    `root_packages` wins over `root_package`. A single name in `root_packages` stands for a
    one-item list (import-linter would take each of its letters for a package).
    """
    roots = options.get("root_packages", options.get("root_package"))
    if isinstance(roots, str):
        roots = [roots]
    session: dict[str, Any] = {
        # import-linter compares against exactly these spellings.
        "include_external_packages": options.get("include_external_packages") in ("True", "true"),
        "exclude_type_checking_imports": options.get("exclude_type_checking_imports") in ("True", "true"),
    }
    if isinstance(roots, list):
        session["root_packages"] = [str(root).strip() for root in roots if str(root).strip()]
    elif roots is not None:
        session["root_packages"] = roots
    return session


def _as_rule(contract: dict[str, Any]) -> dict[str, Any]:
    """Turn a contract's string-typed options into the shapes the rule models expect."""
    rule = dict(contract)
    model = RULE_TYPES.get(rule.get("type"))
    if model is None:
        return rule
    for option, value in list(rule.items()):
        info = model.Options.model_fields.get(option)
        if info is None or option in ("id", "type"):
            continue
        coerced = _coerce(option, value, info.annotation)
        if coerced is _DEFAULT:
            del rule[option]
        else:
            rule[option] = coerced
    return rule


_DEFAULT = object()


def _coerce(option: str, value: Any, annotation: Any) -> Any:
    """Parse one option as import-linter's field of the same kind would."""
    base = _strip_optional(annotation)
    if typing.get_origin(base) is typing.Annotated:
        base = typing.get_args(base)[0]
    origin = typing.get_origin(base)
    if origin is tuple:
        items = list(value) if isinstance(value, (list, tuple)) else [value]
        return [item for item in items if not isinstance(item, str) or item.strip()]
    if isinstance(value, list) and base is not str:
        raise _OptionError(option, f"expected a single value, got several: {value!r}")
    if base is bool and isinstance(value, str):
        lowered = value.lower()
        if lowered not in ("true", "false"):
            raise _OptionError(option, f"could not parse a boolean from {value!r} (expected true or false)")
        return lowered == "true"
    if base is int and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            raise _OptionError(option, f"{value!r} is not an integer") from None
    if base is str and isinstance(value, list):
        return "\n".join(value)
    if origin is typing.Literal and isinstance(value, str):
        return value.strip() or _DEFAULT
    return value


def _strip_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _clean(section: dict[str, str]) -> dict[str, Any]:
    return {key: value.strip().split("\n") if "\n" in value else value for key, value in section.items()}


def _stringify_boolean(value: Any) -> Any:
    return str(value) if isinstance(value, bool) else value
