"""`icpolicy diff`: changes by meaning in each format, impact replay, exit codes."""

import json
from pathlib import Path

from click.testing import CliRunner

from icpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"
BIF = ROOT / "policies" / "bif"


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def _changed(folder, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "policy.yaml").write_text((folder / "policy.yaml").read_text().replace("> 10 NOK", ">= 10 NOK"))
    return other


def test_no_change_of_meaning_exits_0(tiny_policy):
    result = run("diff", tiny_policy, tiny_policy)
    assert result.exit_code == 0 and "No change of meaning." in result.stdout


def test_a_change_exits_1_in_every_format(tiny_policy, tmp_path):
    other = _changed(tiny_policy, tmp_path)
    text = run("diff", tiny_policy, other, "--no-witnesses")
    markdown = run("diff", tiny_policy, other, "--format", "markdown", "--no-witnesses")
    data = run("diff", tiny_policy, other, "--format", "json", "--no-witnesses")
    assert text.exit_code == markdown.exit_code == data.exit_code == 1
    assert "  * " in text.stdout and "before:" in text.stdout
    assert markdown.stdout.startswith("## ") and "\n- " in markdown.stdout
    assert json.loads(data.stdout)["semantic_change"] is True


def test_impact_replay_counts_the_cases_decided_differently(tiny_policy, tmp_path):
    other = _changed(tiny_policy, tmp_path)
    cases = tmp_path / "cases"
    cases.mkdir()
    for value in (5, 10, 50):
        (cases / f"c{value}.yaml").write_text(
            f'id: C{value}\ndate: "2026-03-01"\nprocurement: {{value_nok: {value}}}\nsupplier: {{country: US}}\n')
    result = run("diff", tiny_policy, other, "--cases", cases, "--format", "json", "--no-witnesses")
    replay = json.loads(result.stdout)["replay"]
    assert (replay["cases"], replay["changed"], replay["errors"]) == (3, 1, 0)
    assert replay["changed_cases"][0]["case"] == "C10"
    text = run("diff", tiny_policy, other, "--cases", cases, "--no-witnesses")
    assert "Of 3 cases, 1 decided differently, 2 the same." in text.stdout


def test_neither_a_file_a_version_nor_a_revision_is_a_usage_error(tiny_policy):
    result = run("diff", "no-such-thing", "2001.1")
    assert result.exit_code == 2 and "is neither a policy file, a version of" in result.stderr
