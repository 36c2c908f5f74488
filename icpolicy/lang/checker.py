"""Stage 2: AST -> types, resolved names and dependencies, or a list of Diagnostics.

`check_expr(node, env, place)` types every node, resolves each name (a parameter,
a case field, a decision, a lambda variable, the current project), records which
decisions the expression depends on, and collects every problem as a Diagnostic,
placed by `place` and with a "did you mean" where one helps. Nothing is evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from ..diagnostics import Diagnostic, suggest
from . import ast
from . import types as T
from .ast import Place, expression_place
from .builtins import BUILTINS, result_type


@dataclass(frozen=True)
class NameInfo:
    """What a name refers to and how compiled code reaches it."""

    type: T.Type
    kind: str  # param | case | computed | local | project | project_computed
    value: object = None  # the constant value of a parameter


@dataclass
class CheckEnv:
    """The names an expression may use, for one scope (the case, or each project)."""

    globals: dict[str, NameInfo]
    project_names: dict[str, NameInfo] = field(default_factory=dict)
    project_record: str = "project"  # record type name of a project item
    in_project: bool = False
    # Every name of the policy, typed yet or not: a lambda variable may hide none.
    reserved: frozenset = frozenset()
    # Names whose definition failed (reported there): a use is silent, never "unknown".
    poisoned: frozenset | set = frozenset()


@dataclass
class Checked:
    type: T.Type | None
    types: dict = field(default_factory=dict)  # id(node) -> Type
    names: dict = field(default_factory=dict)  # id(Name node) -> NameInfo
    deps: set = field(default_factory=set)  # computed names (decisions, definitions) used
    problems: list[Diagnostic] = field(default_factory=list)
    poisoned: set = field(default_factory=set)  # failed definitions used (so this fails too, silently)


class _Checker:
    def __init__(self, env: CheckEnv, out: Checked, place: Place):
        self.env = env
        self.out = out
        self.place = place
        self.locals: dict[str, T.Type] = {}

    def fail(self, node, message, help=None, code="E-TYPE"):
        self.out.problems.append(Diagnostic(code, message, self.place(node.pos), help))

    def check(self, node: ast.Node) -> T.Type | None:
        typ = getattr(self, "_" + type(node).__name__)(node)
        if typ is not None:
            self.out.types[id(node)] = typ
        return typ

    def _Literal(self, node: ast.Literal):
        return T.LITERAL_TYPES[node.kind]

    def _ListExpr(self, node: ast.ListExpr):
        item: T.Type = T.ANY
        for child in node.items:
            t = self.check(child)
            if t is None:
                return None
            joined = T.unify(item, t)
            if joined is None:
                self.fail(child, f"a list holds items of one kind: {t} does not fit with {item}")
                return None
            item = joined
        return T.ListOf(item)

    def _Name(self, node: ast.Name):
        name = node.name
        if name in self.locals:
            self.out.names[id(node)] = NameInfo(self.locals[name], "local")
            return self.locals[name]
        if self.env.in_project:
            if name == "project":
                projects = self.env.globals["projects"]
                record = projects.type.item if isinstance(projects.type, T.ListOf) else None
                assert record is not None  # the loader declares projects as ListOf(project record)
                self.out.names[id(node)] = NameInfo(record, "project")
                return record
            if name in self.env.project_names:
                project_info = self.env.project_names[name]
                self.out.deps.add(name)
                self.out.names[id(node)] = project_info
                return project_info.type
        info = self.env.globals.get(name)
        if info is None:
            if name in self.env.poisoned:
                self.out.poisoned.add(name)
                return None
            if name in self.env.project_names:
                self.fail(
                    node,
                    f"'{name}' is decided for each project, not for the case",
                    f"use it on a project, e.g. sum(projects, p -> p.{name})",
                    code="E-SCOPE",
                )
                return None
            known = list(self.locals) + list(self.env.globals)
            if self.env.in_project:
                known += ["project", *self.env.project_names]
            self.fail(node, f"unknown name '{name}'", suggest(name, known), code="E-NAME")
            return None
        if info.kind == "computed":
            self.out.deps.add(name)
        self.out.names[id(node)] = info
        return info.type

    def _Field(self, node: ast.Field):
        target = self.check(node.target)
        if target is None:
            return None
        record = T.strip_optional(target)
        if not isinstance(record, T.Record):
            self.fail(node, f"'{node.name}': {target} has no fields")
            return None
        typ = record.field(node.name)
        if typ is None and record.name == self.env.project_record and node.name in self.env.poisoned:
            self.out.poisoned.add(node.name)
            return None
        if typ is None:
            self.fail(
                node,
                f"unknown field '{node.name}' of {record.name}",
                suggest(node.name, record.names()),
                code="E-FIELD",
            )
            return None
        if record.name == self.env.project_record and node.name in self.env.project_names:
            self.out.deps.add(node.name)
        return typ

    def _Unary(self, node: ast.Unary):
        t = self.check(node.operand)
        if t is None:
            return None
        if node.op == "not":
            if t != T.BOOL:
                self.fail(node, f"'not' needs true or false, got {t}")
                return None
            return T.BOOL
        if not T.is_numeric(t):
            self.fail(node, f"cannot negate {t}")
            return None
        return t

    def _BoolOp(self, node: ast.BoolOp):
        ok = True
        for side in (node.left, node.right):
            t = self.check(side)
            if t is not None and t != T.BOOL:
                self.fail(side, f"'{node.op}' needs true or false on both sides, got {t}")
                ok = False
            ok = ok and t is not None
        return T.BOOL if ok else None

    def _IfExpr(self, node: ast.IfExpr):
        cond = self.check(node.cond)
        if cond is not None and cond != T.BOOL:
            self.fail(node.cond, f"the condition of 'if' must be true or false, got {cond}")
        a, b = self.check(node.then), self.check(node.other)
        if a is None or b is None:
            return None
        joined = T.unify(a, b)
        if joined is None:
            self.fail(node, f"'then' gives {a} but 'else' gives {b}")
        return joined

    def _Binary(self, node: ast.Binary):
        a, b = self.check(node.left), self.check(node.right)
        if a is None or b is None:
            return None
        op = node.op
        if op in ("+", "-", "*", "/"):
            if isinstance(a, T.Optional) or isinstance(b, T.Optional):
                self.fail(node, f"a value in '{op}' may be missing", "use coalesce(value, fallback)")
                return None
            result = T.arithmetic(op, a, b)
            if result is None:
                self.fail(node, f"cannot compute {a} {op} {b}")
            return result
        if op in ("in", "not in"):
            if not isinstance(b, T.ListOf):
                self.fail(node.right, f"'{op}' needs a list on its right, got {b}")
                return None
            if T.unify(a, b.item) is None:
                self.fail(node, f"cannot look for {a} in a {b}")
                return None
            self._check_enum_list(node.left, a, node.right)
            return T.BOOL
        if op in ("==", "!="):
            if T.unify(a, b) is None:
                self.fail(node, f"cannot compare {a} with {b}")
                return None
            self._check_enum(node.left, a, node.right)
            self._check_enum(node.right, b, node.left)
            return T.BOOL
        if isinstance(a, T.Optional) or isinstance(b, T.Optional):
            self.fail(node, f"a value in '{op}' may be missing", "use coalesce(value, fallback)")
            return None
        if not T.comparable(a, b):
            self.fail(node, f"cannot compare {a} {op} {b}")
            return None
        return T.BOOL

    def _check_enum(self, side: ast.Node, typ: T.Type, other: ast.Node):
        typ = T.strip_optional(typ)
        if not (isinstance(typ, T.Str) and typ.values and isinstance(other, ast.Literal)):
            return
        if other.kind == "string" and other.value not in typ.values:
            choices = " | ".join(sorted(typ.values))
            hint = suggest(cast(str, other.value), typ.values)
            self.fail(
                other,
                f"{other.value!r} is never a value here (one of {choices})",
                hint,
                code="E-ENUM",
            )

    def _check_enum_list(self, side, typ, lst):
        if isinstance(lst, ast.ListExpr):
            for item in lst.items:
                self._check_enum(side, typ, item)

    def _Lambda(self, node: ast.Lambda):  # only reached when misplaced
        self.fail(node, "a lambda (x -> ...) is only allowed as the last argument of sum, count, any, all or filter")
        return None

    def _Call(self, node: ast.Call):
        spec = BUILTINS.get(node.func)
        if spec is None:
            self.fail(node, f"unknown function '{node.func}'", suggest(node.func, BUILTINS), code="E-NAME")
            return None
        n = len(node.args)
        if n < spec.min_args or (spec.max_args is not None and n > spec.max_args):
            want = (
                f"{spec.min_args}"
                if spec.min_args == spec.max_args
                else f"{spec.min_args} or more"
                if spec.max_args is None
                else f"{spec.min_args} to {spec.max_args}"
            )
            self.fail(node, f"{node.func}() takes {want} arguments, got {n}", spec.summary, code="E-ARITY")
            return None
        arg_types, item_type, body_type = [], None, None
        for i, arg in enumerate(node.args):
            if isinstance(arg, ast.Lambda):
                if spec.lambda_arg != i:
                    self.fail(arg, f"{node.func}() takes no lambda here", spec.summary, code="E-ARITY")
                    return None
                body_type = self._check_lambda(arg, item_type)
                if body_type is None:
                    return None
                continue
            t = self.check(arg)
            if t is None:
                return None
            if i == 0 and isinstance(t, T.ListOf):
                item_type = t.item
            arg_types.append(t)
        if spec.lambda_required and body_type is None:
            self.fail(node, f"{node.func}() needs a condition such as x -> x.value_nok > 0", spec.summary, code="E-ARITY")
            return None
        if node.func in ("round", "years", "days") and len(node.args) > (1 if node.func == "round" else 0):
            digits = node.args[-1]
            if not (isinstance(digits, ast.Literal) and digits.kind == "number"):
                self.fail(digits, f"the last argument of {node.func}() must be a literal number")
                return None
        typ, error = result_type(node.func, arg_types, item_type, body_type)
        if error:
            self.fail(node, error, spec.summary)
        return typ

    def _check_lambda(self, node: ast.Lambda, item_type):
        if item_type is None:
            self.fail(node, "a lambda needs a list as the first argument")
            return None
        name = node.param
        taken = set(self.locals) | set(self.env.globals) | {"project"} | set(self.env.project_names) | self.env.reserved
        if name in taken:
            self.fail(node, f"the variable '{name}' hides another name; choose another", code="E-NAME")
            return None
        self.locals[name] = item_type
        try:
            return self.check(node.body)
        finally:
            del self.locals[name]


def check_expr(node: ast.Node, env: CheckEnv, place: Place = expression_place) -> Checked:
    """Type-check one expression in `env`; problems are collected in the result."""
    out = Checked(None)
    out.type = _Checker(env, out, place).check(node)
    return out
