"""A policy file against `schemas/policy.schema.json`: each violation in plain words.

jsonschema's own messages show Python values (`None is not of type 'object'`); here
each kind of violation gets a sentence a policy author reads, at the file:line:col
of the value (or the key, for an unknown field). Patterns match the whole value:
Python's `$` also matches before a trailing newline, which a policy must not slip by.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache

from ..dates import DateError, parse_iso_date
from ..diagnostics import Diagnostic
from ..lang.checker import suggest
from ..resources import schema_path
from ..schemacheck import strict_validator
from ..yamlsource import Document, format_path

_PERIOD_KEYS = ("effective_from", "effective_to")


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
    return error.message


def _type_message(wanted_types, got) -> str:
    wanted = wanted_types if isinstance(wanted_types, str) else " or ".join(wanted_types)
    if got is None:
        shown = "null"
    elif isinstance(got, bool):
        shown = str(got).lower()
    elif isinstance(got, (dict, list)):
        shown = type(got).__name__
    else:
        shown = str(got)
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
            yield Diagnostic("E-SCHEMA", f"{key}: {exc}", doc.span((key,)), field=key)
