"""icpolicy diff: changes by meaning, witness cases, git revisions and impact replay."""

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from conftest import git

from icpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]


def run(*args, cwd=None):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_diff_between_the_two_bif_versions_lists_changes_with_witnesses():
    result = run("diff", "2001.1", "2026.1", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output, parse_float=Decimal)
    changes = {(c["kind"], c["action"], c["name"]): c for c in data["comparisons"][0]["changes"]}
    threshold = changes[("parameter", "changed", "ica_threshold")]
    assert threshold["old"] == "50 000 000 NOK" and threshold["new"] == "100 000 000 NOK"
    for key in [
        ("parameter", "changed", "ica_threshold"),
        ("rule", "added", "R-FOREIGN-THRESHOLD"),
        ("rule", "added", "R-NSPA-FMS"),
        ("rule", "added", "R-ACCUMULATED"),
        ("rule", "removed", "R2001-THRESHOLD"),
        ("rule", "removed", "R2001-CONDITIONAL"),
        ("exception", "removed", "E2001-FOSA-EEA"),
    ]:
        assert key in changes, key
        witnesses = changes[key]["witnesses"]
        assert witnesses, f"no witness for {key}"
        for w in witnesses:
            assert any(d["old"]["value"] != d["new"]["value"] for d in w["differences"])
    assert ("period", "changed", "effective_from") in changes


def test_witness_cases_are_decided_as_reported(bif):
    data = json.loads(run("diff", "2001.1", "2026.1", "--format", "json").output, parse_float=Decimal)
    change = next(c for c in data["comparisons"][0]["changes"] if c["name"] == "ica_threshold" and c["kind"] == "parameter")
    witness = change["witnesses"][0]
    for side in ("old", "new"):
        diff = next(d for d in witness["differences"] if d["decision"] == "ica_required")
        version = diff[side]["version"]
        decided = bif.evaluate(witness["case"], version=version).decisions["ica_required"]
        assert decided.value == diff[side]["value"] and list(decided.rules) == diff[side]["rules"]


def test_same_version_has_no_semantic_change():
    result = run("diff", "2026.1", "2026.1")
    assert result.exit_code == 0 and "No change of meaning" in result.output


def test_reformatting_between_git_commits_is_no_change(policy_repo):
    path = policy_repo / "policies" / "bif" / "policy.yaml"
    text = path.read_text()
    text = text.replace(
        'when: foreign_supplier and procurement.channel == "direct" and procurement.value_nok > ica_threshold',
        'when: >-\n          foreign_supplier\n          and (procurement.channel == "direct")\n          and procurement.value_nok > ica_threshold',
    )
    text = text.replace("c -> c.date > window_start and c.date <= date", "x -> x.date > window_start and x.date <= date")
    text = text.replace("value: 100 MNOK", "value: 100_000_000 NOK")
    path.write_text(text)
    git(policy_repo, "commit", "-qam", "reformat")
    result = run("diff", "HEAD~1", "HEAD", policy_repo / "policies" / "bif")
    assert result.exit_code == 0, result.output
    assert "No change of meaning" in result.output


def test_a_flipped_comparison_between_git_commits_is_a_change_with_a_witness(policy_repo):
    path = policy_repo / "policies" / "bif" / "policy.yaml"
    path.write_text(path.read_text().replace("procurement.value_nok > ica_threshold\n", "procurement.value_nok >= ica_threshold\n", 1))
    git(policy_repo, "commit", "-qam", "flip")
    result = run("diff", "HEAD~1", "HEAD", policy_repo / "policies" / "bif", "--format", "markdown")
    assert result.exit_code == 1
    assert "rule R-FOREIGN-THRESHOLD: condition changed" in result.output
    assert "witness" in result.output.lower() and "100000000" in result.output


def test_impact_replay_over_past_cases(tmp_path):
    result = run("diff", "2001.1", "2026.1", "--cases", ROOT / "examples" / "cases", "--format", "json", "--no-witnesses")
    data = json.loads(result.output, parse_float=Decimal)
    replay = data["replay"]
    assert replay["cases"] >= 15 and 0 < replay["changed"] <= replay["cases"]
    assert replay["per_decision"]["ica_required"] >= 1
    entry = replay["changed_cases"][0]
    first = entry["decisions"][0]
    assert first["old"]["explanation"] and first["new"]["explanation"]
    text = run("diff", "2001.1", "2026.1", "--cases", ROOT / "examples" / "cases", "--no-witnesses").output
    assert "decided differently" in text and "before:" in text and "after:" in text


def test_diff_usage_errors():
    assert run("diff", "no-such-thing", "2026.1").exit_code == 2
