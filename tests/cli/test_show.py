"""`icpolicy show`: a version printed whole, the list of versions, canonical files, usage errors."""

import json
from pathlib import Path

from click.testing import CliRunner

from icpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"
BIF = ROOT / "policies" / "bif"


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def test_the_version_in_force_on_a_date():
    old = run("show", "--as-of", "2010-01-01", "--format", "json")
    new = run("show", "--as-of", "2026-03-01", "--format", "json")
    assert old.exit_code == new.exit_code == 0
    assert json.loads(old.stdout)["version"] == "2001.1"
    assert json.loads(new.stdout)["version"] != "2001.1"


def test_list_versions():
    result = run("show", "--list")
    assert result.exit_code == 0 and result.stdout.startswith("2001.1")


def test_text_and_yaml_forms(tiny_policy):
    text = run("show", tiny_policy)
    assert text.exit_code == 0 and "Policy tiny, version 1: Tiny" in text.stdout
    assert "\nid: tiny\n" in run("show", tiny_policy, "--format", "yaml").stdout


def test_canonical_needs_a_file_and_shows_a_broken_one_as_it_is(tmp_path):
    assert run("show", "--canonical").exit_code == 2
    broken = tmp_path / "p.yaml"
    broken.write_text("id: [unclosed\n")
    result = run("show", broken, "--canonical")
    assert result.exit_code == 0 and result.stdout == "id: [unclosed\n"


def test_bad_date_unknown_version_and_broken_policy(tmp_path):
    assert run("show", "--as-of", "2026-02-30").exit_code == 2
    assert run("show", "--as-of", "1900-01-01").exit_code == 2
    unknown = run("show", "--policy-version", "9.9")
    assert unknown.exit_code == 2 and "no version '9.9'" in unknown.stderr
    broken = tmp_path / "policy.yaml"
    broken.write_text("id: x\n")
    assert run("show", broken).exit_code == 1
