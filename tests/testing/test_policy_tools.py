"""icpolicy test, coverage, boundaries and mutate, on the bundled policy and on edited copies."""

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from icpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
BIF = ROOT / "policies" / "bif"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def bif_copy(tmp_path):
    target = tmp_path / "bif"
    shutil.copytree(BIF, target)
    return target


def test_bundled_policy_tests_pass():
    result = run("test", BIF)
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("0 failed")


def test_a_flipped_threshold_comparison_fails_naming_the_boundary_test_and_rule(bif_copy):
    policy = bif_copy / "policy.yaml"
    text = policy.read_text()
    old = 'foreign_supplier and procurement.channel == "direct" and procurement.value_nok > ica_threshold'
    assert old in text
    policy.write_text(text.replace(old, old.replace("> ica_threshold", ">= ica_threshold")))
    result = run("test", bif_copy)
    assert result.exit_code == 1
    assert "FAIL" in result.output
    failing = [line for line in result.output.splitlines() if line.startswith("FAIL")]
    assert any("100" in line.lower() or "exactly" in line.lower() for line in failing), failing
    assert "ica_required: expected false, got true (decided by R-FOREIGN-THRESHOLD)" in result.output


def test_json_and_junit_reports(tmp_path):
    junit = tmp_path / "junit.xml"
    result = run("test", BIF, "--format", "json", "--junit", junit)
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert payload["failed"] == 0 and payload["passed"] == len(payload["tests"]) > 0
    suite = ET.parse(junit).getroot()
    assert suite.tag == "testsuite" and int(suite.get("tests")) == payload["passed"]


def test_pattern_selects_tests():
    all_tests = json.loads(run("test", BIF, "--format", "json").output)["passed"]
    some = json.loads(run("test", BIF, "--format", "json", "-k", "R-NSPA-FMS").output)["passed"]
    assert 0 < some < all_tests
    assert run("test", BIF, "-k", "no such test at all").exit_code == 2


def test_failures_and_usage_errors_have_their_exit_codes(tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text(
        "tests:\n  - name: wrong on purpose\n    case: {id: X, date: '2026-03-01', procurement: {value_nok: 1}, supplier: {country: US}}\n"
        "    expect: {ica_required: true}\n"
    )
    result = run("test", "--policy", BIF, bad)
    assert result.exit_code == 1
    assert f"FAIL {bad}:2: wrong on purpose" in result.output
    assert "ica_required: expected true, got false (decided by no rule (the default))" in result.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("tests:\n  - nam: x\n")
    alone = run("test", "--policy", BIF, broken)
    assert alone.exit_code == 1 and "did you mean `name` instead of `nam`?" in alone.output


@pytest.mark.parametrize(
    "test, words",
    [
        ("expect: {ica_required: {value: true, rule: [R-X]}}",
         "tests[0].expect.ica_required.rule: did you mean `rules` instead of `rule`?"),
        ("expect: [1, 2]", "tests[0].expect: must be a mapping of decision names to values, not a list"),
        ("expect: {ica_required: [true]}",
         "tests[0].expect.ica_required: must be a value (true, false, a number or text) or a mapping with `value` and `rules`"),
        ("case: 5\n    expect: {}", "tests[0].case: must be a case (a mapping of case fields) or the path of a case document, not a number `5`"),
        ("as_of: 2026-W10-1\n    expect: {}", "tests[0].as_of: must be a date YYYY-MM-DD (got `2026-W10-1`)"),
        ("expect: {}\n    expect_error: {code: E-CASE}", "give either `expect` or `expect_error`, not both"),
    ],
)
def test_test_file_errors_are_in_plain_words(tmp_path, test, words):
    path = tmp_path / "t.yaml"
    path.write_text(f"tests:\n  - name: x\n    {test}\n")
    result = run("test", "--policy", BIF, path)
    assert result.exit_code == 1  # a finding, not a usage error (issue 10, item 5)
    assert words in result.output, result.output
    assert "is not of type" not in result.output and "{'" not in result.output and "None" not in result.output


def test_coverage_is_complete_for_the_bundled_policy():
    result = run("test", BIF, "--coverage", "--min-coverage", "100")
    assert result.exit_code == 0, result.output
    assert "total 100.0 %" in result.output


def test_coverage_names_what_is_missing(tmp_path):
    one = tmp_path / "one.yaml"
    one.write_text(
        "tests:\n  - name: one\n    case: {id: X, date: '2026-03-01', procurement: {value_nok: 1}, supplier: {country: US}}\n"
        "    expect: {ica_required: false}\n"
    )
    result = run("test", "--policy", BIF, one, "--coverage", "--min-coverage", "90")
    assert result.exit_code == 1
    assert "R-NSPA-FMS@2026.1: condition `procurement.only_for_norway` never" in result.output
    assert "R-FOREIGN-THRESHOLD@2026.1 (ica_required): never fired" in result.output
    data = json.loads(run("test", "--policy", BIF, one, "--coverage", "--format", "json").output)
    assert data["coverage"]["total_percent"] < 90


def test_boundaries_table_emit_and_pin(tmp_path):
    result = run("boundaries", BIF, "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    at = [r for r in rows if r["boundary"].startswith("R-FOREIGN-THRESHOLD") and r["base"] == "foreign-direct" and r["version"] == "2026.1"]
    assert [str(r["value"]) for r in at] == ["99999999.99", "100000000", "100000000.01"]
    assert at[2]["rules"] == ["R-FOREIGN-THRESHOLD"]
    emitted = tmp_path / "boundary_tests.yaml"
    assert run("boundaries", BIF, "--emit-tests", emitted).exit_code == 0
    pinned = run("test", "--policy", BIF, emitted)
    assert pinned.exit_code == 0, pinned.output


def test_untested_boundaries_are_listed(tmp_path):
    assert run("boundaries", BIF, "--untested").exit_code == 0
    empty = tmp_path / "t.yaml"
    empty.write_text(
        "tests:\n  - name: one\n    case: {id: X, date: '2026-03-01', procurement: {value_nok: 1}, supplier: {country: US}}\n"
        "    expect: {ica_required: false}\n"
    )
    result = run("boundaries", BIF, "--untested", "--tests", empty)
    assert result.exit_code == 1
    assert "untested in 2026.1: R-FOREIGN-THRESHOLD: procurement.value_nok > ica_threshold" in result.output
    # A comparison only counts when the test really reached it: a case without
    # projects leaves P-SHARE's edges untested.
    assert "untested in 2026.1: P-SHARE: project.norwegian_share < min_credited_share" in result.output


def test_mutation_score_of_the_bundled_policy_is_100():
    result = run("mutate", BIF, "--min-score", "100")
    assert result.exit_code == 0, result.output
    assert "mutation score 100.0 %" in result.output


def test_surviving_mutants_are_reported_with_their_change(tmp_path):
    one = tmp_path / "t.yaml"
    one.write_text(
        "tests:\n  - name: one\n    case: {id: X, date: '2026-03-01', procurement: {value_nok: 150000000}, supplier: {country: US}}\n"
        "    expect: {ica_required: true}\n"
    )
    result = run("mutate", BIF, "--tests", one, "--min-score", "100")
    assert result.exit_code == 1
    assert "SURVIVED" in result.output
    assert "flip: `procurement.value_nok > ica_threshold` -> `procurement.value_nok >= ica_threshold`" in result.output
    assert "policy.yaml:" in result.output


def test_a_misspelt_required_key_is_one_problem_not_also_missing(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("tests:\n  - nam: x\n    expect: {ica_required: true}\n")
    result = run("test", "--policy", BIF, "--format", "json", path)
    assert result.exit_code == 1
    (entry,) = json.loads(result.stdout)["unreadable_files"]
    assert [p["message"] for p in entry["problems"]] == ["did you mean `name` instead of `nam`?"]
