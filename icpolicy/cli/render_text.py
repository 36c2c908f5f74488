"""The readable text form of a result.

By default the case officer's note (icpolicy/report: the answer first, tables, each
source once); `verbose` keeps the full form: each decision, its value, rules,
explanation and source. Both in the chosen language.
"""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache

from ..i18n import message
from ..i18n import show as show_in

_GROUP_SPACE_PLAIN = r"(?<=\d) (?=\d{3}\b)|(?<=\d) (?=NOK\b|%)"
_GROUP_SPACE = re.compile(r" (?<=\d )(?=\d{3}\b|NOK\b|%)")  # the same, from space to space (faster)


@lru_cache(maxsize=4096)  # the same sources are cited case after case: each wrapped once
def _wrap(text: str, width: int) -> tuple[str, ...]:
    # Keep "100 000 000 NOK" on one line: protect the spaces inside amounts.
    protected = _GROUP_SPACE.sub("\x00", text)
    return tuple(line.replace("\x00", " ") for line in textwrap.wrap(protected, width))


def render_result(result, explain: bool = True, lang: str = "en", verbose: bool = True) -> str:
    if explain and not verbose:
        from ..report import build_note, render_note

        return render_note(build_note(result, lang))
    policy = result.policy
    types = {name: node.type for name, node in policy.model.nodes.items()}
    meta = policy.meta
    lines = [f"{message('case', lang)} {result.case_id}  ({message('policy', lang).lower()} {meta['id']} {meta['version']})"]
    width = max((len(n) for n in policy.output_names), default=10) + 2
    cited: set = set()
    for name, d in result.decisions.items():
        lines += _decision_lines(result, name, d, types[name], width, None, "  ", explain, cited, lang)
    for i, project in enumerate(result.projects):
        if not project.decisions:
            continue  # nothing asked for is decided per project: no empty header
        lines.append(f"  {message('project', lang)} {project.id}")
        for name, d in project.decisions.items():
            lines += _decision_lines(result, name, d, types[name], width - 2, i, "    ", explain, cited, lang)
    return "\n".join(lines)


def _decision_lines(result, name, d, typ, width, index, indent, explain, cited, lang):
    rules = ", ".join(d.rules) if d.rules else "-"
    shown = show_in(d.value, typ, lang)
    applies_if = result.policy.model.nodes[name].applies_if
    applies = result.decisions.get(applies_if) if applies_if else None  # absent when not asked for (--decision)
    if applies is not None and applies.value is False:  # a third state, not "false"
        shown = f"{message('not_applicable', lang)} ({shown})"
    out = [f"{indent}{name:<{width}} {shown:<24} [{rules}]"]
    if not explain:
        return out
    source_word = message("source", lang).lower()
    for entry in result.explanation(name, index, lang=lang):
        out += [f"{indent}    {line}" for line in _wrap(entry["text"], 88 - len(indent) - 4)]
        if entry["source"]:
            key = entry["rule"] or name
            if key in cited:
                out.append(f"{indent}    {message('as_cited', lang, name=key)}")
                continue
            cited.add(key)
            src = _wrap(f"{source_word}: " + entry["source"], 88 - len(indent) - 4)
            out += [f"{indent}    {line}" for line in src[:1]]
            out += [f"{indent}      {line}" for line in src[1:]]
    return out
