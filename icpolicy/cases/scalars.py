"""Converters for the leaves of a case document: booleans, strings, enums, dates.

A converter is `convert(value) -> normalized value`; on bad input it raises
`Invalid` with (relative path, message) pairs. Paths are built only on the error
path (by the containers in `cases.normalize`), so a valid case pays for no
bookkeeping.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from ..diagnostics import suggest
from .messages import describe, say

Problem = tuple  # (path tuple, message)
Converter = Callable[[Any], Any]  # (value) -> normalized value, or raise Invalid


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
    pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
    min_length = schema.get("minLength", 0)

    def convert(value):
        if type(value) is not str:
            raise bad(say("expected_string", got=describe(value)))
        if len(value) < min_length:
            raise bad(say("empty"))
        if pattern is not None and not pattern.search(value):
            raise bad(say("no_match", got=describe(value), pattern=pattern.pattern))
        return value

    return convert


def enum_converter(choices: tuple) -> Converter:
    allowed = frozenset(choices)
    shown = " | ".join(choices)

    def convert(value):
        if type(value) is str and value in allowed:
            return value
        hint = suggest(value, choices) if isinstance(value, str) else None
        message = say("expected_one_of", choices=shown, got=describe(value))
        raise bad(message + (f" ({hint})" if hint else ""))

    return convert


def convert_date(value):
    if type(value) is dt.date:
        return value
    if type(value) is str and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise bad(say("expected_date", got=describe(value)))
