"""The result of a partial evaluation: each decision decided or open.

A decided decision has its value, the rules that decided it and its explanation,
as `icpolicy eval` gives them; an open one the values it can still take (when they
can be listed, or its bounds) and the unknown facts it depends on. The questions
to ask and the edges of the decided values are computed on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..values import json_value
from . import values as V

DECIDED = "decided"
OPEN = "open"


@dataclass(frozen=True)
class DecisionState:
    name: str
    state: str  # decided | open
    value: object = None  # when decided
    rules: tuple = ()
    possible: tuple | None = None  # when open and enumerable
    bounds: tuple | None = None  # when open and ordered: (lo, hi), None unbounded
    depends_on: tuple = ()  # unknown facts, when open
    explanation: tuple = ()  # when decided: ({rule, source, text}, ...)
    type: Any = field(default=None, compare=False)  # the decision's lang.types.Type
    why_open: str | None = None  # when the evaluation cannot tell for a reason of its own

    @property
    def decided(self) -> bool:
        return self.state == DECIDED

    def to_dict(self, explain: bool = True) -> dict:
        if self.decided:
            entry = {"state": DECIDED, "value": json_value(self.value), "rules": list(self.rules)}
            if explain:
                entry["explanation"] = [dict(e) for e in self.explanation]
            return entry
        entry = {"state": OPEN, "depends_on": list(self.depends_on)}
        if self.possible is not None:
            entry["possible"] = [json_value(v) for v in self.possible]
        if self.bounds is not None:
            entry["at_least"] = None if self.bounds[0] is None else json_value(self.bounds[0])
            entry["at_most"] = None if self.bounds[1] is None else json_value(self.bounds[1])
        if self.why_open:
            entry["why_open"] = self.why_open
        return entry


@dataclass(frozen=True)
class ProjectStates:
    id: str
    decisions: dict


def state_of(name: str, outcome, typ, explanation: tuple, values_of: tuple | None) -> DecisionState:
    value = outcome.value
    if V.is_known(value):
        return DecisionState(name, DECIDED, value, outcome.rules, explanation=explanation, type=typ)
    choices = V.choices(value)
    if choices is None and values_of is not None and isinstance(value, V.Unknown) and value.lo is None and value.hi is None:
        choices = frozenset(values_of)
    possible = tuple(sorted(choices, key=_order)) if choices is not None else None
    lo, hi = V.bounds(value)
    ordered = possible is None and (lo is not None or hi is not None)
    why = None
    if not outcome.facts:
        why = "the evaluation cannot tell which rules apply (conflicting rules or an expression it cannot bound)"
    return DecisionState(
        name,
        OPEN,
        possible=possible,
        bounds=(lo, hi) if ordered else None,
        depends_on=tuple(sorted(outcome.facts)),
        type=typ,
        why_open=why,
    )


def _order(value):
    return (str(type(value)), str(value))


class PartialResult:
    """Per decision `decided` or `open`; `questions` and `edges` on first use."""

    def __init__(self, case_id, meta: dict, decisions: dict, projects: list, session=None):
        self.case_id = case_id
        self.meta = meta
        self.decisions: dict[str, DecisionState] = decisions
        self.projects: list[ProjectStates] = projects
        self._session = session  # what computing questions and edges needs
        self._questions: list | None = None
        self._edges: list | None = None

    def to_policy_meta(self) -> dict:
        return dict(self.meta)

    @property
    def open(self) -> list[str]:
        """The open decisions: case-level names, then `project id: name`."""
        out = [n for n, d in self.decisions.items() if not d.decided]
        for p in self.projects:
            out += [f"{p.id}: {n}" for n, d in p.decisions.items() if not d.decided]
        return out

    @property
    def questions(self) -> list:
        """The facts to ask, most settling first (see questions.py)."""
        if self._questions is None:
            from .questions import questions_for

            self._questions = questions_for(self) if self._session is not None else []
        return self._questions

    @property
    def edges(self) -> list:
        """What would change each decided value resting on a threshold (see whynot.py)."""
        if self._edges is None:
            from .whynot import edges_for

            self._edges = edges_for(self) if self._session is not None else []
        return self._edges

    def to_dict(self, explain: bool = True, questions: bool = True, why_not: bool = False) -> dict:
        out = {
            "case": self.case_id,
            "policy": dict(self.meta),
            "partial": True,
            "decisions": {n: d.to_dict(explain) for n, d in self.decisions.items()},
            "projects": [
                {"id": p.id, "decisions": {n: d.to_dict(explain) for n, d in p.decisions.items()}} for p in self.projects
            ],
        }
        if questions:
            out["questions"] = [q.to_dict() for q in self.questions]
        if why_not:
            out["why_not"] = [e.to_dict() for e in self.edges]
        return out
