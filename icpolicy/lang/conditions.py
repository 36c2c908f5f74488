"""What a condition requires of a case, read from its text: tests of fields, in
disjunctive normal form, and proofs that two conditions never hold together.

A condition is read as a disjunction of conjunctions of tests of one field or value
each (`procurement.value_nok > ica_threshold`, `supplier.country != "NO"`,
`procurement.channel in ["NSPA", "FMS"]`, a boolean field on its own). `not` is
pushed inwards; a boolean definition is read through (`foreign_supplier` is
`supplier.country != home_country`); anything else (arithmetic, calls, `if`) is
left out, which only widens what the condition allows. So when no case satisfies
both readings, no case satisfies both conditions: that is the proof the engine's
rule plan and the loader's conflict check share.

Every value a field can take is stood for by a few values (each constant, one value
in each gap between them, one beyond each end, null): a test is constant on each
gap, so trying those is exact. The same values give a witness: a value of each
field on which both conjunctions hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from . import ast
from . import types as T
from .analysis import COMPARE, MEMBERSHIP, NEGATED, chain
from .checker import Checked
from .compile import compile_expr
from .runtime import EXACT  # sums and halves of finite decimals are exact in it

FAIL = object()  # a comparison that fails at run time (an order on null): not satisfied
MAX_DEPTH = 8  # definitions read through, at most this deep
MAX_DISJUNCTS = 32  # beyond this a part of a condition is left out (it allows anything)

# A boolean definition's expression, for a name that is one: (node, checked) or None.
Resolve = Callable[[ast.Name, Checked], "tuple[ast.Node, Checked] | None"]


@dataclass(frozen=True)
class Other:
    """A string none of `excluded`: the reading knows no more of it (the caller picks one)."""

    excluded: frozenset


@dataclass(frozen=True)
class Test:
    """One test of one field or value of the case (`path`), as written or negated."""

    path: tuple  # (name kind, name, field, ...)
    kind: str  # "decimal", "date", "string" or "bool": the values to try
    op: str  # a comparison, "in", "not in", or "is" (a boolean on its own)
    constants: tuple
    origin: tuple | None = None  # (node, checked): the test as written
    negated: bool = False  # this test is the negation of that one

    def value_on(self, value):
        """True, False, or FAIL (the test fails at run time) for one value of the field."""
        result = self._plain(value)
        return result if result is FAIL or not self.negated else not result

    def holds(self, value) -> bool:
        return self.value_on(value) is True

    def negation(self) -> Test:
        return Test(self.path, self.kind, self.op, self.constants, self.origin, not self.negated)

    def _plain(self, value):
        if self.op == "is":
            return bool(value)
        if self.op in MEMBERSHIP:
            return (value in self.constants) == (self.op == "in")
        try:
            return COMPARE[self.op](value, self.constants[0])
        except TypeError:
            return FAIL


class Conjunction(tuple):
    """Tests that must all hold, with the interval each allows a number or date field
    (worked out once): disjoint intervals prove two conjunctions exclusive at once."""

    _hull: dict | None = None

    def __add__(self, other) -> Conjunction:
        return Conjunction(tuple.__add__(self, other))

    def hull(self) -> dict:
        if self._hull is None:
            self._hull = _hull(self)
        return self._hull


DNF = list  # of Conjunction; [Conjunction()] allows every case, [] none
ANY = Conjunction()


def disjuncts(node: ast.Node, checked: Checked, resolve: Resolve) -> DNF:
    """The condition as a disjunction of conjunctions of tests: whenever it is true,
    all the tests of one of them hold. Parts it cannot read are left out."""
    return [c for c in map(Conjunction, _dnf(node, checked, resolve, False, 0)) if possible(c)]


def _dnf(node, checked: Checked, resolve: Resolve, negate: bool, depth: int) -> DNF:
    while isinstance(node, ast.Unary) and node.op == "not":
        negate, node = not negate, node.operand
    if isinstance(node, ast.BoolOp):
        parts = [_dnf(p, checked, resolve, negate, depth) for p in chain(node, node.op)]
        either = (node.op == "or") != negate  # De Morgan: not (a and b) = not a or not b
        return _union(parts) if either else _product(parts)
    if isinstance(node, ast.Name):
        definition = resolve(node, checked)
        if definition is not None:
            if depth >= MAX_DEPTH:
                return [()]
            return _dnf(definition[0], definition[1], resolve, negate, depth + 1)
    test = _test(node, checked)
    if test is None:
        return [()]
    return [((test.negation() if negate else test),)]


def _union(parts: list[DNF]) -> DNF:
    out = [c for part in parts for c in part]
    return out if len(out) <= MAX_DISJUNCTS else [()]


def _product(parts: list[DNF]) -> DNF:
    out: DNF = [()]
    for part in parts:
        if len(out) * len(part) > MAX_DISJUNCTS:
            continue  # left out: allows anything, so the reading only widens
        out = [a + b for a in out for b in part]
    return out


def _test(node, checked: Checked) -> Test | None:
    path = _path(node, checked)
    origin = (node, checked)
    if path is not None:  # a boolean field on its own
        if _kind(checked.types.get(id(node))) != "bool":
            return None
        return Test(path, "bool", "is", (), origin)
    if not isinstance(node, ast.Binary):
        return None
    path = _path(node.left, checked)
    const = _literal(node.right, checked)
    if path is None or const is FAIL:
        return None
    kind = _kind(checked.types.get(id(node.left)))
    if kind is None:
        return None
    if node.op in MEMBERSHIP:
        return Test(path, kind, node.op, tuple(const), origin) if isinstance(const, list | tuple) else None
    if node.op not in COMPARE or (node.op not in ("==", "!=") and kind not in ("decimal", "date")):
        return None
    return Test(path, kind, node.op, (const,), origin)


def _path(node, checked: Checked) -> tuple | None:
    """(name kind, name, field, ...) of a path the case fixes for the whole evaluation."""
    base, fields = ast.split_path(node)
    if not isinstance(base, ast.Name):
        return None
    info = checked.names.get(id(base))
    if info is None or info.kind not in ("case", "project", "computed", "project_computed"):
        return None
    return (info.kind, base.name, *fields)


def _literal(node, checked: Checked):
    compiled = compile_expr(node, checked)
    return compiled.constant if compiled.is_constant else FAIL


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


# -- exclusivity and witnesses -------------------------------------------------------------


def exclusive(first: DNF, second: DNF) -> bool:
    """No case satisfies both readings: each pair of their conjunctions asks of some
    field what no value gives."""
    return not any(not _apart(a, b) and possible(a + b) for a in first for b in second)


def _apart(a: Conjunction, b: Conjunction) -> bool:
    """Some number or date field is held by the two in intervals that do not meet."""
    ha, hb = a.hull(), b.hull()
    if len(hb) < len(ha):
        ha, hb = hb, ha
    for path, (lo, hi) in ha.items():
        other = hb.get(path)
        if other is not None and _empty(_tighter(lo, other[0], 1), _tighter(hi, other[1], -1)):
            return True
    return False


def _hull(tests: Iterable[Test]) -> dict:
    """Per number or date field, (lower bound, upper bound) that its order and equality
    tests allow; each bound (value, included) or None. Tests of null allow no bound."""
    out: dict = {}
    for test in tests:
        bounds = _bounds(test)
        if bounds is None:
            continue
        lo, hi = out.get(test.path, (None, None))
        out[test.path] = (_tighter(lo, bounds[0], 1), _tighter(hi, bounds[1], -1))
    return out


def _bounded_exactly(test: Test) -> bool:
    """The test allows exactly its interval (a number above, below or at a constant)."""
    return test.kind == "decimal" and test.op in _ORDER_OR_EQUAL and (not test.negated or test.op != "==") and _bounds(test) is not None


_ORDER_OR_EQUAL = ("<", "<=", ">", ">=", "==")


def _bounds(test: Test) -> tuple | None:
    wanted = Decimal if test.kind == "decimal" else dt.date if test.kind == "date" else None
    if wanted is None or not test.constants or not all(isinstance(c, wanted) for c in test.constants):
        return None
    op = (NEGATED.get(test.op) if test.op not in ("==", "!=") else None) if test.negated else test.op
    c = test.constants[0]
    if op in (">", ">="):
        return (c, op == ">="), None
    if op in ("<", "<="):
        return None, (c, op == "<=")
    if op == "==" or op == "in":
        return (min(test.constants), True), (max(test.constants), True)
    return None


def _tighter(a, b, direction: int):
    """The tighter of two lower (direction 1) or upper (-1) bounds."""
    if a is None or b is None:
        return a if b is None else b
    if a[0] != b[0]:
        return a if (a[0] > b[0]) == (direction == 1) else b
    return a if not a[1] else b  # an excluded end is the tighter


def _empty(lo, hi) -> bool:
    return lo is not None and hi is not None and (lo[0] > hi[0] or (lo[0] == hi[0] and not (lo[1] and hi[1])))


def possible(conjunction: Iterable[Test]) -> bool:
    """Whether some value of each field satisfies all the tests of that field."""
    if isinstance(conjunction, Conjunction):
        hull = conjunction.hull()
        if any(_empty(lo, hi) for lo, hi in hull.values()):
            return False
        if all(_bounded_exactly(t) for t in conjunction):
            return True  # intervals of numbers that meet hold a value of both
    return all(
        any(all(_satisfied(t, v) for t in tests) for v in candidates(tests)) for tests in _by_path(conjunction).values()
    )


def choices(conjunction: Iterable[Test]) -> dict[tuple, list]:
    """Per field tested, values that satisfy all its tests, to build a witness from
    (plain values first, null last; an `Other` for "any other string")."""
    return {
        path: [v for v in candidates(tests, near=True) if all(_satisfied(t, v) for t in tests)]
        for (path, _), tests in _by_path(conjunction).items()
    }


def _by_path(conjunction: Iterable[Test]) -> dict[tuple, list[Test]]:
    by_path: dict[tuple, list[Test]] = {}
    for test in conjunction:
        by_path.setdefault((test.path, test.kind), []).append(test)
    return by_path


def _satisfied(test: Test, value) -> bool:
    if isinstance(value, Other):  # a string none of the constants: each test is one value on it
        return test.holds("\x00 none of the constants")
    return test.holds(value)


def candidates(tests: list[Test], near: bool = False) -> list:
    """Values that stand for every value of the field: each constant, one value in each
    open interval the constants leave (every test is constant on such an interval),
    and null. With `near`, the neighbours of each number too."""
    kind = tests[0].kind
    constants = [c for t in tests for c in t.constants]
    if kind == "bool":
        return [True, False, None]
    if kind == "string":
        strings = list(dict.fromkeys(c for c in constants if isinstance(c, str)))
        return [*strings, Other(frozenset(strings)), None]
    if kind == "decimal":
        points = sorted({c for c in constants if isinstance(c, Decimal)})
        return [*_decimals(points), *(_near(points) if near else ()), None]
    return [*_dates(sorted({c for c in constants if isinstance(c, dt.date)})), None]


def _decimals(points: list) -> list:
    if not points:
        return [Decimal(0)]
    # Exact whatever the size of the constants: a rounded value could fall on one.
    gaps = [EXACT.multiply(EXACT.add(x, y), _HALF) for x, y in zip(points, points[1:], strict=False)]
    ends = [EXACT.add(points[-1], 1), EXACT.subtract(points[0], 1)]
    return [*points, *ends, *gaps]


def _near(points: list) -> list:
    """Neighbours of each constant a cent and a millionth away: not needed to stand for
    every value, but a witness made of them fits a field's range (a share) more often."""
    out = []
    for step in (Decimal("0.01"), Decimal("0.000001")):
        out += [EXACT.add(p, step) for p in points] + [EXACT.subtract(p, step) for p in points]
    return out


def _dates(days: list) -> list:
    if not days:
        return [dt.date(2000, 1, 1)]
    one = dt.timedelta(days=1)
    return [*days, *(p + one for p in days if p < dt.date.max), *(p - one for p in days if p > dt.date.min)]


_HALF = Decimal("0.5")


__all__ = [
    "ANY",
    "DNF",
    "Conjunction",
    "FAIL",
    "MAX_DEPTH",
    "Other",
    "Resolve",
    "Test",
    "candidates",
    "choices",
    "disjuncts",
    "exclusive",
    "possible",
]
