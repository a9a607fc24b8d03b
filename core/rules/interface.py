"""`interface`: modules outside a boundary may import only its public surface.

The surface is the `public` modules (with their descendants) and the names they re-export, and
the names matching `expose` (tach's regular expressions over names relative to the boundary).
An import is judged name by name, reading the importing statement: `from shop.billing import
charge` is allowed when `shop/billing/__init__.py` takes `charge` from a public module (directly
or through other re-exports inside the boundary), and is a violation when it takes it from an
internal module or defines it itself. A plain `import shop.billing` takes no name and is allowed.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

import grimp
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from core.expressions import is_in_package, validate_module_expression
from core.model import ImportLink, Violation
from core.rules.common import (
    ModuleExpressions,
    RuleContext,
    RuleOptions,
    existing_modules,
    rule_error,
)
from core.rules.nesting import Nesting
from core.rules.statements import ImportedName, read_module

# Re-exports are followed this many modules deep at most (a cycle of re-exports ends the search).
_MAX_REEXPORT_DEPTH = 20


def _compile_patterns(patterns: tuple[str, ...]) -> tuple[str, ...]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"'{pattern}' is not a valid regular expression ({error})") from None
    return patterns


Patterns = Annotated[tuple[str, ...], AfterValidator(_compile_patterns)]


class Exposure(BaseModel):
    """A surface for particular importers (tach's interfaces with `visibility`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    importers: ModuleExpressions = Field(description="The importers (with their descendants) this surface is for.")
    public: ModuleExpressions = Field(default=(), description="Public modules for them.")
    expose: Patterns = Field(default=(), description="Names exposed to them, as in `expose`.")
    exclusive: bool = Field(
        default=False, description="These importers may use only the exclusive surfaces meant for them."
    )


class Options(RuleOptions):
    type: Literal["interface"] = "interface"
    boundary: str = Field(description="The package whose inside is private to it.")
    public: ModuleExpressions = Field(
        default=(),
        description="Modules inside the boundary that modules outside may import (with their descendants), "
        "and whose names the boundary's packages may re-export.",
    )
    expose: Patterns = Field(
        default=(),
        description="Names inside the boundary that modules outside may import: regular expressions matched "
        "against the whole name relative to the boundary (tach's `expose`), such as 'charge' or 'api\\..*'.",
    )
    expose_to: tuple[Exposure, ...] = Field(
        default=(),
        description="Further surfaces for particular importers. Without `public` and `expose`, importers that "
        "no entry names are not restricted (tach's interfaces with `visibility`).",
    )
    allowed_importers: ModuleExpressions = Field(
        default=(), description="Modules (with their descendants) that may reach inside the boundary."
    )
    declared_modules: ModuleExpressions = Field(
        default=(),
        description="The architecture's modules when they nest (tach's): code belongs to the nearest declared "
        "module containing it, so a declared module inside the boundary is outside it, and the imports of code "
        "outside every declared module are not judged.",
    )

    @field_validator("boundary")
    @classmethod
    def _boundary_is_a_module(cls, value: str) -> str:
        validate_module_expression(value)
        if "*" in value:
            raise ValueError("the boundary must be a module name, without wildcards")
        return value

    @model_validator(mode="after")
    def _has_a_surface(self) -> Options:
        if not (self.has_general_surface or self.expose_to):
            raise ValueError("an interface needs 'public', 'expose' or 'expose_to'")
        return self

    @property
    def has_general_surface(self) -> bool:
        """Whether `public` or `expose` make a surface for all importers; an `expose` given empty
        makes one of no names (tach's `expose = []`)."""
        return bool(self.public) or "expose" in self.model_fields_set

    def covered_modules(self, graph: grimp.ImportGraph) -> set[str]:
        return {self.boundary}


class _Surface:
    def __init__(self, public: set[str], expose: tuple[str, ...]) -> None:
        self.public = public
        self.expose = [re.compile(pattern) for pattern in expose]

    def is_public(self, module: str) -> bool:
        return any(is_in_package(module, public) for public in self.public)

    def exposes(self, member: str) -> bool:
        return any(pattern.fullmatch(member) for pattern in self.expose)

    def describe(self, boundary: str) -> str:
        parts = []
        if self.public:
            they = "it re-exports" if len(self.public) == 1 else "they re-export"
            parts.append(f"{', '.join(sorted(self.public))} (and the names {they})")
        if self.expose:
            names = ", ".join(f"'{pattern.pattern}'" for pattern in self.expose)
            parts.append(f"the names of {boundary} matching {names}")
        return " and ".join(parts) or f"{boundary} itself (it exposes no name)"


def check(rule: Options, ctx: RuleContext) -> list[Violation]:
    graph = ctx.graph
    boundary = rule.boundary
    if boundary not in graph.modules:
        raise rule_error(rule, f"module '{boundary}' does not exist", "boundary")
    nesting = Nesting(frozenset(existing_modules(ctx, rule, "declared_modules", rule.declared_modules)))
    inside = {boundary} | {m for m in graph.find_descendants(boundary) if nesting.covers(boundary, m)}
    general = _surface(ctx, rule, rule.public, rule.expose, "public")
    exposures = [
        (
            existing_modules(ctx, rule, "expose_to", exposure.importers),
            _surface(ctx, rule, exposure.public, exposure.expose, "expose_to"),
            exposure.exclusive,
        )
        for exposure in rule.expose_to
    ]
    allowed = existing_modules(ctx, rule, "allowed_importers", rule.allowed_importers)
    judge = _Judge(ctx, rule, inside)

    violations = []
    for imported in sorted(inside):
        for importer in sorted(graph.find_modules_that_directly_import(imported)):
            if importer in inside or nesting.covers_any(allowed, importer):
                continue
            if nesting.declared and nesting.owner(importer) is None:
                continue  # code outside every declared module is not judged
            meant = [
                (surface, exclusive) for importers, surface, exclusive in exposures if nesting.covers_any(importers, importer)
            ]
            if any(exclusive for _, exclusive in meant):
                surfaces = [surface for surface, exclusive in meant if exclusive]
            else:
                surfaces = ([general] if rule.has_general_surface else []) + [surface for surface, _ in meant]
            if not surfaces:
                continue
            violations.extend(judge.link(importer, imported, surfaces))
    return violations


def _surface(
    ctx: RuleContext, rule: Options, public: tuple[str, ...], expose: tuple[str, ...], option: str
) -> _Surface:
    modules = existing_modules(ctx, rule, option, public)
    for module in sorted(modules):
        if not is_in_package(module, rule.boundary):
            raise rule_error(rule, f"public module '{module}' is not inside the boundary '{rule.boundary}'", option)
    return _Surface(modules, expose)


class _Judge:
    """Decides, name by name, whether the imports of one link stay on a surface."""

    def __init__(self, ctx: RuleContext, rule: Options, inside: set[str]) -> None:
        self.ctx = ctx
        self.rule = rule
        self.inside = inside

    def link(self, importer: str, imported: str, surfaces: list[_Surface]) -> list[Violation]:
        link = self.ctx.link(importer, imported)
        source = read_module(self.ctx.project, importer)
        offences: dict[str, list[tuple[int, str, str]]] = {}
        for line, contents in zip(link.line_numbers, link.line_contents):
            statement = source.statement_at(line)
            names = [n for n in statement.names if self.takes(n, imported)] if statement else []
            for name in names or [ImportedName(imported)]:
                reason = self.offence(name, imported, surfaces)
                if reason is not None:
                    offences.setdefault(name.name, []).append((line, contents, reason))
        return [self.violation(link, name, found, surfaces) for name, found in sorted(offences.items())]

    def offence(self, name: ImportedName, imported: str, surfaces: list[_Surface]) -> str | None:
        """Why importing `name` (through the module `imported`) leaves every surface, or None."""
        boundary = self.rule.boundary
        if name.name == boundary and not name.star:
            return None
        member = "" if name.name == boundary else name.name[len(boundary) + 1 :]
        for surface in surfaces:
            if surface.is_public(name.name) or (member and surface.exposes(member)):
                return None
        if not any(surface.public for surface in surfaces):
            return f"{name.name} is not exposed"
        if name.star or name.name == imported or not self.is_door(imported, surfaces):
            return f"{imported} is internal to {boundary}"
        return self.origin(imported, name.name[len(imported) + 1 :], surfaces)

    def is_door(self, module: str, surfaces: list[_Surface]) -> bool:
        """Whether outsiders may take re-exported names from `module`: the boundary, or a package
        on the way to a public module."""
        return module == self.rule.boundary or any(
            is_in_package(public, module) for surface in surfaces for public in surface.public
        )

    def takes(self, name: ImportedName, imported: str) -> bool:
        """Whether a name of the statement is one grimp recorded as an import of `imported`: the
        module itself, or a name it holds that is not a submodule."""
        if name.star or name.name == imported:
            return name.name == imported
        return name.name.rpartition(".")[0] == imported and name.name not in self.ctx.graph.modules

    def origin(self, module: str, attribute: str, surfaces: list[_Surface]) -> str | None:
        """None when the package `module` gets `attribute` from a public module (following
        re-exports inside the boundary), else why not."""
        start, name = module, attribute
        for _ in range(_MAX_REEXPORT_DEPTH):
            if any(surface.is_public(module) for surface in surfaces):
                return None
            if module not in self.inside:
                return None  # a name from outside the boundary reveals nothing of its inside
            source = read_module(self.ctx.project, module)
            binding = source.bindings.get(attribute)
            if binding is None:
                stars = [origin for origin in source.star_origins if origin != module]
                star = next((o for o in stars if attribute in read_module(self.ctx.project, o).bindings), None)
                if star is None:
                    if any(surface.is_public(o) for o in stars for surface in surfaces):
                        return None  # it may come with a star import from a public module
                    return f"{start} does not take '{name}' from a public module"
                module = star
                continue
            if binding.origin is None:
                if module == start:
                    return f"{start} defines '{name}' itself"
                return f"{start} re-exports '{name}' from {module}, which is internal to {self.rule.boundary}"
            if binding.origin_name is None:
                if binding.origin in self.inside:
                    internal = f"which is internal to {self.rule.boundary}"
                    return f"{start} re-exports '{name}' from {binding.origin}, {internal}"
                return None
            module, attribute = binding.origin, binding.origin_name
        return f"{start} re-exports '{name}' through too many modules to follow"

    def violation(
        self, link: ImportLink, name: str, found: list[tuple[int, str, str]], surfaces: list[_Surface]
    ) -> Violation:
        rule = self.rule
        lines = tuple(line for line, _, _ in found)
        narrowed = link.model_copy(update={"line_numbers": lines, "line_contents": tuple(c for _, c, _ in found)})
        allowed = " or ".join(surface.describe(rule.boundary) for surface in surfaces)
        violation = self.ctx.violation(
            rule,
            "private-import",
            f"{link.importer} imports {name} from inside {rule.boundary}",
            importer=link.importer,
            imported=link.imported,
            chains=((narrowed,),),
            key=name,
        )
        return violation.model_copy(
            update={
                "file": link.file,
                "line": lines[0],
                "detail": f"{found[0][2]}; outside {rule.boundary} only {allowed} may be imported",
            }
        )

