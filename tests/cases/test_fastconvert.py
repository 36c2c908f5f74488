"""The msgspec fast path (cases/fastconvert.py) against the reference converter.

The reference is `cases/normalize.py`. The fast path may decline any case (then the
reference runs); when it answers, its answer must be the reference's exactly (the
same Decimals, to the exponent). Deciding a plain dict goes through the fast path;
deciding the same case wrapped in a dict subclass goes through the reference only
(the fast path takes plain dicts alone), so the two can be compared end to end:
the same values, rules and normalized fields, or the same errors.
"""

from __future__ import annotations

import datetime as dt
import enum
import sys
from decimal import Decimal
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icpolicy.cases.fastconvert import fast_converter, float_to_decimal
from icpolicy.cases.scalars import Invalid, convert_date
from icpolicy.diagnostics import IcpolicyError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from strategies_cases import case_documents  # noqa: E402

ICA = ["ica_required"]
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class ReferenceOnly(dict):
    """A case the fast path declines (not a plain dict): decided by the reference."""


class Channel(str, enum.Enum):
    DIRECT = "direct"


class Amount(enum.IntEnum):
    HUNDRED_MILLION = 100_000_000


class Text(str):
    pass


def exact(value):
    """A value with every leaf's type and exact digits, for comparing conversions."""
    if isinstance(value, dict):
        return {k: exact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [exact(v) for v in value]
    return (type(value).__name__, repr(value))


def outcome(policy, case, decisions):
    """What deciding a case gives: its JSON and normalized fields, or its errors."""
    try:
        result = policy.evaluate(case, decisions=decisions)
    except IcpolicyError as exc:
        return ("error", [(d.code, d.message, d.field, d.help) for d in exc.diagnostics])
    fields = ("id", "date", "procurement", "supplier", "agreement", "projects")
    return ("decided", result.to_dict(explain=False), {f: exact(result.case_field(f)) for f in fields})


def same_as_reference(policy, case, decisions) -> None:
    assert outcome(policy, case, decisions) == outcome(policy, ReferenceOnly(case), decisions)


# -- hostile documents: a valid case with one part broken or changed ------------------

HOSTILE = st.one_of(
    st.sampled_from(
        [
            None, True, False, -1, 0, 1, 10**15, 10**15 + 1, 10**40, 2**63, 2**64 + 3,
            -0.0, 0.5, 1.0, 0.1, 1e15, 1e16, 1000000000000000.1, 5e-324, float("nan"), float("inf"),
            "", "NO", "UK", "no", "US", "XX", "NO\n", "150000000", "150 000 000 NOK", "1,5 MNOK", "85 %", "85,5 %", "0,85", "0.85",
            "1e5", " 1", "1_0", "2026-02-29", "2026-13-01", "2026-1-1", "2026-03-01", "2015-06-30",
            "2026-03-01T00:00", "20260301", dt.date(2026, 3, 1), dt.date(2010, 5, 5),
            dt.datetime(2026, 3, 1), Decimal("NaN"), Decimal("1E+400"), Decimal("-1E-400"),
            Decimal("0.85"), Decimal("100000000.000"), Text("NO"), Text("x"), Channel.DIRECT,
            Amount.HUNDRED_MILLION, [], {}, (), ["x"], {"x": 1}, "RAF", "FOA", "direct", "NSPA",
            [{"date": "2025-01-01", "value_nok": 5}], [{"date": "2025-01-01"}], ({"country": "SE", "value_nok": 1},),
        ]
    ),
    st.floats(),
    st.integers(),
    st.text(max_size=4),
    st.decimals(allow_nan=False, places=3, min_value=-2, max_value=10**16),
)


def _paths(value, path=()):
    """Every place in a document: (path to the container, key or index)."""
    if isinstance(value, dict):
        for key, sub in value.items():
            yield path, key
            yield from _paths(sub, path + (key,))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield path, i
            yield from _paths(sub, path + (i,))


def _at(doc, path):
    for step in path:
        doc = doc[step]
    return doc


def _copy(value):
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _numbers_as(value, form: str):
    """Every Decimal in a document as an int, a float or a string (the forms users send)."""
    if isinstance(value, dict):
        return {k: _numbers_as(v, form) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers_as(v, form) for v in value]
    if type(value) is Decimal:
        if form == "int" and value == value.to_integral_value():
            return int(value)
        if form == "float":
            return float(value)
        if form == "str":
            return str(value)
    return value


@st.composite
def hostile_cases(draw) -> dict:
    case = _numbers_as(draw(case_documents()), draw(st.sampled_from(["keep", "int", "float", "str"])))
    case = _copy(case)
    for _ in range(draw(st.integers(0, 2))):
        places = list(_paths(case))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        path, key = draw(st.sampled_from(places))
        container = _at(case, path)
        if action == "replace":
            container[key] = draw(HOSTILE)
        elif action == "delete" and isinstance(container, dict):
            del container[key]
        elif action == "add":
            target = container[key] if isinstance(container[key], dict) else container
            if isinstance(target, dict):
                target[draw(st.sampled_from(["extra", "Value_nok", "country ", 7]))] = draw(HOSTILE)
    return case


@PROPERTY
@given(hostile_cases())
def test_ica_required_alone_decides_and_fails_as_the_reference(bif, case):
    same_as_reference(bif, case, ICA)


@PROPERTY
@given(hostile_cases())
def test_the_whole_case_decides_and_fails_as_the_reference(bif, case):
    same_as_reference(bif, case, None)


@PROPERTY
@given(hostile_cases())
def test_a_fast_conversion_is_the_reference_conversion_or_none(bif, case):
    policy = bif.current
    for only in (policy.plan(ICA).fields, None):
        fast = fast_converter(policy.case_schema.document, only)
        assert fast is not None
        got = fast(case)
        reference, problems = policy.case_schema.normalizer(case, only)
        if got is None:
            continue
        assert not problems, problems
        if only is not None:
            reference["projects"] = []
        assert exact(got) == exact(reference)


# -- the fast path is taken, and its leaves are exact --------------------------------

PLAIN_CASES = [
    {
        "id": "F-1",
        "date": "2026-03-01",
        "procurement": {"value_nok": 150_000_000, "channel": "NSPA",
                        "related_contracts": [{"date": "2024-01-01", "value_nok": 0.1}]},
        "supplier": {"country": "US", "sub_suppliers": [{"country": "SE", "value_nok": "12.50"}]},
        "agreement": {"obligation_ratio": "60 %"},
        "projects": [{"id": "P1", "value_nok": 1e6, "norwegian_share": 0.85, "partner_in_norway": True,
                      "initiated_by_supplier": True, "supports_armed_forces_needs": True,
                      "in_priority_technology_area": False, "factor": 2}],
    },
    {"id": "F-2", "date": "2015-06-30", "procurement": {"value_nok": 60_000_000}, "supplier": {"country": "NO"}},
    {"id": "F-3", "date": "2026-05-05", "procurement": {"value_nok": "150 000 000 NOK", "expected_accumulated_value_nok": "1,5 MNOK"},
     "supplier": {"country": "DE"}, "agreement": {"obligation_ratio": "85,5 %"}},
]


@pytest.mark.parametrize("case", PLAIN_CASES, ids=lambda c: c["id"])
@pytest.mark.parametrize("decisions", [ICA, None])
def test_plain_documents_take_the_fast_path_and_convert_exactly(bif, case, decisions):
    policy = bif.select(case)
    only = policy.plan(decisions).fields
    got = fast_converter(policy.case_schema.document, only)(case)
    assert got is not None
    reference, problems = policy.case_schema.normalizer(case, only)
    assert not problems
    reference.setdefault("projects", [])
    assert exact(got) == exact(reference)
    same_as_reference(bif, case, decisions)


def test_a_float_amount_is_its_shortest_repr_and_a_string_is_read_by_the_reference(bif):
    got = fast_converter(bif.case_schema.document, None)(PLAIN_CASES[0])
    assert got is not None
    assert repr(got["procurement"]["related_contracts"][0]["value_nok"]) == "Decimal('0.1')"
    assert repr(got["supplier"]["sub_suppliers"][0]["value_nok"]) == "Decimal('12.50')"
    assert got["agreement"]["obligation_ratio"] == Decimal("0.60")
    assert repr(got["projects"][0]["value_nok"]) == "Decimal('1000000.0')"


@pytest.mark.parametrize(
    "change",
    [
        {"channel": Channel.DIRECT},  # an enum member: msgspec takes it, the reference does not
        {"value_nok": Amount.HUNDRED_MILLION},
        {"value_nok": Decimal("150000000")},  # msgspec would check it as a float
        {"regulation": Text("RAF")},
        {"related_contracts": ({"date": "2024-01-01", "value_nok": 1},)},
    ],
    ids=["str-enum", "int-enum", "decimal", "str-subclass", "tuple"],
)
def test_values_msgspec_would_read_differently_go_to_the_reference(bif, change):
    case = {**PLAIN_CASES[1], "date": "2026-03-01"}
    case["procurement"] = {**case["procurement"], **change}
    only = bif.current.plan(ICA).fields
    assert fast_converter(bif.case_schema.document, only)(case) is None
    same_as_reference(bif, case, ICA)


@settings(max_examples=2000, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_float_to_decimal_is_the_decimal_of_the_shortest_repr(value):
    assert repr(float_to_decimal(value)) == repr(Decimal(repr(value)))


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.dates().map(dt.date.isoformat), st.text(alphabet="0123456789-T:+Z ", max_size=12), st.text(max_size=12)))
def test_msgspec_reads_a_date_exactly_when_the_reference_does(text):
    try:
        expected = convert_date(text)
    except Invalid:
        expected = None
    try:
        got = msgspec.convert(text, dt.date)
    except msgspec.ValidationError:
        got = None
    assert got == expected
