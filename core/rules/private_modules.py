"""`private_modules`: a module whose name starts with `_` may only be imported from its parent package."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from core.expressions import expression_to_modules
from core.model import Violation
from core.rules.common import ModuleExpressions, RuleContext, RuleOptions, rule_error


class Options(RuleOptions):
    type: Literal["private_modules"] = "private_modules"
    packages_with_private_modules: ModuleExpressions = Field(
        default=(), description="Packages whose private modules are checked (default: all root packages)."
    )

    @field_validator("packages_with_private_modules")
    @classmethod
    def _packages_are_public(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        private = sorted(expression for expression in value if has_private_component(expression))
        if private:
            raise ValueError(
                f"packages cannot be private or inside a private module: {', '.join(private)}; "
                "list an ancestor that isn't private instead"
            )
        return value


def check(rule: Options, ctx: RuleContext) -> list[Violation]:
    graph = ctx.graph
    modules = set(graph.modules) if not rule.packages_with_private_modules else _modules_to_check(rule, ctx)
    illegal: set[tuple[str, str]] = set()
    for imported in modules:
        parent = _parent_of_innermost_private(imported)
        if parent is None:
            continue
        illegal |= {
            (importer, imported)
            for importer in graph.find_modules_that_directly_import(imported)
            if importer != parent and not importer.startswith(parent + ".")
        }
    return [
        ctx.violation(
            rule,
            "private-import",
            f"{importer} is not allowed to import {imported}: private modules may only be imported "
            "from within their parent package",
            importer=importer,
            imported=imported,
            chains=(ctx.chain((importer, imported)),),
        )
        for importer, imported in sorted(illegal)
    ]


def _modules_to_check(rule: Options, ctx: RuleContext) -> set[str]:
    graph = ctx.graph
    modules: set[str] = set()
    for expression in rule.packages_with_private_modules:
        matched = expression_to_modules(graph, expression)
        if not matched or any(m not in graph.modules for m in matched):
            raise rule_error(rule, f"'{expression}' matches no module", "packages_with_private_modules")
        private = sorted(m for m in matched if has_private_component(m))
        if private:
            raise rule_error(
                rule,
                f"'{expression}' matched packages that are private or inside a private module: "
                f"{', '.join(private)}",
                "packages_with_private_modules",
            )
        external = sorted(m for m in matched if graph.is_module_squashed(m))
        if external:
            # import-linter fails here too: grimp cannot list the descendants of a squashed module.
            raise rule_error(
                rule,
                f"'{expression}' matched external packages, whose modules are not analysed: {', '.join(external)}",
                "packages_with_private_modules",
            )
        modules |= matched
        for module in matched:
            modules |= graph.find_descendants(module)
    return modules


def is_private_name(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def has_private_component(module: str) -> bool:
    return any(is_private_name(part) for part in module.split("."))


def _parent_of_innermost_private(module: str) -> str | None:
    parts = module.split(".")
    for index in range(len(parts) - 1, 0, -1):
        if is_private_name(parts[index]):
            return ".".join(parts[:index])
    return None
