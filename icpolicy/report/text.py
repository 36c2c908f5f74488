"""The case officer's note as text: the answer first, then tables, then the sources.

At most 100 characters a line; amounts never broken across lines.
"""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache

from ..i18n import message
from .note import Note

WIDTH = 100
# Spaces that must not break: inside amounts and shares, before a note reference, and
# inside a date ("9 February 2021", "10. mars 2021").
_GROUP_SPACE_PLAIN = (
    r"(?<=\d) (?=\d{3}\b)|(?<=\d) (?=NOK\b|%)|(?<=NOK) (?=\[)"
    r"|(?<=\b\d) (?=[^\W\d]+ \d{4}\b)|(?<=\b\d\d) (?=[^\W\d]+ \d{4}\b)|(?<=\d\.) (?=[^\W\d]+ \d{4}\b)"
    r"|(?<=[^\W\d]) (?=\d{4}\b)"
)
# The same spaces, found faster: the pattern starts with the space itself, so the regex
# engine jumps from space to space (each look-behind then includes that space).
_GROUP_SPACE = re.compile(
    r" (?:(?<=\d )(?=\d{3}\b)|(?<=\d )(?=NOK\b|%)|(?<=NOK )(?=\[)"
    r"|(?<=\b\d )(?=[^\W\d]+ \d{4}\b)|(?<=\b\d\d )(?=[^\W\d]+ \d{4}\b)|(?<=\d\. )(?=[^\W\d]+ \d{4}\b)"
    r"|(?<=[^\W\d] )(?=\d{4}\b))"
)


def wrap(text: str, width: int, indent: str = "", later: str | None = None) -> list[str]:
    """Wrapped lines; the spaces inside `100 000 000 NOK` and `85 %` do not break."""
    return list(_wrapped(text, width, indent, indent if later is None else later))


@lru_cache(maxsize=4096)  # every note cites the same few sources: each quote is wrapped once
def _wrapped(text: str, width: int, indent: str, later: str) -> tuple[str, ...]:
    protected = _GROUP_SPACE.sub("\x00", text)
    if _single_spaced(text) and width > 0:
        lines = fill(protected.split(" "), width, indent, later)
    else:
        lines = textwrap.wrap(protected, width, initial_indent=indent, subsequent_indent=later,
                              break_long_words=False, break_on_hyphens=False)
    return tuple(line.replace("\x00", " ") for line in lines)


def _single_spaced(text: str) -> bool:
    # Words between single spaces, nothing textwrap would change first (tabs, line breaks,
    # other white space): then its greedy fill is `fill` below.
    return bool(text) and text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " "


def fill(words: list[str], width: int, indent: str, later: str) -> list[str]:
    """textwrap.wrap's lines for words between single spaces (long words kept whole):
    as many words on a line as fit, a word longer than the line alone on its own."""
    lines: list[str] = []
    line: list[str] = []
    room = width - len(indent)
    used = 0
    for word in words:
        if not line:
            line, used = [word], len(word)
        elif used + 1 + len(word) <= room:
            line.append(word)
            used += 1 + len(word)
        else:
            lines.append((later if lines else indent) + " ".join(line))
            room = width - len(later)
            line, used = [word], len(word)
    if line:
        lines.append((later if lines else indent) + " ".join(line))
    return lines


def refs(notes: list) -> str:
    return "[" + ", ".join(str(n) for n in notes) + "]" if notes else ""


def _table(rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    out = []
    for r in rows:
        cells = [c.ljust(w) for c, w in zip(r[:-1], widths, strict=False)] + [r[-1]]
        out.append((indent + "  ".join(cells)).rstrip())
    return out


def render_note(note: Note) -> str:
    lang = note.lang
    heading = message("note_heading", lang, case=note.case_id, date=note.date, supplier=note.supplier,
                      policy=note.policy["id"], version=note.policy["version"])
    lines = wrap(heading, WIDTH) + [""]
    sentences = " ".join(_with_refs(text, notes) for text, notes in note.summary)
    lines += wrap(sentences, WIDTH)
    lines.append("")
    rows = [[message("decisions", lang), message("value", lang), message("rules", lang)]]
    for row in note.decisions:
        rules = ", ".join(row.rules) if row.applies else ""
        rows.append([row.title, row.shown, f"{rules} {refs(row.notes) if row.applies else ''}".strip()])
    lines += _header_first(_table(rows))
    if note.projects:  # (straight under the decisions: the header row sets it apart)
        lines += _header_first(_table(_project_rows(note)))
    lines.append("")
    lines += _sources(note)
    return "\n".join(lines)


def _with_refs(text: str, notes: list) -> str:
    """`... 100 000 000 NOK [1].`: the references inside the sentence they support."""
    if not notes:
        return text
    if text[-1:] in ".:;":
        return f"{text[:-1]} {refs(notes)}{text[-1]}"
    return f"{text} {refs(notes)}"


def _header_first(table: list[str]) -> list[str]:
    # The header row is a heading: flush left, the rows under it indented.
    return [table[0].lstrip()] + table[1:]


def _project_rows(note: Note) -> list[list[str]]:
    lang = note.lang
    names = list(note.project_titles)
    rows = [[message("projects", lang)] + [note.project_titles[n] for n in names] + [message("rules", lang)]]
    for project in note.projects:
        # A decision that failed for this project (the error says why) has no cell: "-".
        cells = [project.cells.get(n) for n in names]
        notes: list = []
        for cell in cells:
            notes += [n for n in (cell.notes if cell else ()) if n not in notes]
        status_rules = ", ".join(cells[0].rules) if cells and cells[0] else ""
        rows.append([project.id] + [c.shown if c else "-" for c in cells] + [f"{status_rules} {refs(sorted(notes))}".strip()])
    return rows


def _sources(note: Note) -> list[str]:
    lang = note.lang
    lines: list[str] = []
    heading = None
    for s in note.sources:
        if (s.title, s.section) != heading:
            heading = (s.title, s.section)
            where = s.title + (f", {s.section}" if s.section else "")
            lines.append(f"{message('sources', lang)}: {where}" if not lines else f"  {where}")
        head = f"  [{s.number}] "
        lines += wrap(f"«{s.quote}»", WIDTH, head, " " * len(head))
    return lines
