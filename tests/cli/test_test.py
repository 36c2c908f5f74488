"""`icpolicy test`: outcomes, formats and exit codes."""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from icpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"
BIF = ROOT / "policies" / "bif"


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def test_passing_tests_exit_0_with_a_count(tiny_policy):
    result = run("test", tiny_policy)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("3 passed, 0 failed")


def test_a_failing_test_exits_1_naming_file_line_decision_and_values(tiny_policy):
    tests = tiny_policy / "tests" / "amount.yaml"
    tests.write_text(tests.read_text().replace("big: {value: false, rules: []}", "big: {value: true, rules: []}"))
    result = run("test", tiny_policy)
    assert result.exit_code == 1
    assert f"FAIL {tests}:11: 10 NOK is not big" in result.stdout
    assert "big: expected true, got false" in result.stdout and "2 passed, 1 failed" in result.stdout


def test_json_report_and_junit_file(tiny_policy, tmp_path):
    junit = tmp_path / "out.xml"
    result = run("test", tiny_policy, "--format", "json", "--junit", junit)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["passed"], data["failed"]) == (3, 0)
    assert {t["name"] for t in data["tests"]} == {"over 10 NOK is big", "10 NOK is not big", "10.01 NOK is big"}
    assert ET.parse(junit).getroot().iter("testcase") is not None


def test_a_pattern_matching_nothing_is_a_usage_error(tiny_policy):
    result = run("test", tiny_policy, "-k", "no such test")
    assert result.exit_code == 2 and "no tests found matching 'no such test'" in result.stderr


def test_min_coverage_below_fails(tiny_policy):
    assert run("test", tiny_policy, "--coverage", "--min-coverage", "100").exit_code == 0
    one = tiny_policy / "tests" / "amount.yaml"
    one.write_text(one.read_text().split("  - name: 10 NOK")[0])
    result = run("test", tiny_policy, "--coverage", "--min-coverage", "100")
    assert result.exit_code == 1 and "is below the minimum 100 %" in result.stderr


def test_no_tests_found_names_where_it_looked(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("test", empty)
    assert result.exit_code == 2 and result.stderr == f"no tests found in {empty}\n"


def test_junit_to_a_path_that_cannot_be_written_names_option_and_path(tiny_policy, tmp_path):
    target = tmp_path / "no-such-dir" / "out.xml"
    result = run("test", tiny_policy, "--junit", target)
    assert result.exit_code == 2
    assert result.stderr == f"--junit: cannot write {target}: No such file or directory\n"
    assert result.stdout == ""  # stopped before running anything


def _failing(tiny_policy):
    tests = tiny_policy / "tests" / "amount.yaml"
    tests.write_text(tests.read_text().replace("big: {value: false, rules: []}", "big: {value: true, rules: []}"))
    return tests


def test_sarif_report_of_a_failing_test(tiny_policy, monkeypatch):
    from .sarif_shape import assert_sarif

    tests = _failing(tiny_policy)
    monkeypatch.chdir(tiny_policy)
    result = run("test", ".", "--format", "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    assert_sarif(log)
    (only,) = log["runs"][0]["results"]
    assert only["ruleId"] == "test-failure" and only["level"] == "error"
    assert "10 NOK is not big" in only["message"]["text"] and "big: expected true, got false" in only["message"]["text"]
    location = only["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": "tests/amount.yaml"}, "region": {"startLine": 11}}
    assert tests.exists() and result.stderr == "2 passed, 1 failed\n"


def test_github_annotations_of_a_failing_test(tiny_policy, monkeypatch):
    _failing(tiny_policy)
    monkeypatch.chdir(tiny_policy)
    result = run("test", ".", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout == ("::error file=tests/amount.yaml,line=11,title=test-failure::test failed: 10 NOK is not big"
                             "%0Abig: expected true, got false (decided by no rule (the default))\n")


def test_ci_formats_of_a_clean_run_have_no_results(tiny_policy):
    from .sarif_shape import assert_sarif

    sarif = run("test", tiny_policy, "--format", "sarif")
    assert sarif.exit_code == 0
    assert_sarif(json.loads(sarif.stdout))
    assert json.loads(sarif.stdout)["runs"][0]["results"] == []
    github = run("test", tiny_policy, "--format", "github")
    assert github.exit_code == 0 and github.stdout == ""
