"""Stage 3: checked AST -> a Python closure `fn(env) -> value`.

Each node becomes one closure, built once when the policy loads: operators and
parameter values are bound here, literal-only subtrees are folded, and common
shapes (a field path, a comparison with a constant) get a closure of their own so
the per-case path does as little as possible. `env` is the evaluation's own dict:
the case's top-level fields, the values decided so far, the current project and
lambda variables. Nothing here can reach Python attributes, and every closure
terminates: lists are finite and there is no recursion in the language.
"""

from __future__ import annotations

import contextlib
import operator
from collections.abc import Callable
from decimal import Decimal, DecimalException

from . import ast
from .builtins import make_call, make_sum_of_field
from .checker import Checked
from .runtime import CTX, EXACT, EvalFailure, shift_date
from .types import ListOf, Optional


class CompiledExpr:
    """A compiled expression, with its source and the span of each failure site."""

    __slots__ = ("fn", "node", "constant", "is_constant", "total")

    def __init__(self, fn, node, constant=None, is_constant=False, total=False):
        self.fn, self.node, self.constant, self.is_constant = fn, node, constant, is_constant
        self.total = total  # evaluating it can never fail


class FailureAt(EvalFailure):
    """An evaluation failure that knows the position of the failing node."""

    def __init__(self, message: str, pos):
        super().__init__(message)
        self.pos = pos


_COMPARE = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


def _chain(node, op):
    """The operands of a chain of one boolean operator: (a and b) and c -> a, b, c."""
    if isinstance(node, ast.BoolOp) and node.op == op:
        return _chain(node.left, op) + _chain(node.right, op)
    return [node]


def _lazy_getter(key: str, holder):
    """Read a lazily computed value; `holder` is the engine's LazyDefinition
    (compute, wrap_failure, total, in_place)."""
    missing = _MISSING

    def get(env):
        value = env.get(key, missing)
        if value is missing:
            try:
                value = env[key] = holder.compute(env)
            except EvalFailure as exc:
                raise holder.wrap_failure(exc) from None
        return value

    return get


_MISSING = object()


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
    a one-item list holding the function that computes them; their results are
    kept in `env`, so each is computed at most once per case. `observe` maps
    id(node) to a callback given each value that node produces: only traced
    policies (coverage) pass it, so the untraced closures carry no hook. `precise`
    wraps each function call to say where a failure happened: the engine compiles
    that way only to locate a failure after the fast closures met one.
    """
    compiler = _Compiler(checked, lazy or {}, observe or {}, precise)
    result = compiler.compile(node)
    if isinstance(result, _Const):
        value = result.value
        return CompiledExpr(lambda env: value, node, value, True, True)
    return CompiledExpr(result, node, total=compiler.total(node))


class _Compiler:
    def __init__(self, checked: Checked, lazy: dict, observe: dict, precise: bool = False):
        self.checked = checked
        self.lazy = lazy
        self.observe = observe
        self.precise = precise

    def compile(self, node):
        out = getattr(self, "_" + type(node).__name__)(node)
        hook = self.observe.get(id(node))
        if hook is not None:
            fn = out if not isinstance(out, _Const) else (lambda env, v=out.value: v)

            def observed(env):
                value = fn(env)
                hook(value)
                return value

            return observed
        return out

    def fn(self, node) -> Callable:
        """Compile to a closure even when the value is constant."""
        out = self.compile(node)
        if isinstance(out, _Const):
            value = out.value
            return lambda env: value
        return out

    def total(self, node) -> bool:
        """Whether evaluating `node` can never fail: no arithmetic or call (which can
        overflow or meet a missing value), no order on a value that may be missing."""
        if isinstance(node, ast.Literal):
            return True
        if isinstance(node, ast.Name):
            holder = self.lazy.get(node.name)
            return holder is None or holder.total
        if isinstance(node, ast.Field):
            return self.total(node.target)
        if isinstance(node, ast.ListExpr):
            return all(self.total(item) for item in node.items)
        if isinstance(node, ast.Unary):
            return node.op == "not" and self.total(node.operand)
        if isinstance(node, ast.BoolOp):
            return self.total(node.left) and self.total(node.right)
        if isinstance(node, ast.IfExpr):
            return self.total(node.cond) and self.total(node.then) and self.total(node.other)
        if isinstance(node, ast.Binary) and (node.op in _COMPARE or node.op in ("in", "not in")):
            if not (self.total(node.left) and self.total(node.right)):
                return False
            if node.op in ("==", "!=", "in", "not in"):
                return True
            types = (self.checked.types.get(id(node.left)), self.checked.types.get(id(node.right)))
            return all(t is not None and not isinstance(t, Optional) for t in types)
        return False

    def _cheapest_first(self, parts: list, nodes: list) -> list:
        """Reorder neighbouring parts that can never fail, cheapest first (plain field tests
        before the rest). Among such parts the order changes nothing but the work; a part
        that can fail stays where it is, and nothing moves across it."""
        out: list = []
        run: list = []
        for part, node in zip(parts, nodes, strict=True):
            if self.total(node):
                run.append((0 if hasattr(part, "atom") else self._cost(node), len(run), part))
                continue
            out += [p for *_, p in sorted(run)] + [part]
            run = []
        return out + [p for *_, p in sorted(run)]

    def _cost(self, node) -> int:
        """A rough count of the work of evaluating `node`, to try cheap tests first."""
        cost = 0
        for sub in ast.walk(node):
            cost += 10 if isinstance(sub, ast.Call) else 5 if isinstance(sub, ast.Name) and sub.name in self.lazy else 1
        return cost

    def _Literal(self, node):
        return _Const(node.value)

    def _ListExpr(self, node):
        parts = [self.compile(item) for item in node.items]
        if all(isinstance(p, _Const) for p in parts):
            return _Const([p.value for p in parts])
        fns = [self.fn(item) for item in node.items]
        return lambda env: [f(env) for f in fns]

    def _Name(self, node):
        info = self.checked.names[id(node)]
        if info.kind == "param":
            return _Const(info.value)
        key = node.name
        if info.kind == "project_computed":
            return lambda env: env["project"][key]
        if key in self.lazy:
            holder = self.lazy[key]
            if not self.precise and holder.in_place:
                return holder.compute  # a few tests that cannot fail: cheaper to repeat than to keep
            return _lazy_getter(key, holder)
        return operator.itemgetter(key)

    def _Field(self, node):
        # A field path such as procurement.supplier.x becomes one closure.
        target, path = ast.split_path(node)
        if isinstance(target, ast.Name):
            info = self.checked.names[id(target)]
            if info.kind in ("case", "computed", "local", "project") and target.name not in self.lazy:
                keys = [target.name, *path]
                if len(keys) == 2 and str(self.checked.types.get(id(node))) == "bool":
                    a, b = keys
                    return _atom(lambda env: env[a][b], a, b, operator.is_, True, (operator.is_not, True), safe=True)
                return _path_getter(keys)
        base = self.fn(target)
        getter = _path_getter(path)
        return lambda env: getter(base(env))

    def _Unary(self, node):
        inner = self.compile(node.operand)
        if isinstance(inner, _Const):
            return _Const((not inner.value) if node.op == "not" else CTX.minus(inner.value))
        if node.op == "not":
            atom = getattr(inner, "atom", None)

            def negated(env):
                return not inner(env)

            if atom is not None:
                a, b, cmp, const = atom
                return _atom(negated, a, b, *inner.negation, (cmp, const), safe=inner.safe)
            return negated
        minus = CTX.minus
        pos = node.pos

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
        # a and b and c: one closure over the chain instead of nested pairs.
        nodes = _chain(node, node.op)
        parts = [self.fn(n) for n in nodes]
        if not self.precise and not any(id(n) in self.observe for n in ast.walk(node)):
            parts = self._cheapest_first(parts, nodes)
        slow = self._chain_closure(node.op, parts)
        atoms = [getattr(part, "atom", None) for part in parts]
        if 2 <= len(parts) <= 4 and None not in atoms:
            return _fused_chain(node.op, atoms, slow)
        leading = next((i for i, atom in enumerate(atoms) if atom is None), len(atoms))
        if 1 <= leading <= 3:  # field tests, then the rest: the tests run in this closure
            rest = parts[leading:]
            if leading == 1 and len(rest) == 2:
                return _test_then_two(node.op, atoms[0], *rest, slow)
            return _tests_then(node.op, atoms[:leading], rest[0] if len(rest) == 1 else self._chain_closure(node.op, rest), slow)
        varying = [getattr(part, "varying", None) for part in parts]
        if None not in varying:
            return _fused_varying_chain(node.op, varying, slow) or slow
        return slow

    @staticmethod
    def _chain_closure(op, parts):
        if op == "and":
            if len(parts) == 2:
                a, b = parts
                return lambda env: a(env) and b(env)
            if len(parts) == 3:
                a, b, c = parts
                return lambda env: a(env) and b(env) and c(env)
            if len(parts) == 4:
                a, b, c, d = parts
                return lambda env: a(env) and b(env) and c(env) and d(env)

            def all_of(env):
                return all(part(env) for part in parts)

            return all_of
        if len(parts) == 2:
            a, b = parts
            return lambda env: a(env) or b(env)
        if len(parts) == 3:
            a, b, c = parts
            return lambda env: a(env) or b(env) or c(env)

        def any_of(env):
            return any(part(env) for part in parts)

        return any_of

    def _IfExpr(self, node):
        cond = self.compile(node.cond)
        then, other = self.fn(node.then), self.fn(node.other)
        if isinstance(cond, _Const):
            return self.compile(node.then if cond.value else node.other)
        return lambda env: then(env) if cond(env) else other(env)

    def _Binary(self, node):
        op = node.op
        left, right = self.compile(node.left), self.compile(node.right)
        if op in _COMPARE:
            return self._compare(op, left, right, node)
        if op in ("in", "not in"):
            return self._membership(op, left, right, node)
        return self._arith(op, left, right, node)

    def _direct_path(self, node) -> list | None:
        """The keys of a plain field path (`procurement.value_nok`), read straight from env."""
        node, fields = ast.split_path(node)
        if not isinstance(node, ast.Name) or node.name in self.lazy or id(node) in self.observe:
            return None
        info = self.checked.names.get(id(node))
        if info is None or info.kind not in ("case", "computed", "local", "project"):
            return None
        keys = [node.name, *fields]
        return keys if len(keys) <= 3 else None

    def _compare(self, op, left, right, node):
        cmp = _COMPARE[op]
        if isinstance(left, _Const) and isinstance(right, _Const):
            return _Const(cmp(left.value, right.value))
        pos = node.pos
        if isinstance(right, _Const) and id(node.left) not in self.observe:
            keys = self._direct_path(node.left)
            if keys is not None:
                return _path_compare(keys, op, right.value, pos)
        if not isinstance(right, _Const) and id(node.left) not in self.observe:
            keys = self._direct_path(node.left)
            if keys is not None and len(keys) == 2:
                return _path_compare_fn(keys, op, right, pos)
        if op in ("==", "!="):
            if isinstance(right, _Const):
                const = right.value
                return (lambda env: left(env) == const) if op == "==" else (lambda env: left(env) != const)
            lf, rf = self._fns(left, right)
            return (lambda env: lf(env) == rf(env)) if op == "==" else (lambda env: lf(env) != rf(env))
        def missing():
            return FailureAt("a value in the comparison is missing (null)", pos)

        if isinstance(right, _Const) and isinstance(node.left, ast.Name) and node.left.name in self.lazy and id(node.left) not in self.observe:
            const, key, compute, missing_value = right.value, node.left.name, left, _MISSING

            def compare_computed(env):  # accumulated_nok > ica_threshold: read it here when known
                value = env.get(key, missing_value)
                if value is missing_value:
                    value = compute(env)
                try:
                    return cmp(value, const)
                except TypeError:
                    raise missing() from None

            return compare_computed
        if isinstance(right, _Const):
            const = right.value

            def compare_const(env):
                try:
                    return cmp(left(env), const)
                except TypeError:  # None (a missing value) has no order
                    raise missing() from None

            return compare_const
        lf, rf = self._fns(left, right)

        def compare(env):
            try:
                return cmp(lf(env), rf(env))
            except TypeError:
                raise missing() from None

        return compare

    @staticmethod
    def _fns(left, right):
        lf = left if not isinstance(left, _Const) else (lambda env, v=left.value: v)
        rf = right if not isinstance(right, _Const) else (lambda env, v=right.value: v)
        return lf, rf

    def _membership(self, op, left, right, node):
        negate = op == "not in"
        if isinstance(right, _Const):
            pool = right.value
            with contextlib.suppress(TypeError):  # unhashable items: keep the tuple
                pool = frozenset(pool)
            if isinstance(left, _Const):
                return _Const((left.value in pool) != negate)
            keys = self._direct_path(node.left) if id(node.left) not in self.observe else None
            if keys is not None and len(keys) == 2:  # procurement.channel in [...]: one closure
                a, b = keys
                fn = (lambda env: env[a][b] not in pool) if negate else (lambda env: env[a][b] in pool)
                if isinstance(pool, frozenset):
                    inside = dict.fromkeys(pool, True).get
                    outside = dict.fromkeys(pool, False).get
                    test, other = ((outside, True), (inside, False)) if negate else ((inside, False), (outside, True))
                    return _atom(fn, a, b, *test, other, safe=True)
                return fn
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
        keys = self._direct_path(node.left) if not isinstance(left, _Const) and id(node.left) not in self.observe else None
        if keys is not None and len(keys) == 2:  # procurement.value_nok + ...: the field read here
            x, y = keys

            def arith_path(env):
                a, b = env[x][y], rf(env)
                try:
                    return func(a, b)
                except (TypeError, DecimalException):
                    raise _arith_failure(op, a, b, pos) from None

            return arith_path

        def arith(env):
            a, b = lf(env), rf(env)
            try:
                return func(a, b)
            except (TypeError, DecimalException):
                raise _arith_failure(op, a, b, pos) from None

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
            try:
                return _Const(date_arith({}))
            except EvalFailure:
                pass
        ltype = self.checked.types.get(id(node.left))
        if str(ltype) == "date" and str(rtype) == "duration" and isinstance(right, _Const) and not right.value.days:
            return _shift_years(lf, date_arith)
        return date_arith

    def _Call(self, node):
        fused = None if self.precise else self._sum_of_field(node)
        if fused is not None:
            return fused
        return self._plain_call(node)

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
                fns.append(self.fn(arg))
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
        return guarded if self.precise else call


    def _sum_of_field(self, node):
        """`sum(xs, x -> x.amount)`, optionally over `filter(xs, ...)`, as one loop; None
        for any other call, and when something inside is traced."""
        if node.func != "sum" or len(node.args) != 2 or any(id(n) in self.observe for n in ast.walk(node)):
            return None
        lam = node.args[1]
        body = lam.body if isinstance(lam, ast.Lambda) else None
        if not (isinstance(body, ast.Field) and isinstance(body.target, ast.Name) and body.target.name == lam.param):
            return None
        source = node.args[0]
        where = None
        if isinstance(source, ast.Call) and source.func == "filter" and isinstance(source.args[1], ast.Lambda):
            where = (source.args[1].param, self.fn(source.args[1].body))
            source = source.args[0]
        keys = self._direct_path(source) if id(source) not in self.observe else None
        path = tuple(keys) if keys and len(keys) == 2 else None
        # On a failure the plain calls run instead: they meet failures in the order
        # written (the whole filter first, then the sum), so the same one is reported.
        return make_sum_of_field(self.fn(source), body.name, where, path, self._plain_call(node))


_NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def _atom(fn, a: str, b: str, test, const, negation: tuple, safe: bool):
    """Mark a closure as one test of a field, `test(env[a][b], const)` with a C function
    `test`, so a chain of such tests can run in one closure (`_fused_chain`).
    `negation` is the (test, const) of its negation; `safe` says it cannot fail (no
    order on a missing value), so a definition of that shape may be read in place."""
    fn.atom = (a, b, test, const)
    fn.negation = negation
    fn.safe = safe
    return fn


def _arith_failure(op: str, a, b, pos) -> FailureAt:
    if a is None or b is None:
        return FailureAt(f"a value in '{op}' is missing (null)", pos)
    if op == "/" and not b:
        return FailureAt("division by zero", pos)
    if op != "/":
        return FailureAt(f"the exact result of {a} {op} {b} has more than 60 digits (round() a division first)", pos)
    return FailureAt(f"cannot compute {a} {op} {b}", pos)


def _test_then_two(op: str, atom: tuple, r1: Callable, r2: Callable, slow: Callable) -> Callable:
    """`a and p and q` where a is a test of a field."""
    a1, b1, t1, k1 = atom
    if op == "and":

        def test_and_two(env):
            try:
                return t1(env[a1][b1], k1) and r1(env) and r2(env)
            except TypeError:
                return slow(env)

        return test_and_two

    def test_or_two(env):
        try:
            return t1(env[a1][b1], k1) or r1(env) or r2(env)
        except TypeError:
            return slow(env)

    return test_or_two


def _tests_then(op: str, atoms: list, rest: Callable, slow: Callable) -> Callable:
    """`a and b and rest` where a and b are tests of fields: the tests run here."""
    if len(atoms) == 1:
        ((a1, b1, t1, k1),) = atoms
        if op == "and":

            def test_and(env):
                try:
                    return t1(env[a1][b1], k1) and rest(env)
                except TypeError:
                    return slow(env)

            return test_and

        def test_or(env):
            try:
                return t1(env[a1][b1], k1) or rest(env)
            except TypeError:
                return slow(env)

        return test_or
    if len(atoms) == 2:
        (a1, b1, t1, k1), (a2, b2, t2, k2) = atoms
        if op == "and":

            def tests2_and(env):
                try:
                    return t1(env[a1][b1], k1) and t2(env[a2][b2], k2) and rest(env)
                except TypeError:
                    return slow(env)

            return tests2_and

        def tests2_or(env):
            try:
                return t1(env[a1][b1], k1) or t2(env[a2][b2], k2) or rest(env)
            except TypeError:
                return slow(env)

        return tests2_or
    (a1, b1, t1, k1), (a2, b2, t2, k2), (a3, b3, t3, k3) = atoms
    if op == "and":

        def tests3_and(env):
            try:
                return t1(env[a1][b1], k1) and t2(env[a2][b2], k2) and t3(env[a3][b3], k3) and rest(env)
            except TypeError:
                return slow(env)

        return tests3_and

    def tests3_or(env):
        try:
            return t1(env[a1][b1], k1) or t2(env[a2][b2], k2) or t3(env[a3][b3], k3) or rest(env)
        except TypeError:
            return slow(env)

    return tests3_or


def _fused_chain(op: str, atoms: list, slow: Callable) -> Callable:
    """`a and b and c` where each part is one test of a field: the tests run in one
    closure, calling only C functions. A part that fails (a missing value compared
    with <) is left to the ordinary chain, which says where."""
    if len(atoms) == 2:
        (a1, b1, t1, k1), (a2, b2, t2, k2) = atoms
        if op == "and":

            def and2(env):
                try:
                    return t1(env[a1][b1], k1) and t2(env[a2][b2], k2)
                except TypeError:
                    return slow(env)

            return and2

        def or2(env):
            try:
                return t1(env[a1][b1], k1) or t2(env[a2][b2], k2)
            except TypeError:
                return slow(env)

        return or2
    if len(atoms) == 3:
        (a1, b1, t1, k1), (a2, b2, t2, k2), (a3, b3, t3, k3) = atoms
        if op == "and":

            def and3(env):
                try:
                    return t1(env[a1][b1], k1) and t2(env[a2][b2], k2) and t3(env[a3][b3], k3)
                except TypeError:
                    return slow(env)

            return and3

        def or3(env):
            try:
                return t1(env[a1][b1], k1) or t2(env[a2][b2], k2) or t3(env[a3][b3], k3)
            except TypeError:
                return slow(env)

        return or3
    (a1, b1, t1, k1), (a2, b2, t2, k2), (a3, b3, t3, k3), (a4, b4, t4, k4) = atoms
    if op == "and":

        def and4(env):
            try:
                return t1(env[a1][b1], k1) and t2(env[a2][b2], k2) and t3(env[a3][b3], k3) and t4(env[a4][b4], k4)
            except TypeError:
                return slow(env)

        return and4

    def or4(env):
        try:
            return t1(env[a1][b1], k1) or t2(env[a2][b2], k2) or t3(env[a3][b3], k3) or t4(env[a4][b4], k4)
        except TypeError:
            return slow(env)

    return or4


def _path_compare(keys: list, op: str, const, pos) -> Callable:
    """`path op constant` in one closure: the commonest condition, so it gets no call for
    the field read. A missing value (None) cannot be ordered: that is reported."""
    cmp = _COMPARE[op]
    n = len(keys)
    a = keys[0]
    b = keys[1] if n > 1 else None
    c = keys[2] if n > 2 else None
    negation = (_COMPARE[_NEGATED[op]], const)
    if op == "==":
        if n == 1:
            return lambda env: env[a] == const
        if n == 2:
            return _atom(lambda env: env[a][b] == const, a, b, operator.eq, const, negation, safe=True)
        return lambda env: env[a][b][c] == const
    if op == "!=":
        if n == 1:
            return lambda env: env[a] != const
        if n == 2:
            return _atom(lambda env: env[a][b] != const, a, b, operator.ne, const, negation, safe=True)
        return lambda env: env[a][b][c] != const

    def missing():
        return FailureAt("a value in the comparison is missing (null)", pos)

    if n == 1:

        def compare1(env):
            try:
                return cmp(env[a], const)
            except TypeError:
                raise missing() from None

        return compare1
    if n == 2:

        def compare2(env):
            try:
                return cmp(env[a][b], const)
            except TypeError:
                raise missing() from None

        return _atom(compare2, a, b, cmp, const, negation, safe=False)

    def compare3(env):
        try:
            return cmp(env[a][b][c], const)
        except TypeError:
            raise missing() from None

    return compare3


def _shift_years(day_fn: Callable, general: Callable) -> Callable:
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


_MEMO_LIMIT = 4096


def _path_compare_fn(keys: list, op: str, right: Callable, pos) -> Callable:
    """`x.field op expression` (a lambda variable's field against a value of the case)
    in one closure: the condition of a filter, evaluated once per item."""
    a, b = keys
    cmp = _COMPARE[op]
    if op == "==":
        fn = lambda env: env[a][b] == right(env)  # noqa: E731
    elif op == "!=":
        fn = lambda env: env[a][b] != right(env)  # noqa: E731
    else:

        def fn(env):
            try:
                return cmp(env[a][b], right(env))
            except TypeError:  # None (a missing value) has no order
                raise FailureAt("a value in the comparison is missing (null)", pos) from None

    fn.varying = (a, b, cmp, right)
    return fn


def _fused_varying_chain(op: str, tests: list, slow: Callable) -> Callable | None:
    """`x.date > window_start and x.date <= date`: tests of fields against values that
    vary by case, in one closure (a filter's condition runs once per item)."""
    if len(tests) != 2:
        return None
    (a1, b1, t1, r1), (a2, b2, t2, r2) = tests
    if op == "and":

        def and2(env):
            try:
                return t1(env[a1][b1], r1(env)) and t2(env[a2][b2], r2(env))
            except TypeError:
                return slow(env)

        return and2

    def or2(env):
        try:
            return t1(env[a1][b1], r1(env)) or t2(env[a2][b2], r2(env))
        except TypeError:
            return slow(env)

    return or2


def _path_getter(keys: list[str]) -> Callable:
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


def constant_value(node: ast.Node, checked: Checked):
    """The value of a constant expression (a parameter), or raise EvalFailure."""
    compiled = compile_expr(node, checked)
    if not compiled.is_constant:
        raise EvalFailure("the value must be a constant (no case fields or decisions)")
    return compiled.constant


__all__ = ["CompiledExpr", "FailureAt", "compile_expr", "constant_value", "Decimal"]
