"""A schema error in a policy-test file, in plain words.

jsonschema says `None is not of type 'object'` or `{'value': True, 'rule': [...]} is
not of type 'boolean', 'number', 'string'`; a policy owner is told what the field
must be (`expect: a mapping of decision names to values`) and, for a mistyped key,
which key was meant (`did you mean `rules` instead of `rule`?`). No Python repr of
the value is shown.
"""

from __future__ import annotations

import difflib

from ..diagnostics import Diagnostic
from ..yamlsource import Document, format_path

TEST_KEYS = ("name", "description", "provision", "case", "as_of", "policy_version", "expect", "expect_error")

# What each field must be, by its name (the last key of its path).
_WANTED = {
    "tests": "a list of tests, each a mapping with `name` and `expect` (or `expect_error`)",
    "base_case": "a mapping: the case every test's case is merged over",
    "name": "a name (text)",
    "description": "text",
    "provision": "a rule id (text)",
    "case": "a case (a mapping of case fields) or the path of a case document",
    "as_of": "a date YYYY-MM-DD",
    "policy_version": "a version id (text)",
    "expect": "a mapping of decision names to values",
    "projects": "a mapping of project ids to their expected decisions",
    "expect_error": "a mapping with `code` (and `message`, `field`)",
    "code": "an error code such as E-CASE",
    "message": "a fragment of the error message (text)",
    "field": "a field name (text)",
    "value": "a value: true, false, a number or text",
    "rules": "a list of rule ids",
}
_EXPECTED_VALUE = "a value (true, false, a number or text) or a mapping with `value` and `rules`"
_KINDS = {type(None): "nothing", bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a mapping"}


def test_file_problems(doc: Document, errors) -> list[Diagnostic]:
    """The schema errors of a test file in words, one per mistake: a key misspelt
    (`nam:`) is not reported a second time as the key it meant being missing."""
    errors = list(errors)
    misspelt = {meant for e in errors for meant in _misspelt(_meant(e))}
    out = []
    for error in errors:
        named = _meant(error)
        if named.validator == "required" and all(
            (tuple(named.absolute_path), key) in misspelt for key in _missing(named)
        ):
            continue
        out.append(test_file_problem(doc, error))
    return out


def _misspelt(error) -> list[tuple]:
    """(path, the key meant) for each unknown key of `error` that is close to a known one."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return []
    allowed = list(error.schema.get("properties", {})) or list(TEST_KEYS)
    path = tuple(error.absolute_path)
    return [(path, meant) for key in error.instance if key not in allowed and (meant := _best(str(key), allowed))]


def _missing(error) -> list[str]:
    return [k for k in error.validator_value if not isinstance(error.instance, dict) or k not in error.instance]


def test_file_problem(doc: Document, error) -> Diagnostic:
    """One schema error of a test file as a Diagnostic, in words."""
    path = tuple(error.absolute_path)
    if error.validator == "oneOf" and isinstance(error.instance, dict):
        both = "expect" in error.instance and "expect_error" in error.instance
        message = "give either `expect` or `expect_error`, not both" if both else "a test needs `expect` or `expect_error`"
        return _diagnostic(doc, path, message)
    error = _meant(error)
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(error.schema.get("properties", {})) or list(TEST_KEYS)
        extra = next((str(k) for k in error.instance if k not in allowed), "?")
        meant = _best(extra, allowed)
        message = f"did you mean `{meant}` instead of `{extra}`?" if meant else f"unknown field `{extra}` (known here: {', '.join(allowed)})"
        return _diagnostic(doc, (*path, extra), message)
    if kind == "required":
        return _diagnostic(doc, path, f"`{'`, `'.join(_missing(error))}` is required")
    return _diagnostic(doc, path, f"{_wanted(path)}, not {_kind(error.instance)}" if kind == "type" else _other(error, path))


def _meant(error):
    """Of the alternatives of anyOf/oneOf, the one that was meant: the one whose type
    matched (its error is of another kind, or deeper inside the value)."""
    while error.validator in ("anyOf", "oneOf") and error.context:
        meant = [e for e in error.context if e.validator != "type" or len(e.absolute_path) > len(error.absolute_path)]
        if not meant:
            break
        error = max(meant, key=lambda e: len(e.absolute_path))
    return error


def _wanted(path: tuple) -> str:
    """`field: must be ...` for the field at `path`."""
    last = next((p for p in reversed(path) if isinstance(p, str)), "tests" if path else "")
    in_expect = "expect" in path and last not in ("expect", "projects", "value", "rules")
    return f"must be {_EXPECTED_VALUE if in_expect else _WANTED.get(last, 'something else')}"


def _other(error, path: tuple) -> str:
    kind = error.validator
    if kind == "pattern":
        return f"{_wanted(path)} (got {_shown(error.instance)})"
    if kind == "minLength":
        return "must not be empty"
    if kind in ("anyOf", "oneOf", "type"):
        return f"{_wanted(path)}, not {_kind(error.instance)}"
    return f"{_wanted(path)} ({kind})"


def _kind(value) -> str:
    kind = _KINDS.get(type(value), "another kind of value")
    return f"{kind} {_shown(value)}" if isinstance(value, (str, int, float)) and not isinstance(value, bool) else kind


def _shown(value) -> str:
    text = str(value)
    return f"`{text[:40]}`" + (f"... ({len(text)} characters)" if len(text) > 40 else "")


def _best(name: str, allowed: list[str]) -> str | None:
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def _diagnostic(doc: Document, path: tuple, message: str) -> Diagnostic:
    field = format_path(path) or None
    return Diagnostic("E-TEST", message, doc.span(path, key=True), field=field)
