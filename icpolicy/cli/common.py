"""What the commands share: loading the policy, reporting diagnostics, exit codes."""

from __future__ import annotations

import json
import sys

import click

from ..diagnostics import IcpolicyError, SourceTexts, render

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def policy_option(func):
    return click.option(
        "--policy",
        "policy_path",
        type=click.Path(exists=True, dir_okay=True, file_okay=True),
        default=None,
        help="Policy file or directory (default: the bundled current BIF policy).",
    )(func)


def chosen_policy(path):
    """The policy a command uses: `path` (--policy), else discovery (icpolicy.discovery);
    a broken project setting is reported and exits 1."""
    from ..discovery import resolve_policy

    try:
        return resolve_policy(path)
    except IcpolicyError as exc:
        report(exc.diagnostics)
        sys.exit(EXIT_FINDINGS)


def load_policy_or_exit(path, fmt: str = "text"):
    """Load the policy (`path`, a PolicyChoice, or discovered); on problems print them
    all and exit 1 (no traceback). In text mode, say on stderr which policy it is."""
    from .. import load_policy
    from ..discovery import PolicyChoice, announce

    choice = path if isinstance(path, PolicyChoice) else chosen_policy(path)
    try:
        policy = load_policy(choice.path)
    except IcpolicyError as exc:
        report(exc.diagnostics)
        sys.exit(EXIT_FINDINGS)
    if fmt == "text":
        announce(choice, policy.versions)
    return policy


def report(diagnostics, fmt: str = "text", stream=None, sources: SourceTexts | None = None) -> None:
    stream = stream or sys.stderr
    if fmt == "json":
        for d in diagnostics:
            stream.write(json.dumps(d.to_dict(), ensure_ascii=False) + "\n")
        return
    sources = sources or SourceTexts()
    for d in diagnostics:
        stream.write(render(d, sources) + "\n")
