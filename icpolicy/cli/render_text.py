"""The readable text form of a result: each decision, its value, rules and sources."""

from __future__ import annotations

import re
import textwrap

from ..engine.format import show

_GROUP_SPACE = re.compile(r"(?<=\d) (?=\d{3}\b)|(?<=\d) (?=NOK\b|%)")


def _wrap(text: str, width: int) -> list[str]:
    # Keep "100 000 000 NOK" on one line: protect the spaces inside amounts.
    protected = _GROUP_SPACE.sub("\x00", text)
    return [line.replace("\x00", " ") for line in textwrap.wrap(protected, width)]


def render_result(result, explain: bool = True) -> str:
    policy = result._policy
    types = {name: node.type for name, node in policy.model.nodes.items()}
    meta = policy.meta
    lines = [f"Case {result.case_id}  (policy {meta['id']} {meta['version']})"]
    width = max((len(n) for n in policy.output_names), default=10) + 2
    cited: set = set()
    for name, d in result.decisions.items():
        lines += _decision_lines(result, name, d, types[name], width, None, "  ", explain, cited)
    for i, project in enumerate(result.projects):
        if not project.decisions:
            continue  # nothing asked for is decided per project: no empty header
        lines.append(f"  Project {project.id}")
        for name, d in project.decisions.items():
            lines += _decision_lines(result, name, d, types[name], width - 2, i, "    ", explain, cited)
    return "\n".join(lines)


def _decision_lines(result, name, d, typ, width, index, indent, explain, cited):
    rules = ", ".join(d.rules) if d.rules else "-"
    out = [f"{indent}{name:<{width}} {show(d.value, typ):<24} [{rules}]"]
    if not explain:
        return out
    for entry in result.explanation(name, index):
        out += [f"{indent}    {line}" for line in _wrap(entry["text"], 88 - len(indent) - 4)]
        if entry["source"]:
            key = entry["rule"] or name
            if key in cited:
                out.append(f"{indent}    source: as cited for {key} above")
                continue
            cited.add(key)
            src = _wrap("source: " + entry["source"], 88 - len(indent) - 4)
            out += [f"{indent}    {line}" for line in src[:1]]
            out += [f"{indent}      {line}" for line in src[1:]]
    return out
