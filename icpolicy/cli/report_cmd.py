"""`icpolicy report`: a decision report (self-contained HTML) per case, for the case file."""

from __future__ import annotations

from pathlib import Path

import click

from ..cases.inputs import iter_case_documents
from ..diagnostics import IcpolicyError
from ..i18n import language_option
from ..report.html import render_html
from .common import EXIT_FINDINGS, EXIT_OK, CliFailure, load_policy_or_fail, policy_option, report


@click.command("report")
@click.argument("cases", nargs=-1, required=True)
@policy_option
@click.option("-o", "--output", "out_dir", required=True, metavar="DIR",
              type=click.Path(file_okay=False, dir_okay=True),
              help="Write one HTML document per case here: CASE-ID.html (created if missing).")
@language_option
def report_command(cases, policy_path, out_dir, lang):
    """Write the decision report of each of CASES (files, directories, .jsonl, -):
    the question, the answer, each rule with its quoted provision and the figures
    used, the projects, the policy version and hash, and the record id.

    Self-contained HTML (no external files), printable; for PDF:
    chromium --headless --no-sandbox --print-to-pdf=CASE.pdf DIR/CASE.html

    Exit status: 0 when every report was written, 1 when a case could not be decided
    (reported on stderr with file:line:col; the other reports are still written).
    """
    for path in cases:
        if path != "-" and not Path(path).exists():
            raise click.BadParameter(f"no such file or directory: {path}", param_hint="CASES")
    policy = load_policy_or_fail(policy_path)
    target = Path(out_dir)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.BadParameter(f"cannot create {out_dir}: {exc.strerror or exc}", param_hint="-o") from None
    failures, written = 0, 0
    used: set[str] = set()
    for item in iter_case_documents(cases):
        try:
            if item.error is not None or item.doc is None:
                raise item.error or IcpolicyError([])
            data = item.doc.data
            result = policy.evaluate(data, doc=item.doc)
        except IcpolicyError as exc:
            failures += 1
            report(exc.diagnostics)
            continue
        path = _free_name(target, str(result.case_id), used)
        path.write_text(render_html(result, lang, data), encoding="utf-8")
        written += 1
        click.echo(str(path))
    if failures:
        raise CliFailure(EXIT_FINDINGS, f"{failures} case(s) could not be decided; {written} report(s) written.")
    return EXIT_OK


def _free_name(folder: Path, case_id: str, used: set) -> Path:
    """CASE-ID.html; a second case with the same id in this run gets CASE-ID-2.html."""
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in case_id).lstrip(".") or "case"
    name, n = stem, 1
    while name in used:
        n += 1
        name = f"{stem}-{n}"
    used.add(name)
    return folder / f"{name}.html"
