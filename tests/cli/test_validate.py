"""`icpolicy validate`: policies and cases, every problem with its place, exit codes."""

import json
from pathlib import Path

from click.testing import CliRunner

from icpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"
BIF = ROOT / "policies" / "bif"
FRIGATE = str(EXAMPLES / "01-us-frigate-direct.yaml")


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)



def test_validate_clean_policy_and_cases():
    assert run("validate").exit_code == 0
    assert run("validate", str(ROOT / "policies" / "bif"), str(EXAMPLES)).exit_code == 0


def test_validate_reports_typo_with_position_caret_and_suggestion(tmp_path):
    text = (ROOT / "policies" / "bif" / "policy.yaml").read_text()
    text = text.replace("supplier.foreign_produced_value_nok > ica_threshold", "supplier.foreign_produced_valu_nok > ica_threshold")
    (tmp_path / "policy.yaml").write_text(text)
    result = run("validate", str(tmp_path))
    assert result.exit_code == 1
    lines = text.splitlines()
    row = next(i for i, x in enumerate(lines) if "foreign_produced_valu_nok >" in x) + 1
    col = lines[row - 1].index("supplier.foreign_produced_valu_nok") + 1
    assert f"policy.yaml:{row}:{col}: unknown field 'foreign_produced_valu_nok' of supplier" in result.stderr
    assert "did you mean 'foreign_produced_value_nok'?" in result.stderr
    assert "^^^" in result.stderr


def test_validate_reports_every_problem_as_json(tmp_path):
    bad = tmp_path / "case.yaml"
    bad.write_text("id: 7\ndate: 2026-03-01\nprocurement: {value_nok: -1, extra: 1}\nsupplier: {country: US}\n")
    result = run("validate", "--format", "json", str(bad))
    assert result.exit_code == 1
    found = [json.loads(x) for x in result.stdout.splitlines()]
    assert {f["field"] for f in found} == {"id", "procurement.value_nok", "procurement.extra"}
    assert all(f["file"] == str(bad) and f["line"] >= 1 for f in found)


def test_validate_usage_error():
    assert run("validate", "/no/such/path").exit_code == 2



def _two_bad_cases(tmp_path):
    (tmp_path / "bad.yaml").write_text("id: X\ndate: 2023-02-29\nprocurement: {value_nok: 1}\nsupplier: {country: US}\n")
    (tmp_path / "worse.yaml").write_text("id: Y\ndate: 2026-03-01\nprocurement: {value_nok: 1, extra: 1}\nsupplier: {country: US}\n")


def test_validate_sarif_names_each_problem_with_its_region(tmp_path, monkeypatch):
    from .sarif_shape import assert_sarif

    _two_bad_cases(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("validate", "--format", "sarif", "bad.yaml", "worse.yaml")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert_sarif(log)
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results] == [
        ("E-CASE", "bad.yaml"), ("E-CASE", "worse.yaml")]
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 2, "startColumn": 7}
    assert results[0]["message"]["text"] == 'date: expected a date YYYY-MM-DD, got "2023-02-29" (2023-02-29 is not a day of the calendar)'
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == ["E-CASE"]
    assert "checked 2 file(s): 2 problem(s)" in result.stderr


def test_validate_github_annotations(tmp_path, monkeypatch):
    _two_bad_cases(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("validate", "--format", "github", "bad.yaml", "worse.yaml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == '::error file=bad.yaml,line=2,col=7,title=E-CASE::date: expected a date YYYY-MM-DD, got "2023-02-29" (2023-02-29 is not a day of the calendar)'
    assert lines[1].startswith("::error file=worse.yaml,line=3,col=29,title=E-CASE::") and "procurement.extra: unknown field" in lines[1]


def test_validate_sarif_of_a_clean_policy():
    from .sarif_shape import assert_sarif

    result = run("validate", "--format", "sarif")
    assert result.exit_code == 0
    assert_sarif(json.loads(result.stdout))
    assert json.loads(result.stdout)["runs"][0]["results"] == []
