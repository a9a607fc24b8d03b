"""Run a check: load the configuration, build the graph, check every rule; progress as it goes.

`run_check` is a generator of `Progress` events ending with the `CheckResult`, so the command
line and the desktop app can show progress and cancel between steps. With a baseline, the
baseline's graph is built from the revision's files in a temporary directory, checked with the
current rules, and compared (core.baseline); new violations get their commit (core.provenance).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

import core
from core import git
from core.config import LoadedConfig, load_config
from core.contracts.code import recorded_schemas
from core.errors import ConfigError, StrataviewError
from core.graph import (
    ProjectGraph,
    build_project_graph,
    default_cache_dir,
    display_path,
    grimp_cache_dir,
    project_source_roots,
    source_root_paths,
)
from core.import_adjustments import demote_local_imports
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
from core.rules.ignores import IgnoreOutcome, apply_ignores

if TYPE_CHECKING:
    from core.baseline import BaselineSource
    from core.snapshot import Snapshot


class Progress(BaseModel):
    """A step of the check: `stage` is 'config', 'graph', 'rules', 'baseline' or 'provenance';
    `current` of `total` steps."""

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
    baseline: str | None = None
    """Compare with this: a git revision (branch, tag, commit) or the path of a snapshot file."""
    provenance: bool = True
    """With a baseline in a git repository: find the commit behind each new violation and added module."""


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
    baseline = None
    if options.baseline is not None:
        # The comparison's modules are loaded only when asked for: they cost start-up time otherwise.
        from core.baseline import resolve_baseline

        baseline = resolve_baseline(root, options.baseline)
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
        source_roots=config.source_roots,
        adjustments=config.import_adjustments,
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
            config=display_path(loaded.file, root),
            source_roots=tuple(display_path(path, root) for path in source_root_paths(root, config.source_roots)),
        ),
        graph=GraphSummary(modules=len(project.graph.modules), imports=project.graph.count_imports()),
        rules=tuple(rule_results),
        violations=tuple(violations),
        contract_schemas=recorded_schemas(project),
    )
    if baseline is not None:
        result = yield from _compare_with_baseline(result, project, loaded, baseline, cache_dir, options)
    yield Analysis(result=result, project=project, config=loaded)


def _compare_with_baseline(
    result: CheckResult,
    project: ProjectGraph,
    loaded: LoadedConfig,
    baseline: BaselineSource,
    cache_dir: Path | None,
    options: CheckOptions,
) -> Generator[Progress, None, CheckResult]:
    from core.baseline import compare
    from core.provenance import attribute
    from core.snapshot import snapshot_of

    info = baseline.info
    snapshot = baseline.snapshot
    if snapshot is None:
        yield Progress(stage="baseline", message=f"Building the import graph of {info.ref}")
        snapshot, warnings = _analysed_baseline(project, loaded, baseline, cache_dir)
        info = info.model_copy(update={"warnings": warnings})
    yield Progress(stage="baseline", message=f"Comparing with {info.ref}")
    result = _checked_against_baseline(result, loaded, snapshot)
    comparison = compare(result, snapshot_of(result, project), snapshot, info)
    result = comparison.result
    repository = baseline.repository or _repository_of(project.root)
    if options.provenance and repository is not None:
        yield Progress(stage="provenance", message="Finding the commits behind new violations and modules")
        graph = project.graph
        modules = [module for module in graph.modules if not graph.is_module_squashed(module)]
        project.locate(modules)
        result = attribute(
            repository,
            result,
            comparison.traced,
            modules,
            project.file_of,
            loaded.config.provenance,
            list(project.package_locations()),
            cache_dir,
        )
    return result


def _checked_against_baseline(result: CheckResult, loaded: LoadedConfig, baseline: Snapshot) -> CheckResult:
    """Check the rules that compare with the baseline themselves (`check_against_baseline`, as
    contract_stability does with the baseline's contract schemas): what they find joins the
    rule's other violations, and the result keeps the baseline's schemas."""
    results = {rule.id: rule for rule in result.rules}
    found_by_rule: dict[str, list[Violation]] = {}
    for rule in loaded.config.rules:
        against = getattr(RULE_TYPES[rule.type], "check_against_baseline", None)
        if against is None or rule.id not in results:
            continue
        found, warnings = against(rule, result.contract_schemas, baseline.contract_schemas)
        known = {violation.fingerprint for violation in result.violations if violation.rule == rule.id}
        unique = [v for v in {v.fingerprint: v for v in found}.values() if v.fingerprint not in known]
        found_by_rule[rule.id] = unique
        count = results[rule.id].violations + len(unique)
        results[rule.id] = results[rule.id].model_copy(
            update={
                "kept": count == 0,
                "violations": count,
                "warnings": results[rule.id].warnings + tuple(warnings),
                "guidance": rule.broken_contract_guidance if count else None,
            }
        )
    order = {rule.id: position for position, rule in enumerate(result.rules)}
    violations = sorted(
        [*result.violations, *(v for found in found_by_rule.values() for v in found)], key=lambda v: order.get(v.rule, 0)
    )
    return result.model_copy(
        update={
            "rules": tuple(results.values()),
            "violations": tuple(violations),
            "baseline_contract_schemas": dict(sorted(baseline.contract_schemas.items())),
        }
    )


def _analysed_baseline(
    project: ProjectGraph, loaded: LoadedConfig, baseline: BaselineSource, cache_dir: Path | None
) -> tuple[Snapshot, tuple[str, ...]]:
    """The baseline revision's analysis, from the cache when this commit was analysed before with
    the same rules and settings (a commit's files never change), else built and then cached."""
    from core.baseline import baseline_key, load_cached_baseline, store_cached_baseline

    if cache_dir is None:
        return _git_baseline(project, loaded, baseline, None)
    assert baseline.repository is not None and baseline.info.commit is not None
    settings = "\n".join(
        [
            loaded.config.model_dump_json(exclude={"provenance"}),
            f"external={project.include_external_packages}",
            f"type-checking={project.exclude_type_checking_imports}",
            # Git-ignored files are those ignored now, at the baseline too.
            f"gitignored={sorted(project.adjusted.gitignored)}",
        ]
    )
    key = baseline_key(
        baseline.repository,
        baseline.info.commit,
        project.root_packages,
        project_source_roots(project.root, project.source_roots),
        settings,
    )
    cached = load_cached_baseline(cache_dir, key)
    if cached is not None:
        return cached
    snapshot, warnings = _git_baseline(project, loaded, baseline, cache_dir)
    store_cached_baseline(cache_dir, key, snapshot, warnings)
    return snapshot, warnings


def _git_baseline(
    project: ProjectGraph, loaded: LoadedConfig, baseline: BaselineSource, cache_dir: Path | None
) -> tuple[Snapshot, tuple[str, ...]]:
    """The snapshot of the baseline revision, checked with the current rules, and what could not be compared.

    The revision's graph is the current one patched where files differ (core.baseline_graph), or,
    where the package structure changed beyond what a patch follows, built from the revision's tree.
    Root packages missing at the revision are left out (their modules all count as added); a
    rule that cannot be checked there (it names a module that did not exist) has no baseline
    violations, so all of its violations count as new.
    """
    from core.baseline import BaselineError, baseline_tree, copy_cache
    from core.baseline_graph import patched_baseline_graph
    from core.snapshot import Snapshot

    repository, ref, commit = baseline.repository, baseline.info.ref, baseline.info.commit
    assert repository is not None and commit is not None
    try:
        patched = patched_baseline_graph(project, repository, commit)
    except StrataviewError as error:
        raise BaselineError(f"at the baseline {ref}: {error.message}", file=error.file, place=error.place) from None
    if patched is not None:
        return _checked_baseline(patched, loaded, project, [])
    warnings: list[str] = []
    source_roots = project_source_roots(project.root, project.source_roots)
    tree_roots = _source_roots_in_tree(project)
    with (
        baseline_tree(repository, commit, project.root_packages, source_roots) as tree,
        tempfile.TemporaryDirectory(prefix="strataview-") as scratch,
    ):
        search_paths = source_root_paths(tree, tree_roots)
        present = tuple(package for package in project.root_packages if _package_in(search_paths, package))
        warnings.extend(
            f"root package '{package}' does not exist at the baseline; all its modules count as added"
            for package in project.root_packages
            if package not in present
        )
        if not present:
            warnings.extend(
                f"rule '{rule.id}' could not be checked at the baseline; all its violations count as new"
                for rule in loaded.config.rules
            )
            empty = Snapshot(
                tool=ToolInfo(version=core.__version__),
                root_packages=project.root_packages,
                graph=GraphSummary(modules=0, imports=0),
            )
            return empty, tuple(warnings)
        baseline_cache = (
            copy_cache(
                grimp_cache_dir(cache_dir, project.include_external_packages, project.exclude_type_checking_imports),
                Path(scratch),
            )
            if cache_dir is not None
            else None
        )
        try:
            base = build_project_graph(
                tree,
                present,
                include_external_packages=project.include_external_packages,
                exclude_type_checking_imports=project.exclude_type_checking_imports,
                cache_dir=baseline_cache,
                config_file=loaded.file,
                source_roots=tree_roots,
                adjustments=project.adjusted.options,
                gitignored=project.adjusted.gitignored,
            )
        except StrataviewError as error:
            raise BaselineError(f"at the baseline {ref}: {error.message}", file=error.file, place=error.place) from None
        return _checked_baseline(base, loaded, project, warnings)


def _checked_baseline(
    base: ProjectGraph, loaded: LoadedConfig, project: ProjectGraph, warnings: list[str]
) -> tuple[Snapshot, tuple[str, ...]]:
    """The baseline's graph checked with the current rules, as a snapshot, with what could not be compared."""
    from core.snapshot import snapshot_of

    rule_results: list[RuleResult] = []
    violations: list[Violation] = []
    for rule in loaded.config.rules:
        try:
            rule_result, found = check_rule(rule, base, loaded)
        except ConfigError as error:
            warnings.append(
                f"rule '{rule.id}' could not be checked at the baseline ({error.message}); "
                "all its violations count as new"
            )
            continue
        rule_results.append(rule_result)
        violations.extend(found)
    checked = CheckResult(
        tool=ToolInfo(version=core.__version__),
        project=ProjectInfo(
            root=str(base.root), root_packages=base.root_packages, config=display_path(loaded.file, project.root)
        ),
        graph=GraphSummary(modules=len(base.graph.modules), imports=base.graph.count_imports()),
        rules=tuple(rule_results),
        violations=tuple(violations),
        contract_schemas=recorded_schemas(base),
    )
    return snapshot_of(checked, base), tuple(warnings)


def _source_roots_in_tree(project: ProjectGraph) -> tuple[str, ...] | None:
    """The project's source roots as seen from a baseline tree, which holds the project's own
    directories at the same places: those outside the project are read as they are now."""
    if project.source_roots is None:
        return None
    return tuple(
        path.relative_to(project.root).as_posix() if path.is_relative_to(project.root) else str(path)
        for path in source_root_paths(project.root, project.source_roots)
    )


def _package_in(search_paths: list[Path], package: str) -> bool:
    """Whether the package has a Python file where the project's finder looks for it."""
    parts = package.split(".")
    for base in search_paths:
        for _, _, files in os.walk(base.joinpath(*parts), followlinks=True):
            if any(name.endswith(".py") for name in files):
                return True
    return False


def _repository_of(root: Path) -> git.Repository | None:
    try:
        return git.repository_of(root)
    except git.GitMissing:
        return None


def check_project(project_root: Path, options: CheckOptions = CheckOptions()) -> CheckResult:
    """Run a check to the end and return its result."""
    for event in run_check(project_root, options):
        if isinstance(event, CheckResult):
            return event
    raise AssertionError("run_check ended without a result")


def check_rule(rule: RuleOptions, project: ProjectGraph, loaded: LoadedConfig) -> tuple[RuleResult, list[Violation]]:
    ignores, context, found = _run_rule(rule, project, loaded)
    found, local_warnings = demote_local_imports(found, project.adjusted)
    warnings: list[str] = list(context.warnings) + local_warnings
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


def _run_rule(
    rule: RuleOptions, project: ProjectGraph, loaded: LoadedConfig
) -> tuple[IgnoreOutcome, RuleContext, list[Violation]]:
    """The rule checked on `project`: its ignored imports, its context (with the warnings it
    made) and what it found, before imports inside blocks are told apart."""
    ignores = apply_ignores(project, rule)
    context = RuleContext(
        graph=ignores.graph,
        project=project,
        all_rules=list(loaded.config.rules),
        declaration_place=lambda rule_id, entry: loaded.declaration_place(rule_id, entry, project.root),
        recheck=lambda other, checked: _run_rule(other, checked, loaded)[2],
    )
    try:
        found = RULE_TYPES[rule.type].check(rule, context)
    except ConfigError as error:
        raise ConfigError(
            error.message, file=str(loaded.file), place=loaded.place_of(rule.id, error.place)
        ) from None
    return ignores, context, found


def _choose(override: bool | None, configured: bool) -> bool:
    return configured if override is None else override
