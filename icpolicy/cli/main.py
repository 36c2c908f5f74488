"""The `icpolicy` command group: version, help, and turning outcomes into exit codes.

Every command returns its exit status or raises `CliFailure` (cli/common.py);
`IcpolicyGroup.invoke` below is the one place where either becomes the exit code.
"""

from __future__ import annotations

import sys

import click

from .. import __version__
from ..diagnostics import IcpolicyError
from .ask_cmd import ask_command
from .boundaries_cmd import boundaries_command
from .common import EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, CliFailure
from .diff_cmd import diff_command
from .eval_cmd import eval_command
from .lsp_cmd import lsp_command
from .mutate_cmd import mutate_command
from .replay_cmd import replay_command
from .report_cmd import report_command
from .serve_cmd import serve_command
from .show_cmd import show_command
from .test_cmd import test_command
from .validate_cmd import validate_command


class IcpolicyGroup(click.Group):
    """Runs a command and exits with its status; a failure is shown on stderr first."""

    def invoke(self, ctx: click.Context):
        _never_fail_to_write()
        try:
            status = super().invoke(ctx)
        except CliFailure as failure:
            failure.show()
            ctx.exit(failure.exit_code)
        except IcpolicyError as exc:  # not caught by the command: reported, never a traceback
            CliFailure(EXIT_FINDINGS, diagnostics=exc.diagnostics).show()
            ctx.exit(EXIT_FINDINGS)
        except KeyboardInterrupt:  # before click turns it into "Aborted!" and exit 1
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        ctx.exit(EXIT_OK if status is None else status)


def _never_fail_to_write() -> None:
    """Any string read from input can be written: a lone surrogate comes out as the
    escape `\\ud800` (in JSON output that is the standard escape of that code point)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


@click.group(cls=IcpolicyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="icpolicy")
def cli():
    """Policy-as-code for Norway's rules on industrial cooperation in defence
    procurement (BIF). Decide cases with `eval`, check policies and cases with
    `validate`, test policies with `test`."""


cli.add_command(eval_command)
cli.add_command(validate_command)
cli.add_command(test_command)
cli.add_command(mutate_command)
cli.add_command(boundaries_command)
cli.add_command(show_command)
cli.add_command(diff_command)
cli.add_command(replay_command)
cli.add_command(serve_command)
cli.add_command(lsp_command)
cli.add_command(report_command)
cli.add_command(ask_command)


def main() -> None:
    # Text read from input may hold what UTF-8 cannot encode (a lone surrogate from a
    # JSON "\ud800"): shown as its escape, never a traceback halfway through the output.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        cli(prog_name="icpolicy")
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    main()
