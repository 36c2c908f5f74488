"""Static conflicts only where rules can fire together (issue 10, item 4).

Two rules with different constant values and no override between them are an
E-CONFLICT only when their conditions are not proved exclusive and a case is found
on which both fire; that case is shown, and it is real: evaluated, both rules fire.
Where no proof and no case is found, E-MAY-CONFLICT says so instead."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icpolicy
from icpolicy import IcpolicyError
from icpolicy.lang import types as T
from icpolicy.lang.checker import CheckEnv, NameInfo, check_expr
from icpolicy.lang.conditions import choices, disjuncts, exclusive, possible
from icpolicy.lang.parser import parse_expr
from icpolicy.yamlsource import parse_yaml

ROOT = Path(__file__).resolve().parents[2]
MARK = "both fire on this case:\n"

# The exception of the author's guide's example (c), written for the foreign suppliers
# R-ACCUMULATED is about: it overrides that rule, and no trigger needs to override it.
SMALL_CALL_OFF_PARAMETER = """\
  small_call_off:
    value: 1 MNOK
    unit: NOK
    description: {nb: Hypotetisk - avrop under dette telles ikke., en: Hypothetical - call-offs below this are not counted.}
    source:
      ref: veileder
      quote: f.eks. for rammeavtaler
"""
CONDITION = "when: in_foreign_reach and procurement.value_nok < small_call_off"
SMALL_CALL_OFF_RULE = f"""\
      - id: E-SMALL-CALL-OFF
        {CONDITION}
        value: false
        overrides: [R-ACCUMULATED]
        source:
          ref: veileder
          section: Hvordan opprettes industrisamarbeidsavtaler?
          quote: dersom det er sannsynlig av den akkumulerte anskaffelsesverdien fra en utenlandsk leverandør overskrider 100 MNOK i en 5-års periode
        explanation:
          nb: Avropet er på {{procurement.value_nok}}, under {{small_call_off}}.
          en: The call-off is worth {{procurement.value_nok}}, below {{small_call_off}}.
"""


def _small_call_off(target: Path, condition: str = CONDITION, value: str = "false") -> Path:
    """The bundled policy with the exception added before E-FOA."""
    shutil.copytree(ROOT / "policies" / "bif", target, ignore=shutil.ignore_patterns("tests", "boundary-bases"))
    text = (target / "policy.yaml").read_text(encoding="utf-8")
    rule = SMALL_CALL_OFF_RULE.replace(CONDITION, condition).replace("value: false", f"value: {value}")
    text = text.replace("      - id: E-FOA\n", rule + "      - id: E-FOA\n", 1)
    text = text.replace("parameters:\n", "parameters:\n" + SMALL_CALL_OFF_PARAMETER, 1)
    (target / "policy.yaml").write_text(text, encoding="utf-8")
    return target


def _mini(tmp_path, rules: str, definitions: str = "") -> Path:
    text = f"""\
id: mini
version: "1"
title: Minimal
effective_from: "2025-01-01"
sources:
  s: {{title: Source}}
{definitions}
decisions:
  d:
    type: bool
    default: false
    rules:
{rules}"""
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _rule(rule_id: str, when: str, value: str = "true", overrides: str = "") -> str:
    extra = f"\n        overrides: {overrides}" if overrides else ""
    return f"""\
      - id: {rule_id}
        when: '{when}'
        value: {value}{extra}
        source: {{ref: s, quote: q}}
        explanation: e
"""


def _problems(path) -> list:
    try:
        icpolicy.load_policy(path)
    except IcpolicyError as exc:
        return exc.diagnostics
    return []


def _witness(diagnostic) -> dict:
    """The case a conflict shows, read back as a case document is read."""
    assert diagnostic.code == "E-CONFLICT" and MARK in diagnostic.help, diagnostic
    text = "\n".join(line[6:] for line in diagnostic.help.split(MARK, 1)[1].splitlines())
    return parse_yaml(text, "witness.yaml").data


def _fired(path, witness: dict, decision: str = "d") -> tuple:
    """The rules that fire on the witness once the two rules agree (so it loads)."""
    policy = icpolicy.load_policy(path)
    return policy.evaluate(witness).decisions[decision].rules


# -- the example of the issue: an exception below 1 MNOK ----------------------------------------


def test_the_small_call_off_exception_loads_with_no_conflict_and_no_override_of_the_triggers(tmp_path):
    policy = icpolicy.load_policy(_small_call_off(tmp_path / "bif"))
    case = {
        "id": "CALL-OFF", "date": "2026-02-09",
        "procurement": {"value_nok": 750_000, "expected_accumulated_value_nok": 240_000_000},
        "supplier": {"country": "DE"},
    }
    decided = policy.evaluate(case).decisions["ica_required"]
    assert (decided.value, decided.rules) == (False, ("E-SMALL-CALL-OFF",))
    big = {**case, "procurement": {"value_nok": 150_000_000}}
    assert policy.evaluate(big).decisions["ica_required"].rules == ("R-FOREIGN-THRESHOLD",)


def test_the_exception_for_any_supplier_truly_meets_the_norwegian_supplier_rule(tmp_path):
    # Without `in_foreign_reach` it also applies to a Norwegian supplier, and nothing in
    # the case format ties the value produced abroad to the contract's value.
    (only,) = _problems(_small_call_off(tmp_path / "bif", "when: procurement.value_nok < small_call_off"))
    assert only.code == "E-CONFLICT"
    assert "R-NORWEGIAN-SUPPLIER-FOREIGN-PARTS and E-SMALL-CALL-OFF" in only.message
    witness = _witness(only)
    assert witness["supplier"]["country"] == "NO"
    assert witness["procurement"]["value_nok"] < 1_000_000 < 100_000_000 < witness["supplier"]["foreign_produced_value_nok"]
    # The witness is a real case: with the exception giving true as well, both fire on it.
    agreeing = _small_call_off(tmp_path / "agree", "when: procurement.value_nok < small_call_off", "true")
    assert {"R-NORWEGIAN-SUPPLIER-FOREIGN-PARTS", "E-SMALL-CALL-OFF"} <= set(_fired(agreeing, witness, "ica_required"))


# -- conflicts, witnesses, and what cannot be decided -----------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("procurement.value_nok > 10 NOK", "procurement.value_nok < 20 NOK"),
        ('supplier.country != "NO" and procurement.value_nok >= 5 NOK', 'procurement.channel == "FMS"'),
        ("foreign or procurement.only_for_norway", 'not foreign and procurement.channel in ["NSPA", "FMS"]'),
        ("date >= 2025-06-01", "date <= 2025-06-01 and procurement.only_for_norway"),
        # Arithmetic is not read, but the case found is evaluated: 11 NOK doubled is over 20 NOK.
        ("procurement.value_nok > 10 NOK", "procurement.value_nok > 10 NOK and procurement.value_nok * 2 > 20 NOK"),
    ],
)
def test_rules_that_can_fire_together_conflict_with_a_case_on_which_both_fire(tmp_path, first, second):
    definitions = 'definitions:\n  foreign:\n    value: supplier.country != "NO"\n'
    (only,) = _problems(_mini(tmp_path, _rule("R-A", first) + _rule("R-B", second, "false"), definitions))
    assert "R-A and R-B of 'd' give different values (true, false), both fire" in only.message
    witness = _witness(only)
    agreeing = _mini(tmp_path, _rule("R-A", first) + _rule("R-B", second, "true"), definitions)
    assert _fired(agreeing, witness) == ("R-A", "R-B")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("procurement.value_nok > 10 NOK", "procurement.value_nok <= 10 NOK"),
        ("foreign and procurement.value_nok > 10 NOK", "not foreign"),
        ('procurement.channel == "direct"', 'procurement.channel in ["NSPA", "FMS"] or procurement.channel == "FMS" and procurement.only_for_norway'),
        ("not (procurement.only_for_norway and foreign)", "procurement.only_for_norway and foreign"),
        ("date > 2025-01-01", "date < 2025-01-02"),
    ],
)
def test_rules_proved_exclusive_load_without_overrides(tmp_path, first, second):
    definitions = 'definitions:\n  foreign:\n    value: supplier.country != "NO"\n'
    assert _problems(_mini(tmp_path, _rule("R-A", first) + _rule("R-B", second, "false"), definitions)) == []


def test_rules_neither_proved_exclusive_nor_met_may_fire_together(tmp_path):
    # A sum the reading leaves out, and no case found on which both hold: not claimed.
    rules = _rule("R-A", "procurement.value_nok * 2 > 10 NOK") + _rule("R-B", "procurement.value_nok * 2 <= 10 NOK", "false")
    (only,) = _problems(_mini(tmp_path, rules))
    assert only.code == "E-MAY-CONFLICT"
    assert "may fire together" in only.message and "not proved exclusive" in only.message
    assert "overrides: [R-A]" in only.help


def test_a_rule_that_reads_another_decision_gets_no_witness(tmp_path):
    text = _mini(tmp_path, _rule("R-A", "procurement.value_nok > 10 NOK") + _rule("R-B", "e", "false")).read_text()
    text += "  e:\n    type: bool\n    value: procurement.only_for_norway\n"
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    (only,) = _problems(path)
    assert only.code == "E-MAY-CONFLICT"


# -- the proof agrees with brute force; every witness satisfies both ------------------------------

_FIELDS = T.Record("p", (("v", T.MONEY), ("d", T.DATE)))
_ENV = CheckEnv({"p": NameInfo(_FIELDS, "case")})
_OPS = st.sampled_from([">", ">=", "<", "<="])
_BASE_DAY = dt.date(2025, 1, 1)


def _read(text: str):
    node = parse_expr(text)
    checked = check_expr(node, _ENV)
    assert not checked.problems, text
    return disjuncts(node, checked, lambda name, checked: None)


def _holds(op: str, value, bound) -> bool:
    return {">": value > bound, ">=": value >= bound, "<": value < bound, "<=": value <= bound}[op]


def _agrees(tests: list, show, values: list) -> None:
    """Exclusive exactly when no value satisfies both; each witness value satisfies both."""
    (op1, b1), (op2, b2) = tests
    first, second = _read(f"p.{show(op1, b1)}"), _read(f"p.{show(op2, b2)}")
    both = [v for v in values if _holds(op1, v, b1) and _holds(op2, v, b2)]
    assert exclusive(first, second) is (not both), (tests, both[:3])
    for a in first:
        for b in second:
            if not possible(a + b):
                continue
            for options in choices(a + b).values():
                assert options and all(_holds(op1, v, b1) and _holds(op2, v, b2) for v in options if v is not None)


@settings(max_examples=300, deadline=None)
@given(tests=st.lists(st.tuples(_OPS, st.decimals(min_value=-1000, max_value=1000, places=2)), min_size=2, max_size=2))
def test_decimal_threshold_pairs_agree_with_brute_force(tests):
    # Distinct bounds with two places are 0.01 apart at least: a thousandth either side
    # of each lies in every gap and beyond every end.
    bounds = sorted({b for _, b in tests})
    values = [*bounds, *(b + Decimal("0.001") for b in bounds), *(b - Decimal("0.001") for b in bounds)]
    _agrees(tests, lambda op, b: f"v {op} {b} NOK", values)


@settings(max_examples=300, deadline=None)
@given(tests=st.lists(st.tuples(_OPS, st.integers(min_value=0, max_value=40)), min_size=2, max_size=2))
def test_date_threshold_pairs_agree_with_brute_force(tests):
    days = [(op, _BASE_DAY + dt.timedelta(days=n)) for op, n in tests]
    every_day = [_BASE_DAY + dt.timedelta(days=n) for n in range(-3, 45)]  # every day in reach
    _agrees(days, lambda op, day: f"d {op} {day.isoformat()}", every_day)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    tests=st.lists(st.tuples(_OPS, st.decimals(min_value=0, max_value=10**9, places=2)), min_size=2, max_size=2),
)
def test_every_conflict_witness_makes_both_rules_fire(tmp_path, tests):
    (op1, b1), (op2, b2) = tests
    first, second = f"procurement.value_nok {op1} {b1} NOK", f"procurement.value_nok {op2} {b2} NOK"
    found = _problems(_mini(tmp_path, _rule("R-A", first) + _rule("R-B", second, "false")))
    if not found:  # proved exclusive: no value of the field, negative ones included, meets both
        values = [b + d for b in (b1, b2) for d in (Decimal("-0.001"), 0, Decimal("0.001"))]
        assert not any(_holds(op1, v, b1) and _holds(op2, v, b2) for v in values)
        return
    (only,) = found
    if only.code == "E-MAY-CONFLICT":  # they meet only below 0 NOK, which no case has
        assert op1 in ("<", "<=") and op2 in ("<", "<=") and min(b1, b2) <= 0
        return
    agreeing = _mini(tmp_path, _rule("R-A", first) + _rule("R-B", second, "true"))
    assert _fired(agreeing, _witness(only)) == ("R-A", "R-B")


_PROJECT_POLICY = """\
id: mini
version: "1"
title: Minimal
effective_from: "2025-01-01"
sources:
  s: {title: Source}
definitions:
  big_share:
    for_each: projects
    value: project.norwegian_share > 0.5
decisions:
  d:
    type: bool
    for_each: projects
    default: false
    rules:
      - id: R-A
        when: big_share and project.kind == "market_access"
        value: true
        source: {ref: s, quote: q}
        explanation: e
      - id: R-B
        when: project.partner_in_norway and date > 2025-03-01
        value: VALUE
        source: {ref: s, quote: q}
        explanation: e
"""


def test_a_witness_for_a_decision_per_project_has_a_project_that_fits_the_case_format(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(_PROJECT_POLICY.replace("VALUE", "false"), encoding="utf-8")
    (only,) = _problems(path)
    witness = _witness(only)
    (project,) = witness["projects"]
    assert project["kind"] == "market_access" and Decimal("0.5") < project["norwegian_share"] <= 1
    path.write_text(_PROJECT_POLICY.replace("VALUE", "true"), encoding="utf-8")
    result = icpolicy.load_policy(path).evaluate(witness)
    assert result.projects[0].decisions["d"].rules == ("R-A", "R-B")
