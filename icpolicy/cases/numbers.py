"""Numbers in case documents: amounts, shares and factors, read as exact Decimals.

A number is a YAML/JSON number or a string shaped as the schema says
(`"150000000"`, `"150 000 000 NOK"`, `"150 MNOK"`, `"85 %"`: `cases.amounts`); a
float passed from Python is read from its shortest decimal form. The schema's bounds
(`minimum`, `exclusiveMaximum`, ...) are checked.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from ..lang.runtime import EXACT
from ..schemacheck import python_pattern
from .amounts import read_amount, separator_hint, share_hint
from .messages import describe, say, with_hint
from .scalars import Converter, bad

_PERCENT = re.compile("\\s*([0-9]+(?:[.,][0-9]+)?)[\\s\u00a0\u202f]*%\\s*", re.ASCII)
_EXPECTED = {"money": "expected_money", "share": "expected_share", "number": "expected_number"}


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
        return _text_to_decimal(value, allow_percent)
    return None


def _text_to_decimal(value: str, allow_percent: bool):
    # Python's Decimal reads any script's digits ("１５０", "১৫০"); only 0-9 are digits here.
    if not value.isascii():
        return None
    if allow_percent:
        match = _PERCENT.fullmatch(value)
        if match:
            return Decimal(match.group(1).replace(",", ".")).scaleb(-2, EXACT)
        if value.count(",") == 1 and "." not in value:
            value = value.replace(",", ".")  # a share written the Norwegian way: 0,85
    text = value.strip()
    if not text or text[0] not in "0123456789-+.":
        return None
    try:
        number = Decimal(text.replace("_", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _string_pattern(schema: dict):
    for option in schema.get("anyOf", []):
        if option.get("type") == "string" and "pattern" in option:
            return python_pattern(option["pattern"])
    return None


class Bounds:
    """The numeric bounds of a schema (or of its number option, in an `anyOf`)."""

    __slots__ = ("low", "low_strict", "high", "high_strict")

    def __init__(self, schema: dict):
        self.low: Decimal | None = None
        self.high: Decimal | None = None
        self.low_strict = self.high_strict = False
        for option in schema.get("anyOf", [schema]):
            if option.get("type") not in ("number", "integer"):
                continue
            if "minimum" in option:
                self.low = Decimal(str(option["minimum"]))
            if "exclusiveMinimum" in option:
                self.low, self.low_strict = Decimal(str(option["exclusiveMinimum"])), True
            if "maximum" in option:
                self.high = Decimal(str(option["maximum"]))
            if "exclusiveMaximum" in option:
                self.high, self.high_strict = Decimal(str(option["exclusiveMaximum"])), True

    def may_be_outside(self, number: Decimal) -> bool:
        """A cheap first test: False means `number` is certainly inside."""
        return (self.low is not None and number <= self.low) or (self.high is not None and number >= self.high)

    def problem(self, number: Decimal, value) -> str | None:
        low, high = self.low, self.high
        if low is not None and (number < low or (self.low_strict and number == low)):
            return say("below", op=">" if self.low_strict else ">=", bound=low, got=describe(value))
        if high is not None and (number > high or (self.high_strict and number == high)):
            return say("above", op="<" if self.high_strict else "<=", bound=high, got=describe(value))
        return None


def number_converter(schema: dict, declared: str) -> Converter:
    bounds = Bounds(schema)
    # Numbers written as strings must look as the schema says ("150000000", "85 %"),
    # so the document means the same to any JSON Schema validator.
    pattern = _string_pattern(schema)
    is_share, is_money = declared == "share", declared == "money"
    expected = _EXPECTED[declared]

    def convert(value):
        kind = type(value)
        number: Decimal | None
        if kind is int:
            number = Decimal(value)
        elif kind is Decimal and value.is_finite():
            number = value
        elif is_money and kind is str:
            number = read_amount(value) if pattern is None or pattern.search(value) else None
        else:
            number = to_decimal(value, is_share) if kind is not bool else None
            if number is not None and kind is str and pattern is not None and not pattern.search(value):
                number = None
        if number is None:
            raise bad(_not_a_number(value, expected))
        if bounds.may_be_outside(number):
            problem = bounds.problem(number, value)
            if problem:
                raise bad(with_hint(problem, share_hint(number) if is_share else None))
        return number

    return convert


def _not_a_number(value, expected: str) -> str:
    if type(value) is str and not value.isascii():
        digit = next((ch for ch in value if ord(ch) > 127 and unicodedata.decimal(ch, None) is not None), None)
        if digit is not None:
            name = unicodedata.name(digit, "a digit")
            return say("not_ascii_digit", got=describe(value), char=describe(digit), name=name, code=ord(digit))
    message = say(expected, got=describe(value))
    if expected == "expected_money" and type(value) is str:
        return with_hint(message, separator_hint(value.strip()))
    return message
