"""Contract models and their schemas, read from class definitions.

A class is a contract model when it is a pydantic model (a subclass of `BaseModel`,
`RootModel` or `BaseSettings`), a dataclass (`@dataclasses.dataclass` or pydantic's), a
`TypedDict`, a `NamedTuple` or an `Enum`, directly or through its bases within the project.
Its schema lists its fields (inherited ones first, in declaration order) with their resolved
types, whether they are required, their defaults, aliases and constraints (from `Field(...)`,
`dataclasses.field(...)`, `Annotated` metadata and pydantic's `con*` types), a pydantic
model's `extra` setting (`model_config`, class keywords or a v1 `class Config`), and an Enum's
members.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from core.contracts.code import CodeIndex, Symbol, dotted_name
from core.contracts.type_expressions import ANNOTATED, CLASS_VARIABLE, QUALIFIERS, TypeReader, canonical_name
from core.model import ContractField, ContractKind, ContractSchema, EnumMember

_PYDANTIC_BASES = frozenset(
    {
        "pydantic.BaseModel",
        "pydantic.main.BaseModel",
        "pydantic.RootModel",
        "pydantic.root_model.RootModel",
        "pydantic.v1.BaseModel",
        "pydantic_settings.BaseSettings",
    }
)
_DATACLASS_DECORATORS = frozenset({"dataclasses.dataclass", "pydantic.dataclasses.dataclass"})
_TYPED_DICT_BASES = frozenset({"typing.TypedDict"})
_NAMED_TUPLE_BASES = frozenset({"typing.NamedTuple"})
_ENUM_BASES = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag", "enum.ReprEnum"})
_FIELD_FUNCTIONS = frozenset({"pydantic.Field", "pydantic.fields.Field", "dataclasses.field"})
_STRING_CONSTRAINTS = frozenset({"pydantic.StringConstraints", "pydantic.types.StringConstraints"})
_KEYWORD_ONLY = frozenset({"dataclasses.KW_ONLY"})
_REQUIRED = frozenset({"typing.Required"})
_NOT_REQUIRED = frozenset({"typing.NotRequired"})
# Constraint keywords, with pydantic v1's names for the same constraints.
CONSTRAINTS = (
    "gt", "ge", "lt", "le", "multiple_of", "min_length", "max_length", "pattern",
    "max_digits", "decimal_places", "strict", "allow_inf_nan", "unique_items",
)  # fmt: skip
_CONSTRAINT_SYNONYMS = {"regex": "pattern", "min_items": "min_length", "max_items": "max_length"}
# annotated_types' markers: the constraint each stands for.
_ANNOTATED_TYPES = {
    "annotated_types.Gt": "gt",
    "annotated_types.Ge": "ge",
    "annotated_types.Lt": "lt",
    "annotated_types.Le": "le",
    "annotated_types.MultipleOf": "multiple_of",
    "annotated_types.MinLen": "min_length",
    "annotated_types.MaxLen": "max_length",
}
_EXTRA_VALUES = ("allow", "ignore", "forbid")


class ModelReader:
    """Recognises contract models and reads their schemas; remembers what it read."""

    def __init__(self, index: CodeIndex, types: TypeReader | None = None) -> None:
        self.index = index
        self.types = types or TypeReader(index)
        self._kinds: dict[str, ContractKind | None] = {}
        self._schemas: dict[str, ContractSchema | None] = {}

    def kind(self, symbol: Symbol) -> ContractKind | None:
        """The contract kind of a class defined in the project, None for any other class or name."""
        if symbol.kind != "class" or not isinstance(symbol.node, ast.ClassDef) or symbol.module is None:
            return None
        if symbol.name not in self._kinds:
            self._kinds[symbol.name] = None  # a class that is its own base ends here
            self._kinds[symbol.name] = self._kind(symbol.module, symbol.node)
        return self._kinds[symbol.name]

    def _kind(self, module: str, node: ast.ClassDef) -> ContractKind | None:
        bases = [self._base(module, base) for base in node.bases]
        names = {base.name for base in bases}
        if names & _ENUM_BASES:
            return "enum"
        if names & _PYDANTIC_BASES:
            return "pydantic"
        if names & _TYPED_DICT_BASES:
            return "typeddict"
        if names & _NAMED_TUPLE_BASES:
            return "namedtuple"
        if self._dataclass_decorator(module, node) is not None:
            return "dataclass"
        for base in bases:
            inherited = self.kind(base)
            if inherited is not None:
                return inherited
        return None

    def _base(self, module: str, node: ast.expr) -> Symbol:
        target = node.value if isinstance(node, ast.Subscript) else node  # Generic[T], BaseModel subclasses of Generic
        dotted = dotted_name(target)
        if dotted is None:
            return Symbol(ast.unparse(node), "unknown")
        symbol = self.index.resolve(module, dotted)
        return Symbol(canonical_name(symbol), symbol.kind, symbol.module, symbol.node, symbol.via, symbol.owner)

    def _dataclass_decorator(self, module: str, node: ast.ClassDef) -> ast.expr | None:
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            dotted = dotted_name(target)
            if dotted and canonical_name(self.index.resolve(module, dotted)) in _DATACLASS_DECORATORS:
                return decorator
        return None

    def models_in(self, module: str) -> list[Symbol]:
        """The contract models a module defines at its top level (not those it imports)."""
        code = self.index.module(module)
        if code is None:
            return []
        found = []
        for statement in code.tree.body:
            if isinstance(statement, ast.ClassDef):
                symbol = self.index.lookup(f"{module}.{statement.name}")
                if symbol.node is statement and self.kind(symbol) is not None:
                    found.append(symbol)
        return found

    def schema(self, symbol: Symbol) -> ContractSchema | None:
        """The schema of a contract model, None for anything else."""
        kind = self.kind(symbol)
        if kind is None:
            return None
        if symbol.name not in self._schemas:
            self._schemas[symbol.name] = None  # a class that is its own base ends here
            self._schemas[symbol.name] = self._read(symbol, kind)
        return self._schemas[symbol.name]

    def _read(self, symbol: Symbol, kind: ContractKind) -> ContractSchema:
        assert isinstance(symbol.node, ast.ClassDef) and symbol.module is not None
        node, module = symbol.node, symbol.module
        code = self.index.module(module)
        inherited: list[ContractSchema] = []
        for base in reversed(node.bases):
            base_schema = self.schema(self._base(module, base))
            if base_schema is not None:
                inherited.append(base_schema)
        fields: dict[str, ContractField] = {}
        extra = None
        for base_schema in inherited:
            fields.update((f.name, f) for f in base_schema.fields)
            extra = base_schema.extra or extra
        members: tuple[EnumMember, ...] = ()
        positional = kind == "namedtuple"
        if kind == "enum":
            members = tuple(self._members(node))
        else:
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            if kind == "dataclass":
                decorator = self._dataclass_decorator(module, node)
                options = {k.arg: k.value for k in decorator.keywords} if isinstance(decorator, ast.Call) else {}
                positional = not _is_true(options.get("kw_only"))
            total = not _is_false(keywords.get("total"))
            fields.update((f.name, f) for f in self._fields(module, node, kind, total))
            if kind == "pydantic":
                extra = self._extra(module, node, keywords) or extra or "ignore"
        return ContractSchema(
            name=symbol.name,
            module=module,
            kind=kind,
            fields=tuple(fields.values()),
            members=members,
            extra=extra if kind == "pydantic" else None,
            positional=positional,
            file=code.file if code else None,
            line=node.lineno,
        )

    def _members(self, node: ast.ClassDef) -> Iterator[EnumMember]:
        for statement in node.body:
            if isinstance(statement, ast.Assign):
                targets, value = statement.targets, statement.value
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                targets, value = [statement.target], statement.value
            else:
                continue
            for target in targets:
                if isinstance(target, ast.Name) and not target.id.startswith("_"):
                    yield EnumMember(name=target.id, value=ast.unparse(value), line=statement.lineno)

    def _fields(self, module: str, node: ast.ClassDef, kind: ContractKind, total: bool) -> Iterator[ContractField]:
        for statement in node.body:
            if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)):
                continue
            name = statement.target.id
            if kind == "pydantic" and (name.startswith("_") or name == "model_config"):
                continue
            qualifiers, inner, metadata = self._unwrap(module, statement.annotation)
            if qualifiers & (CLASS_VARIABLE | _KEYWORD_ONLY):
                continue
            yield self._field(module, statement, kind, total, qualifiers, inner, metadata)

    def _unwrap(self, module: str, annotation: ast.expr) -> tuple[set[str], ast.expr, list[ast.expr]]:
        """The qualifiers around a field's type (ClassVar, Required, ...), its type, and its Annotated metadata."""
        qualifiers: set[str] = set()
        metadata: list[ast.expr] = []
        node = annotation
        for _ in range(10):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                try:
                    node = ast.parse(node.value.strip(), mode="eval").body
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    break
                continue
            target = node.value if isinstance(node, ast.Subscript) else node
            dotted = dotted_name(target)
            name = canonical_name(self.index.resolve(module, dotted)) if dotted else None
            if name in _KEYWORD_ONLY | CLASS_VARIABLE and not isinstance(node, ast.Subscript):
                qualifiers.add(name)
                break
            if not isinstance(node, ast.Subscript) or name not in ANNOTATED | QUALIFIERS:
                break
            elements = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
            if name in ANNOTATED:
                metadata.extend(elements[1:])
            else:
                qualifiers.add(name)
            node = elements[0]
        return qualifiers, node, metadata

    def _field(
        self,
        module: str,
        statement: ast.AnnAssign,
        kind: ContractKind,
        total: bool,
        qualifiers: set[str],
        inner: ast.expr,
        metadata: list[ast.expr],
    ) -> ContractField:
        name = statement.target.id  # type: ignore[union-attr]
        value = statement.value
        options: dict[str, ast.expr] = {}
        constraints: dict[str, str] = {}
        for item in metadata:
            self._metadata(module, item, options, constraints)
        call = value if isinstance(value, ast.Call) and self._called(module, value) in _FIELD_FUNCTIONS else None
        if call is not None:
            options.update({k.arg: k.value for k in call.keywords if k.arg})
            if call.args:
                options["default"] = call.args[0]
        elif value is not None:
            options["default"] = value
        if isinstance(inner, ast.Call):  # conint(gt=0), constr(pattern=...)
            constraints.update(_constraints_of(inner.keywords))
        constraints.update(_constraints_of([ast.keyword(arg=k, value=v) for k, v in options.items()]))
        default = options.get("default")
        factory = options.get("default_factory")
        if kind == "typeddict":
            required = total if not qualifiers & (_REQUIRED | _NOT_REQUIRED) else bool(qualifiers & _REQUIRED)
        else:
            required = factory is None and (default is None or _is_ellipsis(default))
        default_text = None
        if factory is not None:
            default_text = f"{ast.unparse(factory)}()"
        elif default is not None and not _is_ellipsis(default):
            default_text = ast.unparse(default)
        alias = _string(options.get("alias"))
        reading = _string(options.get("validation_alias")) or alias
        writing = _string(options.get("serialization_alias")) or alias
        return ContractField(
            name=name,
            type=self.types.read(module, inner).text(),
            required=required,
            default=default_text,
            alias=reading if reading != name else None,
            serialization_alias=writing if writing != name else None,
            constraints=dict(sorted(constraints.items())),
            description=_string(options.get("description")),
            line=statement.lineno,
        )

    def _metadata(self, module: str, item: ast.expr, options: dict[str, ast.expr], constraints: dict[str, str]) -> None:
        """What an Annotated metadata item says: `Field(...)` options, annotated_types markers, StringConstraints."""
        if not isinstance(item, ast.Call):
            return
        called = self._called(module, item)
        if called in _FIELD_FUNCTIONS:
            options.update({k.arg: k.value for k in item.keywords if k.arg})
        elif called in _STRING_CONSTRAINTS or called in ("annotated_types.Interval", "annotated_types.Len"):
            keywords = list(item.keywords)
            if called == "annotated_types.Len":
                keywords += [ast.keyword(arg=k, value=v) for k, v in zip(("min_length", "max_length"), item.args)]
            constraints.update(_constraints_of(keywords))
        elif called in _ANNOTATED_TYPES and item.args:
            constraints[_ANNOTATED_TYPES[called]] = ast.unparse(item.args[0])

    def _called(self, module: str, call: ast.Call) -> str | None:
        dotted = dotted_name(call.func)
        return canonical_name(self.index.resolve(module, dotted)) if dotted else None

    def _extra(self, module: str, node: ast.ClassDef, keywords: dict[str, ast.expr]) -> str | None:
        """A pydantic model's own `extra` setting: class keyword, `model_config`, or v1 `class Config`."""
        if "extra" in keywords:
            return _extra_value(keywords["extra"])
        for statement in node.body:
            if isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                if any(isinstance(t, ast.Name) and t.id == "model_config" for t in targets):
                    value = statement.value
                    if isinstance(value, ast.Call):
                        found = {k.arg: k.value for k in value.keywords if k.arg}
                    elif isinstance(value, ast.Dict):
                        found = {k.value: v for k, v in zip(value.keys, value.values) if isinstance(k, ast.Constant)}
                    else:
                        found = {}
                    if "extra" in found:
                        return _extra_value(found["extra"])
            elif isinstance(statement, ast.ClassDef) and statement.name == "Config":
                for item in statement.body:
                    if isinstance(item, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == "extra" for t in item.targets
                    ):
                        return _extra_value(item.value)
        return None


def _extra_value(node: ast.expr) -> str | None:
    """'forbid' from `"forbid"` or `Extra.forbid`."""
    text = node.value if isinstance(node, ast.Constant) else getattr(node, "attr", None)
    return text if text in _EXTRA_VALUES else None


def _constraints_of(keywords: list[ast.keyword]) -> dict[str, str]:
    found = {}
    for keyword in keywords:
        name = _CONSTRAINT_SYNONYMS.get(keyword.arg or "", keyword.arg)
        if name in CONSTRAINTS and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is None):
            found[name] = ast.unparse(keyword.value)
    return found


def _string(node: ast.expr | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    return ast.unparse(node)  # AliasPath(...), AliasChoices(...): compared as written


def _is_ellipsis(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is Ellipsis


def _is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _is_false(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False
