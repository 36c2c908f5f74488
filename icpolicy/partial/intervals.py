"""Interval reasoning: bounds of sums, differences and products, and the comparisons
that bounds decide. A bound of None is unbounded on that side. Bounds are inclusive,
so they may be a little wider than the true set (never narrower): sound."""

from __future__ import annotations

from decimal import Decimal

from ..lang.runtime import CTX
from . import values as V

Bounds = tuple  # (lo, hi)


def _add(x, y):
    return None if x is None or y is None else CTX.add(x, y)


def _sub(x, y):
    return None if x is None or y is None else CTX.subtract(x, y)


def arith_bounds(op: str, a: Bounds, b: Bounds) -> Bounds:
    (alo, ahi), (blo, bhi) = a, b
    if op == "+":
        return _add(alo, blo), _add(ahi, bhi)
    if op == "-":
        return _sub(alo, bhi), _sub(ahi, blo)
    if op == "*":
        return _mul_bounds(a, b)
    if op == "/" and blo is not None and blo == bhi and blo != 0:
        # Dividing by a known number is monotone (rounding included).
        ends = [None if x is None else CTX.divide(x, blo) for x in (alo, ahi)]
        return tuple(ends) if blo > 0 else (ends[1], ends[0])
    return None, None


def _mul_bounds(a: Bounds, b: Bounds) -> Bounds:
    (alo, ahi), (blo, bhi) = a, b
    if None not in (alo, ahi, blo, bhi):
        products = [CTX.multiply(x, y) for x in (alo, ahi) for y in (blo, bhi)]
        return min(products), max(products)
    if alo is not None and blo is not None and alo >= 0 and blo >= 0:
        # Both non-negative, one unbounded above.
        hi = None
        if ahi is not None and bhi is not None:
            hi = CTX.multiply(ahi, bhi)
        elif (ahi is not None and ahi == 0) or (bhi is not None and bhi == 0):
            hi = Decimal(0)
        return CTX.multiply(alo, blo), hi
    return None, None


def compare_bounds(op: str, a: Bounds, b: Bounds) -> bool | None:
    """`a op b` when the bounds decide it; None otherwise."""
    (alo, ahi), (blo, bhi) = a, b
    if not _comparable(alo, ahi, blo, bhi):
        return None
    if op == ">":
        if alo is not None and bhi is not None and alo > bhi:
            return True
        if ahi is not None and blo is not None and ahi <= blo:
            return False
        return None
    if op == ">=":
        if alo is not None and bhi is not None and alo >= bhi:
            return True
        if ahi is not None and blo is not None and ahi < blo:
            return False
        return None
    mirrored = compare_bounds({"<": ">", "<=": ">="}[op], b, a)
    return mirrored


def _comparable(*ends) -> bool:
    present = [e for e in ends if e is not None]
    return bool(present) and all(type(e) is type(present[0]) for e in present)


def equal3(a, b) -> bool | None:
    """`a == b`, three-valued."""
    if V.is_known(a) and V.is_known(b):
        return V.same(a, b)
    ca, cb = V.choices(a), V.choices(b)
    if ca is not None and cb is not None:
        if not any(V.same(x, y) for x in ca for y in cb):
            return False
        return None
    (alo, ahi), (blo, bhi) = V.bounds(a), V.bounds(b)
    apart = (ahi is not None and blo is not None and ahi < blo) or (bhi is not None and alo is not None and bhi < alo)
    if apart and _comparable(alo, ahi, blo, bhi):
        return False
    return None
