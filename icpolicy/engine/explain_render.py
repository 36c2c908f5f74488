"""Explanation texts from templates prepared once per policy version and language.

A template's compiled parts become a `TemplateRenderer`: its placeholders' formatters
chosen once (by type and language), and the texts it made kept by the values shown
(a batch shows the same few amounts and shares again and again). The text is what
the plain rendering gives: the parts joined, white space made single.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..i18n import formatting as i18n_format
from ..values import show

# Values whose equal ones always show the same (1.50 and 1.5 do; equal sets may list
# their items in another order, so they are not kept).
_KEPT_TYPES = frozenset({bool, type(None), str, int, Decimal, dt.date})
_LIMIT = 50_000  # prepared templates, citations, texts per template: then they start over
_RENDERERS: dict[tuple, tuple] = {}
_CITATIONS: dict[int, tuple] = {}


class TemplateRenderer:
    __slots__ = ("_constants", "_values", "_texts")

    def __init__(self, parts, lang: str | None):
        # parts: str, or (compiled function, type) for a placeholder
        self._constants = tuple(part if isinstance(part, str) else None for part in parts)
        self._values = tuple((part[0], _shower(part[1], lang)) for part in parts if not isinstance(part, str))
        self._texts: dict[tuple, str] = {}

    def text(self, env: dict) -> str:
        values = tuple(fn(env) for fn, _ in self._values)
        kinds = tuple(map(type, values))
        key = values + kinds  # (True == 1 == Decimal(1): the types tell them apart)
        text = self._texts.get(key)
        if text is None:
            text = self._render(values)
            if _KEPT_TYPES.issuperset(kinds):
                if len(self._texts) >= _LIMIT:
                    self._texts.clear()
                self._texts[key] = text
        return text

    def _render(self, values: tuple) -> str:
        shown = iter([show_value(value) for (_, show_value), value in zip(self._values, values, strict=True)])
        return " ".join("".join(part if part is not None else next(shown) for part in self._constants).split())


def renderer(policy, template, lang: str | None) -> TemplateRenderer:
    """The renderer of `template` in `lang` under `policy` (one version), made once."""
    key = (id(policy), id(template), lang)
    made = _RENDERERS.get(key)
    if made is None or made[0] is not policy or made[1] is not template:
        if len(_RENDERERS) >= _LIMIT:
            _RENDERERS.clear()
        made = _RENDERERS[key] = (policy, template, TemplateRenderer(policy.template(template.in_lang(lang)), lang))
    return made[2]


def _shower(typ, lang: str | None):
    if lang is None:
        return lambda value: show(value, typ)
    return i18n_format.shower(typ, lang)


def citation(source) -> str:
    """`source.citation()`, built once per source."""
    made = _CITATIONS.get(id(source))
    if made is None or made[0] is not source:
        if len(_CITATIONS) >= _LIMIT:
            _CITATIONS.clear()
        made = _CITATIONS[id(source)] = (source, source.citation())
    return made[1]


class PlainRenderer:
    """The reference rendering, nothing prepared or kept: each part compiled text or
    value shown with `show` as it comes (tests compare TemplateRenderer to it)."""

    def __init__(self, policy, template, lang: str | None):
        self._parts, self._lang = policy.template(template.in_lang(lang)), lang

    def text(self, env: dict) -> str:
        pieces = []
        for part in self._parts:
            if isinstance(part, str):
                pieces.append(part)
            else:
                fn, typ = part
                value = fn(env)
                pieces.append(show(value, typ) if self._lang is None else i18n_format.show(value, typ, self._lang))
        return " ".join("".join(pieces).split())
