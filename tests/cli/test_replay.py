"""`icpolicy replay`: identical records, changed results, not-records, exit codes."""

import json
from pathlib import Path

from click.testing import CliRunner

from icpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"
BIF = ROOT / "policies" / "bif"


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


FRIGATE = EXAMPLES / "01-us-frigate-direct.yaml"


def test_a_fresh_record_replays_identically(tmp_path):
    records = tmp_path / "rec.jsonl"
    assert run("eval", "--record", records, FRIGATE, "-q").exit_code == 0
    result = run("replay", records)
    assert result.exit_code == 0, result.output
    assert "1 of 1 record(s) reproduced identically" in result.stdout


def test_a_different_result_exits_1_and_names_the_decision(tmp_path):
    records = tmp_path / "rec.jsonl"
    run("eval", "--record", records, FRIGATE, "-q")
    record = json.loads(records.read_text())
    record["result"]["decisions"]["ica_required"]["value"] = False
    records.write_text(json.dumps(record) + "\n")
    result = run("replay", records, "--format", "json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["different"] == 1
    assert any(n.startswith("ica_required: false") for n in out["records"][0]["notes"])


def test_what_is_not_a_record_is_a_usage_error(tmp_path):
    bogus = tmp_path / "x.json"
    bogus.write_text("{}")
    result = run("replay", bogus)
    assert result.exit_code == 2 and "not an icpolicy decision record" in result.stderr
    assert run("replay", tmp_path / "missing.json").exit_code == 2
