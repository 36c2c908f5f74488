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


# ---- one bad test file does not stop the others (issue 10, item 5) ----------------

_MISSPELT = "tests:\n  - name: misspelt key\n    case: {id: X}\n    expect:\n      big: {value: true, rule: [R-BIG]}\n"


def _with_bad_file(tiny_policy):
    bad = tiny_policy / "tests" / "bad.yaml"
    bad.write_text(_MISSPELT)
    return bad


def test_a_bad_test_file_is_reported_and_the_others_still_run(tiny_policy):
    bad = _with_bad_file(tiny_policy)
    result = run("test", tiny_policy)
    assert result.exit_code == 1  # a finding, not a usage error
    assert f"error[E-TEST]: {bad}:5:26: tests[0].expect.big.rule: did you mean `rules` instead of `rule`?" in result.stderr
    assert "^" in result.stderr and "Traceback" not in result.output
    assert result.stdout.splitlines()[-1] == "3 passed, 0 failed; 1 test file could not be read, its tests not run"


def test_two_bad_files_and_a_failing_test_are_all_reported(tiny_policy):
    _failing(tiny_policy)
    _with_bad_file(tiny_policy)
    (tiny_policy / "tests" / "yaml.yaml").write_text("tests:\n  - name: y\n   expect: {}\n")
    result = run("test", tiny_policy)
    assert result.exit_code == 1
    assert "error[E-TEST]" in result.stderr and f"error[E-YAML-SYNTAX]: {tiny_policy / 'tests' / 'yaml.yaml'}:3:4" in result.stderr
    assert "FAIL" in result.stdout and "big: expected true, got false" in result.stdout
    assert result.stdout.splitlines()[-1] == "2 passed, 1 failed; 2 test files could not be read, their tests not run"


def test_only_bad_test_files_exit_1_not_no_tests_found(tiny_policy):
    (tiny_policy / "tests" / "amount.yaml").write_text(_MISSPELT)
    result = run("test", tiny_policy)
    assert result.exit_code == 1 and "no tests found" not in result.output
    assert "did you mean `rules` instead of `rule`?" in result.stderr
    assert result.stdout.splitlines()[-1] == "0 passed, 0 failed; 1 test file could not be read, its tests not run"


def test_a_bad_test_file_in_json_sarif_github_and_junit(tiny_policy, tmp_path, monkeypatch):
    from .sarif_shape import assert_sarif

    _with_bad_file(tiny_policy)
    monkeypatch.chdir(tiny_policy)
    as_json = run("test", ".", "--format", "json")
    assert as_json.exit_code == 1
    data = json.loads(as_json.stdout)
    assert (data["passed"], data["failed"]) == (3, 0)
    (entry,) = data["unreadable_files"]
    assert entry["file"] == "tests/bad.yaml" and [p["code"] for p in entry["problems"]] == ["E-TEST"]
    sarif = run("test", ".", "--format", "sarif")
    assert sarif.exit_code == 1
    log = json.loads(sarif.stdout)
    assert_sarif(log)
    (only,) = log["runs"][0]["results"]
    assert only["ruleId"] == "E-TEST" and only["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    github = run("test", ".", "--format", "github")
    assert github.exit_code == 1 and github.stdout.startswith("::error file=tests/bad.yaml,line=5,")
    junit = tmp_path / "out.xml"
    assert run("test", ".", "--junit", junit).exit_code == 1
    suite = ET.parse(junit).getroot()
    assert (suite.get("tests"), suite.get("errors"), suite.get("failures")) == ("4", "1", "0")
    (error,) = suite.iter("error")
    assert "did you mean `rules` instead of `rule`?" in error.get("message")


def test_a_broken_policy_is_still_a_usage_error(tiny_policy):
    (tiny_policy / "policy.yaml").write_text((tiny_policy / "policy.yaml").read_text().replace("> 10 NOK", "> > 10 NOK"))
    result = run("test", tiny_policy)
    assert result.exit_code == 2 and "E-SYNTAX" in result.output
