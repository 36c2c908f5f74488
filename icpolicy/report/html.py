"""The decision report: one self-contained HTML document per case, for the case file.

No external assets (styles inline, no scripts, no fonts or images fetched), a print
stylesheet, and the same content as the text note plus, under each decision, the
rules with their quoted provisions and the figures used. Save as PDF from a browser,
or headless: `chromium --headless --no-sandbox --print-to-pdf=out.pdf report.html`.
"""

from __future__ import annotations

import hashlib
from html import escape

from .. import __version__
from ..engine.records import case_hash
from ..i18n import localized, message
from .note import Note, Row, build_note

_STYLE = """
:root { --ink: #1b1b1b; --muted: #555; --rule: #c8c8c8; --accent: #0b4f8a; }
body { font: 16px/1.5 "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
       max-width: 56rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--rule); vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
.answer { font-size: 1.05rem; background: #f3f6fa; padding: .8rem 1rem; border-left: 4px solid var(--accent); }
.na { color: var(--muted); font-style: italic; }
blockquote { margin: .4rem 0 .4rem 1rem; padding-left: .8rem; border-left: 3px solid var(--rule); }
.reading { color: var(--muted); font-size: .92rem; }
code { font-size: .9rem; }
table.figures { width: auto; min-width: 50%; }
table.figures caption { text-align: left; color: var(--muted); font-size: .9rem; }
a.ref { text-decoration: none; color: var(--accent); }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; }
.hash { font-family: monospace; word-break: break-all; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  h2 { break-after: avoid; }
  section.rule, tr { break-inside: avoid; }
  .answer { background: none; border-left: 2pt solid #000; }
  a.ref { color: inherit; }
  .print-hint { display: none; }
  @page { size: A4; margin: 18mm 16mm; }
}
"""


def report_record_id(result, case_data) -> str:
    """The same case under the same policy version always has the same id: the first 16
    hex digits of SHA-256 over the case's content hash and the policy's hash."""
    seed = f"{case_hash(case_data)}:{result.to_policy_meta()['sha256']}"
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]


def _refs(notes: list) -> str:
    return "".join(f' <a class="ref" href="#source-{n}">[{n}]</a>' for n in notes)


def _value(row: Row) -> str:
    return f'<span class="na">{escape(row.shown)}</span>' if not row.applies else escape(row.shown)


def render_html(result, lang: str, case_data=None) -> str:
    """The report of one decided case in `lang` (case_data: the case as read, for the id)."""
    rid = report_record_id(result, case_data) if case_data is not None else None
    note = build_note(result, lang, rid)
    t = lambda key, **kw: escape(message(key, lang, **kw))  # noqa: E731 - a short local alias
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{t('report_title', case=note.case_id)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{t('report_title', case=note.case_id)}</h1>",
        _facts(note, t),
        "</header>",
        f"<section id=\"question\"><h2>{t('question')}</h2><p>{t('question_text')}</p></section>",
        f"<section id=\"answer\"><h2>{t('answer')}</h2><p class=\"answer\">"
        + " ".join(escape(text) + _refs(notes) for text, notes in note.summary) + "</p></section>",
        _decisions_table(note, t),
        _reasoning(note, result, lang, t),
        _projects(note, result, lang, t),
        _sources(note, t),
        f"<footer><p>{t('generated_by', version=__version__)}. "
        f"<span class=\"print-hint\">{t('print_hint')}</span></p></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _facts(note: Note, t) -> str:
    rows = [
        (t("date"), escape(note.date)),
        (t("supplier"), escape(note.supplier)),
        (t("contract_sum"), escape(note.contract_sum)),
        (t("policy"), f"{escape(note.policy_title)} ({escape(note.policy['id'])})"),
        (t("version"), escape(note.policy["version"])),
        (t("policy_hash"), f'<span class="hash">{escape(note.policy["sha256"])}</span>'),
    ]
    if note.record_id:
        rows.append((t("record"), f'<span class="hash" id="record-id">{escape(note.record_id)}</span>'))
    return '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _decisions_table(note: Note, t) -> str:
    head = f"<tr><th>{t('decision')}</th><th>{t('value')}</th><th>{t('rules')}</th></tr>"
    body = "".join(
        f"<tr><td>{escape(r.title)}</td><td>{_value(r)}</td>"
        f"<td>{escape(', '.join(r.rules) if r.applies else '')}{_refs(r.notes)}</td></tr>"
        for r in note.decisions
    )
    return f'<section id="decisions"><h2>{t("decisions")}</h2><table>{head}{body}</table></section>'


def _reasoning(note: Note, result, lang: str, t) -> str:
    out = [f'<section id="reasoning"><h2>{t("why")}</h2>']
    by_number = {s.number: s for s in note.sources}
    for row in note.decisions:
        if not row.applies:
            continue
        out.append(f'<section class="rule"><h3>{escape(row.title)}: {_value(row)}'
                   f'{" (" + escape(", ".join(row.rules)) + ")" if row.rules else ""}</h3>')
        out += [f"<p>{escape(text)}</p>" for text in row.texts]
        for n in row.notes:
            source = by_number[n]
            out.append(f'<blockquote lang="nb">«{escape(source.quote)}»'
                       f'<a class="ref" href="#source-{n}">[{n}]</a></blockquote>')
            if source.interpretation:
                out.append(f'<p class="reading">{t("interpretation")}: {escape(source.interpretation)}</p>')
        out.append(_figures(result, row.name, None, lang, t))
        out.append("</section>")
    out.append("</section>")
    return "\n".join(out)


def _figures(result, name: str, index, lang: str, t) -> str:
    figures = result.figures(name, index, lang)
    if not figures:
        return ""
    model = result.policy.model
    items = []
    for written, shown in figures:
        known = model.nodes.get(written) or model.parameters.get(written)
        about = localized(getattr(known, "description", None), lang) if known is not None else None
        title = f' title="{escape(about)}"' if about else ""
        items.append(f"<tr><td><code{title}>{escape(written)}</code></td><td class=\"num\">{escape(shown)}</td></tr>")
    return f'<table class="figures"><caption>{t("figures")}</caption>{"".join(items)}</table>'


def _projects(note: Note, result, lang: str, t) -> str:
    if not note.projects:
        return f'<section id="projects"><h2>{t("projects")}</h2><p>{t("no_projects")}</p></section>'
    names = list(note.project_titles)
    head = f"<tr><th>{t('project')}</th>" + "".join(f"<th>{escape(note.project_titles[n])}</th>" for n in names) \
        + f"<th>{t('rules')}</th></tr>"
    rows = []
    for project in note.projects:
        cells = [project.cells[n] for n in names]
        notes = sorted({n for c in cells for n in c.notes})
        rules = ", ".join(dict.fromkeys(r for c in cells for r in c.rules))
        rows.append(f"<tr><td>{escape(project.id)}</td>"
                    + "".join(f'<td class="{"num" if i else ""}">{_value(c)}</td>' for i, c in enumerate(cells))
                    + f"<td>{escape(rules)}{_refs(notes)}</td></tr>")
    why = "".join(
        f"<li><strong>{escape(p.id)}</strong>: " + " ".join(escape(x) for c in p.cells.values() for x in c.texts) + "</li>"
        for p in note.projects
    )
    return (f'<section id="projects"><h2>{t("projects")}</h2><table>{head}{"".join(rows)}</table>'
            f'<ul class="project-reasons">{why}</ul></section>')


def _sources(note: Note, t) -> str:
    items = []
    for s in note.sources:
        where = escape(s.title + (f", {s.section}" if s.section else ""))
        rules = f" ({escape(', '.join(s.rules))})" if s.rules else ""
        items.append(f'<li id="source-{s.number}" value="{s.number}">{where}{rules}: '
                     f'<q lang="nb">{escape(s.quote)}</q></li>')
    return f'<section id="sources"><h2>{t("sources")}</h2><ol>{"".join(items)}</ol></section>'
