"""A fast path for the case check and conversion: msgspec (C) does what it can be
trusted with, the reference converter (`cases.normalize`) everything else.

`fast_converter(schema, only)(case)` returns the normalized case, equal to what the
reference normalizer returns, or None when it is not sure; the caller then runs the
reference, which also writes every error message. Nothing here reports an error.

From the case schema, msgspec Struct types are generated for the fields `only`
names (the whole case when None): strict types (no str -> number, no int -> bool),
the bounds of every number, enums and country codes as literals, dates exactly
`YYYY-MM-DD`, unknown fields refused, defaults filled in. msgspec checks a document
against them and turns it into plain dicts (`to_builtins`) in C; a small fix per
object then makes the numbers the policies read:

- an int becomes `Decimal(int)`; a float becomes the Decimal of its shortest repr,
  read by msgspec in C (`float_to_decimal`), never through a Python string;
- a string (`"85 %"`, `"150000000"`) goes to the reference's own converter for that
  field: its grammar, its bounds, whatever it learns to read;
- a value whose type is not exactly a plain JSON-like type (a Decimal, `str` and
  `int` subclasses such as enum members, dict subclasses, tuples) makes the whole
  case go to the reference: msgspec reads some of them differently (a Decimal as a
  float, to check its bounds) or accepts what the reference refuses.

Where the schema uses something the generator does not know, there is no fast path
(`fast_converter` returns None) and nothing changes.
"""

from __future__ import annotations

import datetime as dt
import keyword
import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

import msgspec

from . import countries
from .normalize import converter as reference_converter
from .numbers import Bounds
from .scalars import CODE_LISTS, Invalid
from .schema import resolve

# The exact types a value may have for msgspec's reading of it to be the reference's.
# Not Decimal: msgspec would read it as a float to check its bounds.
_PLAIN_TYPES = frozenset({str, int, float, bool, list, dict, type(None), dt.date})
_convert = msgspec.convert


class Unsupported(Exception):
    """The schema uses something this generator does not translate."""


class _Unsure(Exception):
    """This document is for the reference converter."""


def float_to_decimal(value: float) -> Decimal:
    """The exact Decimal of a finite float's shortest repr (0.1 -> Decimal('0.1')), in C."""
    return _convert(value, Decimal)


class _Object:
    """One object schema: its Struct type and the builder of its normalized dict."""

    def __init__(self, schema: dict, root: dict, only: frozenset | None, name: str):
        required = frozenset(schema.get("required", ()))
        properties = schema.get("properties", {})
        if schema.get("additionalProperties", True) is not False and only is None:
            raise Unsupported("an object open to any field")
        fields: list = []
        self.keys: list[str] = []  # the fields converted, in the schema's order
        self.numbers: list[tuple[str, Callable]] = []  # (key, reference converter)
        self.objects: list[tuple[str, Callable]] = []  # (key, its fix)
        self.lists: list[tuple[str, Callable]] = []  # (key, its items' fix)
        self.sub_types: dict[str, type] = {}
        for key, sub in properties.items():
            if not key.isidentifier() or keyword.iskeyword(key) or key.startswith("_"):
                raise Unsupported(f"field name {key!r}")
            if only is not None and key not in only:
                fields.append((key, Any, None))  # allowed, not read: not checked (as the reference)
                continue
            self.keys.append(key)
            fields.append(self._field(key, sub, root, key in required, f"{name}_{key}"))
        self.type = msgspec.defstruct(name, fields, kw_only=True, forbid_unknown_fields=True)
        self.build = self._builder()

    def _field(self, key: str, sub: dict, root: dict, is_required: bool, name: str) -> tuple:
        resolved = resolve(sub, root)
        typ = self._type_of(key, resolved, root, name)
        if is_required:
            return (key, typ)
        if "default" not in resolved:
            return (key, Union[typ, None], None)  # noqa: UP007 (a runtime type for msgspec)
        default = reference_converter(sub, root)(resolved["default"])
        if isinstance(default, (dict, list)):
            if default == []:
                return (key, typ, msgspec.field(default_factory=list))
            if isinstance(default, dict) and key in self.sub_types:
                return (key, typ, msgspec.field(default_factory=self.sub_types[key]))
            raise Unsupported(f"default {default!r}")
        return (key, typ, default)

    def _type_of(self, key: str, schema: dict, root: dict, name: str):
        declared = schema.get("x-icpolicy-type")
        if declared in ("money", "number", "share") or schema.get("type") in ("number", "integer"):
            self.numbers.append((key, reference_converter(schema, root)))
            return _number_type(schema)
        if declared == "date":
            return dt.date
        if declared is not None:
            raise Unsupported(f"x-icpolicy-type {declared}")
        return self._plain_type(key, schema, root, name)

    def _plain_type(self, key: str, schema: dict, root: dict, name: str):
        if "enum" in schema:
            if not all(type(choice) is str for choice in schema["enum"]):
                raise Unsupported("an enum of non-strings")
            return Literal[tuple(schema["enum"])]
        kind = schema.get("type")
        if kind == "boolean":
            return bool
        if kind == "string":
            return _string_type(schema)
        if kind == "object":
            sub_object = _Object(schema, root, None, name)
            self.objects.append((key, sub_object.build))
            self.sub_types[key] = sub_object.type
            return sub_object.type
        if kind == "array":
            items = resolve(schema["items"], root)
            if items.get("type") != "object":
                raise Unsupported("a list of anything but objects")
            item_object = _Object(items, root, None, name)
            self.lists.append((key, item_object.build))
            return list[item_object.type]  # type: ignore[name-defined]
        raise Unsupported(f"schema {schema}")

    def _builder(self) -> Callable:
        """`fix(out, raw)`: turn msgspec's plain output for this object (`out`, made by
        `to_builtins`) into the normalized object in place, looking at the document's
        own values (`raw`) for their exact types; raises _Unsure."""
        numbers, objects, lists = tuple(self.numbers), tuple(self.objects), tuple(self.lists)
        plain = _PLAIN_TYPES.issuperset
        decimal_of = _DECIMALS.get

        def fix(out: dict, raw: dict) -> None:
            if not plain(map(type, raw.values())):
                raise _Unsure
            for key, reference in numbers:
                value = out[key]
                kind = type(value)
                if kind is int:  # msgspec checked the bounds, exactly
                    number = decimal_of(value)
                    out[key] = number if number is not None else _decimal_of_int(value)
                elif kind is float:
                    out[key] = _convert(value, Decimal)
                elif kind is str:  # "85 %", "150000000": as the reference reads it
                    try:
                        out[key] = reference(value)
                    except Invalid:
                        raise _Unsure from None
            for key, sub_fix in objects:
                if out[key] is not None:
                    sub_fix(out[key], raw.get(key) or {})
            for key, item_fix in lists:
                items = raw.get(key)
                if items:
                    for item, raw_item in zip(out[key], items, strict=True):
                        item_fix(item, raw_item)

        return fix


# Amounts repeat (100 000 000, 0): an int's Decimal is made once (Decimals are
# immutable, so sharing one is safe). Bounded; clearing it only costs speed.
_DECIMALS: dict[int, Decimal] = {}


def _decimal_of_int(value: int) -> Decimal:
    if len(_DECIMALS) >= 4096:
        _DECIMALS.clear()
    made = _DECIMALS[value] = Decimal(value)
    return made


def _number_type(schema: dict):
    """int or float within the schema's bounds (floats only where the bounds are
    exact floats, so that msgspec's test of the bound is the reference's)."""
    bounds = Bounds(schema)
    constraints: dict = {}
    for value, strict, inclusive_name, strict_name in (
        (bounds.low, bounds.low_strict, "ge", "gt"),
        (bounds.high, bounds.high_strict, "le", "lt"),
    ):
        if value is None:
            continue
        if value != value.to_integral_value() or Decimal(float(value)) != value:
            raise Unsupported(f"bound {value}")
        constraints[strict_name if strict else inclusive_name] = value
    int_meta = msgspec.Meta(**{k: int(v) for k, v in constraints.items()})  # type: ignore[call-overload]
    float_meta = msgspec.Meta(**{k: float(v) for k, v in constraints.items()})  # type: ignore[call-overload]
    # A string goes to the reference's converter for the field (fix); a Decimal makes
    # the case go to the reference (_PLAIN_TYPES).
    return Union[Annotated[int, int_meta], Annotated[float, float_meta], str]  # noqa: UP007


def _string_type(schema: dict):
    codes = schema.get("x-icpolicy-codes")
    if codes is not None:
        if CODE_LISTS.get(codes) is not countries:
            raise Unsupported(f"code list {codes}")
        return Literal[tuple(sorted(countries.CODES))]
    if "pattern" in schema:
        raise Unsupported("a string pattern")  # none in the case schema beyond dates and codes
    return Annotated[str, msgspec.Meta(min_length=schema.get("minLength", 0))]


class FastConverter:
    """The fast path for one set of top-level fields (`only`; None: the whole case)."""

    def __init__(self, root: dict, only: frozenset | None):
        top = _Object(root, root, only, "Case")
        self._convert = _whole(top) if only is None else _subset(top)
        self._fix = top.build if only is None else _subset_fix(top)
        self._fill_projects = only is not None and "projects" not in only

    def __call__(self, case) -> dict | None:
        """The normalized case (as the reference gives it), or None: use the reference."""
        if type(case) is not dict:
            return None
        try:
            out = self._convert(case)
        except Exception:  # any msgspec error, whatever its kind: the reference decides
            return None
        try:
            self._fix(out, case)
        except _Unsure:
            return None
        if self._fill_projects:
            out["projects"] = []
        return out


def _whole(top: _Object) -> Callable:
    typ = top.type

    def convert(case: dict) -> dict:
        return _to_builtins(_convert(case, typ), builtin_types=_KEPT)

    return convert


def _subset(top: _Object) -> Callable:
    """Only the top level's fields in `top.keys`: the others are allowed and not
    checked (as the reference does), so their values are not even looked at."""
    keys, typ = tuple(top.keys), top.type
    if len(keys) < 2:
        raise Unsupported("fewer than two fields")
    attributes = operator.attrgetter(*keys)

    def convert(case: dict) -> dict:
        values = _to_builtins(attributes(_convert(case, typ)), builtin_types=_KEPT)
        return dict(zip(keys, values, strict=True))

    return convert


def _subset_fix(top: _Object) -> Callable:
    keys, objects = tuple(top.keys), tuple(top.objects)
    if top.numbers or top.lists:
        raise Unsupported("numbers or lists at the top level")
    plain = _PLAIN_TYPES.issuperset

    def fix(out: dict, case: dict) -> None:
        if not plain(map(type, map(case.get, keys))):
            raise _Unsure
        for key, sub_fix in objects:
            if out[key] is not None:
                sub_fix(out[key], case.get(key) or {})

    return fix


_KEPT = (Decimal, dt.date)  # what to_builtins leaves as it is
_to_builtins = msgspec.to_builtins


_CACHE: dict = {}


def fast_converter(document: dict, only: frozenset | None) -> FastConverter | None:
    """The fast path for a case schema document and a set of fields; None when the
    schema uses something it does not translate. Built once per (schema, fields)."""
    key = (id(document), only)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] is document:
        return cached[1]
    try:
        made: FastConverter | None = FastConverter(document, only)
    except Unsupported:
        made = None
    _CACHE[key] = (document, made)
    return made
