"""A tiny reference interpreter for icpolicy expressions, for differential tests.

A plain recursive walk over `icpolicy.lang.ast` nodes, written from the language's
documented meaning and sharing no code with the compiler or the runtime:

- numbers, money and shares are Decimals; + - *, negation and abs are exact
  whatever the digits; / rounds to 60 digits, half to even;
- `and`, `or` and `if` evaluate only what they need;
- a missing value (None) in arithmetic or an ordering comparison, a division by
  zero, or a date out of range is a failure (`RefFailure`);
- a date plus or minus whole years keeps the day, except 29 February, which
  becomes 28 February in a year without one; then days are added;
- lists compare equal when their items do, whatever Python sequence holds them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DecimalException,
    Inexact,
)

from icpolicy.lang import ast

CTX = Context(prec=60, rounding=ROUND_HALF_EVEN)
# Sums, differences and products are exact, however many digits they take.
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, rounding=ROUND_HALF_EVEN, traps=[Inexact])


class RefFailure(Exception):
    """The expression has no value for this environment."""


def evaluate(node: ast.Node, env: dict):
    """The value of `node` with the names in `env` (a read-only mapping)."""
    return _EVAL[type(node)](node, env)


def _literal(node, env):
    return node.value


def _list(node, env):
    return [evaluate(item, env) for item in node.items]


def _name(node, env):
    if node.name not in env:
        raise RefFailure(f"unbound name {node.name}")
    return env[node.name]


def _field(node, env):
    target = evaluate(node.target, env)
    if target is None:
        raise RefFailure("field of a missing value")
    return target[node.name]


def _unary(node, env):
    value = evaluate(node.operand, env)
    if node.op == "not":
        return not value
    if value is None:
        raise RefFailure("negating a missing value")
    return _decimal_op(EXACT.minus, value)


def _boolop(node, env):
    left = evaluate(node.left, env)
    if node.op == "and":
        return evaluate(node.right, env) if left else False
    return True if left else evaluate(node.right, env)


def _if(node, env):
    return evaluate(node.then if evaluate(node.cond, env) else node.other, env)


def _decimal_op(fn, *args):
    try:
        return fn(*args)
    except DecimalException as exc:
        raise RefFailure(f"decimal failure: {exc!r}") from None


def shift_date(day: dt.date, years: int, days: int) -> dt.date:
    year = day.year + years
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise RefFailure("date out of range")
    last = calendar.monthrange(year, day.month)[1]
    moved = dt.date(year, day.month, min(day.day, last))
    try:
        return moved + dt.timedelta(days=days)
    except OverflowError:
        raise RefFailure("date out of range") from None


def _arith(op, a, b):
    if a is None or b is None:
        raise RefFailure(f"missing value in {op}")
    if isinstance(a, ast.Duration) and isinstance(b, ast.Duration):
        sign = 1 if op == "+" else -1
        return ast.Duration(a.years + sign * b.years, a.days + sign * b.days)
    if isinstance(a, ast.Duration) and isinstance(b, dt.date) and op == "+":
        a, b = b, a
    if isinstance(a, dt.date) and isinstance(b, ast.Duration):
        sign = 1 if op == "+" else -1
        return shift_date(a, sign * b.years, sign * b.days)
    if op == "/" and b == 0:
        raise RefFailure("division by zero")
    fn = {"+": EXACT.add, "-": EXACT.subtract, "*": EXACT.multiply, "/": CTX.divide}[op]
    return _decimal_op(fn, a, b)


def _same(a, b) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _binary(node, env):
    op = node.op
    a = evaluate(node.left, env)
    b = evaluate(node.right, env)
    if op in ("+", "-", "*", "/"):
        return _arith(op, a, b)
    if op == "==":
        return _same(a, b)
    if op == "!=":
        return not _same(a, b)
    if op in ("in", "not in"):
        found = any(_same(a, item) for item in b)
        return found if op == "in" else not found
    if a is None or b is None:
        raise RefFailure("ordering a missing value")
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _present(values):
    if any(v is None for v in values):
        raise RefFailure("missing value")
    return values


def _call(node, env):
    name = node.func
    lam = next((a for a in node.args if isinstance(a, ast.Lambda)), None)
    args = [evaluate(a, env) for a in node.args if not isinstance(a, ast.Lambda)]
    if name in ("sum", "count", "any", "all", "filter"):
        items = list(args[0])

        def body(item):
            return evaluate(lam.body, {**env, lam.param: item})

        if name == "sum":
            total = Decimal(0)
            for item in items:
                value = body(item) if lam else item
                if value is None:
                    raise RefFailure("missing value in sum")
                total = _decimal_op(EXACT.add, total, value)
            return total
        if name == "count":
            return Decimal(len(items) if lam is None else sum(1 for item in items if body(item)))
        if name == "any":
            return any(body(item) for item in items)
        if name == "all":
            return all(body(item) for item in items)
        return [item for item in items if body(item)]
    if name == "min":
        return min(_present(args))
    if name == "max":
        return max(_present(args))
    if name == "abs":
        return _decimal_op(EXACT.abs, _present(args)[0])
    if name == "round":
        value = _present(args)[0]
        places = int(args[1]) if len(args) > 1 else 0
        return _decimal_op(
            lambda: value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=CTX)
        )
    if name == "coalesce":
        return args[1] if args[0] is None else args[0]
    if name == "date":
        try:
            return dt.date.fromisoformat(args[0])
        except (TypeError, ValueError):
            raise RefFailure("not a date") from None
    if name in ("years", "days"):
        n = _present(args)[0]
        if n != n.to_integral_value():
            raise RefFailure("not a whole number")
        return ast.Duration(years=int(n)) if name == "years" else ast.Duration(days=int(n))
    raise RefFailure(f"unknown function {name}")


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
