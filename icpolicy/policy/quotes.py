"""Every quote is the source's own words: found, word for word, in the source's text.

A source may name its text shipped with the policy (`document:`, a path relative to
the file that declares the source). Each quote citing that source must then occur in
it, whitespace normalised; `[...]` in a quote marks an omission, so its pieces must
occur in that order. A quote not found is an error (E-QUOTE) at the quote. Where the
text is not beside the file (a copy of the policy file alone), there is nothing to
check against and the check is skipped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..diagnostics import Diagnostic

_OMISSION = re.compile(r"\s*\[(?:\.\.\.|…)\]\s*")


def normalise(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=8)
def _read(path: str) -> str | None:
    try:
        return normalise(Path(path).read_text(encoding="utf-8"))
    except OSError:
        return None


def quote_found(quote: str, text: str) -> bool:
    """The quote's pieces (split at `[...]`) occur in `text` in order."""
    at = 0
    for piece in _OMISSION.split(normalise(quote)):
        if not piece:
            continue
        at = text.find(piece, at)
        if at < 0:
            return False
        at += len(piece)
    return True


def _document_path(doc, ref: str, document: str) -> Path | None:
    owner = doc.source_for(("sources", ref)) if hasattr(doc, "source_for") else doc
    declaring = Path(owner.name)
    if not declaring.is_file():  # read from git or from memory: no directory to look in
        return None
    return declaring.parent / document


def quote_problems(doc) -> list[Diagnostic]:
    data = doc.data
    sources = data.get("sources") or {}
    texts: dict = {}
    problems = []
    for ref, raw in sources.items():
        if not isinstance(raw, dict) or "document" not in raw:
            continue
        path = _document_path(doc, ref, raw["document"])
        if path is None:
            continue
        # A policy file copied without its source's text (a test's temporary copy, a
        # file read from git) is still a policy: its quotes are checked where the text is.
        texts[ref] = _read(str(path))
    for path, raw in _cited(data):
        text = texts.get(raw.get("ref"))
        quote = raw.get("quote")
        if text and isinstance(quote, str) and not quote_found(quote, text):
            problems.append(Diagnostic(
                "E-QUOTE", f"the quote is not found word for word in the text of '{raw['ref']}'",
                doc.span(path + ("quote",)),
                "copy the sentence from the source's text (whitespace may differ; mark omissions with [...])"))
    return problems


def _cited(data: dict):
    for name, raw in (data.get("parameters") or {}).items():
        if isinstance(raw, dict) and isinstance(raw.get("source"), dict):
            yield ("parameters", name, "source"), raw["source"]
    for name, raw in (data.get("decisions") or {}).items():
        if not isinstance(raw, dict):
            continue
        if isinstance(raw.get("source"), dict):
            yield ("decisions", name, "source"), raw["source"]
        for i, rule in enumerate(raw.get("rules") or []):
            if isinstance(rule, dict) and isinstance(rule.get("source"), dict):
                yield ("decisions", name, "rules", i, "source"), rule["source"]
