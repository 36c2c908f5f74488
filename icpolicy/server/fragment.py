"""The page's result: decisions, projects and the sources cited, as an HTML fragment.

Values are shown with icpolicy's own formatting (exact, digits grouped); each source
is printed once, as a numbered note that the decisions refer to.
"""

from __future__ import annotations

import html

from ..diagnostics import Diagnostic

_WORDS = {
    "nb": {"decision": "Vurdering", "value": "Verdi", "rules": "Regler", "projects": "Prosjekter",
           "project": "Prosjekt", "sources": "Kilder", "case": "Sak", "policy": "Regelverk", "yes": "ja",
           "no": "nei", "errors": "Saken kan ikke vurderes ennå", "none": "-"},
    "en": {"decision": "Decision", "value": "Value", "rules": "Rules", "projects": "Projects",
           "project": "Project", "sources": "Sources", "case": "Case", "policy": "Policy", "yes": "yes",
           "no": "no", "errors": "The case cannot be assessed yet", "none": "-"},
}


def _label(node, name: str, lang: str) -> str:
    from ..report.note import title

    return title(node, lang) if node is not None else name


def _value(node, value, lang: str) -> str:
    from ..report.note import value_label

    return value_label(node, value, lang) if node is not None else str(value)


def _nodes(policy, version: str) -> dict:
    """The decisions of the version that decided the case: titles, value labels and types."""
    for chosen in policy.versions:
        if chosen.model.version == version:
            return dict(chosen.model.nodes)
    return {}


class _Notes:
    """Sources numbered in order of first citation."""

    def __init__(self):
        self.numbers: dict[str, int] = {}

    def cite(self, source: str | None) -> str:
        if not source:
            return ""
        number = self.numbers.setdefault(source, len(self.numbers) + 1)
        return f'<sup><a href="#source-{number}">[{number}]</a></sup>'


def _explanations(decision: dict, notes: _Notes) -> str:
    items = [f"<li>{html.escape(e['text'])}{notes.cite(e.get('source'))}</li>" for e in decision.get("explanation", [])]
    return f'<ul class="why">{"".join(items)}</ul>' if items else ""


def _decision_rows(decisions: dict, lang: str, notes: _Notes, nodes: dict) -> str:
    rows = []
    for name, d in decisions.items():
        rules = ", ".join(d.get("rules") or []) or _WORDS[lang]["none"]
        rows.append(
            f'<tr data-decision="{html.escape(name)}"><th scope="row">{html.escape(_label(nodes.get(name), name, lang))}</th>'
            f'<td class="value">{html.escape(_value(nodes.get(name), d["value"], lang))}</td><td>{html.escape(rules)}</td>'
            f"<td>{_explanations(d, notes)}</td></tr>"
        )
    return "".join(rows)


def render_result(out: dict, policy, lang: str) -> str:
    words = _WORDS[lang]
    notes = _Notes()
    nodes = _nodes(policy, out["policy"]["version"])
    head = (f"<tr><th scope=\"col\">{words['decision']}</th><th scope=\"col\">{words['value']}</th>"
            f"<th scope=\"col\">{words['rules']}</th><th scope=\"col\"></th></tr>")
    parts = [
        f'<p class="meta">{words["case"]} <strong>{html.escape(str(out["case"]))}</strong> · {words["policy"]} '
        f'{html.escape(out["policy"]["id"])} {html.escape(out["policy"]["version"])}</p>',
        f'<table class="decisions"><thead>{head}</thead><tbody>{_decision_rows(out["decisions"], lang, notes, nodes)}'
        "</tbody></table>",
    ]
    if out.get("projects"):
        parts.append(f"<h3>{words['projects']}</h3>")
        for project in out["projects"]:
            parts.append(
                f'<table class="project" data-project="{html.escape(project["id"])}"><caption>{words["project"]} '
                f'{html.escape(project["id"])}</caption><tbody>{_decision_rows(project["decisions"], lang, notes, nodes)}'
                "</tbody></table>"
            )
    if notes.numbers:
        items = "".join(f'<li id="source-{n}">{html.escape(s)}</li>' for s, n in notes.numbers.items())
        parts.append(f'<h3>{words["sources"]}</h3><ol class="sources">{items}</ol>')
    return "".join(parts)


def render_errors(diagnostics: list[Diagnostic], lang: str) -> str:
    items = "".join(
        f"<li><code>{html.escape(d.field or d.code)}</code>: {html.escape(d.message)}</li>" for d in diagnostics
    )
    return f'<div class="problems"><p>{_WORDS[lang]["errors"]}:</p><ul>{items}</ul></div>'
