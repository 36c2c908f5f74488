"""The `icpolicy` command group: version, help, and turning outcomes into exit codes.

Every command returns its exit status or raises `CliFailure` (cli/common.py);
`IcpolicyGroup.invoke` below is the one place where either becomes the exit code.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

import click

from .. import __version__
from ..diagnostics import IcpolicyError
from .common import EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, CliFailure

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

# Every command, imported only when it runs (or its own --help is asked): `icpolicy
# --help` and one command stay quick. The summary is the first sentence of the
# command's help, what `icpolicy --help` and shell completion list; a test keeps each
# equal to its command's own.
_COMMANDS: dict[str, tuple[str, str, str]] = {  # name -> (module, attribute, summary)
    "ask": ("ask_cmd", "ask_command",
            "Ask for the facts CASE is missing, most settling first, until the decisions asked for are decided."),
    "boundaries": ("boundaries_cmd", "boundaries_command",
                   "Derive the boundary of each threshold comparison in the policy (the value exactly at it and its "
                   "nearest neighbours: 0.01 NOK, 0.000001 of a share, one day), build a case for each from a base "
                   "case, decide it under the version concerned and print a table."),
    "diff": ("diff_cmd", "diff_command", "Compare two versions of a policy by meaning."),
    "eval": ("eval_cmd", "eval_command",
             "Decide CASES: YAML or JSON files, directories of them, .jsonl files (one case per line) or - for "
             "standard input."),
    "lsp": ("lsp_cmd", "lsp_command", "Run the language server on standard input and output, for an editor: "
            "diagnostics as you type, hover, completion, go to definition and test results, for policy files, "
            "test files and case documents."),
    "mutate": ("mutate_cmd", "mutate_command", "Mutate the policy in POLICY_DIR (default: the bundled BIF policy) "
               "one change at a time and run its tests against each mutant."),
    "replay": ("replay_cmd", "replay_command", "Re-decide each recorded case (records written by `icpolicy eval "
               "--record`) and report whether the result is identical, byte for byte."),
    "report": ("report_cmd", "report_command", "Write the decision report of each of CASES (files, directories, "
               ".jsonl, -): the question, the answer, each rule with its quoted provision and the figures used, "
               "the projects, the policy version and hash, and the record id."),
    "serve": ("serve_cmd", "serve_command", "Serve decisions over HTTP (JSON API, OpenAPI at /openapi.json) and "
              "the case officer's page at /."),
    "show": ("show_cmd", "show_command", "Print one version of a policy (the bundled BIF policy by default) as a "
             "single document, with what it inherits from other versions merged in."),
    "test": ("test_cmd", "test_command", "Run the YAML tests under PATHS (files or directories; default: the "
             "bundled policy's tests)."),
    "validate": ("validate_cmd", "validate_command", "Check policies (schema, syntax, types, names, cycles, "
                 "conflicts) and case documents (the case schema), each file by its kind: policy, versions, "
                 "tests, boundary bases, cases."),
}
# The commands that read a policy get --no-cache (the language server reads editor buffers).
_NO_CACHE_COMMANDS = frozenset(_COMMANDS) - {"lsp"}


class IcpolicyGroup(click.Group):
    """Runs a command and exits with its status; a failure is shown on stderr first.
    Commands are imported when first needed (the table above)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _COMMANDS:
            module, attribute, _ = _COMMANDS[cmd_name]
            command = getattr(importlib.import_module(f"{__package__}.{module}"), attribute)
            if cmd_name in _NO_CACHE_COMMANDS:
                _add_no_cache(command)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list in `icpolicy --help`, from the summaries: no command is imported."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, _summary(self, name).get_short_help_str(limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """Command names with their summaries (no command imported), then the group's options."""
        from click.shell_completion import CompletionItem

        items = [CompletionItem(name, help=_summary(self, name).get_short_help_str())
                 for name in self.list_commands(ctx) if name.startswith(incomplete)]
        return items + click.Command.shell_complete(self, ctx, incomplete)

    def invoke(self, ctx: click.Context):
        from ..policy import cache

        _never_fail_to_write()
        cache.set_enabled(True)  # the command line keeps loaded policies (--no-cache: not)
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
        finally:
            cache.set_enabled(False)  # in-process callers (tests, the API) load afresh
        ctx.exit(EXIT_OK if status is None else status)


def _summary(group: click.Group, name: str) -> click.Command:
    """A loaded command as it is, else a stand-in carrying its summary as its help."""
    loaded = group.commands.get(name)
    return loaded if loaded is not None else click.Command(name, help=_COMMANDS[name][2])


def _add_no_cache(command: click.Command) -> None:
    if any(param.name == "no_cache" for param in command.params):
        return
    command.params.append(click.Option(
        ["--no-cache"], is_flag=True, expose_value=False, callback=_turn_cache_off,
        help="Load the policy afresh, without reading or writing the policy cache "
        "(also ICPOLICY_NO_CACHE=1; docs/performance.md, \"Cold start\")."))


def _turn_cache_off(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        from ..policy import cache

        cache.set_enabled(False)


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
