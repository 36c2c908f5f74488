"""Regression tests for defects found in review."""

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

import icpolicy
from icpolicy import IcpolicyError
from icpolicy.cli.main import cli

CASE = {
    "id": "R",
    "date": "2026-03-01",
    "procurement": {"value_nok": 150_000_000, "related_contracts": [{"date": "2025-01-01", "value_nok": 1000}]},
    "supplier": {"country": "US"},
    "projects": [
        {"id": f"P{i}", "value_nok": v, "norwegian_share": "0.5", "partner_in_norway": True, "initiated_by_supplier": True,
         "supports_armed_forces_needs": True, "in_priority_technology_area": True}
        for i, v in enumerate((5, 7))
    ],
}

SHADOW = """\
id: shadow
version: "1"
title: A definition computed inside a lambda with the same variable name
sources: {s: {title: S}}
definitions:
  n_related: {value: "count(filter(procurement.related_contracts, p -> p.value_nok > 0 NOK))"}
decisions:
  projects_total:
    type: money
    value: "sum(projects, p -> if n_related >= 0 then p.value_nok else 0 NOK)"
"""


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def test_a_lambda_variable_survives_a_definition_computed_inside_it(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(SHADOW)
    assert icpolicy.load_policy(path).evaluate(CASE).decisions["projects_total"].value == 12


def test_only_decisions_can_be_asked_for(bif):
    with pytest.raises(IcpolicyError, match="'foreign_supplier' is a definition, not a decision"):
        bif.evaluate(CASE, decisions=["foreign_supplier"])
    assert list(bif.evaluate(CASE, decisions=[]).decisions) == []
    assert list(bif.evaluate(CASE, decisions="ica_required").decisions) == ["ica_required"]
    path = json.dumps(CASE)
    assert run("eval", "-", "--decision", "credit_base_nok", input=path).exit_code == 2


def test_explaining_a_prepared_case_leaves_it_unchanged(bif):
    prepared = bif.prepare(CASE)
    before = repr(prepared.data)
    for _ in range(2):  # the first call plans, the next takes the prepared-case fast path
        result = bif.evaluate(prepared, decisions=["ica_required"])
        result.explanation("ica_required")
        # Explaining credit_nok decides what it shows (credited_share) first: in copies
        # of the projects, not in the prepared case's own.
        assert result.explanation("credit_nok", 0)
        assert "credited_share" not in prepared.data["projects"][0]
    bif.evaluate(prepared).to_dict()
    assert repr(prepared.data) == before


@pytest.mark.parametrize(
    "files",
    [[], "abc", [{"sha256": "x"}], [{"path": 5, "sha256": "x"}]],
)
def test_broken_records_are_reported_not_crashed_on(tmp_path, files):
    record = {"record_format": 1, "case": CASE, "result": {"decisions": {}}, "policy": {"id": "bif", "version": "2026.1", "files": files}}
    path = tmp_path / "r.json"
    path.write_text(json.dumps(record))
    result = run("replay", path)
    assert result.exit_code == 2 and "E-RECORD" in result.stderr


def test_unreadable_record_and_stdin(tmp_path):
    path = tmp_path / "r.json"
    path.write_bytes(b"\xff\xfe")
    assert run("replay", path).exit_code == 2
    result = CliRunner().invoke(cli, ["eval", "-"], input=b"\xff\xfe")
    assert result.exit_code == 1 and "not UTF-8" in result.stderr


def test_standard_input_is_read_once():
    result = run("eval", "--format", "jsonl", "-", "-", input=json.dumps(CASE))
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1


def test_record_target_that_cannot_be_written(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert run("eval", "--record", blocker, "-", input=json.dumps(CASE)).exit_code == 2


def test_round_to_too_many_digits_is_an_evaluation_error(tmp_path):
    policy = SHADOW.replace('"sum(projects, p -> if n_related >= 0 then p.value_nok else 0 NOK)"', '"round(procurement.value_nok / 3, 100)"')
    path = tmp_path / "p.yaml"
    path.write_text(policy)
    with pytest.raises(icpolicy.EvaluationError, match="cannot round"):
        icpolicy.load_policy(path).evaluate(CASE)


@pytest.mark.parametrize("factor", ["1e30", 101, "1000"])
def test_factor_is_bounded(bif, factor):
    case = json.loads(json.dumps(CASE))
    case["projects"][0]["factor"] = Decimal(factor) if isinstance(factor, str) and "e" in factor else factor
    with pytest.raises(IcpolicyError, match="factor"):
        bif.evaluate(case)
