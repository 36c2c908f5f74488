"""What a case's note says, in one language, before it is laid out.

Every source is cited once: a numbered note that the summary, the decisions and
the projects refer to as [n]. A quote that another cited quote of the same source
contains shares that one's number (the guide's sentences overlap).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..i18n import localized, message
from ..i18n import show as show_value

_BOOL_LABEL = {True: "true", False: "false"}


@dataclass
class Source:
    number: int
    ref: str
    title: str
    section: str | None
    quote: str
    interpretation: str | None = None
    rules: list = field(default_factory=list)  # the rule ids citing it


@dataclass
class Row:
    """One decision: its title, its value as said, the deciding rules, the notes."""

    name: str
    title: str
    value: object
    shown: str
    applies: bool
    rules: tuple
    notes: list
    texts: list  # the explanation texts, in order
    figures: list = field(default_factory=list)  # (placeholder, value shown) used


@dataclass
class ProjectRow:
    id: str
    cells: dict  # decision name -> Row


@dataclass
class Note:
    lang: str
    case_id: str
    date: str
    policy: dict
    policy_title: str
    supplier: str  # "Name (country)"
    contract_sum: str
    summary: list  # (text, notes)
    decisions: list
    projects: list
    project_titles: dict
    sources: list
    record_id: str | None = None


@lru_cache(maxsize=4096)  # a policy's few quotes, cited by every note
def _one_line(quote: str) -> str:
    return " ".join(quote.split())


class _Citations:
    def __init__(self):
        self.sources: list[Source] = []

    def number(self, source_ref, rule_id: str | None, lang: str) -> int | None:
        if source_ref is None:
            return None
        quote = _one_line(source_ref.quote)
        for known in self.sources:
            if known.ref == source_ref.ref and (quote in known.quote or known.quote in quote):
                if len(quote) > len(known.quote):  # keep the longer, which contains both
                    known.quote, known.section = quote, source_ref.section
                if rule_id and rule_id not in known.rules:
                    known.rules.append(rule_id)
                return known.number
        self.sources.append(Source(
            len(self.sources) + 1, source_ref.ref, source_ref.title or source_ref.ref, source_ref.section, quote,
            localized(source_ref.interpretation, lang), [rule_id] if rule_id else []))
        return len(self.sources)


    def group_by_section(self) -> dict:
        """Renumber so that the notes of one source and section are together, in the
        order each was first cited; returns old number -> new number."""
        order: list = []
        for s in self.sources:
            if (s.title, s.section) not in order:
                order.append((s.title, s.section))
        self.sources.sort(key=lambda s: (order.index((s.title, s.section)), s.number))
        renumber = {}
        for new, s in enumerate(self.sources, 1):
            renumber[s.number], s.number = new, new
        return renumber


def build_note(result, lang: str, record_id: str | None = None) -> Note:
    policy = result.policy
    model = policy.model
    cites = _Citations()
    decisions = [_row(result, name, d, None, lang, cites) for name, d in result.decisions.items()]
    by_name = {r.name: r for r in decisions}
    projects = [
        ProjectRow(p.id, {name: _row(result, name, d, i, lang, cites) for name, d in p.decisions.items()})
        for i, p in enumerate(result.projects)
    ]
    renumber = cites.group_by_section()
    for row in decisions + [c for p in projects for c in p.cells.values()]:
        row.notes = sorted(renumber[n] for n in row.notes)
    summary = []
    for name in model.summary or [r.name for r in decisions]:
        row = by_name.get(name)
        if row is not None and row.applies and row.texts:
            summary.append((" ".join(row.texts), row.notes))
    supplier = result.case_field("supplier") or {}
    names = [n for n in policy.output_names if model.nodes[n].scope == "project"]
    return Note(
        lang=lang,
        case_id=str(result.case_id),
        date=show_value(result.case_date, None, lang),
        policy=dict(policy.meta),
        policy_title=localized(model.title, lang) or model.id,
        supplier=f"{supplier['name']} ({supplier.get('country')})" if supplier.get("name")
        else str(supplier.get("country") or "-"),
        contract_sum=show_value((result.case_field("procurement") or {}).get("value_nok"), _money(), lang),
        summary=summary,
        decisions=decisions,
        projects=projects,
        project_titles={n: title(model.nodes[n], lang) for n in names},
        sources=cites.sources,
        record_id=record_id,
    )


def _money():
    from ..lang import types as T

    return T.MONEY


# A decision's title and value labels, said once per decision and language (not per
# case): id(node) -> (node, {(key, lang): text}); the node is kept so its id stays its own.
_SAID: dict[int, tuple] = {}


def _said(node) -> dict:
    made = _SAID.get(id(node))
    if made is None or made[0] is not node:
        if len(_SAID) >= 50_000:
            _SAID.clear()
        made = _SAID[id(node)] = (node, {})
    return made[1]


def title(node, lang: str) -> str:
    said = _said(node)
    text = said.get(("title", lang))
    if text is None:
        text = said[("title", lang)] = localized(node.title, lang) or node.name
    return text


def value_label(node, value, lang: str) -> str:
    key = _BOOL_LABEL.get(value) if isinstance(value, bool) else value if isinstance(value, str) else None
    if key is not None and key in node.labels:
        said = _said(node)
        text = said.get((key, lang, type(value)))
        if text is None:
            text = said[(key, lang, type(value))] = localized(node.labels[key], lang) or str(value)
        return text
    return show_value(value, node.type, lang)


def _row(result, name, decided, index, lang, cites: _Citations) -> Row:
    policy = result.policy
    node = policy.model.nodes[name]
    applies = True
    if node.applies_if is not None:
        applies = result.decisions[node.applies_if].value is not False
    entries = result.explanation(name, index, lang=lang)
    notes: list[int] = []
    shown = value_label(node, decided.value, lang) if applies else message("not_applicable", lang)
    if not applies:  # nothing to cite for what does not apply
        return Row(name, title(node, lang), decided.value, shown, False, tuple(decided.rules), [], [])
    by_id = policy.rules_by_id[name]
    for entry in entries:
        rule = by_id.get(entry["rule"]) if entry["rule"] else None
        source = rule.source if rule else (None if node.cites and index is None else node.source)
        _add(notes, cites.number(source, entry["rule"], lang))
    if index is None:
        for rule in result.cited_rules(name):
            _add(notes, cites.number(rule.source, rule.id, lang))
        if not notes and node.source is not None:
            _add(notes, cites.number(node.source, None, lang))
    return Row(name, title(node, lang), decided.value, shown, applies, tuple(decided.rules), notes,
               [e["text"] for e in entries])


def _add(notes: list, number: int | None) -> None:
    if number is not None and number not in notes:
        notes.append(number)
