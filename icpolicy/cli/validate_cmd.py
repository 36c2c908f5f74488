"""`icpolicy validate`: check policies and case documents, reporting every problem."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..diagnostics import Diagnostic, SourceTexts
from .ci_report import Finding, github_annotations, sarif_text
from .common import EXIT_FINDINGS, EXIT_OK, chosen_policy, failing_with, no_case_documents, report


@click.command("validate")
@click.argument("paths", nargs=-1)
@click.option("--policy", "policy_path", type=click.Path(exists=True), default=None,
              help="Policy to check case documents against (default: the policy each file is in, else the discovered one).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True,
              help="text: like a compiler, with the line and a caret; json: one object per finding; "
              "sarif: SARIF 2.1.0 for code scanning; github: workflow annotations.")
def validate_command(paths, policy_path, fmt):
    """Check policies (schema, syntax, types, names, cycles, conflicts) and case
    documents (the case schema), each file by its kind: policy, versions, tests,
    boundary bases, cases. PATHS are files or directories. Without PATHS, checks
    the policy in use (see docs/policy-authors-guide.md, "Which policy is used").

    Exit status: 0 clean, 1 findings, 2 usage error.
    """
    for raw in paths:
        if raw != "-" and not Path(raw).exists():
            raise click.BadParameter(f"no such file or directory: {raw}", param_hint="PATHS")
    from ..discovery import announce
    from ..filecheck import check_files
    from ..filekinds import collect

    choice, unknown = _discovered(policy_path, paths)
    with failing_with(EXIT_FINDINGS):
        done = check_files(collect(paths or [str(choice.path)]), policy_path, choice.path if choice else None, unknown)
    findings = done.findings
    if paths and done.checked == 0 and not findings:
        findings = [no_case_documents(paths)]
    if fmt == "text" and choice is not None and done.policies.get(str(choice.path)) is not None:
        announce(choice, done.policies[str(choice.path)].versions)
    _print_findings(findings, fmt)
    if fmt != "json":
        verdict = "no problems" if not findings else f"{len(findings)} problem(s)"
        skipped = f" ({done.skipped} other file(s) skipped)" if done.skipped else ""
        click.echo(f"checked {done.checked} file(s){skipped}: {verdict}", err=True)
    return EXIT_FINDINGS if findings else EXIT_OK


def _discovered(policy_path, paths):
    """(the policy in use, None), or with PATHS given (None, why discovery failed): only
    a file that needs that policy reports it."""
    from ..diagnostics import IcpolicyError
    from ..discovery import resolve_policy

    if not paths:
        return chosen_policy(policy_path), None
    try:
        return resolve_policy(policy_path), None
    except IcpolicyError as exc:
        return None, exc


def _print_findings(findings: list[Diagnostic], fmt: str) -> None:
    if fmt == "sarif":
        click.echo(sarif_text([Finding.of(d) for d in findings]))
    elif fmt == "github":
        click.echo(github_annotations([Finding.of(d) for d in findings]), nl=False)
    else:
        report(findings, fmt, sys.stdout if fmt == "json" else sys.stderr, SourceTexts())
