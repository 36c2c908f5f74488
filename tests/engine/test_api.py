"""The Python API: load_policy, evaluate, partial evaluation, prepared cases, errors, threads."""

import threading
from decimal import Decimal
from pathlib import Path

import pytest

import icpolicy
from icpolicy import IcpolicyError

ROOT = Path(__file__).resolve().parents[2]

CASE = {
    "id": "API-1",
    "date": "2026-03-01",
    "procurement": {"value_nok": 150_000_000},
    "supplier": {"country": "US"},
    "projects": [
        {
            "id": "P1",
            "value_nok": "10000000",
            "valuation_basis": "production",
            "norwegian_share": "85 %",
            "partner_in_norway": True,
            "initiated_by_supplier": True,
            "supports_armed_forces_needs": True,
            "in_priority_technology_area": True,
        }
    ],
}


def test_decisions_values_and_rules(bif):
    result = bif.evaluate(CASE)
    assert result.decisions["ica_required"].value is True
    assert result.decisions["ica_required"].rules == ("R-FOREIGN-THRESHOLD",)
    assert result.decisions["obligation_nok"].value == Decimal(150_000_000)
    assert result.projects[0].id == "P1"
    assert result.projects[0].decisions["credited_share"].value == 1
    assert result.decisions["total_credit_nok"].value == Decimal(10_000_000)


def test_to_dict_shape(bif):
    out = bif.evaluate(CASE).to_dict()
    assert out["case"] == "API-1"
    assert out["policy"]["id"] == "bif" and len(out["policy"]["sha256"]) == 64
    assert list(out["decisions"]) == [
        "ica_required",
        "ica_kind",  # an extension of domain.md's contract (issue 4)
        "obligation_nok",
        "total_credit_nok",
        "pending_credit_nok",
        "remaining_obligation_nok",
        "obligation_fulfilled",
    ]
    entry = out["decisions"]["ica_required"]
    assert entry["explanation"][0]["rule"] == "R-FOREIGN-THRESHOLD"
    assert "overskrider 100 MNOK" in entry["explanation"][0]["source"]
    assert "150 000 000 NOK" in entry["explanation"][0]["text"]
    assert list(out["projects"][0]["decisions"]) == ["status", "credited_share", "credit_nok"]


def test_only_the_asked_decision_is_evaluated(bif):
    result = bif.evaluate(CASE, decisions=["ica_required"])
    assert list(result.decisions) == ["ica_required"]
    assert result.projects == [] or all(not p.decisions for p in result.projects)
    # Its explanation is still available.
    assert result.explanation("ica_required")[0]["rule"] == "R-FOREIGN-THRESHOLD"


def test_a_decision_brings_what_it_depends_on(bif):
    result = bif.evaluate(CASE, decisions=["obligation_nok"])
    assert result.decisions["obligation_nok"].value == Decimal(150_000_000)


def test_unknown_decision_is_an_error_with_a_suggestion(bif):
    with pytest.raises(IcpolicyError) as err:
        bif.evaluate(CASE, decisions=["ica_requried"])
    assert "did you mean 'ica_required'" in err.value.diagnostics[0].help


def test_numbers_may_be_int_str_decimal_or_float(bif):
    for value in (150_000_000, "150000000", Decimal("150000000"), 150000000.0):
        doc = {**CASE, "procurement": {"value_nok": value}}
        assert bif.evaluate(doc).decisions["obligation_nok"].value == Decimal(150_000_000)


def test_prepared_case_evaluates_the_same_many_times(bif):
    prepared = bif.prepare(CASE)
    first = bif.evaluate(prepared).to_dict()
    second = bif.evaluate(prepared).to_dict()
    assert first == second == bif.evaluate(CASE).to_dict()


def test_bad_case_lists_every_problem(bif):
    doc = {"id": "X", "date": "2026-13-01", "procurement": {"value_nok": "lots", "chanel": "FMS"}, "supplier": {}}
    with pytest.raises(IcpolicyError) as err:
        bif.evaluate(doc)
    fields = {d.field for d in err.value.diagnostics}
    assert fields == {"date", "procurement.value_nok", "procurement.chanel", "supplier.country"}
    chanel = next(d for d in err.value.diagnostics if d.field == "procurement.chanel")
    assert "did you mean 'channel'" in chanel.message


@pytest.mark.parametrize("ratio", [0, "0 %", -0.5, 1.0001, "101 %", "abc"])
def test_obligation_ratio_out_of_range_is_bad_input(bif, ratio):
    with pytest.raises(IcpolicyError) as err:
        bif.evaluate({**CASE, "agreement": {"obligation_ratio": ratio}})
    assert err.value.diagnostics[0].field == "agreement.obligation_ratio"


def test_duplicate_project_ids_are_bad_input(bif):
    with pytest.raises(IcpolicyError, match="duplicate project id"):
        bif.evaluate({**CASE, "projects": CASE["projects"] * 2})


def test_one_policy_is_safe_to_share_between_threads(bif):
    cases = [
        {**CASE, "id": f"T{i}", "procurement": {"value_nok": 99_999_000 + i * 1000}} for i in range(40)
    ]
    expected = {c["id"]: bif.evaluate(c).to_dict() for c in cases}
    errors = []

    def work():
        for _ in range(20):
            for c in cases:
                if bif.evaluate(c).to_dict() != expected[c["id"]]:
                    errors.append(c["id"])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def _policy_with(tmp_path, old, new):
    text = (ROOT / "policies" / "bif" / "policy.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_division_by_zero_names_case_decision_rule_and_place(tmp_path):
    path = _policy_with(tmp_path, "value: obligation_base_nok * obligation_ratio", "value: obligation_base_nok / (obligation_ratio - obligation_ratio)")
    policy = icpolicy.load_policy(path)
    with pytest.raises(icpolicy.EvaluationError) as err:
        policy.evaluate(CASE)
    d = err.value.diagnostics[0]
    assert "case 'API-1'" in d.message and "decision 'obligation_nok'" in d.message
    assert "rule R-OBLIGATION" in d.message and "division by zero" in d.message
    assert d.span.file == str(path)
    line = path.read_text().splitlines()[d.span.line - 1]
    assert line[d.span.col - 1 :].startswith("obligation_base_nok /")


def test_a_conflict_at_run_time_is_reported_never_picked(tmp_path):
    # Without its override, E-FOA (false) and a trigger (true) conflict.
    path = _policy_with(tmp_path, "        overrides: all\n", "")
    with pytest.raises(IcpolicyError) as err:
        icpolicy.load_policy(path)
    assert any(d.code == "E-CONFLICT" for d in err.value.diagnostics)


def test_changing_the_threshold_changes_decisions_without_code(tmp_path):
    doc = {**CASE, "procurement": {"value_nok": 75_000_000}}
    assert icpolicy.load_policy().evaluate(doc).decisions["ica_required"].value is False
    path = _policy_with(tmp_path, "value: 100 MNOK", "value: 50 MNOK")
    assert icpolicy.load_policy(path).evaluate(doc).decisions["ica_required"].value is True


MINIMAL = """\
id: mini
version: "1"
title: Minimal
sources:
  s: {title: Source}
decisions:
  amount:
    type: money
    default: 0 NOK
    rules:
      - id: R-A
        when: procurement.value_nok > 10 NOK
        value: procurement.value_nok
        source: {ref: s, quote: a}
        explanation: a
      - id: R-B
        when: procurement.value_nok > 20 NOK
        value: 5 NOK
        source: {ref: s, quote: b}
        explanation: b
"""


def test_runtime_conflict_between_rules_is_an_error(tmp_path):
    path = tmp_path / "mini.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    policy = icpolicy.load_policy(path)
    assert policy.evaluate({**CASE, "procurement": {"value_nok": 15}}).decisions["amount"].rules == ("R-A",)
    # Both fire and agree: both are reported.
    both = policy.evaluate({**CASE, "procurement": {"value_nok": 5}})
    assert both.decisions["amount"].value == 0
    with pytest.raises(icpolicy.EvaluationError, match="conflicting rules: R-A gives .*R-B gives"):
        policy.evaluate({**CASE, "procurement": {"value_nok": 25}})


@pytest.mark.parametrize("prepared", [False, True])
def test_only_case_level_decisions_asked_give_no_project_entries(bif, prepared):
    # The same shape from a document and from a prepared case (whose projects were read):
    # `projects` lists project decisions, and none was asked for (issue 8).
    case = bif.prepare(CASE) if prepared else CASE
    out = bif.evaluate(case, decisions=["ica_required"]).to_dict()
    assert out["projects"] == []
    assert bif.evaluate(case, decisions=["ica_required"]).projects == []
