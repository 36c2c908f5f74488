"""Facts about checked expressions, shared by the compiler and the rule plan.

Nothing here builds a closure: these are read-only questions about a node (can
evaluating it fail, roughly how much work is it, what are the operands of a chain of
one boolean operator), asked when a policy loads.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

from . import ast
from .types import Optional

COMPARE: dict[str, Callable] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
MEMBERSHIP = ("in", "not in")


def chain(node: ast.Node, op: str) -> list[ast.Node]:
    """The operands of a chain of one boolean operator: (a and b) and c -> a, b, c."""
    out: list[ast.Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.BoolOp) and current.op == op:
            stack += (current.right, current.left)
        else:
            out.append(current)
    return out


def is_total(node: ast.Node, types: dict, name_total: Callable[[str], bool]) -> bool:
    """Whether evaluating `node` can never fail: no arithmetic or call (which can
    overflow or meet a missing value), no order on a value that may be missing.
    `name_total(name)` says it of a name (a definition computed on first use may fail)."""
    if isinstance(node, ast.Literal):
        return True
    if isinstance(node, ast.Name):
        return name_total(node.name)
    if isinstance(node, ast.Unary) and node.op != "not":
        return False
    if isinstance(node, ast.Binary):
        if node.op not in COMPARE and node.op not in MEMBERSHIP:
            return False
        if node.op not in ("==", "!=", *MEMBERSHIP) and not all(
            _never_missing(types.get(id(side))) for side in (node.left, node.right)
        ):
            return False
    elif not isinstance(node, ast.Field | ast.ListExpr | ast.Unary | ast.BoolOp | ast.IfExpr):
        return False  # calls, lambdas
    return all(is_total(child, types, name_total) for child in ast.children(node))


def _never_missing(typ) -> bool:
    return typ is not None and not isinstance(typ, Optional)


def cost(node: ast.Node, name_cost: Callable[[ast.Name], int] | None = None) -> int:
    """A rough count of the work of evaluating `node`, to try cheap tests first: a
    call counts 10, a name what `name_cost` says (1 by default), any other node 1."""
    total = 0
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            total += 10
        elif isinstance(sub, ast.Name) and name_cost is not None:
            total += name_cost(sub)
        else:
            total += 1
    return total


__all__ = ["COMPARE", "MEMBERSHIP", "NEGATED", "chain", "cost", "is_total"]
