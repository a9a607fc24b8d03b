"""An interface's public surface (what other code may call and read) and the calls made into it.

The public names of a module are those in its `__all__` when it lists them literally (re-exports
included), else the names it defines or re-exports as type checkers see them (`from m import X as
X`) that do not start with `_`. Each public function and
method (`__init__` included) contributes its parameters and return; each public module
attribute and annotated class attribute its annotation. A re-exported function or class is
read where it is defined.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator
from dataclasses import dataclass, field

from core.contracts.code import CodeIndex, Imported, Symbol, class_members, dotted_name
from core.contracts.type_expressions import TYPE_ALIAS, TypeReader, canonical_name

_STATIC = frozenset({"staticmethod"})
_PUBLIC_DUNDERS = frozenset({"__init__", "__call__"})


@dataclass(frozen=True)
class Slot:
    """One place of the surface that takes a type: a parameter, a return, an attribute.

    `annotation` is None where the code gives none; `line` is the annotation's (or the
    parameter's, the definition's) line.
    """

    owner: str
    key: str
    what: str
    module: str
    annotation: ast.expr | None
    line: int
    file: str | None

    @property
    def subject(self) -> str:
        """The slot in words: "parameter 'ledger' of shop.billing.api.charge"."""
        if self.what == "return":
            return f"the return of {self.owner}"
        if self.what.startswith("parameter"):
            return f"{self.what} of {self.owner}"
        return f"{self.what} {self.owner}"


@dataclass
class Surface:
    """The typed slots of the interface, and what outside code can call: qualified name -> symbol."""

    slots: list[Slot] = field(default_factory=list)
    callables: dict[str, Symbol] = field(default_factory=dict)


def read_surface(index: CodeIndex, types: TypeReader, modules: list[str]) -> Surface:
    surface = Surface()
    seen: set[str] = set()
    for module in modules:
        code = index.module(module)
        if code is None:
            continue
        for name in public_names(index, module):
            symbol = index.lookup(f"{module}.{name}")
            if symbol.name in seen or symbol.module is None:
                continue
            seen.add(symbol.name)
            if symbol.kind == "function":
                surface.callables[symbol.name] = symbol
                surface.slots.extend(_function_slots(index, symbol.module, symbol.name, symbol.node, method=False))
            elif symbol.kind == "class":
                surface.callables[symbol.name] = symbol
                surface.slots.extend(_class_slots(index, symbol, surface))
            elif symbol.kind == "value":
                surface.slots.extend(_attribute_slots(index, types, symbol.module, symbol.name, symbol.node))
    return surface


def public_names(index: CodeIndex, module: str) -> list[str]:
    code = index.module(module)
    if code is None:
        return []
    listed = _dunder_all(code.tree)
    if listed is not None:
        return listed
    return sorted(
        name
        for name, binding in code.bindings.items()
        if not name.startswith("_") and (not isinstance(binding, Imported) or binding.reexported)
    )


def _dunder_all(tree: ast.Module) -> list[str] | None:
    """The names `__all__` lists, when they are written out (`=`, `+=`, `.extend`, `.append`)."""
    names: list[str] | None = None
    for node in tree.body:
        value = None
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                names, value = [], node.value
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == "__all__":
            value = node.value
        elif (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and dotted_name(node.value.func) in ("__all__.extend", "__all__.append")
            and node.value.args
        ):
            value = node.value.args[0]
            if dotted_name(node.value.func) == "__all__.append":
                value = ast.List(elts=[value])
        if value is None:
            continue
        if not isinstance(value, (ast.List, ast.Tuple)) or names is None:
            return None
        for element in value.elts:
            if not (isinstance(element, ast.Constant) and isinstance(element.value, str)):
                return None
            names.append(element.value)
    return names


def _function_slots(index: CodeIndex, module: str, owner: str, node: ast.AST | None, *, method: bool) -> Iterator[Slot]:
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return
    code = index.module(module)
    file = code.file if code else None
    arguments = node.args
    positional = [*arguments.posonlyargs, *arguments.args]
    decorators = {dotted_name(d) for d in node.decorator_list}
    if method and positional and not decorators & _STATIC:
        positional = positional[1:]  # self or cls
    every = [*positional, *([arguments.vararg] if arguments.vararg else [])]
    every += [*arguments.kwonlyargs, *([arguments.kwarg] if arguments.kwarg else [])]
    for argument in every:
        line = argument.annotation.lineno if argument.annotation is not None else argument.lineno
        yield Slot(owner, argument.arg, f"parameter '{argument.arg}'", module, argument.annotation, line, file)
    if node.name != "__init__":
        line = node.returns.lineno if node.returns is not None else node.lineno
        yield Slot(owner, "return", "return", module, node.returns, line, file)


def _class_slots(index: CodeIndex, symbol: Symbol, surface: Surface) -> Iterator[Slot]:
    """A public class's public methods and annotated attributes (an Enum's members and other
    unannotated class constants are values, not slots)."""
    node, module = symbol.node, symbol.module
    if not isinstance(node, ast.ClassDef) or module is None:
        return
    code = index.module(module)
    file = code.file if code else None
    for name, member in class_members(node):
        if name.startswith("_") and name not in _PUBLIC_DUNDERS:
            continue
        owner = f"{symbol.name}.{name}"
        if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if name != "__init__":
                surface.callables[owner] = Symbol(owner, "attribute", module=module, node=member, owner=symbol)
            yield from _function_slots(index, module, owner if name != "__init__" else symbol.name, member, method=True)
        elif isinstance(member, ast.AnnAssign):
            yield Slot(owner, name, "attribute", module, member.annotation, member.annotation.lineno, file)


def _attribute_slots(
    index: CodeIndex, types: TypeReader, module: str, owner: str, node: ast.AST | None
) -> Iterator[Slot]:
    code = index.module(module)
    file = code.file if code else None
    if isinstance(node, ast.AnnAssign):
        annotation = dotted_name(node.annotation)
        if annotation and canonical_name(index.resolve(module, annotation)) in TYPE_ALIAS:
            if node.value is not None:
                yield Slot(owner, "alias", "type alias", module, node.value, node.value.lineno, file)
            return
        yield Slot(owner, "attribute", "attribute", module, node.annotation, node.annotation.lineno, file)
    elif isinstance(node, ast.Assign) and not types.is_type_variable(module, node.value):
        yield Slot(owner, "attribute", "attribute", module, None, node.lineno, file)


@dataclass(frozen=True)
class CallSite:
    """A call into the interface passing an instance of a class built right there (or just before)."""

    module: str
    scope: str
    callee: Symbol
    argument: str
    built: Symbol
    line: int


def calls_into(index: CodeIndex, module: str, callables: dict[str, Symbol]) -> Iterator[CallSite]:
    """Calls in `module` to the `callables` whose arguments are instances made by calling a class:
    `charge(Ledger(...))`, or `ledger = Ledger(...)` earlier in the same function, then `charge(ledger)`."""
    code = index.module(module)
    if code is None:
        return
    for scope, body in _scopes(code.tree, module):
        built: dict[str, list[tuple[int, ast.Call]]] = {}
        calls: list[ast.Call] = []
        for node in _walk_scope(body):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        built.setdefault(target.id, []).append((node.lineno, node.value))
            elif isinstance(node, ast.Call):
                calls.append(node)
        for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset)):
            called = dotted_name(call.func)
            if called is None:
                continue
            callee = index.resolve(module, called)
            if callee.name not in callables:
                continue
            for argument in [*call.args, *(keyword.value for keyword in call.keywords)]:
                construction = argument if isinstance(argument, ast.Call) else None
                if construction is None and isinstance(argument, ast.Name):
                    earlier = [made for line, made in built.get(argument.id, []) if line <= call.lineno]
                    construction = earlier[-1] if earlier else None
                made_by = dotted_name(construction.func) if construction is not None else None
                if made_by is None:
                    continue
                cls = index.resolve(module, made_by)
                if _is_class(cls):
                    yield CallSite(module, scope, callables[callee.name], ast.unparse(argument), cls, call.lineno)


def _is_class(symbol: Symbol) -> bool:
    """Whether calling the symbol makes an instance of a class: a class of the project, a builtin
    type, or (best effort) another package's name written as classes are (CapWords)."""
    if symbol.kind == "class":
        return True
    if symbol.kind == "builtin":
        return isinstance(getattr(builtins, symbol.name, None), type)
    if symbol.kind in ("external", "unknown"):
        last = symbol.name.rpartition(".")[2]
        return last[:1].isupper() and not last.isupper()
    return False


def _scopes(tree: ast.Module, module: str) -> Iterator[tuple[str, list[ast.stmt]]]:
    """The module body and each function's body, with the function's qualified name."""
    yield module, tree.body
    stack: list[tuple[str, ast.AST]] = [(module, tree)]
    while stack:
        prefix, node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}.{child.name}"
                yield name, child.body
                stack.append((name, child))
            elif isinstance(child, ast.ClassDef):
                stack.append((f"{prefix}.{child.name}", child))
            elif not isinstance(child, ast.Lambda):
                stack.append((prefix, child))


def _walk_scope(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """The nodes of a scope's body, without those of functions and classes defined in it."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))
