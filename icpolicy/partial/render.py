"""The text form of a partial result: each decision decided (as `icpolicy eval`
shows it) or open (what it can still be, and what it waits for), the questions to
ask, and what would change each decided value. In Bokmål or English."""

from __future__ import annotations

import re
import textwrap

from ..i18n import show as i18n_show
from .result import PartialResult

TEXTS = {
    "case": ("Sak", "Case"),
    "policy": ("regelverk", "policy"),
    "open": ("{n} åpne", "{n} open"),
    "all_decided": ("alt avgjort", "everything decided"),
    "partial": ("delvis", "partial"),
    "project": ("Prosjekt", "Project"),
    "waits": ("venter på: ", "waits for: "),
    "questions": ("Spørsmål, de mest avgjørende først:", "Questions, most settling first:"),
    "settles": ("avgjør uansett svar: ", "settles whatever the answer: "),
    "why": ("hvorfor: ", "why: "),
    "edges": ("Hva som ville endret utfallet:", "What would change the outcome:"),
    "no_edges": (
        "ingen avgjort verdi hviler på en terskel saken kan flyttes over",
        "no decided value rests on a threshold this case could be moved across",
    ),
    "open_value": ("åpen", "open"),
    "or": ("eller", "or"),
    "at_least": ("minst", "at least"),
    "at_most": ("høyst", "at most"),
}


def say(key: str, lang: str, **values) -> str:
    nb, en = TEXTS[key]
    return (nb if lang == "nb" else en).format(**values)


_GROUP_SPACE = re.compile(r"(?<=\d) (?=\d{3}\b)|(?<=\d) (?=NOK\b|%)")


def _wrap(text: str, indent: str) -> list[str]:
    # Keep "100 000 000 NOK" on one line: the spaces inside amounts do not break.
    protected = _GROUP_SPACE.sub("\x00", text)
    lines = textwrap.wrap(protected, 88 - len(indent), break_on_hyphens=False)
    return [indent + line.replace("\x00", " ") for line in lines] or [indent]


def render_partial(
    result: PartialResult, explain: bool = True, questions: bool = True, why_not: bool = False, lang: str = "en"
) -> str:
    meta = result.meta
    version = meta.get("version") or f" {say('or', lang)} ".join(meta.get("versions", []))
    opened = result.open
    state = say("open", lang, n=len(opened)) if opened else say("all_decided", lang)
    lines = [f"{say('case', lang)} {result.case_id}  ({say('policy', lang)} {meta['id']} {version}; {say('partial', lang)}: {state})"]
    names = list(result.decisions) + [n for p in result.projects for n in p.decisions]
    width = max((len(n) for n in names), default=10) + 2
    for name, d in result.decisions.items():
        lines += _decision(name, d, width, "  ", explain, lang)
    for p in result.projects:
        lines.append(f"  {say('project', lang)} {p.id}")
        for name, d in p.decisions.items():
            lines += _decision(name, d, width - 2, "    ", explain, lang)
    if questions:
        lines += render_questions(result.questions, lang)
    if why_not:
        lines += render_edges(result.edges, lang)
    return "\n".join(lines)


def shown(d, lang: str) -> str:
    """A decision's value, or what is known of it."""
    if d.decided:
        return i18n_show(d.value, d.type, lang)
    if d.possible is not None:
        return f"{say('open_value', lang)}: " + f" {say('or', lang)} ".join(i18n_show(v, d.type, lang) for v in d.possible)
    if d.bounds is not None and d.bounds != (None, None):
        lo, hi = d.bounds
        parts = [f"{say('at_least', lang)} {i18n_show(lo, d.type, lang)}" if lo is not None else "",
                 f"{say('at_most', lang)} {i18n_show(hi, d.type, lang)}" if hi is not None else ""]
        return f"{say('open_value', lang)}: " + ", ".join(p for p in parts if p)
    return say("open_value", lang)


def _decision(name: str, d, width: int, indent: str, explain: bool, lang: str) -> list[str]:
    if d.decided:
        rules = ", ".join(d.rules) if d.rules else "-"
        out = [f"{indent}{name:<{width}} {shown(d, lang):<24} [{rules}]"]
        if explain:
            for entry in d.explanation:
                out += _wrap(entry["text"], indent + "    ")
        return out
    out = [f"{indent}{name:<{width}} {shown(d, lang)}"]
    if d.depends_on:
        out += _wrap(say("waits", lang) + ", ".join(d.depends_on), indent + "    ")
    if d.why_open:
        out += _wrap(d.why_open, indent + "    ")
    return out


def render_questions(questions: list, lang: str = "en") -> list[str]:
    if not questions:
        return []
    other = "en" if lang == "nb" else "nb"
    lines = ["", say("questions", lang)]
    for i, q in enumerate(questions, 1):
        where = f" ({say('project', lang).lower()} {q.project})" if q.project else ""
        lines.append(f"  {i}. {q.label[lang]}{where}  [{q.fact}]")
        lines += _wrap(f"{other}: {q.label[other]}", "     ")
        if q.help[lang]:
            lines += _wrap(q.help[lang], "     ")
        if q.settles:
            lines += _wrap(say("settles", lang) + ", ".join(q.settles), "     ")
        why = q.why_text(lang)
        if why:
            lines += _wrap(say("why", lang) + why, "     ")
    return lines


def render_edges(edges: list, lang: str = "en") -> list[str]:
    lines = ["", say("edges", lang)]
    if not edges:
        return lines + ["  " + say("no_edges", lang)]
    for e in edges:
        lines += _wrap("- " + e.text[lang], "  ")
    return lines
