"""Shared test setup: the tests folder is importable (reference_impl, strategies_cases)."""

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))


@pytest.fixture(scope="session")
def bif():
    import icpolicy

    return icpolicy.load_policy()
