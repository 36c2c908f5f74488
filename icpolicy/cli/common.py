"""What the commands share: loading the policy, reporting diagnostics, exit codes.

A command returns its exit status (`EXIT_OK` or `EXIT_FINDINGS`) or raises a
`CliFailure` carrying the status and what to tell the user; `cli/main.py` is the
one place either becomes the process's exit code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

import click

from ..diagnostics import Diagnostic, IcpolicyError, SourceTexts, render

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


class CliFailure(click.ClickException):
    """A command stops: the diagnostics and/or a line for stderr, and the exit status."""

    def __init__(self, exit_code: int, message: str = "", diagnostics: Sequence[Diagnostic] = ()):
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares a class default
        self.diagnostics = list(diagnostics)

    def show(self, file: IO[Any] | None = None) -> None:
        stream = file if file is not None else sys.stderr
        report(self.diagnostics, stream=stream)
        if self.message:
            stream.write(self.message + "\n")


@contextmanager
def failing_with(exit_code: int) -> Iterator[None]:
    """Turn an `IcpolicyError` raised inside the block into a `CliFailure` with this status."""
    try:
        yield
    except IcpolicyError as exc:
        raise CliFailure(exit_code, diagnostics=exc.diagnostics) from None


def no_case_documents(paths) -> Diagnostic:
    """Zero cases is not success: said when the inputs held no case document at all."""
    from ..cases.inputs import CASE_SUFFIXES

    read = ", ".join("*" + s for s in CASE_SUFFIXES)
    return Diagnostic("E-EMPTY", f"no case documents found in {', '.join(map(str, paths))} (read: {read})")


def policy_option(func):
    return click.option(
        "--policy",
        "policy_path",
        type=click.Path(exists=True, dir_okay=True, file_okay=True),
        default=None,
        help="Policy file or directory (default: the one discovery finds; docs/policy-authors-guide.md).",
    )(func)


def chosen_policy(path):
    """The policy a command uses: `path` (--policy), else discovery (icpolicy.discovery);
    a broken project setting stops with exit 1."""
    from ..discovery import resolve_policy

    with failing_with(EXIT_FINDINGS):
        return resolve_policy(path)


def load_policy_or_fail(path, fmt: str = "text"):
    """Load the policy (`path`, a PolicyChoice, or the discovered one); on problems report
    them all and stop with exit 1 (no traceback). In text mode, say which policy it is."""
    from .. import load_policy
    from ..discovery import PolicyChoice, announce

    choice = path if isinstance(path, PolicyChoice) else chosen_policy(path)
    with failing_with(EXIT_FINDINGS):
        policy = load_policy(choice.path)
    if fmt == "text":
        announce(choice, policy.versions)
    return policy


def report(diagnostics: Iterable[Diagnostic], fmt: str = "text", stream: IO[str] | None = None,
           sources: SourceTexts | None = None) -> None:
    stream = stream or sys.stderr
    if fmt == "json":
        for d in diagnostics:
            stream.write(json.dumps(d.to_dict(), ensure_ascii=False) + "\n")
        return
    sources = sources or SourceTexts()
    for d in diagnostics:
        stream.write(render(d, sources) + "\n")
