"""What would change the outcome: for each decided value resting on a threshold or a
share, the nearest edge and how far the case is from it, in the case's own terms.

Field edges come from the boundary analysis `icpolicy boundaries` uses (every
comparison of a case field with a threshold): the field is moved to the nearest
value on the comparison's other side (0.01 NOK, one millionth of a share, one day
past the threshold), the case is decided again, and the edge is reported only when
the decision's value changes. Edges between computed values (`total_credit_nok >=
obligation_nok`) are found by forcing that comparison the other way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..i18n import show as i18n_show
from ..lang import ast
from ..lang import types as T
from ..testing.boundaries import SMALLEST, find_boundaries
from ..values import json_value, show
from . import values as V
from .decide import decide_node
from .evaluator import Scope, evaluate
from .labels import field_text
from .questions import set_fact
from .reader import generic_path, path_text

_ORDER = (">", ">=", "<", "<=")
_TYPES = {"money": T.MONEY, "share": T.SHARE, "number": T.NUMBER, "date": T.DATE}
# The value's name in "<name> would be ..." for the computed sides of a comparison.
COMPUTED = {
    "total_credit_nok": ("godkjent godskriving", "approved credit"),
    "obligation_nok": ("forpliktelsen", "the obligation"),
}


@dataclass(frozen=True)
class Edge:
    decision: str
    project: str | None
    value: object  # the decided value now
    other: object  # its value on the edge's other side
    subject: str  # the fact (a case field path) or the computed value that would move
    now: object  # its value now
    moved: object  # its value on the other side
    threshold: object
    distance: object  # |moved - now|: NOK, share, or days
    rule: str  # the rule or definition the comparison sits in
    kind: str  # money | share | number | date
    text: dict  # {"nb": ..., "en": ...}

    def to_dict(self) -> dict:
        return {
            "decision": self.decision,
            **({"project": self.project} if self.project else {}),
            "value": json_value(self.value),
            "would_be": json_value(self.other),
            "subject": self.subject,
            "now": json_value(self.now),
            "at": json_value(self.moved),
            "threshold": json_value(self.threshold),
            "distance": json_value(self.distance),
            "rule": self.rule,
            "text": dict(self.text),
        }


def edges_for(result) -> list[Edge]:
    session = result._session
    if len(session.runs) != 1:
        return []  # the date is unknown: no single version to measure against
    run = session.runs[0]
    compiled = session.policy.version(run.model.version) if hasattr(session.policy, "version") else session.policy
    found: dict = {}
    for b in find_boundaries(compiled):
        if "*" in b.path:
            continue  # an item of a list: its edge is the item's, not the case's
        for path, project, state in _targets(result, b):
            edge = _field_edge(session, run, b, path, project, state)
            if edge is not None:
                key = (edge.decision, project, edge.subject)
                if key not in found or edge.distance < found[key].distance:
                    found[key] = edge
    for edge in _computed_edges(result, run):
        found.setdefault((edge.decision, None, edge.subject), edge)
    return list(found.values())


def _targets(result, b):
    """(field path, project id, decided state) for each place a boundary applies."""
    if b.scope == "project":
        for i, p in enumerate(result.projects):
            state = p.decisions.get(b.decision)
            if state is not None and state.decided:
                yield ("projects", i, *b.path[2:]), p.id, state
        return
    state = result.decisions.get(b.decision)
    if state is not None and state.decided:
        yield b.path, None, state


def _field_edge(session, run, b, path: tuple, project, state) -> Edge | None:
    now = _value_at(run.scope.case, path)
    try:
        threshold = evaluate(b.threshold, b.threshold_expr.checked, run.scope)
    except Exception:  # a threshold this case cannot compute has no edge to show
        return None
    if not (V.is_known(now) and V.is_known(threshold)) or now is None or threshold is None:
        return None
    moved = _other_side(b.op, now, threshold, b.kind)
    if moved is None or not _valid(moved, b.kind):
        return None
    try:
        again = session.again(set_fact(session.data, path, _plain(moved)))
    except Exception:  # the moved case is not valid (a value out of range)
        return None
    other = _state_in(again, b.decision, project)
    if other is None or not other.decided or V.same(other.value, state.value):
        return None
    if not _because_of(session, b, path, moved, threshold, project, other):
        return None  # the value moved with the field, not at the edge
    distance = _distance(now, moved)
    text = _field_text(b, path, project, state, other, now, moved, threshold, distance)
    if project is not None and b.decision != "credit_nok":
        text = _with_credit(text, again, run, project)
    return Edge(b.decision, project, state.value, other.value, path_text(path), now, moved, threshold, distance, b.owner, b.kind, text)


def _because_of(session, b, path: tuple, moved, threshold, project, other) -> bool:
    """Whether the value changes at the edge: with the comparison held at its old
    result, the moved case keeps the old value (`credited_share` follows a share
    continuously; it jumps only at 20 % and, for production, at 80 %)."""
    cmp = next(
        (n for n in ast.walk(b.threshold_expr.node) if isinstance(n, ast.Binary) and b.field_node in (n.left, n.right)),
        None,
    )
    if cmp is None:
        return True
    old_side = not _holds(b.op, moved, threshold)
    try:
        held = session.again(set_fact(session.data, path, _plain(moved)), {id(cmp): old_side})
    except Exception:  # a what-if that cannot be evaluated shows nothing
        return False
    state = _state_in(held, b.decision, project)
    return state is not None and state.decided and not V.same(state.value, other.value)


def _holds(op: str, value, threshold) -> bool:
    return {">": value > threshold, ">=": value >= threshold, "<": value < threshold, "<=": value <= threshold}[op]


def _with_credit(text: dict, again, run, project) -> dict:
    """A project's edge also says what it would be credited there."""
    credit = _state_in(again, "credit_nok", project)
    index = next((i for i, p in enumerate(run.projects) if p.get("id") == project), None)
    before = run.projects[index].get("credit_nok") if index is not None else None
    if credit is None or not credit.decided or (before is not None and V.same(before, credit.value)):
        return text
    amount = show(credit.value, T.MONEY)
    return {"nb": f"{text['nb']}; da ville den fått godskrevet {amount}", "en": f"{text['en']}; it would then be credited {amount}"}


def _value_at(case, path: tuple):
    value = case
    for part in path:
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            return V.Unknown()
    return value


def _other_side(op: str, now, threshold, kind: str):
    """The value nearest to `now` on the other side of `field op threshold`."""
    holds = _holds(op, now, threshold)
    step = dt.timedelta(days=1) if kind == "date" else SMALLEST.get(kind, Decimal("0.01"))
    if op in (">", "<="):
        return threshold if (holds if op == ">" else not holds) else threshold + step
    return threshold - step if (holds if op == ">=" else not holds) else threshold


def _valid(value, kind: str) -> bool:
    if kind == "date":
        return True
    top = {"money": Decimal(10) ** 15, "share": Decimal(1), "number": Decimal(100)}.get(kind)
    return value >= 0 and (top is None or value <= top)


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _distance(now, moved):
    if isinstance(now, dt.date):
        return Decimal(abs((moved - now).days))
    return abs(moved - now)


def _state_in(result, name: str, project):
    if project is None:
        return result.decisions.get(name)
    for p in result.projects:
        if p.id == project:
            return p.decisions.get(name)
    return None


def _shown(value, kind: str, lang: str) -> str:
    return i18n_show(value, _TYPES.get(kind), lang)


def _field_text(b, path, project, state, other, now, moved, threshold, distance) -> dict:
    label_nb, label_en = (_unitless(t) for t in field_text(generic_path(path))[:2])
    up = moved > now
    strict = moved != threshold
    if up:
        rel_en, rel_nb = ("exceeded", "oversteg") if strict else ("were at least", "var minst")
    else:
        rel_en, rel_nb = ("were below", "var under") if strict else ("were at most", "var høyst")
    gap = _shown(distance, b.kind, "en") if b.kind != "date" else f"{distance} days"
    gap_nb = _shown(distance, b.kind, "nb") if b.kind != "date" else f"{distance} dager"
    where_en = f"{project}: " if project else ""
    outcome_en, outcome_nb = outcome_phrase(b.decision, other.value, other.type)
    outcome_nb = outcome_nb.replace(show(other.value, other.type), i18n_show(other.value, other.type, "nb"))
    t, t_nb = _shown(threshold, b.kind, "en"), _shown(threshold, b.kind, "nb")
    n, n_nb = _shown(now, b.kind, "en"), _shown(now, b.kind, "nb")
    short_en, short_nb = ("short", "for lite") if up else ("over", "for mye")
    en = f"{where_en}{outcome_en} if the {_lower(label_en)} {rel_en} {t}; it is {n} ({gap} {short_en})"
    nb = f"{where_en}{outcome_nb} hvis {_lower(label_nb)} {rel_nb} {t_nb}; den er {n_nb} ({gap_nb} {short_nb})"
    return {"nb": nb, "en": en}


def outcome_phrase(decision: str, value, typ) -> tuple[str, str]:
    """(en, nb): "an ICA would be required" and the like; generic for other decisions."""
    if decision == "ica_required":
        if value:
            return "an ICA would be required", "det ville vært krav om industrisamarbeidsavtale"
        return "no ICA would be required", "det ville ikke vært krav om industrisamarbeidsavtale"
    if decision == "obligation_fulfilled":
        if value:
            return "the obligation would be fulfilled", "forpliktelsen ville vært oppfylt"
        return "the obligation would not be fulfilled", "forpliktelsen ville ikke vært oppfylt"
    shown = show(value, typ)
    return f"{decision} would be {shown}", f"{decision} ville vært {shown}"


def _unitless(label: str) -> str:
    return label.removesuffix(" (NOK)")


def _lower(label: str) -> str:
    """"Contract sum" -> "contract sum"; a name of a people keeps its capital."""
    if label.split(" ")[0] in ("Norwegian",):
        return label
    return label[:1].lower() + label[1:]


def _computed_edges(result, run) -> list[Edge]:
    """Comparisons of two computed values in a decision's own expressions."""
    out = []
    for node in run.model.decisions():
        state = result.decisions.get(node.name)
        if node.scope != "case" or state is None or not state.decided or node.value is None:
            continue
        for cmp in ast.walk(node.value.node):
            edge = _computed_edge(run, node, cmp, state)
            if edge is not None:
                out.append(edge)
    return out


def _computed_edge(run, node, cmp, state) -> Edge | None:
    if not (isinstance(cmp, ast.Binary) and cmp.op in _ORDER):
        return None
    names = [n for n in (cmp.left, cmp.right) if isinstance(n, ast.Name) and n.name in COMPUTED]
    if not names:
        return None
    moving = names[0]
    checked = node.value.checked
    left, right = (evaluate(n, checked, run.scope) for n in (cmp.left, cmp.right))
    if not (isinstance(left, Decimal) and isinstance(right, Decimal)):
        return None
    holds = evaluate(cmp, checked, run.scope)
    forced = Scope(run.scope.case, run.scope.params, dict(run.scope.computed), overrides={id(cmp): not holds})
    other = decide_node(node, forced).value
    if not V.is_known(other) or V.same(other, state.value):
        return None
    now = left if moving is cmp.left else right
    target = right if moving is cmp.left else left
    op = cmp.op if moving is cmp.left else {">": "<", "<": ">", ">=": "<=", "<=": ">="}[cmp.op]
    moved = _other_side(op, now, target, "money")
    if moved < 0:
        return None
    distance = abs(moved - now)
    name_nb, name_en = COMPUTED[moving.name]
    outcome_en, outcome_nb = outcome_phrase(node.name, other, node.type)
    more_en, more_nb = ("more", "mer") if moved > now else ("less", "mindre")
    def money(value, lang):
        return i18n_show(value, T.MONEY, lang)

    text = {
        "en": f"{outcome_en} with {money(distance, 'en')} {more_en} {name_en} "
        f"(it is {money(now, 'en')}, against {money(target, 'en')})",
        "nb": f"{outcome_nb} med {money(distance, 'nb')} {more_nb} {name_nb} "
        f"(den er {money(now, 'nb')}, mot {money(target, 'nb')})",
    }
    return Edge(node.name, None, state.value, other, moving.name, now, moved, target, distance, node.name, "money", text)
