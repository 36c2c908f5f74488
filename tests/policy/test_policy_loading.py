"""Loading policies: the bundled one, edited copies, YAML 1.2 strings, collected errors.

The decisions expected here follow the domain specification (docs: domain.md):
R-FOREIGN-THRESHOLD fires when a foreign direct procurement *exceeds* the
threshold parameter, so moving the parameter must move the decision, with no
code change.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import reference_impl

import icpolicy
from icpolicy.resources import default_policy_path
from icpolicy.yamlsource import parse_yaml

BUNDLED = Path(default_policy_path()) / "policy.yaml"

# The decisions domain.md names, as the independent reference implementation lists them.
CASE_DECISIONS = set(reference_impl.CASE_DECISIONS)
PROJECT_DECISIONS = set(reference_impl.PROJECT_DECISIONS)


def _case(value_nok, country="US", **procurement):
    return {
        "id": "CASE-T",
        "date": "2026-03-01",
        "procurement": {"value_nok": value_nok, **procurement},
        "supplier": {"country": country},
    }


@pytest.fixture(scope="module")
def bundled():
    return icpolicy.load_policy()


def test_bundled_policy_loads_with_the_decisions_of_the_spec(bundled):
    assert bundled.model.id == "bif"
    names = {d.name for d in bundled.model.decisions()}
    assert names >= CASE_DECISIONS | PROJECT_DECISIONS
    scopes = {d.name: d.scope for d in bundled.model.decisions()}
    assert all(scopes[n] == "case" for n in CASE_DECISIONS)
    assert all(scopes[n] == "project" for n in PROJECT_DECISIONS)


def test_bundled_policy_has_the_rule_ids_of_the_spec(bundled):
    rules = {r.id for d in bundled.model.decisions() for r in d.rules}
    expected = {
        "R-FOREIGN-THRESHOLD",
        "R-NSPA-FMS",
        "R-ACCUMULATED",
        "R-NORWEGIAN-SUPPLIER-FOREIGN-PARTS",
        "E-FOA",
        "R-OBLIGATION",
        "P-PARTNER",
        "P-CAUSALITY",
        "P-NEEDS",
        "P-CONTINUATION",
        "P-SHARE",
        "P-FACTOR",
    }
    assert expected <= rules


def test_bundled_policy_loads_from_its_directory_and_its_file():
    by_dir = icpolicy.load_policy(default_policy_path())
    by_file = icpolicy.load_policy(BUNDLED)
    assert by_dir.model.sha256 == by_file.model.sha256


def test_bundled_threshold_is_strict(bundled):
    at = bundled.evaluate(_case(100_000_000)).decisions["ica_required"]
    above = bundled.evaluate(_case(Decimal("100000000.01"))).decisions["ica_required"]
    assert at.value is False
    assert above.value is True and above.rules == ("R-FOREIGN-THRESHOLD",)


def _edited_policy(tmp_path, old: str, new: str) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur exactly once in the bundled policy"
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_changing_the_threshold_parameter_changes_the_decision(tmp_path, bundled):
    path = _edited_policy(tmp_path, "    value: 100 MNOK\n", "    value: 50 MNOK\n")
    edited = icpolicy.load_policy(path)
    case = _case(75_000_000)

    before = bundled.evaluate(case).decisions
    assert before["ica_required"].value is False
    assert before["obligation_nok"].value == 0

    after = edited.evaluate(case).decisions
    assert after["ica_required"].value is True
    assert after["ica_required"].rules == ("R-FOREIGN-THRESHOLD",)
    assert after["obligation_nok"].value == Decimal(75_000_000)
    # Still strict at the new threshold.
    assert edited.evaluate(_case(50_000_000)).decisions["ica_required"].value is False
    assert edited.model.sha256 != bundled.model.sha256


def test_threshold_also_moves_the_accumulation_rule(tmp_path):
    path = _edited_policy(tmp_path, "    value: 100 MNOK\n", "    value: 50 MNOK\n")
    edited = icpolicy.load_policy(path)
    case = _case(30_000_000, related_contracts=[{"date": "2025-01-01", "value_nok": 30_000_000}])
    result = edited.evaluate(case).decisions["ica_required"]
    assert result.value is True and result.rules == ("R-ACCUMULATED",)


MINI = """\
id: mini
version: "1"
title: Minimal policy
effective_from: 2025-01-01
sources:
  guide:
    title: The guide
    language: no
decisions:
  answer:
    type: string
    values: [yes, no, on, off]
    default: '"no"'
    rules:
      - id: R-YES
        when: procurement.only_for_norway and supplier.country == "NO"
        value: '"yes"'
        source: {ref: guide, quote: ja}
        explanation: Norway alone, supplier {supplier.country}.
"""


def test_yaml_1_1_booleans_are_strings_in_a_policy(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(MINI, encoding="utf-8")
    policy = icpolicy.load_policy(path)
    answer = policy.model.nodes["answer"]
    assert set(answer.values) == {"yes", "no", "on", "off"}
    assert policy.model.effective_from == "2025-01-01"
    assert policy.evaluate(_case(1, country="NO")).decisions["answer"].value == "yes"
    assert policy.evaluate(_case(1, country="SE")).decisions["answer"].value == "no"


def test_case_yaml_with_country_no_is_norway(bundled):
    doc = parse_yaml(
        "id: C-NO\n"
        "date: 2026-03-01\n"
        "procurement:\n"
        "  value_nok: 200_000_000\n"
        "supplier:\n"
        "  country: NO\n"
        "  foreign_produced_value_nok: 150000000\n",
        "case.yaml",
    )
    assert doc.data["supplier"]["country"] == "NO"
    decisions = bundled.evaluate(doc.data).decisions
    assert decisions["ica_required"].value is True
    assert decisions["ica_required"].rules == ("R-NORWEGIAN-SUPPLIER-FOREIGN-PARTS",)
    # The base is the part produced abroad.
    assert decisions["obligation_nok"].value == Decimal(150_000_000)


def test_every_problem_is_reported_at_once(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(
        "id: mini\n"
        'version: "1"\n'
        "title: Two problems\n"
        "decisions:\n"
        "  a:\n"
        "    type: bool\n"
        "    value: procurment.only_for_norway\n"
        "  b:\n"
        "    type: money\n"
        "    value: procurement.valu_nok\n",
        encoding="utf-8",
    )
    with pytest.raises(icpolicy.IcpolicyError) as info:
        icpolicy.load_policy(path)
    found = {(d.code, d.span.line, d.span.col) for d in info.value.diagnostics}
    assert ("E-NAME", 7, 12) in found
    assert ("E-FIELD", 10, 12) in found
    # Sorted by place, as a compiler lists them.
    places = [(d.span.line, d.span.col) for d in info.value.diagnostics]
    assert places == sorted(places)


def test_error_names_the_file(tmp_path):
    folder = tmp_path / "mypolicy"
    folder.mkdir()
    (folder / "policy.yaml").write_text(
        'id: mini\nversion: "1"\ntitle: T\ndecisions:\n  a:\n    type: bool\n    value: nope\n',
        encoding="utf-8",
    )
    with pytest.raises(icpolicy.IcpolicyError) as info:
        icpolicy.load_policy(folder)
    d = info.value.diagnostics[0]
    assert Path(d.span.file) == folder / "policy.yaml"
    assert str(d.span).endswith("policy.yaml:7:12")


def test_missing_policy_file(tmp_path):
    with pytest.raises(icpolicy.IcpolicyError) as info:
        icpolicy.load_policy(tmp_path / "nowhere.yaml")
    assert info.value.diagnostics[0].code == "E-IO"


LATER = """\
id: mini
version: "1"
title: Lambda variable named like a later definition
definitions:
  counted:
    value: count(procurement.related_contracts, later -> true)
  later:
    value: procurement.value_nok
decisions:
  n:
    type: number
    value: counted
  w_nok:
    type: money
    value: later
"""


def test_lambda_variable_cannot_replace_a_definition(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(LATER, encoding="utf-8")
    try:
        policy = icpolicy.load_policy(path)
    except icpolicy.IcpolicyError as exc:  # rejecting the policy is a fix too
        assert any(d.code == "E-NAME" for d in exc.diagnostics)
        return
    case = _case(5, related_contracts=[{"date": "2025-01-01", "value_nok": 7}])
    assert policy.evaluate(case).decisions["w_nok"].value == Decimal(5)


_LEVEL = """\
id: mini
version: "1"
title: A string decision with declared values
sources:
  guide:
    title: The guide
parameters:
  preset:
    value: '"hgh"'
    unit: string
    source: {ref: guide, quote: q}
decisions:
  level:
    type: string
    values: [low, high]
    value: VALUE
"""


def test_decision_value_among_its_values_is_accepted(tmp_path):
    path = tmp_path / "policy.yaml"
    text = _LEVEL.replace("VALUE", '\'if procurement.only_for_norway then "high" else "low"\'')
    path.write_text(text, encoding="utf-8")
    policy = icpolicy.load_policy(path)
    assert policy.evaluate(_case(1)).decisions["level"].value == "high"
    assert policy.evaluate(_case(1, only_for_norway=False)).decisions["level"].value == "low"


@pytest.mark.parametrize(
    "value",
    ["preset", "'coalesce(null, \"lwo\")'", "supplier.name"],
    ids=["constant-parameter", "literal-in-coalesce", "case-field"],
)
def test_decision_never_takes_a_value_outside_its_values(tmp_path, value):
    path = tmp_path / "policy.yaml"
    path.write_text(_LEVEL.replace("VALUE", value), encoding="utf-8")
    case = _case(1)
    case["supplier"]["name"] = "ACME"
    try:
        policy = icpolicy.load_policy(path)
        result = policy.evaluate(case).decisions["level"].value
    except icpolicy.IcpolicyError:
        return  # rejected at load or at evaluation: either is right
    assert result in ("low", "high"), f"'level' is {result!r}, not one of low | high"
