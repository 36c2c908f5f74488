"""Numbers and dates as people write them, per language; exact (no float ever).

Decided (docs/languages.md): money is `100 000 000 NOK` in both languages, digits
grouped by a space, because that is the form a case document may be written in
(a comma is the decimal mark in Norwegian, so `100,000,000` would be ambiguous) and
the form icpolicy prints must read back. The decimal mark, month names and the
words for yes/no and durations follow the language: `0,5` / `0.5`, `85 %` in both,
`1. mars 2026` / `1 March 2026` (babel's CLDR data: nb_NO and en_GB).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import get_decimal_symbol

from ..lang import types as T
from ..lang.ast import Duration
from ..lang.runtime import EXACT

_LOCALES = {"nb": "nb_NO", "en": "en_GB"}
_WORDS: dict[str, dict] = {
    "nb": {True: "ja", False: "nei", None: "ingen", "year": ("år", "år"), "day": ("dag", "dager")},
    "en": {True: "yes", False: "no", None: "none", "year": ("year", "years"), "day": ("day", "days")},
}


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(_LOCALES[lang])


@cache
def _decimal_mark(lang: str) -> str:
    return get_decimal_symbol(_locale(lang))


def _plain(value: Decimal) -> str:
    """The exact digits, without exponent or trailing zeros."""
    if value == value.to_integral_value() and value.adjusted() < 80:
        return str(int(value))
    return format(value.normalize(EXACT), "f")


def show_number(value: Decimal, lang: str, grouped: bool = True) -> str:
    """`100000000.5` -> `100 000 000,5` (nb) / `100 000 000.5` (en)."""
    if type(value) is Decimal and not value.is_nan():
        return _cached_number(value, lang, grouped)
    return _number(value, lang, grouped)


# Equal decimals show the same digits (trailing zeros dropped), so the value is the key;
# a batch shows few distinct amounts many times.
@lru_cache(maxsize=8192)
def _cached_number(value: Decimal, lang: str, grouped: bool) -> str:
    return _number(value, lang, grouped)


def _number(value: Decimal, lang: str, grouped: bool) -> str:
    text = _plain(value)
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    if grouped and len(whole) > 4:  # (four digits stay together: 2026, 1000)
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = " ".join([whole] + groups)
    return sign + whole + (_decimal_mark(lang) + frac if frac else "")


def show_money(value: Decimal, lang: str) -> str:
    return f"{show_number(value, lang)} NOK"


def show_share(value: Decimal, lang: str) -> str:
    return f"{show_number(EXACT.multiply(value, 100), lang, grouped=False)} %"


def show_date(value: dt.date, lang: str) -> str:
    if type(value) is dt.date:  # (a datetime equals a date but shows the same only as a date)
        return _cached_date(value, lang)
    return format_date(value, format="long", locale=_locale(lang))


@lru_cache(maxsize=4096)
def _cached_date(value: dt.date, lang: str) -> str:
    return format_date(value, format="long", locale=_locale(lang))


def show_duration(value: Duration, lang: str) -> str:
    words = _WORDS[lang]
    parts = []
    if value.years:
        parts.append(f"{value.years} {words['year'][value.years != 1]}")
    if value.days or not parts:
        parts.append(f"{value.days} {words['day'][value.days != 1]}")
    return " ".join(parts)


def shower(typ: T.Type | None, lang: str):
    """`show` for values of one type in one language, with the type looked at once
    (explanation templates show the same placeholders case after case)."""
    bare = T.strip_optional(typ) if typ is not None else None
    if bare == T.MONEY:
        return lambda value: show_money(value, lang) if type(value) is Decimal else show(value, typ, lang)
    if bare == T.SHARE:
        return lambda value: show_share(value, lang) if type(value) is Decimal else show(value, typ, lang)
    return lambda value: show(value, typ, lang)


def show(value, typ: T.Type | None = None, lang: str = "en") -> str:
    """A value as a reader of `lang` writes it (typ tells money and shares apart)."""
    if value is None or isinstance(value, bool):
        return _WORDS[lang][value]
    if isinstance(value, Decimal):
        bare = T.strip_optional(typ) if typ is not None else None
        if bare == T.MONEY:
            return show_money(value, lang)
        if bare == T.SHARE:
            return show_share(value, lang)
        return show_number(value, lang, grouped=False)
    if isinstance(value, int):
        return show_number(Decimal(value), lang, grouped=False)
    if isinstance(value, dt.date):
        return show_date(value, lang)
    if isinstance(value, Duration):
        return show_duration(value, lang)
    if isinstance(value, (list, tuple, frozenset)):
        item = typ.item if isinstance(typ, T.ListOf) else None
        return ", ".join(show(v, item, lang) for v in value)
    return str(value)
