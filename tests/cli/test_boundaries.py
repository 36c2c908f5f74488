"""`icpolicy boundaries`: the table, JSON rows, emitted tests and exit codes."""

import json
from pathlib import Path

from click.testing import CliRunner

from icpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"
BIF = ROOT / "policies" / "bif"


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def _with_base(folder):
    bases = folder / "boundary-bases"
    bases.mkdir()
    (bases / "plain.yaml").write_text('id: B\ndate: "2026-03-01"\nprocurement: {value_nok: 100}\nsupplier: {country: US}\n')
    return folder


def test_table_rows_at_and_next_to_each_edge(tiny_policy):
    result = run("boundaries", _with_base(tiny_policy), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["offset"]: r["result"] for r in rows} == {-1: False, 0: False, 1: True}
    assert all(r["field"] == "procurement.value_nok" and r["decision"] == "big" for r in rows)


def test_emitted_tests_pass_when_pinned(tiny_policy, tmp_path):
    emitted = tmp_path / "pinned.yaml"
    assert run("boundaries", _with_base(tiny_policy), "--emit-tests", emitted).exit_code == 0
    pinned = run("test", "--policy", tiny_policy, emitted)
    assert pinned.exit_code == 0 and "3 passed, 0 failed" in pinned.stdout


def test_no_base_case_is_a_usage_error(tiny_policy):
    result = run("boundaries", tiny_policy)
    assert result.exit_code == 2 and "no base case" in result.output


def test_a_bad_base_case_is_a_usage_error_with_its_place(tiny_policy, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text('id: B\ndate: "2026-03-01"\nprocurement: {value_nok: lots}\nsupplier: {country: US}\n')
    result = run("boundaries", tiny_policy, "--base", bad)
    assert result.exit_code == 2 and f"{bad}:3:26" in result.stderr


def test_an_unknown_version_is_a_usage_error():
    result = run("boundaries", BIF, "--policy-version", "1999.9")
    assert result.exit_code == 2 and "no version '1999.9'" in result.stderr


def test_untested_edges_exit_1(tiny_policy, tmp_path):
    gap = run("boundaries", tiny_policy, "--untested")
    assert gap.exit_code == 1 and "untested in 1:" in gap.stdout and ": below" in gap.stdout
    below = tiny_policy / "tests" / "below.yaml"
    below.write_text((tiny_policy / "tests" / "amount.yaml").read_text().replace("value_nok: 10}", "value_nok: 9.99}"))
    full = run("boundaries", tiny_policy, "--untested")
    assert full.exit_code == 0, full.output
    assert "1 of 1 boundaries met by a test below, at and above the edge" in full.stdout
    only = tmp_path / "only.yaml"
    text = (tiny_policy / "tests" / "amount.yaml").read_text()
    only.write_text(text.split("  - name: 10 NOK")[0])
    result = run("boundaries", tiny_policy, "--untested", "--tests", only)
    assert result.exit_code == 1 and "untested in 1:" in result.stdout
