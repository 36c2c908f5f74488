"""Runners: one closure per decision, `env -> (value, ids of the rules that decided it)`.

A decision with a value expression runs it; a decision with rules tries them (all of
them, to report every rule that fired and any conflict), unless the rule plan
(engine/ruleplan.py) proved that stopping early changes nothing. A failure inside a
runner is carried out as a `RunFailure` naming the expression that failed, so the
engine can point at it in the policy file.
"""

from __future__ import annotations

from ..lang.compile import FailureAt, compile_expr
from ..lang.runtime import EvalFailure
from ..policy.model import Decision, Expr, PolicyModel
from ..values import dumps, json_value
from .ruleplan import plan_rules


class RunFailure(EvalFailure):
    """Carries a failure out of a runner together with the expression that failed."""

    def __init__(self, message: str, expr: Expr | None, pos, rule_id: str | None, decision: str):
        super().__init__(message)
        self.message, self.expr, self.pos, self.rule_id, self.decision = message, expr, pos, rule_id, decision


_EMPTY = ()


def _shown(value) -> str:
    """A value in a message as it is written in JSON (no Python repr)."""
    return dumps(json_value(value))


def run_steps(steps, env, fired, project_fired) -> None:
    """Run a plan's steps: case-level runs once, per-project runs for each project."""
    for scope, runs in steps:
        if scope == "case":
            for name, run in runs:
                env[name], ids = run(env)
                if ids:
                    fired[name] = ids
        else:
            for project, pfired in zip(env["projects"], project_fired, strict=True):
                env["project"] = project
                for name, run in runs:
                    project[name], ids = run(env)
                    if ids:
                        pfired[name] = ids


def run_isolated(steps, env, fired, project_fired, depends) -> tuple[set, list, list]:
    """Run a plan's steps after one failed: each decision on its own, so a failure
    leaves undecided only that decision and those that depend on it (`depends(name)`:
    every name it reads, through definitions too). Returns (case-level names not
    decided, per project the names not decided, [(failure, project index or None)])."""
    case_failed: set = set()
    project_failed: list[set] = [set() for _ in env["projects"]]
    any_project_failed: set = set()
    failures: list = []
    for scope, runs in steps:
        if scope == "case":
            for name, run in runs:
                if depends(name) & (case_failed | any_project_failed):
                    case_failed.add(name)
                    continue
                try:
                    env[name], ids = run(env)
                except RunFailure as failure:
                    case_failed.add(name)
                    failures.append((failure, None))
                    continue
                if ids:
                    fired[name] = ids
            continue
        for index, (project, pfired) in enumerate(zip(env["projects"], project_fired, strict=True)):
            env["project"] = project
            failed = project_failed[index]
            for name, run in runs:
                if depends(name) & (case_failed | failed):
                    failed.add(name)
                    continue
                try:
                    project[name], ids = run(env)
                except RunFailure as failure:
                    failed.add(name)
                    failures.append((failure, index))
                    continue
                if ids:
                    pfired[name] = ids
            any_project_failed |= failed
    return case_failed, project_failed, failures


def is_decided(name, scope, env) -> bool:
    if scope == "case":
        return name in env
    projects = env["projects"]
    return not projects or name in projects[0]


def _always(env):
    return True


def failure_in(node: Decision):
    """How a failure inside a lazily computed definition is reported."""

    def wrap(exc: EvalFailure) -> RunFailure:
        if isinstance(exc, RunFailure):
            return exc
        return RunFailure(str(exc), node.value, getattr(exc, "pos", None), None, node.name)

    return wrap


def make_runner(node: Decision, model: PolicyModel, lazy: dict, tracer=None):
    """One closure per decision: env -> (value, ids of the rules that decided it)."""
    run = _make_unchecked_runner(node, model, lazy, tracer)
    if not node.values:
        return run
    allowed = frozenset(node.values)
    shown = " | ".join(node.values)

    def run_checked(env):
        value, ids = run(env)
        if value not in allowed:
            expr = node.value or node.default
            raise RunFailure(f"{_shown(value)} is not one of the values of '{node.name}' ({shown})", expr, None, ", ".join(ids) or None, node.name)
        return value, ids

    return run_checked


def _make_unchecked_runner(node: Decision, model: PolicyModel, lazy: dict, tracer=None):
    """The runner proper (a string decision's values are checked around it).

    With a tracer (coverage), each rule's condition reports the value of each of its
    atomic conditions; without one, nothing is recorded."""

    def compiled(expr: Expr, observe=None):
        if tracer is not None and hasattr(tracer, "expression_hooks"):
            observe = {**(observe or {}), **tracer.expression_hooks(expr)}
        return compile_expr(expr.node, expr.checked, lazy, observe).fn

    if node.value is not None:
        return _value_runner(node, compiled(node.value), lazy)

    assert node.default is not None  # a decision has a value or rules and a default
    default = compiled(node.default)
    rules = tuple(
        (
            compiled(r.when, tracer.condition_hooks(node, r) if tracer and hasattr(tracer, "condition_hooks") else None)
            if r.when is not None
            else _always,
            compiled(r.value),
            r.id,
        )
        for r in node.rules
    )
    resolve = _resolver(node)

    def run_rules(env):
        try:
            hits = None
            for rule in rules:
                if rule[0](env):
                    if hits is None:
                        hits = [rule]
                    else:
                        hits.append(rule)
            if hits is None:
                return default(env), _EMPTY
            if len(hits) == 1:
                hit = hits[0]
                return hit[1](env), (hit[2],)
            return resolve(env, hits)
        except RunFailure:
            raise
        except EvalFailure:
            raise _locate_failure(node, env, lazy) from None

    plan = plan_rules(node, model) if tracer is None else None
    if plan is not None and (plan.dominant is not None or plan.exclusive):
        return _planned_runner(node, lazy, rules, plan, default, resolve, run_rules)
    return run_rules


def _value_runner(node: Decision, fn, lazy: dict):
    """The runner of a computed decision: its value, with a failure located in it."""
    name, expr = node.name, node.value

    def run_value(env):
        try:
            return fn(env), _EMPTY
        except RunFailure:
            raise
        except FailureAt as exc:
            raise RunFailure(str(exc), expr, exc.pos, None, name) from None
        except EvalFailure:
            raise _locate_failure(node, env, lazy) from None

    return run_value


def _resolver(node: Decision):
    """How several fired rules of a decision give one value, or a conflict."""
    name = node.name
    ids = [r.id for r in node.rules]
    beats = {r.id: frozenset(ids if r.overrides == "all" else r.overrides) - {r.id} for r in node.rules}

    def resolve(env, hits):
        values = {rid: value_fn(env) for _, value_fn, rid in hits}
        # A rule is set aside when a fired rule that overrides it gives another value.
        kept = [
            rid for rid in values if not any(rid in beats[other] and values[other] != values[rid] for other in values)
        ]
        if not kept:  # every fired rule set aside by another: they override each other
            shown = ", ".join(f"{rid} gives {_shown(values[rid])}" for rid in values)
            first = next(r for r in node.rules if r.id == next(iter(values)))
            raise RunFailure(
                f"conflicting rules: {shown}; they override each other", first.value, None, ", ".join(values), name
            )
        if len({values[rid] for rid in kept}) > 1:
            shown = ", ".join(f"{rid} gives {_shown(values[rid])}" for rid in kept)
            first = next(r for r in node.rules if r.id == kept[1])
            raise RunFailure(
                f"conflicting rules: {shown}; neither overrides the other", first.value, None, ", ".join(kept), name
            )
        return values[kept[0]], tuple(kept)

    return resolve


def _planned_runner(node: Decision, lazy: dict, rules: tuple, plan, default, resolve, full):
    """A runner that stops early where the rule plan proved that changes nothing.
    A rule whose value is a constant has its whole outcome made once, here. When
    something fails, `full` (every rule, in file order) runs instead, so the failure
    reported is the one a full evaluation meets first."""

    def outcome(index):
        is_constant, value = plan.constants[index]
        return (value, (rules[index][2],)) if is_constant else None

    def entries(indices):
        return tuple((*rules[i], (rules[i][2],), outcome(i)) for i in indices)

    first = rules[plan.dominant] if plan.dominant is not None else None
    first_outcome = outcome(plan.dominant) if first is not None else None
    assert node.default is not None
    compiled_default = compile_expr(node.default.node, node.default.checked, lazy)
    fallback = (compiled_default.constant, _EMPTY) if compiled_default.is_constant else None
    if not plan.exclusive:
        return _after_dominant(first, first_outcome, entries(plan.order), fallback, default, resolve, full)

    ordered = entries(plan.order)
    # The deciding rule's test, when it is one safe test of a field (`regulation ==
    # "FOA"`) with a constant outcome: made here, with no call.
    first_when = node.rules[plan.dominant].when if first is not None and first_outcome is not None else None
    first_test = _field_test(compile_expr(first_when.node, first_when.checked, lazy)) if first_when else None
    fa, fb, ft, fk = first_test or (None, None, None, None)
    # A split test (`supplier.country == "NO"`) leaves only the rules that can still fire.
    split = plan.split
    split_test = _field_test(compile_expr(split.node, split.checked, lazy)) if split is not None else None
    if_true = entries(split.when_true) if split_test else ordered
    if_false = entries(split.when_false) if split_test else ordered
    sa, sb, st, sk = split_test or (None, None, None, None)

    def run_exclusive(env):
        try:
            if first is not None:
                if ft is not None:
                    if ft(env[fa][fb], fk):
                        return first_outcome
                elif first[0](env):
                    return first_outcome or (first[1](env), (first[2],))
            candidates = ordered if st is None else if_true if st(env[sa][sb], sk) else if_false
            for when, value, _, ids, fixed in candidates:
                if when(env):
                    return fixed or (value(env), ids)
            return fallback or (default(env), _EMPTY)
        except EvalFailure:
            return full(env)

    return run_exclusive


def _field_test(compiled) -> tuple | None:
    """(a, b, test, const) when `compiled` is one test of env[a][b] that cannot fail."""
    test = compiled.field_test
    return test.parts if test is not None and test.safe else None


def _after_dominant(first, first_outcome, ordered, fallback, default, resolve, full):
    """The deciding rule first; when it does not fire, every other rule, as usual."""
    plain = tuple(rule[:3] for rule in ordered)

    def run_after_dominant(env):
        try:
            if first[0](env):
                return first_outcome or (first[1](env), (first[2],))
            hits = [rule for rule in plain if rule[0](env)]
            if not hits:
                return fallback or (default(env), _EMPTY)
            if len(hits) == 1:
                return hits[0][1](env), (hits[0][2],)
            return resolve(env, hits)
        except EvalFailure:
            return full(env)

    return run_after_dominant


def _locate_failure(node: Decision, env, lazy) -> RunFailure:
    """Re-run a failed decision's expressions one by one to say which one failed."""
    candidates: list[tuple[str | None, Expr]] = [(None, node.value)] if node.value is not None else []
    for rule in node.rules:
        if rule.when is not None:
            candidates.append((rule.id, rule.when))
    for rule in node.rules:
        candidates.append((rule.id, rule.value))
    if node.default is not None:
        candidates.append((None, node.default))
    for rule_id, expr in candidates:
        try:
            compile_expr(expr.node, expr.checked, lazy, precise=True).fn(env)
        except FailureAt as exc:
            return RunFailure(str(exc), expr, exc.pos, rule_id, node.name)
        except EvalFailure as exc:
            return RunFailure(str(exc), expr, None, rule_id, node.name)
    return RunFailure("conflicting rules, or a failure that could not be located", None, None, None, node.name)


