"""Find and load a project's configuration: Strataview's own first, then import-linter's, then tach's."""

from __future__ import annotations

from pathlib import Path

from core.config import importlinter, native, tach
from core.config.schema import LoadedConfig
from core.errors import ConfigError
from core.graph import source_root_paths


def load_config(project_root: Path, config_file: Path | None = None) -> LoadedConfig:
    """Load `config_file`, or discover one in the project root.

    Discovery order: `strataview.toml`, `[tool.strataview]` in pyproject.toml, then
    import-linter's own order (`setup.cfg`, `.importlinter`, `[tool.importlinter]`), then tach's
    (`tach.toml`, `[tool.tach]`): a project that has its own configuration keeps it.
    """
    if config_file is not None:
        if config_file.is_dir():
            raise ConfigError("is a directory, not a configuration file", file=str(config_file))
        if not config_file.is_file():
            raise ConfigError("configuration file does not exist", file=str(config_file))
        loaded = _load_file(config_file)
        if loaded is None:
            raise ConfigError(
                "no Strataview, import-linter or tach configuration in this file "
                "(looked for [tool.strataview], [tool.importlinter], an [importlinter] section or [tool.tach])",
                file=str(config_file),
            )
        return _with_source_roots(loaded, project_root)
    candidates = [
        (project_root / "strataview.toml", ("strataview",)),
        (project_root / "pyproject.toml", ("strataview",)),
        (project_root / "setup.cfg", ("importlinter",)),
        (project_root / ".importlinter", ("importlinter",)),
        (project_root / "pyproject.toml", ("importlinter",)),
        (project_root / "tach.toml", ("tach",)),
        (project_root / "pyproject.toml", ("tach",)),
    ]
    for path, formats in candidates:
        if path.is_file():
            loaded = _load_file(path, formats)
            if loaded is not None:
                return _with_source_roots(loaded, project_root)
    raise ConfigError(
        "no configuration found: add [tool.strataview] to pyproject.toml, a strataview.toml, "
        "an import-linter or a tach configuration",
        file=str(project_root),
    )


def _with_source_roots(loaded: LoadedConfig, project_root: Path) -> LoadedConfig:
    """The configuration, once each source root it lists is found to be a directory."""
    entries = loaded.config.source_roots or ()
    for entry, directory in zip(entries, source_root_paths(project_root.resolve(), entries), strict=True):
        if not directory.is_dir():
            problem = "is not a directory" if directory.exists() else "does not exist"
            raise ConfigError(
                f"source root '{entry}' {problem} ({directory})",
                file=str(loaded.file),
                place=loaded.option_place("source_roots"),
            )
    return loaded


def _load_file(path: Path, formats: tuple[str, ...] = ("strataview", "importlinter", "tach")) -> LoadedConfig | None:
    """The first of `formats` the file holds, or None."""
    if path.suffix == ".toml":
        data, text = native.read_toml(path)
        if path.name == "tach.toml" or (path.name != "pyproject.toml" and _is_tach(data)):
            return tach.load_tach(path, data, text, nested=False) if "tach" in formats else None
        tool = data.get("tool", {})
        tool = tool if isinstance(tool, dict) else {}
        if "strataview" in formats:
            table = native.strataview_table(path, data)
            if table is not None:
                return native.load_native(path, data, text, table)
        if "importlinter" in formats and isinstance(tool.get("importlinter"), dict) and tool["importlinter"]:
            return importlinter.load_toml(path, tool["importlinter"], text)
        if "tach" in formats and isinstance(tool.get("tach"), dict):
            return tach.load_tach(path, tool["tach"], text, nested=True)
        return None
    if "importlinter" not in formats:
        return None
    parser, text = importlinter.read_ini(path)
    if importlinter.SECTION in parser.sections():
        return importlinter.load_ini(path, parser, text)
    return None


def _is_tach(data: dict) -> bool:
    """A TOML file declaring tach's [[modules]] rather than Strataview's root packages and rules."""
    return isinstance(data.get("modules"), list) and not {"root_packages", "rules"} & set(data)
