"""`icpolicy ask [CASE]`: ask a case officer for the missing facts, most settling
first, until the decisions asked for are decided; optionally write the case."""

from __future__ import annotations

from decimal import Decimal

import click

from ..cases.inputs import iter_case_documents
from ..cases.scalars import Invalid
from ..diagnostics import IcpolicyError
from ..i18n import language_option
from ..partial.api import evaluate_partial, reader
from ..partial.questions import Question, open_targets, set_fact
from ..partial.render import render_partial
from .common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    CliFailure,
    load_policy_or_fail,
    policy_option,
)

_YES = {"true", "yes", "y", "ja", "j"}
_NO = {"false", "no", "n", "nei"}
SKIP = "?"  # the answer "I don't know yet"


@click.command("ask")
@click.argument("case", required=False)
@policy_option
@click.option("--decision", "decisions", multiple=True, metavar="NAME",
              help="Ask until this decision is decided (repeatable; default: every decision).")
@language_option
@click.option("-o", "--output", "output", default=None, metavar="FILE.yaml", help="Write the completed case document here.")
def ask_command(case, policy_path, decisions, lang, output):
    """Ask for the facts CASE is missing, most settling first, until the
    decisions asked for are decided. Answer `?` when a fact is not known yet.

    Exit status: 0 when the decisions asked for are decided, 1 when some stay
    open (every remaining fact answered `?`) or the case has a problem, 2 for a
    usage error.
    """
    policy = load_policy_or_fail(policy_path)
    data = _load(case)
    wanted = list(decisions) or None
    try:
        if wanted:
            for version in policy.versions:
                version.plan(wanted)
        result = evaluate_partial(policy, data, None, wanted, lang=lang)
    except IcpolicyError as exc:
        raise CliFailure(EXIT_USAGE if wanted else EXIT_FINDINGS, diagnostics=exc.diagnostics) from None
    skipped: set = set()
    asked = 0
    while open_targets(result):
        question = next((q for q in result.questions if q.fact not in skipped), None)
        if question is None:
            break
        asked += 1
        answer = _ask(question, lang, asked)
        if answer is _SKIPPED:
            skipped.add(question.fact)
            continue
        data = set_fact(data, question.path, answer)
        result = evaluate_partial(policy, data, None, wanted, lang=lang)
    click.echo("")
    click.echo(render_partial(result, explain=True, questions=False, lang=lang))
    if output:
        _write(output, data)
        click.echo(f"\nwrote {output}")
    return EXIT_FINDINGS if open_targets(result) else EXIT_OK


def _load(case) -> dict:
    if case is None:
        return {"id": click.prompt("Case id")}
    items = list(iter_case_documents([case]))
    if len(items) != 1:
        raise click.BadParameter("give one case document", param_hint="CASE")
    item = items[0]
    if item.error is not None:
        raise CliFailure(EXIT_FINDINGS, diagnostics=item.error.diagnostics)
    if item.doc is None or not isinstance(item.doc.data, dict):
        raise click.BadParameter("the case document must be a mapping", param_hint="CASE")
    return dict(item.doc.data)


_SKIPPED = object()


def _ask(q: Question, lang: str, number: int):
    click.echo("")
    where = f" ({q.project})" if q.project else ""
    click.echo(f"{number}. {q.label[lang]}{where}")
    if q.help[lang]:
        click.echo(f"   {q.help[lang]}")
    why = q.why_text(lang)
    if why:
        click.echo(f"   {'hvorfor' if lang == 'nb' else 'why'}: {why}")
    if q.kind == "list":
        return _ask_list(q, lang)
    return _ask_value(q.path, _hint(q), lang)


def _hint(q: Question) -> str:
    if q.choices:
        return " | ".join(q.choices)
    return {"bool": "true/false", "money": "NOK", "share": "0.85 or 85 %", "date": "YYYY-MM-DD"}.get(q.kind, "")


def _ask_value(path: tuple, hint: str, lang: str, label: str | None = None):
    """Prompt until the answer is valid for the field (or `?`)."""
    prompt = (label or ("svar" if lang == "nb" else "answer")) + (f" [{hint}]" if hint else "")
    while True:
        raw = click.prompt(prompt, default=SKIP if label is None else None, show_default=False).strip()
        if raw == SKIP and label is None:
            return _SKIPPED
        value = _typed(path, raw)
        try:
            reader().convert(path, value)
        except Invalid as exc:
            for sub, message in exc.problems:
                click.echo(f"   {_field(path + tuple(sub))}: {message}")
            continue
        return _plain(reader().convert(path, value), value)


def _typed(path: tuple, raw: str):
    """An answer as a document would hold it: booleans read in either language."""
    schema = reader().schema_at(path)
    if schema.get("type") == "boolean":
        low = raw.lower()
        return True if low in _YES else False if low in _NO else raw
    return raw


def _plain(value, raw):
    if isinstance(value, Decimal):
        if raw.isdigit():
            return int(raw)
        return raw  # the digits as written ("85 %" stays a share, "0.1" stays exact)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _field(path: tuple) -> str:
    from ..partial.reader import path_text

    return path_text(path)


def _ask_list(q: Question, lang: str):
    count_prompt = "hvor mange" if lang == "nb" else "how many"
    while True:
        raw = click.prompt(f"{count_prompt} [0, 1, 2 ... or ?]", default=SKIP, show_default=False).strip()
        if raw == SKIP:
            return _SKIPPED
        if raw.isdigit():
            break
        click.echo(f"   {q.fact}: expected a whole number, got {raw!r}")
    schema = reader().schema_at(q.path + (0,))
    required = list(schema.get("required", ()))
    items = []
    for i in range(int(raw)):
        item: dict = {}
        for key in required:
            path = q.path + (i, key)
            label = _item_label(path, key, lang, i)
            item[key] = _ask_value(path, "", lang, label)
        items.append(item)
    return items


def _item_label(path: tuple, key: str, lang: str, index: int) -> str:
    from ..partial.labels import field_text
    from ..partial.reader import generic_path

    nb, en = field_text(generic_path(path))[:2]
    text = nb if lang == "nb" else en
    return f"  #{index + 1} {text if text != generic_path(path) else key}"


def _write(path: str, data: dict) -> None:
    """The case with the facts still unknown left out, so `icpolicy eval` reads it
    (with defaults where it has them; a required fact still unknown is reported)."""
    import yaml

    missing: list = []
    cleaned = _known_only(data, "", missing)
    with open(path, "w", encoding="utf-8") as fh:
        yaml.safe_dump(cleaned, fh, allow_unicode=True, sort_keys=False)
    if missing:
        click.echo("left out, still unknown: " + ", ".join(missing))


def _known_only(value, where: str, missing: list):
    if isinstance(value, dict):
        out = {}
        for key, sub in value.items():
            path = f"{where}.{key}" if where else key
            if sub == "unknown":
                missing.append(path)
            else:
                out[key] = _known_only(sub, path, missing)
        return out
    if isinstance(value, list):
        return [_known_only(item, f"{where}[{i}]", missing) for i, item in enumerate(value)]
    return value


__all__ = ["ask_command"]
