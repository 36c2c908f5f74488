"""Shared test setup: the tests folder is importable (reference_impl, strategies_cases)."""

import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))


@pytest.fixture(scope="session", autouse=True)
def _policy_cache_of_the_run(tmp_path_factory):
    """Commands run by the tests (in process or as subprocesses) keep their policy cache
    in a directory of this run, never in the user's."""
    os.environ["ICPOLICY_CACHE_DIR"] = str(tmp_path_factory.mktemp("icpolicy-cache"))
    os.environ.pop("ICPOLICY_NO_CACHE", None)


@pytest.fixture(scope="session")
def bif():
    import icpolicy

    return icpolicy.load_policy()
