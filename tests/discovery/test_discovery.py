"""Policy discovery: --policy, then a project setting, then a policies/<id>/ found upward,
then the bundled policy; each step with the directories it really looks at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from icpolicy.diagnostics import IcpolicyError
from icpolicy.discovery import PolicyChoice, find_policy_dir, resolve_policy, schema_warnings
from icpolicy.resources import default_policy_path, schema_path

REPO = Path(__file__).resolve().parents[2]


def _policy(folder: Path, name: str = "bif") -> Path:
    target = folder / "policies" / name
    target.mkdir(parents=True)
    (target / "policy.yaml").write_text("id: x\n", encoding="utf-8")
    return target.resolve()


def test_explicit_path_wins_over_everything(tmp_path):
    _policy(tmp_path)
    (tmp_path / "icpolicy.toml").write_text('policy = "policies/bif"\n', encoding="utf-8")
    other = tmp_path / "elsewhere"
    other.mkdir()
    choice = resolve_policy(str(other), start=tmp_path)
    assert choice == PolicyChoice(other, "option")


def test_icpolicy_toml_found_upward_names_the_directory(tmp_path):
    named = _policy(tmp_path / "rules", "mine")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (tmp_path / "icpolicy.toml").write_text('policy = "rules/policies/mine"\n', encoding="utf-8")
    choice = resolve_policy(start=deep)
    assert (choice.path, choice.origin, choice.setting) == (named, "setting", (tmp_path / "icpolicy.toml").resolve())
    assert str(tmp_path / "icpolicy.toml") in choice.label()


def test_pyproject_tool_table_is_a_setting_and_beats_a_policies_dir(tmp_path):
    _policy(tmp_path, "bif")
    named = _policy(tmp_path / "vendor", "bif")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.icpolicy]\npolicy = "vendor/policies/bif"\n', encoding="utf-8"
    )
    assert resolve_policy(start=tmp_path).path == named


def test_pyproject_without_the_table_is_passed_over(tmp_path):
    found = _policy(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.ruff]\nline-length = 100\n', encoding="utf-8")
    choice = resolve_policy(start=tmp_path)
    assert (choice.path, choice.origin) == (found, "found")


def test_icpolicy_toml_beats_pyproject_in_the_same_directory(tmp_path):
    a, b = _policy(tmp_path, "a"), _policy(tmp_path / "x", "b")
    (tmp_path / "icpolicy.toml").write_text('policy = "policies/a"\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.icpolicy]\npolicy = "x/policies/b"\n', encoding="utf-8")
    assert resolve_policy(start=tmp_path).path == a != b


def test_a_setting_naming_no_policy_is_an_error_at_its_line(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.icpolicy]\n  policy = "nope"\n', encoding="utf-8")
    with pytest.raises(IcpolicyError) as info:
        resolve_policy(start=tmp_path)
    [d] = info.value.diagnostics
    assert d.code == "E-CONFIG" and "'nope' names no policy" in d.message
    assert (d.span.line, d.span.col) == (4, 3)


def test_a_setting_that_is_not_a_string_or_not_toml(tmp_path):
    (tmp_path / "icpolicy.toml").write_text("policy = 3\n", encoding="utf-8")
    with pytest.raises(IcpolicyError, match="path of a policy directory"):
        resolve_policy(start=tmp_path)
    (tmp_path / "icpolicy.toml").write_text("policy = \n", encoding="utf-8")
    with pytest.raises(IcpolicyError) as info:
        resolve_policy(start=tmp_path)
    assert info.value.diagnostics[0].code == "E-CONFIG" and "not valid TOML" in info.value.diagnostics[0].message


def test_policies_dir_found_upward_and_from_inside_the_policy(tmp_path):
    found = _policy(tmp_path)
    (found / "tests").mkdir()
    deep = tmp_path / "docs" / "x"
    deep.mkdir(parents=True)
    assert find_policy_dir(deep) == found
    assert find_policy_dir(found / "tests") == found
    assert resolve_policy(start=found / "tests").origin == "found"


def test_nearest_policies_dir_wins(tmp_path):
    _policy(tmp_path, "outer")
    inner = _policy(tmp_path / "sub", "inner")
    assert find_policy_dir(tmp_path / "sub") == inner


def test_several_policies_are_an_error_naming_them(tmp_path):
    _policy(tmp_path, "a")
    _policy(tmp_path, "b")
    with pytest.raises(IcpolicyError) as info:
        resolve_policy(start=tmp_path)
    [d] = info.value.diagnostics
    assert d.code == "E-CONFIG" and "several policies (a, b)" in d.message and "--policy" in d.help


def test_a_policies_dir_without_policy_files_is_not_a_policy(tmp_path):
    (tmp_path / "policies" / "empty").mkdir(parents=True)
    if find_policy_dir(tmp_path) is None:  # nothing above tmp_path holds a policy either
        choice = resolve_policy(start=tmp_path)
        assert choice == PolicyChoice(default_policy_path().resolve(), "bundled")
        assert choice.label().startswith("bundled with icpolicy ")


def test_describe_names_path_versions_and_origin():
    from icpolicy import load_policy

    policy = load_policy(REPO / "policies" / "bif")
    line = PolicyChoice(REPO / "policies" / "bif", "found").describe(policy.versions)
    assert line == f"policy: {REPO / 'policies' / 'bif'} (bif 2026.1, 2001.1; local checkout)"


def _checkout(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    shutil.copytree(REPO / "policies", root / "policies")
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


def test_schema_warnings_only_when_the_checkout_schemas_differ(tmp_path):
    root = _checkout(tmp_path)
    choice = PolicyChoice(root / "policies" / "bif", "found")
    assert schema_warnings(choice) == []
    case_schema = root / "schemas" / "case.schema.json"
    case_schema.write_text(case_schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    [warning] = schema_warnings(choice)
    assert str(case_schema) in warning and str(schema_path("case.schema.json")) in warning
    assert "the program's schema is used" in warning
    assert schema_warnings(PolicyChoice(default_policy_path(), "bundled")) == []


def test_copies_beside_the_policy_named_by_its_id_do_not_hide_it(tmp_path):
    for name in ("bif", "bif-50", "bif-typo"):
        folder = tmp_path / "policies" / name
        folder.mkdir(parents=True)
        (folder / "policy.yaml").write_text('# a copy\nid: bif\nversion: "1"\n', encoding="utf-8")
    assert resolve_policy(start=tmp_path).path == (tmp_path / "policies" / "bif").resolve()
    (tmp_path / "policies" / "bif" / "policy.yaml").write_text('id: other\nversion: "1"\n', encoding="utf-8")
    with pytest.raises(IcpolicyError, match="several policies"):
        resolve_policy(start=tmp_path)


def test_validate_of_named_paths_needs_discovery_only_for_cases(tmp_path):
    import os

    from click.testing import CliRunner

    from icpolicy.cli.main import cli

    for name in ("a", "b"):
        shutil.copytree(REPO / "policies" / "bif", tmp_path / "policies" / name)
    shutil.copytree(REPO / "examples", tmp_path / "examples")  # the policy's tests read them
    case = tmp_path / "case.yaml"
    case.write_text((REPO / "examples" / "cases" / "09-exactly-100-mnok.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        ok = CliRunner().invoke(cli, ["validate", "policies/a"])
        needs = CliRunner().invoke(cli, ["validate", "policies/a", str(case)])
    finally:
        os.chdir(here)
    assert ok.exit_code == 0, ok.output
    assert needs.exit_code == 1 and needs.stderr.count("several policies (a, b)") == 1
