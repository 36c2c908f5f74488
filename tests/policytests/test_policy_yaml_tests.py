"""The policies' own YAML tests run inside pytest too: one pytest test per YAML test."""

from pathlib import Path

import pytest

from icpolicy.testing.runner import run_test
from icpolicy.testing.session import PolicyCache, collect

ROOT = Path(__file__).resolve().parents[2]
TESTS, PROBLEMS = collect([ROOT / "policies"])
POLICIES = PolicyCache()


def test_the_test_files_are_well_formed():
    assert not PROBLEMS, [d.headline() for d in PROBLEMS]
    assert TESTS


@pytest.mark.parametrize("test", TESTS, ids=lambda t: f"{Path(t.file).parent.parent.name}/{Path(t.file).name}:{t.line}:{t.name}")
def test_policy_yaml(test):
    outcome = run_test(POLICIES(test), test)
    assert outcome.passed, "\n".join([f"{test.where}: {test.name}", outcome.error or ""] + [m.describe() for m in outcome.mismatches])
