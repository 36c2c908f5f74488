"""The text form of a partial result: each decision decided (as `icpolicy eval`
shows it) or open (what it can still be, and what it waits for), the questions to
ask, and what would change each decided value."""

from __future__ import annotations

import textwrap

from .result import PartialResult


def _wrap(text: str, indent: str) -> list[str]:
    return [indent + line for line in textwrap.wrap(text, 88 - len(indent), break_on_hyphens=False)] or [indent]


def render_partial(result: PartialResult, explain: bool = True, questions: bool = True, why_not: bool = False) -> str:
    meta = result.meta
    version = meta.get("version") or " or ".join(meta.get("versions", []))
    opened = result.open
    state = f"{len(opened)} open" if opened else "everything decided"
    lines = [f"Case {result.case_id}  (policy {meta['id']} {version}; partial: {state})"]
    names = list(result.decisions) + [n for p in result.projects for n in p.decisions]
    width = max((len(n) for n in names), default=10) + 2
    for name, d in result.decisions.items():
        lines += _decision(name, d, width, "  ", explain)
    for p in result.projects:
        lines.append(f"  Project {p.id}")
        for name, d in p.decisions.items():
            lines += _decision(name, d, width - 2, "    ", explain)
    if questions:
        lines += render_questions(result.questions)
    if why_not:
        lines += render_edges(result.edges)
    return "\n".join(lines)


def _decision(name: str, d, width: int, indent: str, explain: bool) -> list[str]:
    if d.decided:
        rules = ", ".join(d.rules) if d.rules else "-"
        out = [f"{indent}{name:<{width}} {d.shown():<24} [{rules}]"]
        if explain:
            for entry in d.explanation:
                out += _wrap(entry["text"], indent + "    ")
        return out
    out = [f"{indent}{name:<{width}} {d.shown()}"]
    if d.depends_on:
        out += _wrap("waits for: " + ", ".join(d.depends_on), indent + "    ")
    if d.why_open:
        out += _wrap(d.why_open, indent + "    ")
    return out


def render_questions(questions: list) -> list[str]:
    if not questions:
        return []
    lines = ["", "Questions, most settling first:"]
    for i, q in enumerate(questions, 1):
        where = f" (project {q.project})" if q.project else ""
        lines.append(f"  {i}. {q.label['en']}{where}  [{q.fact}]")
        lines += _wrap(f"nb: {q.label['nb']}", "     ")
        if q.help["en"]:
            lines += _wrap(q.help["en"], "     ")
        if q.settles:
            lines += _wrap("settles whatever the answer: " + ", ".join(q.settles), "     ")
        why = q.why_text("en")
        if why:
            lines += _wrap("why: " + why, "     ")
    return lines


def render_edges(edges: list) -> list[str]:
    lines = ["", "What would change the outcome:"]
    if not edges:
        return lines + ["  no decided value rests on a threshold this case is near enough to move"]
    for e in edges:
        lines += _wrap("- " + e.text["en"], "  ")
        lines += _wrap("  nb: " + e.text["nb"], "  ")
    return lines
