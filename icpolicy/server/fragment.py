"""The page's result: decisions, projects and the sources cited, as an HTML fragment.

Values are shown with icpolicy's own formatting (exact, digits grouped); each source
is printed once, as a numbered note that the decisions refer to.
"""

from __future__ import annotations

import html

from ..diagnostics import Diagnostic

DECISION_LABELS = {
    "ica_required": {"nb": "Krav om industrisamarbeidsavtale", "en": "Industrial cooperation agreement required"},
    "ica_kind": {"nb": "Type avtale", "en": "Kind of agreement"},
    "obligation_nok": {"nb": "Forpliktelse", "en": "Obligation"},
    "total_credit_nok": {"nb": "Godskrevet i alt", "en": "Total credit"},
    "pending_credit_nok": {"nb": "Til vurdering", "en": "Credit pending review"},
    "remaining_obligation_nok": {"nb": "Gjenstående forpliktelse", "en": "Remaining obligation"},
    "obligation_fulfilled": {"nb": "Forpliktelsen innfridd", "en": "Obligation fulfilled"},
    "status": {"nb": "Status", "en": "Status"},
    "credited_share": {"nb": "Godskrevet andel", "en": "Credited share"},
    "credit_nok": {"nb": "Godskrives", "en": "Credit"},
}

_WORDS = {
    "nb": {"decision": "Vurdering", "value": "Verdi", "rules": "Regler", "projects": "Prosjekter",
           "project": "Prosjekt", "sources": "Kilder", "case": "Sak", "policy": "Regelverk", "yes": "ja",
           "no": "nei", "errors": "Saken kan ikke vurderes ennå", "none": "-"},
    "en": {"decision": "Decision", "value": "Value", "rules": "Rules", "projects": "Projects",
           "project": "Project", "sources": "Sources", "case": "Case", "policy": "Policy", "yes": "yes",
           "no": "no", "errors": "The case cannot be assessed yet", "none": "-"},
}


def _label(name: str, lang: str) -> str:
    return DECISION_LABELS.get(name, {}).get(lang, name.replace("_", " "))


def _value(value, lang: str, typ) -> str:
    from ..values import show

    if value is True:
        return _WORDS[lang]["yes"]
    if value is False:
        return _WORDS[lang]["no"]
    return show(value, typ)


def _types(policy, version: str) -> dict:
    for chosen in policy.versions:
        if chosen.model.version == version:
            return {name: node.type for name, node in chosen.model.nodes.items()}
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


def _decision_rows(decisions: dict, lang: str, notes: _Notes, types: dict) -> str:
    rows = []
    for name, d in decisions.items():
        rules = ", ".join(d.get("rules") or []) or _WORDS[lang]["none"]
        rows.append(
            f'<tr data-decision="{html.escape(name)}"><th scope="row">{html.escape(_label(name, lang))}</th>'
            f'<td class="value">{html.escape(_value(d["value"], lang, types.get(name)))}</td><td>{html.escape(rules)}</td>'
            f"<td>{_explanations(d, notes)}</td></tr>"
        )
    return "".join(rows)


def render_result(out: dict, policy, lang: str) -> str:
    words = _WORDS[lang]
    notes = _Notes()
    types = _types(policy, out["policy"]["version"])
    head = (f"<tr><th scope=\"col\">{words['decision']}</th><th scope=\"col\">{words['value']}</th>"
            f"<th scope=\"col\">{words['rules']}</th><th scope=\"col\"></th></tr>")
    parts = [
        f'<p class="meta">{words["case"]} <strong>{html.escape(str(out["case"]))}</strong> · {words["policy"]} '
        f'{html.escape(out["policy"]["id"])} {html.escape(out["policy"]["version"])}</p>',
        f'<table class="decisions"><thead>{head}</thead><tbody>{_decision_rows(out["decisions"], lang, notes, types)}'
        "</tbody></table>",
    ]
    if out.get("projects"):
        parts.append(f"<h3>{words['projects']}</h3>")
        for project in out["projects"]:
            parts.append(
                f'<table class="project" data-project="{html.escape(project["id"])}"><caption>{words["project"]} '
                f'{html.escape(project["id"])}</caption><tbody>{_decision_rows(project["decisions"], lang, notes, types)}'
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
