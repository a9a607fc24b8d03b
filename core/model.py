"""Domain types of a check: import links and chains, violations, rule results, the whole result."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ImportLink(_Value):
    """One direct import between two modules, with every line where it is made."""

    importer: str
    imported: str
    line_numbers: tuple[int, ...] = ()
    line_contents: tuple[str, ...] = ()
    file: str | None = Field(default=None, description="The importer's file, relative to the project root.")


ImportChain = tuple[ImportLink, ...]


class Provenance(_Value):
    """Which commit brought something, and whether the history shows it was generated.

    `commit` is None for what exists only in uncommitted changes (`note` says so).
    `generated` is true only when a named signal says so (a trailer, a bot author, a burst).
    """

    commit: str | None = None
    author: str | None = None
    date: str | None = None
    summary: str | None = None
    generated: bool = False
    signals: tuple[str, ...] = ()
    note: str | None = None


ReviewStatus = Literal["open", "accepted", "waived", "must-fix"]


class Review(_Value):
    """A reviewer's decision on a violation, from a review workspace (keyed by its fingerprint).

    `status` is the decision in force: a waiver past its `expires` date is `open` again, with
    `expired` true.
    """

    status: ReviewStatus = "open"
    note: str = ""
    reviewer: str | None = None
    decided_at: datetime | None = None
    expires: date | None = None
    expired: bool = False


class Violation(_Value):
    """One breach of a rule, at the level the rule speaks of, with the import chains behind it.

    Rules about code rather than imports (data contracts) name the offending `file` and `line`
    (an annotation, a field) and say in `detail` what is wrong and what is allowed.
    `status` and `provenance` are set only when the check compares with a baseline; `review`
    only when a review workspace is given.
    """

    fingerprint: str
    rule: str
    type: str
    message: str
    importer: str | None = None
    imported: str | None = None
    chains: tuple[ImportChain, ...] = ()
    file: str | None = Field(default=None, description="The offending file, relative to the project root.")
    line: int | None = None
    detail: str | None = None
    status: Literal["new", "existing"] | None = None
    provenance: Provenance | None = None
    review: Review | None = None


class IgnoredImport(_Value):
    """An import a rule's `ignore_imports` excluded: debt the configuration hides."""

    importer: str
    imported: str
    file: str | None = None
    line: int | None = None
    line_contents: str | None = None
    expression: str


class RuleResult(_Value):
    id: str
    name: str
    type: str
    kept: bool
    violations: int
    ignored: tuple[IgnoredImport, ...] = ()
    unmatched_ignores: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    guidance: str | None = Field(default=None, description="How to fix the rule, shown when it is broken.")


class ToolInfo(_Value):
    name: Literal["strataview"] = "strataview"
    version: str


class ProjectInfo(_Value):
    root: str
    root_packages: tuple[str, ...]
    config: str | None = None
    source_roots: tuple[str, ...] = Field(
        default=(), description="Where the root packages were looked for, relative to `root` where inside it."
    )


class GraphSummary(_Value):
    modules: int
    imports: int


class ProblemReport(_Value):
    """An error that stopped the check, as it appears in machine-readable output."""

    message: str
    file: str | None = None
    place: str | None = None


class BaselineInfo(_Value):
    """What the check was compared with: a git revision (`commit` resolved) or a snapshot file."""

    ref: str
    kind: Literal["git", "snapshot"]
    commit: str | None = None
    warnings: tuple[str, ...] = Field(
        default=(),
        description="What could not be compared: a root package or a rule missing at the baseline, "
        "or a snapshot's rule no longer configured.",
    )


class PackageImport(_Value):
    importer: str
    imported: str


class Drift(_Value):
    """What changed since the baseline and deserves a reviewer's eye even when no rule breaks."""

    modules_added: tuple[str, ...] = ()
    modules_removed: tuple[str, ...] = ()
    imports_added: tuple[PackageImport, ...] = Field(
        default=(), description="New imports between top-level packages (children of the root packages)."
    )
    cycles_appeared: tuple[tuple[str, ...], ...] = ()


ContractKind = Literal["pydantic", "dataclass", "typeddict", "namedtuple", "enum"]


class ContractField(_Value):
    """One field of a contract model, as read from its source."""

    name: str
    type: str = Field(
        description="The annotation with each name resolved to where it is defined, "
        "e.g. 'list[shop.billing.contracts.Money] | None' (builtins bare, Annotated metadata left out)."
    )
    required: bool
    default: str | None = Field(default=None, description="The default's source text; None when required or made by a factory.")
    alias: str | None = Field(default=None, description="The name the model reads the field by, when not its own.")
    serialization_alias: str | None = Field(
        default=None, description="The name the model writes the field as, when not its own."
    )
    constraints: dict[str, str] = Field(
        default_factory=dict, description="Constraints (gt, ge, lt, le, min_length, max_length, pattern, ...) as source text."
    )
    description: str | None = None
    line: int | None = None


class EnumMember(_Value):
    name: str
    value: str = Field(description="The value's source text.")
    line: int | None = None


class ContractSchema(_Value):
    """A contract model's schema, read statically from its source (never imported)."""

    name: str = Field(description="Qualified name: the defining module and the class name.")
    module: str
    kind: ContractKind
    fields: tuple[ContractField, ...] = Field(default=(), description="In declaration order, inherited ones first.")
    members: tuple[EnumMember, ...] = Field(default=(), description="An Enum's members.")
    extra: Literal["allow", "ignore", "forbid"] | None = Field(
        default=None, description="What a pydantic model does with unknown fields."
    )
    positional: bool = Field(default=False, description="Fields are also given by position (NamedTuple, dataclass).")
    file: str | None = None
    line: int | None = None

    def without_lines(self) -> ContractSchema:
        """The schema without line numbers, as snapshots keep it (moving code changes no snapshot)."""
        return self.model_copy(
            update={
                "line": None,
                "fields": tuple(field.model_copy(update={"line": None}) for field in self.fields),
                "members": tuple(member.model_copy(update={"line": None}) for member in self.members),
            }
        )


def _empty(value: object) -> bool:
    return not value


class CheckResult(_Value):
    schema_version: Literal[1] = SCHEMA_VERSION
    tool: ToolInfo
    project: ProjectInfo
    graph: GraphSummary
    rules: tuple[RuleResult, ...] = ()
    violations: tuple[Violation, ...] = ()
    errors: tuple[ProblemReport, ...] = ()
    # Set only when compared with a baseline:
    baseline: BaselineInfo | None = None
    fixed: tuple[Violation, ...] = ()
    drift: Drift | None = None
    module_provenance: dict[str, Provenance] = Field(
        default_factory=dict, description="For each module, the commit that added it."
    )
    # Set only by contract_stability rules (left out of JSON when empty):
    contract_schemas: dict[str, ContractSchema] = Field(
        default_factory=dict,
        exclude_if=_empty,
        description="The schemas of the models contract_stability rules watch, by qualified name.",
    )
    baseline_contract_schemas: dict[str, ContractSchema] = Field(
        default_factory=dict,
        exclude_if=_empty,
        description="The baseline's schemas of contract models, by qualified name (only with a baseline).",
    )

    @property
    def kept(self) -> bool:
        return not self.errors and all(rule.kept for rule in self.rules)


def fingerprint(*parts: object) -> str:
    """A stable key from names only (never line numbers or line text), so it survives reformatting."""
    text = "\x1f".join(_canonical(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _canonical(part: object) -> str:
    if isinstance(part, (set, frozenset)):
        return "{" + ",".join(sorted(_canonical(p) for p in part)) + "}"
    if isinstance(part, (list, tuple)):
        return "[" + ",".join(_canonical(p) for p in part) + "]"
    return "" if part is None else str(part)
