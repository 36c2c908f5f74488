"""The case schema, compiled twice: into checker types and into a fast normalizer.

Input: `schemas/case.schema.json` (JSON Schema 2020-12, the contract users and
editors see). Output: the record types policy expressions are checked against, and
`normalize(data) -> (case, problems)` which checks a case document and converts it
to what compiled policies read: Decimals for every number (a float is read from its
shortest decimal form), `datetime.date` for dates, defaults filled in. One pass,
built from the schema once, so every case does no schema interpretation.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from ..lang import types as T
from ..lang.checker import suggest
from ..lang.runtime import CTX
from ..resources import schema_path

Problem = tuple  # (path tuple, message)

_PERCENT = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$")
_MISSING = object()


def load_case_schema(path=None) -> dict:
    with open(path or schema_path("case.schema.json"), encoding="utf-8") as fh:
        return json.load(fh)


def _resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {ref}")
        extra = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**root["$defs"][ref.split("/")[-1]], **extra}
    return schema


# ---- types for the checker -------------------------------------------------

def case_types(root: dict) -> T.Record:
    """The record type of a whole case document."""
    return _type_of(root, root, "case")


def _type_of(schema: dict, root: dict, name: str) -> T.Type:
    schema = _resolve(schema, root)
    declared = schema.get("x-icpolicy-type")
    if declared:
        return T.DECLARED_TYPES[declared]
    if "enum" in schema:
        return T.Str(frozenset(schema["enum"]))
    kind = schema.get("type")
    if kind == "object":
        fields = []
        required = set(schema.get("required", []))
        for key, sub in schema.get("properties", {}).items():
            typ = _type_of(sub, root, key)
            sub_r = _resolve(sub, root)
            if key not in required and "default" not in sub_r and not isinstance(typ, T.Record):
                typ = T.Optional(typ)
            fields.append((key, typ))
        return T.Record(schema.get("x-icpolicy-record", name), tuple(fields))
    if kind == "array":
        return T.ListOf(_type_of(schema["items"], root, name))
    if kind == "boolean":
        return T.BOOL
    if kind in ("number", "integer"):
        return T.NUMBER
    if kind == "string":
        return T.DATE if schema.get("format") == "date" else T.STRING
    raise ValueError(f"unsupported schema for {name}: {schema}")


# ---- the normalizer ----------------------------------------------------------
#
# A converter is `convert(value) -> normalized value`; on bad input it raises
# `Invalid` with (relative path, message) pairs. Paths are built only on the error
# path, so a valid case pays for no bookkeeping.


class Invalid(Exception):
    def __init__(self, problems: list):
        super().__init__(problems)
        self.problems = problems


def _bad(message: str):
    return Invalid([((), message)])


Converter = Callable  # (value) -> normalized value, or raise Invalid


class Normalizer:
    """The compiled case schema: `normalize(data, only)` -> (case, problems)."""

    def __init__(self, root: dict):
        self._root = _ObjectConverter(root, root)

    def __call__(self, data, only: frozenset | None = None):
        try:
            return self._root.convert(data, only), []
        except Invalid as exc:
            return None, exc.problems


def compile_normalizer(root: dict) -> Normalizer:
    return Normalizer(root)


def _describe(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _converter(schema: dict, root: dict) -> Converter:
    schema = _resolve(schema, root)
    declared = schema.get("x-icpolicy-type")
    if declared in ("money", "number", "share"):
        return _number_converter(schema, declared)
    if declared == "date":
        return _convert_date
    if "enum" in schema:
        return _enum_converter(tuple(schema["enum"]))
    kind = schema.get("type")
    if kind == "object":
        return _ObjectConverter(schema, root).convert
    if kind == "array":
        return _array_converter(_converter(schema["items"], root))
    if kind == "boolean":
        return _convert_bool
    if kind == "string":
        return _string_converter(schema)
    if kind in ("number", "integer"):
        return _number_converter(schema, "number")
    raise ValueError(f"unsupported schema {schema}")


def _convert_bool(value):
    if value is True or value is False:
        return value
    raise _bad(f"expected true or false, got {_describe(value)}")


def _string_converter(schema):
    pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
    min_length = schema.get("minLength", 0)

    def convert(value):
        if type(value) is not str:
            raise _bad(f"expected a string, got {_describe(value)}")
        if len(value) < min_length:
            raise _bad("must not be empty")
        if pattern is not None and not pattern.search(value):
            raise _bad(f"{_describe(value)} does not match {pattern.pattern}")
        return value

    return convert


def _enum_converter(choices: tuple):
    allowed = frozenset(choices)
    shown = " | ".join(choices)

    def convert(value):
        if type(value) is str and value in allowed:
            return value
        hint = suggest(value, choices) if isinstance(value, str) else None
        message = f"expected one of {shown}, got {_describe(value)}"
        raise _bad(message + (f" ({hint})" if hint else ""))

    return convert


def _convert_date(value):
    if type(value) is dt.date:
        return value
    if type(value) is str and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _bad(f"expected a date YYYY-MM-DD, got {_describe(value)}")


def to_decimal(value, allow_percent: bool = False):
    """An exact Decimal from int, Decimal, str or float (its shortest repr), or None."""
    kind = type(value)
    if kind is Decimal:
        return value if value.is_finite() else None
    if kind is int:
        return Decimal(value)
    if kind is float:
        # repr() is the shortest string that reads back as the same float: 0.1 -> "0.1".
        return Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    if kind is str:
        if allow_percent:
            match = _PERCENT.match(value)
            if match:
                return Decimal(match.group(1)).scaleb(-2, CTX)
        text = value.strip()
        if not text or text[0] not in "0123456789-+.":
            return None
        try:
            number = Decimal(text.replace("_", ""))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _string_pattern(schema: dict):
    for option in schema.get("anyOf", []):
        if option.get("type") == "string" and "pattern" in option:
            return re.compile(option["pattern"])
    return None


def _number_converter(schema: dict, declared: str):
    bounds = _bounds(schema)
    # Numbers written as strings must look as the schema says ("150000000", "85 %"),
    # so the document means the same to any JSON Schema validator.
    pattern = _string_pattern(schema)
    low, low_strict = bounds["min"], bounds["min_strict"]
    high, high_strict = bounds["max"], bounds["max_strict"]
    is_share = declared == "share"
    expected = {"money": "an amount in NOK", "share": 'a share (0.85 or "85 %")', "number": "a number"}[declared]

    def out_of_range(number, value):
        if low is not None and (number < low or (low_strict and number == low)):
            return f"must be {'>' if low_strict else '>='} {low}, got {_describe(value)}"
        if high is not None and (number > high or (high_strict and number == high)):
            return f"must be {'<' if high_strict else '<='} {high}, got {_describe(value)}"
        return None

    def convert(value):
        kind = type(value)
        if kind is int:
            number = Decimal(value)
        elif kind is Decimal and value.is_finite():
            number = value
        else:
            number = to_decimal(value, is_share) if kind is not bool else None
            if number is not None and kind is str and pattern is not None and not pattern.search(value):
                number = None
            if number is None:
                raise _bad(f"expected {expected}, got {_describe(value)}")
        if (low is not None and number <= low) or (high is not None and number >= high):
            problem = out_of_range(number, value)
            if problem:
                raise _bad(problem)
        return number

    return convert


def _bounds(schema: dict) -> dict:
    out = {"min": None, "min_strict": False, "max": None, "max_strict": False}
    for option in schema.get("anyOf", [schema]):
        if option.get("type") not in ("number", "integer"):
            continue
        if "minimum" in option:
            out["min"] = Decimal(str(option["minimum"]))
        if "exclusiveMinimum" in option:
            out["min"], out["min_strict"] = Decimal(str(option["exclusiveMinimum"])), True
        if "maximum" in option:
            out["max"] = Decimal(str(option["maximum"]))
        if "exclusiveMaximum" in option:
            out["max"], out["max_strict"] = Decimal(str(option["exclusiveMaximum"])), True
    return out


def _array_converter(item: Converter):
    def convert(value):
        if type(value) is not list:
            if isinstance(value, (list, tuple)):
                value = list(value)
            else:
                raise _bad(f"expected a list, got {_describe(value)}")
        out = []
        problems = None
        for i, element in enumerate(value):
            try:
                out.append(item(element))
            except Invalid as exc:
                problems = problems or []
                problems += [((i,) + path, message) for path, message in exc.problems]
        if problems:
            raise Invalid(problems)
        return out

    return convert


def _copy_default(value):
    kind = type(value)
    if kind is list:
        return list(value)
    if kind is dict:
        return dict(value)
    return value


_GENERIC, _BOOL, _ENUM, _PLAIN_MONEY = range(4)


class _ObjectConverter:
    """A mapping with known fields: unknown ones are errors, defaults are filled in."""

    def __init__(self, schema: dict, root: dict):
        required = frozenset(schema.get("required", ()))
        self.fields = []
        for key, sub in schema.get("properties", {}).items():
            sub_r = _resolve(sub, root)
            default = sub_r.get("default", _MISSING)
            conv = _converter(sub, root)
            if default is not _MISSING:
                default = conv(default)  # converted once; copied for each case
            kind, extra = _fast_kind(sub_r)
            self.fields.append((key, conv, key in required, default, kind, extra))
        self.allowed = frozenset(f[0] for f in self.fields)
        self._subsets: dict = {}

    def convert(self, value, only: frozenset | None = None):
        if type(value) is not dict:
            if isinstance(value, dict):
                value = dict(value)
            else:
                raise _bad(f"expected a mapping, got {_describe(value)}")
        problems = None
        if not self.allowed.issuperset(value):
            problems = [
                ((key,), "unknown field" + (f" ({hint})" if (hint := suggest(str(key), self.allowed)) else ""))
                for key in value
                if key not in self.allowed
            ]
        fields = self.fields if only is None else self._subset(only)
        out = {}
        get = value.get
        for key, conv, is_required, default, kind, extra in fields:
            raw = get(key)
            # The common valid shapes are checked inline; anything else goes to the converter.
            if kind == _BOOL and (raw is True or raw is False):
                out[key] = raw
                continue
            if kind == _ENUM and type(raw) is str and raw in extra:
                out[key] = raw
                continue
            if kind == _PLAIN_MONEY and type(raw) is int and 0 <= raw <= extra:
                out[key] = Decimal(raw)
                continue
            if raw is None:
                if is_required:
                    problems = problems or []
                    problems.append(((key,), "required field is missing" if key not in value else "must not be null"))
                elif default is _MISSING:
                    out[key] = None
                else:
                    out[key] = _copy_default(default)
                continue
            try:
                out[key] = conv(raw)
            except Invalid as exc:
                problems = problems or []
                problems += [((key,) + path, message) for path, message in exc.problems]
        if problems:
            raise Invalid(problems)
        return out

    def _subset(self, only: frozenset):
        subset = self._subsets.get(only)
        if subset is None:
            subset = [f for f in self.fields if f[0] in only]
            self._subsets[only] = subset
        return subset


def _fast_kind(schema: dict):
    if schema.get("type") == "boolean":
        return _BOOL, None
    if "enum" in schema:
        return _ENUM, frozenset(schema["enum"])
    bounds = _bounds(schema)
    if (
        schema.get("x-icpolicy-type") == "money"
        and bounds["min"] == 0
        and not bounds["min_strict"]
        and bounds["max"] is not None
        and not bounds["max_strict"]
    ):
        return _PLAIN_MONEY, int(bounds["max"])
    return _GENERIC, None


def check_unique_ids(case: dict, problems: list) -> None:
    """Project ids must be unique: decisions are reported per project id."""
    seen = {}
    for i, project in enumerate(case.get("projects") or ()):
        pid = project.get("id") if isinstance(project, dict) else None
        if pid is None:
            continue
        if pid in seen:
            problems.append((("projects", i, "id"), f"duplicate project id {pid!r} (also projects[{seen[pid]}])"))
        else:
            seen[pid] = i
