"""Showing values: in explanations and text output for people, and as exact JSON.

Money is shown as `150 000 000 NOK`, shares as `85 %`; JSON numbers keep their
exact decimal digits (no binary float ever touches them).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

from .lang import types as T
from .lang.ast import Duration
from .lang.runtime import EXACT


def plain_decimal(value: Decimal) -> Decimal:
    """The same number without trailing zeros (150000000.00 -> 150000000)."""
    if value.adjusted() < 80 and value == value.to_integral_value():  # (huge exponents stay as they are)
        return Decimal(int(value))
    return value.normalize(EXACT)  # every digit: not the thread's default 28, nor rounded at 60


def decimal_text(value: Decimal) -> str:
    return format(plain_decimal(value), "f")


def _grouped(value: Decimal) -> str:
    text = decimal_text(value)
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("-")
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + " ".join(groups) + (f".{frac}" if frac else "")


def show(value, typ: T.Type | None = None) -> str:
    """A value as a person reads it."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        typ = T.strip_optional(typ) if typ is not None else None
        if typ == T.MONEY:
            return f"{_grouped(value)} NOK"
        if typ == T.SHARE:
            return f"{decimal_text(EXACT.multiply(value, 100))} %"
        return decimal_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, (list, tuple, frozenset)):
        item = typ.item if isinstance(typ, T.ListOf) else None
        return "[" + ", ".join(show(v, item) for v in value) + "]"
    return str(value)


def json_value(value):
    """A decision value ready for JSON: Decimal without trailing zeros, ISO dates."""
    if isinstance(value, Decimal):
        return plain_decimal(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Duration):
        return str(value)
    return value


def dumps(obj, indent: int | None = None) -> str:
    """JSON text with Decimals written as exact numbers."""
    out: list[str] = []
    _write(obj, out, indent, 0)
    return "".join(out)


# What json.dumps(text, ensure_ascii=False) calls for a str (the C encoder when there is
# one), without building an encoder per string.
_encode_string = json.encoder.encode_basestring
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_string(text: str) -> str:
    """A JSON string literal, UTF-8 as it is, with any lone surrogate (read from a JSON
    input as "\\ud800") escaped: the text can always be written out."""
    shown = _encode_string(text)
    if text.isascii() or not _LONE_SURROGATE.search(shown):
        return shown
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", shown)


def printable(text: str) -> str:
    """Text for people (a terminal, a log) that can always be encoded: a lone
    surrogate is shown as its escape, \\ud800."""
    if text.isascii() or not _LONE_SURROGATE.search(text):
        return text
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _write(obj, out, indent, depth):
    if obj is None:
        out.append("null")
    elif obj is True:
        out.append("true")
    elif obj is False:
        out.append("false")
    elif isinstance(obj, Decimal):
        out.append(decimal_text(obj))
    elif isinstance(obj, int):
        out.append(str(obj))
    elif isinstance(obj, str):
        out.append(json_string(obj))
    elif isinstance(obj, dict):
        if not obj:
            out.append("{}")
            return
        out.append("{")
        first = True
        for key, value in obj.items():
            if not first:
                out.append(",")
            first = False
            if indent is not None:
                out.append("\n" + " " * (indent * (depth + 1)))
            out.append(json_string(str(key)))
            out.append(": " if indent is not None else ":")
            _write(value, out, indent, depth + 1)
        if indent is not None:
            out.append("\n" + " " * (indent * depth))
        out.append("}")
    elif isinstance(obj, (list, tuple)):
        if not obj:
            out.append("[]")
            return
        out.append("[")
        for i, value in enumerate(obj):
            if i:
                out.append(",")
            if indent is not None:
                out.append("\n" + " " * (indent * (depth + 1)))
            _write(value, out, indent, depth + 1)
        if indent is not None:
            out.append("\n" + " " * (indent * depth))
        out.append("]")
    else:
        out.append(json.dumps(json_value(obj) if not isinstance(obj, (dt.date, Duration)) else str(json_value(obj))))
