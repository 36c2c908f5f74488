"""`icpolicy mutate`: the score, survivors, and exit codes (on a tiny policy, to stay quick)."""

import json
from pathlib import Path

from click.testing import CliRunner

from icpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"
BIF = ROOT / "policies" / "bif"


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def test_every_mutant_killed_exits_0(tiny_policy):
    result = run("mutate", tiny_policy, "--min-score", "100", "-q")
    assert result.exit_code == 0, result.output
    assert "mutation score 100.0 %" in result.stdout


def test_a_survivor_below_the_minimum_exits_1_with_its_change(tiny_policy):
    tests = tiny_policy / "tests" / "amount.yaml"
    tests.write_text(tests.read_text().split("  - name: 10 NOK")[0])  # the edge is no longer tested
    result = run("mutate", tiny_policy, "--min-score", "100", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["score"] < 100 and data["survived"]
    assert all(s["rule"] == "R-BIG" and s["before"] != s["after"] for s in data["survived"])
    assert run("mutate", tiny_policy).exit_code == 0  # without a minimum the score is only reported


def test_no_tests_is_a_usage_error(tiny_policy):
    for f in (tiny_policy / "tests").iterdir():
        f.unlink()
    result = run("mutate", tiny_policy)
    assert result.exit_code == 2 and "no tests found" in result.stderr


def test_a_policy_directory_that_does_not_exist_is_a_usage_error(tmp_path):
    assert run("mutate", tmp_path / "nowhere").exit_code == 2
