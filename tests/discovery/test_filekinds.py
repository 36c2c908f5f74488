"""`validate` knows every kind of file and checks each as what it is: a clean checkout
is clean, and a mistake in a test file or a boundary base is found against its policy."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from icpolicy.cli.main import cli
from icpolicy.filecheck import check_files, expected_value_problem
from icpolicy.filekinds import classify, collect

REPO = Path(__file__).resolve().parents[2]


def run(*args, cwd: Path = REPO):
    here = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(here)


@pytest.mark.parametrize("target", [".", "policies/", "policies/bif", "policies/bif/tests", "examples/cases"])
def test_a_clean_checkout_has_no_problems(target):
    result = run("validate", target)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().endswith("no problems")
    assert "problem(s)" not in result.stderr


def test_validate_dot_checks_each_kind_and_names_the_policy():
    result = run("validate", ".")
    kinds = sorted(f.kind for f in collect([str(REPO)]).files)
    counts = {k: kinds.count(k) for k in set(kinds)}
    assert counts == {"policy": 2, "tests": 12, "base": 3, "case": 15, "schema": 4}  # case, policy, test and record schemas
    assert "checked 36 file(s): no problems" in result.stderr, result.stderr
    assert f"policy: {REPO / 'policies' / 'bif'} (bif 2026.1, 2001.1; local checkout)" in result.stderr


def test_kinds_by_place_and_content():
    bif = REPO / "policies" / "bif"
    assert classify(bif / "policy.yaml").kind == "policy"
    assert classify(bif / "versions" / "2001.1-50mnok.yaml").kind == "policy"
    assert classify(bif / "versions" / "2001.1-50mnok.yaml").policy_dir == bif
    assert classify(bif / "tests" / "shares.yaml").kind == "tests"
    assert classify(bif / "boundary-bases" / "foreign-direct.yaml").kind == "base"
    assert classify(REPO / "examples" / "cases" / "01-us-frigate-direct.yaml").kind == "case"
    assert classify(REPO / "examples" / "cases" / "batch.jsonl").kind == "case"
    assert classify(REPO / "schemas" / "case.schema.json").kind == "schema"
    assert classify(REPO / "tests" / "golden" / "01-us-frigate-direct.yaml.json").kind == "other"
    assert classify(REPO / "tests" / "golden" / "01-us-frigate-direct.yaml.json", named=True).kind == "case"


def test_exclude_setting_and_hidden_and_venv_directories(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.icpolicy]\nexclude = ["fixtures/*"]\n', encoding="utf-8")
    for folder in ("fixtures/bad", ".hidden", "venv", "cases"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "c.yaml").write_text("id: x\n", encoding="utf-8")
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr\n", encoding="utf-8")
    found = collect([str(tmp_path)])
    assert [f.path for f in found.files] == [tmp_path / "cases" / "c.yaml"]
    assert found.excluded == ["fixtures/*"]
    # Named outright, an excluded file is checked all the same.
    assert [f.kind for f in collect([str(tmp_path / "fixtures" / "bad" / "c.yaml")]).files] == ["case"]


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    return tmp_path / "policies" / "bif"


TEST_FILE = """\
base_case:
  id: T
  date: "2026-03-01"
  procurement: {value_nok: 150000000}
  supplier: {country: US}
tests:
  - name: fine
    expect:
      ica_required: {value: true, rules: [R-FOREIGN-THRESHOLD]}
  - name: mistakes
    case:
      procurement: {valu_nok: 3}
      projects:
        - {id: P1, value_nok: 10000000, norwegian_share: 0.5, partner_in_norway: true, initiated_by_supplier: true, supports_armed_forces_needs: true, in_priority_technology_area: true}
    expect:
      ica_requird: true
      obligation_nok: yes please
      ica_required: {value: true, rules: [R-FOREIGN-TRESHOLD]}
      projects:
        P2: {credit_nok: 0}
        P1: {status: maybe}
  - name: an expected error is not checked as a case
    case: {procurement: {value_nok: -1}}
    expect_error: {code: E-CASE}
"""


def _problems(tmp_path: Path, name: str, text: str) -> list[tuple[str, int, str]]:
    bif = _copy(tmp_path)
    path = bif / "tests" / name
    path.write_text(text, encoding="utf-8")
    done = check_files(collect([str(path)]))
    return [(d.code, d.span.line, d.message) for d in done.findings]


def test_a_test_file_is_checked_against_its_policy(tmp_path):
    problems = _problems(tmp_path, "mine.yaml", TEST_FILE)
    codes = [(code, line) for code, line, _ in problems]
    assert codes == [("E-CASE", 12), ("E-TEST", 16), ("E-TEST", 17), ("E-TEST", 18), ("E-TEST", 20), ("E-TEST", 21)]
    messages = "\n".join(m for _, _, m in problems)
    assert "unknown field (did you mean 'value_nok'?)" in messages
    assert "'ica_requird' is not a decision of bif 2026.1" in messages
    assert "'obligation_nok' is a number (money), not 'yes please'" in messages
    assert "'R-FOREIGN-TRESHOLD' is not a rule of 'ica_required'" in messages
    assert "the case has no project 'P2' (its projects: P1)" in messages
    assert "'status' is one of" in messages and "not 'maybe'" in messages
    assert len(problems) == 6


def test_a_project_decision_expected_for_the_case_says_where_it_belongs(tmp_path):
    text = TEST_FILE.split("  - name: mistakes")[0] + "  - name: misplaced\n    expect:\n      credit_nok: 0\n"
    [(code, line, message)] = _problems(tmp_path, "misplaced.yaml", text)
    assert (code, line) == ("E-TEST", 12)
    assert "'credit_nok' is not a decision" in message


def test_a_boundary_base_is_a_case_of_its_policy(tmp_path):
    bif = _copy(tmp_path)
    base = bif / "boundary-bases" / "foreign-direct.yaml"
    base.write_text(base.read_text(encoding="utf-8").replace("value_nok: 60000000", "valeu_nok: 60000000"), encoding="utf-8")
    done = check_files(collect([str(bif)]))
    # The typo, and the required field it leaves missing (the case normalizer's two findings).
    assert [(d.code, Path(d.span.file).name, d.span.line) for d in done.findings] == [("E-CASE", "foreign-direct.yaml", 8)] * 2
    assert any("did you mean 'value_nok'" in d.message + (d.help or "") for d in done.findings)


def test_a_version_file_alone_is_checked_with_its_base(tmp_path):
    bif = _copy(tmp_path)
    result = run("validate", str(bif / "versions" / "2001.1-50mnok.yaml"), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "checked 1 file(s): no problems" in result.stderr


def test_a_broken_policy_is_reported_once_for_all_its_tests(tmp_path):
    bif = _copy(tmp_path)
    policy = bif / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("value: 100 MNOK", "value: 100 MNOKK", 1), encoding="utf-8")
    done = check_files(collect([str(tmp_path / "policies")]))
    assert len(done.findings) >= 1
    assert all(Path(d.span.file).name == "policy.yaml" for d in done.findings)


@pytest.mark.parametrize(
    "typ_name, value, ok",
    [("bool", True, True), ("bool", "true", False), ("money", "100 MNOK", False), ("money", 5, True),
     ("share", "80 %", True), ("money", True, False), ("bool", None, True)],
)
def test_expected_value_types(typ_name, value, ok):
    from icpolicy.lang import types as T

    assert (expected_value_problem(T.DECLARED_TYPES[typ_name], value) is None) is ok
