"""Deciding a partly known case under one policy version.

Every definition and decision is evaluated in the policy's order, three-valued. A
decision with rules follows the engine's resolution: the rules that fire give their
values, a fired rule that overrides another and gives a different value sets it
aside, and the default applies when none fires. With some conditions unknown, every
combination of the unknown ones is resolved, so an exception that surely fires
decides even when the triggers it overrides are unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import DecimalException
from itertools import combinations

from ..lang.runtime import EvalFailure
from ..policy.model import Decision, PolicyModel
from . import values as V
from .evaluator import Scope, evaluate

# Rules with an unknown condition resolved by enumeration, at most this many at once
# (2^8 combinations); more are joined without it, imprecise but sound.
MAX_ENUMERATED = 8
MAX_VALUE_CHOICES = 64  # combinations of the values of fired rules whose value is unknown


@dataclass
class Outcome:
    """How one decision came out: its value (known or Unknown), the deciding rules
    when known, the facts it rests on, and for each rule whose condition is still
    unknown, the facts that condition waits for."""

    value: object
    rules: tuple = ()
    facts: frozenset = frozenset()
    waiting: dict = field(default_factory=dict)  # rule id -> facts
    conflict: bool = False  # some combination makes rules conflict (an error in eval)


class PartialFailure(Exception):
    """A known part of the case fails as it would in `icpolicy eval`."""

    def __init__(self, decision: str, message: str):
        super().__init__(f"decision '{decision}': {message}")
        self.decision = decision


@dataclass
class Run:
    """One partial evaluation of a case under one version."""

    model: PolicyModel
    scope: Scope  # case-level names; a project's scope is `project_scope(i)`
    outcomes: dict  # case-level node -> Outcome
    project_outcomes: list  # per project of a known list: node -> Outcome
    projects: list  # the project dicts decided (values written in)

    def project_scope(self, index: int) -> Scope:
        s = self.scope
        return Scope(s.case, s.params, s.computed, self.projects[index], overrides=s.overrides)


def run_model(model: PolicyModel, case: dict, overrides: dict | None = None, forced: dict | None = None) -> Run:
    """Decide every definition and decision of `model` for `case` (whose project
    dicts get the per-project values written in, as the engine does). `forced`
    case-level values are taken as given (one world of a case split)."""
    params = {name: p.value for name, p in model.parameters.items()}
    computed: dict = {}
    scope = Scope(case, params, computed, overrides=overrides or {})
    projects = case.get("projects")
    items = _project_items(projects)
    outcomes: dict = {}
    project_outcomes: list = [{} for _ in items]
    for name in model.order:
        node = model.nodes[name]
        if node.scope == "case":
            outcome = Outcome(forced[name]) if forced and name in forced else decide_node(node, scope)
            computed[name] = outcome.value
            outcomes[name] = outcome
            continue
        for i, project in enumerate(items):
            pscope = Scope(case, params, computed, project, overrides=scope.overrides)
            outcome = decide_node(node, pscope)
            project[name] = outcome.value
            project_outcomes[i][name] = outcome
    known = _known_count(projects)
    return Run(model, scope, outcomes, project_outcomes[:known], items[:known])


def _project_items(projects) -> list:
    """The projects to decide: each of a known list, or the template of an unknown one."""
    if isinstance(projects, V.UnknownList):
        return [projects.template]
    return list(projects or [])


def _known_count(projects) -> int:
    return 0 if isinstance(projects, V.UnknownList) else len(projects or [])


def decide_node(node: Decision, scope: Scope) -> Outcome:
    try:
        if node.value is not None:
            value = _eval(node.value, scope)
            return Outcome(value, (), V.facts_of(value))
        return _decide_rules(node, scope)
    except (EvalFailure, DecimalException) as exc:
        raise PartialFailure(node.name, str(exc)) from None


def _eval(expr, scope: Scope):
    return evaluate(expr.node, expr.checked, scope)


def _guarded(expr, scope: Scope):
    try:
        return _eval(expr, scope)
    except (EvalFailure, DecimalException, TypeError):
        return V.Unknown()


def _decide_rules(node: Decision, scope: Scope) -> Outcome:
    sure: list = []
    maybe: list = []
    waiting: dict = {}
    for rule in node.rules:
        when = True if rule.when is None else _eval(rule.when, scope)
        hit = V.truth(when)
        if hit is True:
            sure.append((rule, _eval(rule.value, scope)))
        elif hit is None:
            waiting[rule.id] = V.facts_of(when)
            maybe.append((rule, _guarded(rule.value, scope)))
    beats = {r.id: frozenset(r.id for r in node.rules) if r.overrides == "all" else frozenset(r.overrides) for r in node.rules}
    default = None
    if not sure:
        default = _eval(node.default, scope) if not maybe else _guarded(node.default, scope)
    if not maybe and all(V.is_known(v) for _, v in sure):
        value, rules, conflict = _resolve(node, sure, beats, default)
        if conflict:
            raise PartialFailure(node.name, "conflicting rules")
        return Outcome(value, rules, V.facts_of(value))
    results = _combinations(node, sure, maybe, beats, default)
    facts = frozenset().union(*waiting.values())
    usable = [(v, r) for v, r, c in results if not c]
    conflict = len(usable) < len(results)
    if not usable:
        return Outcome(V.Unknown(facts=facts), (), facts, waiting, True)
    value = V.join_all([v for v, _ in usable], facts)
    facts |= V.facts_of(*[v for v, _ in usable]) | V.facts_of(*[v for _, v in sure + maybe])
    if V.is_known(value):
        common = [rid for rid in usable[0][1] if all(rid in r for _, r in usable)]
        return Outcome(value, tuple(common), frozenset(), {}, conflict)
    return Outcome(value, (), facts, waiting, conflict)


def _combinations(node, sure, maybe, beats, default) -> list:
    """(value, rules, conflict) for every set of the unknown rules that may fire,
    and every value those of the fired rules whose value is unknown may give."""
    if len(maybe) > MAX_ENUMERATED:
        candidates = [v for _, v in sure + maybe] + ([default] if not sure else [])
        return [(V.join_all(candidates), (), False)]
    out = []
    for size in range(len(maybe) + 1):
        for chosen in combinations(maybe, size):
            for fired in _value_choices(sure + list(chosen)):
                out.append(_resolve(node, fired, beats, default))
    return out


def _value_choices(fired: list) -> list:
    """The fired rules with each unknown value replaced by each value it can take,
    when there are few (a string or a bool); left unknown otherwise."""
    out: list = [[]]
    for rule, value in fired:
        options = None if V.is_known(value) else V.choices(value)
        if options is None or len(out) * len(options) > MAX_VALUE_CHOICES:
            out = [prefix + [(rule, value)] for prefix in out]
        else:
            out = [prefix + [(rule, option)] for prefix in out for option in sorted(options, key=repr)]
    return out


def _resolve(node, fired: list, beats: dict, default):
    """The engine's resolution of the rules that fired: (value, rules, conflict)."""
    if not fired:
        return default, (), False
    if any(not V.is_known(v) for _, v in fired):
        if len(fired) == 1:
            return fired[0][1], (fired[0][0].id,), False
        return V.join_all([v for _, v in fired]), (), False
    values = {rule.id: value for rule, value in fired}
    kept = [
        rid
        for rid in values
        if not any(rid in beats[other] and other != rid and not V.same(values[other], values[rid]) for other in values)
    ]
    if not kept or len({_key(values[rid]) for rid in kept}) > 1:
        return None, (), True
    return values[kept[0]], tuple(kept), False


def _key(value):
    try:
        hash(value)
        return (type(value) is bool, value)
    except TypeError:
        return repr(value)
