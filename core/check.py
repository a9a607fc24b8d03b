"""Run a check: load the configuration, build the graph, check every rule; progress as it goes.

`run_check` is a generator of `Progress` events ending with the `CheckResult`, so the command
line and the desktop app can show progress and cancel between steps.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

import core
from core.config import LoadedConfig, load_config
from core.errors import ConfigError
from core.graph import ProjectGraph, build_project_graph, default_cache_dir
from core.model import (
    CheckResult,
    GraphSummary,
    ProjectInfo,
    RuleResult,
    ToolInfo,
    Violation,
    fingerprint,
)
from core.rules import RULE_TYPES
from core.rules.common import RuleContext, RuleOptions
from core.rules.ignores import apply_ignores


class Progress(BaseModel):
    """A step of the check: `stage` is 'config', 'graph' or 'rules'; `current` of `total` steps."""

    model_config = ConfigDict(frozen=True)

    stage: str
    message: str
    current: int = 0
    total: int = 0


@dataclass(frozen=True)
class CheckOptions:
    config_file: Path | None = None
    use_cache: bool = True
    cache_dir: Path | None = None
    include_external_packages: bool | None = None
    exclude_type_checking_imports: bool | None = None


@dataclass(frozen=True)
class Analysis:
    """A finished check with what views need beyond its result: the graph and the configuration."""

    result: CheckResult
    project: ProjectGraph
    config: LoadedConfig


def run_check(project_root: Path, options: CheckOptions = CheckOptions()) -> Iterator[Progress | CheckResult]:
    """Check the project at `project_root`; raises StrataviewError for input the user must fix."""
    for event in run_analysis(project_root, options):
        yield event.result if isinstance(event, Analysis) else event


def run_analysis(project_root: Path, options: CheckOptions = CheckOptions()) -> Iterator[Progress | Analysis]:
    """Like `run_check`, ending with the whole `Analysis` instead of only its result."""
    root = project_root.resolve()
    if not root.is_dir():
        raise ConfigError("project directory does not exist", file=str(project_root))
    yield Progress(stage="config", message="Reading configuration")
    loaded = load_config(root, options.config_file)
    config = loaded.config
    include_external = _choose(options.include_external_packages, config.include_external_packages)
    exclude_type_checking = _choose(options.exclude_type_checking_imports, config.exclude_type_checking_imports)

    yield Progress(stage="graph", message="Building the import graph")
    cache_dir = (options.cache_dir or default_cache_dir(root)) if options.use_cache else None
    project = build_project_graph(
        root,
        config.root_packages,
        include_external_packages=include_external,
        exclude_type_checking_imports=exclude_type_checking,
        cache_dir=cache_dir,
        config_file=loaded.file,
    )

    rule_results: list[RuleResult] = []
    violations: list[Violation] = []
    total = len(config.rules)
    for index, rule in enumerate(config.rules, start=1):
        yield Progress(stage="rules", message=f"Checking rule {index} of {total}: {rule.title}", current=index, total=total)
        result, found = check_rule(rule, project, loaded)
        rule_results.append(result)
        violations.extend(found)

    result = CheckResult(
        tool=ToolInfo(version=core.__version__),
        project=ProjectInfo(
            root=str(root),
            root_packages=config.root_packages,
            config=_relative(loaded.file, root),
        ),
        graph=GraphSummary(modules=len(project.graph.modules), imports=project.graph.count_imports()),
        rules=tuple(rule_results),
        violations=tuple(violations),
    )
    yield Analysis(result=result, project=project, config=loaded)


def check_project(project_root: Path, options: CheckOptions = CheckOptions()) -> CheckResult:
    """Run a check to the end and return its result."""
    for event in run_check(project_root, options):
        if isinstance(event, CheckResult):
            return event
    raise AssertionError("run_check ended without a result")


def check_rule(rule: RuleOptions, project: ProjectGraph, loaded: LoadedConfig) -> tuple[RuleResult, list[Violation]]:
    ignores = apply_ignores(project, rule)
    context = RuleContext(graph=ignores.graph, project=project, all_rules=list(loaded.config.rules))
    try:
        found = RULE_TYPES[rule.type].check(rule, context)
    except ConfigError as error:
        raise ConfigError(
            error.message, file=str(loaded.file), place=loaded.place_of(rule.id, error.place)
        ) from None
    warnings: list[str] = []
    for expression in ignores.unmatched:
        message = f"ignore_imports expression '{expression}' matched no import"
        if rule.unmatched_ignore_imports_alerting == "error":
            found.append(
                Violation(
                    fingerprint=fingerprint(rule.id, rule.type, "unmatched-ignore", expression),
                    rule=rule.id,
                    type=rule.type,
                    message=message,
                )
            )
        elif rule.unmatched_ignore_imports_alerting == "warn":
            warnings.append(message)
    unique = list({violation.fingerprint: violation for violation in found}.values())
    result = RuleResult(
        id=rule.id,
        name=rule.title,
        type=rule.type,
        kept=not unique,
        violations=len(unique),
        ignored=tuple(ignores.ignored),
        unmatched_ignores=tuple(ignores.unmatched),
        warnings=tuple(warnings),
        guidance=rule.broken_contract_guidance if unique else None,
    )
    return result, unique


def _choose(override: bool | None, configured: bool) -> bool:
    return configured if override is None else override


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
