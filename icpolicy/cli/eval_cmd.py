"""`icpolicy eval`: decide case documents under a policy."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..engine.records import RecordWriter
from ..engine.versioned import parse_day
from ..i18n import language_option, message
from .batch_options import jobs_option, quiet_option
from .common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    CliFailure,
    failing_with,
    load_policy_or_fail,
    no_case_documents,
    policy_option,
    report,
)
from .completion import complete_decision, complete_version
from .eval_batch import EvalBatch, Options, count_cases
from .eval_output import EXPLAIN_MODES, explain_mode_of, make_output
from .progress import progress_for


@click.command("eval")
@click.argument("cases", nargs=-1, required=True)
@policy_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="text: readable, with rules and sources; json: one object (an array for several "
    "cases); jsonl: one object per line, in input order.",
)
@click.option(
    "--decision",
    "decisions",
    multiple=True,
    metavar="NAME",
    shell_complete=complete_decision,
    help="Evaluate only this decision (and what it depends on). Repeatable.",
)
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="Decide as on this date (YYYY-MM-DD) instead of each case's date; picks the version in force.")
@click.option("--policy-version", "policy_version", default=None, metavar="V", shell_complete=complete_version,
              help="Decide under this version of the policy, whatever the dates.")
@click.option("--record", "record_to", default=None, metavar="DIR|FILE.jsonl",
              help="Also write a reproducible decision record per case (see `icpolicy replay`).")
@click.option("--no-explain", is_flag=True, help="Leave explanations out (faster for big batches).")
@click.option("--explain", "explain_mode", type=click.Choice(EXPLAIN_MODES), default=None,
              help="full (default): each explanation with its source; refs (jsonl): sources cited by id, "
              "each written once in a sources record; none: as --no-explain.")
@quiet_option
@jobs_option
@click.option("--verbose", "-v", is_flag=True,
              help="Text: every decision with its explanation and source in full, instead of the "
              "note (summary, tables, sources once).")
@language_option
@click.option("--partial", is_flag=True,
              help="Facts may be unknown (written `unknown`, or left out): decide what can be decided, "
              "and list the questions that would decide the rest (docs/missing-facts.md).")
@click.option("--why-not", "why_not", is_flag=True,
              help="For each decided value resting on a threshold or share: what would change it, and how far the case is.")
def eval_command(cases, policy_path, fmt, decisions, as_of, policy_version, record_to, no_explain, quiet,
                 jobs, verbose, lang, partial=False, why_not=False, explain_mode=None):
    """Decide CASES: YAML or JSON files, directories of them, .jsonl files
    (one case per line) or - for standard input.

    Exit status: 0 when every case was decided, 1 when a case or the policy
    has a problem (each is reported on stderr with file:line:col; the other
    cases are still decided), 2 for a usage error.
    """
    for path in cases:
        if path != "-" and not Path(path).exists():
            raise click.BadParameter(f"no such file or directory: {path}", param_hint="CASES")
    policy = load_policy_or_fail(policy_path, fmt)
    wanted = list(decisions) or None
    _check_options(policy, wanted, as_of, policy_version)
    mode = explain_mode_of(fmt, explain_mode, no_explain, partial or why_not)
    no_explain = mode == "none"
    if partial or why_not:
        from ..partial.command import eval_partial

        if record_to:  # a partial answer is not a decision to record; never drop the option silently
            raise click.UsageError("--record records decisions; it cannot be combined with --partial or --why-not")

        return eval_partial(policy, cases, fmt, wanted, as_of, policy_version, partial, why_not, not no_explain, report, lang)
    output = make_output(fmt, sys.stdout, mode, lang, verbose or bool(wanted), policy)
    writer = _open_records(record_to)
    progress = progress_for(quiet, lambda: count_cases(cases), lang)
    try:  # cases decided on `jobs` worker processes, written here in input order (cli/eval_batch.py)
        tally = EvalBatch(policy, Options(wanted, as_of, policy_version), output, writer, progress).run(cases, jobs)
    finally:
        progress.close()
        output.close()
        if writer is not None:
            writer.close()
    if tally.decided + tally.failures == 0:
        raise CliFailure(EXIT_FINDINGS, diagnostics=[no_case_documents(cases)])
    if tally.failures:
        summary = message("cases_not_decided", lang, failures=tally.failures, decided=tally.decided)
        raise CliFailure(EXIT_FINDINGS, summary)
    return EXIT_OK


def _check_options(policy, wanted, as_of, policy_version) -> None:
    """A bad --as-of, --policy-version or --decision is a usage error, before any case."""
    with failing_with(EXIT_USAGE):
        if as_of is not None:
            parse_day(as_of, "--as-of")
        for version in policy.versions if policy_version is None else [policy.version(policy_version)]:
            if wanted:
                version.plan(wanted)


def _open_records(record_to: str | None) -> RecordWriter | None:
    if not record_to:
        return None
    try:
        return RecordWriter(record_to)
    except OSError as exc:
        raise click.BadParameter(f"cannot write records to {record_to}: {exc.strerror or exc}", param_hint="--record") from None
