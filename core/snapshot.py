"""A saved analysis that later checks compare with: the ratchet file teams commit.

The file is made for diffs: everything sorted, one violation per entry keyed by its
fingerprint, chains and imports as `a -> b` names, and no line numbers anywhere, so moving
or reformatting code never changes it; only what the architecture is changes it.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

import core
from core.errors import StrataviewError
from core.files import write_text_atomically
from core.expressions import is_in_package
from core.graph import ProjectGraph
from core.model import CheckResult, ContractSchema, GraphSummary, ImportLink, ToolInfo, Violation

SNAPSHOT_FORMAT = "strataview-snapshot"
SNAPSHOT_VERSION = 1
ARROW = " -> "


class SnapshotError(StrataviewError):
    """A snapshot file cannot be read: missing, not JSON, or not a Strataview snapshot."""


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SnapshotRule(_Value):
    id: str
    name: str
    type: str
    kept: bool
    violations: int


class SnapshotViolation(_Value):
    rule: str
    type: str
    message: str
    importer: str | None = None
    imported: str | None = None
    chains: tuple[str, ...] = Field(default=(), description="Each chain as 'a -> b -> c', without line numbers.")

    @property
    def direct_imports(self) -> set[tuple[str, str]]:
        """The module pairs of its one-link chains: the illegal imports it is made of."""
        return {pair for chain in self.chains if len(pair := tuple(chain.split(ARROW))) == 2}


class Snapshot(_Value):
    """An analysis as a baseline needs it: rules, violations, modules and imports between top-level packages."""

    format: Literal["strataview-snapshot"] = SNAPSHOT_FORMAT
    schema_version: Literal[1] = SNAPSHOT_VERSION
    tool: ToolInfo
    root_packages: tuple[str, ...]
    config: str | None = None
    graph: GraphSummary
    rules: tuple[SnapshotRule, ...] = ()
    violations: dict[str, SnapshotViolation] = Field(default_factory=dict, description="Keyed by fingerprint.")
    modules: tuple[str, ...] = Field(default=(), description="The project's own modules.")
    package_imports: tuple[str, ...] = Field(
        default=(), description="Imports between top-level packages (children of the root packages), as 'a -> b'."
    )
    contract_schemas: dict[str, ContractSchema] = Field(
        default_factory=dict,
        exclude_if=lambda schemas: not schemas,
        description="The schemas of the models contract_stability rules watch, by qualified name, without lines.",
    )

    def package_import_pairs(self) -> set[tuple[str, str]]:
        return {tuple(entry.split(ARROW, 1)) for entry in self.package_imports}  # type: ignore[misc]


def snapshot_of(result: CheckResult, project: ProjectGraph) -> Snapshot:
    """The snapshot of a finished check and the graph it ran on."""
    violations = {
        violation.fingerprint: SnapshotViolation(
            rule=violation.rule,
            type=violation.type,
            message=violation.message,
            importer=violation.importer,
            imported=violation.imported,
            chains=tuple(sorted({chain_text(chain) for chain in violation.chains})),
        )
        for violation in sorted(result.violations, key=lambda v: v.fingerprint)
    }
    return Snapshot(
        tool=ToolInfo(version=core.__version__),
        root_packages=result.project.root_packages,
        config=result.project.config,
        graph=result.graph,
        rules=tuple(
            SnapshotRule(id=rule.id, name=rule.name, type=rule.type, kept=rule.kept, violations=rule.violations)
            for rule in sorted(result.rules, key=lambda r: r.id)
        ),
        violations=violations,
        modules=tuple(sorted(own_modules(project))),
        package_imports=tuple(sorted(f"{a}{ARROW}{b}" for a, b in package_imports(project))),
        contract_schemas={name: schema.without_lines() for name, schema in sorted(result.contract_schemas.items())},
    )


def chain_text(chain: tuple[ImportLink, ...]) -> str:
    return ARROW.join([chain[0].importer, *(link.imported for link in chain)]) if chain else ""


def violation_from(fingerprint: str, entry: SnapshotViolation) -> Violation:
    """A violation as the snapshot recorded it: its chains name modules but no lines."""
    chains = []
    for text in entry.chains:
        modules = text.split(ARROW)
        chains.append(tuple(ImportLink(importer=a, imported=b) for a, b in itertools.pairwise(modules)))
    return Violation(
        fingerprint=fingerprint,
        rule=entry.rule,
        type=entry.type,
        message=entry.message,
        importer=entry.importer,
        imported=entry.imported,
        chains=tuple(chain for chain in chains if chain),
    )


def own_modules(project: ProjectGraph) -> set[str]:
    """The project's modules, without the external packages the graph may hold."""
    return {
        module
        for module in project.graph.modules
        if any(is_in_package(module, package) for package in project.root_packages)
    }


def top_level_package(module: str, root_packages: tuple[str, ...]) -> str | None:
    """The child of a root package that holds `module` (None for a root package itself or an outsider)."""
    for root in root_packages:
        if module.startswith(root + "."):
            return f"{root}.{module[len(root) + 1 :].split('.', 1)[0]}"
    return None


def package_imports(project: ProjectGraph) -> set[tuple[str, str]]:
    """Pairs of top-level packages where a module of the first imports a module of the second."""
    graph = project.graph
    top = {module: top_level_package(module, project.root_packages) for module in own_modules(project)}
    pairs: set[tuple[str, str]] = set()
    for module, importer in top.items():
        if importer is None:
            continue
        for imported_module in graph.find_modules_directly_imported_by(module):
            imported = top.get(imported_module)
            if imported is not None and imported != importer:
                pairs.add((importer, imported))
    return pairs


def package_cycles(pairs: set[tuple[str, str]]) -> list[frozenset[str]]:
    """The groups of top-level packages that import each other in a cycle."""
    import networkx  # imported here: it costs a tenth of a second at every start-up

    graph = networkx.DiGraph(list(pairs))
    return [frozenset(group) for group in networkx.strongly_connected_components(graph) if len(group) > 1]


def render(snapshot: Snapshot) -> str:
    return json.dumps(snapshot.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def write_snapshot(snapshot: Snapshot, path: Path) -> None:
    """Write the snapshot file atomically; an unwritable place is a SnapshotError."""
    try:
        write_text_atomically(path, render(snapshot))
    except OSError as error:
        raise SnapshotError(f"cannot write the snapshot: {error.strerror}", file=str(path)) from None


def load_snapshot(path: Path) -> Snapshot:
    """Read a snapshot file; anything that is not one is a SnapshotError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SnapshotError("not a Strataview snapshot: the file is not UTF-8 text", file=str(path)) from None
    except OSError as error:
        raise SnapshotError(f"cannot read the snapshot: {error.strerror}", file=str(path)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SnapshotError(
            f"not a Strataview snapshot: invalid JSON ({error.msg})", file=str(path), place=f"line {error.lineno}"
        ) from None
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
        raise SnapshotError(
            'not a Strataview snapshot (written by `strataview snapshot`, with "format": "strataview-snapshot")',
            file=str(path),
        )
    version = data.get("schema_version")
    if version != SNAPSHOT_VERSION:
        raise SnapshotError(
            f"snapshot schema_version {version!r} is not one this Strataview reads ({SNAPSHOT_VERSION})",
            file=str(path),
        )
    try:
        return Snapshot.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        place = ".".join(str(part) for part in problem["loc"])
        raise SnapshotError(f"corrupt snapshot: {problem['msg']}", file=str(path), place=place) from None
