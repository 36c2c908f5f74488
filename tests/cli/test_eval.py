"""`icpolicy eval`: every format and input form, options, errors and exit codes."""

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import icpolicy
from icpolicy.cli.eval_output import JsonArrayOutput
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


# --- the options narrow what is decided, never what is checked ---------------------

CASE_TAIL = "procurement: {value_nok: 150000000}\nsupplier: {country: US}\n"
OPTIONS = [[], ["--as-of", "2026-01-01"], ["--policy-version", "2026.1"], ["--policy-version", "2001.1"],
           ["--decision", "ica_required"], ["--as-of", "2010-06-01", "--decision", "obligation_nok"]]


def _headlines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if re.match(r"error\[E-", line)]


@pytest.mark.parametrize("head", ["id: X\ndate: 2023-02-29\n", "id: X\n", "id: X\ndate: 2026-03-01\nextra: 1\n"],
                         ids=["impossible date", "no date", "unknown field"])
@pytest.mark.parametrize("options", OPTIONS, ids=" ".join)
def test_eval_reports_what_validate_reports_whatever_the_options(tmp_path, head, options):
    case = tmp_path / "case.yaml"
    case.write_text(head + CASE_TAIL)
    validated = run("validate", case)
    decided = run("eval", *options, case)
    assert validated.exit_code == decided.exit_code == 1
    assert _headlines(decided.stderr) == _headlines(validated.stderr) != []
    assert "field" not in decided.stdout


def test_eval_with_decision_gives_the_apis_result_and_record(tmp_path):
    mixed = EXAMPLES / "11-mixed-projects.yaml"
    data = yaml.safe_load(mixed.read_text())
    api = icpolicy.load_policy().evaluate(data, decisions=["ica_required"]).to_dict()
    out = run("eval", "--format", "json", "--decision", "ica_required", mixed)
    assert json.loads(out.stdout) == json.loads(json.dumps(api, default=str))
    assert json.loads(out.stdout)["projects"] == []
    text = run("eval", "--decision", "ica_required", mixed)
    assert "Project" not in text.stdout
    records = tmp_path / "r.jsonl"
    assert run("eval", "-q", "--decision", "ica_required", "--record", records, mixed).exit_code == 0
    replayed = run("replay", records)
    assert replayed.exit_code == 0 and replayed.stdout.startswith("identical")


def test_eval_text_with_project_decisions_keeps_project_headers():
    text = run("eval", "--decision", "status", str(EXAMPLES / "11-mixed-projects.yaml"))
    assert text.exit_code == 0 and "  Project P1\n    status" in text.stdout


# --- files that cannot be written ------------------------------------------------------

def _case_line(case_id: str) -> str:
    return json.dumps({"id": case_id, "date": "2026-03-01", "procurement": {"value_nok": 150000000},
                       "supplier": {"country": "US"}})


def test_a_record_that_cannot_be_written_fails_its_case_only(tmp_path):
    records = tmp_path / "records"
    batch = _case_line("A" * 300) + "\n" + _case_line("SHORT") + "\n"
    result = run("eval", "--format", "jsonl", "--record", records, "-", input=batch)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # an exit status, not an exception escaping
    assert f"error[E-IO]: --record {records}: cannot write the record of case 'AAAA" in result.stderr
    assert "(300 characters)" in result.stderr and "A" * 100 not in result.stderr
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert lines[0]["errors"][0]["code"] == "E-IO" and lines[1]["case"] == "SHORT"
    assert [p.name for p in records.iterdir()] == ["SHORT.json"]


def test_a_record_directory_that_cannot_be_made_is_a_usage_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("eval", "--record", blocker / "sub", FRIGATE)
    assert result.exit_code == 2 and "--record" in result.output and str(blocker / "sub") in result.output


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl"])
def test_a_lone_surrogate_in_a_case_id_is_written_as_its_escape(fmt):
    line = _case_line("X").replace('"X"', '"\\ud800"')
    result = run("eval", "--format", fmt, "--no-explain", "-", input=line)
    assert result.exit_code == 0, result.output
    if fmt == "text":
        assert result.stdout.startswith("Case \\ud800  (policy bif")
    else:
        assert json.loads(result.stdout)["case"] == "\ud800"


# --- --format json streams -------------------------------------------------------------

def test_json_output_writes_each_item_as_it_comes():
    out = io.StringIO()
    writer = JsonArrayOutput(out, explain=False)
    writer.error({"case": "A", "input": "a", "errors": []})
    assert out.getvalue() == ""  # one item alone may yet be the whole (non-array) document
    writer.error({"case": "B", "input": "b", "errors": []})
    written = out.getvalue()
    assert written.startswith("[\n  {\n") and '"case": "B"' in written
    writer.error({"case": "C", "input": "c", "errors": []})
    assert out.getvalue().startswith(written) and '"case": "C"' in out.getvalue()
    writer.close()
    assert [x["case"] for x in json.loads(out.getvalue())] == ["A", "B", "C"]


def test_json_array_is_the_same_document_as_before_streaming():
    files = sorted(str(p) for p in EXAMPLES.glob("*.yaml"))[:3]
    streamed = run("eval", "--format", "json", *files).stdout
    items = [json.loads(run("eval", "--format", "json", f).stdout) for f in files]
    assert json.loads(streamed) == items
    assert streamed == json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def test_json_array_stays_valid_with_bad_cases_among_good_ones(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: BAD\ndate: 2023-02-29\n" + CASE_TAIL)
    result = run("eval", "--format", "json", FRIGATE, bad, FRIGATE)
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert [i["case"] for i in items] == ["CASE-2026-001", "BAD", "CASE-2026-001"]
    assert items[1]["errors"][0]["field"] == "date"
    assert "error[E-CASE]" in result.stderr


def test_json_array_is_closed_when_the_run_stops_midway(monkeypatch):
    from icpolicy.cli import eval_batch

    calls = []

    def decide_then_stop(policy, item, options):
        calls.append(item)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(policy, item, options)

    original = eval_batch.decide
    monkeypatch.setattr(eval_batch, "decide", decide_then_stop)
    result = run("eval", "--format", "json", FRIGATE, FRIGATE, FRIGATE)
    assert result.exit_code == 130 and "interrupted" in result.stderr
    assert len(json.loads(result.stdout)) == 2


@pytest.mark.parametrize("files", [[], ["notes.txt", "README.md"]], ids=["empty", "no case files"])
def test_zero_cases_is_not_success(tmp_path, files):
    for name in files:
        (tmp_path / name).write_text("x")
    for command in (["eval"], ["eval", "--format", "json"], ["validate"]):
        result = run(*command, tmp_path)
        assert result.exit_code == 1, (command, result.output)
        assert f"no case documents found in {tmp_path}" in result.stderr


def test_record_with_partial_is_a_usage_error_not_silently_dropped(tmp_path):
    from click.testing import CliRunner

    from icpolicy.cli.main import cli

    case = str(ROOT / "examples" / "cases" / "01-us-frigate-direct.yaml")
    for flag in ("--partial", "--why-not"):
        result = CliRunner().invoke(cli, ["eval", flag, "--record", str(tmp_path / "r"), case])
        assert result.exit_code == 2 and "--record" in result.output
        assert not (tmp_path / "r").exists()


def test_a_decision_shown_without_the_decision_it_applies_if(tmp_path):
    # pending_credit_nok applies if ica_required; asked for alone, it is shown, not a traceback.
    result = run("eval", EXAMPLES / "11-mixed-projects.yaml", "--decision", "pending_credit_nok", "--no-explain")
    assert result.exit_code == 0, result.output
    assert re.search(r"^  pending_credit_nok +10 500 000 NOK +\[-\]$", result.stdout, re.M), result.stdout
