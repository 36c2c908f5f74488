"""A failure in one decision leaves the others decided (issue 8): a conflict between
rules inside one project names the project, and what does not depend on it is decided."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import icpolicy
from icpolicy.cli.main import cli

POLICY = """\
id: mini
version: "1"
title: Minimal
sources:
  s: {title: Source}
decisions:
  big:
    type: bool
    value: procurement.value_nok > 10 NOK
    explanation: the value is {procurement.value_nok}
  credit:
    for_each: projects
    type: money
    default: 0 NOK
    rules:
      - id: R-A
        when: project.value_nok > 10 NOK
        value: project.value_nok
        source: {ref: s, quote: a}
        explanation: a
      - id: R-B
        when: project.value_nok > 20 NOK
        value: 5 NOK
        source: {ref: s, quote: b}
        explanation: b
  total:
    type: money
    value: sum(projects, p -> p.credit)
    explanation: total {total}
"""

PROJECT = {
    "valuation_basis": "production", "norwegian_share": "0.5", "partner_in_norway": True,
    "initiated_by_supplier": True, "supports_armed_forces_needs": True, "in_priority_technology_area": True,
}
CASE = {
    "id": "C-1", "date": "2026-03-01", "procurement": {"value_nok": 150}, "supplier": {"country": "US"},
    "projects": [{"id": "P1", "value_nok": 15, **PROJECT}, {"id": "P2", "value_nok": 25, **PROJECT}],
}


@pytest.fixture
def policy_file(tmp_path) -> Path:
    path = tmp_path / "mini.yaml"
    path.write_text(POLICY, encoding="utf-8")
    return path


@pytest.mark.parametrize("prepared", [False, True])
def test_a_conflict_in_one_project_names_it_and_leaves_the_rest_decided(policy_file, prepared):
    policy = icpolicy.load_policy(policy_file)
    case = policy.prepare(CASE) if prepared else CASE
    with pytest.raises(icpolicy.EvaluationError) as err:
        policy.evaluate(case)
    (diagnostic,) = err.value.diagnostics
    assert "case 'C-1': project 'P2': decision 'credit', rules R-A, R-B: conflicting rules" in diagnostic.message
    assert "R-A gives 25, R-B gives 5" in diagnostic.message  # values as written, no Python repr
    partial = err.value.result
    assert partial is not None
    assert partial.decisions["big"].value is True  # does not depend on the projects
    assert "total" not in partial.decisions  # sums the credit that failed
    assert partial.projects[0].decisions["credit"].value == 15
    assert partial.projects[1].decisions == {}
    out = partial.to_dict()
    assert out["decisions"]["big"]["explanation"][0]["text"] == "the value is 150 NOK"
    assert [p["id"] for p in out["projects"]] == ["P1", "P2"]


def test_a_case_without_the_conflict_is_decided_whole(policy_file):
    policy = icpolicy.load_policy(policy_file)
    result = policy.evaluate({**CASE, "projects": CASE["projects"][:1]})
    assert result.decisions["total"].value == 15


def test_the_cli_shows_what_was_decided_and_names_the_project(policy_file, tmp_path):
    case = tmp_path / "case.json"
    case.write_text(json.dumps(CASE))
    runner = CliRunner()
    done = runner.invoke(cli, ["eval", "--policy", str(policy_file), "--format", "json", str(case)])
    assert done.exit_code == 1
    out = json.loads(done.stdout)
    assert out["case"] == "C-1" and "project 'P2'" in out["errors"][0]["message"]
    assert out["decisions"]["big"]["value"] is True and "total" not in out["decisions"]
    text = runner.invoke(cli, ["eval", "--policy", str(policy_file), str(case)])
    assert text.exit_code == 1
    assert "project 'P2'" in text.stderr
    assert "big" in text.stdout and "P1" in text.stdout  # what was decided, in the readable form
