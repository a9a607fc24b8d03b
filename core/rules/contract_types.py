"""`contract_types`: only declared types may cross a boundary through its interface.

Every public function, method and attribute of the `interface` modules must be annotated
(unless `allow_unannotated`), and every type its annotations name must be allowed. `allowed`
holds `builtins` (str, int, float, bool, bytes, list, dict, tuple, set, frozenset), qualified
type names (`datetime.datetime`, `builtins.object`) and module expressions with `*` and `**`
(`shop.billing.contracts.*`). A type named exactly is allowed whatever it is; a type of the
project allowed through a wildcard or its module must be a contract model (pydantic model,
dataclass, TypedDict, NamedTuple or Enum). `None`, `NoReturn` and `Never` always are. Names are
resolved through the module's imports (aliases, re-exports through `__init__`), aliases such
as `Amount = Decimal` are followed, and `Optional`, unions, `Annotated`, `Literal`, generics and
string annotations are read through. The code is parsed, never imported.

Best effort at call sites: a call from outside the boundary to a function or class of the
interface that passes an instance built from a class that is not allowed, `charge(Ledger(...))`
or `ledger = Ledger(...)` before `charge(ledger)` in the same function, is a violation too.
"""

from __future__ import annotations

import ast
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from core.contracts.code import CodeIndex, Symbol, code_index, expression_pattern
from core.contracts.models import ModelReader
from core.contracts.surface import Slot, calls_into, read_surface
from core.contracts.type_expressions import BUILTIN_TYPES, TypeExpr, TypeReader, canonical_name
from core.expressions import has_wildcard, is_in_package, validate_module_expression
from core.model import Violation, fingerprint
from core.rules.common import ModuleExpressions, RuleContext, RuleOptions, existing_modules, rule_error

_NO_VALUE = frozenset({"None", "typing.NoReturn", "typing.Never"})
_CONTRACT_KINDS = "pydantic models, dataclasses, TypedDicts, NamedTuples or Enums"

ModuleName = Annotated[str, AfterValidator(lambda value: _plain_module(value.strip()))]
TypeExpressions = Annotated[
    tuple[str, ...],
    AfterValidator(lambda value: tuple(e if e == "builtins" else validate_module_expression(e.strip()) for e in value)),
]


def _plain_module(value: str) -> str:
    validate_module_expression(value)
    if has_wildcard(value):
        raise ValueError(f"'{value}': the boundary is one package, without wildcards")
    return value


class Options(RuleOptions):
    type: Literal["contract_types"] = "contract_types"
    boundary: ModuleName = Field(
        description="The package whose interface is checked; calls from outside it are checked too."
    )
    interface: ModuleExpressions = Field(
        description="The modules of the boundary that others use (* and ** wildcards)."
    )
    allowed: TypeExpressions = Field(
        default=("builtins",),
        description="Types that may cross: 'builtins', qualified type names, module expressions "
        "(types of the project through them must be pydantic models, dataclasses, TypedDicts, NamedTuples or Enums).",
    )
    allow_unannotated: bool = Field(
        default=False, description="Let public functions, methods and attributes go unannotated."
    )


def check(rule: Options, ctx: RuleContext) -> list[Violation]:
    boundary = existing_modules(ctx, rule, "boundary", (rule.boundary,), as_packages=True)
    interface = sorted(existing_modules(ctx, rule, "interface", rule.interface))
    if not interface:
        raise rule_error(rule, "the interface matches no module", "interface")
    for module in interface:
        if not is_in_package(module, rule.boundary):
            raise rule_error(
                rule, f"interface module '{module}' lies outside the boundary '{rule.boundary}'", "interface"
            )
    index = code_index(ctx.project)
    types = TypeReader(index)
    judge = _AllowedTypes(rule.allowed, ModelReader(index, types))
    surface = read_surface(index, types, interface)
    violations = [v for slot in surface.slots for v in _slot_violations(rule, index, types, judge, slot)]
    importers = {
        importer
        for module in boundary
        if module in ctx.graph.modules
        for importer in ctx.graph.find_modules_that_directly_import(module)
        if not is_in_package(importer, rule.boundary) and index.is_project_module(importer)
    }
    for importer in sorted(importers):
        for site in calls_into(index, importer, surface.callables):
            if site.built.kind == "unknown":
                continue  # nothing known about it: no guess
            built = TypeExpr("name", canonical_name(site.built), symbol=site.built)
            reason = judge.refusal(built)
            if reason is None:
                continue
            code = index.module(importer)
            violations.append(
                Violation(
                    fingerprint=fingerprint(
                        rule.id, rule.type, "non-contract-argument", site.scope, site.callee.name, built.name
                    ),
                    rule=rule.id,
                    type=rule.type,
                    message=f"{site.scope} passes an instance of {built.name} to {site.callee.name}",
                    importer=importer,
                    imported=site.callee.module,
                    file=code.file if code else None,
                    line=site.line,
                    detail=(
                        f"`{site.argument}` is passed to {site.callee.name}, the interface of {rule.boundary}, "
                        f"and is an instance of {built.name}, which {reason}. {_allowed_text(rule)}"
                    ),
                )
            )
    # The same call repeated in a function is one violation, at its first line.
    unique: dict[str, Violation] = {}
    for violation in violations:
        unique.setdefault(violation.fingerprint, violation)
    return list(unique.values())


def _slot_violations(
    rule: Options, index: CodeIndex, types: TypeReader, judge: _AllowedTypes, slot: Slot
) -> list[Violation]:
    def violation(
        kind: str, key: object, message: str, detail: str, line: int, imported: str | None = None
    ) -> Violation:
        return Violation(
            fingerprint=fingerprint(rule.id, rule.type, kind, slot.module, slot.owner, slot.key, key),
            rule=rule.id,
            type=rule.type,
            message=message,
            importer=slot.module,
            imported=imported,
            file=slot.file,
            line=line,
            detail=detail,
        )

    if slot.annotation is None:
        if rule.allow_unannotated:
            return []
        return [
            violation(
                "unannotated",
                None,
                f"{_capital(slot.subject)} is not annotated",
                f"{_capital(slot.subject)} has no annotation: every public function, method and attribute "
                f"of the interface of {rule.boundary} must be annotated with types that may cross it, "
                f"unless allow_unannotated = true. {_allowed_text(rule)}",
                slot.line,
            )
        ]
    found: dict[str, Violation] = {}
    written = _source(slot)
    for named in types.read(slot.module, slot.annotation).names():
        reason = judge.refusal(named)
        if reason is None or named.name in found:
            continue
        symbol = named.symbol
        imported = symbol.module if symbol is not None and symbol.module else None
        found[named.name] = violation(
            "type-not-allowed",
            named.name,
            f"{_capital(slot.subject)} uses {named.name}, which may not cross {rule.boundary}",
            f"{_capital(slot.subject)} is annotated `{written}`: {named.name} {reason}. {_allowed_text(rule)}",
            named.line or slot.line,
            imported,
        )
    return list(found.values())


class _AllowedTypes:
    """Whether a named type may cross the boundary, and if not, why."""

    def __init__(self, entries: tuple[str, ...], models: ModelReader) -> None:
        self.builtins = "builtins" in entries
        self.entries = [
            (entry, expression_pattern(entry), has_wildcard(entry)) for entry in entries if entry != "builtins"
        ]
        self.models = models

    def refusal(self, named: TypeExpr) -> str | None:
        """None when the type is allowed, else what is wrong with it."""
        if named.kind == "unknown":
            return "cannot be read as a type"
        if named.name in _NO_VALUE or named.recursive:
            return None  # a recursive alias is judged by what it stands for
        symbol = named.symbol
        if "." not in named.name and (symbol is None or symbol.kind == "builtin"):
            if named.name in BUILTIN_TYPES and self.builtins:
                return None
            names: tuple[str, ...] = (f"builtins.{named.name}",)
        else:
            names = (*(symbol.via if symbol else ()), named.name)
        in_project = symbol is not None and symbol.module is not None
        contract = in_project and self.models.kind(symbol) is not None  # type: ignore[arg-type]
        plain = False
        for name in names:
            module = name.rpartition(".")[0]
            for entry, pattern, wildcard in self.entries:
                if not wildcard and entry == name:
                    return None  # named exactly: allowed whatever it is
                if pattern.fullmatch(name) or (module and pattern.fullmatch(module)):
                    if contract or not in_project:
                        return None
                    plain = True
        if plain:
            return f"is {_what(symbol)} of an allowed module, not a contract type ({_CONTRACT_KINDS})"
        if symbol is not None and symbol.kind == "unknown":
            return "cannot be resolved through the module's imports, so it is not an allowed type"
        return "is not an allowed type"


def _what(symbol: Symbol | None) -> str:
    kinds = {"class": "a plain class", "function": "a function", "value": "a value", "module": "a module"}
    return kinds.get(symbol.kind if symbol else "", "a name")


def _allowed_text(rule: Options) -> str:
    allowed = ", ".join(rule.allowed) or "nothing"
    return (
        f"Allowed to cross: {allowed} (types of the project through a wildcard or their module "
        f"when they are {_CONTRACT_KINDS}), and None."
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _source(slot: Slot) -> str:
    return ast.unparse(slot.annotation) if slot.annotation is not None else ""
