"""Fast closures for the commonest shapes of expression: speed only, no new meaning.

The plain compiler (`compile.py`) gives each node its own closure. For a few shapes
that policies use on every case (a field compared with a constant, a chain of such
tests, a field read inside arithmetic, `date - 5 years`) this module builds one
closure doing the same work with fewer calls. Each builder returns the closure and,
when the closure is one test of a field, a frozen `FieldTest` describing it, so that
a chain of tests (or the engine's rule runner) can make the test itself, calling
only C functions. Every fast closure that meets a failure either reports it exactly
as the plain closure would or hands over to the plain closure (`slow`), which does.
The agreement property (plain == fused == the reference interpreter) checks this.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import DecimalException

from . import ast
from .analysis import COMPARE, NEGATED
from .builtins import make_sum_of_field
from .fused_chains import fused_chain, test_then_two, tests_then, varying_chain
from .runtime import FailureAt, arith_failure


@dataclass(frozen=True, slots=True)
class FieldTest:
    """`test(env[a][b], const)`, with `test` a C function. `negation` is the (test,
    const) of its negation; `safe` says it cannot fail (no order on a missing value),
    so a definition or rule condition of that shape may be tested in place."""

    a: str
    b: str
    test: Callable
    const: object
    negation: tuple
    safe: bool

    def negated(self) -> FieldTest:
        test, const = self.negation
        return FieldTest(self.a, self.b, test, const, (self.test, self.const), self.safe)

    @property
    def parts(self) -> tuple:
        return self.a, self.b, self.test, self.const


@dataclass(frozen=True, slots=True)
class VaryingTest:
    """`test(env[a][b], right(env))`: a field against a value that varies by case."""

    a: str
    b: str
    test: Callable
    right: Callable


Test = FieldTest | VaryingTest


def bool_field(a: str, b: str) -> tuple[Callable, FieldTest]:
    """A boolean field `a.b` read on its own."""
    return (lambda env: env[a][b]), FieldTest(a, b, operator.is_, True, (operator.is_not, True), True)


def _missing(pos) -> FailureAt:
    return FailureAt("a value in the comparison is missing (null)", pos)


def path_compare(keys: list, op: str, const, pos) -> tuple[Callable, FieldTest | None]:
    """`path op constant` in one closure: the commonest condition, so it gets no call for
    the field read. A missing value (None) cannot be ordered: that is reported."""
    cmp = COMPARE[op]
    n = len(keys)
    a = keys[0]
    b = keys[1] if n > 1 else None
    c = keys[2] if n > 2 else None
    negation = (COMPARE[NEGATED[op]], const)
    safe = op in ("==", "!=")
    if b is not None and c is None:
        return _compare2(a, b, cmp, const, pos), FieldTest(a, b, cmp, const, negation, safe)
    if op == "==":
        return (lambda env: env[a] == const) if n == 1 else (lambda env: env[a][b][c] == const), None
    if op == "!=":
        return (lambda env: env[a] != const) if n == 1 else (lambda env: env[a][b][c] != const), None
    if n == 1:

        def compare1(env):
            try:
                return cmp(env[a], const)
            except TypeError:
                raise _missing(pos) from None

        return compare1, None

    def compare3(env):
        try:
            return cmp(env[a][b][c], const)
        except TypeError:
            raise _missing(pos) from None

    return compare3, None


def _compare2(a: str, b: str, cmp: Callable, const, pos) -> Callable:
    if cmp is operator.eq:
        return lambda env: env[a][b] == const
    if cmp is operator.ne:
        return lambda env: env[a][b] != const

    def compare2(env):
        try:
            return cmp(env[a][b], const)
        except TypeError:
            raise _missing(pos) from None

    return compare2


def path_compare_fn(keys: list, op: str, right: Callable, pos) -> tuple[Callable, VaryingTest]:
    """`x.field op expression` (a lambda variable's field against a value of the case)
    in one closure: the condition of a filter, evaluated once per item."""
    a, b = keys
    cmp = COMPARE[op]
    if op == "==":
        fn = lambda env: env[a][b] == right(env)  # noqa: E731
    elif op == "!=":
        fn = lambda env: env[a][b] != right(env)  # noqa: E731
    else:

        def fn(env):
            try:
                return cmp(env[a][b], right(env))
            except TypeError:  # None (a missing value) has no order
                raise _missing(pos) from None

    return fn, VaryingTest(a, b, cmp, right)


def compare_computed(key: str, compute: Callable, cmp: Callable, const, pos, missing_value) -> Callable:
    """`accumulated_nok > ica_threshold`: a definition's value read here when known."""

    def compare_computed(env):
        value = env.get(key, missing_value)
        if value is missing_value:
            value = compute(env)
        try:
            return cmp(value, const)
        except TypeError:
            raise _missing(pos) from None

    return compare_computed


def compare_const(left: Callable, op: str, const, pos) -> Callable:
    """`expression op constant`, the constant bound here."""
    if op == "==":
        return lambda env: left(env) == const
    if op == "!=":
        return lambda env: left(env) != const
    cmp = COMPARE[op]

    def compare_const(env):
        try:
            return cmp(left(env), const)
        except TypeError:  # None (a missing value) has no order
            raise _missing(pos) from None

    return compare_const


def membership_path(a: str, b: str, pool, negate: bool) -> tuple[Callable, FieldTest | None]:
    """`procurement.channel in [...]` in one closure; a field test when the pool is a set."""
    fn = (lambda env: env[a][b] not in pool) if negate else (lambda env: env[a][b] in pool)
    if not isinstance(pool, frozenset):
        return fn, None
    inside = dict.fromkeys(pool, True).get
    outside = dict.fromkeys(pool, False).get
    test, other = ((outside, True), (inside, False)) if negate else ((inside, False), (outside, True))
    return fn, FieldTest(a, b, *test, other, True)


def arith_path(x: str, y: str, right: Callable, func: Callable, op: str, pos) -> Callable:
    """`procurement.value_nok + ...`: the field read here."""

    def arith_path(env):
        a, b = env[x][y], right(env)
        try:
            return func(a, b)
        except (TypeError, DecimalException):
            raise arith_failure(op, a, b, pos) from None

    return arith_path


_MEMO_LIMIT = 4096


def shift_years(day_fn: Callable, general: Callable) -> Callable:
    """`date - 5 years`, the common date arithmetic. Building a date costs more than
    the rest of a rule, and a batch of cases has few distinct dates, so results are
    kept by day (a pure function of it; bounded, and safe to share between threads)."""
    memo: dict = {}

    def shift(env):
        shifted = memo.get(day_fn(env))
        if shifted is None:
            shifted = general(env)  # reports a missing date or one out of range
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            memo[day_fn(env)] = shifted
        return shifted

    return shift


def cheapest_first(parts: list, total: Callable, cost: Callable) -> list:
    """Reorder neighbouring (closure, node, test) parts that can never fail, cheapest
    first (plain field tests before the rest). Among such parts the order changes
    nothing but the work; a part that can fail stays where it is, and nothing moves
    across it."""
    out: list = []
    run: list = []
    for part in parts:
        _, node, test = part
        if total(node):
            run.append((0 if isinstance(test, FieldTest) else cost(node), len(run), part))
            continue
        out += [p for *_, p in sorted(run, key=lambda item: item[:2])] + [part]
        run = []
    return out + [p for *_, p in sorted(run, key=lambda item: item[:2])]


def chain_closure(op: str, fns: list) -> Callable:
    """`a and b and c` (or `or`) over closures, in one closure."""
    if len(fns) <= 4:
        return _short_chain(op, fns)
    if op == "and":

        def all_of(env):
            return all(fn(env) for fn in fns)

        return all_of

    def any_of(env):
        return any(fn(env) for fn in fns)

    return any_of


def _short_chain(op: str, fns: list) -> Callable:
    if op == "and":
        if len(fns) == 2:
            a, b = fns
            return lambda env: a(env) and b(env)
        if len(fns) == 3:
            a, b, c = fns
            return lambda env: a(env) and b(env) and c(env)
        a, b, c, d = fns
        return lambda env: a(env) and b(env) and c(env) and d(env)
    if len(fns) == 2:
        a, b = fns
        return lambda env: a(env) or b(env)
    if len(fns) == 3:
        a, b, c = fns
        return lambda env: a(env) or b(env) or c(env)
    a, b, c, d = fns
    return lambda env: a(env) or b(env) or c(env) or d(env)


def bool_chain(op: str, fns: list, tests: list) -> Callable:
    """A chain of one boolean operator over closures, `tests[i]` the Test of `fns[i]` or
    None: field tests at its head run in this closure; the plain chain (`slow`) runs
    when one of them meets a missing value, and says where."""
    slow = chain_closure(op, fns)
    leading = next((i for i, t in enumerate(tests) if not isinstance(t, FieldTest)), len(tests))
    atoms = [t.parts for t in tests[:leading] if isinstance(t, FieldTest)]
    if 2 <= len(fns) <= 4 and leading == len(fns):
        return fused_chain(op, atoms, slow)
    if 1 <= leading <= 3:  # field tests, then the rest: the tests run in this closure
        rest = fns[leading:]
        if leading == 1 and len(rest) == 2:
            return test_then_two(op, atoms[0], rest[0], rest[1], slow)
        return tests_then(op, atoms, rest[0] if len(rest) == 1 else chain_closure(op, rest), slow)
    if len(tests) == 2 and all(isinstance(t, VaryingTest) for t in tests):
        return varying_chain(op, [(t.a, t.b, t.test, t.right) for t in tests], slow)
    return slow


def sum_of_field(node, fn_of: Callable, fast_path: Callable, plain: Callable) -> Callable | None:
    """`sum(xs, x -> x.amount)`, optionally over `filter(xs, ...)`, as one loop; None
    for any other call. `fn_of` compiles a node, `fast_path` gives the keys of a
    plain field path, `plain()` builds the calls as written."""
    if node.func != "sum" or len(node.args) != 2:
        return None
    lam = node.args[1]
    body = lam.body if isinstance(lam, ast.Lambda) else None
    if not (isinstance(body, ast.Field) and isinstance(body.target, ast.Name) and body.target.name == lam.param):
        return None
    source = node.args[0]
    where = None
    if isinstance(source, ast.Call) and source.func == "filter" and isinstance(source.args[1], ast.Lambda):
        where = (source.args[1].param, fn_of(source.args[1].body))
        source = source.args[0]
    keys = fast_path(source, size=2)
    path = tuple(keys) if keys else None
    # On a failure the plain calls run instead: they meet failures in the order
    # written (the whole filter first, then the sum), so the same one is reported.
    return make_sum_of_field(fn_of(source), body.name, where, path, plain())


__all__ = [
    "FieldTest",
    "Test",
    "VaryingTest",
    "arith_path",
    "bool_chain",
    "bool_field",
    "cheapest_first",
    "compare_computed",
    "compare_const",
    "membership_path",
    "path_compare",
    "path_compare_fn",
    "shift_years",
    "sum_of_field",
]
