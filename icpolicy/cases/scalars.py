"""Converters for the leaves of a case document: booleans, strings, enums, dates.

A converter is `convert(value) -> normalized value`; on bad input it raises
`Invalid` with (relative path, message) pairs. Paths are built only on the error
path (by the containers in `cases.normalize`), so a valid case pays for no
bookkeeping. A string's `pattern` matches the whole value (`icpolicy.schemacheck`),
so `"NO\\n"` is not a country code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..dates import DateError, parse_iso_date
from ..diagnostics import closest
from ..schemacheck import python_pattern
from . import countries
from .messages import describe, number_for_text, say, with_hint

Problem = tuple  # (path tuple, message)
Converter = Callable[[Any], Any]  # (value) -> normalized value, or raise Invalid

# The schema keyword naming a code list a string must be in.
CODE_LISTS = {"ISO 3166-1 alpha-2": countries}


class Invalid(Exception):
    def __init__(self, problems: list):
        super().__init__(problems)
        self.problems = problems


def bad(message: str) -> Invalid:
    return Invalid([((), message)])


def convert_bool(value):
    if value is True or value is False:
        return value
    raise bad(say("expected_bool", got=describe(value)))


def string_converter(schema: dict) -> Converter:
    pattern = python_pattern(schema["pattern"]) if "pattern" in schema else None
    min_length = schema.get("minLength", 0)
    if "x-icpolicy-codes" in schema:
        return _code_converter(CODE_LISTS[schema["x-icpolicy-codes"]])

    def convert(value):
        if type(value) is not str:
            raise bad(not_a_string(value))
        if len(value) < min_length:
            raise bad(say("empty"))
        if pattern is not None and not pattern.search(value):
            raise bad(say("no_match", got=describe(value), pattern=schema["pattern"]))
        return value

    return convert


def _code_converter(codes) -> Converter:
    def convert(value):
        if type(value) is str and codes.is_country_code(value):
            return value
        message = say("expected_country", got=describe(value))
        likely = codes.likely_code(value) if type(value) is str else None
        raise bad(with_hint(message, say("did_you_mean", code=likely) if likely else None))

    return convert


def enum_converter(choices: tuple) -> Converter:
    allowed = frozenset(choices)
    shown = " | ".join(choices)

    def convert(value):
        if type(value) is str and value in allowed:
            return value
        close = closest(value, choices) if isinstance(value, str) and len(value) < 100 else None
        message = say("expected_one_of", choices=shown, got=describe(value))
        raise bad(with_hint(message, say("did_you_mean", code=f"'{close}'") if close else None))

    return convert


def convert_date(value) -> dt.date:
    """A day, from `YYYY-MM-DD` exactly (`icpolicy.dates`, the one date reader)."""
    if type(value) is dt.date:
        return value
    try:
        return parse_iso_date(value)
    except DateError as exc:
        message: str = say("expected_date", got=describe(value))
        if type(value) is str and exc.no_such_day:
            message = with_hint(message, say("no_such_day", got=value))
        raise bad(message) from None


def not_a_string(value) -> str:
    """A string field given something else. A number there was most often meant as
    text (an id such as 0123): YAML reads it as a number unless it is quoted."""
    if type(value) is int or type(value) is Decimal:
        return number_for_text(value)
    return say("expected_string", got=describe(value))
