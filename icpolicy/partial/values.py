"""Values of a three-valued evaluation: known, or unknown with what is known about them.

A known value is the plain Python value the engine uses (Decimal, date, bool, str,
None, list, dict). An `Unknown` is a value not known yet: for ordered values
(Decimals, dates) it may carry inclusive bounds, for values of a small domain
(bools, the choices of a string field) the set of values it can still take. Either
way it carries the unknown facts (case field paths) it rests on, so an open decision
can name what to ask.

Lists may be partly known: `MaybeList` holds items some of which may or may not be
in it (a `filter` whose condition is unknown for them); `UnknownList` is a list of
unknown length whose items are all like its template.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

Facts = frozenset  # of fact paths, as text: "procurement.value_nok"

_NO_FACTS: frozenset = frozenset()


@dataclass(frozen=True)
class Unknown:
    """A value not known yet. `lo`/`hi`: inclusive bounds (None: unbounded);
    `choices`: the values it can still take, when they are few."""

    lo: object = None
    hi: object = None
    choices: frozenset | None = None
    facts: frozenset = field(default=_NO_FACTS)

    def with_facts(self, more: frozenset) -> Unknown:
        return Unknown(self.lo, self.hi, self.choices, self.facts | more) if more - self.facts else self


@dataclass(frozen=True)
class MaybeList:
    """A known list of items, some of them only possibly in it: (item, sure)."""

    items: tuple
    facts: frozenset = field(default=_NO_FACTS)


@dataclass(frozen=True)
class UnknownList:
    """A list of unknown length; every item is like `template`."""

    template: object
    facts: frozenset = field(default=_NO_FACTS)


BOOL_UNKNOWN = frozenset({True, False})


def is_known(value) -> bool:
    return not isinstance(value, (Unknown, MaybeList, UnknownList))


def facts_of(*values) -> frozenset:
    out: frozenset = _NO_FACTS
    for value in values:
        if isinstance(value, (Unknown, MaybeList, UnknownList)):
            out = out | value.facts
    return out


def unknown_bool(*because) -> Unknown:
    return Unknown(choices=BOOL_UNKNOWN, facts=facts_of(*because))


def make(lo=None, hi=None, choices=None, facts: frozenset = _NO_FACTS):
    """An Unknown, or the known value when the bounds or choices leave only one."""
    if choices is not None:
        if len(choices) == 1:
            return next(iter(choices))
        return Unknown(choices=frozenset(choices), facts=facts)
    if lo is not None and hi is not None and _ordered(lo, hi) and lo == hi:
        return lo
    return Unknown(lo, hi, None, facts)


def _ordered(a, b) -> bool:
    """Both Decimals, or both dates: values bounds can compare."""
    return (isinstance(a, Decimal) and isinstance(b, Decimal)) or (
        isinstance(a, dt.date) and isinstance(b, dt.date)
    )


def bounds(value) -> tuple:
    """(lo, hi) of an ordered value; (None, None) when nothing is known."""
    if isinstance(value, Unknown):
        if value.choices is not None:
            ordered = [c for c in value.choices if isinstance(c, (Decimal, dt.date)) and not isinstance(c, bool)]
            if len(ordered) == len(value.choices) and ordered and all(_ordered(ordered[0], c) for c in ordered):
                return min(ordered), max(ordered)
            return None, None
        return value.lo, value.hi
    if isinstance(value, (Decimal, dt.date)) and not isinstance(value, bool):
        return value, value
    return None, None


def choices(value) -> frozenset | None:
    """The values it can take, when they can be listed."""
    if isinstance(value, Unknown):
        return value.choices
    if isinstance(value, (MaybeList, UnknownList)):
        return None
    try:
        return frozenset({value})
    except TypeError:  # a list or a record: not hashable, and not needed
        return None


def truth(value) -> bool | None:
    """True / False, or None when unknown."""
    if value is True or value is False:
        return value
    if isinstance(value, Unknown):
        if value.choices == frozenset({True}):
            return True
        if value.choices == frozenset({False}):
            return False
        return None
    return bool(value)


def _low(a, b):
    if a is None or b is None:
        return None
    return a if a <= b else b


def _high(a, b):
    if a is None or b is None:
        return None
    return a if a >= b else b


def join(a, b, because: frozenset = _NO_FACTS):
    """A value that is either `a` or `b` (an if whose condition is unknown)."""
    facts = facts_of(a, b) | because
    if is_known(a) and is_known(b) and type(a) is type(b) and _same(a, b):
        return a
    ca, cb = choices(a), choices(b)
    if ca is not None and cb is not None and not _all_ordered(ca | cb):
        return make(choices=ca | cb, facts=facts)
    (alo, ahi), (blo, bhi) = bounds(a), bounds(b)
    if _comparable(a, b):
        return Unknown(_low(alo, blo), _high(ahi, bhi), None, facts)
    return Unknown(facts=facts)


def _all_ordered(values) -> bool:
    return all(isinstance(v, (Decimal, dt.date)) and not isinstance(v, bool) for v in values)


def _comparable(a, b) -> bool:
    """Both sides ordered values of one kind (possibly unbounded unknowns)."""
    kinds = {_kind(a), _kind(b)}
    kinds.discard("unknown")
    return len(kinds) == 1 and kinds <= {"number", "date"} and not (
        _kind(a) == "unknown" and _kind(b) == "unknown"
    )


def _kind(value) -> str:
    if isinstance(value, Unknown):
        lo, hi = bounds(value)
        probe = lo if lo is not None else hi
        if probe is None:
            return "unknown" if value.choices is None else "other"
        return _kind(probe)
    if isinstance(value, bool):
        return "other"
    if isinstance(value, Decimal):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    return "other"


def join_all(values, because: frozenset = _NO_FACTS):
    """A value that is one of `values` (at least one)."""
    values = list(values)
    out = values[0]
    for value in values[1:]:
        out = join(out, value)
    return out.with_facts(because) if isinstance(out, Unknown) else out


def _same(a, b) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    return bool(a == b)


def same(a, b) -> bool:
    """Known values equal as the engine compares them."""
    return _same(a, b)


def describe(value) -> str:
    """For debugging and the JSON of open decisions."""
    if isinstance(value, Unknown):
        if value.choices is not None:
            return "one of " + ", ".join(sorted(map(str, value.choices)))
        return f"between {value.lo} and {value.hi}"
    return repr(value)
