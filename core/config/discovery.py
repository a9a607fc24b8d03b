"""Find and load a project's configuration: Strataview's own first, then import-linter's."""

from __future__ import annotations

from pathlib import Path

from core.config import importlinter, native
from core.config.schema import LoadedConfig
from core.errors import ConfigError


def load_config(project_root: Path, config_file: Path | None = None) -> LoadedConfig:
    """Load `config_file`, or discover one in the project root.

    Discovery order: `strataview.toml`, `[tool.strataview]` in pyproject.toml, then
    import-linter's own order (`setup.cfg`, `.importlinter`, `[tool.importlinter]`).
    """
    if config_file is not None:
        if config_file.is_dir():
            raise ConfigError("is a directory, not a configuration file", file=str(config_file))
        if not config_file.is_file():
            raise ConfigError("configuration file does not exist", file=str(config_file))
        loaded = _load_file(config_file, native_first=True)
        if loaded is None:
            raise ConfigError(
                "no Strataview or import-linter configuration in this file "
                "(looked for [tool.strataview], [tool.importlinter] or an [importlinter] section)",
                file=str(config_file),
            )
        return loaded
    candidates = [
        (project_root / "strataview.toml", True),
        (project_root / "pyproject.toml", True),
        (project_root / "setup.cfg", False),
        (project_root / ".importlinter", False),
        (project_root / "pyproject.toml", False),
    ]
    for path, native_only in candidates:
        if path.is_file():
            loaded = _load_file(path, native_first=native_only, native_only=native_only)
            if loaded is not None:
                return loaded
    raise ConfigError(
        "no configuration found: add [tool.strataview] to pyproject.toml, a strataview.toml, "
        "or an import-linter configuration",
        file=str(project_root),
    )


def _load_file(path: Path, *, native_first: bool, native_only: bool = False) -> LoadedConfig | None:
    if path.suffix == ".toml":
        data, text = native.read_toml(path)
        if native_first:
            table = native.strataview_table(path, data)
            if table is not None:
                return native.load_native(path, data, text, table)
            if native_only:
                return None
        tool = data.get("tool", {})
        table = tool.get("importlinter") if isinstance(tool, dict) else None
        if isinstance(table, dict) and table:
            return importlinter.load_toml(path, table, text)
        return None
    parser, text = importlinter.read_ini(path)
    if importlinter.SECTION in parser.sections():
        return importlinter.load_ini(path, parser, text)
    return None
