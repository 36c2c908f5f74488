"""Hypothesis properties at every threshold, share and date boundary of the BIF policy."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

import icpolicy

POLICY = icpolicy.load_policy()
THRESHOLD = Decimal(100_000_000)
CENT = Decimal("0.01")

money = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)
share = st.decimals(min_value=0, max_value=1, places=6, allow_nan=False, allow_infinity=False)
# Dates under the current version (2026.1 is in force from 2021-01-01).
case_dates = st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2099, 12, 31))


def case(value, country="US", channel="direct", only_for_norway=True, regulation="RAF", **extra):
    procurement = {
        "value_nok": value,
        "regulation": regulation,
        "channel": channel,
        "only_for_norway": only_for_norway,
    }
    procurement.update(extra.pop("procurement", {}))
    return {
        "id": "B",
        "date": extra.pop("date", "2026-03-01"),
        "procurement": procurement,
        "supplier": {"country": country, **extra.pop("supplier", {})},
        **extra,
    }


def ica(doc):
    d = POLICY.evaluate(doc, decisions=["ica_required"]).decisions["ica_required"]
    return d.value, d.rules


@given(value=money)
def test_foreign_threshold_is_strictly_greater(value):
    required, rules = ica(case(value))
    assert required == (value > THRESHOLD)
    if value > THRESHOLD:
        assert rules == ("R-FOREIGN-THRESHOLD",)


@given(delta=st.sampled_from([-CENT, Decimal(0), CENT]))
def test_value_at_and_around_100_mnok(delta):
    required, _ = ica(case(THRESHOLD + delta))
    assert required is (delta > 0)


@given(value=money, channel=st.sampled_from(["NSPA", "FMS"]), only=st.booleans())
def test_nspa_fms_only_for_norway_alone(value, channel, only):
    required, rules = ica(case(value, channel=channel, only_for_norway=only))
    assert required == (only and value > THRESHOLD)
    if required:
        assert rules == ("R-NSPA-FMS",)


@given(value=money, regulation=st.sampled_from(["RAF", "FOSA", "FOA"]), country=st.sampled_from(["US", "NO"]))
def test_foa_is_never_required(value, regulation, country):
    doc = case(value, country=country, regulation=regulation, supplier={"foreign_produced_value_nok": value})
    required, rules = ica(doc)
    if regulation == "FOA":
        assert (required, rules) == (False, ("E-FOA",))


@given(foreign=money)
def test_norwegian_supplier_foreign_parts(foreign):
    required, rules = ica(case(Decimal(10**9), country="NO", supplier={"foreign_produced_value_nok": foreign}))
    assert required == (foreign > THRESHOLD)
    if required:
        assert rules == ("R-NORWEGIAN-SUPPLIER-FOREIGN-PARTS",)


def _years_back(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@given(day=case_dates, offset=st.sampled_from([-1, 0, 1]))
def test_five_year_window_edges(day, offset):
    # 60 MNOK now plus 50 MNOK in a related contract: inside the window the sum exceeds 100 MNOK.
    related = _years_back(day, 5) + dt.timedelta(days=offset)
    doc = case(
        Decimal(60_000_000),
        date=day.isoformat(),
        procurement={"related_contracts": [{"date": related.isoformat(), "value_nok": 50_000_000}]},
    )
    required, rules = ica(doc)
    inside = offset > 0  # exactly 5 years back is outside
    assert required == inside
    assert rules == (("R-ACCUMULATED",) if inside else ())


@given(day=case_dates, offset=st.sampled_from([0, 1]))
def test_contracts_after_the_case_date_are_outside(day, offset):
    related = day + dt.timedelta(days=offset)
    doc = case(
        Decimal(60_000_000),
        date=day.isoformat(),
        procurement={"related_contracts": [{"date": related.isoformat(), "value_nok": 50_000_000}]},
    )
    assert ica(doc)[0] == (offset == 0)


@given(expected=money)
def test_expected_accumulated_value(expected):
    doc = case(Decimal(1), procurement={"expected_accumulated_value_nok": expected})
    assert ica(doc)[0] == (expected > THRESHOLD)


def project(share_value, basis="production", **extra):
    return {
        "id": "P1",
        "value_nok": 1_000_000,
        "valuation_basis": basis,
        "norwegian_share": share_value,
        "partner_in_norway": True,
        "initiated_by_supplier": True,
        "supports_armed_forces_needs": True,
        "in_priority_technology_area": True,
        **extra,
    }


def credited(share_value, basis):
    doc = case(THRESHOLD * 2, projects=[project(share_value, basis)])
    p = POLICY.evaluate(doc).projects[0].decisions
    return p["credited_share"].value, p["credit_nok"].value


@given(s=share, basis=st.sampled_from(["production", "other"]))
def test_share_rule(s, basis):
    got, credit = credited(s, basis)
    if s < Decimal("0.2"):
        want = Decimal(0)
    elif basis == "production" and s > Decimal("0.8"):
        want = Decimal(1)
    else:
        want = s
    assert got == want
    assert credit == Decimal(1_000_000) * want


@given(
    point=st.sampled_from(["0.2", "0.8"]),
    delta=st.sampled_from(["-0.000001", "0", "0.000001"]),
    basis=st.sampled_from(["production", "other"]),
)
def test_share_at_and_around_20_and_80_percent(point, delta, basis):
    s = Decimal(point) + Decimal(delta)
    got, _ = credited(s, basis)
    if point == "0.2":
        assert got == (Decimal(0) if s < Decimal("0.2") else s)
    else:
        assert got == (Decimal(1) if basis == "production" and s > Decimal("0.8") else s)


@given(s=st.sampled_from(["20 %", "80 %", "80.0001 %", "19.9999 %"]))
def test_percent_strings_are_exact(s):
    got, _ = credited(s, "production")
    number = Decimal(s.rstrip(" %")) / 100
    assert got == (Decimal(0) if number < Decimal("0.2") else Decimal(1) if number > Decimal("0.8") else number)


@settings(max_examples=200)
@given(value=money, ratio=st.decimals(min_value="0.000001", max_value=1, places=6), factor=st.decimals(min_value=0, max_value=5, places=3))
def test_amounts_are_exact_decimals(value, ratio, factor):
    doc = case(THRESHOLD + value + CENT, agreement={"obligation_ratio": ratio}, projects=[project("0.5", "other", factor=factor)])
    result = POLICY.evaluate(doc)
    assert result.decisions["obligation_nok"].value == (THRESHOLD + value + CENT) * ratio
    credit = result.projects[0].decisions["credit_nok"].value
    assert credit == Decimal(1_000_000) * Decimal("0.5") * factor
    assert result.decisions["remaining_obligation_nok"].value == max(
        Decimal(0), result.decisions["obligation_nok"].value - credit
    )


def test_a_float_is_read_from_its_shortest_decimal_form():
    got, _ = credited(0.8000001, "production")
    assert got == Decimal(1)
    got, _ = credited(0.3, "other")
    assert got == Decimal("0.3")  # not 0.299999999999999988897769753748...
