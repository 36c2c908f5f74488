"""`icpolicy show`: the policy version in force on a date, printed whole."""

from __future__ import annotations

import datetime as dt

import click

from ..diagnostics import IcpolicyError
from ..engine.versioned import parse_day
from ..i18n import language_option
from ..policy.show import as_data, render_json, render_text, render_yaml
from .common import EXIT_OK, EXIT_USAGE, failing_with, load_policy_or_fail
from .completion import complete_version


@click.command("show")
@click.argument("policy_path", required=False, type=click.Path(exists=True))
@click.option("--as-of", "as_of", default=None, metavar="DATE", help="The version in force on this date (default: today).")
@click.option("--policy-version", "version", default=None, metavar="V", shell_complete=complete_version, help="This version, whatever the date.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "yaml"]), default="text", show_default=True)
@click.option("--list", "list_versions", is_flag=True, help="List the versions and their periods.")
@click.option("--canonical", is_flag=True,
              help="Print one policy file in a canonical layout (a git textconv: reformatting shows no diff).")
@language_option
def show_command(policy_path, as_of, version, fmt, list_versions, canonical, lang):
    """Print one version of a policy (the bundled BIF policy by default) as a single
    document, with what it inherits from other versions merged in."""
    if canonical:
        from ..policy.show import canonical_file_text
        from ..yamlsource import read_file

        if not policy_path:
            raise click.UsageError("--canonical needs a policy FILE")
        try:
            click.echo(canonical_file_text(read_file(policy_path)), nl=False)
        except IcpolicyError:
            # As a git textconv, a file that does not parse is shown as it is.
            with open(policy_path, encoding="utf-8", errors="replace") as fh:
                click.echo(fh.read(), nl=False)
        return EXIT_OK
    policy = load_policy_or_fail(policy_path, fmt)
    if list_versions:
        for v in policy.versions:
            m = v.model
            click.echo(f"{m.version:<10} {m.effective_from or 'always':<12} to {m.effective_to or 'further notice':<15} {', '.join(m.files)}")
        return EXIT_OK
    with failing_with(EXIT_USAGE):
        if version:
            chosen = policy.version(version)
        else:
            day = parse_day(as_of, "--as-of") if as_of else dt.date.today()
            chosen = policy.in_force_on(day)
    if fmt == "text":
        click.echo(render_text(chosen.model, lang))
    elif fmt == "json":
        click.echo(render_json(as_data(chosen.model, chosen.doc)))
    else:
        click.echo(render_yaml(as_data(chosen.model, chosen.doc)), nl=False)
    return EXIT_OK
