"""`policy.evaluate(case, partial=True)`: read the case with unknown facts, pick the
version(s) that may decide it, run the three-valued evaluation and build the result.

When the case date is unknown, every version is run with the date bounded to its
period, and a decision is decided only when every version decides it alike.
"""

from __future__ import annotations

import copy
import datetime as dt

from ..cases.diagnostic import case_diagnostic
from ..dates import parse_iso_date
from ..diagnostics import Diagnostic, IcpolicyError
from ..i18n import show as i18n_show
from ..values import show
from . import values as V
from .decide import PartialFailure, Run
from .evaluator import evaluate
from .reader import PartialReader
from .result import DECIDED, OPEN, DecisionState, PartialResult, ProjectStates, state_of
from .split import run_with_splits

_READER: list = []


def reader() -> PartialReader:
    if not _READER:
        _READER.append(PartialReader())
    return _READER[0]


class Session:
    """What questions and edges need to re-evaluate the case with a fact changed."""

    def __init__(self, policy, data: dict, wanted, as_of, version, complete: bool, lang: str | None):
        self.policy, self.data, self.wanted, self.as_of, self.version = policy, data, wanted, as_of, version
        self.complete, self.lang = complete, lang
        self.overrides: dict | None = None
        self.runs: list[Run] = []

    def again(self, data: dict, overrides: dict | None = None) -> PartialResult:
        """The case decided again with other facts (and, for what-ifs, some
        expressions forced to a value: id(node) -> value)."""
        return evaluate_partial(
            self.policy, data, None, self.wanted, self.as_of, self.version, self.complete, self.lang, overrides
        )


def evaluate_partial(
    policy, data, doc=None, decisions=None, as_of=None, version=None, complete=False, lang: str | None = None,
    overrides: dict | None = None,
) -> PartialResult:
    """Decide what can be decided of a case whose facts may be unknown. With
    `complete`, the case is read as `icpolicy eval` reads it (defaults applied, no
    unknowns): every decision is decided, and its edges can be asked for. `lang`
    picks the language of the explanations (as in `Result.explanation`)."""
    if isinstance(decisions, str):
        decisions = (decisions,)
    if complete:
        case = _normalized(policy, data, doc, as_of, version)
    else:
        read, problems = reader().read(data)
        if problems or read is None:
            raise IcpolicyError([case_diagnostic(path, message, doc) for path, message in problems])
        case = read
    if as_of is not None:
        case["date"] = as_of if isinstance(as_of, dt.date) else parse_iso_date(str(as_of))
    session = Session(policy, data, decisions, as_of, version, complete, lang)
    session.overrides = overrides
    for chosen, day in _versions(policy, case, doc, version):
        copied = copy.deepcopy(case)
        copied["date"] = day
        try:
            session.runs.append(run_with_splits(chosen.model, copied, overrides))
        except PartialFailure as exc:
            raise IcpolicyError(Diagnostic("E-EVAL", f"case {case.get('id')!r}: {exc}")) from None
    return _result(session, case.get("id"), decisions)


def _normalized(policy, data, doc, as_of, version) -> dict:
    """The case as the engine reads it, by the version that decides it."""
    chosen = policy.select(data, as_of, version) if hasattr(policy, "select") else policy
    return chosen.normalize(data, doc)


def _versions(policy, case, doc, version):
    """(compiled version, the date it sees): one when the date is known or a version
    is named, every version (the date bounded to its period) otherwise."""
    versions = getattr(policy, "versions", [policy])
    if version is not None:
        return [(policy.version(version), case["date"])]
    day = case.get("date")
    if V.is_known(day):
        if len(versions) == 1:
            return [(versions[0], day)]
        try:
            return [(policy.in_force_on(day), day)]
        except IcpolicyError as exc:
            d = exc.diagnostics[0]
            raise IcpolicyError(Diagnostic(d.code, d.message, doc.span(("date",)) if doc else None, field="date")) from None
    facts = V.facts_of(day)
    out = []
    for v in versions:
        start, end = v.model.period
        out.append((v, V.Unknown(start or dt.date.min, end or dt.date.max, None, facts)))
    return out


def _result(session: Session, case_id, wanted) -> PartialResult:
    per_run = [_states(run, wanted, session.lang) for run in session.runs]
    decisions = _merge([states for states, _ in per_run], "date")
    projects = []
    first_projects = per_run[0][1]
    for i, (pid, _) in enumerate(first_projects):
        merged = _merge([p[i][1] for _, p in per_run if i < len(p)], "date")
        projects.append(ProjectStates(pid, merged))
    runs = session.runs
    if len(runs) == 1:
        model = runs[0].model
        meta: dict = {"id": model.id, "version": model.version, "sha256": model.sha256}
    else:
        model = runs[-1].model
        meta = {"id": model.id, "version": None, "versions": [r.model.version for r in runs]}
    return PartialResult(case_id, meta, decisions, projects, session)


def _states(run: Run, wanted, lang) -> tuple[dict, list]:
    model = run.model
    names = [d.name for d in model.decisions() if wanted is None or d.name in wanted]
    case_states = {}
    for name in names:
        node = model.nodes[name]
        if node.scope == "case":
            case_states[name] = _state(node, run.outcomes[name], run.scope, lang)
    project_states = []
    for i, project in enumerate(run.projects):
        states = {}
        for name in names:
            node = model.nodes[name]
            if node.scope == "project":
                states[name] = _state(node, run.project_outcomes[i][name], run.project_scope(i), lang)
        project_states.append((project.get("id"), states))
    return case_states, project_states


def _state(node, outcome, scope, lang) -> DecisionState:
    explanation: tuple = ()
    if V.is_known(outcome.value):
        explanation = tuple(_explain(node, outcome.rules, scope, lang))
    return state_of(node.name, outcome, node.type, explanation, node.values)


def _explain(node, rules: tuple, scope, lang) -> list[dict]:
    by_id = {r.id: r for r in node.rules}
    if rules:
        return [
            {"rule": rid, "source": by_id[rid].source.citation(), "text": _render(by_id[rid].explanation, scope, lang)}
            for rid in rules
        ]
    if node.explanation is None:
        return []
    source = node.source.citation() if node.source else None
    return [{"rule": None, "source": source, "text": _render(node.explanation, scope, lang)}]


def _render(template, scope, lang) -> str:
    pieces = []
    unknown = "ukjent" if lang == "nb" else "unknown"
    for part in template.in_lang(lang).parts:
        if isinstance(part, str):
            pieces.append(part)
            continue
        try:
            value = evaluate(part.node, part.checked, scope)
        except Exception:  # an explanation shows what it can: never fails the result
            value = V.Unknown()
        if not V.is_known(value):
            pieces.append(unknown)
        else:
            pieces.append(show(value, part.type) if lang is None else i18n_show(value, part.type, lang))
    return " ".join("".join(pieces).split())


def _merge(states_list: list, because: str) -> dict:
    """One state per decision from several versions' (the date unknown)."""
    if len(states_list) == 1:
        return states_list[0]
    out = {}
    for name in states_list[-1]:
        states = [s[name] for s in states_list if name in s]
        first = states[-1]  # the latest version's rules and explanation
        if all(s.decided for s in states) and all(V.same(s.value, first.value) for s in states):
            out[name] = first
            continue
        out[name] = _merged_open(name, states, because)
    return out


def _merged_open(name: str, states: list, because: str) -> DecisionState:
    possible: set | None = set()
    lows, highs = [], []
    facts = {because}
    for s in states:
        facts |= set(s.depends_on)
        if s.decided:
            if possible is not None:
                try:
                    possible.add(s.value)
                except TypeError:
                    possible = None
            lows.append(s.value)
            highs.append(s.value)
        elif s.possible is not None and possible is not None:
            possible |= set(s.possible)
        else:
            possible = None
            lows.append(s.bounds[0] if s.bounds else None)
            highs.append(s.bounds[1] if s.bounds else None)
    ordered = all(isinstance(v, type(lows[0])) for v in lows + highs if v is not None) if lows else False
    bounds = None
    if possible is None and ordered:
        bounds = (None if None in lows else min(lows), None if None in highs else max(highs))
    return DecisionState(
        name,
        OPEN,
        possible=tuple(sorted(possible, key=str)) if possible is not None else None,
        bounds=bounds,
        depends_on=tuple(sorted(facts)),
        type=states[0].type,
    )


__all__ = ["DECIDED", "OPEN", "evaluate_partial"]
