"""The options every batch command shares: --jobs and --quiet."""

from __future__ import annotations

import click

from ..engine.parallel import resolve_jobs


def _jobs(ctx, param, value) -> int:
    try:
        return resolve_jobs(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def jobs_option(func):
    return click.option(
        "--jobs", "-j", "jobs", default="1", show_default=True, metavar="N|auto", callback=_jobs,
        help="Decide the cases in N worker processes (auto: one per core); the output is the same, "
        "in input order.",
    )(func)


def quiet_option(func):
    return click.option("--quiet", "-q", is_flag=True,
                        help="No progress line (it is shown only when stderr is a terminal).")(func)
