"""Which of a decision's rules need evaluating for a case: found once, when the policy loads.

The engine normally evaluates every rule of a decision, to report every rule that
fired and any conflict. Two facts, proved from the policy text, let it stop early
with exactly the same result:

- a rule that overrides all others, whose constant value no other rule gives
  (E-FOA: `false` against triggers that all give `true`), decides alone whenever
  it fires; the others could only be set aside;
- rules whose conditions cannot hold together never fire together. The proof is
  lang/conditions.py's, the one the loader's conflict check uses: each condition is
  read as a disjunction of conjunctions of tests of fields, and two rules are
  exclusive when each pair of those asks of some field what no value gives
  (`value > threshold` and `value <= threshold`; `country != "NO"` and
  `country == "NO"`; `channel == "direct"` and `channel in ["NSPA", "FMS"]`).
  Boolean definitions are read through (`foreign_supplier` is
  `supplier.country != home_country`). When every pair of rules is exclusive, the first rule that fires is the only one: the rest are
  skipped, and the cheapest conditions are tried first. A test of one field that
  some of them require and others exclude (`supplier.country == "NO"`) is made
  first, and only the rules it leaves are tried.

A rule that is skipped is not evaluated, so a value missing from it (null) is not
reported, just as `a and b` does not evaluate `b` when `a` is false. Traced builds
(coverage, boundaries) evaluate every rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..lang import ast
from ..lang.analysis import cost
from ..lang.checker import Checked
from ..lang.compile import compile_expr
from ..lang.conditions import ANY, DNF, MAX_DEPTH, Conjunction, Test, disjuncts, exclusive
from ..policy.model import Decision, Expr, PolicyModel
from ..policy.rulechecks import definition_resolver

SPLIT_RULES_AT_MOST = 64  # a split is looked for among this many exclusive rules at most


@dataclass(frozen=True)
class Split:
    """One test of a field that tells which exclusive rules can still fire: those of
    `when_true` when it holds, those of `when_false` when not (each in `order`'s order)."""

    node: ast.Node  # the test, as written in a rule (compile it with `checked`)
    checked: Checked
    when_true: tuple
    when_false: tuple


@dataclass(frozen=True)
class RulePlan:
    dominant: int | None  # index of the rule that decides alone when it fires
    exclusive: bool  # every other pair of rules is exclusive: the first that fires is the only one
    order: tuple  # the other rules' indices, in the order to try them
    split: Split | None = None  # with exclusive rules: a test that rules some of them out
    constants: tuple = ()  # per rule: (True, its value) when the value is a constant, else (False, None)


def plan_rules(node: Decision, model: PolicyModel) -> RulePlan:
    rules = node.rules
    constants = [_constant(r.value) for r in rules]
    dominant = _dominant(rules, constants)
    rest = [i for i in range(len(rules)) if i != dominant]
    resolve = definition_resolver(model.nodes)
    readings = {i: disjuncts(when.node, when.checked, resolve) if (when := rules[i].when) is not None else [ANY] for i in rest}
    is_exclusive = len(rest) > 1 and all(
        exclusive(readings[i], readings[j]) for n, i in enumerate(rest) for j in rest[n + 1 :]
    )
    if not is_exclusive:
        return RulePlan(dominant, False, tuple(rest), None, tuple(constants))
    costs = {i: _cost(rules[i].when, model) for i in rest}
    rest.sort(key=lambda i: costs[i])
    return RulePlan(dominant, True, tuple(rest), _split(rest, readings), tuple(constants))


def _split(order: list, readings: dict[int, DNF]) -> Split | None:
    """The test of a field (written in one of the rules) that rules out the most rules:
    `supplier.country == "NO"` leaves only R-NORWEGIAN-SUPPLIER-FOREIGN-PARTS when it
    holds and only the three foreign triggers when not."""
    if len(order) > SPLIT_RULES_AT_MOST:
        return None  # the search is quadratic; such a decision tries its rules in turn
    best: tuple | None = None
    best_score = 0
    for test in _written_tests(order, readings):
        alone, opposite = [Conjunction((test,))], [Conjunction((test.negation(),))]
        holds = [j for j in order if not exclusive(alone, readings[j])]
        fails = [j for j in order if not exclusive(opposite, readings[j])]
        score = 2 * len(order) - len(holds) - len(fails)
        if score > best_score:
            best, best_score = (test, holds, fails), score
    if best is None:
        return None
    test, holds, fails = best
    node, checked = test.origin
    if test.negated:  # the test as written is the opposite of this one
        holds, fails = fails, holds
    return Split(node, checked, tuple(holds), tuple(fails))


def _written_tests(order: list, readings: dict[int, DNF]) -> list[Test]:
    """The tests of one field of a case name (the runner reads env[name][field]), once each."""
    seen: dict[int, Test] = {}
    for i in order:
        for conjunction in readings[i]:
            for test in conjunction:
                if test.origin is not None and len(test.path) == 3 and id(test.origin[0]) not in seen:
                    seen[id(test.origin[0])] = test
    return list(seen.values())


# -- the rule that decides alone ---------------------------------------------------


def _constant(expr: Expr):
    compiled = compile_expr(expr.node, expr.checked)
    return (True, compiled.constant) if compiled.is_constant else (False, None)


def _dominant(rules, constants) -> int | None:
    """The one rule that overrides all others with a constant value none of them gives."""
    candidates = [i for i, r in enumerate(rules) if r.overrides == "all" and r.when is not None and constants[i][0]]
    if len(candidates) != 1:
        return None
    d = candidates[0]
    value = constants[d][1]
    for i, rule in enumerate(rules):
        if i == d:
            continue
        overrides_d = rule.overrides == "all" or rules[d].id in rule.overrides
        if overrides_d or not constants[i][0] or constants[i][1] == value:
            return None
    return d


# -- cost, to try cheap conditions first ---------------------------------------------


def _cost(expr: Expr | None, model: PolicyModel, depth: int = 0) -> int:
    """The work of a condition, a definition it reads counted with the work of its own."""
    if expr is None:
        return 0

    def name_cost(name: ast.Name) -> int:
        definition = _definition(name, expr, model)
        if definition is None or depth >= MAX_DEPTH:
            return 1
        return 1 + _cost(definition.value, model, depth + 1)

    return cost(expr.node, name_cost)


def _definition(node: ast.Name, expr: Expr, model: PolicyModel) -> Decision | None:
    info = expr.checked.names.get(id(node))
    if info is None or info.kind not in ("computed", "project_computed"):
        return None
    target = model.nodes.get(node.name)
    if target is None or target.output or target.value is None:
        return None
    return target


__all__ = ["RulePlan", "Split", "plan_rules"]
