"""A policy version as one document, for auditors: `icpolicy show`.

The version in force on a date (or a named one) is printed whole, with what it
inherits merged in: as readable text, or as JSON/YAML data.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal

import yaml

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


def render_text(model: PolicyModel) -> str:
    out = _header(model)
    out += _sources(model)
    out += _parameters(model)
    out += _definitions(model)
    out += ["", "Decisions:"]
    for node in model.decisions():
        out += _decision(node)
    return "\n".join(out)


def _header(model: PolicyModel) -> list[str]:
    out = [f"Policy {model.id}, version {model.version}: {model.title}"]
    period = f"{model.effective_from or 'always'} to {model.effective_to or 'further notice'}"
    out.append(f"In force: {period}")
    if model.note:
        out += _wrapped("Note: " + model.note, "  ")
    out.append("Files: " + ", ".join(model.files))
    out.append(f"sha256: {model.sha256}")
    return out


def _sources(model: PolicyModel) -> list[str]:
    if not model.sources:
        return []
    out = ["", "Sources:"]
    for key, src in model.sources.items():
        extra = ", ".join(x for x in (src.get("publisher"), src.get("url")) if x)
        out.append(f"  {key}: {src['title']}" + (f" ({extra})" if extra else ""))
    return out


def _parameters(model: PolicyModel) -> list[str]:
    out = ["", "Parameters:"]
    for name, p in model.parameters.items():
        out.append(f"  {name} = {show(p.value, p.type)}")
        if p.description:
            out += _wrapped(p.description, "      ")
        out += _wrapped("source: " + p.source.citation(), "      ")
    return out


def _definitions(model: PolicyModel) -> list[str]:
    definitions = [n for n in model.nodes.values() if not n.output]
    if not definitions:
        return []
    out = ["", "Definitions:"]
    for node in definitions:
        scope = " (for each project)" if node.scope == "project" else ""
        out += _wrapped(f"{node.name}{scope} = {_text(node.value)}", "  ", "      ")
    return out


def _decision(node: Decision) -> list[str]:
    scope = ", for each project" if node.scope == "project" else ""
    values = f", one of {' | '.join(node.values)}" if node.values else ""
    out = [f"  {node.name} ({node.type}{values}{scope})"]
    if node.description:
        out += _wrapped(node.description, "      ")
    if node.value is not None:
        out += _wrapped(f"= {_text(node.value)}", "      ", "        ")
    else:
        out += _wrapped(f"default: {_text(node.default)}", "      ")
    for rule in node.rules:
        out += _rule(rule)
    return out


def _rule(rule: Rule) -> list[str]:
    when = f"when {_text(rule.when)} " if rule.when is not None else "always "
    out = _wrapped(f"{rule.id}: {when}then {_text(rule.value)}", "    - ", "        ")
    if rule.overrides:
        target = "all other rules" if rule.overrides == "all" else ", ".join(rule.overrides)
        out.append(f"        overrides: {target}")
    out += _wrapped("source: " + rule.source.citation(), "        ", "          ")
    if rule.source.interpretation:
        out += _wrapped("reading: " + rule.source.interpretation, "        ", "          ")
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
