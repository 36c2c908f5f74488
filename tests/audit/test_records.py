"""Reproducible decision records and icpolicy replay."""

import json
import os
from pathlib import Path

from click.testing import CliRunner
from conftest import git

from icpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_records_hold_what_reproduction_needs(tmp_path):
    target = tmp_path / "records"
    assert run("eval", "--record", target, EXAMPLES / "01-us-frigate-direct.yaml").exit_code == 0
    record = json.loads((target / "CASE-2026-001.json").read_text())
    assert len(record["case_sha256"]) == 64
    assert record["policy"]["version"] == "2026.1" and record["policy"]["files"][0]["sha256"]
    assert record["policy"]["git_commit"]  # the checkout is a git repository
    assert record["icpolicy_version"]
    assert record["result"]["decisions"]["ica_required"]["explanation"]


def test_replay_reproduces_byte_for_byte(tmp_path):
    target = tmp_path / "records.jsonl"
    assert run("eval", "--record", target, "--format", "jsonl", EXAMPLES).exit_code == 0
    result = run("replay", target)
    assert result.exit_code == 0, result.output
    n = len(target.read_text().splitlines())
    assert f"{n} of {n} record(s) reproduced identically" in result.output


def test_replay_notices_changed_policy_and_can_use_the_recorded_commit(policy_repo, tmp_path):
    policy = policy_repo / "policies" / "bif"
    records = tmp_path / "recs"
    cwd = os.getcwd()
    os.chdir(policy_repo)
    try:
        assert run("eval", "--policy", policy, "--record", records, EXAMPLES / "09-exactly-100-mnok.yaml").exit_code == 0
        path = policy / "policy.yaml"
        path.write_text(path.read_text().replace("value: 100 MNOK", "value: 90 MNOK"))
        git(policy_repo, "commit", "-qam", "lower the threshold")
        changed = run("replay", records)
        assert changed.exit_code == 1
        assert "policy files changed since the record: policies/bif/policy.yaml" in changed.output
        assert "ica_required: false [] -> true" in changed.output
        again = run("replay", "--at-recorded-commit", records)
        assert again.exit_code == 0, again.output
    finally:
        os.chdir(cwd)


def test_replay_rejects_what_is_not_a_record(tmp_path):
    bogus = tmp_path / "x.json"
    bogus.write_text('{"hello": 1}')
    assert run("replay", bogus).exit_code == 2


def test_eval_with_decision_gives_the_api_shape_and_replays_identically(tmp_path):
    case = EXAMPLES / "01-us-frigate-direct.yaml"
    shown = run("eval", "--decision", "ica_required", "--format", "json", case)
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["projects"] == []
    text = run("eval", "--decision", "ica_required", case)
    assert "Project" not in text.output
    records = tmp_path / "recs"
    assert run("eval", "--decision", "ica_required", "--record", records, case).exit_code == 0
    record = json.loads((records / "CASE-2026-001.json").read_text())
    assert record["result"]["projects"] == []
    again = run("replay", records)
    assert again.exit_code == 0, again.output
    assert "1 of 1 record(s) reproduced identically" in again.output
