"""A policy file against `schemas/policy.schema.json`: each violation in plain words.

jsonschema's own messages show Python values (`None is not of type 'object'`); here
each kind of violation gets a sentence a policy author reads, at the file:line:col
of the value (or the key, for an unknown field). Patterns match the whole value:
Python's `$` also matches before a trailing newline, which a policy must not slip by.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from functools import lru_cache

from ..dates import DateError, parse_iso_date
from ..diagnostics import Diagnostic, suggest
from ..resources import schema_path
from ..schemacheck import strict_validator
from ..yamlsource import Document, format_path

_PERIOD_KEYS = ("effective_from", "effective_to")
# Top-level keys only a policy file has (`id` and `description` other documents have too),
# and those of the other documents a policy directory holds: cases and test files.
_POLICY_KEYS = ("version", "title", "extends", "effective_from", "effective_to", "note",
                "sources", "parameters", "definitions", "decisions")
_OTHER_KEYS = ("date", "procurement", "supplier", "agreement", "projects", "tests", "base_case")


def looks_like_policy(data: object) -> bool:
    """Whether a document is meant as a policy file: more of its top-level keys are (or
    are misspellings of) a policy's own keys than those of a case or a test file. So a
    policy with `decisons:` is reported as a policy with an unknown field, not read as
    a case."""
    if not isinstance(data, dict):
        return False
    keys = [k for k in data if isinstance(k, str)]
    return _closest_count(keys, _POLICY_KEYS) > _closest_count(keys, _OTHER_KEYS)


def _closest_count(keys: list[str], wanted: tuple[str, ...]) -> int:
    def matches(key: str) -> bool:
        close = difflib.get_close_matches(key, _POLICY_KEYS + _OTHER_KEYS, n=1, cutoff=0.75)
        return bool(close) and close[0] in wanted

    return sum(1 for key in keys if matches(key))


@lru_cache(maxsize=1)
def _policy_validator():
    with open(schema_path("policy.schema.json"), encoding="utf-8") as fh:
        return strict_validator(json.load(fh))  # patterns match the whole value


def schema_problems(doc: Document) -> Iterator[Diagnostic]:
    """Every way the document breaks the policy schema, then impossible dates."""
    if not isinstance(doc.data, dict):
        yield Diagnostic("E-SCHEMA", "a policy file is a mapping with id, version, title and decisions", doc.span(()))
        return
    found = False
    for error in _policy_validator().iter_errors(doc.data):
        found = True
        yield from _diagnostics(doc, error)
    if not found:
        yield from period_problems(doc)


def _diagnostics(doc: Document, error) -> Iterator[Diagnostic]:
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        known = set(error.instance) - set(allowed) if isinstance(error.instance, dict) else set()
        for key in sorted(known):
            yield Diagnostic(
                "E-SCHEMA",
                f"unknown field '{key}'",
                doc.span(path + (key,), key=True),
                suggest(key, allowed),
                field=format_path(path + (key,)),
            )
        return
    yield Diagnostic("E-SCHEMA", _message(error, path), doc.span(path), field=format_path(path) or None)


def _message(error, path: tuple) -> str:
    if error.validator == "oneOf" and path and path[0] == "decisions":
        return "a decision has either `value` (computed), or `default` and `rules`"
    if error.validator == "type":
        return _type_message(error.validator_value, error.instance)
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    if error.validator == "pattern":
        wanted = _PATTERN_WORDS.get(error.validator_value, f"written as {error.validator_value}")
        return f"{_cut(error.instance)!r} is not {wanted}"
    return error.message


_PATTERN_WORDS = {
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "a date YYYY-MM-DD",
    "^[a-z][a-z0-9_]*$": "a name: small letters a-z, digits and _, starting with a letter",
    "^[a-z][a-z0-9_-]*$": "an id: small letters a-z, digits, _ and -, starting with a letter",
    "^[A-Z][A-Z0-9-]*$": "a rule id: capital letters A-Z, digits and -, starting with a letter (R-FOREIGN-THRESHOLD)",
}


def _cut(value: object, at_most: int = 80) -> object:
    """A value short enough to quote in a message (a 1 MB string is not echoed whole)."""
    if isinstance(value, str) and len(value) > at_most:
        return value[:at_most] + f"... ({len(value)} characters)"
    return value


def _type_message(wanted_types, got) -> str:
    wanted = wanted_types if isinstance(wanted_types, str) else " or ".join(wanted_types)
    if got is None:
        shown = "null"
    elif isinstance(got, bool):
        shown = str(got).lower()
    elif isinstance(got, (dict, list)):
        shown = type(got).__name__
    else:
        shown = str(_cut(str(got)))
    message = f"expected {wanted}, got {shown}"
    if wanted == "string" and not isinstance(got, (dict, list)):
        message += f' (write it in quotes: "{shown}")'
    return message


def period_problems(doc: Document) -> Iterator[Diagnostic]:
    """`effective_from` and `effective_to` are days of the calendar (2021-02-30 is not)."""
    assert isinstance(doc.data, dict)
    for key in _PERIOD_KEYS:
        text = doc.data.get(key)
        if text is None:
            continue
        try:
            parse_iso_date(text)
        except DateError as exc:
            yield Diagnostic("E-SCHEMA", str(exc), doc.span((key,)), field=key)
