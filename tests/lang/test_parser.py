"""Stage 1, text -> AST: literals, precedence, calls, positions and syntax errors.

Expected trees are written out by hand from the grammar's documented precedence
(or < and < not < comparison/in < + - < * / < unary minus < field/call), not
copied from the parser's output.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from icpolicy.diagnostics import Diagnostic, IcpolicyError
from icpolicy.lang import ast
from icpolicy.lang.parser import parse_expr

# Short builders for expected trees (positions are not compared).
N = ast.Name


def num(v):
    return ast.Literal(Decimal(v), "number")


def bop(op, left, right):
    return ast.BoolOp(op, left, right)


def bin_(op, left, right):
    return ast.Binary(op, left, right)


def syntax_error(text, code="E-SYNTAX") -> Diagnostic:
    with pytest.raises(IcpolicyError) as info:
        parse_expr(text)
    (found,) = info.value.diagnostics
    assert found.code == code
    assert found.span is not None and found.span.file == "<expression>"
    return found


# ---- literals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", Decimal(0)),
        ("42", Decimal(42)),
        ("1_000_000", Decimal(1_000_000)),
        ("1_000.50", Decimal("1000.5")),
        ("0.8000001", Decimal("0.8000001")),
        ("100000000.01", Decimal("100000000.01")),
    ],
)
def test_plain_numbers(text, value):
    node = parse_expr(text)
    assert isinstance(node, ast.Literal)
    assert node.kind == "number"
    assert type(node.value) is Decimal
    assert node.value == value


def test_underscores_do_not_change_a_number():
    assert parse_expr("1_000") == parse_expr("1000")


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("100 MNOK", "money", Decimal(100_000_000)),
        ("100MNOK", "money", Decimal(100_000_000)),
        ("2.5 MNOK", "money", Decimal(2_500_000)),
        ("1_500 NOK", "money", Decimal(1500)),
        ("0.01 NOK", "money", Decimal("0.01")),
        ("80 %", "share", Decimal("0.80")),
        ("80%", "share", Decimal("0.8")),
        ("12.5 %", "share", Decimal("0.125")),
        ("100 %", "share", Decimal(1)),
        ("0 %", "share", Decimal(0)),
    ],
)
def test_numbers_with_units(text, kind, value):
    node = parse_expr(text)
    assert isinstance(node, ast.Literal)
    assert node.kind == kind
    assert type(node.value) is Decimal
    assert node.value == value


def test_percent_is_exact():
    # 80 % is exactly 0.8, never a binary approximation.
    assert parse_expr("80 %").value == Decimal("0.80")
    assert parse_expr("80 %").value * 100 == 80


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("5 years", ast.Duration(years=5)),
        ("1 year", ast.Duration(years=1)),
        ("30 days", ast.Duration(days=30)),
        ("1 day", ast.Duration(days=1)),
    ],
)
def test_durations(text, duration):
    node = parse_expr(text)
    assert node.kind == "duration"
    assert node.value == duration


@pytest.mark.parametrize("text", ["1.5 years", "0.5 days"])
def test_fractional_durations_rejected(text):
    err = syntax_error(text)
    assert (err.span.line, err.span.col) == (1, 1)
    assert "whole" in err.message


def test_date_literal():
    node = parse_expr("2026-03-01")
    assert node == ast.Literal(dt.date(2026, 3, 1), "date")
    assert type(node.value) is dt.date


def test_date_call_form():
    node = parse_expr('date("2026-03-01")')
    assert node == ast.Call("date", (ast.Literal("2026-03-01", "string"),))


def test_date_literal_is_not_subtraction():
    assert parse_expr("2026-03-01") != bin_("-", bin_("-", num(2026), num(3)), num(1))
    # With spaces it is arithmetic.
    assert parse_expr("2026 - 03 - 01") == bin_("-", bin_("-", num(2026), num(3)), num(1))


def test_invalid_date_literal_rejected_at_its_position():
    err = syntax_error("x + 2026-02-30")
    assert (err.span.line, err.span.col) == (1, 5)
    assert "2026-02-30" in err.message


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('"abc"', "abc"),
        ("'abc'", "abc"),
        ('""', ""),
        ('"NO"', "NO"),
        ('"it\'s"', "it's"),
        ("'say \"hi\"'", 'say "hi"'),
        (r'"a\"b"', 'a"b'),
        (r"'a\'b'", "a'b"),
        (r'"tab\there"', "tab\there"),
        (r'"back\\slash"', "back\\slash"),
        ('"æøå"', "æøå"),
    ],
)
def test_strings(text, value):
    node = parse_expr(text)
    assert node.kind == "string"
    assert node.value == value


def test_both_quote_styles_give_the_same_tree():
    assert parse_expr('"NSPA"') == parse_expr("'NSPA'")


def test_lists():
    assert parse_expr("[1, 2, 3]") == ast.ListExpr((num(1), num(2), num(3)))
    assert parse_expr("[]") == ast.ListExpr(())
    assert parse_expr('["NSPA", "FMS"]') == ast.ListExpr(
        (ast.Literal("NSPA", "string"), ast.Literal("FMS", "string"))
    )
    assert parse_expr("[[1], []]") == ast.ListExpr((ast.ListExpr((num(1),)), ast.ListExpr(())))
    assert parse_expr("[a + 1]") == ast.ListExpr((bin_("+", N("a"), num(1)),))


def test_keywords_true_false_null():
    assert parse_expr("true") == ast.Literal(True, "bool")
    assert parse_expr("false") == ast.Literal(False, "bool")
    assert parse_expr("null") == ast.Literal(None, "null")
    assert parse_expr("true").value is True
    assert parse_expr("false").value is False


@pytest.mark.parametrize(
    "text", ["and", "x and and", "if and then 1 else 2", "not or", "x in in", "sum(xs, in -> in.v)"]
)
def test_keywords_are_not_names(text):
    syntax_error(text)


@pytest.mark.parametrize(
    "text", ["trueish", "nullable", "iffy", "order", "android", "notice", "income"]
)
def test_names_that_start_with_a_keyword_are_names(text):
    assert parse_expr(text) == N(text)


def test_negative_literal():
    node = parse_expr("-5")
    assert isinstance(node, (ast.Literal, ast.Unary))
    if isinstance(node, ast.Literal):
        assert node.value == Decimal(-5)
    else:
        assert node == ast.Unary("-", num(5))


def test_negative_money_literal_keeps_its_kind():
    node = parse_expr("-2 MNOK")
    if isinstance(node, ast.Literal):
        assert (node.kind, node.value) == ("money", Decimal(-2_000_000))
    else:
        assert node == ast.Unary("-", ast.Literal(Decimal(2_000_000), "money"))


# ---- precedence and associativity ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a or b and c", bop("or", N("a"), bop("and", N("b"), N("c")))),
        ("a and b or c", bop("or", bop("and", N("a"), N("b")), N("c"))),
        ("a or b or c", bop("or", bop("or", N("a"), N("b")), N("c"))),
        ("not a and b", bop("and", ast.Unary("not", N("a")), N("b"))),
        ("not (a and b)", ast.Unary("not", bop("and", N("a"), N("b")))),
        ("a and not b or c", bop("or", bop("and", N("a"), ast.Unary("not", N("b"))), N("c"))),
        ("not not a", ast.Unary("not", ast.Unary("not", N("a")))),
        ("not a == b", ast.Unary("not", bin_("==", N("a"), N("b")))),
        ("a == b and c", bop("and", bin_("==", N("a"), N("b")), N("c"))),
        ("-x * y", bin_("*", ast.Unary("-", N("x")), N("y"))),
        ("-(x * y)", ast.Unary("-", bin_("*", N("x"), N("y")))),
        ("a + b * c", bin_("+", N("a"), bin_("*", N("b"), N("c")))),
        ("a * b + c", bin_("+", bin_("*", N("a"), N("b")), N("c"))),
        ("(a + b) * c", bin_("*", bin_("+", N("a"), N("b")), N("c"))),
        ("a - b - c", bin_("-", bin_("-", N("a"), N("b")), N("c"))),
        ("a - (b - c)", bin_("-", N("a"), bin_("-", N("b"), N("c")))),
        ("a / b / c", bin_("/", bin_("/", N("a"), N("b")), N("c"))),
        ("a / b * c", bin_("*", bin_("/", N("a"), N("b")), N("c"))),
        ("a-b", bin_("-", N("a"), N("b"))),
        ("a - -b", bin_("-", N("a"), ast.Unary("-", N("b")))),
        ("a + b > c * d", bin_(">", bin_("+", N("a"), N("b")), bin_("*", N("c"), N("d")))),
        ("a <= b", bin_("<=", N("a"), N("b"))),
        ("a != b", bin_("!=", N("a"), N("b"))),
        ("-x.y", ast.Unary("-", ast.Field(N("x"), "y"))),
    ],
)
def test_precedence(text, tree):
    assert parse_expr(text) == tree


def test_chained_comparison_is_a_syntax_error():
    err = syntax_error("a < b < c")
    assert (err.span.line, err.span.col) == (1, 7)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("if a then b else c", ast.IfExpr(N("a"), N("b"), N("c"))),
        (
            "if a then b else if c then d else e",
            ast.IfExpr(N("a"), N("b"), ast.IfExpr(N("c"), N("d"), N("e"))),
        ),
        (
            "if a then if b then c else d else e",
            ast.IfExpr(N("a"), ast.IfExpr(N("b"), N("c"), N("d")), N("e")),
        ),
        (
            "if if a then b else c then d else e",
            ast.IfExpr(ast.IfExpr(N("a"), N("b"), N("c")), N("d"), N("e")),
        ),
        ("if a then b else c or d", ast.IfExpr(N("a"), N("b"), bop("or", N("c"), N("d")))),
        ("if a or b then c else d", ast.IfExpr(bop("or", N("a"), N("b")), N("c"), N("d"))),
        ("if a then 1 else 2 + 3", ast.IfExpr(N("a"), num(1), bin_("+", num(2), num(3)))),
        ("(if a then 1 else 2) + 3", bin_("+", ast.IfExpr(N("a"), num(1), num(2)), num(3))),
    ],
)
def test_if_then_else(text, tree):
    assert parse_expr(text) == tree


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("x in xs", bin_("in", N("x"), N("xs"))),
        ("x not in xs", bin_("not in", N("x"), N("xs"))),
        ("not x in xs", ast.Unary("not", bin_("in", N("x"), N("xs")))),
        ("a + 1 in xs", bin_("in", bin_("+", N("a"), num(1)), N("xs"))),
        (
            "x in [1, 2] and y",
            bop("and", bin_("in", N("x"), ast.ListExpr((num(1), num(2)))), N("y")),
        ),
        (
            'p.channel in ["NSPA", "FMS"]',
            bin_(
                "in",
                ast.Field(N("p"), "channel"),
                ast.ListExpr((ast.Literal("NSPA", "string"), ast.Literal("FMS", "string"))),
            ),
        ),
    ],
)
def test_membership(text, tree):
    assert parse_expr(text) == tree


def test_in_and_not_in_differ():
    assert parse_expr("x not in xs") != parse_expr("not x in xs")


# ---- field paths and calls ---------------------------------------------------------------


def test_field_paths():
    assert parse_expr("procurement.value_nok") == ast.Field(N("procurement"), "value_nok")
    assert parse_expr("a.b.c") == ast.Field(ast.Field(N("a"), "b"), "c")
    assert parse_expr("(a).b") == ast.Field(N("a"), "b")
    assert parse_expr("a.b > 100 MNOK") == bin_(
        ">", ast.Field(N("a"), "b"), ast.Literal(Decimal(100_000_000), "money")
    )


def test_calls():
    assert parse_expr("min(a, b)") == ast.Call("min", (N("a"), N("b")))
    assert parse_expr("max(a, b, c)") == ast.Call("max", (N("a"), N("b"), N("c")))
    assert parse_expr("f()") == ast.Call("f", ())
    assert parse_expr("coalesce(a.b, 0 NOK)") == ast.Call(
        "coalesce", (ast.Field(N("a"), "b"), ast.Literal(Decimal(0), "money"))
    )
    assert parse_expr("abs(a - b)") == ast.Call("abs", (bin_("-", N("a"), N("b")),))
    assert parse_expr("sum(xs).y") == ast.Field(ast.Call("sum", (N("xs"),)), "y")


def test_call_with_lambda():
    assert parse_expr("sum(xs, x -> x.v * 2)") == ast.Call(
        "sum", (N("xs"), ast.Lambda("x", bin_("*", ast.Field(N("x"), "v"), num(2))))
    )


def test_lambda_body_takes_the_whole_expression():
    assert parse_expr("any(xs, x -> x.a and x.b or c)") == ast.Call(
        "any",
        (
            N("xs"),
            ast.Lambda(
                "x", bop("or", bop("and", ast.Field(N("x"), "a"), ast.Field(N("x"), "b")), N("c"))
            ),
        ),
    )


def test_nested_lambdas():
    assert parse_expr("sum(xs, x -> count(ys, y -> y > x))") == ast.Call(
        "sum",
        (
            N("xs"),
            ast.Lambda(
                "x", ast.Call("count", (N("ys"), ast.Lambda("y", bin_(">", N("y"), N("x")))))
            ),
        ),
    )


def test_filter_inside_sum_like_the_bundled_policy():
    text = 'sum(filter(projects, p -> p.status == "approvable"), p -> p.credit_nok)'
    assert parse_expr(text) == ast.Call(
        "sum",
        (
            ast.Call(
                "filter",
                (
                    N("projects"),
                    ast.Lambda(
                        "p",
                        bin_(
                            "==", ast.Field(N("p"), "status"), ast.Literal("approvable", "string")
                        ),
                    ),
                ),
            ),
            ast.Lambda("p", ast.Field(N("p"), "credit_nok")),
        ),
    )


def test_lambda_outside_a_call_is_a_syntax_error():
    syntax_error("x -> x")
    syntax_error("[x -> 1]")


# ---- syntax errors -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n"])
def test_empty_expression(text):
    err = syntax_error(text)
    assert (err.span.line, err.span.col) == (1, 1)
    assert "empty" in err.message


def test_unexpected_token_position_and_expected_names():
    err = syntax_error("a b")
    assert (err.span.line, err.span.col) == (1, 3)
    assert "'b'" in err.message
    assert err.help is not None and err.help.startswith("expected")
    for word in ("and", "or", "a comparison"):
        assert word in err.help


def test_error_on_a_later_line():
    err = syntax_error("a\n  and\n  @")
    assert (err.span.line, err.span.col) == (3, 3)
    assert "'@'" in err.message


def test_unexpected_closing_paren_on_second_line():
    err = syntax_error("a\n and )")
    assert (err.span.line, err.span.col) == (2, 6)
    assert "a name" in err.help and "a number" in err.help


def test_bad_character():
    err = syntax_error("a => b")
    assert (err.span.line, err.span.col) == (1, 3)
    assert "'='" in err.message


def test_double_dot_expects_a_name():
    err = syntax_error("a..b")
    assert (err.span.line, err.span.col) == (1, 3)
    assert err.help == "expected a name"


def test_unknown_unit_is_reported_at_the_unit():
    err = syntax_error("5 EUR")
    assert (err.span.line, err.span.col) == (1, 3)
    assert "EUR" in err.message


def test_exponent_notation_is_not_a_number():
    err = syntax_error("1e5")
    assert (err.span.line, err.span.col) == (1, 2)


@pytest.mark.parametrize(
    ("text", "expected_words"),
    [
        ("1 +", ["a number", "a name", "("]),
        ("a >", ["a number", "a name"]),
        ("if a then b", ["else"]),
        ("(a", [")"]),
        ("min(a,", ["a number", "a name"]),
    ],
)
def test_early_end_says_what_was_expected(text, expected_words):
    err = syntax_error(text)
    assert err.span.line == 1
    assert err.help is not None
    for word in expected_words:
        assert word in err.help


@pytest.mark.parametrize(("text", "col"), [("1 +", 4), ("if a then b", 12), ("(a", 3)])
def test_early_end_is_reported_at_the_end(text, col):
    err = syntax_error(text)
    assert (err.span.line, err.span.col) == (1, col)


def test_unterminated_string():
    err = syntax_error('a == "abc')
    assert (err.span.line, err.span.col) == (1, 6)


# ---- positions ---------------------------------------------------------------------------


def _pos(node):
    return (node.pos.line, node.pos.col, node.pos.end_line, node.pos.end_col)


def test_positions_of_a_comparison():
    node = parse_expr("a >  1")
    assert _pos(node) == (1, 1, 1, 7)
    assert _pos(node.left) == (1, 1, 1, 2)
    assert _pos(node.right) == (1, 6, 1, 7)


def test_positions_across_lines():
    node = parse_expr("a and\n  bcd > 10")
    assert _pos(node) == (1, 1, 2, 11)
    assert _pos(node.right) == (2, 3, 2, 11)
    assert _pos(node.right.left) == (2, 3, 2, 6)
    assert _pos(node.right.right) == (2, 9, 2, 11)


def test_positions_of_call_lambda_and_field():
    node = parse_expr("sum(xs, x -> x.v)")
    assert _pos(node) == (1, 1, 1, 18)
    assert _pos(node.args[0]) == (1, 5, 1, 7)
    lam = node.args[1]
    assert _pos(lam) == (1, 9, 1, 17)
    assert _pos(lam.body) == (1, 14, 1, 17)


def test_positions_of_literals_and_if():
    node = parse_expr("if a then 100 MNOK else '2026-03-01'")
    assert _pos(node.cond) == (1, 4, 1, 5)
    assert _pos(node.then) == (1, 11, 1, 19)
    assert _pos(node.other) == (1, 25, 1, 37)


def test_every_node_has_a_position_inside_the_text():
    text = "if x.y > 2 then sum(filter(xs, v -> v.a in [1, 2]), v -> v.b) else -min(c, 3 %)"
    for node in ast.walk(parse_expr(text)):
        assert node.pos is not None, node
        assert 1 <= node.pos.col <= node.pos.end_col <= len(text) + 1


# ---- equality ignores layout ---------------------------------------------------------------


def test_equality_ignores_positions():
    a, b = parse_expr("a>1"), parse_expr("a  >  1")
    assert a.pos != b.pos  # the layout differs ...
    assert a == b  # ... but the trees are equal
    assert hash(a) == hash(b)


def test_equality_ignores_line_breaks_and_parentheses():
    assert parse_expr("x and\n   (y or z)") == parse_expr("x and (y or z)")
    assert parse_expr("((a))") == parse_expr("a")


def test_equality_still_sees_differences():
    assert parse_expr("a > 1") != parse_expr("a >= 1")
    assert parse_expr("a > 1") != parse_expr("a > 2")
    assert parse_expr("100 NOK") != parse_expr("100 %")
    assert parse_expr("1 + 2 * 3") != parse_expr("(1 + 2) * 3")
    assert parse_expr("sum(xs, x -> x)") != parse_expr("sum(xs, y -> y)")
