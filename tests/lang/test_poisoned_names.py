"""A name whose definition failed is poisoned: its uses fail silently (issue 10, item 3)."""

from icpolicy.lang import types as T
from icpolicy.lang.checker import CheckEnv, NameInfo, check_expr
from icpolicy.lang.parser import parse_expr

ENV = {"limit": NameInfo(T.MONEY, "param", None)}


def test_a_poisoned_name_is_silent_and_untyped():
    checked = check_expr(parse_expr("broken and limit > 1 NOK"), CheckEnv(dict(ENV), poisoned={"broken"}))
    assert checked.problems == [] and checked.type is None and checked.poisoned == {"broken"}


def test_an_unknown_name_is_still_reported_with_a_suggestion():
    checked = check_expr(parse_expr("limt > 1 NOK"), CheckEnv(dict(ENV), poisoned={"broken"}))
    assert [(p.code, p.message, p.help) for p in checked.problems] == [("E-NAME", "unknown name 'limt'", "did you mean 'limit'?")]
    assert checked.poisoned == set()
