"""`icpolicy eval`: every format and input form, options, errors and exit codes."""

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from icpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"
BIF = ROOT / "policies" / "bif"
FRIGATE = str(EXAMPLES / "01-us-frigate-direct.yaml")


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)



def test_eval_text_shows_value_rule_and_source():
    result = run("eval", FRIGATE, "--verbose", "--lang", "en")  # the full form (issue 11)
    assert result.exit_code == 0, result.output
    assert "ica_required" in result.output and "[R-FOREIGN-THRESHOLD]" in result.output
    assert "overskrider 100 MNOK" in result.output


def test_eval_json_is_exact():
    result = run("eval", "--format", "json", str(EXAMPLES / "10-just-over-100-mnok.yaml"))
    assert result.exit_code == 0
    out = json.loads(result.output, parse_float=Decimal)
    assert out["decisions"]["obligation_nok"]["value"] == Decimal("100000000.01")
    assert out["policy"]["id"] == "bif"


def test_eval_jsonl_keeps_input_order():
    files = sorted(str(p) for p in EXAMPLES.glob("*.yaml"))
    result = run("eval", "--format", "jsonl", *reversed(files))
    assert result.exit_code == 0
    lines = [json.loads(x) for x in result.output.splitlines()]
    assert len(lines) == len(files)
    expected_ids = []
    for f in reversed(files):
        for line in Path(f).read_text().splitlines():
            if line.startswith("id:"):
                expected_ids.append(line.split(":", 1)[1].strip().strip('"'))
                break
    assert [x["case"] for x in lines] == expected_ids


def test_eval_directory_and_jsonl_input():
    result = run("eval", "--format", "jsonl", str(EXAMPLES))
    assert result.exit_code == 0
    n_yaml = len(list(EXAMPLES.glob("*.yaml")))
    n_jsonl = sum(1 for x in (EXAMPLES / "batch.jsonl").read_text().splitlines() if x.strip())
    assert len(result.output.splitlines()) == n_yaml + n_jsonl


def test_eval_stdin_yaml_and_jsonl():
    text = Path(FRIGATE).read_text()
    result = run("eval", "--format", "json", "-", input=text)
    assert result.exit_code == 0 and json.loads(result.output)["decisions"]["ica_required"]["value"] is True
    jsonl = (EXAMPLES / "batch.jsonl").read_text()
    result = run("eval", "--format", "jsonl", "-", input=jsonl)
    assert result.exit_code == 0
    assert len(result.output.splitlines()) == len([x for x in jsonl.splitlines() if x.strip()])


def test_eval_bad_case_names_file_line_field_and_keeps_going(tmp_path):
    bad = tmp_path / "x.yaml"
    bad.write_text("id: X\ndate: 2026-03-01\nprocurement:\n  value_nok: lots\nsupplier:\n  country: US\n")
    result = run("eval", "--format", "jsonl", str(bad), FRIGATE)
    assert result.exit_code == 1
    assert f"{bad}:4:14: procurement.value_nok: expected an amount in NOK, got \"lots\"" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert lines[0]["errors"][0]["field"] == "procurement.value_nok"
    assert lines[1]["case"] == "CASE-2026-001"


def test_eval_malformed_yaml_and_duplicate_keys(tmp_path):
    bad = tmp_path / "dup.yaml"
    bad.write_text("id: X\nid: Y\n")
    result = run("eval", str(bad))
    assert result.exit_code == 1
    assert "duplicate key 'id' (first at line 1, again at line 2)" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "X",, }')
    result = run("eval", str(broken))
    assert result.exit_code == 1 and f"{broken}:1:" in result.stderr


def test_eval_missing_file_is_a_usage_error():
    result = run("eval", "no-such-file.yaml")
    assert result.exit_code == 2


def test_eval_only_one_decision():
    result = run("eval", "--format", "json", "--decision", "ica_required", FRIGATE)
    assert result.exit_code == 0
    assert list(json.loads(result.output)["decisions"]) == ["ica_required"]
    assert run("eval", "--decision", "nope", FRIGATE).exit_code == 2


def test_eval_another_policy(tmp_path):
    text = (ROOT / "policies" / "bif" / "policy.yaml").read_text().replace("value: 100 MNOK", "value: 50 MNOK")
    (tmp_path / "policy.yaml").write_text(text)
    case = tmp_path / "c.yaml"
    case.write_text("id: C\ndate: 2026-03-01\nprocurement: {value_nok: 75000000}\nsupplier: {country: US}\n")
    before = json.loads(run("eval", "--format", "json", str(case)).output)
    after = json.loads(run("eval", "--format", "json", "--policy", str(tmp_path), str(case)).output)
    assert before["decisions"]["ica_required"]["value"] is False
    assert after["decisions"]["ica_required"]["value"] is True
