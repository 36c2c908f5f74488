"""Finding the tests and the policy each runs against: the shared part of `icpolicy
test`, `icpolicy mutate`, coverage and the pytest integration."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, IcpolicyError
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


@dataclass
class Gathered:
    """The tests found, and the test files that could not be read (each with its
    problems): one bad file does not stop the others (issue 10, item 5)."""

    tests: list[PolicyTest] = field(default_factory=list)
    unreadable: dict[str, list[Diagnostic]] = field(default_factory=dict)  # file -> problems

    @property
    def problems(self) -> list[Diagnostic]:
        return [d for found in self.unreadable.values() for d in found]


def gather(paths, default_policy=None) -> Gathered:
    """Every test of every readable test file under `paths`, each tagged with the
    policy it runs against (`test.policy_path`); raise IcpolicyError only when no
    policy can be found for them."""
    # docs/policy-authors-guide.md, "Which policy is used"
    discovered = None if paths and default_policy else resolve_policy().path
    out = Gathered()
    for file in discover(paths or [discovered]):
        try:
            loaded = load_tests(file)
        except IcpolicyError as exc:
            out.unreadable[str(file)] = exc.diagnostics
            continue
        policy = default_policy or policy_dir_of(file.parent) or discovered
        for test in loaded:
            test.policy_path = str(policy)
        out.tests += loaded
    return out


def collect(paths, default_policy=None):
    """(tests, problems), for the commands that need every test to run at all
    (mutation testing, boundaries): any problem stops them."""
    try:
        found = gather(paths, default_policy)
    except IcpolicyError as exc:
        return [], exc.diagnostics
    return found.tests, found.problems


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
