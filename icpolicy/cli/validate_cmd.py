"""`icpolicy validate`: check policies and case documents, reporting every problem."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cases.inputs import iter_case_documents, no_cases, walk_directory
from ..diagnostics import Diagnostic, IcpolicyError, SourceTexts
from ..policy.loader import POLICY_FILE
from ..resources import default_policy_path
from ..yamlsource import read_file
from .common import EXIT_FINDINGS, EXIT_OK, report


@click.command("validate")
@click.argument("paths", nargs=-1)
@click.option("--policy", "policy_path", type=click.Path(exists=True), default=None,
              help="Policy to check case documents against (default: the bundled BIF policy).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: like a compiler, with the line and a caret; json: one object per finding.")
def validate_command(paths, policy_path, fmt):
    """Check policies (schema, syntax, types, names, cycles, conflicts) and case
    documents (the case schema). PATHS are files or directories; a directory
    holding policy.yaml is a policy. Without PATHS, checks the bundled policy.

    Exit status: 0 clean, 1 findings, 2 usage error.
    """
    for raw in paths:
        if raw != "-" and not Path(raw).exists():
            raise click.BadParameter(f"no such file or directory: {raw}", param_hint="PATHS")
    policies, cases = _classify(paths or [str(default_policy_path())])
    findings: list[Diagnostic] = []
    checked = 0
    from .. import load_policy

    for path in policies:
        from ..policy.versions import version_files

        checked += len(version_files(path))
        try:
            load_policy(path)
        except IcpolicyError as exc:
            findings += exc.diagnostics
    if cases:
        try:
            policy = load_policy(policy_path)
        except IcpolicyError as exc:
            findings += exc.diagnostics
            policy = None
        for item in iter_case_documents(cases):
            checked += 1
            if item.error is not None:
                findings += item.error.diagnostics
            elif policy is not None and item.doc is not None:
                try:
                    policy.normalize(item.doc.data, item.doc)
                    # A case must also fall in the period of some version of the policy.
                    policy.evaluate(item.doc.data, decisions=[policy.output_names[0]], doc=item.doc)
                except IcpolicyError as exc:
                    findings += exc.diagnostics
    report(findings, fmt, sys.stdout if fmt == "json" else sys.stderr, SourceTexts())
    if fmt == "text":
        verdict = "no problems" if not findings else f"{len(findings)} problem(s)"
        click.echo(f"checked {checked} file(s): {verdict}", err=True)
    return EXIT_FINDINGS if findings else EXIT_OK


def _classify(paths) -> tuple[list[str], list[str]]:
    """Split paths into policies and case inputs."""
    policies, cases = [], []
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            cases.append(raw)
        elif path.is_dir():
            if (path / POLICY_FILE).is_file():
                policies.append(str(path))
                continue
            # Unreadable directories come as errors, reported with the cases.
            found = list(walk_directory(raw)) or [no_cases(raw)]
            for sub in found:
                (policies if isinstance(sub, str) and _is_policy(Path(sub)) else cases).append(sub)
        else:
            (policies if _is_policy(path) else cases).append(raw)
    return policies, cases


def _is_policy(path: Path) -> bool:
    if path.name == POLICY_FILE:
        return True
    if path.suffix not in (".yaml", ".yml"):
        return False
    try:
        data = read_file(str(path)).data
    except IcpolicyError:
        return False
    return isinstance(data, dict) and "decisions" in data
