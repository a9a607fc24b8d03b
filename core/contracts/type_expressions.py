"""Annotations as type expressions whose names are resolved to where they are defined.

`Optional[X]`, `Union[X, Y]` and `X | Y` become one union (flattened, sorted, deduplicated);
`Annotated[X, ...]`, `Required[X]`, `NotRequired[X]`, `ClassVar[X]`, `Final[X]` become X;
`Literal[...]` keeps its values; string annotations are parsed and resolved like the rest;
`typing.List` and friends become the builtins or `collections.abc` classes they stand for;
type aliases (`Amount = Decimal`, `Amount: TypeAlias = ...`, `NewType`) are followed. A type's
`text()` is canonical, so two annotations written differently compare equal, and it can be
read back (`parse_canonical`) from a recorded schema.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from core.contracts.code import CodeIndex, Symbol, dotted_name

BUILTIN_TYPES = frozenset({"str", "int", "float", "bool", "bytes", "list", "dict", "tuple", "set", "frozenset"})
UNION = frozenset({"typing.Union"})
OPTIONAL = frozenset({"typing.Optional"})
LITERAL = frozenset({"typing.Literal"})
ANNOTATED = frozenset({"typing.Annotated"})
CLASS_VARIABLE = frozenset({"typing.ClassVar"})
# Qualifiers around a field's type; `TypedDict` keys read Required/NotRequired themselves.
QUALIFIERS = (
    frozenset({"typing.Required", "typing.NotRequired", "typing.ReadOnly", "typing.Final", "dataclasses.InitVar"})
    | CLASS_VARIABLE
)
TYPE_ALIAS = frozenset({"typing.TypeAlias"})
ANY = frozenset({"typing.Any", "object"})
_TYPE_VARIABLES = frozenset({"typing.TypeVar", "typing.ParamSpec", "typing.TypeVarTuple"})
_NEW_TYPE = frozenset({"typing.NewType"})
_ALIASES = {
    **{f"typing.{name.capitalize()}": name for name in ("list", "dict", "tuple", "set", "frozenset", "type")},
    "typing.FrozenSet": "frozenset",
    "typing.Text": "str",
    "typing.AbstractSet": "collections.abc.Set",
    "typing.DefaultDict": "collections.defaultdict",
    "typing.OrderedDict": "collections.OrderedDict",
    "typing.Counter": "collections.Counter",
    "typing.ChainMap": "collections.ChainMap",
    "typing.Deque": "collections.deque",
    "typing.Pattern": "re.Pattern",
    "typing.Match": "re.Match",
    **{
        f"typing.{name}": f"collections.abc.{name}"
        for name in (
            "Sequence", "MutableSequence", "Mapping", "MutableMapping", "Iterable", "Iterator", "Callable",
            "Collection", "Container", "MutableSet", "Awaitable", "Coroutine", "AsyncIterable", "AsyncIterator",
            "Generator", "AsyncGenerator", "Reversible", "Hashable", "Sized", "KeysView", "ItemsView", "ValuesView",
        )
    },
}  # fmt: skip
# pydantic's constrained types: the type they constrain (`conlist(item, ...)` is a list of item).
CONSTRAINED_TYPES = {
    "pydantic.conint": "int",
    "pydantic.confloat": "float",
    "pydantic.constr": "str",
    "pydantic.conbytes": "bytes",
    "pydantic.condecimal": "decimal.Decimal",
    "pydantic.condate": "datetime.date",
    "pydantic.conlist": "list",
    "pydantic.conset": "set",
    "pydantic.confrozenset": "frozenset",
}
# Numbers a wider type accepts (pydantic's float takes an int, as PEP 484's numeric tower says).
_NUMERIC_WIDENING = {("int", "float")}

TypeKind = Literal["name", "union", "literal", "list", "ellipsis", "unknown"]


@dataclass(frozen=True)
class TypeExpr:
    """A resolved type. `name` is a qualified name (builtins bare) or, when unknown, the source
    text; `values` are a Literal's values (constants as `repr`, Enum members by qualified name)
    and its `args` the Enum classes of those members."""

    kind: TypeKind
    name: str = ""
    args: tuple[TypeExpr, ...] = ()
    values: tuple[str, ...] = ()
    symbol: Symbol | None = field(default=None, compare=False, repr=False)
    line: int | None = field(default=None, compare=False, repr=False)
    recursive: bool = field(default=False, compare=False, repr=False)
    """A recursive alias naming itself (`Json = dict[str, 'Json'] | int`): read where it began."""

    def text(self) -> str:
        if self.kind == "union":
            return " | ".join(arg.text() for arg in self.args)
        if self.kind == "literal":
            return f"Literal[{', '.join(self.values)}]"
        if self.kind == "list":
            return f"[{', '.join(arg.text() for arg in self.args)}]"
        if self.kind == "ellipsis":
            return "..."
        if self.kind == "name" and self.args:
            return f"{self.name}[{', '.join(arg.text() for arg in self.args)}]"
        return self.name

    def names(self) -> Iterator[TypeExpr]:
        """Every named type in it (and unknown parts), generics' arguments included."""
        if self.kind in ("name", "unknown"):
            yield self
        for arg in self.args:
            yield from arg.names()

    def alternatives(self) -> tuple[TypeExpr, ...]:
        return self.args if self.kind == "union" else (self,)


NONE = TypeExpr("name", "None")


def union(members: list[TypeExpr]) -> TypeExpr:
    """One union of the members: nested unions flattened, duplicates dropped, sorted by text
    (None last)."""
    flat: dict[str, TypeExpr] = {}
    for member in members:
        for alternative in member.alternatives():
            flat.setdefault(alternative.text(), alternative)
    alternatives = [flat[text] for text in sorted(flat, key=lambda text: (text == "None", text))]
    return alternatives[0] if len(alternatives) == 1 else TypeExpr("union", args=tuple(alternatives))


class TypeReader:
    """Reads annotations of the project's modules into type expressions."""

    def __init__(self, index: CodeIndex) -> None:
        self.index = index
        self._aliases: list[str] = []  # the aliases being followed, innermost last

    def read(self, module: str, node: ast.expr, within: int | None = None, depth: int = 0) -> TypeExpr:
        """The annotation `node` as written in `module`. Each named type carries its line;
        inside a string annotation (`within`), the string's line."""
        line = within or getattr(node, "lineno", None)
        if depth > 20:
            return TypeExpr("unknown", ast.unparse(node), line=line)
        if isinstance(node, ast.Constant):
            if node.value is None:
                return TypeExpr("name", "None", line=line)
            if node.value is Ellipsis:
                return TypeExpr("ellipsis", line=line)
            if isinstance(node.value, str):
                parsed = _parse_expression(node.value)
                if parsed is None:
                    return TypeExpr("unknown", repr(node.value), line=line)
                return self.read(module, parsed, line, depth + 1)
            return TypeExpr("unknown", repr(node.value), line=line)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return union(
                [self.read(module, node.left, within, depth + 1), self.read(module, node.right, within, depth + 1)]
            )
        if isinstance(node, ast.List):
            return TypeExpr("list", args=tuple(self.read(module, e, within, depth + 1) for e in node.elts), line=line)
        if isinstance(node, ast.Subscript):
            return self._subscript(module, node, within, depth)
        if isinstance(node, ast.Call):
            return self._constrained(module, node, within, depth)
        dotted = dotted_name(node)
        if dotted is None:
            return TypeExpr("unknown", ast.unparse(node), line=line)
        return self._named(module, dotted, within, line, depth)

    def _named(self, module: str, dotted: str, within: int | None, line: int | None, depth: int) -> TypeExpr:
        symbol = self.index.resolve(module, dotted)
        aliased = self._alias_target(symbol)
        if aliased is not None and symbol.module is not None:
            if symbol.name in self._aliases:
                return TypeExpr("name", symbol.name, symbol=symbol, line=line, recursive=True)
            self._aliases.append(symbol.name)
            try:
                # The alias's parts are reported where the alias is used.
                return self.read(symbol.module, aliased, line, depth + 1)
            finally:
                self._aliases.pop()
        return TypeExpr("name", canonical_name(symbol), symbol=symbol, line=line)

    def _alias_target(self, symbol: Symbol) -> ast.expr | None:
        """The type a module-level alias stands for (`X = A | B`, `X: TypeAlias = ...`, `NewType('X', A)`)."""
        node = symbol.node
        if symbol.kind != "value" or symbol.module is None:
            return None
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            annotation = dotted_name(node.annotation)
            if annotation and canonical_name(self.index.resolve(symbol.module, annotation)) in TYPE_ALIAS:
                return node.value
            return None
        if not isinstance(node, ast.Assign):
            return None
        value = node.value
        if isinstance(value, ast.Call):
            called = dotted_name(value.func)
            if (
                called
                and len(value.args) == 2
                and canonical_name(self.index.resolve(symbol.module, called)) in _NEW_TYPE
            ):
                return value.args[1]
            return None
        if isinstance(value, (ast.Name, ast.Attribute, ast.Subscript)) or (
            isinstance(value, ast.BinOp) and isinstance(value.op, ast.BitOr)
        ):
            return value
        return None

    def is_type_variable(self, module: str, node: ast.expr) -> bool:
        """Whether `node` makes a type variable (`TypeVar('T')`, ParamSpec, TypeVarTuple) or a NewType."""
        if not isinstance(node, ast.Call):
            return False
        called = dotted_name(node.func)
        return bool(called) and canonical_name(self.index.resolve(module, called)) in _TYPE_VARIABLES | _NEW_TYPE

    def _subscript(self, module: str, node: ast.Subscript, within: int | None, depth: int) -> TypeExpr:
        line = within or node.lineno
        origin = self.read(module, node.value, within, depth + 1)
        elements = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if origin.kind != "name":
            return TypeExpr("unknown", ast.unparse(node), line=line)
        if origin.name in OPTIONAL:
            return union([self.read(module, elements[0], within, depth + 1), NONE])
        if origin.name in UNION:
            return union([self.read(module, element, within, depth + 1) for element in elements])
        if origin.name in ANNOTATED | QUALIFIERS:
            return self.read(module, elements[0], within, depth + 1)
        if origin.name in LITERAL:
            return self._literal(module, node, elements, within, depth)
        args = tuple(self.read(module, element, within, depth + 1) for element in elements)
        return TypeExpr("name", origin.name, args=args, symbol=origin.symbol, line=origin.line)

    def _literal(
        self, module: str, node: ast.Subscript, elements: list[ast.expr], within: int | None, depth: int
    ) -> TypeExpr:
        values: set[str] = set()
        enums: list[TypeExpr] = []
        for element in elements:
            line = within or element.lineno
            if isinstance(element, ast.Constant) and not isinstance(element.value, float):
                values.add(repr(element.value))
            elif (
                isinstance(element, ast.UnaryOp)
                and isinstance(element.op, ast.USub)
                and isinstance(element.operand, ast.Constant)
                and isinstance(element.operand.value, int)
            ):
                values.add(repr(-element.operand.value))
            elif isinstance(element, ast.Subscript):  # a nested Literal[...]
                inner = self.read(module, element, within, depth + 1)
                if inner.kind != "literal":
                    return TypeExpr("unknown", ast.unparse(node), line=within or node.lineno)
                values.update(inner.values)
                enums.extend(inner.args)
            elif (dotted := dotted_name(element)) is not None:
                member = self.index.resolve(module, dotted)
                values.add(canonical_name(member))
                if member.owner is not None:
                    enums.append(TypeExpr("name", member.owner.name, symbol=member.owner, line=line))
                else:
                    enums.append(TypeExpr("unknown", dotted, symbol=member, line=line))
            else:
                return TypeExpr("unknown", ast.unparse(node), line=within or node.lineno)
        unique = {enum.text(): enum for enum in enums}
        return TypeExpr(
            "literal", values=tuple(sorted(values)), args=tuple(unique.values()), line=within or node.lineno
        )

    def _constrained(self, module: str, node: ast.Call, within: int | None, depth: int) -> TypeExpr:
        line = within or node.lineno
        called = dotted_name(node.func)
        name = CONSTRAINED_TYPES.get(canonical_name(self.index.resolve(module, called))) if called else None
        if name is None:
            return TypeExpr("unknown", ast.unparse(node), line=line)
        item = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "item_type"), None)
        if name in ("list", "set", "frozenset") and item is not None:
            return TypeExpr("name", name, args=(self.read(module, item, within, depth + 1),), line=line)
        return TypeExpr("name", name, line=line)


def canonical_name(symbol: Symbol) -> str:
    """A symbol's qualified name as types use it: builtins bare, typing's aliases replaced."""
    name = symbol.name.removeprefix("builtins.")
    return _ALIASES.get(name, name)


def _parse_expression(text: str) -> ast.expr | None:
    try:
        return ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def parse_canonical(text: str) -> TypeExpr:
    """A type recorded as canonical text, read back for comparison (its names are already resolved)."""
    node = _parse_expression(text)
    return _canonical(node) if node is not None else TypeExpr("unknown", text)


def _canonical(node: ast.expr) -> TypeExpr:
    if isinstance(node, ast.Constant):
        if node.value is None:
            return NONE
        if node.value is Ellipsis:
            return TypeExpr("ellipsis")
        return TypeExpr("unknown", repr(node.value))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return union([_canonical(node.left), _canonical(node.right)])
    if isinstance(node, ast.List):
        return TypeExpr("list", args=tuple(_canonical(element) for element in node.elts))
    if isinstance(node, ast.Subscript):
        origin = dotted_name(node.value)
        elements = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if origin == "Literal":
            values = tuple(sorted(ast.unparse(element) for element in elements))
            enums = {value.rpartition(".")[0] for value in values if not _is_constant(value)}
            return TypeExpr("literal", values=values, args=tuple(TypeExpr("name", enum) for enum in sorted(enums)))
        if origin is not None:
            return TypeExpr("name", origin, args=tuple(_canonical(element) for element in elements))
    dotted = dotted_name(node)
    return TypeExpr("name", dotted) if dotted is not None else TypeExpr("unknown", ast.unparse(node))


def _is_constant(text: str) -> bool:
    try:
        ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    return True


def accepts(wide: TypeExpr, narrow: TypeExpr) -> bool:
    """Whether every value of `narrow` is a value of `wide`.

    Generic containers are compared covariantly in their arguments, a bare container accepts
    any of its parametrisations, `Any` and `object` accept everything, `float` accepts `int`,
    and a Literal is accepted by the type of its values (an Enum member by its Enum).
    """
    if wide == narrow:
        return True
    if narrow.kind == "union":
        return all(accepts(wide, alternative) for alternative in narrow.args)
    if wide.kind == "union":
        if any(accepts(alternative, narrow) for alternative in wide.args):
            return True
        if narrow.kind == "literal":  # Literal['a', 1] against Literal['a'] | int
            return all(
                any(accepts(alternative, TypeExpr("literal", values=(value,))) for alternative in wide.args)
                for value in narrow.values
            )
        return False
    if wide.kind == "name" and wide.name in ANY:
        return True
    if narrow.kind == "literal":
        if wide.kind == "literal":
            return set(narrow.values) <= set(wide.values)
        return wide.kind == "name" and not wide.args and all(_value_of(value, wide.name) for value in narrow.values)
    if narrow.kind == "name" and wide.kind == "name":
        if narrow.name != wide.name:
            return (narrow.name, wide.name) in _NUMERIC_WIDENING and not narrow.args and not wide.args
        if not wide.args:
            return True
        return len(narrow.args) == len(wide.args) and all(map(accepts, wide.args, narrow.args))
    if narrow.kind == wide.kind == "list":
        return len(narrow.args) == len(wide.args) and all(map(accepts, wide.args, narrow.args))
    return False


def _value_of(value: str, type_name: str) -> bool:
    """Whether a Literal value (as `repr`, or an Enum member's qualified name) is of the named type."""
    if value in ("True", "False"):
        return type_name == "bool"
    if value == "None":
        return type_name == "None"
    if value[:1] in ("'", '"'):
        return type_name == "str"
    if value[:2] in ("b'", 'b"'):
        return type_name == "bytes"
    if value.lstrip("-").isdigit():
        return type_name in ("int", "float")
    return value.rpartition(".")[0] == type_name
