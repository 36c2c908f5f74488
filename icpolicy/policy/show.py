"""A policy version as one document, for auditors: `icpolicy show`.

The version in force on a date (or a named one) is printed whole, with what it
inherits merged in: as readable text, or as JSON/YAML data.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal

import yaml

from ..i18n import show as i18n_show
from ..i18n.texts import localized as _localized
from ..lang.printer import unparse
from ..values import dumps, show
from .model import Decision, Expr, PolicyModel, Rule

_ORDER = ("id", "version", "title", "description", "effective_from", "effective_to", "note", "sources", "parameters", "definitions", "decisions")


def as_data(model: PolicyModel, doc) -> dict:
    """The merged version document (as written), keys in the usual order, with where it came from."""
    data = {k: doc.data[k] for k in _ORDER if k in doc.data}
    data.update({k: v for k, v in doc.data.items() if k not in data and k != "extends"})
    return {"files": list(model.files), "sha256": model.sha256, **data}


def render_yaml(data: dict) -> str:
    return yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True, width=100)


def render_json(data: dict) -> str:
    return dumps(data, indent=2)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(str(value))  # display only
    return value


def localized(text, lang: str) -> str:
    return _localized(text, lang) or ""


# The words of `show`'s text, per language (the policy's own texts carry theirs).
_WORDS = {
    "en": {"heading": "Policy {id}, version {version}: {title}", "in_force": "In force: {start} to {end}",
           "always": "always", "further": "further notice", "note": "Note: ", "files": "Files: ",
           "sources": "Sources:", "parameters": "Parameters:", "definitions": "Definitions:",
           "decisions": "Decisions:", "each": " (for each project)", "each_decision": ", for each project",
           "one_of": ", one of {values}", "default": "default: ", "source": "source: ", "reading": "reading: ",
           "overrides": "overrides: ", "all_rules": "all other rules", "rule_always": "always ",
           "when": "when {expr} ", "then": "then {expr}"},
    "nb": {"heading": "Regelverk {id}, versjon {version}: {title}", "in_force": "Gjelder: {start} til {end}",
           "always": "alltid", "further": "inntil videre", "note": "Merknad: ", "files": "Filer: ",
           "sources": "Kilder:", "parameters": "Parametere:", "definitions": "Definisjoner:",
           "decisions": "Avgjørelser:", "each": " (for hvert prosjekt)", "each_decision": ", for hvert prosjekt",
           "one_of": ", en av {values}", "default": "ellers: ", "source": "kilde: ", "reading": "tolkning: ",
           "overrides": "går foran: ", "all_rules": "alle andre regler", "rule_always": "alltid ",
           "when": "når {expr} ", "then": "så {expr}"},
}


def shown_value(value, typ, lang: str) -> str:
    """A value in an auditor's table: English keeps the policy file's notation
    ([NSPA, FMS], 2004-05-01, true); Norwegian reads as prose (1. mai 2004, ja)."""
    return show(value, typ) if lang == "en" else i18n_show(value, typ, lang)


def render_text(model: PolicyModel, lang: str = "en") -> str:
    words = _WORDS[lang]
    out = _header(model, lang, words)
    out += _sources(model, lang, words)
    out += _parameters(model, lang, words)
    out += _definitions(model, words)
    out += ["", words["decisions"]]
    for node in model.decisions():
        out += _decision(node, lang, words)
    return "\n".join(out)


def _header(model: PolicyModel, lang: str, words: dict) -> list[str]:
    out = [words["heading"].format(id=model.id, version=model.version, title=localized(model.title, lang))]
    start, end = model.effective_from or words["always"], model.effective_to or words["further"]
    out.append(words["in_force"].format(start=start, end=end))
    if model.note:
        out += _wrapped(words["note"] + localized(model.note, lang), "  ")
    out.append(words["files"] + ", ".join(model.files))
    out.append(f"sha256: {model.sha256}")
    return out


def _sources(model: PolicyModel, lang: str, words: dict) -> list[str]:
    if not model.sources:
        return []
    out = ["", words["sources"]]
    for key, src in model.sources.items():
        extra = ", ".join(localized(x, lang) for x in (src.get("publisher"), src.get("url")) if x)
        out.append(f"  {key}: {localized(src['title'], lang)}" + (f" ({extra})" if extra else ""))
    return out


def _parameters(model: PolicyModel, lang: str, words: dict) -> list[str]:
    out = ["", words["parameters"]]
    for name, p in model.parameters.items():
        out.append(f"  {name} = {shown_value(p.value, p.type, lang)}")
        if p.description:
            out += _wrapped(localized(p.description, lang), "      ")
        out += _wrapped(words["source"] + p.source.citation(), "      ")
    return out


def _definitions(model: PolicyModel, words: dict) -> list[str]:
    definitions = [n for n in model.nodes.values() if not n.output]
    if not definitions:
        return []
    out = ["", words["definitions"]]
    for node in definitions:
        scope = words["each"] if node.scope == "project" else ""
        out += _wrapped(f"{node.name}{scope} = {_text(node.value)}", "  ", "      ")
    return out


def _decision(node: Decision, lang: str, words: dict) -> list[str]:
    scope = words["each_decision"] if node.scope == "project" else ""
    values = words["one_of"].format(values=" | ".join(node.values)) if node.values else ""
    out = [f"  {node.name} ({node.type}{values}{scope})"]
    if node.description:
        out += _wrapped(localized(node.description, lang), "      ")
    if node.value is not None:
        out += _wrapped(f"= {_text(node.value)}", "      ", "        ")
    else:
        out += _wrapped(words["default"] + _text(node.default), "      ")
    for rule in node.rules:
        out += _rule(rule, lang, words)
    return out


def _rule(rule: Rule, lang: str, words: dict) -> list[str]:
    when = words["when"].format(expr=_text(rule.when)) if rule.when is not None else words["rule_always"]
    out = _wrapped(f"{rule.id}: {when}" + words["then"].format(expr=_text(rule.value)), "    - ", "        ")
    if rule.overrides:
        target = words["all_rules"] if rule.overrides == "all" else ", ".join(rule.overrides)
        out.append(f"        {words['overrides']}{target}")
    out += _wrapped(words["source"] + rule.source.citation(), "        ", "          ")
    if rule.source.interpretation:
        out += _wrapped(words["reading"] + localized(rule.source.interpretation, lang), "        ", "          ")
    return out


def _text(expr: Expr | None) -> str:
    return unparse(expr.node) if expr is not None else ""


def _wrapped(text: str, first: str, rest: str | None = None) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), 92, initial_indent=first, subsequent_indent=rest or first)


_EXPRESSION_KEYS = {"value", "default", "when"}


def canonical_file_text(doc) -> str:
    """One policy file rendered canonically, for `git diff` (textconv): every expression
    printed in one standard way and YAML layout normalised, so reformatting shows no
    difference while any change of meaning does. The file is not merged or checked."""
    return render_yaml(_canonical_data(doc.data, ()))


def _canonical_data(value, path):
    from ..diagnostics import IcpolicyError
    from ..lang.parser import parse_expr

    if isinstance(value, dict):
        return {k: _canonical_data(v, path + (k,)) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical_data(v, path + (i,)) for i, v in enumerate(value)]
    if isinstance(value, str):
        if path and path[-1] in _EXPRESSION_KEYS and path[0] in ("parameters", "definitions", "decisions"):
            from .compare import _rename

            try:
                # Lambda variables are renamed by position: renaming one is no change.
                return unparse(_rename(parse_expr(value), {}, 0))
            except IcpolicyError:
                return value
        return " ".join(value.split())
    return value
