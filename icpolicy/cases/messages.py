"""Every message a case document's check can give, in Bokmål and English, in one place.

A message is a template with named fields; `say(key, **fields)` fills it in and gives
a `Text` (a str that is the English message and holds the Norwegian one): the
diagnostic is rendered in the reader's language when it is printed
(`icpolicy.diagnostics`). The values shown are described for a reader (`describe`):
a string in quotes, cut when it is long.
"""

from __future__ import annotations

from decimal import Decimal

from ..quoting import quoted, shown_number
from ..translated import Text

LANGUAGES = ("en", "nb")

MESSAGES: dict[str, dict[str, str]] = {
    "expected_bool": {"en": "expected true or false, got {got}", "nb": "forventet true eller false, fikk {got}"},
    "expected_string": {"en": "expected a string, got {got}", "nb": "forventet en tekst, fikk {got}"},
    "quote_number": {
        "en": "YAML reads {raw} as a number: put it in quotes, {quote}",
        "nb": "YAML leser {raw} som et tall: sett det i anførselstegn, {quote}",
    },
    "expected_mapping": {"en": "expected a mapping, got {got}", "nb": "forventet felt med verdier (en mapping), fikk {got}"},
    "expected_list": {"en": "expected a list, got {got}", "nb": "forventet en liste, fikk {got}"},
    "expected_one_of": {"en": "expected one of {choices}, got {got}", "nb": "forventet en av {choices}, fikk {got}"},
    "expected_date": {"en": "expected a date YYYY-MM-DD, got {got}", "nb": "forventet en dato ÅÅÅÅ-MM-DD, fikk {got}"},
    "expected_money": {"en": "expected an amount in NOK, got {got}", "nb": "forventet et beløp i NOK, fikk {got}"},
    "money_separators": {
        "en": 'write {plain} or "{grouped}": a comma or point between digits may be a decimal '
              "mark or a thousands separator, so it is not guessed",
        "nb": 'skriv {plain} eller "{grouped}": komma eller punktum mellom sifre kan være '
              "desimaltegn eller tusenskille, så det gjettes ikke",
    },
    "expected_share": {
        "en": 'expected a share (0.85 or "85 %"), got {got}',
        "nb": 'forventet en andel (0.85 eller "85 %"), fikk {got}',
    },
    "share_as_percent": {
        "en": 'a share is at most 1: write {share} or "{percent} %"',
        "nb": 'en andel er høyst 1: skriv {share} eller "{percent} %"',
    },
    "expected_number": {"en": "expected a number, got {got}", "nb": "forventet et tall, fikk {got}"},
    "empty": {"en": "must not be empty", "nb": "kan ikke være tom"},
    "no_match": {"en": "{got} does not match {pattern}", "nb": "{got} passer ikke mønsteret {pattern}"},
    "below": {"en": "must be {op} {bound}, got {got}", "nb": "må være {op} {bound}, fikk {got}"},
    "above": {"en": "must be {op} {bound}, got {got}", "nb": "må være {op} {bound}, fikk {got}"},
    "unknown_field": {"en": "unknown field", "nb": "ukjent felt"},
    "missing": {"en": "required field is missing", "nb": "obligatorisk felt mangler"},
    "null": {"en": "must not be null", "nb": "kan ikke være null"},
    "expected_country": {
        "en": "expected an ISO 3166-1 alpha-2 country code (two capital letters, such as NO or GB), got {got}",
        "nb": "forventet en landkode etter ISO 3166-1 alpha-2 (to store bokstaver, som NO eller GB), fikk {got}",
    },
    "did_you_mean": {"en": "did you mean {code}?", "nb": "mente du {code}?"},
    "no_such_day": {"en": "{got} is not a day of the calendar", "nb": "{got} finnes ikke i kalenderen"},
    "not_ascii_digit": {
        "en": "{got} holds {char} ({name}, U+{code:04X}): only the digits 0-9 are read as digits",
        "nb": "{got} inneholder {char} ({name}, U+{code:04X}): bare sifrene 0-9 leses som sifre",
    },
    "duplicate_project": {
        "en": "duplicate project id {id} (also projects[{first}])",
        "nb": "prosjekt-id {id} er brukt to ganger (også projects[{first}])",
    },
    "a_mapping": {"en": "a mapping", "nb": "en mapping"},
    "a_list": {"en": "a list", "nb": "en liste"},
    "long_number": {"en": "a whole number of about {digits} digits", "nb": "et heltall med omtrent {digits} sifre"},
    "of_type": {"en": "a value of type {name}", "nb": "en verdi av typen {name}"},
}


def _in(value: object, lang: str) -> object:
    return value.in_lang(lang) if isinstance(value, Text) else value


def say(key: str, **fields: object) -> Text:
    """The message `key` with `fields` filled in, in every language."""
    entry = MESSAGES[key]
    return Text({lang: entry[lang].format(**{k: _in(v, lang) for k, v in fields.items()}) for lang in LANGUAGES})


def with_hint(message: str, hint: str | None) -> str:
    """`message (hint)`, in each language both are written in."""
    if not hint:
        return message
    return Text({lang: f"{_in(message, lang)} ({_in(hint, lang)})" for lang in LANGUAGES})


class NumberForText(Text):
    """"expected a string, got 123": kept apart so that the diagnostic can name the
    key and show the number as it is written in the file (`0123`, read as 123)."""

    value: object


def number_for_text(value: int | Decimal, key: str | None = None, raw: str | None = None) -> Text:
    raw = raw or shown_number(str(value))
    quote = f'{key}: "{raw}"' if key else f'"{raw}"'
    message = with_hint(say("expected_string", got=describe(value)), say("quote_number", raw=raw, quote=quote))
    out = NumberForText(message.translations)  # type: ignore[attr-defined]
    out.value = value
    return out


def describe(value: object) -> str:
    """A value as the document's author wrote it: `null`, `true`, `"text"`, `12`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, dict):
        return say("a_mapping")
    if isinstance(value, list):
        return say("a_list")
    if isinstance(value, int) and value.bit_length() > 400:
        # str() of a very long int is slow, and refused beyond 4300 digits.
        return say("long_number", digits=value.bit_length() * 30103 // 100000)
    if isinstance(value, (int, Decimal, float)):
        return shown_number(str(value))
    return say("of_type", name=type(value).__name__)
