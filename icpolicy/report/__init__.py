"""Decisions for people: the case officer's note (text) and the decision report (HTML).

`build_note(result, lang)` gathers what both show, in one language: the answer in
words, the decisions with their labels, the projects, and each source once as a
numbered note. `render_note` lays it out as text; `render_html` as a self-contained
HTML document.
"""

from __future__ import annotations

from .html import render_html
from .note import Note, build_note
from .text import render_note

__all__ = ["Note", "build_note", "render_html", "render_note"]
