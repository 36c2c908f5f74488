"""Shell completion (click's own): version ids and decision names, through click's completion API."""

import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete

from icpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]


def complete(args, incomplete):
    items = ShellComplete(cli, {}, "icpolicy", "_ICPOLICY_COMPLETE").get_completions(args, incomplete)
    return [(i.value, i.type) for i in items]


@pytest.mark.parametrize("command", [["eval"], ["show"], ["boundaries"]])
def test_policy_version_completes_the_bundled_versions(command):
    assert complete([*command, "--policy-version"], "") == [("2001.1", "plain"), ("2026.1", "plain")]
    assert complete([*command, "--policy-version"], "202") == [("2026.1", "plain")]


def test_decision_completes_decision_names():
    names = [v for v, _ in complete(["eval", "--decision"], "")]
    assert names[:3] == ["ica_required", "ica_kind", "obligation_nok"] and "credit_nok" in names
    assert complete(["eval", "--decision"], "ica_") == [("ica_required", "plain"), ("ica_kind", "plain")]


def test_completion_uses_the_policy_named_on_the_command_line(tiny_policy):
    assert complete(["eval", "--policy", str(tiny_policy), "--decision"], "") == [("big", "plain")]
    assert complete(["eval", "--policy", str(tiny_policy), "--policy-version"], "") == [("1", "plain")]


def test_a_broken_policy_completes_nothing(tmp_path):
    (tmp_path / "policy.yaml").write_text("id: [broken\n")
    assert complete(["eval", "--policy", str(tmp_path), "--decision"], "") == []


def test_diff_sides_complete_versions_and_files():
    assert complete(["diff"], "2001") == [("2001.1", "plain"), ("2001", "file")]
    assert complete(["diff", "2001.1"], "2026.1") == [("2026.1", "plain")]


def test_the_completion_script_comes_from_click():
    env = {"_ICPOLICY_COMPLETE": "bash_source", "PATH": "/usr/bin:/bin"}
    script = subprocess.run([sys.executable, "-m", "icpolicy"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert script.returncode == 0
    assert "_ICPOLICY_COMPLETE=bash_complete" in script.stdout and "complete " in script.stdout
