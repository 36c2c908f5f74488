"""One diagnostic per mistake: the same unknown name used in several places (a
definition renamed, its uses not) is one mistake, reported at its first use, with
the other places named in the help."""

from __future__ import annotations

import dataclasses
import re

from ..diagnostics import Diagnostic

_UNKNOWN_NAME = re.compile(r"unknown name '([^']*)'$")
_PLACES_SHOWN = 5


def one_per_unknown_name(problems: list[Diagnostic]) -> list[Diagnostic]:
    """`problems` with each unknown name reported once (at its first use)."""
    first: dict[str, int] = {}
    others: dict[str, list[Diagnostic]] = {}
    kept: list[Diagnostic] = []
    for d in problems:
        match = _UNKNOWN_NAME.search(d.message) if d.code == "E-NAME" else None
        if match is None:
            kept.append(d)
            continue
        name = match.group(1)
        if name in first:
            others[name].append(d)
            continue
        first[name] = len(kept)
        others[name] = []
        kept.append(d)
    for name, index in first.items():
        if others[name]:
            kept[index] = _with_other_uses(kept[index], others[name])
    return kept


def _with_other_uses(d: Diagnostic, repeats: list[Diagnostic]) -> Diagnostic:
    places = [_place(r, d) for r in repeats]
    shown = ", ".join(places[:_PLACES_SHOWN]) + (f" and {len(places) - _PLACES_SHOWN} more" if len(places) > _PLACES_SHOWN else "")
    also = f"also used at {shown}"
    return dataclasses.replace(d, help=f"{d.help}; {also}" if d.help else also)


def _place(repeat: Diagnostic, first: Diagnostic) -> str:
    span = repeat.span
    if span is None:
        return "?"
    same_file = first.span is not None and first.span.file == span.file
    return f"line {span.line}" if same_file else f"{span.file}:{span.line}"
