"""JSON Schema patterns read as JSON Schema means them, in Python.

A schema's `pattern` is an ECMA-262 regular expression, where `$` is the end of the
text. In Python's `re`, `$` also matches before a final newline, so `^[A-Z]{2}$`
accepts `"NO\\n"`, and `\\d` matches any script's digits. jsonschema uses `re.search`
as it is; every pattern icpolicy checks goes through `python_pattern` instead: `$`
becomes `\\Z` and the classes are ASCII. `strict_validator` is a Draft 2020-12
validator whose `pattern` keyword (also under `propertyNames`) does so.
"""

from __future__ import annotations

import functools
import re
from typing import Any

# jsonschema is imported only when a document is validated (it takes a while to import).


@functools.lru_cache(maxsize=256)
def python_pattern(pattern: str) -> re.Pattern[str]:
    """`pattern` (ECMA-262) as a Python regex with the same anchors; use `.search`."""
    out = []
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            # A `]` right after `[` or `[^` is a member, not the end of the class.
            lead = 2 if pattern.startswith("[^", i) else 1
            if pattern.startswith("]", i + lead):
                out.append(pattern[i : i + lead + 1])
                i += lead + 1
                continue
        elif ch == "$":
            ch = r"\Z"
        out.append(ch)
        i += 1
    return re.compile("".join(out), re.ASCII)


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict):
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not python_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.lru_cache(maxsize=1)
def _strict_class() -> Any:
    import jsonschema

    return jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": _pattern})


def strict_validator(schema: dict) -> Any:
    """A Draft 2020-12 validator for `schema` whose patterns match the whole value."""
    return _strict_class()(schema)
