"""A string that holds its translations: the one type every multilingual text is.

A base module (it imports nothing), so the readers at the bottom of the stages (YAML
errors, case checks) can speak both languages. Policy texts (`icpolicy.i18n.texts`)
and diagnostics (`icpolicy.diagnostics.localize`) read it.
"""

from __future__ import annotations


class Text(str):
    """A string with its translations; `str(text)` is the English one."""

    translations: dict[str, str]

    def __new__(cls, translations: dict[str, str]):
        shown = translations.get("en") or next(iter(translations.values()), "")
        obj = super().__new__(cls, shown)
        obj.translations = dict(translations)
        return obj

    def in_lang(self, lang: str) -> str:
        return self.translations.get(lang) or str(self)
