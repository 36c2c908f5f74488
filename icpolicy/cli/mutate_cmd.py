"""`icpolicy mutate`: mutation testing of a policy against its tests."""

from __future__ import annotations

import sys

import click

from ..discovery import announce
from ..testing.mutate import run_mutation
from ..testing.runner import run_tests
from ..testing.session import collect
from ..values import dumps
from .common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CliFailure, chosen_policy, failing_with


@click.command("mutate")
@click.argument("policy_dir", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--tests", "test_paths", multiple=True, type=click.Path(exists=True),
              help="Test files or directories (default: POLICY_DIR/tests).")
@click.option("--min-score", type=click.FloatRange(0, 100), default=None, metavar="N",
              help="Fail (exit 1) when the mutation score is below N %.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="No progress messages.")
def mutate_command(policy_dir, test_paths, min_score, fmt, quiet):
    """Mutate the policy in POLICY_DIR (default: the bundled BIF policy) one change
    at a time and run its tests against each mutant. Lists the mutants no test
    noticed, with the exact change and its file:line:col, and the mutation score.

    Exit status: 0 score at least --min-score (or no minimum), 1 below it, 2 usage error.
    """
    choice = chosen_policy(policy_dir)
    policy_dir = choice.path
    if fmt == "text":
        announce(choice)
    tests, problems = collect(list(test_paths) or [policy_dir / "tests"], policy_dir)
    if problems:
        raise CliFailure(EXIT_USAGE, diagnostics=problems)
    if not tests:
        raise CliFailure(EXIT_USAGE, "no tests found")

    def progress(i, n, mutant):
        if not quiet and sys.stderr.isatty():
            click.echo(f"\rmutant {i}/{n}", err=True, nl=False)

    with failing_with(EXIT_USAGE):
        result = run_mutation(policy_dir, tests, run_tests, progress)
    if not quiet and sys.stderr.isatty():
        click.echo("", err=True)
    if fmt == "json":
        click.echo(
            dumps(
                {
                    "score": round(result.score, 2),
                    "killed": len(result.killed),
                    "survived": [
                        {"where": str(m.where), "rule": m.rule, "kind": m.kind, "before": m.before, "after": m.after}
                        for m in result.survived
                    ],
                    "invalid": [{"where": str(m.where), "change": m.after, "reason": r} for m, r in result.invalid],
                },
                indent=2,
            )
        )
    else:
        for m in result.survived:
            click.echo(f"SURVIVED {m.describe()}")
        for m, reason in result.invalid:
            click.echo(f"skipped (not a valid policy) {m.describe()}: {reason}")
        total = len(result.killed) + len(result.survived)
        click.echo(f"mutation score {result.score:.1f} %: {len(result.killed)} of {total} mutants killed")
    below = min_score is not None and result.score < min_score
    return EXIT_FINDINGS if below else EXIT_OK
