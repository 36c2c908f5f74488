"""AST -> expression text, with only the parentheses precedence needs.

Used to show mutated expressions, and to compare expressions by meaning: two
texts that print the same are the same rule.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import cast

from . import ast
from .runtime import EXACT

_MILLION = Decimal(1_000_000)

_BINARY_LEVEL = {
    "<": 4, "<=": 4, ">": 4, ">=": 4, "==": 4, "!=": 4, "in": 4, "not in": 4,
    "+": 5, "-": 5, "*": 6, "/": 6,
}


def unparse(node: ast.Node) -> str:
    return _print(node, 0)


def _level(node: ast.Node) -> int:
    if isinstance(node, ast.IfExpr):
        return 0
    if isinstance(node, ast.BoolOp):
        return 1 if node.op == "or" else 2
    if isinstance(node, ast.Unary):
        return 3 if node.op == "not" else 7
    if isinstance(node, ast.Binary):
        return _BINARY_LEVEL[node.op]
    if isinstance(node, ast.Literal) and isinstance(node.value, Decimal) and node.value < 0:
        return 7
    return 9


def _wrap(node: ast.Node, minimum: int) -> str:
    text = _print(node, minimum)
    return f"({text})" if _level(node) < minimum else text


def _print(node: ast.Node, _ctx: int) -> str:
    if isinstance(node, ast.Literal):
        return _literal(node)
    if isinstance(node, ast.ListExpr):
        return "[" + ", ".join(_print(i, 0) for i in node.items) + "]"
    if isinstance(node, ast.Name):
        return node.name
    if isinstance(node, ast.Field):
        return f"{_wrap(node.target, 8)}.{node.name}"
    if isinstance(node, ast.Unary):
        if node.op == "not":
            return f"not {_wrap(node.operand, 3)}"
        return f"-{_wrap(node.operand, 7)}"
    if isinstance(node, ast.BoolOp):
        level = _level(node)
        # Left-associative: the left side may be the same operator unparenthesized.
        return f"{_wrap(node.left, level)} {node.op} {_wrap(node.right, level + 1)}"
    if isinstance(node, ast.Binary):
        level = _level(node)
        if level == 4:  # comparisons do not chain
            return f"{_wrap(node.left, 5)} {node.op} {_wrap(node.right, 5)}"
        return f"{_wrap(node.left, level)} {node.op} {_wrap(node.right, level + 1)}"
    if isinstance(node, ast.IfExpr):
        return f"if {_print(node.cond, 0)} then {_print(node.then, 0)} else {_print(node.other, 0)}"
    if isinstance(node, ast.Lambda):
        return f"{node.param} -> {_print(node.body, 0)}"
    if isinstance(node, ast.Call):
        return f"{node.func}(" + ", ".join(_print(a, 0) for a in node.args) + ")"
    raise TypeError(type(node))  # pragma: no cover


def _literal(node: ast.Literal) -> str:
    value = node.value
    if node.kind == "string":
        escaped = cast(str, value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    if node.kind == "bool":
        return "true" if value else "false"
    if node.kind == "null":
        return "null"
    if node.kind == "date":
        return cast(dt.date, value).isoformat()
    if node.kind == "duration":
        value = cast(ast.Duration, value)
        text = f"{value.years} years" if value.years else ""
        if value.days or not text:
            days = f"{abs(value.days)} days"
            if not text:
                return days if value.days >= 0 else f"-{days}"
            text += f" {'+' if value.days > 0 else '-'} {days}"
        return text
    value = cast(Decimal, value)  # number, money or share
    number = format(value, "f")
    if node.kind == "money":
        if value != 0 and EXACT.remainder(value, _MILLION) == 0:
            return f"{format(EXACT.divide(value, _MILLION), 'f')} MNOK"
        return f"{number} NOK"
    if node.kind == "share":
        return f"{format(value.scaleb(2, EXACT).normalize(EXACT), 'f')} %"
    return number
