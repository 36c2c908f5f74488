"""Stage 1: expression text -> AST.

`parse_expr(text, place)` returns an `ast.Node` or raises `IcpolicyError` holding
one `Diagnostic` (E-SYNTAX, or E-LIMIT for an expression too long or too deeply
nested), placed by `place` (a 1-based position inside the text -> a Span in the
file). One LALR parser is built per process. Only ASCII digits are digits.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from decimal import MAX_EMAX, MAX_PREC, Context, Decimal, Inexact, Overflow
from pathlib import Path
from typing import cast

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, VisitError

from ..dates import parse_iso_date
from ..diagnostics import Diagnostic, IcpolicyError
from . import ast
from .ast import Place, expression_place

# Limits that keep every pass over an expression (parse, check, compile, print,
# evaluate) well inside the interpreter's stack, and parsing fast.
MAX_LENGTH = 1_000_000  # characters of one expression (a list of 25 000 amounts fits)
MAX_DEPTH = 100  # operators, calls and lists nested in one another
MAX_OPERATORS = 1_000  # operators in one part (between brackets and commas), found before parsing
# Literals are exact whatever their length: scaling by a unit (MNOK, %) and a minus
# sign are computed without rounding.
_LITERAL = Context(prec=MAX_PREC, Emax=MAX_EMAX, traps=[Inexact, Overflow])

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


class _SyntaxProblem(Exception):
    """Raised inside the parser; parse_expr turns it into a Diagnostic."""

    def __init__(self, message: str, line: int, col: int, help: str | None = None, code: str = "E-SYNTAX"):
        super().__init__(message)
        self.message, self.line, self.col, self.help, self.code = message, line, col, help, code


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(_GRAMMAR.read_text(encoding="utf-8"), parser="lalr", propagate_positions=True)


def _pos(meta) -> ast.Pos | None:
    if getattr(meta, "empty", True):
        return None
    return ast.Pos(meta.line, meta.column, meta.end_line, meta.end_column)


def _tok_pos(tok: Token) -> ast.Pos:
    # Tokens from the lexer always carry their position (Token types it as optional).
    return ast.Pos(cast(int, tok.line), cast(int, tok.column), cast(int, tok.end_line), cast(int, tok.end_column))


def parse_number(digits: str, unit: str | None) -> ast.Literal:
    if not digits.replace("_", "").replace(".", "", 1).isascii():
        raise ValueError(f"{digits!r} is not a number: only the ASCII digits 0-9 are digits")
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
    return ast.Literal(_LITERAL.multiply(value, scale), kind, f"{digits} {unit}")


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
            return ast.Literal(_LITERAL.minus(operand.value), operand.kind, "-" + operand.text, pos=_pos(meta))
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


def parse_expr(text: str, place: Place = expression_place) -> ast.Node:
    """Parse one expression; raise IcpolicyError with one placed Diagnostic on failure."""
    try:
        return _parse(text)
    except _SyntaxProblem as exc:
        span = place(ast.Pos(exc.line, exc.col, exc.line, exc.col + 1))
        raise IcpolicyError(Diagnostic(exc.code, exc.message, span, exc.help)) from None


def _parse(text: str) -> ast.Node:
    if not text.strip():
        raise _SyntaxProblem("empty expression", 1, 1)
    if len(text) > MAX_LENGTH:
        raise _SyntaxProblem(
            f"the expression is {len(text):,} characters long; at most {MAX_LENGTH:,} are allowed",
            1, 1, "split it into definitions, or keep long lists in a data file", code="E-LIMIT",
        )
    _prescan(text)
    try:
        tree = _parser().parse(text)
    except UnexpectedCharacters as exc:
        assert exc.pos_in_stream is not None  # the lexer always says where it stopped
        raise _unexpected_character(text[exc.pos_in_stream], exc.line, exc.column) from None
    except UnexpectedEOF as exc:
        raise _SyntaxProblem("the expression ends too early", *_end_position(text), _expected_help(exc.expected)) from None
    except UnexpectedInput as exc:
        raise _unexpected_token(text, exc) from None
    _check_depth(tree)
    try:
        return _TO_AST.transform(tree)
    except VisitError as exc:
        meta = getattr(exc.obj, "meta", None)
        known = meta is not None and not getattr(meta, "empty", True)
        line, col = (meta.line, meta.column) if meta is not None and known else (1, 1)
        raise _SyntaxProblem(str(exc.orig_exc), line, col) from None


# Strings, brackets, separators and operators: enough to bound the nesting before
# parsing, so that a chain of 100 000 terms is refused at once rather than parsed.
_SCAN = re.compile(
    r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|(?P<open>[(\[])|(?P<close>[)\]])"""
    r"|(?P<sep>,|->|\b(?:if|then|else)\b)|(?P<op>\b(?:and|or|not|in)\b|[<>=!]=|[<>+\-*/])"
)


def _prescan(text: str) -> None:
    """E-LIMIT for brackets nested too deeply, or too many operators in one part."""
    counts = [0]
    for match in _SCAN.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            counts.append(0)
            if len(counts) > MAX_DEPTH:
                raise _limit(text, match.start(), f"brackets are nested more than {MAX_DEPTH} levels deep")
        elif kind == "close":
            if len(counts) > 1:
                counts.pop()
        elif kind == "sep":
            counts[-1] = 0
        elif kind == "op":
            counts[-1] += 1
            if counts[-1] > MAX_OPERATORS:
                raise _limit(text, match.start(), f"more than {MAX_OPERATORS:,} operators in one part of the expression")


def _limit(text: str, index: int, what: str) -> _SyntaxProblem:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return _SyntaxProblem(f"the expression is too large: {what}", line, col, _SPLIT, code="E-LIMIT")


_SPLIT = "split it into definitions, or use a list with in, any() or sum()"


def _unexpected_character(char: str, line: int, col: int) -> _SyntaxProblem:
    if unicodedata.category(char) == "Nd":  # a digit of another script: Python would read it
        name = unicodedata.name(char, "a digit")
        return _SyntaxProblem(
            f"{char!r} ({name}, U+{ord(char):04X}) is not a digit here: only the ASCII digits 0-9 are", line, col
        )
    return _SyntaxProblem(f"unexpected character {char!r}", line, col)


def _unexpected_token(text: str, exc: UnexpectedInput) -> _SyntaxProblem:
    tok = getattr(exc, "token", None)
    expected = _expected_help(getattr(exc, "expected", None))
    if tok is None or tok.type == "$END":
        return _SyntaxProblem("the expression ends too early", *_end_position(text), expected)
    line, col = _end_position(text) if not exc.line or exc.line < 0 else (exc.line, exc.column)
    return _SyntaxProblem(f"unexpected {str(tok)!r}", line, col, expected)


def _check_depth(tree: Tree) -> None:
    """E-LIMIT at the first node nested deeper than MAX_DEPTH (found without recursion)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            meta = node.meta
            line, col = (meta.line, meta.column) if not getattr(meta, "empty", True) else (1, 1)
            raise _SyntaxProblem(
                f"the expression is nested more than {MAX_DEPTH} levels deep "
                "(operators, calls and lists inside one another)",
                line, col, _SPLIT, code="E-LIMIT",
            )
        # Reversed, so the first node in the text is reported.
        stack += [(child, depth + 1) for child in reversed(node.children) if isinstance(child, Tree)]


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
