"""Finding the tests and the policy each runs against: the shared part of `icpolicy
test`, `icpolicy mutate`, coverage and the pytest integration."""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import IcpolicyError
from ..discovery import resolve_policy
from ..policy.loader import POLICY_FILE
from .testfile import PolicyTest, discover, load_tests


def policy_dir_of(path: Path) -> Path | None:
    """The nearest directory at or above `path` holding a policy.yaml."""
    path = path.resolve()
    for folder in [path] + list(path.parents):
        if (folder / POLICY_FILE).is_file():
            return folder
    return None


def collect(paths, default_policy=None):
    """(tests, problems): every test of every test file under `paths`, each tagged
    with the policy it runs against (`test.policy_path`)."""
    tests: list[PolicyTest] = []
    problems = []
    try:
        # docs/policy-authors-guide.md, "Which policy is used"
        discovered = None if paths and default_policy else resolve_policy().path
    except IcpolicyError as exc:
        return [], exc.diagnostics
    for file in discover(paths or [discovered]):
        try:
            loaded = load_tests(file)
        except IcpolicyError as exc:
            problems += exc.diagnostics
            continue
        policy = default_policy or policy_dir_of(file.parent) or discovered
        for test in loaded:
            test.policy_path = str(policy)
        tests += loaded
    return tests, problems


class PolicyCache:
    """Each policy is loaded once per run; `loader` may build traced or mutated variants."""

    def __init__(self, loader=None):
        from .. import load_policy

        self._loader = loader or load_policy
        self._loaded: dict = {}

    def __call__(self, test) -> object:
        key = test.policy_path
        if key not in self._loaded:
            self._loaded[key] = self._loader(key)
        return self._loaded[key]
