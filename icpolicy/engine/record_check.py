"""Reading a decision record: JSON text -> a record every field of which was checked.

A record comes from outside (a file someone kept, or changed): nothing in it is used
before the JSON is read within limits (numbers, nesting) and the whole record is
checked against schemas/record.schema.json. Each problem is an E-RECORD Diagnostic
naming the file and the field, in words, never a traceback or a huge value echoed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..diagnostics import Diagnostic, IcpolicyError
from ..resources import schema_path

# Deeper than any record icpolicy writes (a case document nests 4 levels).
MAX_DEPTH = 64
_SHOWN = 60  # characters of a value shown in a message


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema  # only when a record is read: slow to import

    with open(schema_path("record.schema.json"), encoding="utf-8") as fh:
        return jsonschema.Draft202012Validator(json.load(fh))


def parse_record(text: str, where: str) -> dict:
    """The record in `text`, checked; IcpolicyError (E-RECORD) otherwise."""
    record = _load(text, where)
    if not isinstance(record, dict) or "record_format" not in record:
        raise _error(where, "not an icpolicy decision record (no record_format)")
    deepest = _depth(record)
    if deepest > MAX_DEPTH:
        raise _error(where, f"nested more than {MAX_DEPTH} levels deep (no record is)")
    errors = sorted(_validator().iter_errors(record), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        raise IcpolicyError([_schema_problem(where, e) for e in errors[:10]])
    return record


def _load(text: str, where: str):
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise _error(where, f"not a record (invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise _error(where, f"nested more than {MAX_DEPTH} levels deep (no record is)") from None
    except ValueError:  # an integer beyond Python's digit limit for conversions
        raise _error(where, "a number has too many digits (more than 4300)") from None


def _depth(value) -> int:
    """How deeply lists and mappings nest in `value` (iteratively: no recursion)."""
    deepest = 0
    todo = [(value, 1)]
    while todo:
        item, level = todo.pop()
        children: Iterable
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        todo.extend((child, level + 1) for child in children)
    return deepest


def _schema_problem(where: str, error) -> Diagnostic:
    while error.validator == "anyOf" and error.context:
        # The alternative that was meant is the one whose type matched (its error is
        # another kind, or deeper inside the value).
        meant = [e for e in error.context if e.validator != "type" or len(e.absolute_path) > len(error.absolute_path)]
        if not meant:
            break
        error = max(meant, key=lambda e: len(e.absolute_path))
    field = ".".join(str(p) for p in error.absolute_path) or None
    return Diagnostic("E-RECORD", f"{where}: {field or 'the record'}: {_in_words(error)}")


_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "boolean": "true or false",
    "null": "null",
    "number": "a number",
    "integer": "a whole number",
}


def _in_words(error) -> str:
    """A schema error in words, showing at most a short cut of the value."""
    kind = error.validator
    if kind == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        return "missing " + ", ".join(missing)
    if kind == "additionalProperties":
        extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
        return "unknown field " + ", ".join(_short(k) for k in extra[:5])
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return f"must be {' or '.join(_TYPE_WORDS.get(w) or str(w) for w in wanted)}, not {_kind_of(error.instance)}"
    if kind == "const":
        return f"must be {error.validator_value!r} (this icpolicy reads record format 1), not {_short(error.instance)}"
    if kind == "pattern":
        return f"{_short(error.instance)} is not in the expected form ({_pattern_words(error.validator_value)})"
    if kind in ("maxLength", "maxItems"):
        return f"too long ({len(error.instance)}; at most {error.validator_value})"
    if kind == "minItems":
        return f"must list at least {error.validator_value}"
    if kind == "anyOf":
        return f"{_short(error.instance)} is not valid here"
    return f"{_short(error.instance)} is not valid ({kind})"


def _pattern_words(pattern: str) -> str:
    if "64" in pattern:
        return "64 lowercase hexadecimal digits"
    if "{4}-" in pattern:
        return "a date YYYY-MM-DD"
    if "{40}" in pattern:
        return "a git commit id"
    return "a name of letters, digits, _ . -"


def _kind_of(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the string {_short(value)}"
    if isinstance(value, (int, Decimal)):
        text = str(value)
        return f"the number {text}" if len(text) <= _SHOWN else f"a number of {len(text)} characters"
    return type(value).__name__


def _short(value) -> str:
    """A value for a message: cut, and escaped (a lone surrogate never reaches output)."""
    text = value if isinstance(value, str) else json.dumps(value, default=str) if isinstance(value, (list, dict)) else str(value)
    shown = json.dumps(text[:_SHOWN])
    return shown if len(text) <= _SHOWN else f"{shown[:-1]}...\" ({len(text)} characters)"


def _error(where: str, message: str) -> IcpolicyError:
    return IcpolicyError(Diagnostic("E-RECORD", f"{where}: {message}"))
