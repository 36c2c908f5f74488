"""Spans of expressions inside YAML scalars: an expression's own line:col (1-based,
within its text) becomes a file:line:col, through the scalar's place in the file and
its quoting style (plain, quoted, folded or literal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .diagnostics import Span

if TYPE_CHECKING:
    from .yamlsource import Document, Path


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def expression_span(doc: Document, path: Path, line: int, col: int, end_line=None, end_col=None) -> Span:
    """Map a 1-based (line, col) inside the string at `path` to a span in the file.

    Plain and block scalars keep their characters in order, only folding or
    indenting whitespace, so the expression's characters are aligned with the
    raw file text; quoted scalars with escapes fall back to the scalar's start.
    """
    if hasattr(doc, "source_for"):  # a version merged from several files
        doc = doc.source_for(path)
    place = doc.scalars.get(tuple(path))
    value = _get(doc.data, path)
    if place is None or not isinstance(value, str):
        return doc.span(path)
    offsets = _align(value, doc.text[place.start : place.end], place.style)

    def locate(ln: int, cl: int):
        lines = value.split("\n")
        if ln < 1 or ln > len(lines):
            return None
        index = sum(len(x) + 1 for x in lines[: ln - 1]) + cl - 1
        if offsets is None or not offsets:
            return None
        index = min(max(index, 0), len(offsets) - 1)
        absolute = place.start + offsets[index]
        starts = doc.__dict__.setdefault("_line_starts", _line_starts(doc.text))
        import bisect

        row = bisect.bisect_right(starts, absolute) - 1
        return row + 1, absolute - starts[row] + 1

    start = locate(line, col)
    if start is None:
        return Span(doc.name, place.line, place.col)
    end = None
    if end_line is not None and end_col is not None and end_col > 1:
        last = locate(end_line, end_col - 1)
        if last is not None and last[0] == start[0]:
            end = (last[0], last[1] + 1)
    return Span(doc.name, start[0], start[1], end[0] if end else None, end[1] if end else None)


def _get(data, path):
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _align(value: str, raw: str, style) -> list[int] | None:
    """For each character of `value`, its index in `raw`, or None when they don't align."""
    j = 0
    if style in ("'", '"'):
        j = 1
    elif style in ("|", ">"):
        j = raw.find("\n") + 1 if "\n" in raw else len(raw)
    out = []
    for ch in value:
        while j < len(raw) and raw[j] != ch:
            if raw[j] in " \t\r\n" or (ch in " \n" and raw[j] in " \t\r\n"):
                j += 1
                continue
            if ch in " \n":
                break
            return None
        if j >= len(raw) or raw[j] != ch:
            if ch in " \n":  # folded line break: point at the previous character's end
                out.append(max(j - 1, 0))
                continue
            return None
        out.append(j)
        j += 1
    return out
