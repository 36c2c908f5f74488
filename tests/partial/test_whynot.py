"""What would change the outcome: every reported edge, taken, changes the value in a
full evaluation; and with nothing unknown, the three-valued evaluation agrees with
the engine on every decision."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies_cases import case_documents as bif_cases

from icpolicy.diagnostics import IcpolicyError
from icpolicy.partial import evaluate_partial
from icpolicy.partial.questions import parse_fact, set_fact
from icpolicy.testing.strategies import case_documents

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _values(result) -> dict:
    out = {("case", n): d.value for n, d in result.decisions.items()}
    for p in result.projects:
        out.update({(p.id, n): d.value for n, d in p.decisions.items()})
    return out


def check_edges(bif, case) -> None:
    try:
        full = bif.evaluate(case)
    except IcpolicyError:
        return
    result = evaluate_partial(bif, case, complete=True)
    expected = _values(full)
    got = _values(result)
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == value and type(got[key]) is type(value), (key, got[key], value)
    for edge in result.edges:
        if edge.subject not in ("total_credit_nok", "obligation_nok"):
            moved = set_fact(case, parse_fact(edge.subject), _plain(edge.moved))
            after = _values(bif.evaluate(moved))
            key = (edge.project or "case", edge.decision)
            assert after[key] != expected[key], (edge, case)
            assert after[key] == edge.other
        assert edge.distance > 0 or edge.kind == "date"


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@SETTINGS
@given(bif_cases())
def test_every_edge_taken_changes_the_value(bif, case):
    check_edges(bif, case)


@SETTINGS
@given(st.data())
def test_every_edge_taken_changes_the_value_under_the_earlier_regime(bif, data):
    check_edges(bif, data.draw(case_documents(bif, version="2001.1", max_projects=2)))


def test_the_issue_examples_of_edges(bif):
    case = {"id": "W-1", "date": "2026-03-01",
            "procurement": {"value_nok": 95_000_000, "regulation": "RAF", "channel": "direct"},
            "supplier": {"country": "US"},
            "projects": [{"id": "P5", "value_nok": 20_000_000, "norwegian_share": "15 %", "partner_in_norway": True,
                          "initiated_by_supplier": True, "supports_armed_forces_needs": True,
                          "in_priority_technology_area": True}]}
    edges = {(e.decision, e.subject): e for e in evaluate_partial(bif, case, complete=True).edges}
    ica = edges[("ica_required", "procurement.value_nok")]
    assert ica.distance == Decimal("5000000.01")
    assert ica.text["en"] == (
        "an ICA would be required if the contract sum exceeded 100 000 000 NOK; "
        "it is 95 000 000 NOK (5 000 000.01 NOK short)"
    )
    share = edges[("credited_share", "projects[0].norwegian_share")]
    assert share.moved == Decimal("0.2")
    assert share.text["en"].endswith("it is 15 % (5 % short); it would then be credited 4 000 000 NOK")
    big = {**case, "procurement": {**case["procurement"], "value_nok": 150_000_000}}
    edges = {(e.decision, e.subject): e for e in evaluate_partial(bif, big, complete=True).edges}
    fulfilled = edges[("obligation_fulfilled", "total_credit_nok")]
    assert fulfilled.distance == Decimal(150_000_000)
    assert fulfilled.text["en"].startswith("the obligation would be fulfilled with 150 000 000 NOK more approved credit")
