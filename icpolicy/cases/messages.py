"""Every message a case document's check can give, in one place (to translate them).

A message is a template with named fields; `say(key, **fields)` fills it in. The
values shown are already described for a reader (`describe`): a string in quotes,
cut when it is long.
"""

from __future__ import annotations

from decimal import Decimal

from ..quoting import quoted, shown_number

MESSAGES: dict[str, str] = {
    "expected_bool": "expected true or false, got {got}",
    "expected_string": "expected a string, got {got}",
    "expected_mapping": "expected a mapping, got {got}",
    "expected_list": "expected a list, got {got}",
    "expected_one_of": "expected one of {choices}, got {got}",
    "expected_date": "expected a date YYYY-MM-DD, got {got}",
    "expected_money": "expected an amount in NOK, got {got}",
    "expected_share": 'expected a share (0.85 or "85 %"), got {got}',
    "expected_number": "expected a number, got {got}",
    "empty": "must not be empty",
    "no_match": "{got} does not match {pattern}",
    "below": "must be {op} {bound}, got {got}",
    "above": "must be {op} {bound}, got {got}",
    "unknown_field": "unknown field",
    "missing": "required field is missing",
    "null": "must not be null",
    "expected_country": (
        "expected an ISO 3166-1 alpha-2 country code (two capital letters, such as NO or GB), got {got}"
    ),
    "did_you_mean": "did you mean {code}?",
    "no_such_day": "{got} is not a day of the calendar",
    "not_ascii_digit": (
        "{got} holds {char} ({name}, U+{code:04X}): only the digits 0-9 are read as digits"
    ),
    "duplicate_project": "duplicate project id {id} (also projects[{first}])",
}


def say(key: str, **fields: object) -> str:
    return MESSAGES[key].format(**fields)


def describe(value: object) -> str:
    """A value as the document's author wrote it: `null`, `true`, `"text"`, `12`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int) and value.bit_length() > 400:
        # str() of a very long int is slow, and refused beyond 4300 digits.
        return f"a whole number of about {value.bit_length() * 30103 // 100000} digits"
    if isinstance(value, (int, Decimal, float)):
        return shown_number(str(value))
    return f"a value of type {type(value).__name__}"
