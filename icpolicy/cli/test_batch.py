"""`icpolicy test --jobs N`: the tests run in worker processes, the outcomes come back in
the tests' order. Each policy is loaded here first, so a broken one stops the run
before any worker starts, and the workers inherit the loaded policies.

Coverage (--coverage, --min-coverage) reads every result in this process, so it runs
the tests here whatever --jobs says (the help says so).
"""

from __future__ import annotations

from ..engine.parallel import ordered_map
from ..testing.runner import TestOutcome, run_test
from .progress import NoProgress


def run_tests_on(policy_for, tests: list, jobs: int = 1, progress: NoProgress | None = None) -> list[TestOutcome]:
    progress = progress or NoProgress()
    if jobs <= 1:
        outcomes = []
        for test in tests:
            outcomes.append(run_test(policy_for(test), test))
            progress.tick()
        return outcomes
    for test in tests:
        policy_for(test)

    def one(index: int) -> tuple:
        outcome = run_test(policy_for(tests[index]), tests[index])
        return outcome.mismatches, outcome.error  # the result stays in the worker (not sent back)

    out = []
    for index, (mismatches, error) in enumerate(ordered_map(one, range(len(tests)), jobs)):
        out.append(TestOutcome(tests[index], mismatches, error))
        progress.tick()
    return out
