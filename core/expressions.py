"""Module and import expressions with `*` and `**` wildcards, validated as import-linter does."""

from __future__ import annotations

from collections.abc import Iterable

import grimp


def validate_module_expression(expression: str) -> str:
    """Return the expression unchanged, or raise ValueError saying what is wrong with it."""
    if not expression or any(not part for part in expression.split(".")):
        raise ValueError(f"'{expression}' is not a module name or expression.")
    last_wildcard = None
    for part in expression.split("."):
        if last_wildcard == "**" and part in ("*", "**"):
            raise ValueError(f"'{expression}': a recursive wildcard cannot be followed by a wildcard.")
        if last_wildcard == "*" and part == "**":
            raise ValueError(f"'{expression}': a wildcard cannot be followed by a recursive wildcard.")
        if part in ("*", "**"):
            last_wildcard = part
            continue
        if "*" in part:
            raise ValueError(f"'{expression}': a wildcard can only replace a whole module name.")
        last_wildcard = None
    return expression


def validate_import_expression(expression: str) -> str:
    """Normalise `importer -> imported` (spaces around the arrow are optional) or raise ValueError."""
    importer, arrow, imported = expression.partition("->")
    importer, imported = importer.strip(), imported.strip()
    if not (arrow and importer and imported):
        raise ValueError(f"'{expression}' must be in the form 'package.importer -> package.imported'.")
    validate_module_expression(importer)
    validate_module_expression(imported)
    return f"{importer} -> {imported}"


def has_wildcard(expression: str) -> bool:
    return "*" in expression


def expression_to_modules(
    graph: grimp.ImportGraph,
    expression: str,
    *,
    as_packages: bool = False,
    must_match: bool = False,
) -> set[str]:
    """The modules an expression names (a plain name is taken as is, even if absent)."""
    if has_wildcard(expression):
        modules = set(graph.find_matching_modules(expression))
        if must_match and not modules:
            raise LookupError(f"the expression '{expression}' matches no module")
    else:
        if must_match and expression not in graph.modules:
            raise LookupError(f"module '{expression}' does not exist")
        modules = {expression}
    if as_packages:
        for module in list(modules):
            if module in graph.modules and not graph.is_module_squashed(module):
                modules |= graph.find_descendants(module)
    return modules


def expressions_to_modules(
    graph: grimp.ImportGraph,
    expressions: Iterable[str],
    *,
    as_packages: bool = False,
    must_match: bool = False,
) -> set[str]:
    modules: set[str] = set()
    for expression in expressions:
        modules |= expression_to_modules(graph, expression, as_packages=as_packages, must_match=must_match)
    return modules


def is_in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def name_and_ancestors(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


def absolute_module(package: str, module: str | None, level: int) -> str | None:
    """The module a `from` import names; None for a relative import reaching above the top package."""
    if level == 0:
        return module
    parts = package.split(".") if package else []
    if level - 1 > len(parts) - 1:
        return None
    base = parts[: len(parts) - (level - 1)]
    return ".".join(base + ([module] if module else []))
