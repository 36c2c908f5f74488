"""Helpers for the auditor-facing tests: a git repository holding a copy of the BIF policy."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.email=test@example.org", "-c", "user.name=test", *args],
        cwd=repo, capture_output=True, text=True, check=True,
    )
    return done.stdout


@pytest.fixture
def policy_repo(tmp_path):
    """A git repository with policies/bif committed once."""
    repo = tmp_path / "repo"
    (repo / "policies").mkdir(parents=True)
    shutil.copytree(ROOT / "policies" / "bif", repo / "policies" / "bif")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "initial")
    return repo
