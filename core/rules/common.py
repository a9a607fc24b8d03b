"""What every rule type shares: its common options, its checking context, and chain building."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Literal

import grimp
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from core.errors import ConfigError
from core.expressions import (
    expressions_to_modules,
    has_wildcard,
    validate_import_expression,
    validate_module_expression,
)
from core.graph import ProjectGraph
from core.model import ImportChain, ImportLink, Violation, fingerprint


ModuleExpressions = Annotated[
    tuple[str, ...],
    AfterValidator(lambda value: tuple(validate_module_expression(e.strip()) for e in value)),
]
ImportExpressions = Annotated[
    tuple[str, ...], AfterValidator(lambda value: tuple(validate_import_expression(e) for e in value))
]


class RuleOptions(BaseModel):
    """Options every rule has; each rule type adds its own, with import-linter's names."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Stable, unique identifier; reports and review decisions key on it.")
    name: str = Field(default="", description="What the rule says, for people.")
    ignore_imports: ImportExpressions = Field(
        default=(),
        description="Imports to leave out of this rule, as 'importer -> imported' with * and ** wildcards.",
    )
    unmatched_ignore_imports_alerting: Literal["error", "warn", "none"] = Field(
        default="error",
        description="What an ignore_imports expression that matches no import does: break the rule, warn, or nothing.",
    )
    broken_contract_guidance: str | None = Field(
        default=None, description="Shown after the rule's violations: how to fix them."
    )

    @field_validator("id")
    @classmethod
    def _id_is_plain(cls, value: str) -> str:
        if not value.strip() or ":" in value:
            raise ValueError("a rule id must be non-empty and may not contain ':'")
        return value

    @property
    def title(self) -> str:
        return self.name or self.id

    def covered_modules(self, graph: grimp.ImportGraph) -> set[str]:
        """Modules this rule gives an architectural place (with their descendants), for `coverage`."""
        return set()


@dataclass
class RuleContext:
    """What a rule check sees: the graph (with this rule's ignored imports removed) and the project."""

    graph: grimp.ImportGraph
    project: ProjectGraph
    all_rules: list[RuleOptions] = field(default_factory=list)
    declaration_place: Callable[[str, str], tuple[str | None, int | None]] = field(
        default=lambda rule_id, entry: (None, None), repr=False
    )
    """Where the configuration declares an entry of a rule (rule id, entry as written): the file,
    relative to the project root, and the line; (None, None) where unknown."""
    warnings: list[str] = field(default_factory=list)
    """What the rule reports without breaking; the rule's result lists them."""
    recheck: Callable[[RuleOptions, ProjectGraph], list[Violation]] | None = field(default=None, repr=False)
    """Check another rule on another graph of the project (for rules that judge what others find)."""
    _links: dict[tuple[str, str], ImportLink] = field(default_factory=dict, repr=False)

    def link(self, importer: str, imported: str) -> ImportLink:
        """The import from `importer` to `imported` with its lines; the same link recurs in many
        chains, so each is built once per rule."""
        key = (importer, imported)
        if key not in self._links:
            details = sorted(
                self.graph.get_import_details(importer=importer, imported=imported), key=lambda d: d["line_number"]
            )
            # Built from the graph's own data, so validation would only cost time on large results.
            self._links[key] = ImportLink.model_construct(
                importer=importer,
                imported=imported,
                line_numbers=tuple(d["line_number"] for d in details),
                line_contents=tuple(d["line_contents"] for d in details),
                file=self.project.file_of(importer),
            )
        return self._links[key]

    def chain(self, modules: tuple[str, ...] | list[str]) -> ImportChain:
        return tuple(self.link(a, b) for a, b in itertools.pairwise(modules))

    def chains_from_routes(self, routes) -> tuple[ImportChain, ...]:
        """Expand grimp routes: every direct import is its own one-link chain; an indirect
        route gives its main chain plus one chain for each further head and tail."""
        chains: list[ImportChain] = []
        for route in sorted(routes, key=lambda r: (len(r.middle), r.middle, sorted(r.heads), sorted(r.tails))):
            heads, tails = sorted(route.heads), sorted(route.tails)
            if not route.middle:
                chains.extend(self.chain((h, t)) for h in heads for t in tails)
                continue
            chains.append(self.chain((heads[0], *route.middle, tails[0])))
            chains.extend(self.chain((h, *route.middle, tails[0])) for h in heads[1:])
            chains.extend(self.chain((heads[0], *route.middle, t)) for t in tails[1:])
        return tuple(chains)

    def violation(
        self,
        rule: RuleOptions,
        kind: str,
        message: str,
        *,
        importer: str | None = None,
        imported: str | None = None,
        chains: tuple[ImportChain, ...] = (),
        key: object = None,
    ) -> Violation:
        """A violation whose fingerprint rests on names only (rule, kind, the pair it speaks of),
        never on line numbers or line text, so moving or reformatting lines keeps it stable."""
        return Violation(
            fingerprint=fingerprint(rule.id, rule_type(rule), kind, importer, imported, key),
            rule=rule.id,
            type=rule_type(rule),
            message=message,
            importer=importer,
            imported=imported,
            chains=chains,
        )

    def import_violation(self, rule: RuleOptions, link: ImportLink, kind: str, detail: str) -> Violation:
        """A violation of one direct import, placed at its first line, saying what is wrong in `detail`."""
        violation = self.violation(
            rule,
            kind,
            f"{link.importer} is not allowed to import {link.imported}",
            importer=link.importer,
            imported=link.imported,
            chains=((link,),),
        )
        line = link.line_numbers[0] if link.line_numbers else None
        return violation.model_copy(update={"file": link.file, "line": line, "detail": detail})


def rule_type(rule: RuleOptions) -> str:
    return getattr(rule, "type")


def rule_error(rule: RuleOptions, message: str, option: str | None = None) -> ConfigError:
    place = f"rule '{rule.id}'" + (f", option '{option}'" if option else "")
    return ConfigError(message, place=place)


def existing_modules(
    ctx: RuleContext, rule: RuleOptions, option: str, expressions: tuple[str, ...], *, as_packages: bool = False
) -> set[str]:
    """Resolve expressions; a plain name that is not in the graph is a configuration error."""
    modules = expressions_to_modules(ctx.graph, expressions, as_packages=as_packages)
    for expression in expressions:
        if not has_wildcard(expression) and expression not in ctx.graph.modules:
            raise rule_error(rule, f"module '{expression}' does not exist", option)
    return modules
