"""Texts a policy writes in several languages.

A policy text is either a plain string or a mapping by language
(`{nb: ..., en: ...}`). The loader turns the mapping into a `Text`: a `str` (the
English, so every reader that knows one language keeps working) that also holds
each translation.
"""

from __future__ import annotations

from ..translated import Text

__all__ = ["Text", "localized", "text_of"]


def text_of(raw) -> str | None:
    """A policy field's text as the model keeps it: Text for a mapping by language."""
    if isinstance(raw, dict):
        return Text({str(k): " ".join(str(v).split()) if "\n" in str(v) else str(v) for k, v in raw.items()})
    return raw


def localized(text, lang: str) -> str | None:
    """The text in `lang` (a plain string is the same in every language)."""
    if text is None:
        return None
    if isinstance(text, Text):
        return text.in_lang(lang)
    return str(text)
