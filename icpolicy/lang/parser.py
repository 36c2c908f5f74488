"""Stage 1: expression text -> AST.

`parse_expr(text)` returns an `ast.Node` or raises `ExprSyntaxError` with a
1-based line/column inside the text. One LALR parser is built per process.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, VisitError

from ..dates import parse_iso_date
from . import ast

_GRAMMAR = Path(__file__).with_name("grammar.lark")

# What a policy owner should read instead of lark's terminal names.
_TERMINAL_NAMES = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": "a string",
    "DATE": "a date",
    "UNIT": "a unit (MNOK, NOK, %, years, days)",
    "COMP_OP": "a comparison",
    "ADD_OP": "+ or -",
    "MUL_OP": "* or /",
    "LPAR": "(",
    "RPAR": ")",
    "LSQB": "[",
    "RSQB": "]",
    "COMMA": ",",
    "DOT": ".",
    "MINUS": "-",
    "__ANON_0": "->",
    "IF": "if",
    "THEN": "then",
    "ELSE": "else",
    "AND": "and",
    "OR": "or",
    "NOT": "not",
    "IN": "in",
    "TRUE": "true",
    "FALSE": "false",
    "NULL": "null",
    "$END": "the end",
}


class ExprSyntaxError(Exception):
    def __init__(self, message: str, line: int, col: int, help: str | None = None):
        super().__init__(message)
        self.message, self.line, self.col, self.help = message, line, col, help


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(_GRAMMAR.read_text(encoding="utf-8"), parser="lalr", propagate_positions=True)


def _pos(meta) -> ast.Pos | None:
    if getattr(meta, "empty", True):
        return None
    return ast.Pos(meta.line, meta.column, meta.end_line, meta.end_column)


def _tok_pos(tok: Token) -> ast.Pos:
    return ast.Pos(tok.line, tok.column, tok.end_line, tok.end_column)


def parse_number(digits: str, unit: str | None) -> ast.Literal:
    value = Decimal(digits.replace("_", ""))
    if unit is None:
        return ast.Literal(value, "number", digits)
    if unit in ("years", "year"):
        if value != value.to_integral_value():
            raise ValueError("a number of years must be whole")
        return ast.Literal(ast.Duration(years=int(value)), "duration", f"{digits} {unit}")
    if unit in ("days", "day"):
        if value != value.to_integral_value():
            raise ValueError("a number of days must be whole")
        return ast.Literal(ast.Duration(days=int(value)), "duration", f"{digits} {unit}")
    kind, scale = ast.UNIT_SCALE[unit]
    return ast.Literal(value * scale, kind, f"{digits} {unit}")


def parse_date(text: str) -> dt.date:
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a valid date (YYYY-MM-DD)") from exc


def _unquote(text: str) -> str:
    body = text[1:-1]
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


@v_args(meta=True)
class _ToAst(Transformer):
    def if_expr(self, meta, c):
        return ast.IfExpr(c[0], c[1], c[2], pos=_pos(meta))

    def or_op(self, meta, c):
        return ast.BoolOp("or", c[0], c[1], pos=_pos(meta))

    def and_op(self, meta, c):
        return ast.BoolOp("and", c[0], c[1], pos=_pos(meta))

    def not_op(self, meta, c):
        return ast.Unary("not", c[0], pos=_pos(meta))

    def compare(self, meta, c):
        return ast.Binary(str(c[1]), c[0], c[2], pos=_pos(meta))

    def arith(self, meta, c):
        return ast.Binary(str(c[1]), c[0], c[2], pos=_pos(meta))

    def in_op(self, meta, c):
        return ast.Binary("in", c[0], c[1], pos=_pos(meta))

    def not_in_op(self, meta, c):
        return ast.Binary("not in", c[0], c[1], pos=_pos(meta))

    def neg(self, meta, c):
        operand = c[0]
        if isinstance(operand, ast.Literal) and isinstance(operand.value, Decimal):
            return ast.Literal(-operand.value, operand.kind, "-" + operand.text, pos=_pos(meta))
        return ast.Unary("-", operand, pos=_pos(meta))

    def field(self, meta, c):
        return ast.Field(c[0], str(c[1]), pos=_pos(meta))

    def call(self, meta, c):
        args = tuple(a for a in c[1:] if a is not None)
        return ast.Call(str(c[0]), args, pos=_pos(meta))

    def lambda_(self, meta, c):
        return ast.Lambda(str(c[0]), c[1], pos=_pos(meta))

    def number(self, meta, c):
        unit = str(c[1]) if len(c) > 1 and c[1] is not None else None
        lit = parse_number(str(c[0]), unit)
        return ast.Literal(lit.value, lit.kind, lit.text, pos=_pos(meta))

    def string(self, meta, c):
        return ast.Literal(_unquote(str(c[0])), "string", str(c[0]), pos=_pos(meta))

    def date(self, meta, c):
        return ast.Literal(parse_date(str(c[0])), "date", str(c[0]), pos=_pos(meta))

    def true(self, meta, c):
        return ast.Literal(True, "bool", "true", pos=_pos(meta))

    def false(self, meta, c):
        return ast.Literal(False, "bool", "false", pos=_pos(meta))

    def null(self, meta, c):
        return ast.Literal(None, "null", "null", pos=_pos(meta))

    def list(self, meta, c):
        return ast.ListExpr(tuple(x for x in c if x is not None), pos=_pos(meta))

    def name(self, meta, c):
        return ast.Name(str(c[0]), pos=_tok_pos(c[0]))


_TO_AST = _ToAst()


def parse_expr(text: str) -> ast.Node:
    """Parse one expression; raise ExprSyntaxError with a position on failure."""
    if not text.strip():
        raise ExprSyntaxError("empty expression", 1, 1)
    try:
        tree = _parser().parse(text)
        return _TO_AST.transform(tree)
    except UnexpectedCharacters as exc:
        raise ExprSyntaxError(
            f"unexpected character {text[exc.pos_in_stream]!r}", exc.line, exc.column
        ) from None
    except UnexpectedEOF as exc:
        line, col = _end_position(text)
        raise ExprSyntaxError(
            "the expression ends too early", line, col, _expected_help(exc.expected)
        ) from None
    except UnexpectedInput as exc:
        tok = getattr(exc, "token", None)
        at_end = tok is None or tok.type == "$END"
        if at_end:
            expected = _expected_help(getattr(exc, "expected", None))
            raise ExprSyntaxError("the expression ends too early", *_end_position(text), expected) from None
        shown = repr(str(tok))
        line, col = _end_position(text) if at_end or not exc.line or exc.line < 0 else (exc.line, exc.column)
        raise ExprSyntaxError(
            f"unexpected {shown}", line, col, _expected_help(getattr(exc, "expected", None))
        ) from None
    except VisitError as exc:
        meta = getattr(exc.obj, "meta", None)
        line = getattr(meta, "line", 1) if meta and not getattr(meta, "empty", True) else 1
        col = getattr(meta, "column", 1) if meta and not getattr(meta, "empty", True) else 1
        raise ExprSyntaxError(str(exc.orig_exc), line, col) from None


def _end_position(text: str) -> tuple[int, int]:
    lines = text.rstrip().split("\n")
    return len(lines), len(lines[-1]) + 1


def _expected_help(expected) -> str | None:
    if not expected:
        return None
    names = sorted({_TERMINAL_NAMES.get(t, t.lower()) for t in expected})
    # Punctuation in quotes, so "," reads as a comma and not as a separator.
    shown = [n if n.startswith(("a ", "an ", "+", "*", "the ")) or n.isalpha() else f'"{n}"' for n in names]
    return f"expected {shown[0]}" if len(shown) == 1 else "expected one of: " + ", ".join(shown)
