"""Boundary cases derived from the policy's own comparisons.

For each comparison between a case field and a threshold (`procurement.value_nok
> ica_threshold`, `project.norwegian_share < min_credited_share`, a related
contract's `c.date > window_start`), the threshold is computed for a base case and
the field is set to the threshold and to its nearest neighbours (0.01 NOK, one
millionth of a share, one day). Each such case is decided, so an owner sees what
the rule does exactly at its edge, can pin it as a test, and can list the edges
no test exercises.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ..diagnostics import IcpolicyError
from ..lang import ast
from ..lang import types as T
from ..lang.printer import unparse
from ..lang.runtime import EvalFailure
from ..policy.model import Expr

# The smallest step of each kind of value: used for neighbours here and by mutation testing.
SMALLEST = {"money": Decimal("0.01"), "share": Decimal("0.000001"), "number": Decimal("0.01")}

_ORDER = (">", ">=", "<", "<=")


@dataclass
class Boundary:
    """One comparison of a case field with a threshold."""

    path: tuple  # into the case; "*" stands for a new item of a list
    field_node: ast.Node  # the field side of the comparison
    op: str
    threshold: ast.Node
    threshold_expr: Expr  # the expression the comparison sits in (its checked names)
    kind: str  # money | share | number | date
    owner: str  # the rule or definition it sits in
    decision: str  # the decision whose value shows its effect
    scope: str  # case | project
    text: str  # the comparison as written
    compiled: dict = field(default_factory=dict, repr=False, compare=False)  # id(policy) -> threshold closure

    def label(self) -> str:
        return f"{self.owner}: {self.text}"


@dataclass
class BoundaryPoint:
    boundary: Boundary
    value: object
    offset: int  # -1, 0, +1
    case: dict
    decided: object = None  # DecisionResult
    error: str | None = None


def find_boundaries(policy) -> list[Boundary]:
    """Every field-versus-threshold comparison in the policy's decisions and definitions."""
    model = policy.model
    users = _decisions_using(model)
    out = []
    for node in model.nodes.values():
        exprs = [(node.value, node.name), (node.default, node.name)]
        for rule in node.rules:
            exprs += [(rule.when, rule.id), (rule.value, rule.id)]
        for expr, owner in exprs:
            if expr is None:
                continue
            if not node.output and node.name not in users:
                continue  # a definition no decision of this version uses
            for found in _comparisons(expr, expr.node, {}):
                path, field_node, op, threshold, typ, text = found
                decision = node.name if node.output else users[node.name]
                scope = "project" if path and path[0] == "projects" else "case"
                out.append(Boundary(path, field_node, op, threshold, expr, typ, owner, decision, scope, text))
    return out


def _decisions_using(model) -> dict:
    """For each definition, an output decision that depends on it (to show its effect)."""
    out: dict = {}
    for name in model.order:
        node = model.nodes[name]
        if not node.output:
            continue
        todo, seen = list(model.deps.get(name, ())), set()
        while todo:
            dep = todo.pop()
            if dep in seen:
                continue
            seen.add(dep)
            out.setdefault(dep, name)
            todo.extend(model.deps.get(dep, ()))
    return out


def _comparisons(expr: Expr, node: ast.Node, lambdas: dict):
    """Yield (path, op, threshold node, kind, text) for comparisons of a field with a threshold."""
    if isinstance(node, ast.Call):
        source = node.args[0] if node.args else None
        source_path = _case_path(expr, source, lambdas) if source is not None else None
        for arg in node.args:
            if isinstance(arg, ast.Lambda) and source_path is not None:
                inner = dict(lambdas)
                inner[arg.param] = source_path + ("*",)
                yield from _comparisons(expr, arg.body, inner)
            elif not isinstance(arg, ast.Lambda):
                yield from _comparisons(expr, arg, lambdas)
        return
    if isinstance(node, ast.Binary) and node.op in _ORDER:
        for field_side, other, op in ((node.left, node.right, node.op), (node.right, node.left, _mirror(node.op))):
            path = _case_path(expr, field_side, lambdas)
            if path is None or not _is_threshold(expr, other, lambdas):
                continue
            typ = expr.checked.types.get(id(field_side))
            kind = _kind(typ)
            if kind is not None:
                yield path, field_side, op, other, kind, unparse(node)
            break
        return
    for child in ast.children(node):
        yield from _comparisons(expr, child, lambdas)


def _mirror(op: str) -> str:
    return {">": "<", "<": ">", ">=": "<=", "<=": ">="}[op]


def _kind(typ) -> str | None:
    typ = T.strip_optional(typ) if typ is not None else None
    if typ == T.MONEY:
        return "money"
    if typ == T.SHARE:
        return "share"
    if typ == T.NUMBER:
        return "number"
    if typ == T.DATE:
        return "date"
    return None


def _case_path(expr: Expr, node: ast.Node, lambdas: dict):
    node, names = ast.split_path(node)
    if not isinstance(node, ast.Name):
        return None
    info = expr.checked.names.get(id(node))
    if info is None:
        return None
    if info.kind == "case":
        return (node.name, *names)
    if info.kind == "project":
        return ("projects", 0, *names)
    if info.kind == "local" and node.name in lambdas:
        return lambdas[node.name] + tuple(names)
    return None


def _is_threshold(expr: Expr, node: ast.Node, lambdas: dict) -> bool:
    """A threshold reads no lambda variable and no project (it is the same for the whole case)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            info = expr.checked.names.get(id(sub))
            if info is None or info.kind in ("local", "project", "project_computed"):
                return False
    return True


def threshold_value(policy, boundary: Boundary, case: dict):
    """The threshold of a boundary for one case (a date window moves with the case date)."""
    env = policy.normalize(case)
    key = id(policy)
    cached = boundary.compiled.get(key)
    if cached is None:
        cached = boundary.compiled[key] = policy.compile(boundary.threshold, boundary.threshold_expr.checked)
    return cached(env)


def neighbours(value, kind: str) -> list:
    if kind == "date":
        return [value - dt.timedelta(days=1), value, value + dt.timedelta(days=1)]
    step = SMALLEST[kind]
    return [value - step, value, value + step]


def set_path(case: dict, path: tuple, value) -> dict:
    """A copy of the case with `path` set; `*` appends a copy of the list's first item."""
    out = copy.deepcopy(case)
    target = out
    for i, part in enumerate(path[:-1]):
        nxt = path[i + 1]
        if part == "*":
            continue
        if nxt == "*":
            # The list holds just this item (a copy of the base's first), so the
            # edge alone decides: other items could hide it.
            items = target.get(part) or []
            if not items:
                raise ValueError(f"the base case has no {part} item to copy")
            item = copy.deepcopy(items[0])
            target[part] = [item]
            target = item
            continue
        if isinstance(part, int):
            if not isinstance(target, list) or len(target) <= part:
                raise ValueError(f"the base case has no item {part} under {path[:i]}")
            target = target[part]
        else:
            target = target.setdefault(part, {})
    target[path[-1]] = _plain(value)
    return out


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def boundary_points(policy, base: dict, boundaries=None) -> list[BoundaryPoint]:
    """Each boundary's threshold and neighbours, decided on a copy of the base case."""
    points = []
    for b in boundaries if boundaries is not None else find_boundaries(policy):
        try:
            threshold = threshold_value(policy, b, base)
        except (IcpolicyError, EvalFailure) as exc:
            points.append(BoundaryPoint(b, None, 0, base, error=str(exc)))
            continue
        for offset, value in zip((-1, 0, 1), neighbours(threshold, b.kind), strict=True):
            try:
                case = set_path(base, b.path, value)
            except ValueError:
                break  # the base case has no such item (no project, no contract): not applicable
            point = BoundaryPoint(b, value, offset, case)
            try:
                result = policy.evaluate(case)
                if b.scope == "project":
                    point.decided = result.projects[b.path[1]].decisions[b.decision]
                else:
                    point.decided = result.decisions.get(b.decision) or _first_output(result, b)
            except IcpolicyError as exc:
                point.error = "not a valid case: " + exc.diagnostics[0].message
            points.append(point)
    return points


def _first_output(result, b: Boundary):
    for name in result.decisions:
        return result.decisions[name]
    return None


class EdgeRecorder:
    """A tracer for `CompiledPolicy`: records, for each boundary's comparison, the
    field value and the threshold it was compared with while tests run."""

    def __init__(self, boundaries: list[Boundary]):
        self.seen: dict[int, set] = {id(b): set() for b in boundaries}
        self.thresholds: dict[int, list] = {id(b): [] for b in boundaries}
        self._hooks: dict = {}
        for b in boundaries:
            pending: dict = {}
            self._hooks.setdefault(id(b.threshold_expr), {})
            self._hooks[id(b.threshold_expr)][id(b.field_node)] = self._record(b, pending, "field")
            self._hooks[id(b.threshold_expr)][id(b.threshold)] = self._record(b, pending, "threshold")

    def expression_hooks(self, expr) -> dict:
        return self._hooks.get(id(expr), {})

    def _record(self, b: Boundary, pending: dict, side: str):
        seen, thresholds = self.seen[id(b)], self.thresholds[id(b)]

        def record(value):
            pending[side] = value
            if "field" in pending and "threshold" in pending:
                field_value, threshold = pending.pop("field"), pending.pop("threshold")
                if threshold is None or field_value is None:
                    return
                if not thresholds:
                    thresholds.append(threshold)
                for offset, point in zip((-1, 0, 1), neighbours(threshold, b.kind), strict=True):
                    if field_value == point:
                        seen.add(offset)

        return record


_LIMITS = {"money": (Decimal(0), Decimal(10) ** 15), "share": (Decimal(0), Decimal(1)), "number": (Decimal(0), None)}


def untested(recorder: EdgeRecorder, boundaries: list[Boundary]) -> list[tuple]:
    """(boundary, missing offsets): the edges no test's evaluation of that very
    comparison met exactly or next to (run the tests with `recorder` first)."""
    out = []
    for b in boundaries:
        seen = recorder.seen[id(b)]
        thresholds = recorder.thresholds[id(b)]
        missing = []
        for offset in (-1, 0, 1):
            if offset in seen:
                continue
            if thresholds and b.kind in _LIMITS:
                value = neighbours(thresholds[0], b.kind)[offset + 1]
                low, high = _LIMITS[b.kind]
                if value < low or (high is not None and value > high):
                    continue  # no valid case holds it (-0.01 NOK)
            missing.append(offset)
        if missing:
            out.append((b, missing))
    return out
