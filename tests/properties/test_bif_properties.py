"""Properties of the BIF policy over generated case documents (the package's own strategy)."""

import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icpolicy
from icpolicy.testing.strategies import case_documents
from icpolicy.values import dumps

POLICY = icpolicy.load_policy()
CASES = case_documents(POLICY)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
THRESHOLD = Decimal(100_000_000)


def decide(case):
    return POLICY.evaluate(case)


@SETTINGS
@given(CASES)
def test_generated_cases_are_valid(case):
    POLICY.normalize(case)


@SETTINGS
@given(CASES)
def test_foa_never_requires_an_ica(case):
    case["procurement"]["regulation"] = "FOA"
    result = decide(case)
    assert result.decisions["ica_required"].value is False
    assert result.decisions["obligation_nok"].value == 0


@SETTINGS
@given(CASES, st.decimals(min_value="0.01", max_value=10**9, places=2))
def test_raising_a_foreign_direct_value_above_the_threshold_keeps_the_ica(case, extra):
    case["procurement"].update(channel="direct", regulation="RAF")
    case["supplier"]["country"] = "US"
    case["procurement"]["value_nok"] = THRESHOLD + extra
    assert decide(case).decisions["ica_required"].value is True


@SETTINGS
@given(CASES)
def test_credit_never_exceeds_base_times_factor(case):
    result = decide(case)
    normalized = POLICY.normalize(case)
    for project, decided in zip(normalized["projects"], result.projects, strict=True):
        base = project["increase_value_nok"] if project["continuation_of_existing"] else project["value_nok"]
        assert 0 <= decided.decisions["credit_nok"].value <= base * project["factor"]


@SETTINGS
@given(CASES)
def test_remaining_obligation_is_never_negative(case):
    result = decide(case)
    remaining = result.decisions["remaining_obligation_nok"].value
    assert remaining >= 0
    assert remaining == max(Decimal(0), result.decisions["obligation_nok"].value - result.decisions["total_credit_nok"].value)


@SETTINGS
@given(CASES)
def test_evaluation_is_deterministic(case):
    assert decide(case).to_dict() == decide(case).to_dict()


@SETTINGS
@given(CASES)
def test_json_output_reparses_to_the_same_exact_decimals(case):
    result = decide(case)
    parsed = json.loads(dumps(result.to_dict(explain=False)), parse_float=Decimal)
    for name, d in result.decisions.items():
        assert parsed["decisions"][name]["value"] == d.value
    for project, decided in zip(parsed["projects"], result.projects, strict=True):
        for name, d in decided.decisions.items():
            assert project["decisions"][name]["value"] == d.value


def test_the_strategy_leans_on_the_policy_boundaries():
    from hypothesis import Phase, find

    quick = settings(max_examples=2000, phases=[Phase.generate], database=None)  # no shrinking needed
    at = find(CASES, lambda c: Decimal(str(c["procurement"]["value_nok"])) == THRESHOLD, settings=quick)
    assert Decimal(str(at["procurement"]["value_nok"])) == THRESHOLD
    edge = find(
        CASES,
        lambda c: any(
            p.get("norwegian_share") in (Decimal("0.8"), Decimal("0.800001"), "80 %") for p in c.get("projects", [])
        ),
        settings=quick,
    )
    assert edge["projects"]
