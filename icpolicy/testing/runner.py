"""Running policy tests: each test's case is decided and compared with what it expects.

`run_tests(policy_for, tests)` returns one `TestOutcome` per test, in order; a
failure says which decision, what was expected, what was decided and which rules
fired, so the owner sees at once whether the case or the rule is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from ..cases.numbers import to_decimal
from ..diagnostics import IcpolicyError
from ..values import show
from .testfile import PolicyTest


@dataclass
class Mismatch:
    decision: str  # e.g. "ica_required" or "projects.P1.status"
    expected: object
    actual: object
    rules: tuple  # the rules that decided the actual value
    what: str = "value"  # value | rules | error

    computed: bool = False  # a computed decision: no rules, no default

    def describe(self) -> str:
        fired = ", ".join(self.rules) if self.rules else ("its formula" if self.computed else "no rule (the default)")
        if self.what == "rules":
            return f"{self.decision}: expected rules {list(self.expected)}, got {list(self.actual)}"  # type: ignore[call-overload]
        if self.what == "error":
            return f"expected error {self.expected}, got {self.actual}"
        return f"{self.decision}: expected {_shown(self.expected)}, got {_shown(self.actual)} (decided by {fired})"


@dataclass
class TestOutcome:
    test: PolicyTest
    mismatches: list = field(default_factory=list)
    error: str | None = None  # the test could not run (bad case, unknown decision)
    result: object = None  # the engine's Result, for coverage

    @property
    def passed(self) -> bool:
        return not self.mismatches and self.error is None


def _shown(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return show(value)
    return repr(value) if isinstance(value, str) else str(value)


def select(tests: list[PolicyTest], pattern: str | None) -> list[PolicyTest]:
    """Tests whose name (or provision) contains the pattern, case-insensitive; * and ? wildcards."""
    if not pattern:
        return tests
    rx = re.compile(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", "."), re.IGNORECASE)
    return [t for t in tests if rx.search(t.name) or (t.provision and rx.search(t.provision))]


def run_tests(policy_for: Callable, tests: list[PolicyTest]) -> list[TestOutcome]:
    """Run tests; `policy_for(test)` gives the compiled policy to decide each test with."""
    return [run_test(policy_for(test), test) for test in tests]


def run_test(policy, test: PolicyTest) -> TestOutcome:
    if test.load_error is not None:
        return TestOutcome(test, error=test.load_error.diagnostics[0].headline())
    try:
        if test.version is not None and hasattr(policy, "versions"):
            policy = policy.version(test.version)  # like --policy-version (E-VERSION if unknown)
        result = policy.evaluate(test.case, doc=test.doc)
    except IcpolicyError as exc:
        return _error_outcome(test, exc)
    if test.expect_error is not None:
        return TestOutcome(test, [Mismatch("", test.expect_error["code"], "no error", (), "error")], result=result)
    outcome = TestOutcome(test, result=result)
    decisions = result.decisions
    nodes = result.policy.model.nodes
    for name, want in test.expect.items():
        if name not in decisions:
            from ..diagnostics import suggest

            hint = suggest(name, list(decisions) + ["projects"])
            outcome.error = f"unknown decision '{name}'" + (f" ({hint})" if hint else "")
            return outcome
        _compare(outcome, name, want, decisions[name], nodes[name].value is not None)
    projects = {p.id: p for p in result.projects}
    for pid, wanted in test.expect_projects.items():
        project = projects.get(pid)
        if project is None:
            outcome.error = f"the case has no project '{pid}'"
            return outcome
        for name, want in wanted.items():
            if name not in project.decisions:
                from ..diagnostics import suggest

                hint = suggest(name, project.decisions)
                outcome.error = f"unknown project decision '{name}'" + (f" ({hint})" if hint else "")
                return outcome
            _compare(outcome, f"projects.{pid}.{name}", want, project.decisions[name], nodes[name].value is not None)
    return outcome


def _error_outcome(test: PolicyTest, exc: IcpolicyError) -> TestOutcome:
    expected = test.expect_error
    first = exc.diagnostics[0]
    if expected is None:
        return TestOutcome(test, error=first.headline())
    for d in exc.diagnostics:
        if d.code != expected["code"]:
            continue
        if "message" in expected and expected["message"] not in d.message:
            continue
        if "field" in expected and d.field != expected["field"]:
            continue
        return TestOutcome(test)
    got = f"{first.code}: {first.message}"
    return TestOutcome(test, [Mismatch("", _expected_error(expected), got, (), "error")])


def _expected_error(expected: dict) -> str:
    parts = [expected["code"]]
    if "field" in expected:
        parts.append(f"on {expected['field']}")
    if "message" in expected:
        parts.append(f"with {expected['message']!r}")
    return " ".join(parts)


def _compare(outcome: TestOutcome, name: str, want, decided, computed: bool = False) -> None:
    if isinstance(want, dict):
        if "value" in want and not matches(want["value"], decided.value):
            outcome.mismatches.append(Mismatch(name, want["value"], decided.value, decided.rules, computed=computed))
        if "rules" in want and list(want["rules"]) != list(decided.rules):
            outcome.mismatches.append(Mismatch(name, want["rules"], decided.rules, decided.rules, "rules"))
        return
    if not matches(want, decided.value):
        outcome.mismatches.append(Mismatch(name, want, decided.value, decided.rules, computed=computed))


def matches(expected, actual) -> bool:
    """Whether an expected value from a test file equals a decided value, exactly."""
    if isinstance(actual, bool) or isinstance(expected, bool):
        return type(expected) is bool and expected is actual
    if isinstance(actual, Decimal):
        number = to_decimal(expected, allow_percent=True)
        return number is not None and number == actual
    if isinstance(actual, dt.date):
        return str(expected) == actual.isoformat()
    return expected == actual
