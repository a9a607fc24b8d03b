"""import-linter's configuration, read exactly as import-linter 2.17 reads it.

INI files (`setup.cfg`, `.importlinter`, or any non-TOML file): section `[importlinter]` holds
the session options and each `[importlinter:contract:ID]` a contract, with multi-line values as
lists and full-line comments dropped inside them (configparser's rules). TOML: `[tool.importlinter]`
with `[[tool.importlinter.contracts]]`. A single string stands for a one-item list, booleans are
the strings "true"/"false" in any case, and blank list items are skipped.
"""

from __future__ import annotations

import configparser
import re
import types
import typing
from pathlib import Path
from typing import Any

from core.config.schema import LoadedConfig, build_config
from core.errors import ConfigError
from core.rules import RULE_TYPES

SECTION = "importlinter"
CONTRACT_PREFIX = f"{SECTION}:contract:"


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
        line = getattr(error, "lineno", None)
        detail = error.message.splitlines()[0] if hasattr(error, "message") else str(error)
        detail = re.sub(r"^While reading from '[^']*' \[line\s*\d+\]: ", "", detail)
        raise ConfigError(
            f"INI syntax error: {detail}", file=str(path), place=f"line {line}" if line else None
        ) from None
    return parser, text


def load_ini(path: Path, parser: configparser.ConfigParser, text: str) -> LoadedConfig:
    session = _clean(dict(parser[SECTION]))
    contracts = []
    for section in parser.sections():
        if section.startswith(f"{SECTION}:"):
            contract = {"id": section.split(":")[-1]}
            contract.update(_clean(dict(parser[section])))
            contracts.append(contract)
    lines = {
        section: n for n, line in enumerate(text.splitlines(), 1)
        if (match := re.match(r"\s*\[(.+)\]\s*$", line)) and (section := match.group(1)).startswith(f"{SECTION}:")
    }
    section_names = [s for s in parser.sections() if s.startswith(f"{SECTION}:")]
    return _load(
        path, session, contracts, lambda index, _id: lines.get(section_names[index]), f"[{SECTION}]"
    )


def load_toml(path: Path, table: dict[str, Any], text: str) -> LoadedConfig:
    session = dict(table)
    contracts = session.pop("contracts", [])
    if not isinstance(contracts, list):
        raise ConfigError("'contracts' must be an array of tables", file=str(path), place="[tool.importlinter]")
    session = {key: _stringify_booleans(value) for key, value in session.items()}
    contracts = [
        {key: _stringify_booleans(value) for key, value in contract.items()} if isinstance(contract, dict) else contract
        for contract in contracts
    ]
    headers = [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"\s*\[\[tool\.importlinter\.contracts\]\]", line)]
    return _load(
        path, session, contracts, lambda index, _id: headers[index] if index < len(headers) else None,
        "[tool.importlinter]",
    )


def _load(path: Path, session: dict, contracts: list, rule_line, section: str) -> LoadedConfig:
    if not contracts:
        raise ConfigError(
            "no contracts found: each contract goes in an [importlinter:contract:ID] section (INI) "
            "or a [[tool.importlinter.contracts]] table (TOML)",
            file=str(path), place=section,
        )
    rules = [_as_rule(contract, index) for index, contract in enumerate(contracts)]
    config = build_config(_session(session), rules, file=str(path), rule_line=rule_line, section=section)
    lines = {rule.id: line for index, rule in enumerate(config.rules) if (line := rule_line(index, rule.id))}
    return LoadedConfig(config=config, file=path, format="importlinter", rule_lines=lines)


def _session(options: dict[str, Any]) -> dict[str, Any]:
    """import-linter's session options; it ignores keys it does not know, and so do we."""
    roots = options.get("root_packages", options.get("root_package"))
    if isinstance(roots, str):
        roots = [roots]
    return {
        "root_packages": [r.strip() for r in roots or [] if r.strip()],
        # import-linter compares against exactly these spellings.
        "include_external_packages": options.get("include_external_packages") in ("True", "true"),
        "exclude_type_checking_imports": options.get("exclude_type_checking_imports") in ("True", "true"),
    }


def _as_rule(contract: Any, index: int) -> Any:
    """Turn a contract's string-typed options into the shapes the rule models expect."""
    if not isinstance(contract, dict):
        return contract
    rule = dict(contract)
    if "id" not in rule:
        # A TOML contract may have no id: derive a stable one from its name.
        rule["id"] = re.sub(r"[^a-z0-9]+", "-", str(rule.get("name", "")).lower()).strip("-") or f"contract-{index + 1}"
    model = RULE_TYPES.get(rule.get("type"))
    if model is None:
        return rule
    for option, value in list(rule.items()):
        info = model.Options.model_fields.get(option)
        if info is None or option in ("id", "type"):
            continue
        rule[option] = _coerce(value, info.annotation)
    return rule


def _coerce(value: Any, annotation: Any) -> Any:
    base = _strip_optional(annotation)
    origin = typing.get_origin(base)
    if origin is typing.Annotated:
        base = typing.get_args(base)[0]
        origin = typing.get_origin(base)
    if origin is tuple:
        items = list(value) if isinstance(value, (list, tuple)) else [value]
        return [item for item in items if not isinstance(item, str) or item.strip()]
    if base is bool and isinstance(value, str):
        lowered = value.lower()
        return True if lowered == "true" else False if lowered == "false" else value
    if base is int and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return value
    if base is str and isinstance(value, list):
        return "\n".join(value)
    if isinstance(value, str) and typing.get_origin(base) is typing.Literal:
        return value.strip()
    return value


def _strip_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _clean(section: dict[str, str]) -> dict[str, Any]:
    return {key: value.strip().split("\n") if "\n" in value else value for key, value in section.items()}


def _stringify_booleans(value: Any) -> Any:
    return str(value) if isinstance(value, bool) else value
