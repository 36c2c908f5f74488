"""The built-in functions, three-valued: sums and counts over partly known lists give
bounds, `any`/`all` follow Kleene's logic, `filter` keeps the items it cannot rule out."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, DecimalException

from ..dates import parse_iso_date
from ..lang import ast
from ..lang.runtime import CTX, EXACT, EvalFailure
from . import values as V
from .intervals import _add

_ZERO = Decimal(0)
_ONE = Decimal(1)


def _pairs(items):
    """(item, sure) for a known or partly known list; None for an unknown list."""
    if isinstance(items, V.MaybeList):
        return list(items.items)
    if isinstance(items, list):
        return [(x, True) for x in items]
    if items is None:
        raise EvalFailure("a value is missing (null)")
    return None


def call(name: str, args: list, body: Callable | None):
    if name in ("sum", "count", "any", "all", "filter"):
        return _LIST_CALLS[name](args[0], body)
    if name in ("min", "max"):
        return _extreme(name, args)
    if any(not V.is_known(a) for a in args):
        return _unknown_call(name, args)
    return _known_call(name, args)


def _item_value(item, body):
    return body(item) if body is not None else item


def _sum(items, body):
    pairs = _pairs(items)
    if pairs is None:  # unknown length: only the sign of the items bounds it
        lo, hi = V.bounds(_item_value(items.template, body))
        facts = items.facts | V.facts_of(_item_value(items.template, body))
        if lo is not None and hi is not None and lo == hi == 0:
            return _ZERO
        return V.Unknown(_ZERO if lo is not None and lo >= 0 else None, _ZERO if hi is not None and hi <= 0 else None, None, facts)
    total_lo: Decimal | None = _ZERO
    total_hi: Decimal | None = _ZERO
    facts = V.facts_of(items)
    exact = True
    for item, sure in pairs:
        value = _item_value(item, body)
        if value is None:
            if sure:
                raise EvalFailure("a value is missing (null) in sum")
            value = V.Unknown()
        if V.is_known(value) and sure:
            total_lo, total_hi = _add(total_lo, value), _add(total_hi, value)
            continue
        exact = False
        facts |= V.facts_of(value)
        lo, hi = V.bounds(value)
        if not sure:  # the item may be left out: 0 is possible too
            lo = None if lo is None else min(lo, _ZERO)
            hi = None if hi is None else max(hi, _ZERO)
        total_lo, total_hi = _add(total_lo, lo), _add(total_hi, hi)
    if exact:
        return _exact_total(pairs, body)
    return V.make(total_lo, total_hi, facts=facts)


def _exact_total(pairs, body):
    total = _ZERO
    try:
        for item, _ in pairs:
            total = EXACT.add(total, _item_value(item, body))
    except DecimalException:
        raise EvalFailure("the sum cannot be computed exactly") from None
    return total


def _count(items, body):
    pairs = _pairs(items)
    if pairs is None:
        return V.Unknown(_ZERO, None, None, items.facts)
    lo = hi = 0
    facts = V.facts_of(items)
    for item, sure in pairs:
        hit = V.truth(body(item)) if body is not None else True
        if hit is True and sure:
            lo += 1
            hi += 1
        elif hit is not False:
            hi += 1
            facts |= V.facts_of(body(item)) if body is not None else V.facts_of()
    return V.make(Decimal(lo), Decimal(hi), facts=facts)


def _any(items, body):
    return _quantifier(items, body, stop=True)


def _all(items, body):
    return _quantifier(items, body, stop=False)


def _quantifier(items, body, stop: bool):
    """any (stop at a true item) or all (stop at a false one), three-valued."""
    pairs = _pairs(items)
    if pairs is None:
        template = body(items.template)
        if V.truth(template) is (not stop):
            return not stop  # no item can change it
        return V.unknown_bool(items, template)
    undecided: list = []
    for item, sure in pairs:
        value = body(item)
        hit = V.truth(value)
        if hit is stop and sure:
            return stop
        if hit is not (not stop):
            undecided.append(value)
    if not undecided:
        return not stop
    return V.unknown_bool(items, *undecided)


def _filter(items, body):
    pairs = _pairs(items)
    if pairs is None:
        template = body(items.template)
        if V.truth(template) is False:
            return []
        return V.UnknownList(items.template, items.facts | V.facts_of(template))
    kept = []
    facts = V.facts_of(items)
    for item, sure in pairs:
        value = body(item)
        hit = V.truth(value)
        if hit is False:
            continue
        if hit is None:
            facts |= V.facts_of(value)
        kept.append((item, sure and hit is True))
    if all(sure for _, sure in kept):
        return [item for item, _ in kept]
    return V.MaybeList(tuple(kept), facts)


_LIST_CALLS = {"sum": _sum, "count": _count, "any": _any, "all": _all, "filter": _filter}


def _extreme(name: str, args: list):
    if any(a is None for a in args):
        raise EvalFailure("a value is missing (null)")
    if all(V.is_known(a) for a in args):
        best = args[0]
        for a in args[1:]:
            if (a < best) if name == "min" else (a > best):
                best = a
        return best
    ends = [V.bounds(a) for a in args]
    pick = min if name == "min" else max
    los = [lo for lo, _ in ends]
    his = [hi for _, hi in ends]
    if name == "min":
        lo = None if None in los else pick(los)
        hi_known = [h for h in his if h is not None]
        hi = pick(hi_known) if hi_known else None
    else:
        lo_known = [lo for lo in los if lo is not None]
        lo = pick(lo_known) if lo_known else None
        hi = None if None in his else pick(his)
    return V.make(lo, hi, facts=V.facts_of(*args))


def _unknown_call(name: str, args: list):
    facts = V.facts_of(*args)
    value = args[0]
    if name == "coalesce":
        return args[1] if value is None else value  # an unknown fact is a value, never null
    if name == "abs":
        lo, hi = V.bounds(value)
        if lo is not None and lo >= 0:
            return V.Unknown(lo, hi, None, facts)
        return V.Unknown(_ZERO, None if hi is None or lo is None else max(CTX.abs(lo), CTX.abs(hi)), None, facts)
    if name == "round" and V.is_known(args[1] if len(args) > 1 else _ZERO):
        lo, hi = V.bounds(value)
        places = args[1] if len(args) > 1 else _ZERO
        ends = [None if x is None else _known_call("round", [x, places]) for x in (lo, hi)]
        return V.Unknown(ends[0], ends[1], None, facts)  # rounding is monotone
    return V.Unknown(facts=facts)


def _present(value):
    if value is None:
        raise EvalFailure("a value is missing (null)")
    return value


def _whole(value: Decimal, what: str) -> int:
    if value != value.to_integral_value():
        raise EvalFailure(f"{what} must be a whole number, got {value}")
    return int(value)


def _known_call(name: str, args: list):
    if name == "coalesce":
        return args[1] if args[0] is None else args[0]
    if name == "abs":
        return CTX.abs(_present(args[0]))
    if name == "round":
        places = _whole(_present(args[1]), "the digits of round()") if len(args) > 1 else 0
        try:
            return _present(args[0]).quantize(_ONE.scaleb(-places), rounding=ROUND_HALF_UP, context=CTX)
        except DecimalException:
            raise EvalFailure("cannot round") from None
    if name == "date":
        try:
            return parse_iso_date(args[0])
        except (TypeError, ValueError):
            raise EvalFailure(f"{args[0]!r} is not a date (YYYY-MM-DD)") from None
    if name == "years":
        return ast.Duration(years=_whole(_present(args[0]), "years()"))
    if name == "days":
        return ast.Duration(days=_whole(_present(args[0]), "days()"))
    raise EvalFailure(f"unknown function {name}")
