"""Stage 3: checked AST -> a Python closure `fn(env) -> value`.

Each node becomes one closure, built once when the policy loads: operators and
parameter values are bound here and literal-only subtrees are folded. `env` is the
evaluation's own dict: the case's top-level fields, the values decided so far, the
current project and lambda variables. Nothing here can reach Python attributes, and
every closure terminates: lists are finite and there is no recursion in the language.

This module is the meaning. By default the commonest shapes (a field path compared
with a constant, a chain of such tests, `sum(xs, x -> x.amount)`) get the faster
closures of `fused.py`, which compute the same values; `precise=True` compiles every
node plainly, each failure carrying the position of the node that failed.
"""

from __future__ import annotations

import contextlib
import operator
from collections.abc import Callable
from decimal import Decimal, DecimalException

from . import ast, fused
from .analysis import COMPARE, MEMBERSHIP, chain, cost, is_total
from .builtins import make_call
from .checker import Checked
from .fused import FieldTest
from .runtime import (
    CTX,
    EXACT,
    MISSING,
    EvalFailure,
    FailureAt,
    arith_failure,
    lazy_getter,
    path_getter,
    shift_date,
)
from .types import ListOf


class CompiledExpr:
    """A compiled expression: its closure, its source, whether it is a constant (and
    which), whether it can never fail, and its FieldTest when it is one test of a field."""

    __slots__ = ("fn", "node", "constant", "is_constant", "total", "field_test")

    def __init__(self, fn, node, constant=None, is_constant=False, total=False, field_test=None):
        self.fn, self.node, self.constant, self.is_constant = fn, node, constant, is_constant
        self.total = total  # evaluating it can never fail
        self.field_test: FieldTest | None = field_test


class _Const:
    """Marks a closure whose value is known at compile time."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def compile_expr(
    node: ast.Node, checked: Checked, lazy: dict | None = None, observe: dict | None = None, precise: bool = False
) -> CompiledExpr:
    """Compile a checked expression into a closure of one argument, `env`.

    `lazy` maps names of values computed on first use (case-level definitions) to
    their LazyDefinition (lang/runtime.py); their results are kept in `env`, so
    each is computed at most once per case. `observe` maps id(node) to a callback
    given each value that node produces: only traced policies (coverage) pass it, so
    the untraced closures carry no hook. `precise` compiles every node plainly and
    says where each failure happened: the engine compiles that way only to locate a
    failure after the fast closures met one.
    """
    compiler = _Compiler(checked, lazy or {}, observe or {}, fast=not precise)
    result = compiler.compile(node)
    if isinstance(result, _Const):
        value = result.value
        return CompiledExpr(lambda env: value, node, value, True, True)
    test = compiler.tests.get(id(node))
    field_test = test if isinstance(test, FieldTest) else None
    return CompiledExpr(result, node, total=compiler.total(node), field_test=field_test)


def _const_fn(value) -> Callable:
    return lambda env: value


class _Compiler:
    def __init__(self, checked: Checked, lazy: dict, observe: dict, fast: bool):
        self.checked = checked
        self.lazy = lazy
        self.observe = observe
        self.fast = fast
        self.tests: dict[int, fused.Test] = {}  # id(node) -> its closure's test, fast mode only

    def compile(self, node):
        out = getattr(self, "_" + type(node).__name__)(node)
        hook = self.observe.get(id(node))
        if hook is None:
            return out
        self.tests.pop(id(node), None)  # a fused test would bypass the hook
        fn = out if not isinstance(out, _Const) else _const_fn(out.value)

        def observed(env):
            value = fn(env)
            hook(value)
            return value

        return observed

    def fn(self, node) -> Callable:
        """Compile to a closure even when the value is constant."""
        out = self.compile(node)
        return _const_fn(out.value) if isinstance(out, _Const) else out

    def _test(self, node, built: tuple) -> Callable:
        """Keep the test a fused builder returned next to its closure."""
        fn, test = built
        if test is not None:
            self.tests[id(node)] = test
        return fn

    def total(self, node) -> bool:
        return is_total(node, self.checked.types, self._name_total)

    def _name_total(self, name: str) -> bool:
        holder = self.lazy.get(name)
        return holder is None or holder.total

    def _traced(self, node) -> bool:
        return any(id(n) in self.observe for n in ast.walk(node))

    def _Literal(self, node):
        return _Const(node.value)

    def _ListExpr(self, node):
        parts = [self.compile(item) for item in node.items]
        if all(isinstance(p, _Const) for p in parts):
            return _Const([p.value for p in parts])
        fns = [_const_fn(p.value) if isinstance(p, _Const) else p for p in parts]
        return lambda env: [f(env) for f in fns]

    def _Name(self, node):
        info = self.checked.names[id(node)]
        if info.kind == "param":
            return _Const(info.value)
        key = node.name
        if info.kind == "project_computed":
            return lambda env: env["project"][key]
        holder = self.lazy.get(key)
        if holder is None:
            return operator.itemgetter(key)
        if self.fast and holder.in_place:
            # A few tests that cannot fail: cheaper to repeat than to keep.
            if holder.field_test is not None:
                self.tests[id(node)] = holder.field_test
            return holder.compute
        return lazy_getter(key, holder)

    def _Field(self, node):
        # A field path such as procurement.supplier.x becomes one closure.
        keys = self._plain_path(node, limit=None, traced_base=True)
        if keys is not None:
            if self.fast and len(keys) == 2 and str(self.checked.types.get(id(node))) == "bool":
                return self._test(node, fused.bool_field(keys[0], keys[1]))
            return path_getter(keys)
        target, path = ast.split_path(node)
        base = self.fn(target)
        getter = path_getter(path)
        return lambda env: getter(base(env))

    def _plain_path(self, node, limit: int | None = 3, traced_base: bool = False) -> list | None:
        """The keys of a plain field path (`procurement.value_nok`), read straight from
        env: a name of the case or a local, not computed on first use, not traced
        (unless `traced_base`: a path read whole reports no value of its base)."""
        base, fields = ast.split_path(node)
        if not isinstance(base, ast.Name) or base.name in self.lazy:
            return None
        if id(base) in self.observe and not traced_base:
            return None
        info = self.checked.names.get(id(base))
        if info is None or info.kind not in ("case", "computed", "local", "project"):
            return None
        keys = [base.name, *fields]
        return keys if limit is None or len(keys) <= limit else None

    def _fast_path(self, node, size: int | None = None) -> list | None:
        """`_plain_path` in fast mode, for a node not traced (of `size` keys if given)."""
        if not self.fast or id(node) in self.observe:
            return None
        keys = self._plain_path(node)
        return keys if keys is not None and (size is None or len(keys) == size) else None

    def _Unary(self, node):
        inner = self.compile(node.operand)
        if isinstance(inner, _Const):
            return _Const((not inner.value) if node.op == "not" else EXACT.minus(inner.value))
        if node.op == "not":
            test = self.tests.get(id(node.operand))
            if isinstance(test, FieldTest):
                self.tests[id(node)] = test.negated()
            return lambda env: not inner(env)
        minus, pos = EXACT.minus, node.pos

        def negate(env):
            value = inner(env)
            if value is None:
                raise FailureAt("a value is missing (null)", pos)
            return minus(value)

        return negate

    def _BoolOp(self, node):
        left, right = self.compile(node.left), self.compile(node.right)
        if isinstance(left, _Const):
            if node.op == "and":
                return right if left.value else _Const(False)
            return _Const(True) if left.value else right
        if isinstance(right, _Const):
            if node.op == "and":
                return left if right.value else (lambda env: left(env) and False)
            return (lambda env: left(env) or True) if right.value else left
        if self.fast:
            return self._fused_chain(node)
        if node.op == "and":
            return lambda env: left(env) and right(env)
        return lambda env: left(env) or right(env)

    def _fused_chain(self, node):
        """a and b and c: one closure over the chain instead of nested pairs, its
        field tests made in place, parts that cannot fail tried cheapest first."""
        parts = [(self.fn(n), n, self.tests.get(id(n))) for n in chain(node, node.op)]
        if not self._traced(node):
            parts = fused.cheapest_first(parts, self.total, self._cost)
        return fused.bool_chain(node.op, [p[0] for p in parts], [p[2] for p in parts])

    def _cost(self, node) -> int:
        return cost(node, lambda name: 5 if name.name in self.lazy else 1)

    def _IfExpr(self, node):
        cond = self.compile(node.cond)
        if isinstance(cond, _Const):
            return self.compile(node.then if cond.value else node.other)
        then, other = self.fn(node.then), self.fn(node.other)
        return lambda env: then(env) if cond(env) else other(env)

    def _Binary(self, node):
        op = node.op
        left, right = self.compile(node.left), self.compile(node.right)
        if op in COMPARE:
            return self._compare(op, left, right, node)
        if op in MEMBERSHIP:
            return self._membership(op, left, right, node)
        return self._arith(op, left, right, node)

    def _compare(self, op, left, right, node):
        cmp = COMPARE[op]
        if isinstance(left, _Const) and isinstance(right, _Const):
            return _Const(cmp(left.value, right.value))
        pos = node.pos
        if self.fast:
            fast = self._fast_compare(op, left, right, node)
            if fast is not None:
                return fast
        lf, rf = self._fns(left, right)
        if op == "==":
            return lambda env: lf(env) == rf(env)
        if op == "!=":
            return lambda env: lf(env) != rf(env)

        def compare(env):
            try:
                return cmp(lf(env), rf(env))
            except TypeError:  # None (a missing value) has no order
                raise FailureAt("a value in the comparison is missing (null)", pos) from None

        return compare

    def _fast_compare(self, op, left, right, node):
        keys = self._fast_path(node.left)
        pos = node.pos
        if isinstance(right, _Const):
            if keys is not None:
                return self._test(node, fused.path_compare(keys, op, right.value, pos))
            name = node.left
            if op not in ("==", "!=") and isinstance(name, ast.Name) and name.name in self.lazy and id(name) not in self.observe:
                return fused.compare_computed(name.name, left, COMPARE[op], right.value, pos, MISSING)
            return fused.compare_const(left, op, right.value, pos)
        if keys is not None and len(keys) == 2:
            return self._test(node, fused.path_compare_fn(keys, op, right, pos))
        return None

    @staticmethod
    def _fns(left, right):
        lf = left if not isinstance(left, _Const) else _const_fn(left.value)
        rf = right if not isinstance(right, _Const) else _const_fn(right.value)
        return lf, rf

    def _membership(self, op, left, right, node):
        negate = op == "not in"
        if isinstance(right, _Const):
            pool = right.value
            with contextlib.suppress(TypeError):  # unhashable items: keep the list
                pool = frozenset(pool)
            if isinstance(left, _Const):
                return _Const((left.value in pool) != negate)
            keys = self._fast_path(node.left, size=2)
            if keys is not None:
                return self._test(node, fused.membership_path(keys[0], keys[1], pool, negate))
            if negate:
                return lambda env: left(env) not in pool
            return lambda env: left(env) in pool
        lf, rf = self._fns(left, right)
        if negate:
            return lambda env: lf(env) not in rf(env)
        return lambda env: lf(env) in rf(env)

    def _arith(self, op, left, right, node):
        ltype = self.checked.types.get(id(node.left))
        pos = node.pos
        if isinstance(ltype, ListOf):
            if isinstance(left, _Const) and isinstance(right, _Const):
                return _Const(list(left.value) + list(right.value))
            lf, rf = self._fns(left, right)
            return lambda env: list(lf(env)) + list(rf(env))
        if ltype is not None and str(ltype) in ("date", "duration") or isinstance(
            getattr(left, "value", None), ast.Duration
        ):
            return self._date_arith(op, left, right, node)
        func = {"+": EXACT.add, "-": EXACT.subtract, "*": EXACT.multiply, "/": CTX.divide}[op]
        if isinstance(left, _Const) and isinstance(right, _Const):
            try:
                return _Const(func(left.value, right.value))
            except DecimalException:
                pass  # report it when evaluated, with the case
        lf, rf = self._fns(left, right)
        keys = None if isinstance(left, _Const) else self._fast_path(node.left, size=2)
        if keys is not None:
            return fused.arith_path(keys[0], keys[1], rf, func, op, pos)

        def arith(env):
            a, b = lf(env), rf(env)
            try:
                return func(a, b)
            except (TypeError, DecimalException):
                raise arith_failure(op, a, b, pos) from None

        return arith

    def _date_arith(self, op, left, right, node):
        pos = node.pos
        lf, rf = self._fns(left, right)
        rtype = self.checked.types.get(id(node.right))
        sign = 1 if op == "+" else -1
        if str(rtype) == "date":  # duration + date
            lf, rf = rf, lf

        def date_arith(env):
            day, span = lf(env), rf(env)
            if day is None or span is None:
                raise FailureAt("a date in the expression is missing (null)", pos)
            if isinstance(day, ast.Duration):  # duration +/- duration
                return ast.Duration(day.years + sign * span.years, day.days + sign * span.days)
            try:
                return shift_date(day, span, sign)
            except EvalFailure as exc:
                raise FailureAt(str(exc), pos) from None

        if isinstance(left, _Const) and isinstance(right, _Const):
            with contextlib.suppress(EvalFailure):
                return _Const(date_arith({}))
        ltype = self.checked.types.get(id(node.left))
        whole_years = isinstance(right, _Const) and not right.value.days
        if self.fast and str(ltype) == "date" and str(rtype) == "duration" and whole_years:
            return fused.shift_years(lf, date_arith)
        return date_arith

    def _Call(self, node):
        summed = None
        if self.fast and not self._traced(node):
            summed = fused.sum_of_field(node, self.fn, self._fast_path, lambda: self._plain_call(node))
        return summed if summed is not None else self._plain_call(node)

    def _plain_call(self, node):
        lam = None
        fns = []
        consts = []
        for arg in node.args:
            if isinstance(arg, ast.Lambda):
                lam = (arg.param, self.fn(arg.body))
            else:
                compiled = self.compile(arg)
                consts.append(isinstance(compiled, _Const))
                fns.append(_const_fn(compiled.value) if isinstance(compiled, _Const) else compiled)
        call = make_call(node.func, fns, lam)
        pos = node.pos

        def guarded(env):
            try:
                return call(env)
            except FailureAt:
                raise
            except EvalFailure as exc:
                raise FailureAt(str(exc), pos) from None

        if lam is None and all(consts):
            try:
                return _Const(call({}))
            except EvalFailure:
                return guarded
        return call if self.fast else guarded


def constant_value(node: ast.Node, checked: Checked):
    """The value of a constant expression (a parameter), or raise EvalFailure."""
    compiled = compile_expr(node, checked)
    if not compiled.is_constant:
        raise EvalFailure("the value must be a constant (no case fields or decisions)")
    return compiled.constant


__all__ = ["CompiledExpr", "FailureAt", "compile_expr", "constant_value", "Decimal"]
