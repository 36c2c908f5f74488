"""Issue 10, item 3: one diagnostic per mistake, measured through the real `validate`.

Each mistake of single_mistakes.py is applied to a copy of policies/bif (with the
example cases its tests read); `icpolicy validate` must give exactly its pinned codes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from single_mistakes import MISTAKES, Mistake

from icpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]


def _copy_of_bif(tmp_path: Path) -> Path:
    policy_dir = tmp_path / "policies" / "bif"
    shutil.copytree(ROOT / "policies" / "bif", policy_dir)
    shutil.copytree(ROOT / "examples" / "cases", tmp_path / "examples" / "cases")  # read by tests/examples.yaml
    return policy_dir


def _validate(policy_dir: Path) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(policy_dir)])
    found = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, found


def test_the_unedited_copy_is_clean(tmp_path):
    assert _validate(_copy_of_bif(tmp_path)) == (0, [])


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_single_mistake_gives_its_pinned_diagnostics(tmp_path, mistake: Mistake):
    policy_dir = _copy_of_bif(tmp_path)
    edited = policy_dir / mistake.file
    before = edited.read_text(encoding="utf-8") if edited.exists() else ""
    mistake.apply(policy_dir)
    status, found = _validate(policy_dir)
    assert [f["code"] for f in found] == list(mistake.codes), found
    assert status == 1
    first = found[0]  # where the mistake was made: its file, on a line of the edit
    assert first["file"] == str(policy_dir / mistake.file), first
    assert first["line"] in mistake.lines(before, edited.read_text(encoding="utf-8")), first


def test_the_corpus_is_not_trivially_small():
    assert len(MISTAKES) >= 30
    assert all(len(m.codes) == 1 or m.why for m in MISTAKES), "say why a mistake gives more than one diagnostic"
