"""Reproducible decision records and icpolicy replay."""

import json
import os
from pathlib import Path

import pytest
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


# -- a record's own hashes (issue 8) ----------------------------------------------


def _one_record(tmp_path) -> Path:
    target = tmp_path / "recs"
    assert run("eval", "--record", target, EXAMPLES / "01-us-frigate-direct.yaml").exit_code == 0
    return target / "CASE-2026-001.json"


def _edit(path: Path, change) -> None:
    record = json.loads(path.read_text())
    change(record)
    path.write_text(json.dumps(record, indent=2))


def _set_case_sha(value):
    return lambda r: r.__setitem__("case_sha256", value)


def _edit_case_only(r):
    r["case"]["procurement"]["value_nok"] = 50_000_000


def _forge_policy_sha(r):
    r["policy"]["sha256"] = r["result"]["policy"]["sha256"] = "ab" * 32


@pytest.mark.parametrize(
    "change, words",
    [
        (_set_case_sha("0" * 64), "case_sha256 000000000000... is not the hash of the recorded case"),
        (_set_case_sha("f" * 64), "case_sha256 ffffffffffff... is not the hash of the recorded case"),
        (_edit_case_only, "is not the hash of the recorded case"),
        (_forge_policy_sha, "policy.sha256 abababababab... is not the hash of the recorded policy files"),
        (lambda r: r["policy"].__setitem__("sha256", "cd" * 32), "policy.sha256 'cdcd"),
    ],
    ids=["zeroed-case-hash", "forged-case-hash", "case-edited-hash-kept", "forged-policy-hash", "policy-hash-not-the-result's"],
)
def test_replay_reports_every_hash_that_does_not_match_as_tampering(tmp_path, change, words):
    path = _one_record(tmp_path)
    assert run("replay", path).exit_code == 0
    _edit(path, change)
    result = run("replay", path)
    assert result.exit_code == 1, result.output
    assert "TAMPERED" in result.output and "0 of 1 record(s) reproduced identically" in result.output
    tampered = [line for line in result.output.splitlines() if line.strip().startswith("tampered: ")]
    assert any(words in line for line in tampered), result.output


def test_verify_record_returns_no_finding_for_an_untouched_record(tmp_path):
    from icpolicy.engine.records import read_records, verify_record

    path = _one_record(tmp_path)
    ((_, record),) = read_records([path])
    assert verify_record(record) == []
    record["case_sha256"] = "0" * 64
    assert len(verify_record(record)) == 1


def test_replay_names_the_real_difference(tmp_path):
    path = _one_record(tmp_path)

    def change(r):
        r["result"]["decisions"]["ica_required"]["value"] = False
        r["result"]["decisions"]["obligation_nok"]["explanation"][0]["text"] = "edited"
        del r["result"]["projects"][0]

    _edit(path, change)
    out = run("replay", path).output
    assert "ica_required: false" in out and "-> true" in out
    assert "obligation_nok: same value and rules, another explanation text" in out
    assert "projects.P1: decided again, not in the record" in out
    assert "explanations or the policy hash differ" not in out


# -- malformed records: clear errors, never a traceback (issue 8) -------------------



def _good_record(tmp_path) -> dict:
    return json.loads(_one_record(tmp_path).read_text())


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda r: r["result"]["decisions"].__setitem__("ica_required", 5), "result.decisions.ica_required: must be a mapping"),
        (lambda r: r["result"]["projects"].__setitem__(0, "P1"), "result.projects.0: must be a mapping"),
        (lambda r: r["policy"].__setitem__("files", "x"), "policy.files: must be a list"),
        (lambda r: r.__setitem__("record_format", 2), "record_format: must be 1"),
        (lambda r: r.__delitem__("case_sha256"), "the record: missing case_sha256"),
        (lambda r: r["policy"].__setitem__("sha256", "x" * 100_000), "(100000 characters)"),
        (lambda r: r.__setitem__("decisions_requested", [1]), "decisions_requested.0: must be a string, not the number 1"),
        (lambda r: r.__setitem__("as_of", "2026-W10-1"), 'as_of: "2026-W10-1" is not in the expected form (a date YYYY-MM-DD)'),
    ],
)
def test_malformed_records_are_reported_field_by_field(tmp_path, change, words):
    record = _good_record(tmp_path)
    change(record)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(record))
    result = run("replay", path)
    assert result.exit_code == 2
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert words in result.output, result.output
    assert len(result.output) < 2000


@pytest.mark.parametrize(
    "text, words",
    [
        ('{"record_format": 1, "case_sha256": ' + "7" * 5000 + "}", "a number has too many digits"),
        ("[" * 10_000 + "]" * 10_000, "nested more than 64 levels deep"),
        ('{"record_format": 1, "case": ' + '{"a": ' * 200 + "1" + "}" * 200 + "}", "nested more than 64 levels deep"),
        ("{nope", "invalid JSON at line 1 column 2"),
    ],
    ids=["5000-digit-integer", "10000-levels", "200-levels", "not-json"],
)
def test_hostile_record_text_gets_a_clear_error(tmp_path, text, words):
    path = tmp_path / "bad.json"
    path.write_text(text)
    result = run("replay", path)
    assert result.exit_code == 2, result.output
    assert words in result.output, result.output
