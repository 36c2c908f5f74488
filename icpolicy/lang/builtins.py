"""The fixed set of functions: one table read by both the checker and the compiler.

Each entry says how many arguments a function takes, which argument may be a
lambda (`x -> expr`, bound to each item of the list argument), how to type a call
and how to run it. Policy text can call nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, DecimalException

from ..dates import parse_iso_date
from . import types as T
from .runtime import CTX, EXACT, EvalFailure


@dataclass(frozen=True)
class Builtin:
    name: str
    min_args: int
    max_args: int | None  # None: any number
    lambda_arg: int | None  # index of the argument that may be a lambda
    lambda_required: bool
    summary: str


BUILTINS: dict[str, Builtin] = {
    b.name: b
    for b in [
        Builtin("min", 2, None, None, False, "min(a, b, ...): the smallest of numbers, money, shares or dates"),
        Builtin("max", 2, None, None, False, "max(a, b, ...): the largest of numbers, money, shares or dates"),
        Builtin("sum", 1, 2, 1, False, "sum(list) or sum(list, x -> amount): the exact total (0 for an empty list)"),
        Builtin("count", 1, 2, 1, False, "count(list) or count(list, x -> condition): how many items (satisfy the condition)"),
        Builtin("any", 2, 2, 1, True, "any(list, x -> condition): true when some item satisfies the condition"),
        Builtin("all", 2, 2, 1, True, "all(list, x -> condition): true when every item satisfies it (true for an empty list)"),
        Builtin("filter", 2, 2, 1, True, "filter(list, x -> condition): the items that satisfy the condition, in order"),
        Builtin("round", 1, 2, None, False, "round(x) or round(x, digits): half away from zero to the given decimals (default 0)"),
        Builtin("abs", 1, 1, None, False, "abs(x): the absolute value"),
        Builtin("coalesce", 2, 2, None, False, "coalesce(x, fallback): x, or fallback when x is null (missing)"),
        Builtin("date", 1, 1, None, False, 'date("YYYY-MM-DD"): a date literal'),
        Builtin("years", 1, 1, None, False, "years(n): a duration of n calendar years, for date arithmetic"),
        Builtin("days", 1, 1, None, False, "days(n): a duration of n days, for date arithmetic"),
    ]
}


_Typed = tuple[T.Type | None, str | None]


def result_type(name: str, arg_types: list[T.Type], item_type: T.Type | None, body_type: T.Type | None) -> _Typed:
    """Type a call. Returns (type, error message or None).

    `item_type` is the item type of the list argument when there is one;
    `body_type` the type of the lambda's body when a lambda is given.
    """
    if name in ("min", "max"):
        return _extreme_type(name, arg_types)
    if name in ("sum", "count", "any", "all", "filter"):
        return _list_call_type(name, arg_types, item_type, body_type)
    if name in ("round", "abs"):
        if not T.is_numeric(arg_types[0]):
            return None, f"{name}() needs a number, money or share, got {arg_types[0]}"
        if len(arg_types) == 2 and arg_types[1] != T.NUMBER:
            return None, f"the digits of round() must be a plain number, got {arg_types[1]}"
        return arg_types[0], None
    if name == "coalesce":
        return _coalesce_type(arg_types)
    if name == "date":
        if not isinstance(arg_types[0], T.Str):
            return None, f'date() takes a string "YYYY-MM-DD", got {arg_types[0]}'
        return T.DATE, None
    if name in ("years", "days"):
        if arg_types[0] != T.NUMBER:
            return None, f"{name}() takes a whole number, got {arg_types[0]}"
        return T.DURATION, None
    raise AssertionError(name)  # pragma: no cover


def _extreme_type(name: str, arg_types: list[T.Type]) -> _Typed:
    result: T.Type | None = arg_types[0]
    for t in arg_types[1:]:
        result = T.unify(result, t) if result is not None else None
        if result is None:
            return None, f"{name}() needs arguments of one kind, got {', '.join(map(str, arg_types))}"
    assert result is not None
    if not (T.is_numeric(result) or result == T.DATE):
        return None, f"{name}() works on numbers, money, shares or dates, not {result}"
    return result, None


def _list_call_type(name: str, arg_types: list[T.Type], item_type: T.Type | None, body_type: T.Type | None) -> _Typed:
    if not isinstance(arg_types[0], T.ListOf):
        return None, f"{name}() needs a list as its first argument, got {arg_types[0]}"
    if name == "sum":
        amount = body_type if body_type is not None else item_type
        if amount == T.ANY:
            return T.NUMBER, None
        if amount is None or not T.is_numeric(amount):
            return None, f"sum() adds numbers, money or shares, not {amount}"
        return amount, None
    if body_type is not None and body_type != T.BOOL:
        return None, f"the condition of {name}() must be true or false, got {body_type}"
    if name == "count":
        return T.NUMBER, None
    if name == "filter":
        return arg_types[0], None
    return T.BOOL, None


def _coalesce_type(arg_types: list[T.Type]) -> _Typed:
    result = T.unify(T.strip_optional(arg_types[0]), arg_types[1])
    if result is None:
        return None, f"coalesce() needs arguments of one kind, got {arg_types[0]} and {arg_types[1]}"
    # Only a fallback that is never missing makes the result never missing.
    fallback_may_be_missing = arg_types[1] == T.NULL or isinstance(arg_types[1], T.Optional)
    return (result if fallback_may_be_missing else T.strip_optional(result)), None


def _whole(value: Decimal, what: str) -> int:
    if value != value.to_integral_value():
        raise EvalFailure(f"{what} must be a whole number, got {value}")
    return int(value)


def make_call(name: str, fns: list[Callable], lam: tuple[str, Callable] | None) -> Callable:
    """Build the closure for a call. `fns` are the compiled arguments (lambda excluded);
    `lam` is (variable name, compiled body) when a lambda argument is given."""
    if name == "min":
        if len(fns) == 2:
            a, b = fns
            return lambda env: _min2(a(env), b(env))
        return lambda env: _check_present(min, [f(env) for f in fns])
    if name == "max":
        if len(fns) == 2:
            a, b = fns
            return lambda env: _max2(a(env), b(env))
        return lambda env: _check_present(max, [f(env) for f in fns])
    if name in ("sum", "count", "any", "all", "filter"):
        return _make_list_call(name, fns[0], lam)
    if name == "round":
        arg = fns[0]
        digits = fns[1] if len(fns) > 1 else (lambda env: Decimal(0))
        return lambda env: _round(arg(env), digits(env))
    if name == "abs":
        arg = fns[0]
        return lambda env: EXACT.abs(_present(arg(env)))
    if name == "coalesce":
        a, b = fns

        def coalesce(env):
            value = a(env)
            return b(env) if value is None else value

        return coalesce
    if name == "date":
        arg = fns[0]
        return lambda env: _to_date(arg(env))
    if name == "years":
        from .ast import Duration

        arg = fns[0]
        return lambda env: Duration(years=_whole(_present(arg(env)), "years()"))
    if name == "days":
        from .ast import Duration

        arg = fns[0]
        return lambda env: Duration(days=_whole(_present(arg(env)), "days()"))
    raise AssertionError(name)  # pragma: no cover


def _present(value):
    if value is None:
        raise EvalFailure("a value is missing (null)")
    return value


def _check_present(func, values):
    if any(v is None for v in values):
        raise EvalFailure("a value is missing (null)")
    return func(values)


def _min2(a, b):
    if a is None or b is None:
        raise EvalFailure("a value is missing (null)")
    return a if a <= b else b


def _max2(a, b):
    if a is None or b is None:
        raise EvalFailure("a value is missing (null)")
    return a if a >= b else b


def _round(value, digits):
    value = _present(value)
    places = _whole(_present(digits), "the digits of round()")
    try:
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=CTX)
    except DecimalException:
        raise EvalFailure(f"cannot round {value} to {places} decimals (more than 60 digits)") from None


def _to_date(text):
    try:
        return parse_iso_date(text)
    except ValueError:
        raise EvalFailure(f"{text!r} is not a date (YYYY-MM-DD)") from None


_ZERO = Decimal(0)


def _make_list_call(name: str, source: Callable, lam: tuple[str, Callable] | None) -> Callable:
    if lam is None:
        if name == "sum":

            def total(env):
                result = _ZERO
                for item in source(env):
                    result = _exact_add(result, _present(item))
                return result

            return total
        return lambda env: Decimal(len(source(env)))
    var, body = lam
    loop = _LOOPS[name]

    # The bound variable lives in the evaluation's own environment (never shared
    # between evaluations), set for each item in turn. Its previous value is put
    # back afterwards: a definition computed on first use inside another lambda's
    # body may use the same variable name.
    def with_variable(env):
        saved = env.get(var, _UNSET)
        try:
            return loop(env, source(env), var, body)
        finally:
            if saved is _UNSET:
                env.pop(var, None)
            else:
                env[var] = saved

    return with_variable


_UNSET = object()


def make_sum_of_field(
    source: Callable, key: str, where: tuple[str, Callable] | None, path: tuple | None, plain: Callable
) -> Callable:
    """`sum(xs, x -> x.key)` and `sum(filter(xs, y -> condition), x -> x.key)` in one
    loop: the commonest aggregate (a total of amounts), without the intermediate list
    and without a call per item for the amount. `path` is (a, b) when the list is the
    field env[a][b], read here. When anything fails, `plain` (the calls as written)
    runs instead and reports the failure they meet first."""

    add = EXACT.add

    if where is None:

        def sum_all(env):
            total = _ZERO
            try:
                for item in source(env):
                    total = add(total, item[key])
            except (TypeError, DecimalException, EvalFailure):
                return plain(env)
            return total

        return sum_all
    var, condition = where
    a, b = path or (None, None)

    def sum_where(env):
        saved = env.get(var, _UNSET)
        try:
            total = _ZERO
            for item in env[a][b] if path else source(env):
                env[var] = item
                if condition(env):
                    total = add(total, item[key])
        except (TypeError, DecimalException, EvalFailure):
            total = None
        finally:
            if saved is _UNSET:
                env.pop(var, None)
            else:
                env[var] = saved
        return plain(env) if total is None else total

    return sum_where


def _sum_by(env, items, var, body):
    result = _ZERO
    for item in items:
        env[var] = item
        result = _exact_add(result, _present(body(env)))
    return result


def _count_by(env, items, var, body):
    n = 0
    for item in items:
        env[var] = item
        if body(env):
            n += 1
    return Decimal(n)


def _any_by(env, items, var, body):
    for item in items:
        env[var] = item
        if body(env):
            return True
    return False


def _all_by(env, items, var, body):
    for item in items:
        env[var] = item
        if not body(env):
            return False
    return True


def _filter_by(env, items, var, body):
    out = []
    for item in items:
        env[var] = item
        if body(env):
            out.append(item)
    return out


_LOOPS = {"sum": _sum_by, "count": _count_by, "any": _any_by, "all": _all_by, "filter": _filter_by}


def _exact_add(a, b):
    try:
        return EXACT.add(a, b)
    except DecimalException:
        raise EvalFailure(f"cannot add {a} and {b} exactly") from None
