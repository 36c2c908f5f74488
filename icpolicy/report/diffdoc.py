"""`icpolicy diff` as a document an auditor can follow: a summary in words, each change
once (its value and its source together), conditions as the author wrote them, and
for each change at most one witness that shows it, as a short case document.

One model (`build_diff_document`), three layouts: text (lines under 100 characters),
markdown and HTML; in nb or en.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape

from ..i18n import localized
from ..i18n import show as show_value
from .diffwords import word
from .note import value_label
from .text import wrap

WIDTH = 100


@dataclass
class Item:
    head: str
    details: list = field(default_factory=list)  # (label, text)
    witness: dict | None = None  # {"heading", "differences": [str], "case": [str]}


@dataclass
class Section:
    title: str
    summary: str
    items: list
    wording: list


def _written(expr) -> str | None:
    return None if expr is None else " ".join(str(expr.text).split())


def _value(v, typ, lang) -> str:
    if isinstance(v, (list, tuple, frozenset)) and len(v) > 6:
        return word("n_values", lang, n=len(v))
    return show_value(v, typ, lang)


def build_section(label_old: str, label_new: str, changes: list, old, new, lang: str) -> Section:
    """old, new: the two PolicyModels compared (for texts as written)."""
    semantic = [c for c in changes if c.semantic]
    wording = sorted({c.name for c in changes if not c.semantic})
    items = _Items(old, new, lang).build(semantic)
    return Section(f"{label_old} → {label_new}", _summary(label_old, label_new, semantic, lang), items, wording)


class _Items:
    """The changes as items, each once: a rule's changes in one item, a parameter's
    new value with its source, removed parameters without a witness listed together."""

    def __init__(self, old, new, lang: str):
        self.old, self.new, self.lang = old, new, lang
        self.items: list[Item] = []
        self.by_rule: dict = {}
        self.quiet_removals: list[str] = []
        self.shown_cases: set = set()

    def build(self, semantic: list) -> list[Item]:
        lang = self.lang
        if any(c.kind == "period" for c in semantic):
            self.items.append(Item(word("in_force", lang, old=_period(self.old, lang), new=_period(self.new, lang))))
        listed = [c for c in semantic if c.kind == "source" and c.action != "changed"]
        if listed:
            self.items.append(Item(word("sources_changed", lang),
                                   [(word(c.action, lang), f"{c.name} ({c.old or c.new})") for c in listed]))
        with_values = {c.name for c in semantic if c.kind == "parameter"}
        sources = [c for c in semantic if c.kind == "source" and c.action == "changed" and c.name not in with_values]
        for c in semantic:
            if c.kind not in ("period", "version", "source"):
                self.add(c)
        for c in sources:
            self.add_source(c)
        if self.quiet_removals:
            self.items.append(Item(word("params_removed_list", lang, names="; ".join(self.quiet_removals))))
        return self.items

    def add(self, c) -> None:
        item = _item(c, self.old, self.new, self.lang)
        first = self.by_rule.get(c.name) if c.kind in ("rule", "exception") and c.action == "changed" else None
        if first is not None:  # one rule, one item: its changes together
            first.head += "; " + item.head.split(": ", 1)[-1]
            first.details = _without_repeats(first.details + [d for d in item.details if d not in first.details])
            first.witness = first.witness or _witness(c, self.old, self.new, self.lang, self.shown_cases)
            return
        item.witness = _witness(c, self.old, self.new, self.lang, self.shown_cases)
        if c.kind == "parameter" and c.action == "removed" and item.witness is None:
            p = self.old.parameters[c.name]
            self.quiet_removals.append(f"{c.name} ({_value(p.value, p.type, self.lang)})")
            return
        if c.kind in ("rule", "exception") and c.action == "changed":
            self.by_rule[c.name] = item
        self.items.append(item)

    def add_source(self, c) -> None:
        """A new legal source: with its rule's item when the rule changed too, else listed."""
        lang = self.lang
        rule_item = self.by_rule.get(c.name)
        if rule_item is not None:
            rule_item.head += "; " + word("source_changed", lang)
            rule_item.details.append((word("source", lang), "«" + c.new.split(": «", 1)[-1] if c.new else "-"))
            return
        listed = next((i for i in self.items if i.head == word("sources_of", lang)), None)
        if listed is None:
            listed = Item(word("sources_of", lang))
            self.items.append(listed)
        listed.details.append((c.name, c.new.split(": «", 1)[0] if c.new else "-"))


def _without_repeats(details: list) -> list:
    """A before/after pair written the same (changed through a definition) says nothing."""
    out, i = [], 0
    while i < len(details):
        if i + 1 < len(details) and details[i][1] == details[i + 1][1] and details[i][0] != details[i + 1][0]:
            i += 2
            continue
        out.append(details[i])
        i += 1
    return out


def _period(model, lang) -> str:
    start, end = model.period
    if end is None:
        return word("from", lang, start=show_value(start, None, lang))
    return word("from_to", lang, start=show_value(start, None, lang), end=show_value(end, None, lang))


def _summary(a: str, b: str, semantic: list, lang: str) -> str:
    if not semantic:
        return word("no_change", lang)
    parts = [word("n_changes", lang, old=a, new=b, n=len(semantic))]
    groups = [
        ("values_changed", [c for c in semantic if c.kind == "parameter" and c.action == "changed"],
         lambda c: f"{c.name} {c.old} → {c.new}"),
        ("params_removed", [c for c in semantic if c.kind == "parameter" and c.action == "removed"], lambda c: c.name),
        ("params_added", [c for c in semantic if c.kind == "parameter" and c.action == "added"], lambda c: c.name),
        ("rules_removed", [c for c in semantic if c.kind in ("rule", "exception") and c.action == "removed"],
         lambda c: c.name),
        ("rules_added", [c for c in semantic if c.kind in ("rule", "exception") and c.action == "added"],
         lambda c: c.name),
        ("rules_changed", [c for c in semantic if c.kind in ("rule", "exception", "decision") and c.action == "changed"],
         lambda c: c.name),
    ]
    for key, chosen, name in groups:
        if chosen:
            parts.append(word(key, lang, names=", ".join(dict.fromkeys(name(c) for c in chosen))))
    return " ".join(parts)


def _item(c, old, new, lang) -> Item:
    if c.kind == "parameter":
        return _parameter_item(c, old, new, lang)
    if c.kind in ("rule", "exception"):
        return _rule_item(c, old, new, lang)
    if c.kind == "decision":
        item = Item(word("decision_changed", lang, name=c.name, what=word(c.text.split(": ", 1)[-1], lang)))
        a, b = old.nodes.get(c.name), new.nodes.get(c.name)
        for attr in ("value", "default"):
            x, y = getattr(a, attr, None), getattr(b, attr, None)
            if x is not None and y is not None and _written(x) != _written(y):
                item.details += [(word("before", lang), _written(x)), (word("after", lang), _written(y))]
        return item
    if c.kind == "definition":
        return Item(word("definition_changed", lang, name=c.name),
                    [(word("before", lang), _written(old.nodes[c.name].value)),
                     (word("after", lang), _written(new.nodes[c.name].value))])
    return Item(c.text, [(word("before", lang), str(c.old)), (word("after", lang), str(c.new))])


def _parameter_item(c, old, new, lang) -> Item:
    if c.action == "changed":
        p = new.parameters[c.name]
        return Item(f"{c.name}: {_value(old.parameters[c.name].value, p.type, lang)} → {_value(p.value, p.type, lang)}",
                    [(word("source", lang), _cite(p.source))])
    p = (old if c.action == "removed" else new).parameters[c.name]
    return Item(word(f"param_{c.action}", lang, name=c.name, value=_value(p.value, p.type, lang)))


def _rule_item(c, old, new, lang) -> Item:
    kind = word(c.kind, lang)
    if c.action in ("added", "removed"):
        rule = _rule(new if c.action == "added" else old, c.decision, c.name)
        item = Item(word(f"rule_{c.action}", lang, kind=kind, name=c.name, decision=c.decision))
        if rule is not None:
            if rule.when is not None:
                item.details.append((word("when", lang), _written(rule.when)))
            item.details.append((word("then", lang), _written(rule.value)))
        return item
    ra, rb = _rule(old, c.decision, c.name), _rule(new, c.decision, c.name)
    what = c.text.split(": ", 1)[1] if ": " in c.text else c.text
    item = Item(f"{kind} {c.name}: {word(what, lang)}")
    if ra is None or rb is None:
        return item
    if "condition" in what:
        item.details += [(word("before", lang), _written(ra.when) or "-"), (word("after", lang), _written(rb.when) or "-")]
    elif "value" in what:
        item.details += [(word("before", lang), _written(ra.value)), (word("after", lang), _written(rb.value))]
    elif "source" in what:
        item.details.append((word("source", lang), _cite(rb.source)))
    else:
        item.details += [(word("before", lang), str(c.old)), (word("after", lang), str(c.new))]
    return item


def _rule(model, decision, rid):
    node = model.nodes.get(decision) if decision else None
    return next((r for r in node.rules if r.id == rid), None) if node is not None else None


def _cite(source) -> str:
    where = ", ".join(x for x in (source.title or source.ref, source.section) if x)
    return f"«{' '.join(source.quote.split())}» ({where})"


def _uses(model, name: str) -> set:
    """The rules whose condition or value read `name`, directly or through definitions."""
    from ..lang import ast

    def names(expr):
        return {n.name for n in ast.walk(expr.node) if isinstance(n, (ast.Name, ast.Field))} if expr else set()

    reach, grew = {name}, True
    while grew:
        grew = False
        for n, node in model.nodes.items():
            if not node.output and n not in reach and names(node.value) & reach:
                reach.add(n)
                grew = True
    out = set()
    for node in model.decisions():
        out |= {r.id for r in node.rules if (names(r.when) | names(r.value)) & reach}
        if node.value is not None and names(node.value) & reach:
            out.add(node.name)
    return out


def _first_rules(w) -> set:
    """The rules behind the witness's first difference (what it shows; the rest follows)."""
    _, a, b = w.differences[0]
    return set(a.rules) | set(b.rules)


def _relevant(c, w, old, new) -> bool:
    if not w.differences:
        return False
    if c.kind in ("parameter", "definition"):
        return bool(_first_rules(w) & (_uses(old, c.name) | _uses(new, c.name)))
    if c.kind in ("rule", "exception"):
        return c.name in _first_rules(w)
    if c.kind == "decision":
        return c.name in w.decisions()
    return False


def _witness(c, old, new, lang, shown: set) -> dict | None:
    for w in c.witnesses:
        key = json.dumps(w.to_dict()["case"], sort_keys=True, default=str)
        if key in shown or not _relevant(c, w, old, new):
            continue
        shown.add(key)
        label, a, b = w.differences[0]
        node = new.nodes.get(label.split(".")[-1]) or old.nodes.get(label.split(".")[-1])
        title = localized(node.title, lang) if node is not None and node.title else label
        diff = word("differs", lang, decision=title, old=w.old_id, new=w.new_id,
                    a=_result(node, a, lang), b=_result(node, b, lang))
        return {"heading": word("witness", lang), "differences": [diff], "case": [_flow(_short_case(w))]}
    return None


def _result(node, d, lang) -> str:
    rules = f" ({', '.join(d.rules)})" if d.rules else ""
    shown = value_label(node, d.value, lang) if node is not None else show_value(d.value, None, lang)
    return shown + rules


def _short_case(w) -> dict:
    """The witness as a short case document: the fields that matter, as a case is written."""
    case = dict(w.to_dict()["case"])
    case.pop("id", None)
    if not any(label.startswith("projects.") for label, _, _ in w.differences):
        case.pop("projects", None)
    return _without_names(case)


def _without_names(value):
    if isinstance(value, dict):
        return {k: _without_names(v) for k, v in value.items() if k != "name"}
    if isinstance(value, list):
        return [_without_names(v) for v in value]
    return value


def _flow(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- layouts -------------------------------------------------------------------------------


def render_diff_text(sections: list[Section], lang: str) -> str:
    lines: list[str] = []
    for s in sections:
        lines.append(s.title)
        lines += wrap(s.summary, WIDTH, "  ")
        for item in s.items:
            lines += wrap(item.head, WIDTH, "  * ", "    ")
            for label, text in item.details:
                lines += wrap(f"{label}: {text}", WIDTH, "      ", "        ")
            if item.witness:
                w = item.witness
                lines += wrap(f"{w['heading']}: {w['differences'][0]}", WIDTH, "      ", "        ")
                for case_line in w["case"]:
                    lines += wrap(case_line, WIDTH, "        case: ", "              ")
        if s.wording:
            lines += wrap(word("wording_only", lang, names=", ".join(s.wording)), WIDTH, "  ")
    return "\n".join(lines)


def render_diff_markdown(sections: list[Section], lang: str) -> str:
    lines: list[str] = []
    for s in sections:
        lines += [f"## {s.title}", "", s.summary, ""]
        for item in s.items:
            lines.append(f"- {item.head}")
            lines += [f"  - {label}: `{text}`" if label in _CODE_LABELS else f"  - {label}: {text}"
                      for label, text in item.details]
            if item.witness:
                w = item.witness
                lines.append(f"  - {w['heading']}:")
                lines += [f"    - {d}" for d in w["differences"]]
                lines += ["", "    ```yaml", *[f"    {c}" for c in w["case"]], "    ```", ""]
        if s.wording:
            lines += ["", word("wording_only", lang, names=", ".join(s.wording))]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_CODE_LABELS = {"when", "then", "før", "etter", "before", "after", "når", "så"}


def render_diff_html(sections: list[Section], lang: str, appendix: str = "", notes=()) -> str:
    """The whole document; `appendix` (HTML, e.g. the impact of `--cases`) and `notes`
    (lines of text, e.g. a version added) are parts of it."""
    out = ["<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
           f"<title>{escape(word('diff_title', lang))}</title>",
           "<style>body{font:15px/1.5 Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
           "code,pre{font-size:.9rem}pre{background:#f4f4f4;padding:.4rem .6rem}"
           "@media print{pre{background:none;border:1px solid #999}}</style>", "</head>", "<body>",
           f"<h1>{escape(word('diff_title', lang))}</h1>"]
    out += [f"<p>{escape(line.strip())}</p>" for line in notes]
    for s in sections:
        out += [f"<h2>{escape(s.title)}</h2>", f"<p>{escape(s.summary)}</p>", "<ul>"]
        for item in s.items:
            out.append(f"<li>{escape(item.head)}<ul>")
            out += [f"<li>{escape(label)}: <code>{escape(text)}</code></li>" for label, text in item.details]
            if item.witness:
                w = item.witness
                out.append(f"<li>{escape(w['heading'])}:<ul>"
                           + "".join(f"<li>{escape(d)}</li>" for d in w["differences"]) + "</ul>"
                           + "<pre>" + escape("\n".join(w["case"])) + "</pre></li>")
            out.append("</ul></li>")
        out.append("</ul>")
        if s.wording:
            out.append(f"<p>{escape(word('wording_only', lang, names=', '.join(s.wording)))}</p>")
    if appendix:
        out.append(appendix)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
