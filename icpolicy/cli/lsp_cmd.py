"""`icpolicy lsp`: the language server, for editors (docs/editors.md)."""

from __future__ import annotations

import click

from .common import EXIT_OK, EXIT_USAGE, CliFailure


@click.command("lsp")
@click.option("--stdio", is_flag=True, default=True, hidden=True,
              help="Speak the Language Server Protocol on standard input and output (the only way).")
def lsp_command(stdio):
    """Run the language server on standard input and output, for an editor:
    diagnostics as you type, hover, completion, go to definition and test
    results, for policy files, test files and case documents. See docs/editors.md.
    Needs pygls: pip install 'icpolicy[lsp]'."""
    try:
        from ..lsp.server import main
    except ImportError as exc:
        raise CliFailure(EXIT_USAGE, f"icpolicy lsp needs pygls ({exc.name} is missing): pip install 'icpolicy[lsp]'") from None
    main()
    return EXIT_OK
