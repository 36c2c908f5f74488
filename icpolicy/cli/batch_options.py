"""The options every batch command shares: --jobs and --quiet."""

from __future__ import annotations

import click

from ..engine.parallel import resolve_jobs


def _jobs(ctx, param, value) -> int:
    try:
        return resolve_jobs(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


CASES_HELP = ("Decide the cases in N worker processes (auto: one per usable core); the output is "
              "the same, in input order.")
TESTS_HELP = ("Run the tests in N worker processes (auto: one per usable core); the report is the "
              "same. With --coverage or --min-coverage the tests run in one process.")


def jobs_option(func=None, *, help: str = CASES_HELP):  # noqa: A002 - click's own word
    """`@jobs_option` (cases) or `@jobs_option(help=TESTS_HELP)`."""
    def decorate(f):
        return click.option("--jobs", "-j", "jobs", default="1", show_default=True, metavar="N|auto",
                            callback=_jobs, help=help)(f)

    return decorate(func) if func is not None else decorate


def quiet_option(func):
    return click.option("--quiet", "-q", is_flag=True,
                        help="No progress line (it is shown only when stderr is a terminal).")(func)
