"""`icpolicy test`: run a policy's YAML tests, with coverage by legal provision."""

from __future__ import annotations

import json
import sys

import click

from ..diagnostics import SourceTexts
from ..i18n import language_option
from ..resources import default_policy_path
from ..testing.junit import write_junit
from ..testing.runner import run_tests, select
from ..testing.session import PolicyCache, gather
from ..values import dumps
from .ci_report import Finding, github_annotations, sarif_text
from .common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CliFailure, failing_with, report


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--policy", "policy_path", type=click.Path(exists=True), default=None,
              help="Run every test against this policy (default: the policy.yaml above each test file).")
@click.option("-k", "pattern", default=None, metavar="PATTERN",
              help="Only tests whose name or provision contains PATTERN (* and ? are wildcards).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True,
              help="text: failures and a count; json: every outcome; sarif: SARIF 2.1.0 for code "
              "scanning; github: workflow annotations on the failing tests' lines.")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also write JUnit XML here, for CI.")
@click.option("--coverage", is_flag=True, help="Report coverage by rule (provision), condition and outcome.")
@click.option("--min-coverage", type=click.FloatRange(0, 100), default=None, metavar="N",
              help="Fail (exit 1) when total coverage is below N %.")
@language_option  # the language of the case and YAML errors a test file's case gives
def test_command(paths, policy_path, pattern, fmt, junit_path, coverage, min_coverage, lang):
    """Run the YAML tests under PATHS (files or directories; default: the bundled
    policy's tests). Each failure names the test's file:line, the decision,
    expected and decided values, and the rules that fired.

    A test file that cannot be read is reported (file:line, in plain words) and
    the other files still run.

    Exit status: 0 all passed, 1 failures (or a test file that cannot be read,
    or coverage below --min-coverage), 2 usage error (no tests found, a broken
    policy, a --junit file that cannot be written).
    """
    with failing_with(EXIT_USAGE):
        found = gather(paths, policy_path)
    unreadable = found.problems
    tests = select(found.tests, pattern)
    if not tests and not unreadable:
        where = ", ".join(paths) if paths else str(default_policy_path())
        raise CliFailure(EXIT_USAGE, "no tests found" + (f" matching {pattern!r}" if pattern else "") + f" in {where}")
    if junit_path:
        _check_writable(junit_path)
    cover = None
    if coverage or min_coverage is not None:
        from ..testing.coverage import CoverageRecorder

        cover = CoverageRecorder()
        policies = PolicyCache(cover.load_traced)
    else:
        policies = PolicyCache()
    with failing_with(EXIT_USAGE):
        outcomes = run_tests(policies, tests)
    if fmt == "text":
        _announce_policies(tests, policy_path, policies)
        report(unreadable, "text", sys.stderr, SourceTexts())
    if junit_path:
        _write_junit(outcomes, junit_path, found.unreadable)
    summary = cover.summary(outcomes) if cover and outcomes else None
    _print_outcomes(fmt, outcomes, summary, found.unreadable)
    failed = sum(1 for o in outcomes if not o.passed)
    below = summary is not None and min_coverage is not None and summary.total < min_coverage
    if below and summary is not None:
        click.echo(f"coverage {summary.total:.1f} % is below the minimum {min_coverage:g} %", err=True)
    return EXIT_FINDINGS if failed or below or unreadable else EXIT_OK


def _check_writable(path: str) -> None:
    """Before the run, so a wrong --junit path costs nothing (the file is written at the end)."""
    try:
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise CliFailure(EXIT_USAGE, f"--junit: cannot write {path}: {exc.strerror or exc}") from None


def _write_junit(outcomes, path: str, unreadable: dict) -> None:
    try:
        write_junit(outcomes, path, unreadable=unreadable)
    except OSError as exc:
        raise CliFailure(EXIT_USAGE, f"--junit: cannot write {path}: {exc.strerror or exc}") from None


def _print_outcomes(fmt: str, outcomes, summary, unreadable: dict) -> None:
    """The outcomes, and the test files that could not be read (`unreadable`: file ->
    its problems; in text they are already on stderr, with the line and a caret)."""
    passed = sum(1 for o in outcomes if o.passed)
    failed = len(outcomes) - passed
    count = f"{passed} passed, {failed} failed" + _not_run(unreadable)
    if fmt == "json":
        payload = {"passed": passed, "failed": failed, "tests": [_outcome_json(o) for o in outcomes],
                   "unreadable_files": [{"file": file, "problems": [d.to_dict() for d in found]}
                                        for file, found in unreadable.items()]}
        if summary is not None:
            payload["coverage"] = summary.to_dict()
        click.echo(dumps(payload, indent=2))
        return
    if fmt in ("sarif", "github"):
        findings = [Finding.of(d) for found in unreadable.values() for d in found]
        findings += [_finding(o) for o in outcomes if not o.passed]
        click.echo(sarif_text(findings) if fmt == "sarif" else github_annotations(findings), nl=fmt == "sarif")
        click.echo(count, err=True)
        return
    for o in outcomes:
        if o.passed:
            continue
        click.echo(f"FAIL {o.test.where}: {o.test.name}")
        if o.error:
            click.echo(f"     error: {o.error}")
        for m in o.mismatches:
            click.echo(f"     {m.describe()}")
    if summary is not None:
        click.echo(summary.render())
    click.echo(count)


def _not_run(unreadable: dict) -> str:
    if not unreadable:
        return ""
    n = len(unreadable)
    return f"; {n} test file{'s' if n > 1 else ''} could not be read, {'their' if n > 1 else 'its'} tests not run"


def _finding(outcome) -> Finding:
    lines = [f"test failed: {outcome.test.name}"]
    if outcome.error:
        lines.append(f"error: {outcome.error}")
    lines += [m.describe() for m in outcome.mismatches]
    rule = "test-error" if outcome.error else "test-failure"
    return Finding(rule, "\n".join(lines), "error", outcome.test.file, outcome.test.line)


def _outcome_json(o) -> dict:
    return {
        "name": o.test.name,
        "file": o.test.file,
        "line": o.test.line,
        "passed": o.passed,
        "error": o.error,
        "mismatches": [
            {"decision": m.decision, "kind": m.what, "expected": _plain(m.expected), "actual": _plain(m.actual), "rules": list(m.rules)}
            for m in o.mismatches
        ],
    }


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, str, int)) or value is None:
        return value
    from decimal import Decimal

    if isinstance(value, Decimal):
        return value
    return json.loads(json.dumps(str(value)))


def _announce_policies(tests, policy_path, policies) -> None:
    """Say which policy (or policies) the tests ran against, on stderr."""
    from ..discovery import announce, choice_for

    for path, test in {t.policy_path: t for t in tests if t.policy_path is not None}.items():
        announce(choice_for(path, policy_path), getattr(policies(test), "versions", None))
