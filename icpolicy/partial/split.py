"""Case splitting: an unknown yes/no value that several later values read (whether
an ICA is required) makes them look independent when they are not. `obligation_fulfilled
= ica_required and total_credit_nok >= obligation_nok` is false whatever the case
when there is no credit and the obligation is positive whenever an ICA is required;
evaluated once, with `ica_required` unknown, it looks open.

So the case is also decided in each world where such a value is taken as each of
its few possible values, and every later value that all worlds decide alike is
decided. Sound: the value is one of them, and each world over-approximates.
"""

from __future__ import annotations

import copy
from itertools import product

from . import values as V
from .decide import Outcome, PartialFailure, Run, run_model

MAX_SPLIT_NAMES = 2
MAX_WORLDS = 8


def run_with_splits(model, case: dict, overrides: dict | None = None) -> Run:
    base = run_model(model, copy.deepcopy(case), overrides)
    names = _split_names(model, base)
    if not names:
        return base
    options = [sorted(V.choices(base.outcomes[n].value) or (), key=repr) for n in names]
    worlds = []
    for combo in product(*options):
        try:
            worlds.append(run_model(model, copy.deepcopy(case), overrides, dict(zip(names, combo, strict=True))))
        except PartialFailure:
            return base  # some world fails: the splits would tell nothing sure
    _tighten(base, worlds, set(names))
    return base


def _split_names(model, run: Run) -> list[str]:
    """Unknown case-level values of a small domain that other values read."""
    readers: dict = {}
    for name, deps in model.deps.items():
        for dep in deps:
            readers.setdefault(dep, set()).add(name)
    out: list = []
    worlds = 1
    for name in model.order:
        outcome = run.outcomes.get(name)
        if outcome is None or V.is_known(outcome.value) or not readers.get(name):
            continue
        choices = V.choices(outcome.value)
        if choices is None or not 1 < len(choices) <= 4 or worlds * len(choices) > MAX_WORLDS:
            continue
        out.append(name)
        worlds *= len(choices)
        if len(out) == MAX_SPLIT_NAMES:
            break
    return out


def _tighten(base: Run, worlds: list[Run], split: set) -> None:
    for name, outcome in list(base.outcomes.items()):
        if name in split or V.is_known(outcome.value):
            continue
        tighter = _joined(outcome, [w.outcomes[name] for w in worlds])
        base.outcomes[name] = tighter
        base.scope.computed[name] = tighter.value
    for i, outcomes in enumerate(base.project_outcomes):
        for name, outcome in list(outcomes.items()):
            if V.is_known(outcome.value):
                continue
            tighter = _joined(outcome, [w.project_outcomes[i][name] for w in worlds])
            outcomes[name] = tighter
            base.projects[i][name] = tighter.value


def _joined(base: Outcome, outcomes: list[Outcome]) -> Outcome:
    values = [o.value for o in outcomes]
    value = V.join_all(values)
    if V.is_known(value):
        common = [rid for rid in outcomes[0].rules if all(rid in o.rules for o in outcomes)]
        return Outcome(value, tuple(common), frozenset(), {}, base.conflict)
    if isinstance(value, V.Unknown):
        value = V.Unknown(value.lo, value.hi, value.choices, base.facts)
    return Outcome(value, base.rules, base.facts, base.waiting, base.conflict)
