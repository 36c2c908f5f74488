"""A case problem (path, message) as a Diagnostic placed in the case document.

One function for every reader of cases (the engine, partial evaluation), so a case
error reads the same wherever it is found.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, Span
from ..yamlsource import Document, format_path
from .messages import NumberForText, number_for_text

# A plain scalar as written: up to a space, a comment or the end of a flow item.
_TOKEN = re.compile(r"[^\s#,\]}]+")


def case_diagnostic(path: tuple, message: str, doc: Document | None) -> Diagnostic:
    span = doc.span(path, key=str(message).startswith("unknown field")) if doc is not None else None
    if isinstance(message, NumberForText):
        key = path[-1] if path and isinstance(path[-1], str) else None
        message = number_for_text(message.value, key, _written(doc, span))  # type: ignore[arg-type]
    return Diagnostic("E-CASE", message, span, field=format_path(path) or None)


def _written(doc: Document | None, span: Span | None) -> str | None:
    """The text of the scalar at `span` as the file has it (`0123`, not 123)."""
    if doc is None or span is None:
        return None
    lines = doc.text.split("\n", span.line)
    if len(lines) < span.line:
        return None
    found = _TOKEN.match(lines[span.line - 1], span.col - 1)
    return found.group() if found else None
