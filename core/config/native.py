"""Strataview's own configuration: `[tool.strataview]` in pyproject.toml or a `strataview.toml`."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from core.config.schema import LoadedConfig, build_config
from core.errors import ConfigError


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Parse a TOML file; a syntax error names the file and its line."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark, as some editors write, is no text
    except UnicodeDecodeError as error:
        raise ConfigError(f"configuration is not UTF-8 ({error.reason})", file=str(path)) from None
    except OSError as error:
        raise ConfigError(f"cannot read configuration: {error.strerror}", file=str(path)) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        place = None
        if match := re.search(r"\s*\(at line (\d+), column (\d+)\)", message):
            place = f"line {match.group(1)}, column {match.group(2)}"
        elif match := re.search(r"\s*\(at end of document\)", message):
            place = f"line {max(len(text.splitlines()), 1)}, end of file"
        if match:
            message = message[: match.start()] + message[match.end() :]
        raise ConfigError(f"TOML syntax error: {message}", file=str(path), place=place) from None


def strataview_table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """Strataview's table in a TOML file: `[tool.strataview]`, or else the whole of any TOML file
    other than pyproject.toml (such as strataview.toml) that is not an import-linter one."""
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        tool = {}
    if isinstance(tool.get("strataview"), dict):
        return tool["strataview"]
    if path.name == "pyproject.toml" or "importlinter" in tool or not data:
        return None
    return data


def load_native(path: Path, data: dict[str, Any], text: str, table: dict[str, Any]) -> LoadedConfig:
    nested = table is not data
    section = "[tool.strataview]" if nested else "top level"
    header = re.escape("[[tool.strataview.rules]]" if nested else "[[rules]]")
    header_lines = [n for n, line in enumerate(text.splitlines(), 1) if re.match(rf"\s*{header}", line)]
    session = {key: value for key, value in table.items() if key != "rules"}
    raw_rules = table.get("rules", [])
    if not isinstance(raw_rules, list):
        raise ConfigError("'rules' must be an array of tables", file=str(path), place=section)

    def rule_line(index: int, _rule_id: object) -> int | None:
        return header_lines[index] if index < len(header_lines) else None

    config = build_config(session, raw_rules, file=str(path), rule_line=rule_line, section=section)
    lines = {rule.id: line for index, rule in enumerate(config.rules) if (line := rule_line(index, rule.id))}
    return LoadedConfig(
        config=config, file=path, format="strataview", rule_lines=lines, option_lines=_option_lines(text, nested)
    )


def _option_lines(text: str, nested: bool) -> dict[str, int]:
    """The line of each key set directly in Strataview's table (not in its rules or sub-tables)."""
    lines: dict[str, int] = {}
    inside = not nested
    for number, line in enumerate(text.splitlines(), 1):
        if header := re.match(r"\s*\[\[?([^\]]+)\]", line):
            inside = nested and re.sub(r"\s", "", header.group(1)) == "tool.strataview"
        elif inside and (key := re.match(r"\s*([A-Za-z0-9_-]+)\s*=", line)):
            lines.setdefault(key.group(1), number)
    return lines
