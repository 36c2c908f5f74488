"""What compiled expressions need at run time: the decimal context and the failure type.

Every arithmetic operation goes through `CTX` explicitly, so results never depend
on a thread's current decimal context and one policy is safe to share.
"""

from __future__ import annotations

import datetime as dt
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)

from .ast import Duration

# 60 significant digits: far beyond any amount in NOK with its øre, so sums and
# products of money, shares and factors are exact; only division can round.
CTX = Context(prec=60, rounding=ROUND_HALF_EVEN, traps=[DivisionByZero, InvalidOperation, Overflow])
# Sums, differences and products must be exact: one that would need rounding (more
# than 60 significant digits) is an error, never a silently rounded amount.
EXACT = Context(prec=60, rounding=ROUND_HALF_EVEN, traps=[DivisionByZero, InvalidOperation, Overflow, Inexact])


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
