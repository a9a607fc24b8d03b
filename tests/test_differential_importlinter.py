"""Strataview against import-linter 2.17 itself, on real installed packages.

Each package has one configuration file under `tests/differential/` with contracts of every
import-linter type, some kept and some broken. The same file is fed to both tools; for each
contract they must agree on the verdict, the package-level illegal dependencies, the direct
illegal imports (with their line numbers), the undeclared modules of exhaustive layers and the
number of warnings.

Indirect chains are not compared one for one: grimp chooses among equally short paths
differently from one graph to the next, so two runs of import-linter itself disagree on them.
Strataview's chains are instead checked to be real paths between the modules they explain.

Seeded random contracts (`differential/random_contracts.py`) widen the comparison, and contracts
import-linter cannot check must be refused by Strataview with a clear configuration error.
"""

from __future__ import annotations

import configparser
import shutil
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import grimp
import pytest
from importlinter import configuration as importlinter_configuration
from importlinter.application import use_cases as importlinter_use_cases

from core.check import CheckOptions, check_project
from core.errors import ConfigError
from core.model import Violation
from differential.random_contracts import ContractMaker, write_ini

CONFIGS = Path(__file__).resolve().parent / "differential"

# Each package's configuration file, and the name it is copied to in an otherwise empty
# project directory (the packages themselves are found installed, on the Python path).
PACKAGES = {
    "networkx": ("networkx.ini", ".importlinter"),
    "pydantic": ("pydantic.toml", "pyproject.toml"),
    "_pytest": ("_pytest.cfg", "setup.cfg"),
}
CONTRACT_TYPES = {"layers", "forbidden", "independence", "protected", "acyclic_siblings", "private_modules"}

Link = tuple[str, str, tuple[int, ...]]


@dataclass
class Outcome:
    """One contract's result, reduced to what both tools report the same way."""

    type: str
    kept: bool
    # (importer, imported) at the level the contract speaks of; for acyclic_siblings also the
    # number of imports to remove between the two siblings.
    dependencies: set[tuple] = field(default_factory=set)
    # Direct illegal imports with their line numbers (acyclic_siblings: the imports to remove,
    # which import-linter reports without line numbers).
    direct: set[Link] = field(default_factory=set)
    undeclared: set[str] = field(default_factory=set)
    warnings: int = 0


def _link(importer: str, imported: str, line_numbers) -> Link:
    return importer, imported, tuple(sorted(n for n in line_numbers if n is not None))


def _direct_route(detailed_chain: dict) -> Link | None:
    """The import an import-linter route stands for, if it is direct (one link, no extras)."""
    chain = detailed_chain["chain"]
    if len(chain) != 1 or detailed_chain["extra_firsts"] or detailed_chain["extra_lasts"]:
        return None
    return _link(chain[0]["importer"], chain[0]["imported"], chain[0]["line_numbers"])


def _importlinter_outcome(contract_type: str, check) -> Outcome:
    outcome = Outcome(type=contract_type, kept=check.kept, warnings=len(check.warnings))
    metadata = check.metadata
    if contract_type == "layers":
        for dependency in metadata["invalid_dependencies"]:
            outcome.dependencies.add((dependency["importer"], dependency["imported"]))
            outcome.direct |= {link for route in dependency["routes"] if (link := _direct_route(route))}
        outcome.undeclared = set(metadata["undeclared_modules"])
    elif contract_type == "independence":
        for dependency in metadata["invalid_chains"]:
            outcome.dependencies.add((dependency["downstream_module"], dependency["upstream_module"]))
            outcome.direct |= {link for route in dependency["chains"] if (link := _direct_route(route))}
    elif contract_type == "forbidden":
        for dependency in metadata["invalid_chains"]:
            outcome.dependencies.add((dependency["downstream_module"], dependency["upstream_module"]))
            outcome.direct |= {
                _link(chain[0]["importer"], chain[0]["imported"], chain[0]["line_numbers"])
                for chain in dependency["chains"]
                if len(chain) == 1
            }
    elif contract_type == "protected":
        for broken in metadata["illegal_imports"]:
            for link in broken.illegal_links:
                outcome.dependencies.add((link["importer"], link["imported"]))
                outcome.direct.add(_link(link["importer"], link["imported"], link["line_numbers"]))
    elif contract_type == "acyclic_siblings":
        for summary in metadata["summaries"]:
            outcome.dependencies |= {(d.downstream, d.upstream, d.num_imports) for d in summary.dependencies}
        for breakers in metadata["cycle_breakers_by_package"].values():
            outcome.direct |= {(importer, imported, ()) for importer, imported in breakers}
    elif contract_type == "private_modules":
        for link in metadata["illegal_imports"]:
            outcome.dependencies.add((link["importer"], link["imported"]))
            outcome.direct.add(_link(link["importer"], link["imported"], link["line_numbers"]))
    else:
        raise AssertionError(f"unexpected contract type {contract_type}")
    return outcome


def _strataview_outcome(contract_type: str, kept: bool, violations: list[Violation], warnings: int) -> Outcome:
    outcome = Outcome(type=contract_type, kept=kept, warnings=warnings)
    for violation in violations:
        if contract_type == "layers" and violation.imported is None:
            outcome.undeclared.add(violation.importer)
        elif contract_type == "acyclic_siblings":
            outcome.dependencies.add((violation.importer, violation.imported, len(violation.chains)))
            outcome.direct |= {(chain[0].importer, chain[0].imported, ()) for chain in violation.chains}
        else:
            outcome.dependencies.add((violation.importer, violation.imported))
            outcome.direct |= {
                _link(chain[0].importer, chain[0].imported, chain[0].line_numbers)
                for chain in violation.chains
                if len(chain) == 1
            }
    return outcome


def _is_in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _chain_problems(violation: Violation) -> list[str]:
    """What is wrong with a violation's chains: each must be a path of imports that exist in the
    rule's graph (so they have line numbers), from inside the importer to inside the imported."""
    problems = []
    for chain in violation.chains:
        shown = " -> ".join([chain[0].importer, *(link.imported for link in chain)])
        if not _is_in(chain[0].importer, violation.importer) or not _is_in(chain[-1].imported, violation.imported):
            problems.append(f"{shown} does not lead from {violation.importer} to {violation.imported}")
        if any(a.imported != b.importer for a, b in zip(chain, chain[1:])):
            problems.append(f"{shown} is not connected")
        if any(not link.line_numbers for link in chain):
            problems.append(f"{shown} has an import that is not in the graph")
    return problems


def _run_importlinter(config_file: Path) -> dict[str, Outcome]:
    importlinter_configuration.configure()
    importlinter_use_cases._register_built_in_contract_types()
    source = importlinter_use_cases.ConfigSource(
        filename=str(config_file), user_options=importlinter_use_cases.read_user_options(str(config_file))
    )
    report = importlinter_use_cases._create_report_from_sources([source], cache_dir=None)
    assert not report.could_not_run, report.invalid_contract_options
    return {
        contract.contract_options["id"]: _importlinter_outcome(contract.contract_options["type"], check)
        for contract, check in report.get_contracts_and_checks()
    }


@dataclass
class StrataviewRun:
    outcomes: dict[str, Outcome]
    chain_problems: dict[str, list[str]]


def _run_strataview(project_root: Path, config_file: Path) -> StrataviewRun:
    result = check_project(project_root, CheckOptions(config_file=config_file, use_cache=False))
    assert not result.errors
    run = StrataviewRun(outcomes={}, chain_problems={})
    for rule in result.rules:
        violations = [v for v in result.violations if v.rule == rule.id]
        run.outcomes[rule.id] = _strataview_outcome(rule.type, rule.kept, violations, len(rule.warnings))
        run.chain_problems[rule.id] = [problem for v in violations if v.chains for problem in _chain_problems(v)]
    return run


@dataclass
class Comparison:
    importlinter: dict[str, Outcome]
    strataview: StrataviewRun


@pytest.fixture(scope="module")
def comparisons(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Comparison]:
    """Each package checked once by each tool, with all of its contracts."""
    found = {}
    for package, (source, name) in PACKAGES.items():
        project_root = tmp_path_factory.mktemp(f"differential-{package}")
        config_file = project_root / name
        shutil.copyfile(CONFIGS / source, config_file)
        found[package] = Comparison(
            importlinter=_run_importlinter(config_file),
            strataview=_run_strataview(project_root, config_file),
        )
    return found


def _contract_ids(package: str) -> list[str]:
    """The contract ids, in order, as written in the package's configuration file."""
    source, _ = PACKAGES[package]
    text = (CONFIGS / source).read_text(encoding="utf-8")
    if source.endswith(".toml"):
        return [contract["id"] for contract in tomllib.loads(text)["tool"]["importlinter"]["contracts"]]
    parser = configparser.ConfigParser()
    parser.read_string(text)
    prefix = "importlinter:contract:"
    return [section.removeprefix(prefix) for section in parser.sections() if section.startswith(prefix)]


CASES = [(package, contract_id) for package in PACKAGES for contract_id in _contract_ids(package)]


@pytest.mark.parametrize(("package", "contract_id"), CASES, ids=[f"{p}:{c}" for p, c in CASES])
def test_same_result_as_importlinter(comparisons, package, contract_id):
    expected = comparisons[package].importlinter[contract_id]
    actual = comparisons[package].strataview.outcomes[contract_id]
    assert actual.type == expected.type
    assert actual.kept == expected.kept
    assert sorted(actual.dependencies) == sorted(expected.dependencies)
    assert sorted(actual.direct) == sorted(expected.direct)
    assert sorted(actual.undeclared) == sorted(expected.undeclared)
    assert actual.warnings == expected.warnings


@pytest.mark.parametrize(("package", "contract_id"), CASES, ids=[f"{p}:{c}" for p, c in CASES])
def test_chains_are_real_import_paths(comparisons, package, contract_id):
    assert comparisons[package].strataview.chain_problems[contract_id] == []


def test_both_tools_checked_every_contract(comparisons):
    for package, comparison in comparisons.items():
        assert list(comparison.importlinter) == _contract_ids(package)
        assert list(comparison.strataview.outcomes) == _contract_ids(package)


def test_the_comparison_is_not_vacuous(comparisons):
    # Every package has every contract type; each type is seen both kept and broken, and broken
    # by direct imports, somewhere; and some contracts are broken by indirect imports only.
    verdicts: Counter[tuple[str, bool]] = Counter()
    broken_directly: set[str] = set()
    indirect_only = 0
    for package, comparison in comparisons.items():
        assert {outcome.type for outcome in comparison.importlinter.values()} == CONTRACT_TYPES, package
        for outcome in comparison.importlinter.values():
            verdicts[outcome.type, outcome.kept] += 1
            if outcome.direct:
                broken_directly.add(outcome.type)
            if outcome.dependencies and not outcome.direct:
                indirect_only += 1
    for contract_type in CONTRACT_TYPES:
        assert verdicts[contract_type, True] and verdicts[contract_type, False], contract_type
    assert broken_directly == CONTRACT_TYPES
    assert indirect_only >= 5


# Random contracts: each package with the session options of its configuration file.
RANDOM_SESSIONS = {
    "networkx": {"include_external_packages": False, "exclude_type_checking_imports": False},
    "pydantic": {"include_external_packages": True, "exclude_type_checking_imports": False},
    "_pytest": {"include_external_packages": True, "exclude_type_checking_imports": True},
}
RANDOM_SEEDS = range(3)
RANDOM_CONTRACTS_PER_SEED = 40


def _differences(expected: Outcome, actual: Outcome) -> dict[str, tuple]:
    fields = ("type", "kept", "dependencies", "direct", "undeclared", "warnings")
    return {
        name: (getattr(expected, name), getattr(actual, name))
        for name in fields
        if getattr(expected, name) != getattr(actual, name)
    }


@pytest.mark.parametrize("package", list(RANDOM_SESSIONS))
def test_random_contracts_same_result_as_importlinter(tmp_path, package):
    session = RANDOM_SESSIONS[package]
    graph = grimp.build_graph(package, cache_dir=None, **session)
    contracts = [
        contract
        for seed in RANDOM_SEEDS
        for contract in ContractMaker(graph, package, seed).contracts(RANDOM_CONTRACTS_PER_SEED, f"seed{seed}")
    ]
    config_file = tmp_path / "setup.cfg"
    write_ini(config_file, {"root_packages": [package], **{k: str(v).lower() for k, v in session.items()}}, contracts)
    expected = _run_importlinter(config_file)
    actual = _run_strataview(tmp_path, config_file)
    assert list(actual.outcomes) == list(expected) == [contract["id"] for contract in contracts]
    differences = {cid: found for cid in expected if (found := _differences(expected[cid], actual.outcomes[cid]))}
    assert differences == {}
    assert {cid: problems for cid, problems in actual.chain_problems.items() if problems} == {}
    assert {outcome.kept for outcome in expected.values()} == {True, False}


# Contracts on _pytest that import-linter cannot check (it stops with an exception or rejects
# the options): Strataview must refuse them too, with a configuration error that names the rule
# and says what is wrong.
REFUSED = {
    "overlapping-independent-modules": (
        "type = independence\nmodules =\n    _pytest.config\n    _pytest.config.argparsing\n    _pytest.main",
        "option 'modules'",
    ),
    "missing-independent-module": (
        "type = independence\nmodules =\n    _pytest.not_a_module\n    _pytest.main",
        "option 'modules'",
    ),
    "external-ancestor": ("type = acyclic_siblings\nancestors =\n    pluggy", "option 'ancestors'"),
    "unmatched-ancestor": ("type = acyclic_siblings\nancestors =\n    _pytest.*.not_a_module", "option 'ancestors'"),
    "skipped-ancestor": (
        "type = acyclic_siblings\nancestors =\n    _pytest.config\nskip_descendants =\n    _pytest.config",
        "also an ancestor",
    ),
    "external-packages-with-private-modules": (
        "type = private_modules\npackages_with_private_modules =\n    pluggy",
        "option 'packages_with_private_modules'",
    ),
    "private-packages-with-private-modules": (
        "type = private_modules\npackages_with_private_modules =\n    _pytest",
        "option 'packages_with_private_modules'",
    ),
    "missing-allowed-importer": (
        "type = protected\nprotected_modules =\n    _pytest.config\nallowed_importers =\n    _pytest.not_a_module",
        "option 'allowed_importers'",
    ),
    "missing-protected-module": (
        "type = protected\nprotected_modules =\n    _pytest.not_a_module\nallowed_importers =\n    _pytest.main",
        "option 'protected_modules'",
    ),
    "missing-layer": ("type = layers\nlayers =\n    _pytest.main\n    _pytest.not_a_module", "option 'layers'"),
    "mixed-layer-separators": (
        "type = layers\nlayers =\n    _pytest.main | _pytest.nodes : _pytest.config",
        "option 'layers'",
    ),
    "exhaustive-without-containers": ("type = layers\nexhaustive = true\nlayers =\n    _pytest.main", "exhaustive"),
    "missing-source-module": (
        "type = forbidden\nsource_modules =\n    _pytest.not_a_module\nforbidden_modules =\n    _pytest.main",
        "option 'source_modules'",
    ),
    "external-subpackage-forbidden": (
        "type = forbidden\nsource_modules =\n    _pytest.main\nforbidden_modules =\n    pluggy.sub",
        "option 'forbidden_modules'",
    ),
}


@pytest.mark.parametrize("contract_id", list(REFUSED))
def test_contracts_importlinter_cannot_check_are_refused(tmp_path, contract_id):
    body, expected = REFUSED[contract_id]
    config_file = tmp_path / "setup.cfg"
    config_file.write_text(
        "[importlinter]\nroot_package = _pytest\ninclude_external_packages = true\n\n"
        f"[importlinter:contract:{contract_id}]\nname = {contract_id}\n{body}\n",
        encoding="utf-8",
    )
    with pytest.raises((ValueError, AssertionError, grimp.exceptions.GrimpException)):
        _run_importlinter(config_file)
    with pytest.raises(ConfigError) as refused:
        check_project(tmp_path, CheckOptions(config_file=config_file, use_cache=False))
    assert f"rule '{contract_id}'" in str(refused.value)
    assert expected in str(refused.value)
