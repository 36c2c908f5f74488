"""Hand-computed checks of the reference implementation alone (domain.md boundaries)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from reference_impl import ReferenceInputError, evaluate_reference, years_before
from strategies_cases import case_documents, cases_as_jsonl, dumps_json, generate_cases

D = Decimal
M100 = 100_000_000


def make_case(
    value=M100,
    *,
    country="US",
    channel="direct",
    regulation="RAF",
    date="2026-03-01",
    projects=None,
    agreement=None,
    **procurement_extra,
):
    supplier_extra = {}
    if "foreign_produced_value_nok" in procurement_extra:
        supplier_extra["foreign_produced_value_nok"] = procurement_extra.pop(
            "foreign_produced_value_nok"
        )
    case = {
        "id": "T",
        "date": date,
        "procurement": {
            "value_nok": value,
            "regulation": regulation,
            "channel": channel,
            **procurement_extra,
        },
        "supplier": {"name": "S", "country": country, **supplier_extra},
    }
    if projects is not None:
        case["projects"] = projects
    if agreement is not None:
        case["agreement"] = agreement
    return case


def make_project(pid="P1", **overrides):
    project = {
        "id": pid,
        "kind": "technology_cooperation",
        "value_nok": 10_000_000,
        "valuation_basis": "production",
        "norwegian_share": D("0.5"),
        "partner_in_norway": True,
        "initiated_by_supplier": True,
        "supports_armed_forces_needs": True,
        "in_priority_technology_area": True,
    }
    project.update(overrides)
    return project


def ica(case):
    decision = evaluate_reference(case)["decisions"]["ica_required"]
    return decision["value"], decision["rules"]


def project_decisions(case, index=0):
    return evaluate_reference(case)["projects"][index]["decisions"]


# --- ica_required -------------------------------------------------------------


def test_exactly_100_mnok_does_not_require_ica():
    assert ica(make_case(M100)) == (False, [])
    assert ica(make_case(D("100000000.00"))) == (False, [])


def test_one_ore_over_100_mnok_requires_ica():
    case = make_case(D("100000000.01"))
    assert ica(case) == (True, ["R-FOREIGN-THRESHOLD"])
    obligation = evaluate_reference(case)["decisions"]["obligation_nok"]
    assert obligation == {"value": D("100000000.01"), "rules": ["R-OBLIGATION"]}


def test_direct_procurement_not_only_for_norway_is_still_in_reach():
    assert ica(make_case(150_000_000, only_for_norway=False)) == (True, ["R-FOREIGN-THRESHOLD"])


def test_nspa_fms_for_norway_alone():
    assert ica(make_case(150_000_000, channel="NSPA")) == (True, ["R-NSPA-FMS"])
    assert ica(make_case(150_000_000, channel="FMS", only_for_norway=True)) == (
        True,
        ["R-NSPA-FMS"],
    )
    assert ica(make_case(M100, channel="FMS")) == (False, [])


def test_nspa_shared_with_other_nations_triggers_no_foreign_rule():
    big = D("100000000.01")
    case = make_case(
        150_000_000,
        channel="NSPA",
        only_for_norway=False,
        expected_accumulated_value_nok=big,
    )
    assert ica(case) == (False, [])
    case = make_case(
        60_000_000,
        channel="FMS",
        only_for_norway=False,
        related_contracts=[{"date": "2025-01-01", "value_nok": 90_000_000}],
    )
    assert ica(case) == (False, [])


def test_accumulated_by_expected_value():
    assert ica(make_case(1, expected_accumulated_value_nok=D("100000000.01"))) == (
        True,
        ["R-ACCUMULATED"],
    )
    assert ica(make_case(1, expected_accumulated_value_nok=M100)) == (False, [])
    # NSPA/FMS for Norway alone shares the reach of the foreign rules.
    case = make_case(60_000_000, channel="FMS", expected_accumulated_value_nok=200_000_000)
    assert ica(case) == (True, ["R-ACCUMULATED"])


def test_accumulated_is_only_for_procurements_not_over_the_threshold_alone():
    case = make_case(150_000_000, expected_accumulated_value_nok=500_000_000)
    assert ica(case) == (True, ["R-FOREIGN-THRESHOLD"])
    # Exactly 100 MNOK alone is not over it, so related contracts can still add up.
    case = make_case(M100, related_contracts=[{"date": "2026-01-01", "value_nok": D("0.01")}])
    assert ica(case) == (True, ["R-ACCUMULATED"])


def test_related_contract_exactly_five_years_back_is_outside_the_window():
    over = D("40000000.01")
    at_edge = make_case(60_000_000, related_contracts=[{"date": "2021-03-01", "value_nok": over}])
    assert ica(at_edge) == (False, [])
    inside = make_case(60_000_000, related_contracts=[{"date": "2021-03-02", "value_nok": over}])
    assert ica(inside) == (True, ["R-ACCUMULATED"])
    on_case_date = make_case(
        60_000_000, related_contracts=[{"date": "2026-03-01", "value_nok": over}]
    )
    assert ica(on_case_date) == (True, ["R-ACCUMULATED"])
    after = make_case(60_000_000, related_contracts=[{"date": "2026-03-02", "value_nok": over}])
    assert ica(after) == (False, [])


def test_related_contracts_summing_to_exactly_100_mnok_do_not_trigger():
    contracts = [
        {"date": "2022-01-01", "value_nok": 20_000_000},
        {"date": dt.date(2025, 6, 1), "value_nok": D("20000000.00")},
        {"date": "2019-01-01", "value_nok": 999_000_000},  # outside the window
    ]
    assert ica(make_case(60_000_000, related_contracts=contracts)) == (False, [])


def test_feb_29_case_date_window_starts_feb_28():
    assert years_before(dt.date(2028, 2, 29), 5) == dt.date(2023, 2, 28)
    over = D("40000000.01")
    edge = make_case(
        60_000_000,
        date="2028-02-29",
        related_contracts=[{"date": "2023-02-28", "value_nok": over}],
    )
    assert ica(edge) == (False, [])
    inside = make_case(
        60_000_000,
        date="2028-02-29",
        related_contracts=[{"date": "2023-03-01", "value_nok": over}],
    )
    assert ica(inside) == (True, ["R-ACCUMULATED"])


def test_norwegian_supplier_with_foreign_parts():
    case = make_case(500_000_000, country="NO", foreign_produced_value_nok=D("100000000.01"))
    assert ica(case) == (True, ["R-NORWEGIAN-SUPPLIER-FOREIGN-PARTS"])
    # The obligation base is the part produced abroad, not the contract sum.
    obligation = evaluate_reference(case)["decisions"]["obligation_nok"]["value"]
    assert obligation == D("100000000.01")
    assert ica(make_case(500_000_000, country="NO", foreign_produced_value_nok=M100)) == (
        False,
        [],
    )
    # A Norwegian supplier is outside the foreign rules whatever the channel.
    assert ica(make_case(500_000_000, country="NO", channel="NSPA")) == (False, [])
    case = make_case(1, country="NO", channel="FMS", foreign_produced_value_nok=200_000_000)
    assert ica(case) == (True, ["R-NORWEGIAN-SUPPLIER-FOREIGN-PARTS"])


def test_foreign_supplier_foreign_parts_are_ignored():
    assert ica(make_case(1, country="SE", foreign_produced_value_nok=500_000_000)) == (False, [])


def test_foa_overrides_every_trigger():
    case = make_case(150_000_000, regulation="FOA", expected_accumulated_value_nok=500_000_000)
    decisions = evaluate_reference(case)["decisions"]
    assert decisions["ica_required"] == {"value": False, "rules": ["E-FOA"]}
    assert decisions["obligation_nok"] == {"value": 0, "rules": []}
    assert decisions["obligation_fulfilled"]["value"] is False
    # E-FOA is reported even when nothing would have fired.
    assert ica(make_case(1, regulation="FOA")) == (False, ["E-FOA"])
    case = make_case(1, country="NO", regulation="FOA", foreign_produced_value_nok=200_000_000)
    assert ica(case) == (False, ["E-FOA"])


def test_fosa_is_not_an_exception():
    assert ica(make_case(150_000_000, regulation="FOSA")) == (True, ["R-FOREIGN-THRESHOLD"])


# --- obligation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (None, D(150_000_000)),
        (1, D(150_000_000)),
        ("50 %", D(75_000_000)),
        (D("0.1"), D(15_000_000)),
    ],
)
def test_obligation_ratio(ratio, expected):
    agreement = None if ratio is None else {"obligation_ratio": ratio}
    case = make_case(150_000_000, agreement=agreement)
    assert evaluate_reference(case)["decisions"]["obligation_nok"]["value"] == expected


@pytest.mark.parametrize("ratio", [0, D("0"), D("1.0001"), "0 %", "101 %", -1])
def test_obligation_ratio_out_of_range_is_an_error(ratio):
    with pytest.raises(ReferenceInputError):
        evaluate_reference(make_case(agreement={"obligation_ratio": ratio}))


def test_floats_are_refused():
    with pytest.raises(ReferenceInputError):
        evaluate_reference(make_case(1.5e8))


# --- projects ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "basis", "credited"),
    [
        ("80 %", "production", D("0.8")),
        (D("0.8"), "production", D("0.8")),
        ("80.0001 %", "production", D(1)),
        (D("0.800001"), "production", D(1)),
        (D("0.8001"), "other", D("0.8001")),
        (D("0.95"), "other", D("0.95")),
        ("20 %", "production", D("0.2")),
        (D("0.2"), "other", D("0.2")),
        ("19.99 %", "production", D(0)),
        (D("0.1999"), "other", D(0)),
        (0, "production", D(0)),
        (1, "other", D(1)),
    ],
)
def test_credited_share(share, basis, credited):
    case = make_case(projects=[make_project(norwegian_share=share, valuation_basis=basis)])
    decisions = project_decisions(case)
    assert decisions["credited_share"] == {"value": credited, "rules": ["P-SHARE"]}
    assert decisions["credit_nok"] == {"value": 10_000_000 * credited, "rules": ["P-FACTOR"]}


def test_failing_checks_are_all_listed_in_order():
    project = make_project(
        partner_in_norway=False,
        initiated_by_supplier=False,
        in_priority_technology_area=False,
        continuation_of_existing=True,
        increase_value_nok=0,
    )
    decisions = project_decisions(make_case(projects=[project]))
    assert decisions["status"] == {
        "value": "not_approvable",
        "rules": ["P-PARTNER", "P-CAUSALITY", "P-NEEDS", "P-CONTINUATION"],
    }
    assert decisions["credit_nok"] == {"value": 0, "rules": []}
    # credited_share is still reported for a project that is not approvable.
    assert decisions["credited_share"] == {"value": D("0.5"), "rules": ["P-SHARE"]}


def test_continuation_without_increase_is_not_approvable():
    project = make_project(continuation_of_existing=True)
    decisions = project_decisions(make_case(projects=[project]))
    assert decisions["status"] == {"value": "not_approvable", "rules": ["P-CONTINUATION"]}


def test_continuation_with_increase_needs_review_and_credits_the_increase():
    project = make_project(
        continuation_of_existing=True,
        increase_value_nok=2_000_000,
        norwegian_share="85 %",
        factor=2,
    )
    result = evaluate_reference(make_case(150_000_000, projects=[project]))
    decisions = result["projects"][0]["decisions"]
    assert decisions["status"] == {"value": "needs_review", "rules": ["P-CONTINUATION"]}
    assert decisions["credit_nok"] == {"value": D(4_000_000), "rules": ["P-FACTOR"]}
    assert result["decisions"]["pending_credit_nok"]["value"] == 4_000_000
    assert result["decisions"]["total_credit_nok"]["value"] == 0


def test_increase_is_ignored_without_continuation():
    project = make_project(increase_value_nok=5_000_000, factor=D("1.5"))
    decisions = project_decisions(make_case(projects=[project]))
    assert decisions["status"] == {"value": "approvable", "rules": []}
    assert decisions["credit_nok"]["value"] == D("7500000")


def test_domain_example_case():
    case = make_case(
        150_000_000,
        date=dt.date(2026, 3, 1),
        related_contracts=[{"date": "2024-05-01", "value_nok": 40_000_000}],
        projects=[make_project(norwegian_share=D("0.85"), factor=1)],
        agreement={"obligation_ratio": D("1.0")},
    )
    result = evaluate_reference(case)
    assert result["case"] == "T"
    assert {name: d["value"] for name, d in result["decisions"].items()} == {
        "ica_required": True,
        "obligation_nok": 150_000_000,
        "total_credit_nok": 10_000_000,
        "pending_credit_nok": 0,
        "remaining_obligation_nok": 140_000_000,
        "obligation_fulfilled": False,
    }
    assert result["decisions"]["ica_required"]["rules"] == ["R-FOREIGN-THRESHOLD"]
    assert result["projects"] == [
        {
            "id": "P1",
            "decisions": {
                "status": {"value": "approvable", "rules": []},
                "credited_share": {"value": 1, "rules": ["P-SHARE"]},
                "credit_nok": {"value": 10_000_000, "rules": ["P-FACTOR"]},
            },
        }
    ]


def test_totals_and_fulfilment():
    projects = [
        make_project("A", value_nok=60_000_000, norwegian_share=1),
        make_project("B", value_nok=50_000_000, norwegian_share=1, factor=D("0.5")),
        make_project("C", value_nok=90_000_000, norwegian_share=1, partner_in_norway=False),
    ]
    case = make_case(D("100000000.01"), projects=projects, agreement={"obligation_ratio": "85 %"})
    decisions = evaluate_reference(case)["decisions"]
    assert decisions["obligation_nok"]["value"] == D("85000000.0085")
    assert decisions["total_credit_nok"]["value"] == 85_000_000
    assert decisions["remaining_obligation_nok"]["value"] == D("0.0085")
    assert decisions["obligation_fulfilled"]["value"] is False
    projects[0]["value_nok"] = D("60000000.01")
    decisions = evaluate_reference(case)["decisions"]
    assert decisions["remaining_obligation_nok"]["value"] == 0
    assert decisions["obligation_fulfilled"]["value"] is True


def test_no_ica_means_not_fulfilled_even_with_credits():
    case = make_case(1, projects=[make_project()])
    decisions = evaluate_reference(case)["decisions"]
    assert decisions["total_credit_nok"]["value"] == 5_000_000
    assert decisions["remaining_obligation_nok"]["value"] == 0
    assert decisions["obligation_fulfilled"] == {"value": False, "rules": []}


def test_output_shape():
    result = evaluate_reference(make_case(projects=[make_project("X"), make_project("Y")]))
    assert set(result) == {"case", "decisions", "projects"}
    assert list(result["decisions"]) == [
        "ica_required",
        "obligation_nok",
        "total_credit_nok",
        "pending_credit_nok",
        "remaining_obligation_nok",
        "obligation_fulfilled",
    ]
    assert [p["id"] for p in result["projects"]] == ["X", "Y"]
    for project in result["projects"]:
        assert list(project["decisions"]) == ["status", "credited_share", "credit_nok"]
        assert isinstance(project["decisions"]["credit_nok"]["value"], Decimal)


def test_duplicate_project_ids_are_an_error():
    with pytest.raises(ReferenceInputError):
        evaluate_reference(make_case(projects=[make_project("P"), make_project("P")]))


# --- the generators themselves ------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(case_documents())
def test_generated_cases_are_valid(case):
    result = evaluate_reference(case)
    ids = [p["id"] for p in case.get("projects", [])]
    assert len(ids) == len(set(ids)) <= 4
    assert [p["id"] for p in result["projects"]] == ids


def test_jsonl_is_deterministic_and_exact():
    import json

    text = cases_as_jsonl(50, seed=7)
    assert text == cases_as_jsonl(50, seed=7)
    lines = text.splitlines()
    assert len(lines) == 50
    parsed = [json.loads(line, parse_float=Decimal) for line in lines]
    originals = generate_cases(50, seed=7)
    for original, loaded in zip(originals, parsed, strict=True):
        assert dumps_json(loaded) == dumps_json(original)
        assert evaluate_reference(loaded) == evaluate_reference(original)
