"""Differential tests: the engine and the plain-Python reference must agree.

Every decision value (exact Decimal, bool or str) and every `rules` list is compared,
for the case and for each project, on hypothesis-generated cases through the API and
on a seeded batch through the CLI's JSON Lines output.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest

icpolicy = pytest.importorskip("icpolicy")

from click.testing import CliRunner  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from reference_impl import CASE_DECISIONS, PROJECT_DECISIONS, evaluate_reference  # noqa: E402
from strategies_cases import case_documents, cases_as_jsonl  # noqa: E402

CLI_CASES = 2000
CLI_SEED = 20260301


@pytest.fixture(scope="module")
def policy():
    return icpolicy.load_policy()


def _same_value(actual, expected) -> bool:
    # Types matter: True must not pass for 1, nor "1" or a float for Decimal("1").
    if isinstance(expected, bool):
        return isinstance(actual, bool) and actual == expected
    if isinstance(expected, str):
        return isinstance(actual, str) and actual == expected
    if isinstance(actual, bool) or not isinstance(actual, (int, Decimal)):
        return False
    return Decimal(actual) == expected


def _check_decision(actual: dict, expected: dict, where: str, problems: list[str]) -> None:
    if not isinstance(actual, dict) or "value" not in actual:
        problems.append(f"{where}: missing or malformed decision: {actual!r}")
        return
    if not _same_value(actual["value"], expected["value"]):
        problems.append(
            f"{where}.value: engine {actual['value']!r}, reference {expected['value']!r}"
        )
    if actual.get("rules") != expected["rules"]:
        problems.append(
            f"{where}.rules: engine {actual.get('rules')!r}, reference {expected['rules']!r}"
        )


def assert_agrees(actual: dict, expected: dict, case: dict) -> None:
    """Fail with every difference listed, and the case, when the two disagree."""
    __tracebackhide__ = True  # the message says it all; the helper's frame is noise
    problems: list[str] = []
    if actual.get("case") != expected["case"]:
        problems.append(f"case: engine {actual.get('case')!r}, reference {expected['case']!r}")
    decisions = actual.get("decisions", {})
    for name in CASE_DECISIONS:
        _check_decision(decisions.get(name), expected["decisions"][name], name, problems)

    actual_projects = actual.get("projects", [])
    if len(actual_projects) != len(expected["projects"]):
        problems.append(
            f"projects: engine has {len(actual_projects)}, reference {len(expected['projects'])}"
        )
    for i, (got, want) in enumerate(zip(actual_projects, expected["projects"], strict=False)):
        if got.get("id") != want["id"]:
            problems.append(f"projects[{i}].id: engine {got.get('id')!r}, reference {want['id']!r}")
            continue
        got_decisions = got.get("decisions", {})
        for name in PROJECT_DECISIONS:
            where = f"projects[{i}]({want['id']}).{name}"
            _check_decision(got_decisions.get(name), want["decisions"][name], where, problems)

    if problems:
        pytest.fail(
            "engine and reference disagree:\n  " + "\n  ".join(problems) + f"\ncase: {case!r}"
        )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=case_documents())
def test_engine_agrees_with_reference(policy, case):
    expected = evaluate_reference(copy.deepcopy(case))
    # A copy, so an engine that normalises its input in place cannot affect the reference.
    actual = policy.evaluate(copy.deepcopy(case)).to_dict()
    assert_agrees(actual, expected, case)


def test_cli_jsonl_agrees_with_reference(tmp_path):
    from icpolicy.cli.main import cli

    path = tmp_path / "cases.jsonl"
    path.write_text(cases_as_jsonl(CLI_CASES, CLI_SEED), encoding="utf-8")
    # The reference reads the file back the way a reader of the CLI's input would.
    cases = [
        json.loads(line, parse_float=Decimal)
        for line in path.read_text(encoding="utf-8").splitlines()
    ]

    result = CliRunner().invoke(cli, ["eval", "--format", "jsonl", str(path)])
    assert result.exit_code == 0, (result.exit_code, result.output[-2000:], result.exception)

    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == len(cases)
    for line, case in zip(lines, cases, strict=True):
        actual = json.loads(line, parse_float=Decimal)
        assert_agrees(actual, evaluate_reference(case), case)
