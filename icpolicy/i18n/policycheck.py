"""Checks of a policy's texts: each in every language it declares.

Run by the loader after the schema check; each problem is a Diagnostic with the
file:line:col of the text (or of its mapping) so `validate` points at it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, suggest
from .language import LANGUAGES

_TOP_TEXTS = ("title", "description")
_ENTRY_TEXTS = ("title", "description", "explanation")


def text_paths(data: dict) -> Iterator[tuple]:
    """The path of every human text of a policy (quotes and names excluded)."""
    for key in _TOP_TEXTS:
        if key in data:
            yield (key,)
    for section in ("parameters", "definitions"):
        for name, raw in (data.get(section) or {}).items():
            if isinstance(raw, dict):
                yield from _entry_texts((section, name), raw)
    for name, raw in (data.get("decisions") or {}).items():
        if not isinstance(raw, dict):
            continue
        yield from _entry_texts(("decisions", name), raw)
        for value in raw.get("labels") or {}:
            yield ("decisions", name, "labels", value)
        for i, rule in enumerate(raw.get("rules") or []):
            if isinstance(rule, dict):
                yield from _entry_texts(("decisions", name, "rules", i), rule)


def _entry_texts(base: tuple, raw: dict) -> Iterator[tuple]:
    for key in _ENTRY_TEXTS:
        if key in raw:
            yield base + (key,)
    source = raw.get("source")
    if isinstance(source, dict) and "interpretation" in source:
        yield base + ("source", "interpretation")


def _at(data, path):
    for part in path:
        data = data[part]
    return data


def translation_problems(doc) -> list[Diagnostic]:
    """Texts missing a declared language, or in a language the policy does not declare."""
    data = doc.data
    declared = data.get("languages")
    problems = []
    if declared is not None:
        for i, lang in enumerate(declared):
            if lang not in LANGUAGES:
                problems.append(Diagnostic(
                    "E-LANG", f"unknown language {lang!r} (icpolicy speaks {', '.join(LANGUAGES)})",
                    doc.span(("languages", i)), suggest(str(lang), LANGUAGES)))
    wanted = [lang for lang in (declared or ()) if lang in LANGUAGES]
    for path in text_paths(data):
        problems += _text_problems(doc, path, _at(data, path), wanted)
    return problems


def _text_problems(doc, path: tuple, text, wanted: list) -> list[Diagnostic]:
    field = ".".join(str(p) for p in path)
    if isinstance(text, dict):
        out = [
            Diagnostic("E-LANG", f"the {lang} translation is missing", doc.span(path), field=field,
                       help=f"add `{lang}:` beside {', '.join(f'`{k}:`' for k in text)}")
            for lang in wanted if lang not in text
        ]
        out += [
            Diagnostic("E-LANG", f"{lang!r} is not a language of this policy (languages: {', '.join(wanted)})",
                       doc.span(path + (lang,), key=True), suggest(str(lang), wanted), field=field)
            for lang in text if lang not in (wanted or LANGUAGES)
        ]
        return out
    if wanted and len(wanted) > 1:
        shown = ", ".join(f"`{lang}:`" for lang in wanted)
        return [Diagnostic("E-LANG", f"a plain text where the policy declares languages {', '.join(wanted)}",
                           doc.span(path), f"write it once in each language: {shown}", field=field)]
    return []


def presentation_problems(doc, model) -> list[Diagnostic]:
    """`applies_if`, `cites` and `summary` name decisions of the right kind; `labels` name values."""
    problems = []
    case_bools = [n for n, d in model.nodes.items() if d.output and d.scope == "case" and str(d.type) == "bool"]
    outputs = [n for n, d in model.nodes.items() if d.output]
    for name, node in model.nodes.items():
        if not node.output:
            continue
        base = ("decisions", name)
        if node.applies_if is not None and node.applies_if not in case_bools:
            problems.append(Diagnostic(
                "E-NAME", f"applies_if: {node.applies_if!r} is not a case-level bool decision",
                doc.span(base + ("applies_if",)), suggest(node.applies_if, case_bools)))
        for i, cited in enumerate(node.cites):
            if cited not in outputs or cited == name:
                problems.append(Diagnostic(
                    "E-NAME", f"cites: {cited!r} is not another decision of this policy",
                    doc.span(base + ("cites", i)), suggest(cited, outputs)))
        allowed = list(node.values) if node.values else ["true", "false"] if str(node.type) == "bool" else []
        for value in node.labels:
            if value not in allowed:
                what = f"one of {' | '.join(allowed)}" if allowed else "only string and bool decisions have labels"
                problems.append(Diagnostic(
                    "E-ENUM", f"labels: {value!r} is not a value of '{name}' ({what})",
                    doc.span(base + ("labels", value), key=True), suggest(value, allowed)))
    for i, name in enumerate(model.summary):
        if name not in outputs or model.nodes[name].scope != "case":
            problems.append(Diagnostic(
                "E-NAME", f"summary: {name!r} is not a case-level decision",
                doc.span(("summary", i)), suggest(name, outputs)))
    return problems
