"""What compiled expressions need at run time: the decimal context and the failure type.

Every arithmetic operation goes through `CTX` explicitly, so results never depend
on a thread's current decimal context and one policy is safe to share.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    Context,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)

from .ast import Duration

# Division (and round()) work to 60 significant digits: far beyond any amount in NOK
# with its øre. Only they can round.
CTX = Context(prec=60, rounding=ROUND_HALF_EVEN, traps=[DivisionByZero, InvalidOperation, Overflow])
# Sums, differences, products, negation and abs() are exact whatever the digits of
# their operands: the precision and exponent range are the largest there are, so the
# exact result always fits (Inexact stays trapped, so nothing could round silently).
EXACT = Context(
    prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, rounding=ROUND_HALF_EVEN,
    traps=[DivisionByZero, InvalidOperation, Overflow, Inexact],
)


class EvalFailure(Exception):
    """Raised by compiled code; the engine adds the case, decision, rule and place."""


def shift_date(day: dt.date, span: Duration, sign: int) -> dt.date:
    """`day` plus or minus a duration; 29 February minus a year is 28 February."""
    years = span.years * sign
    if years:
        year = day.year + years
        if not 1 <= year <= 9999:
            raise EvalFailure(f"date out of range: {day} {'+-'[sign < 0]} {span}")
        try:
            day = day.replace(year=year)
        except ValueError:  # 29 February in a year without one
            day = day.replace(year=year, day=28)
    if span.days:
        try:
            day = day + dt.timedelta(days=span.days * sign)
        except OverflowError:
            raise EvalFailure(f"date out of range: {day} {'+-'[sign < 0]} {span}") from None
    return day


class FailureAt(EvalFailure):
    """An evaluation failure that knows the position of the failing node."""

    def __init__(self, message: str, pos):
        super().__init__(message)
        self.pos = pos


def arith_failure(op: str, a, b, pos) -> FailureAt:
    """Why `a op b` has no value: a missing operand, a division by zero, or a result
    beyond the exact digits."""
    if a is None or b is None:
        return FailureAt(f"a value in '{op}' is missing (null)", pos)
    if op == "/" and not b:
        return FailureAt("division by zero", pos)
    if op != "/":
        return FailureAt(f"cannot compute {a} {op} {b} exactly", pos)
    return FailureAt(f"cannot compute {a} {op} {b} to 60 digits", pos)


class LazyDefinition:
    """A value computed on first use (a case-level definition), made by the engine
    and read by the compiler: how to compute it, how to report its failure, whether
    it can never fail, whether it is cheap enough to compute in place rather than
    keep, and its FieldTest when it is one test of a field."""

    __slots__ = ("compute", "wrap_failure", "total", "in_place", "field_test")

    def __init__(self) -> None:
        self.compute: Callable | None = None
        self.wrap_failure: Callable | None = None
        self.total = False
        self.in_place = False
        self.field_test: object = None  # a lang.fused.FieldTest


MISSING = object()  # not computed yet (None is a value)


def lazy_getter(key: str, holder: LazyDefinition) -> Callable:
    """Read a lazily computed value, computing and keeping it on first use."""
    missing = MISSING

    def get(env):
        value = env.get(key, missing)
        if value is missing:
            try:
                value = env[key] = holder.compute(env)  # type: ignore[misc]  # filled before any case
            except EvalFailure as exc:
                raise holder.wrap_failure(exc) from None  # type: ignore[misc]
        return value

    return get


def path_getter(keys: list[str]) -> Callable:
    """`env[a][b]...` for the keys of a field path, in one closure."""
    if len(keys) == 1:
        return operator.itemgetter(keys[0])
    if len(keys) == 2:
        a, b = keys
        return lambda env: env[a][b]
    if len(keys) == 3:
        a, b, c = keys
        return lambda env: env[a][b][c]

    def get(env):
        for key in keys:
            env = env[key]
        return env

    return get
