"""Hostile and odd expressions: limits reported as E-LIMIT at file:line:col, never a
RecursionError; exact literals and exact + - * whatever their digits; ASCII digits only."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import icpolicy
from icpolicy.diagnostics import IcpolicyError
from icpolicy.lang import types as T
from icpolicy.lang.checker import CheckEnv, NameInfo, check_expr
from icpolicy.lang.compile import compile_expr
from icpolicy.lang.parser import MAX_DEPTH, parse_expr
from icpolicy.lang.printer import unparse

HEAD = """\
id: mini
version: "1"
title: Minimal policy
sources:
  guide: {title: The guide}
"""


def _policy(tmp_path, body: str):
    path = tmp_path / "policy.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def _decision(expr: str, typ: str = "bool") -> str:
    return f"decisions:\n  d:\n    type: {typ}\n    value: '{expr}'\n"


def _limit_at(path) -> tuple:
    with pytest.raises(IcpolicyError) as info:
        icpolicy.load_policy(path)
    found = info.value.diagnostics
    assert all("recursion" not in d.message for d in found)
    (limit,) = [d for d in found if d.code == "E-LIMIT"]
    assert limit.span is not None and limit.span.file == str(path)
    return limit.span.line, limit.span.col


@pytest.mark.parametrize(
    ("expr", "col"),
    [
        (" + ".join(["procurement.value_nok"] * 100_000), 1),  # a sum of 100 000 terms
        (" or ".join(["procurement.only_for_norway"] * 10_000), 1),  # a chain of 10 000 or
        ("(" * 5_000 + "true" + ")" * 5_000, 1),
        ("not " * 10_000 + "true", 1),
    ],
    ids=["sum", "or", "parentheses", "not"],
)
def test_huge_expressions_are_a_limit_at_their_place(tmp_path, expr, col):
    typ = "money" if "+" in expr else "bool"
    line, found_col = _limit_at(_policy(tmp_path, _decision(expr, typ)))
    assert line == 9  # the value line
    assert found_col >= 12  # inside the expression (it starts at column 12, after the quote)


def test_the_deepest_allowed_expression_loads_prints_and_decides(tmp_path):
    # A chain of or nests one level per term; the field path under the last takes two more.
    expr = " or ".join(["procurement.only_for_norway"] * (MAX_DEPTH - 3)) + " or false"
    policy = icpolicy.load_policy(_policy(tmp_path, _decision(expr)))
    case = {"id": "C", "date": "2025-01-01", "procurement": {"value_nok": 5, "only_for_norway": False},
            "supplier": {"country": "US"}}
    assert policy.evaluate(case).decisions["d"].value is False
    node = parse_expr(expr)
    assert parse_expr(unparse(node)) == node


def test_one_level_deeper_is_a_limit():
    with pytest.raises(IcpolicyError) as info:
        parse_expr(" or ".join(["a"] * (MAX_DEPTH + 2)))
    (found,) = info.value.diagnostics
    assert found.code == "E-LIMIT" and "100 levels" in found.message and found.help


@pytest.mark.parametrize("digit", ["１", "٣", "০", "५"])
def test_only_ascii_digits_are_digits(digit):
    with pytest.raises(IcpolicyError) as info:
        parse_expr(f"a > 1{digit}0")
    (found,) = info.value.diagnostics
    assert found.code == "E-SYNTAX" and found.span.col == 6
    assert repr(digit) in found.message and f"U+{ord(digit):04X}" in found.message


def test_a_29_digit_threshold_is_exact(tmp_path):
    # 28 digits would round the threshold to 100 MNOK and decide this case the other way.
    threshold = "100000000.00000000000000000000001"
    body = (
        f"parameters:\n  threshold:\n    value: {threshold} NOK\n    source: {{ref: guide, quote: q}}\n"
        + _decision("procurement.value_nok > threshold")
    )
    policy = icpolicy.load_policy(_policy(tmp_path, body))
    assert policy.model.parameters["threshold"].value == Decimal(threshold)
    case = {"id": "C", "date": "2025-01-01", "procurement": {"value_nok": "100000000.000000000000000000000005"},
            "supplier": {"country": "US"}}
    assert policy.evaluate(case).decisions["d"].value is False


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234567890123456789012345678901 NOK", Decimal("1234567890123456789012345678901")),
        ("-1234567890123456789012345678901", Decimal("-1234567890123456789012345678901")),
        ("12345678901234567890123456789.5 MNOK", Decimal("12345678901234567890123456789500000")),
        ("12.345678901234567890123456789012 %", Decimal("0.12345678901234567890123456789012")),
    ],
)
def test_long_literals_keep_every_digit(text, value):
    assert parse_expr(text).value == value


ENV = CheckEnv(globals={name: NameInfo(typ, "case") for name, typ in
                        {"m": T.MONEY, "s": T.SHARE, "f": T.NUMBER, "t": T.MONEY}.items()})
_FIELD = st.decimals(min_value=0, max_value=10**15, places=30, allow_nan=False, allow_infinity=False)
_SHARE = st.decimals(min_value=0, max_value=1, places=32, allow_nan=False, allow_infinity=False)
_FACTOR = st.decimals(min_value=0, max_value=100, places=30, allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(m=_FIELD, s=_SHARE, f=_FACTOR, t=_FIELD)
def test_sums_and_products_of_valid_inputs_are_exact(m, s, f, t):
    # Shares and factors with about 30 decimals: far beyond 60 digits together.
    env = {"m": m, "s": s, "f": f, "t": t}
    for text, exact in [
        ("m * s * f + t", Fraction(m) * Fraction(s) * Fraction(f) + Fraction(t)),
        ("m * s - t * f * s", Fraction(m) * Fraction(s) - Fraction(t) * Fraction(f) * Fraction(s)),
        ("-(m * s) + abs(t * f - m)", -Fraction(m) * Fraction(s) + abs(Fraction(t) * Fraction(f) - Fraction(m))),
    ]:
        node = parse_expr(text)
        checked = check_expr(node, ENV)
        assert checked.problems == [], text
        for precise in (False, True):
            assert Fraction(compile_expr(node, checked, precise=precise).fn(dict(env))) == exact, text
