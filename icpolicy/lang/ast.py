"""The expression AST: frozen dataclasses built straight from the grammar.

Positions (`pos`) are excluded from equality, so two expressions that differ only
in layout compare equal: that is what a semantic diff of policies relies on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from ..diagnostics import Span


@dataclass(frozen=True)
class Pos:
    """1-based line/column inside the expression text; end is exclusive."""

    line: int
    col: int
    end_line: int
    end_col: int


# Where a position inside an expression is in its file (None: the expression as a whole).
Place = Callable[["Pos | None"], "Span | None"]


def expression_place(pos: Pos | None) -> Span | None:
    """The default Place: positions inside an expression given on its own."""
    return Span("<expression>", pos.line, pos.col, pos.end_line, pos.end_col) if pos is not None else None


def _pos():
    return field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Node:
    pass


@dataclass(frozen=True)
class Literal(Node):
    value: object  # Decimal, str, bool, None, datetime.date, Duration
    kind: str  # number | money | share | duration | string | bool | null | date
    text: str = field(default="", compare=False)
    pos: Pos | None = _pos()


@dataclass(frozen=True)
class ListExpr(Node):
    items: tuple[Node, ...]
    pos: Pos | None = _pos()


@dataclass(frozen=True)
class Name(Node):
    name: str
    pos: Pos | None = _pos()


@dataclass(frozen=True)
class Field(Node):
    target: Node
    name: str
    pos: Pos | None = _pos()


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "-" | "not"
    operand: Node
    pos: Pos | None = _pos()


@dataclass(frozen=True)
class Binary(Node):
    op: str  # + - * / < <= > >= == != in "not in"
    left: Node
    right: Node
    pos: Pos | None = _pos()


@dataclass(frozen=True)
class BoolOp(Node):
    op: str  # "and" | "or"
    left: Node
    right: Node
    pos: Pos | None = _pos()


@dataclass(frozen=True)
class IfExpr(Node):
    cond: Node
    then: Node
    other: Node
    pos: Pos | None = _pos()


@dataclass(frozen=True)
class Lambda(Node):
    param: str
    body: Node
    pos: Pos | None = _pos()


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]
    pos: Pos | None = _pos()


@dataclass(frozen=True)
class Duration:
    """A calendar length for date arithmetic; years are calendar years."""

    years: int = 0
    days: int = 0

    def __str__(self) -> str:
        parts = []
        if self.years:
            parts.append(f"{self.years} year{'s' if self.years != 1 else ''}")
        if self.days or not parts:
            parts.append(f"{self.days} day{'s' if self.days != 1 else ''}")
        return " ".join(parts)


UNIT_SCALE = {"MNOK": ("money", Decimal(1_000_000)), "NOK": ("money", Decimal(1)), "%": ("share", Decimal("0.01"))}


def children(node: Node):
    """The direct sub-expressions of a node, for generic walks."""
    if isinstance(node, ListExpr):
        return node.items
    if isinstance(node, Field):
        return (node.target,)
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, (Binary, BoolOp)):
        return (node.left, node.right)
    if isinstance(node, IfExpr):
        return (node.cond, node.then, node.other)
    if isinstance(node, Lambda):
        return (node.body,)
    if isinstance(node, Call):
        return node.args
    return ()


def split_path(node: Node) -> tuple[Node, list[str]]:
    """`a.b.c` -> (the node `a`, ["b", "c"]): the base of a field path and its fields."""
    names = []
    while isinstance(node, Field):
        names.append(node.name)
        node = node.target
    names.reverse()
    return node, names


def walk(node: Node):
    """Every node under `node`, itself first, in pre-order; iterative, so a deep
    expression cannot exhaust the interpreter's stack."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(tuple(children(current))))
