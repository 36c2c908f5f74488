"""The examples of issue 12 and the Python API of partial evaluation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from icpolicy.diagnostics import IcpolicyError

US_80 = {
    "id": "EARLY-2026-007",
    "date": "2026-03-01",
    "procurement": {
        "value_nok": 80_000_000,
        "regulation": "RAF",
        "channel": "direct",
        "related_contracts": "unknown",
        "expected_accumulated_value_nok": "unknown",
    },
    "supplier": {"name": "Example Defence Inc.", "country": "US"},
    "projects": [],
}


def test_us_80_mnok_direct_is_open_and_asks_for_the_accumulation_first(bif):
    result = bif.evaluate(US_80, partial=True)
    ica = result.decisions["ica_required"]
    assert ica.state == "open"
    assert ica.possible == (False, True)
    assert set(ica.depends_on) == {"procurement.related_contracts", "procurement.expected_accumulated_value_nok"}
    facts = [q.fact for q in result.questions]
    assert facts == ["procurement.related_contracts", "procurement.expected_accumulated_value_nok"]
    assert any(w["rule"] == "R-ACCUMULATED" for w in result.questions[0].why)
    assert "R-ACCUMULATED: related contracts within 5 years" in result.questions[0].why_text("en")
    assert result.decisions["total_credit_nok"].state == "decided"  # no projects: known


def test_us_80_mnok_is_decided_once_the_accumulation_is_known(bif):
    none_related = {**US_80, "procurement": {**US_80["procurement"], "related_contracts": []}}
    still = bif.evaluate(none_related, partial=True)
    assert still.decisions["ica_required"].state == "open"
    assert [q.fact for q in still.questions] == ["procurement.expected_accumulated_value_nok"]
    answered = {**none_related, "procurement": {**none_related["procurement"], "expected_accumulated_value_nok": 0}}
    done = bif.evaluate(answered, partial=True)
    assert done.decisions["ica_required"].state == "decided"
    assert done.decisions["ica_required"].value is False
    assert done.questions == []


def test_a_related_contract_in_the_window_decides_alone(bif):
    related = [{"date": "2023-06-01", "value_nok": 30_000_000}]
    case = {**US_80, "procurement": {**US_80["procurement"], "related_contracts": related}}
    ica = bif.evaluate(case, partial=True).decisions["ica_required"]
    assert (ica.state, ica.value, ica.rules) == ("decided", True, ("R-ACCUMULATED",))


def test_under_foa_with_everything_else_unknown_no_ica_is_required(bif):
    result = bif.evaluate({"id": "FOA-1", "procurement": {"regulation": "FOA"}}, partial=True)
    ica = result.decisions["ica_required"]
    assert (ica.state, ica.value, ica.rules) == ("decided", False, ("E-FOA",))
    assert ica.explanation[0]["rule"] == "E-FOA"
    assert result.decisions["obligation_nok"].value == Decimal(0)
    assert result.decisions["obligation_fulfilled"].value is False
    assert result.decisions["total_credit_nok"].state == "open"  # the projects are unknown


def test_foa_with_a_known_date_decides_under_that_version(bif):
    result = bif.evaluate({"id": "FOA-2", "date": "2010-05-01", "procurement": {"regulation": "FOA"}}, partial=True)
    assert result.meta["version"] == "2001.1"
    assert result.decisions["ica_required"].rules == ("E-FOA",)


def test_bounds_decide_a_comparison(bif):
    # A Norwegian supplier: the foreign rules cannot fire; only the foreign parts matter.
    case = {"id": "NO-1", "date": "2026-03-01", "procurement": {"value_nok": "unknown", "regulation": "RAF"},
            "supplier": {"country": "NO", "foreign_produced_value_nok": 99_000_000}}
    ica = bif.evaluate(case, partial=True).decisions["ica_required"]
    assert (ica.state, ica.value) == ("decided", False)


def test_an_unknown_share_gives_bounds_on_the_credit(bif):
    project = {"id": "P1", "value_nok": 10_000_000, "norwegian_share": "unknown", "partner_in_norway": True,
               "initiated_by_supplier": True, "supports_armed_forces_needs": True, "in_priority_technology_area": True,
               "valuation_basis": "other", "continuation_of_existing": False}
    case = {"id": "S-1", "date": "2026-03-01", "procurement": {"value_nok": 150_000_000, "regulation": "RAF",
            "channel": "direct", "related_contracts": [], "expected_accumulated_value_nok": 0},
            "supplier": {"country": "US"}, "projects": [project]}
    result = bif.evaluate(case, partial=True)
    assert result.decisions["ica_required"].value is True
    p1 = result.projects[0].decisions
    assert p1["status"].value == "approvable"
    assert p1["credit_nok"].state == "open"
    assert p1["credit_nok"].bounds == (Decimal(0), Decimal(10_000_000))
    assert p1["credit_nok"].depends_on == ("projects[0].norwegian_share",)
    assert result.to_dict()["projects"][0]["decisions"]["credit_nok"]["at_most"] == Decimal(10_000_000)


def test_without_partial_an_unknown_is_bad_input(bif):
    with pytest.raises(IcpolicyError) as info:
        bif.evaluate(US_80)
    fields = {d.field for d in info.value.diagnostics}
    assert fields == {"procurement.related_contracts", "procurement.expected_accumulated_value_nok"}
    assert all('got "unknown"' in d.message for d in info.value.diagnostics)


def test_a_bad_known_value_gets_the_case_document_message(bif):
    case = {**US_80, "procurement": {**US_80["procurement"], "value_nok": "lots"}}
    with pytest.raises(IcpolicyError) as info:
        bif.evaluate(case, partial=True)
    (d,) = info.value.diagnostics
    assert d.field == "procurement.value_nok"
    assert d.message == 'expected an amount in NOK, got "lots"'


def test_identifiers_cannot_be_unknown(bif):
    with pytest.raises(IcpolicyError) as info:
        bif.evaluate({"id": "unknown"}, partial=True)
    assert info.value.diagnostics[0].message == "an identifier cannot be unknown"


def test_kept_defaults_apply_when_left_out(bif):
    # The agreement's ratio (100 %) and a project's factor (1) keep the guide's defaults.
    project = {"id": "P1", "value_nok": 10_000_000, "norwegian_share": "50 %", "partner_in_norway": True,
               "initiated_by_supplier": True, "supports_armed_forces_needs": True, "in_priority_technology_area": True,
               "valuation_basis": "other", "continuation_of_existing": False}
    case = {"id": "K-1", "date": "2026-03-01", "procurement": {"value_nok": 150_000_000, "regulation": "RAF",
            "channel": "direct"}, "supplier": {"country": "US"}, "projects": [project]}
    result = bif.evaluate(case, partial=True)
    assert result.decisions["obligation_nok"].value == Decimal(150_000_000)
    assert result.projects[0].decisions["credit_nok"].value == Decimal(5_000_000)


def test_the_json_of_a_partial_result(bif):
    obj = bif.evaluate(US_80, partial=True).to_dict()
    assert obj["partial"] is True
    assert obj["decisions"]["ica_required"]["state"] == "open"
    assert obj["decisions"]["ica_required"]["possible"] == [False, True]
    assert obj["decisions"]["total_credit_nok"]["state"] == "decided"
    assert obj["questions"][0]["fact"] == "procurement.related_contracts"
    assert obj["questions"][0]["label"]["nb"].startswith("Andre kontrakter")


def test_asking_for_one_decision_only(bif):
    result = bif.evaluate(US_80, decisions=["total_credit_nok"], partial=True)
    assert list(result.decisions) == ["total_credit_nok"]
    assert result.questions == []
