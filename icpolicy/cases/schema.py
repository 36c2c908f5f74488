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
from ..resources import schema_path

Problem = tuple  # (path tuple, message)

_PERCENT = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$")
_MISSING = object()
BAD = object()  # a value that failed; its problem is already recorded


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

Converter = Callable  # (value, path, problems) -> normalized value or BAD


def compile_normalizer(root: dict) -> Converter:
    return _converter(root, root)


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
        return _date_converter()
    if "enum" in schema:
        return _enum_converter(tuple(schema["enum"]))
    kind = schema.get("type")
    if kind == "object":
        return _object_converter(schema, root)
    if kind == "array":
        return _array_converter(_converter(schema["items"], root))
    if kind == "boolean":
        return _bool_converter
    if kind == "string":
        return _string_converter(schema)
    if kind in ("number", "integer"):
        return _number_converter(schema, "number")
    raise ValueError(f"unsupported schema {schema}")


def _bool_converter(value, path, problems):
    if value is True or value is False:
        return value
    problems.append((path, f"expected true or false, got {_describe(value)}"))
    return BAD


def _string_converter(schema):
    pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
    min_length = schema.get("minLength", 0)

    def convert(value, path, problems):
        if not isinstance(value, str):
            problems.append((path, f"expected a string, got {_describe(value)}"))
            return BAD
        if len(value) < min_length:
            problems.append((path, "must not be empty"))
            return BAD
        if pattern and not pattern.search(value):
            problems.append((path, f"{_describe(value)} does not match {pattern.pattern}"))
            return BAD
        return value

    return convert


def _enum_converter(choices: tuple):
    allowed = frozenset(choices)
    shown = " | ".join(choices)

    def convert(value, path, problems):
        if isinstance(value, str) and value in allowed:
            return value
        hint = suggest(value, choices) if isinstance(value, str) else None
        message = f"expected one of {shown}, got {_describe(value)}"
        problems.append((path, message + (f" ({hint})" if hint else "")))
        return BAD

    return convert


def _date_converter():
    def convert(value, path, problems):
        if type(value) is dt.date:
            return value
        if isinstance(value, str) and len(value) == 10:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        problems.append((path, f"expected a date YYYY-MM-DD, got {_describe(value)}"))
        return BAD

    return convert


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
                return Decimal(match.group(1)).scaleb(-2)
        text = value.strip()
        if not text or text[0] not in "0123456789-+.":
            return None
        try:
            number = Decimal(text.replace("_", ""))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _number_converter(schema: dict, declared: str):
    bounds = _bounds(schema)
    low, low_strict = bounds["min"], bounds["min_strict"]
    high, high_strict = bounds["max"], bounds["max_strict"]
    is_share = declared == "share"
    expected = {"money": "an amount in NOK", "share": "a share (0.85 or \"85 %\")", "number": "a number"}[declared]

    def convert(value, path, problems):
        number = to_decimal(value, is_share) if type(value) is not bool else None
        if number is None:
            problems.append((path, f"expected {expected}, got {_describe(value)}"))
            return BAD
        if low is not None and (number < low or (low_strict and number == low)):
            op = ">" if low_strict else ">="
            problems.append((path, f"must be {op} {low}, got {_describe(value)}"))
            return BAD
        if high is not None and (number > high or (high_strict and number == high)):
            op = "<" if high_strict else "<="
            problems.append((path, f"must be {op} {high}, got {_describe(value)}"))
            return BAD
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
    def convert(value, path, problems):
        if not isinstance(value, list):
            problems.append((path, f"expected a list, got {_describe(value)}"))
            return BAD
        out = []
        for i, element in enumerate(value):
            out.append(item(element, path + (i,), problems))
        return out

    return convert


def _object_converter(schema: dict, root: dict):
    required = frozenset(schema.get("required", ()))
    fields = []
    for key, sub in schema.get("properties", {}).items():
        sub_r = _resolve(sub, root)
        default = sub_r.get("default", _MISSING)
        fields.append((key, _converter(sub, root), key in required, default))
    allowed = frozenset(key for key, *_ in fields)
    # Defaults are converted once here, then copied (lists, dicts) for each case.
    converted_defaults = {}
    for key, conv, _, default in fields:
        if default is not _MISSING:
            converted_defaults[key] = conv(default, (key,), [])
    ids_unique = "id" in allowed

    def convert(value, path, problems):
        if not isinstance(value, dict):
            problems.append((path, f"expected a mapping, got {_describe(value)}"))
            return BAD
        if not allowed.issuperset(value):
            for key in value:
                if key not in allowed:
                    hint = suggest(str(key), allowed)
                    problems.append(
                        (path + (key,), "unknown field" + (f" ({hint})" if hint else ""))
                    )
        out = {}
        for key, conv, is_required, default in fields:
            raw = value.get(key, _MISSING)
            if raw is _MISSING or (raw is None and not is_required):
                if is_required:
                    problems.append((path + (key,), "required field is missing"))
                    continue
                if default is _MISSING:
                    out[key] = None
                    continue
                fallback = converted_defaults[key]
                out[key] = list(fallback) if type(fallback) is list else (dict(fallback) if type(fallback) is dict else fallback)
                continue
            out[key] = conv(raw, path + (key,), problems)
        return out

    del ids_unique
    return convert


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
