"""Properties of the expression reader and printer.

- Fuzzing: any text gives a checked expression or Diagnostics (IcpolicyError, or
  problems from the checker), never another exception.
- Round trip: printing a parsed expression and parsing it again gives the same tree
  (diff, show and mutate rely on it).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_compile import expressions as well_typed  # the generator of the agreement property

from icpolicy.diagnostics import Diagnostic, IcpolicyError
from icpolicy.lang import types as T
from icpolicy.lang.checker import CheckEnv, NameInfo, check_expr
from icpolicy.lang.compile import compile_expr
from icpolicy.lang.parser import parse_expr
from icpolicy.lang.printer import unparse

ENV = CheckEnv(
    globals={
        "a": NameInfo(T.MONEY, "case"),
        "b": NameInfo(T.BOOL, "case"),
        "s": NameInfo(T.SHARE, "case"),
        "d": NameInfo(T.DATE, "case"),
        "xs": NameInfo(T.ListOf(T.MONEY), "case"),
    }
)
# Pieces of the language and of what is not: keywords, operators, literals, odd characters.
PIECES = [
    "a", "b", "s", "d", "xs", "x", " ", "\n", "(", ")", "[", "]", ",", ".", "->", "+", "-", "*", "/",
    "<", "<=", "==", "!=", ">", "and", "or", "not", "in", "if", "then", "else", "true", "false", "null",
    "0", "1_000", "2.5", "80 %", "100 MNOK", "5 NOK", "3 years", "2 days", "2026-03-01", "2026-02-30",
    '"NO"', "'x'", '"', "\\", "sum", "count", "any", "round", "min", "coalesce", "date(", "x -> x",
    "１", "٣", "\x00", "\u00e6", "1e5", "9" * 40, "@", "#", "%", "MNOK",
]
texts = st.lists(st.sampled_from(PIECES), min_size=0, max_size=25).map(" ".join) | st.text(max_size=40)


def _read(text: str):
    try:
        node = parse_expr(text)
    except IcpolicyError as exc:
        assert exc.diagnostics and all(isinstance(d, Diagnostic) for d in exc.diagnostics)
        for d in exc.diagnostics:
            assert d.span is not None and "<class" not in d.message and "recursion" not in d.message
        return None
    return node, check_expr(node, ENV)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_any_text_gives_a_checked_expression_or_diagnostics(text):
    read = _read(text)
    if read is None:
        return
    node, checked = read
    for d in checked.problems:
        assert isinstance(d, Diagnostic) and d.code.startswith("E-") and "<class" not in d.message
    if not checked.problems:
        compile_expr(node, checked)  # a checked expression always compiles


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_printing_and_parsing_again_gives_the_same_tree(text):
    try:
        node = parse_expr(text)
    except IcpolicyError:
        return
    printed = unparse(node)
    again = parse_expr(printed)
    assert again == node, (text, printed)
    assert unparse(again) == printed  # printing is a fixed point


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=well_typed)
def test_well_typed_expressions_print_and_parse_back(text):
    node = parse_expr(text)
    assert parse_expr(unparse(node)) == node, (text, unparse(node))
