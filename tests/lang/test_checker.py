"""Stage 2, AST -> types: hand-built environments, one rule of the type system per test.

The rules come from the language's documentation (types.py): money, share and
plain numbers are distinct; a plain number adapts to the kind beside it; money is
never compared with a share; a value that may be missing needs coalesce().
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from icpolicy.lang import types as T
from icpolicy.lang.checker import CheckEnv, NameInfo, check_expr
from icpolicy.lang.parser import parse_expr

CHANNEL = T.Str(frozenset({"direct", "NSPA", "FMS"}))
CONTRACT = T.Record("related_contract", (("date", T.DATE), ("value_nok", T.MONEY)))
PROCUREMENT = T.Record(
    "procurement",
    (
        ("value_nok", T.MONEY),
        ("channel", CHANNEL),
        ("only_for_norway", T.BOOL),
        ("related_contracts", T.ListOf(CONTRACT)),
    ),
)
AGREEMENT = T.Record("agreement", (("obligation_ratio", T.Optional(T.SHARE)),))
PROJECT = T.Record(
    "project",
    (("id", T.STRING), ("value_nok", T.MONEY), ("norwegian_share", T.SHARE), ("factor", T.NUMBER)),
)


def _env(in_project=False) -> CheckEnv:
    globals_ = {
        "date": NameInfo(T.DATE, "case"),
        "procurement": NameInfo(PROCUREMENT, "case"),
        "agreement": NameInfo(AGREEMENT, "case"),
        "projects": NameInfo(T.ListOf(PROJECT), "case"),
        "ica_threshold": NameInfo(T.MONEY, "param", Decimal(100_000_000)),
        "min_share": NameInfo(T.SHARE, "param", Decimal("0.2")),
        "window": NameInfo(T.DURATION, "param", None),
        "ica_required": NameInfo(T.BOOL, "computed"),
        "obligation_nok": NameInfo(T.MONEY, "computed"),
        "maybe_nok": NameInfo(T.Optional(T.MONEY), "computed"),
        "label": NameInfo(T.STRING, "computed"),
        "count_n": NameInfo(T.NUMBER, "computed"),
    }
    project_names = {"credit_nok": NameInfo(T.MONEY, "project_computed")}
    return CheckEnv(globals_, project_names, "project", in_project)


def check(text, in_project=False):
    return check_expr(parse_expr(text), _env(in_project))


def ok(text, in_project=False):
    result = check(text, in_project)
    assert result.problems == [], [p.message for p in result.problems]
    return result.type


def problem(text, code=None, in_project=False):
    result = check(text, in_project)
    assert result.problems, f"{text!r} should be rejected"
    if code is not None:
        codes = [p.code for p in result.problems]
        assert code in codes, codes
        return next(p for p in result.problems if p.code == code)
    return result.problems[0]


# ---- names and fields -----------------------------------------------------------------------


def test_known_names_have_their_types():
    assert ok("date") == T.DATE
    assert ok("ica_threshold") == T.MONEY
    assert ok("procurement.value_nok") == T.MONEY
    assert ok("procurement.related_contracts") == T.ListOf(CONTRACT)


def test_unknown_name_with_suggestion():
    p = problem("procurment.value_nok > 0", "E-NAME")
    assert "procurment" in p.message
    assert p.help == "did you mean 'procurement'?"
    assert (p.span.line, p.span.col) == (1, 1)


def test_unknown_name_without_a_close_match_has_no_suggestion():
    p = problem("zzzzqqq", "E-NAME")
    assert p.help is None


def test_unknown_name_suggests_parameters_too():
    p = problem("ica_treshold", "E-NAME")
    assert p.help == "did you mean 'ica_threshold'?"


def test_unknown_field_with_suggestion():
    p = problem("procurement.valu_nok > 0", "E-FIELD")
    assert "valu_nok" in p.message and "procurement" in p.message
    assert p.help == "did you mean 'value_nok'?"


def test_unknown_field_inside_a_lambda():
    p = problem("sum(projects, p -> p.valu_nok)", "E-FIELD")
    assert p.help == "did you mean 'value_nok'?"
    assert (p.span.line, p.span.col) == (1, 20)


def test_field_of_a_non_record():
    problem("procurement.value_nok.x")
    problem("true.x")


def test_case_names_resolve_and_computed_names_become_dependencies():
    result = check(
        "ica_required and obligation_nok > ica_threshold and procurement.only_for_norway"
    )
    assert result.problems == []
    assert result.deps == {"ica_required", "obligation_nok"}


def test_project_decision_is_not_visible_at_case_level():
    p = problem("credit_nok > 0", "E-SCOPE")
    assert "project" in p.message


def test_project_scope_sees_project_and_its_decisions():
    assert ok("project.value_nok * project.norwegian_share", in_project=True) == T.MONEY
    result = check("credit_nok + project.value_nok", in_project=True)
    assert result.problems == [] and result.type == T.MONEY
    assert "credit_nok" in result.deps


def test_project_is_unknown_at_case_level():
    problem("project.value_nok", "E-NAME")


# ---- comparisons -------------------------------------------------------------------------------


def test_date_compared_with_number_rejected():
    p = problem("date > 5", "E-TYPE")
    assert "date" in p.message and "number" in p.message


def test_date_compared_with_date_accepted():
    assert ok("date > 2026-01-01") == T.BOOL
    assert ok('date <= date("2026-01-01")') == T.BOOL


@pytest.mark.parametrize(
    "text",
    [
        "procurement.value_nok > min_share",
        "procurement.value_nok == min_share",
        "procurement.value_nok != 80 %",
        "min_share < 5 NOK",
    ],
)
def test_money_and_share_never_compared(text):
    p = problem(text, "E-TYPE")
    assert "money" in p.message and "share" in p.message


@pytest.mark.parametrize(
    "text",
    ["procurement.value_nok > 0", "0 < procurement.value_nok", "min_share >= 0.2", "count_n > 3"],
)
def test_plain_number_adapts_in_comparisons(text):
    assert ok(text) == T.BOOL


def test_bool_is_not_a_number():
    problem("ica_required == 1", "E-TYPE")
    problem("ica_required > false", "E-TYPE")


def test_string_comparisons():
    assert ok('label == "x"') == T.BOOL
    assert ok('label < "b"') == T.BOOL
    problem("label == 1", "E-TYPE")


# ---- arithmetic result types ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "typ"),
    [
        ("procurement.value_nok * min_share", T.MONEY),
        ("min_share * procurement.value_nok", T.MONEY),
        ("procurement.value_nok / obligation_nok", T.SHARE),
        ("procurement.value_nok / 2", T.MONEY),
        ("procurement.value_nok / min_share", T.MONEY),
        ("procurement.value_nok + 5", T.MONEY),
        ("5 + procurement.value_nok", T.MONEY),
        ("procurement.value_nok - obligation_nok", T.MONEY),
        ("procurement.value_nok * 2", T.MONEY),
        ("min_share * min_share", T.SHARE),
        ("min_share + 0.1", T.SHARE),
        ("min_share / min_share", T.NUMBER),
        ("count_n * 2 + 1", T.NUMBER),
        ("-procurement.value_nok", T.MONEY),
        ("date - 5 years", T.DATE),
        ("date + 30 days", T.DATE),
        ("5 years + date", T.DATE),
        ("date - window", T.DATE),
        ("5 years + 2 years", T.DURATION),
    ],
)
def test_arithmetic_result_types(text, typ):
    assert ok(text) == typ


@pytest.mark.parametrize(
    "text",
    [
        "procurement.value_nok * obligation_nok",  # money squared means nothing
        "procurement.value_nok + min_share",
        "procurement.value_nok - 80 %",
        "min_share / procurement.value_nok",
        "2 / procurement.value_nok",
        "date - date",
        "date + 5",
        "5 years - date",
        "date * 2",
        '"a" + "b"',
        "ica_required + 1",
        "-date",
        "-ica_required",
    ],
)
def test_meaningless_arithmetic_rejected(text):
    assert check(text).type is None
    problem(text, "E-TYPE")


# ---- calls ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "got"),
    [
        ("min(procurement.value_nok)", 1),
        ("max()", 0),
        ("abs(1, 2)", 2),
        ("coalesce(maybe_nok)", 1),
        ("round(1, 2, 3)", 3),
        ("any(projects)", 1),
        ("filter(projects)", 1),
        ("sum()", 0),
        ('date("2026-01-01", "x")', 2),
    ],
)
def test_wrong_arity(text, got):
    p = problem(text, "E-ARITY")
    assert f"got {got}" in p.message
    assert p.help  # the function's one-line summary
    assert (p.span.line, p.span.col) == (1, 1)


def test_unknown_function_with_suggestion():
    p = problem("summ(projects, p -> p.value_nok)", "E-NAME")
    assert p.help == "did you mean 'sum'?"


@pytest.mark.parametrize(
    ("text", "typ"),
    [
        ("min(procurement.value_nok, 5)", T.MONEY),
        ("max(0 NOK, obligation_nok - 1 NOK)", T.MONEY),
        ("max(date, 2026-01-01)", T.DATE),
        ("sum(projects, p -> p.value_nok)", T.MONEY),
        ("sum(projects, p -> p.norwegian_share)", T.SHARE),
        ("count(projects)", T.NUMBER),
        ("count(projects, p -> p.factor > 1)", T.NUMBER),
        ("any(projects, p -> p.factor > 1)", T.BOOL),
        ("all(projects, p -> p.factor > 1)", T.BOOL),
        ("filter(projects, p -> p.factor > 1)", T.ListOf(PROJECT)),
        ("round(procurement.value_nok / 3, 2)", T.MONEY),
        ("abs(min_share - 1)", T.SHARE),
        ("coalesce(maybe_nok, 0 NOK)", T.MONEY),
        ("coalesce(agreement.obligation_ratio, 100 %)", T.SHARE),
        ('date("2026-03-01")', T.DATE),
        ("years(5)", T.DURATION),
        ("days(30)", T.DURATION),
        ("sum([])", T.NUMBER),
    ],
)
def test_call_types(text, typ):
    assert ok(text) == typ


@pytest.mark.parametrize(
    "text",
    [
        "min(procurement.value_nok, min_share)",
        "min(ica_required, ica_required)",
        "abs(date)",
        "sum(projects)",
        "sum(projects, p -> p.id)",
        "all(projects, p -> p.value_nok)",
        "count(projects, p -> 1)",
        "coalesce(maybe_nok, min_share)",
        "date(5)",
        "sum(procurement.value_nok)",
    ],
)
def test_call_argument_types_rejected(text):
    assert check(text).type is None
    problem(text)


# ---- lambdas ---------------------------------------------------------------------------------


def test_lambda_where_none_is_allowed():
    p = problem("min(1, x -> x)", "E-ARITY")
    assert "lambda" in p.message
    assert (p.span.line, p.span.col) == (1, 8)


def test_lambda_in_the_list_position():
    p = problem("sum(x -> 1, projects)", "E-ARITY")
    assert "lambda" in p.message


def test_lambda_over_a_non_list():
    problem("sum(procurement.value_nok, x -> x)")


def test_lambda_required_for_any():
    problem("any(projects)", "E-ARITY")


def test_lambda_variable_is_gone_after_the_call():
    problem("sum(projects, p -> p.value_nok) > p.value_nok", "E-NAME")


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("sum(projects, date -> date.value_nok)", "date"),
        ("sum(projects, procurement -> 1)", "procurement"),
        ("sum(projects, ica_threshold -> 1 NOK)", "ica_threshold"),
        ("count(projects, ica_required -> true)", "ica_required"),
        ("sum(projects, project -> 1)", "project"),
        ("sum(projects, credit_nok -> 1)", "credit_nok"),
        ("sum(projects, p -> count(projects, p -> true))", "p"),
    ],
)
def test_lambda_shadowing_rejected(text, hidden):
    p = problem(text, "E-NAME")
    assert f"'{hidden}'" in p.message


def test_nested_lambdas_with_distinct_names():
    assert (
        ok("sum(projects, p -> count(projects, q -> q.factor > p.factor) * p.value_nok)") == T.MONEY
    )


# ---- enums -------------------------------------------------------------------------------------


def test_enum_literal_with_suggestion():
    p = problem('procurement.channel == "NSA"', "E-ENUM")
    assert p.help == "did you mean 'NSPA'?"
    for choice in ("NSPA", "FMS", "direct"):
        assert choice in p.message
    # The caret goes under the literal, not under the whole comparison.
    assert (p.span.line, p.span.col) == (1, 24)


def test_enum_literal_on_the_left():
    p = problem('"NSA" != procurement.channel', "E-ENUM")
    assert (p.span.line, p.span.col) == (1, 1)


def test_enum_literals_in_a_list():
    p = problem('procurement.channel in ["NSPA", "FMx"]', "E-ENUM")
    assert p.help == "did you mean 'FMS'?"
    assert (p.span.line, p.span.col) == (1, 33)


def test_valid_enum_literals_accepted():
    assert ok('procurement.channel == "NSPA"') == T.BOOL
    assert ok('procurement.channel in ["NSPA", "FMS"]') == T.BOOL
    assert ok('procurement.channel not in ["direct"]') == T.BOOL


def test_enum_check_is_case_sensitive():
    problem('procurement.channel == "nspa"', "E-ENUM")


# ---- optional values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "maybe_nok + 1 NOK",
        "maybe_nok * 2",
        "procurement.value_nok * agreement.obligation_ratio",
        "maybe_nok > 0",
        "-maybe_nok",
    ],
)
def test_optional_value_needs_coalesce(text):
    result = check(text)
    assert result.problems
    assert any(
        "coalesce" in (p.help or "") or "missing" in p.message or "null" in p.message
        for p in result.problems
    )


def test_coalesce_makes_it_usable():
    assert ok("procurement.value_nok * coalesce(agreement.obligation_ratio, 100 %)") == T.MONEY
    assert ok("coalesce(maybe_nok, 0) > 0") == T.BOOL


def test_optional_may_be_compared_with_null_for_equality():
    assert ok("maybe_nok == null") == T.BOOL
    assert ok("maybe_nok != 5 NOK") == T.BOOL


def test_if_with_null_branch_is_optional():
    assert ok("if ica_required then null else obligation_nok") == T.Optional(T.MONEY)
    problem("(if ica_required then null else obligation_nok) + 1 NOK")


# ---- boolean operators and if --------------------------------------------------------------------


def test_boolean_operators_need_booleans():
    p = problem("ica_required and obligation_nok", "E-TYPE")
    assert (p.span.line, p.span.col) == (1, 18)  # under the non-boolean side
    problem("not obligation_nok", "E-TYPE")
    problem("obligation_nok or true", "E-TYPE")


def test_if_branch_type_mismatch():
    p = problem("if ica_required then obligation_nok else min_share", "E-TYPE")
    assert "money" in p.message and "share" in p.message


def test_if_branch_number_adapts():
    assert ok("if ica_required then obligation_nok else 0") == T.MONEY
    assert ok("if ica_required then 0 else obligation_nok") == T.MONEY


def test_if_condition_must_be_bool():
    p = problem("if obligation_nok then 1 else 2", "E-TYPE")
    assert (p.span.line, p.span.col) == (1, 4)


def test_if_string_branches_merge():
    assert isinstance(ok('if ica_required then "a" else "b"'), T.Str)


# ---- lists and membership -------------------------------------------------------------------------


def test_list_items_must_be_of_one_kind():
    p = problem('[1, "a"]', "E-TYPE")
    assert (p.span.line, p.span.col) == (1, 5)
    problem("[1 NOK, 80 %]", "E-TYPE")


def test_list_of_number_adapts():
    assert ok("[1 NOK, 2]") == T.ListOf(T.MONEY)


def test_in_needs_a_list_on_the_right():
    problem("procurement.value_nok in procurement.value_nok", "E-TYPE")


def test_in_item_must_fit_the_list():
    problem("procurement.value_nok in [1 %, 2 %]", "E-TYPE")
    assert ok("procurement.value_nok in [1, 2]") == T.BOOL


# ---- several problems at once ---------------------------------------------------------------------


def test_problems_are_collected_not_stopped_at_the_first():
    result = check("procurment.value_nok > 0 and procurement.valu_nok > 0")
    codes = sorted(p.code for p in result.problems)
    assert codes == ["E-FIELD", "E-NAME"]
