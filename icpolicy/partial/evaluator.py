"""Three-valued evaluation of one checked expression.

A plain recursive walk over the AST (as tests/lang/ref_interpreter.py walks it),
where any value may be unknown (see values.py). Known operands give exactly what the
engine gives: the same decimal contexts, the same date arithmetic. Unknown ones give
an unknown with what can still be said: `and`/`or`/`if`/`not` follow Kleene's logic,
arithmetic carries bounds (intervals), and a comparison is decided when the bounds
force it (a value known to be at most 80 MNOK is not above 100 MNOK).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, DecimalException

from ..lang import ast
from ..lang.runtime import CTX, EXACT, EvalFailure, shift_date
from . import values as V
from .calls import call
from .intervals import arith_bounds, compare_bounds, equal3


@dataclass
class Scope:
    """What names mean for one evaluation: the case, parameters, computed values,
    the current project and lambda variables."""

    case: dict
    params: dict
    computed: dict
    project: dict | None = None
    local: dict = field(default_factory=dict)
    overrides: dict = field(default_factory=dict)  # id(node) -> forced value (what-if)

    def bind(self, name: str, value) -> Scope:
        return Scope(self.case, self.params, self.computed, self.project, {**self.local, name: value}, self.overrides)


def evaluate(node: ast.Node, checked, scope: Scope):
    """The value of `node`, known or unknown; EvalFailure where the engine fails."""
    forced = scope.overrides.get(id(node), _NONE)
    if forced is not _NONE:
        return forced
    return _EVAL[type(node)](node, checked, scope)


_NONE = object()


def _literal(node, checked, scope):
    return node.value


def _list(node, checked, scope):
    return [evaluate(item, checked, scope) for item in node.items]


def _name(node, checked, scope):
    info = checked.names.get(id(node)) if checked is not None else None
    kind = info.kind if info is not None else None
    name = node.name
    if kind == "local" or (kind is None and name in scope.local):
        return scope.local[name]
    if kind == "project":
        return scope.project
    if kind == "project_computed":
        return scope.project[name]
    if kind == "param":
        return scope.params[name]
    if kind == "computed":
        return scope.computed[name]
    if name in scope.case:
        return scope.case[name]
    raise EvalFailure(f"unbound name {name}")


def _field(node, checked, scope):
    target = evaluate(node.target, checked, scope)
    if isinstance(target, dict):
        return target.get(node.name)
    if target is None:
        raise EvalFailure("a value is missing (null)")
    return V.Unknown(facts=V.facts_of(target))


def _unary(node, checked, scope):
    value = evaluate(node.operand, checked, scope)
    if node.op == "not":
        known = V.truth(value)
        return V.unknown_bool(value) if known is None else not known
    if V.is_known(value):
        if value is None:
            raise EvalFailure("a value is missing (null)")
        return CTX.minus(value)
    lo, hi = V.bounds(value)
    return V.Unknown(
        None if hi is None else CTX.minus(hi), None if lo is None else CTX.minus(lo), None, V.facts_of(value)
    )


def _guarded(node, checked, scope):
    """Evaluate a branch that may not be taken: its failure is only a possibility."""
    try:
        return evaluate(node, checked, scope)
    except (EvalFailure, DecimalException, TypeError):
        return V.Unknown()


def _boolop(node, checked, scope):
    left = evaluate(node.left, checked, scope)
    lt = V.truth(left)
    stop = node.op == "or"  # the value of the left side that decides alone
    if lt is stop:
        return stop
    if lt is not None:
        return evaluate(node.right, checked, scope)
    right = _guarded(node.right, checked, scope)
    rt = V.truth(right)
    if rt is stop:
        return stop
    return V.unknown_bool(left, right)


def _if(node, checked, scope):
    cond = evaluate(node.cond, checked, scope)
    known = V.truth(cond)
    if known is True:
        return evaluate(node.then, checked, scope)
    if known is False:
        return evaluate(node.other, checked, scope)
    then = _guarded(node.then, checked, scope)
    other = _guarded(node.other, checked, scope)
    return V.join(then, other, V.facts_of(cond))


def _binary(node, checked, scope):
    op = node.op
    a = evaluate(node.left, checked, scope)
    b = evaluate(node.right, checked, scope)
    if op in ("+", "-", "*", "/"):
        return arith(op, a, b)
    if op in ("==", "!="):
        same = equal3(a, b)
        if same is None:
            return V.unknown_bool(a, b)
        return same if op == "==" else not same
    if op in ("in", "not in"):
        found = _member(a, b)
        if found is None:
            return V.unknown_bool(a, b)
        return found if op == "in" else not found
    if V.is_known(a) and V.is_known(b):
        if a is None or b is None:
            raise EvalFailure("a value is missing (null)")
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    if a is None or b is None:
        raise EvalFailure("a value is missing (null)")
    decided = compare_bounds(op, V.bounds(a), V.bounds(b))
    return V.unknown_bool(a, b) if decided is None else decided


def _member(item, items) -> bool | None:
    """`item in items`, three-valued."""
    if isinstance(items, (V.UnknownList, V.Unknown)):
        return None
    pairs = items.items if isinstance(items, V.MaybeList) else [(x, True) for x in items]
    possible = V.choices(item)
    if possible is not None and len(possible) > 1 and all(sure and V.is_known(x) for x, sure in pairs):
        hits = {c for c in possible if any(V.same(c, x) for x, _ in pairs)}
        return True if hits == possible else False if not hits else None
    undecided = False
    for x, sure in pairs:
        same = equal3(item, x)
        if same is True and sure:
            return True
        if same is not False:
            undecided = True
    return None if undecided else False


def arith(op: str, a, b):
    """`a op b` for + - * /: exact when both are known, bounds otherwise."""
    if V.is_known(a) and V.is_known(b):
        return _known_arith(op, a, b)
    if a is None or b is None:
        raise EvalFailure(f"a value is missing (null) in {op}")
    facts = V.facts_of(a, b)
    if isinstance(b, ast.Duration) and op in ("+", "-"):
        lo, hi = V.bounds(a)
        sign = 1 if op == "+" else -1
        return V.Unknown(
            None if lo is None else shift_date(lo, b, sign), None if hi is None else shift_date(hi, b, sign), None, facts
        )
    if isinstance(a, (list, V.MaybeList, V.UnknownList)) or isinstance(b, (list, V.MaybeList, V.UnknownList)):
        return V.Unknown(facts=facts)
    lo, hi = arith_bounds(op, V.bounds(a), V.bounds(b))
    return V.make(lo, hi, facts=facts)


def _known_arith(op: str, a, b):
    if a is None or b is None:
        raise EvalFailure(f"a value is missing (null) in {op}")
    if isinstance(a, list) and isinstance(b, list):
        return a + b if op == "+" else _fail(op)
    if isinstance(a, ast.Duration) and isinstance(b, ast.Duration):
        sign = 1 if op == "+" else -1
        return ast.Duration(a.years + sign * b.years, a.days + sign * b.days)
    if isinstance(a, ast.Duration) and isinstance(b, dt.date) and op == "+":
        a, b = b, a
    if isinstance(a, dt.date) and isinstance(b, ast.Duration):
        return shift_date(a, b, 1 if op == "+" else -1)
    if isinstance(a, dt.date) and isinstance(b, dt.date) and op == "-":
        return Decimal((a - b).days)
    if op == "/" and b == 0:
        raise EvalFailure("division by zero")
    fn = {"+": EXACT.add, "-": EXACT.subtract, "*": EXACT.multiply, "/": CTX.divide}[op]
    try:
        return fn(a, b)
    except DecimalException:
        raise EvalFailure(f"{a} {op} {b} cannot be computed exactly") from None


def _fail(op):
    raise EvalFailure(f"cannot apply {op}")


def _call(node, checked, scope):
    lam = next((a for a in node.args if isinstance(a, ast.Lambda)), None)
    args = [evaluate(a, checked, scope) for a in node.args if not isinstance(a, ast.Lambda)]
    body = None
    if lam is not None:

        def body(item, lam=lam):
            return evaluate(lam.body, checked, scope.bind(lam.param, item))

    return call(node.func, args, body)


_EVAL = {
    ast.Literal: _literal,
    ast.ListExpr: _list,
    ast.Name: _name,
    ast.Field: _field,
    ast.Unary: _unary,
    ast.BoolOp: _boolop,
    ast.IfExpr: _if,
    ast.Binary: _binary,
    ast.Call: _call,
}
