"""`dependencies`: a module may import only what it declares (tach's `depends_on`).

The module (with its descendants) may import itself, the `may_import` modules (with their
descendants), the standard library, and external packages only when `external` is true or
`may_import` names them; `may_not_import` wins over all of these. Every import is judged on its
own line, directly: a chain through an allowed module is allowed.

External packages are in grimp's graph only with `include_external_packages`; without it the
rule reads the module's import statements itself, so their imports are judged either way.

With `exact`, each declared entry must also be used: an entry that none of the judged imports
reaches (outside `module` itself) is a violation placed at the entry in the configuration.
"""

from __future__ import annotations

from typing import Literal

import grimp
from pydantic import Field, field_validator, model_validator

from core.expressions import (
    expressions_to_modules,
    has_wildcard,
    is_in_package,
    validate_module_expression,
)
from core.model import ImportLink, Violation
from core.rules.common import (
    ModuleExpressions,
    RuleContext,
    RuleOptions,
    existing_modules,
    rule_error,
)
from core.rules.nesting import Nesting
from core.rules.statements import is_standard_library, read_module


class Options(RuleOptions):
    type: Literal["dependencies"] = "dependencies"
    module: str = Field(description="The module (with its descendants) whose imports are judged.")
    may_import: ModuleExpressions | None = Field(
        default=None,
        description="The only modules (with their descendants) it may import besides itself and the standard "
        "library; external packages by their top-level name. Left out: any module.",
    )
    may_not_import: ModuleExpressions = Field(
        default=(), description="Modules (with their descendants) it must not import, whatever else allows them."
    )
    external: bool = Field(default=False, description="It may import any external package.")
    judged_elsewhere: ModuleExpressions = Field(
        default=(),
        description="Modules (with their descendants) whose imports by `module` other rules judge, such as "
        "those of other layers.",
    )
    exclude: ModuleExpressions = Field(
        default=(), description="Modules inside `module` (with their descendants) whose imports are not judged."
    )
    declared_modules: ModuleExpressions = Field(
        default=(),
        description="The architecture's modules when they nest (tach's): code belongs to the nearest declared "
        "module containing it, so a declared module inside `module` or a `may_import` entry is a unit of its "
        "own, and imports of code outside every declared module are not judged.",
    )

    exact: bool = Field(
        default=False,
        description="Every `may_import` entry must be used: an entry that no import of `module` reaches is a "
        "violation, placed at the entry in the configuration.",
    )
    exact_entries: dict[str, ModuleExpressions] | None = Field(
        default=None,
        description="With `exact`, the declarations to check instead of `may_import`'s entries, as another tool's "
        "configuration writes them (patterns, names of modules that do not exist), each with the modules it stands "
        "for, maybe none: a declaration is used when an import reaches one of its modules.",
    )

    @model_validator(mode="after")
    def _exact_entries_need_exact(self) -> Options:
        if self.exact_entries is not None and not self.exact:
            raise ValueError("'exact_entries' is only read with exact = true")
        return self

    @field_validator("module")
    @classmethod
    def _module_is_a_name(cls, value: str) -> str:
        validate_module_expression(value)
        if has_wildcard(value):
            raise ValueError("'module' must be a module name, without wildcards")
        return value

    def covered_modules(self, graph: grimp.ImportGraph) -> set[str]:
        return {self.module}


class _Entries:
    """The project modules and the external packages (top-level names) an option names."""

    def __init__(self, ctx: RuleContext, rule: Options, option: str, expressions: tuple[str, ...]) -> None:
        roots = ctx.project.root_packages
        modules = expressions_to_modules(ctx.graph, expressions)
        self.internal = {m for m in modules if any(is_in_package(m, root) for root in roots)}
        self.external = modules - self.internal
        for module in sorted(self.internal):
            if module not in ctx.graph.modules:
                raise rule_error(rule, f"module '{module}' does not exist", option)
        for module in sorted(self.external):
            if "." in module:
                raise rule_error(rule, f"'{module}': name external packages by their top-level name", option)
        self.listed = sorted(expressions)


def check(rule: Options, ctx: RuleContext) -> list[Violation]:
    graph = ctx.graph
    if rule.module not in graph.modules:
        raise rule_error(rule, f"module '{rule.module}' does not exist", "module")
    nesting = Nesting(frozenset(existing_modules(ctx, rule, "declared_modules", rule.declared_modules)))
    allowed = _Entries(ctx, rule, "may_import", rule.may_import or ())
    forbidden = _Entries(ctx, rule, "may_not_import", rule.may_not_import)
    elsewhere = existing_modules(ctx, rule, "judged_elsewhere", rule.judged_elsewhere)
    excluded = expressions_to_modules(graph, rule.exclude)
    judge = _Judge(ctx, rule, nesting, allowed, forbidden, elsewhere)
    importers = sorted(
        m
        for m in {rule.module} | graph.find_descendants(rule.module)
        if nesting.covers(rule.module, m) and not any(is_in_package(m, e) for e in excluded)
    )

    violations = []
    reached: set[str] = set()
    # External imports are read from the source only when the graph lacks them and one could break
    # the rule, or use a declared entry.
    read_external = not ctx.project.include_external_packages and (
        not rule.external or bool(forbidden.external) or (rule.exact and bool(allowed.external))
    )
    for importer in importers:
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            reached.add(imported)
            reason = judge.reason(imported)
            if reason is not None:
                violations.append(ctx.import_violation(rule, ctx.link(importer, imported), *reason))
        if read_external:
            for link in _external_links(ctx, importer):
                reached.add(link.imported)
                reason = judge.reason(link.imported)
                if reason is not None:
                    violations.append(ctx.import_violation(rule, link, *reason))
    if rule.exact:
        violations.extend(_unused_entries(ctx, rule, nesting, reached))
    return violations


def _unused_entries(ctx: RuleContext, rule: Options, nesting: Nesting, reached: set[str]) -> list[Violation]:
    """The declared entries no import needs: none of the judged imports reaches their modules
    (outside `module` itself)."""
    if rule.exact_entries is not None:
        entries = {
            name: existing_modules(ctx, rule, "exact_entries", expressions)
            for name, expressions in rule.exact_entries.items()
        }
    else:
        entries = {entry: expressions_to_modules(ctx.graph, (entry,)) for entry in rule.may_import or ()}
    outside = [module for module in reached if not nesting.covers(rule.module, module)]
    violations = []
    for name, modules in entries.items():
        if any(nesting.covers(entry, module) for module in outside for entry in modules):
            continue
        violation = ctx.violation(
            rule,
            "unused-dependency",
            f"{rule.module} declares a dependency on {name} that none of its imports needs",
            importer=rule.module,
            key=name,
        )
        file, line = ctx.declaration_place(rule.id, name)
        detail = f"remove {name} from the dependencies of {rule.module}: none of its imports needs the declaration"
        violations.append(violation.model_copy(update={"file": file, "line": line, "detail": detail}))
    return violations


class _Judge:
    def __init__(
        self,
        ctx: RuleContext,
        rule: Options,
        nesting: Nesting,
        allowed: _Entries,
        forbidden: _Entries,
        elsewhere: set[str],
    ) -> None:
        self.ctx = ctx
        self.rule = rule
        self.nesting = nesting
        self.allowed = allowed
        self.forbidden = forbidden
        self.elsewhere = elsewhere

    def reason(self, imported: str) -> tuple[str, str] | None:
        """(kind, detail) when importing `imported` breaks the rule, else None."""
        rule, nesting = self.rule, self.nesting
        if any(is_in_package(imported, root) for root in self.ctx.project.root_packages):
            if nesting.covers(rule.module, imported):
                return None
            if nesting.declared and nesting.owner(imported) is None:
                return None
            if nesting.covers_any(self.elsewhere, imported):
                return None
            entry = next((e for e in sorted(self.forbidden.internal) if nesting.covers(e, imported)), None)
            if entry is not None:
                return "forbidden-import", f"{rule.module} must not import {entry}"
            if rule.may_import is None or nesting.covers_any(self.allowed.internal, imported):
                return None
            return "undeclared-import", self._allowed_detail()
        package = imported.split(".")[0]
        if package in self.forbidden.external:
            return "forbidden-import", f"{rule.module} must not import {package}"
        if is_standard_library(package) or rule.external or package in self.allowed.external:
            return None
        return "external-import", f"{package} is an external package; {self._allowed_detail()}"

    def _allowed_detail(self) -> str:
        rule = self.rule
        if rule.may_import is None:
            declared = "any project module"
        elif self.allowed.listed:
            declared = ", ".join(self.allowed.listed) + " (with their descendants)"
        else:
            declared = "no other project module"
        externals = "any external package" if rule.external else "no external package"
        if self.allowed.external and not rule.external:
            externals = "the external packages it names"
        return f"{rule.module} may import {declared}, itself, the standard library and {externals}"


def _external_links(ctx: RuleContext, importer: str) -> list[ImportLink]:
    """The importer's imports of packages outside the project, read from its source, one link per
    top-level package with every line that imports it (as grimp records them when asked)."""
    roots = ctx.project.root_packages
    lines: dict[str, list[tuple[int, str]]] = {}
    for statement in read_module(ctx.project, importer).statements:
        if statement.type_checking and ctx.project.exclude_type_checking_imports:
            continue
        for name in statement.names:
            package = name.name.split(".")[0]
            if any(is_in_package(name.name, root) for root in roots):
                continue
            found = lines.setdefault(package, [])
            if not found or found[-1][0] != statement.line:
                found.append((statement.line, statement.contents))
    file = ctx.project.file_of(importer)
    return [
        ImportLink(
            importer=importer,
            imported=package,
            line_numbers=tuple(line for line, _ in found),
            line_contents=tuple(contents for _, contents in found),
            file=file,
        )
        for package, found in sorted(lines.items())
    ]
