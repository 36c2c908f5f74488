"""`icpolicy eval`: decide case documents under a policy."""

from __future__ import annotations

import sys

import click

from ..cases.inputs import iter_case_documents
from ..diagnostics import Diagnostic, IcpolicyError
from ..engine.format import dumps
from ..engine.versioned import parse_day
from .common import EXIT_FINDINGS, EXIT_OK, load_policy_or_exit, policy_option, report
from .render_text import render_result


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
    help="Evaluate only this decision (and what it depends on). Repeatable.",
)
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="Decide as on this date (YYYY-MM-DD) instead of each case's date; picks the version in force.")
@click.option("--policy-version", "policy_version", default=None, metavar="V",
              help="Decide under this version of the policy, whatever the dates.")
@click.option("--record", "record_to", default=None, metavar="DIR|FILE.jsonl",
              help="Also write a reproducible decision record per case (see `icpolicy replay`).")
@click.option("--no-explain", is_flag=True, help="Leave explanations out (faster for big batches).")
@click.option("--quiet", "-q", is_flag=True, help="No progress messages.")
@click.option("--partial", is_flag=True,
              help="Facts may be unknown (written `unknown`, or left out): decide what can be decided, "
              "and list the questions that would decide the rest (docs/missing-facts.md).")
@click.option("--why-not", "why_not", is_flag=True,
              help="For each decided value resting on a threshold or share: what would change it, and how far the case is.")
def eval_command(cases, policy_path, fmt, decisions, as_of, policy_version, record_to, no_explain, quiet, partial=False, why_not=False):
    """Decide CASES: YAML or JSON files, directories of them, .jsonl files
    (one case per line) or - for standard input.

    Exit status: 0 when every case was decided, 1 when a case or the policy
    has a problem (each is reported on stderr with file:line:col; the other
    cases are still decided), 2 for a usage error.
    """
    for path in cases:
        if path != "-" and not _exists(path):
            raise click.BadParameter(f"no such file or directory: {path}", param_hint="CASES")
    policy = load_policy_or_exit(policy_path)
    wanted = list(decisions) or None
    try:
        if as_of is not None:
            parse_day(as_of, "--as-of")
        for version in policy.versions if policy_version is None else [policy.version(policy_version)]:
            if wanted:
                version.plan(wanted)
    except IcpolicyError as exc:
        report(exc.diagnostics)
        sys.exit(2)
    explain = not no_explain
    if partial or why_not:
        from ..partial.command import eval_partial

        sys.exit(eval_partial(policy, cases, fmt, wanted, as_of, policy_version, partial, why_not, explain, report))
    out = sys.stdout
    writer = None
    if record_to:
        from ..engine.records import RecordWriter

        try:
            writer = RecordWriter(record_to)
        except OSError as exc:
            raise click.BadParameter(f"cannot write records to {record_to}: {exc.strerror or exc}", param_hint="--record") from None
    failures = 0
    decided = 0
    json_items = []
    progress = not quiet and sys.stderr.isatty()
    for item in iter_case_documents(cases):
        result, error = _decide(policy, item, wanted, as_of, policy_version)
        if error is not None:
            failures += 1
            report(error.diagnostics)
            if fmt == "jsonl":
                out.write(dumps(_error_object(item, error)) + "\n")
            elif fmt == "json":
                json_items.append(_error_object(item, error))
            continue
        decided += 1
        if writer is not None:
            from ..engine.records import make_record

            writer.write(make_record(result, item.doc.data, item.name, as_of, policy_version, wanted))
        if fmt == "text":
            if decided > 1:
                out.write("\n")
            out.write(render_result(result, explain) + "\n")
        elif fmt == "jsonl":
            out.write(dumps(result.to_dict(explain)) + "\n")
        else:
            json_items.append(result.to_dict(explain))
        if progress and decided % 1000 == 0:
            click.echo(f"decided {decided} cases ...", err=True)
    if writer is not None:
        writer.close()
    if fmt == "json":
        payload = json_items[0] if len(json_items) == 1 else json_items
        out.write(dumps(payload, indent=2) + "\n")
    if failures:
        click.echo(f"{failures} case(s) could not be decided; {decided} decided.", err=True)
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


def _exists(path: str) -> bool:
    from pathlib import Path

    return Path(path).exists()


def _decide(policy, item, wanted, as_of=None, version=None):
    if item.error is not None:
        return None, item.error
    try:
        if wanted:
            # Only what the asked decisions read is needed to decide them, but a case
            # officer is told about every problem in the document all the same.
            prepared = policy.prepare(item.doc.data, item.doc)
            return policy.evaluate(prepared, decisions=wanted, as_of=as_of, version=version), None
        return policy.evaluate(item.doc.data, decisions=wanted, doc=item.doc, as_of=as_of, version=version), None
    except IcpolicyError as exc:
        return None, exc
    except RecursionError:
        return None, IcpolicyError(Diagnostic("E-CASE", f"{item.name}: the document is nested too deeply"))


def _error_object(item, error: IcpolicyError) -> dict:
    case_id = None
    if item.doc is not None and isinstance(item.doc.data, dict):
        value = item.doc.data.get("id")
        case_id = value if isinstance(value, str) else None
    return {"case": case_id, "input": item.name, "errors": [d.to_dict() for d in error.diagnostics]}
