"""What editors and CI read: schema ids, the modelines in every YAML file, the
pre-commit hooks other repositories use."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import jsonschema
import pytest
import yaml

from icpolicy.cli.main import cli
from icpolicy.filekinds import classify

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = sorted((REPO / "schemas").glob("*.schema.json"))
YAML_FILES = sorted((REPO / "policies").rglob("*.yaml")) + sorted((REPO / "examples" / "cases").glob("*.yaml"))
SCHEMA_OF_KIND = {"policy": "policy", "tests": "test", "base": "case", "case": "case"}


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda p: p.name)
def test_each_schema_has_a_stable_urn_id_and_is_a_valid_schema(schema):
    data = json.loads(schema.read_text(encoding="utf-8"))
    name = schema.name.removesuffix(".schema.json")
    assert data["$id"] == f"urn:icpolicy:schema:{name}:1"
    jsonschema.Draft202012Validator.check_schema(data)


def test_refs_resolve_under_the_urn_id():
    schema = json.loads((REPO / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    case = yaml.safe_load((REPO / "examples" / "cases" / "01-us-frigate-direct.yaml").read_text(encoding="utf-8"))
    case["date"] = str(case["date"])
    assert list(validator.iter_errors(case)) == []
    case["date"] = "2026-13-45x"
    assert list(validator.iter_errors(case))  # through "$ref": "#/$defs/date"


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_each_yaml_file_names_the_schema_of_its_kind_for_both_editor_families(path):
    head = path.read_text(encoding="utf-8").splitlines()[:2]
    vscode = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", head[0])
    jetbrains = re.fullmatch(r"# \$schema: (\S+)", head[1])
    assert vscode and jetbrains and vscode.group(1) == jetbrains.group(1)
    target = (path.parent / vscode.group(1)).resolve()
    assert target.is_file()
    assert target.name == f"{SCHEMA_OF_KIND[classify(path).kind]}.schema.json"


def test_the_pre_commit_hooks_run_icpolicy_commands():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["icpolicy-validate", "icpolicy-test", "icpolicy-mutation-score"]
    for hook in hooks:
        program, command, *_ = hook["entry"].split()
        assert program == "icpolicy" and command in cli.list_commands(click.Context(cli))
        assert hook["language"] == "python" and hook["pass_filenames"] is False
    score = hooks[2]
    assert score["args"][0] == "--min-score" and "--min-score" in [p.opts[0] for p in cli.get_command(click.Context(cli), "mutate").params]
