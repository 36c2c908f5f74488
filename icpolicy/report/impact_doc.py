"""The impact part of `icpolicy diff --cases` as part of the diff document: what the
cases given say about the change, in words, in nb or en, as text (lines under 100
characters), markdown or HTML, the amounts written as the rest of the diff writes them.

A count of cases per decision that changes, then each sampled case once: its
decisions that change, old value → new value with the rules that decided each, and
for the first of them (the one the others follow from) why, under each side.
"""

from __future__ import annotations

from html import escape

from ..i18n.catalog import fill
from .diffwords import word
from .note import title, value_label
from .text import wrap

WIDTH = 99  # lines under 100 characters

_WORDS: dict[str, dict[str, str]] = {
    "heading": {"nb": "Virkning for sakene som ble gitt", "en": "Impact on the cases given"},
    "summary": {"nb": "Av {cases} avgjøres {changed} annerledes, {same} likt{errors}.",
                "en": "Of {cases}, {changed} decided differently, {same} the same{errors}."},
    "errors": {"nb": ", og {n} kunne ikke avgjøres (se feilene over)",
               "en": ", and {n} could not be decided (see the errors above)"},
    "per_decision": {"nb": "Avgjørelser som endres: {items}.", "en": "Decisions that change: {items}."},
    "in_cases": {"nb": "{title} i {n}", "en": "{title} in {n}"},
    "none_changed": {"nb": "Ingen av sakene avgjøres annerledes.", "en": "None of the cases is decided differently."},
    "shown": {"nb": "De {n} første sakene som avgjøres annerledes:", "en": "The first {n} cases decided differently:"},
    "shown_first": {"nb": "Den første saken som avgjøres annerledes:", "en": "The first case decided differently:"},
    "shown_all": {"nb": "Sakene som avgjøres annerledes:", "en": "The cases decided differently:"},
    "shown_one": {"nb": "Saken som avgjøres annerledes:", "en": "The case decided differently:"},
    "case_head": {"nb": "{case} ({where}): {old} → {new}", "en": "{case} ({where}): {old} → {new}"},
    "more": {"nb": "… og {n} til som avgjøres annerledes (--show-cases N viser flere).",
             "en": "… and {n} more decided differently (--show-cases N shows more)."},
    "project": {"nb": "prosjekt {id}: {title}", "en": "project {id}: {title}"},
    "case_1": {"nb": "1 sak", "en": "1 case"},
    "case_n": {"nb": "{n} saker", "en": "{n} cases"},
}


def _word(key: str, lang: str, **values) -> str:
    return fill(_WORDS[key], lang, **values)


def _cases(n: int, lang: str) -> str:
    return _word("case_1", lang) if n == 1 else _word("case_n", lang, n=_number(n))


def _number(n: int) -> str:
    return f"{n:,}".replace(",", " ") if n >= 10_000 else str(n)


class ImpactDocument:
    """The replay (cli/impact_replay.Replay) in words; `policies` (new side first) name
    the decisions."""

    def __init__(self, replay, policies: list, lang: str, names=None):
        self.replay, self.policies, self.lang = replay, policies, lang
        # (old result -> its side's name, new result -> ...): as the user named the sides
        self.names = names or (_version, _version)

    # -- the parts, in words ---------------------------------------------------------
    def summary(self) -> list[str]:
        r, lang = self.replay, self.lang
        errors = _word("errors", lang, n=_number(r.errors)) if r.errors else ""
        same = r.cases - r.changed - r.errors
        lines = [_word("summary", lang, cases=_cases(r.cases, lang), changed=_number(r.changed),
                       same=_number(same), errors=errors)]
        if r.per_decision:
            items = [_word("in_cases", lang, title=self._title(name), n=_cases(n, lang))
                     for name, n in sorted(r.per_decision.items(), key=lambda kv: (-kv[1], kv[0]))]
            lines.append(_word("per_decision", lang, items="; ".join(items)))
        else:
            lines.append(_word("none_changed", lang))
        return lines

    def cases(self) -> list[tuple[str, list[tuple[str, list[str]]]]]:
        """(case heading, [(change, [why before, why after])]) for each sampled case."""
        out = []
        for c in self.replay.sample:
            head = _word("case_head", self.lang, case=c.old.case_id, where=c.name,
                         old=self.names[0](c.old), new=self.names[1](c.new))
            changes = []
            for i, (label, da, db) in enumerate(c.diffs):
                top, index = _decision_of(c.old, label)
                node = c.old.policy.model.nodes.get(top) or c.new.policy.model.nodes.get(top)
                line = f"{self._label(label, node)}: {self._value(node, da)} → {self._value(node, db)}"
                why = self._why(c, top, index) if i == 0 else []
                changes.append((line, why))
            out.append((head, changes))
        return out

    def shown(self, count: int) -> str:
        if self.replay.changed > count:
            return _word("shown_first", self.lang) if count == 1 else _word("shown", self.lang, n=count)
        return _word("shown_one" if count == 1 else "shown_all", self.lang)

    def more(self) -> str | None:
        hidden = self.replay.changed - len(self.replay.sample)
        return _word("more", self.lang, n=_number(hidden)) if hidden > 0 else None

    def _why(self, c, top: str, index) -> list[str]:
        lines = []
        for side, result in ((word("before", self.lang), c.old), (word("after", self.lang), c.new)):
            texts = " ".join(e["text"] for e in result.explanation(top, index, lang=self.lang) if e.get("text"))
            if texts:
                lines.append(f"{side}: {texts}")
        return lines

    def _title(self, name: str) -> str:
        node = next((p.model.nodes[name] for p in self.policies if name in p.model.nodes), None)
        return f"{title(node, self.lang)} ({name})" if node is not None else name

    def _label(self, label: str, node) -> str:
        name = title(node, self.lang) if node is not None else label.split(".")[-1]
        if label.startswith("projects."):
            return _word("project", self.lang, id=label.split(".")[1], title=name)
        return name

    def _value(self, node, decided) -> str:
        shown = value_label(node, decided.value, self.lang) if node is not None else str(decided.value)
        return shown + (f" ({', '.join(decided.rules)})" if decided.rules else "")

    # -- layouts --------------------------------------------------------------------
    def text(self) -> str:
        lines = ["", _word("heading", self.lang)]
        for paragraph in self.summary():
            lines += wrap(paragraph, WIDTH, "  ")
        cases = self.cases()
        if cases:
            lines += wrap(self.shown(len(cases)), WIDTH, "  ")
        for head, changes in cases:
            lines += wrap(head, WIDTH, "  * ", "    ")
            for line, why in changes:
                lines += wrap(line, WIDTH, "      ", "        ")
                for reason in why:
                    lines += wrap(reason, WIDTH, "        ", "          ")
        more = self.more()
        if more:
            lines += wrap(more, WIDTH, "  ")
        return "\n".join(lines)

    def markdown(self) -> str:
        lines = ["", f"## {_word('heading', self.lang)}", ""]
        for paragraph in self.summary():
            lines += [paragraph, ""]
        cases = self.cases()
        if cases:
            lines += [self.shown(len(cases)), ""]
        for head, changes in cases:
            lines.append(f"- {head}")
            for line, why in changes:
                lines.append(f"  - {line}")
                lines += [f"    - {reason}" for reason in why]
        more = self.more()
        if more:
            lines += ["", more]
        return "\n".join(lines).rstrip() + "\n"

    def html(self) -> str:
        out = [f"<h2>{escape(_word('heading', self.lang))}</h2>"]
        out += [f"<p>{escape(p)}</p>" for p in self.summary()]
        cases = self.cases()
        if cases:
            out.append(f"<p>{escape(self.shown(len(cases)))}</p>")
            out.append("<ul>")
            for head, changes in cases:
                out.append(f"<li>{escape(head)}<ul>")
                for line, why in changes:
                    inner = "<ul>" + "".join(f"<li>{escape(r)}</li>" for r in why) + "</ul>" if why else ""
                    out.append(f"<li>{escape(line)}{inner}</li>")
                out.append("</ul></li>")
            out.append("</ul>")
        more = self.more()
        if more:
            out.append(f"<p>{escape(more)}</p>")
        return "\n".join(out)


def _version(result) -> str:
    meta = result.to_policy_meta()
    return f"{meta['id']} {meta['version']}"


def _decision_of(result, label: str):
    top = label.split(".")[-1]
    if not label.startswith("projects."):
        return top, None
    pid = label.split(".")[1]
    return top, next((i for i, p in enumerate(result.projects) if p.id == pid), None)
