"""Which of a decision's rules need evaluating for a case: found once, when the policy loads.

The engine normally evaluates every rule of a decision, to report every rule that
fired and any conflict. Two facts, proved from the policy text, let it stop early
with exactly the same result:

- a rule that overrides all others, whose constant value no other rule gives
  (E-FOA: `false` against triggers that all give `true`), decides alone whenever
  it fires; the others could only be set aside;
- rules whose conditions cannot hold together never fire together. Each condition is
  read as a conjunction; two rules are exclusive when one conjunct of each constrains
  the same case field so that no value satisfies both (`value > threshold` and
  `value <= threshold`; `country != "NO"` and `country == "NO"`; `channel == "direct"`
  and `channel in ["NSPA", "FMS"]`). Boolean definitions are read through
  (`foreign_supplier` is `supplier.country != home_country`). When every pair of
  rules is exclusive, the first rule that fires is the only one: the rest are
  skipped, and the cheapest conditions are tried first. A test of one field that
  some of them require and others exclude (`supplier.country == "NO"`) is made
  first, and only the rules it leaves are tried.

A rule that is skipped is not evaluated, so a value missing from it (null) is not
reported, just as `a and b` does not evaluate `b` when `a` is false. Traced builds
(coverage, boundaries) evaluate every rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..lang import ast
from ..lang import types as T
from ..lang.analysis import COMPARE, MEMBERSHIP, chain, cost
from ..lang.compile import compile_expr
from ..lang.runtime import EXACT  # sums and halves of finite decimals are exact in it
from ..policy.model import Decision, Expr, PolicyModel

_FAIL = object()  # a comparison that fails at run time (an order on null): not satisfied


@dataclass(frozen=True)
class Split:
    """One test of a field that tells which exclusive rules can still fire: those of
    `when_true` when it holds, those of `when_false` when not (each in `order`'s order)."""

    node: ast.Node  # the test, as written in a rule (compile it with `expr.checked`)
    expr: Expr
    when_true: tuple
    when_false: tuple


@dataclass(frozen=True)
class RulePlan:
    dominant: int | None  # index of the rule that decides alone when it fires
    exclusive: bool  # every other pair of rules is exclusive: the first that fires is the only one
    order: tuple  # the other rules' indices, in the order to try them
    split: Split | None = None  # with exclusive rules: a test that rules some of them out
    constants: tuple = ()  # per rule: (True, its value) when the value is a constant, else (False, None)


@dataclass(frozen=True)
class _Atom:
    path: tuple  # (name kind, name, field, ...)
    kind: str  # "decimal", "date", "string" or "bool": the values to try
    test: Callable[[object], object]  # value -> True / False / _FAIL
    constants: tuple
    origin: tuple | None = None  # (node, expr): the test as written
    negated: bool = False  # this atom is the negation of that test


def plan_rules(node: Decision, model: PolicyModel) -> RulePlan:
    rules = node.rules
    constants = [_constant(r.value) for r in rules]
    dominant = _dominant(rules, constants)
    rest = [i for i in range(len(rules)) if i != dominant]
    atoms = {i: _conjuncts(when, model, 0) if (when := rules[i].when) is not None else [] for i in rest}
    exclusive = len(rest) > 1 and all(
        _exclusive(atoms[i], atoms[j]) for n, i in enumerate(rest) for j in rest[n + 1 :]
    )
    if not exclusive:
        return RulePlan(dominant, False, tuple(rest), None, tuple(constants))
    costs = {i: _cost(rules[i].when, model) for i in rest}
    rest.sort(key=lambda i: costs[i])
    return RulePlan(dominant, True, tuple(rest), _split(rest, atoms), tuple(constants))


def _split(order: list, atoms: dict) -> Split | None:
    """The test of a field (written in one of the rules) that rules out the most rules:
    `supplier.country == "NO"` leaves only R-NORWEGIAN-SUPPLIER-FOREIGN-PARTS when it
    holds and only the three foreign triggers when not."""
    best, best_score = None, 0
    for i in order:
        for atom in atoms[i]:
            if atom.origin is None or len(atom.path) != 3:
                continue  # the runner reads env[name][field]
            holds = [j for j in order if not _exclusive([atom], atoms[j])]
            fails = [j for j in order if not _exclusive([_negated(atom)], atoms[j])]
            score = 2 * len(order) - len(holds) - len(fails)
            if score > best_score:
                best, best_score = (atom, holds, fails), score
    if best is None:
        return None
    atom, holds, fails = best
    node, expr = atom.origin
    if atom.negated:  # the test as written is the opposite of this atom
        holds, fails = fails, holds
    return Split(node, expr, tuple(holds), tuple(fails))


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


# -- conditions as conjunctions of atoms -----------------------------------------------

_MAX_DEPTH = 8  # definitions read through, at most this deep


def _conjuncts(expr: Expr, model: PolicyModel, depth: int) -> list[_Atom]:
    """The atoms a condition requires (the conjuncts this analysis understands)."""
    out: list[_Atom] = []
    for part in chain(expr.node, "and"):
        out.extend(_atoms_of(part, expr, model, depth))
    return out


def _atoms_of(node, expr: Expr, model: PolicyModel, depth: int) -> list[_Atom]:
    negate = False
    while isinstance(node, ast.Unary) and node.op == "not":
        negate, node = not negate, node.operand
    definition = _definition(node, expr, model)
    if definition is not None and not negate:
        assert definition.value is not None  # _definition only returns those with a value
        return _conjuncts(definition.value, model, depth + 1) if depth < _MAX_DEPTH else []
    # The negation of a conjunction is not a conjunction: only a single test negates.
    atom = _exact_atom(node, expr, model, depth)
    if atom is None:
        return []
    return [_negated(atom) if negate else atom]


def _exact_atom(node, expr: Expr, model: PolicyModel, depth: int) -> _Atom | None:
    """The test `node` is, exactly, when it is one test (read through definitions that
    are one test, or the negation of one); None when it is anything more."""
    negate = False
    while isinstance(node, ast.Unary) and node.op == "not":
        negate, node = not negate, node.operand
    definition = _definition(node, expr, model)
    if definition is not None:
        if depth >= _MAX_DEPTH:
            return None
        assert definition.value is not None  # _definition only returns those with a value
        atom = _exact_atom(definition.value.node, definition.value, model, depth + 1)
    else:
        atom = _atom(node, expr)
    if atom is None:
        return None
    return _negated(atom) if negate else atom


def _definition(node, expr: Expr, model: PolicyModel) -> Decision | None:
    if not isinstance(node, ast.Name):
        return None
    info = expr.checked.names.get(id(node))
    if info is None or info.kind not in ("computed", "project_computed"):
        return None
    target = model.nodes.get(node.name)
    if target is None or target.output or target.value is None:
        return None
    return target


def _atom(node, expr: Expr) -> _Atom | None:
    checked = expr.checked
    path = _path(node, checked)
    origin = (node, expr)
    if path is not None:  # a boolean field on its own
        if _kind(checked.types.get(id(node))) != "bool":
            return None
        return _Atom(path, "bool", lambda v: bool(v), (), origin)
    if not isinstance(node, ast.Binary):
        return None
    path = _path(node.left, checked)
    const = _literal(node.right, expr)
    if path is None or const is _FAIL:
        return None
    kind = _kind(checked.types.get(id(node.left)))
    if kind is None:
        return None
    op = node.op
    if op in MEMBERSHIP:
        if not isinstance(const, list | tuple):
            return None
        pool = tuple(const)
        inside = op == "in"
        return _Atom(path, kind, lambda v: (v in pool) == inside, pool, origin)
    cmp = COMPARE.get(op)
    if cmp is None or (op not in ("==", "!=") and kind not in ("decimal", "date")):
        return None

    def test(value):
        try:
            return cmp(value, const)
        except TypeError:
            return _FAIL

    return _Atom(path, kind, test, (const,), origin)


def _negated(atom: _Atom) -> _Atom:
    test = atom.test

    def negated(value):
        result = test(value)
        return result if result is _FAIL else not result

    return _Atom(atom.path, atom.kind, negated, atom.constants, atom.origin, not atom.negated)


def _path(node, checked) -> tuple | None:
    """(name kind, name, field, ...) of a path the case fixes for the whole evaluation."""
    base, fields = ast.split_path(node)
    if not isinstance(base, ast.Name):
        return None
    info = checked.names.get(id(base))
    if info is None or info.kind not in ("case", "project", "computed", "project_computed"):
        return None
    return (info.kind, base.name, *fields)


def _literal(node, expr: Expr):
    compiled = compile_expr(node, expr.checked)
    return compiled.constant if compiled.is_constant else _FAIL


def _kind(typ) -> str | None:
    if isinstance(typ, T.Optional):
        typ = typ.inner
    if isinstance(typ, T.Str):
        return "string"
    name = str(typ)
    if name in ("number", "money", "share"):
        return "decimal"
    if name in ("date", "bool"):
        return name
    return None


# -- exclusivity -----------------------------------------------------------------------


def _exclusive(first: list[_Atom], second: list[_Atom]) -> bool:
    """No case satisfies both conjunctions: some field allows no value for both."""
    return any(
        a.path == b.path and a.kind == b.kind and not any(_holds(a, v) and _holds(b, v) for v in _witnesses(a, b))
        for a in first
        for b in second
    )


def _holds(atom: _Atom, value) -> bool:
    return atom.test(value) is True


def _witnesses(a: _Atom, b: _Atom) -> list:
    """Values that stand for every value of the field: each constant, and one value in
    each open interval the constants leave (both atoms are constant on such an interval)."""
    constants = [*a.constants, *b.constants]
    out: list = [None, *constants]
    if a.kind == "bool":
        return out + [True, False]
    if a.kind == "string":
        return out + ["\x00 none of the constants"]
    if a.kind == "decimal":
        points = sorted({c for c in constants if isinstance(c, Decimal)})
        if not points:
            return out + [Decimal(0)]
        # Exact whatever the size of the constants: a rounded witness could fall on one.
        out += [EXACT.subtract(points[0], 1), EXACT.add(points[-1], 1)]
        out += [EXACT.multiply(EXACT.add(x, y), _HALF) for x, y in zip(points, points[1:], strict=False)]
        return out
    dates = sorted({c for c in constants if isinstance(c, dt.date)})
    if not dates:
        return out + [dt.date(2000, 1, 1)]
    one = dt.timedelta(days=1)
    out += [p - one for p in dates if p > dt.date.min]
    out += [p + one for p in dates if p < dt.date.max]
    return out


_HALF = Decimal("0.5")


# -- cost, to try cheap conditions first ---------------------------------------------


def _cost(expr: Expr | None, model: PolicyModel, depth: int = 0) -> int:
    """The work of a condition, a definition it reads counted with the work of its own."""
    if expr is None:
        return 0

    def name_cost(name: ast.Name) -> int:
        definition = _definition(name, expr, model)
        if definition is None or depth >= _MAX_DEPTH:
            return 1
        return 1 + _cost(definition.value, model, depth + 1)

    return cost(expr.node, name_cost)


__all__ = ["RulePlan", "Split", "plan_rules"]
