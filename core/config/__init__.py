"""Configuration: Strataview's own (`[tool.strataview]`, `strataview.toml`), import-linter's and tach's."""

from core.config.discovery import load_config
from core.config.schema import LoadedConfig, ProjectConfig, RuleConfig, config_json_schema

__all__ = ["LoadedConfig", "ProjectConfig", "RuleConfig", "config_json_schema", "load_config"]
