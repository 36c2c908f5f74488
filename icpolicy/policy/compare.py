"""Comparing two policy versions by meaning, in the words an auditor uses.

Expressions are compared after parsing (layout and parentheses do not matter),
with definitions written out in place (renaming a helper is no change) and lambda
variables renamed by position (`c -> c.date` equals `x -> x.date`). A comparison
that flips from `>` to `>=` is a change; reordering rules or parameters is not.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..lang import ast
from ..lang.printer import unparse
from ..values import show
from .model import Decision, Parameter, PolicyModel, Rule, SourceRef


@dataclass
class Change:
    kind: str  # version | period | source | parameter | decision | rule | exception | wording
    action: str  # added | removed | changed
    name: str
    text: str  # the change in an auditor's words
    old: str | None = None
    new: str | None = None
    decision: str | None = None
    semantic: bool = True
    refs: set = field(default_factory=set)  # parameters, rules and decisions it concerns
    witnesses: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "action": self.action,
            "name": self.name,
            "decision": self.decision,
            "text": self.text,
            "old": self.old,
            "new": self.new,
            "semantic": self.semantic,
            "witnesses": [w.to_dict() for w in self.witnesses],
        }


def compare_models(old: PolicyModel, new: PolicyModel) -> list[Change]:
    changes: list[Change] = []
    changes += _metadata(old, new)
    changes += _sources(old, new)
    changes += _parameters(old, new)
    changes += _definitions(old, new)
    changes += _decisions(old, new)
    return changes


def _definitions(old: PolicyModel, new: PolicyModel) -> list[Change]:
    """Helpers that mean something else now (renaming one is no change: rules are
    compared with helpers written out, and a renamed helper prints the same)."""
    out = []
    a_defs = {n.name: n for n in old.nodes.values() if not n.output}
    b_defs = {n.name: n for n in new.nodes.values() if not n.output}
    for name in a_defs.keys() & b_defs.keys():
        a, b = a_defs[name], b_defs[name]
        if canonical(a.value, old) != canonical(b.value, new):
            out.append(Change("definition", "changed", name, f"definition {name} changed", _text(a.value), _text(b.value),
                              refs={name} | _names(a.value) | _names(b.value)))
    return sorted(out, key=lambda c: c.name)


def _metadata(old: PolicyModel, new: PolicyModel) -> list[Change]:
    out = []
    if old.version != new.version:
        out.append(Change("version", "changed", "version", f"version {old.version} -> {new.version}", old.version, new.version, semantic=False))
    for key in ("effective_from", "effective_to"):
        a, b = getattr(old, key), getattr(new, key)
        if a != b:
            label = "in force from" if key == "effective_from" else "in force until"
            out.append(Change("period", "changed", key, f"{label}: {a or 'not set'} -> {b or 'not set'}", a, b))
    for key in ("title", "note", "description"):
        a, b = getattr(old, key), getattr(new, key)
        if _words(a) != _words(b):
            out.append(Change("wording", "changed", key, f"{key} reworded", a, b, semantic=False))
    return out


def _words(text):
    return " ".join(text.split()) if isinstance(text, str) else text


def _sources(old: PolicyModel, new: PolicyModel) -> list[Change]:
    out = []
    for key in sorted(set(old.sources) | set(new.sources)):
        a, b = old.sources.get(key), new.sources.get(key)
        if a is None and b is not None:
            out.append(Change("source", "added", key, f"source added: {key} ({b.get('title')})", None, b.get("title")))
        elif b is None and a is not None:
            out.append(Change("source", "removed", key, f"source removed: {key} ({a.get('title')})", a.get("title"), None))
        elif a is not None and b is not None and {k: _words(v) for k, v in a.items()} != {k: _words(v) for k, v in b.items()}:
            out.append(Change("source", "changed", key, f"source {key} changed", str(a), str(b)))
    return out


def _parameters(old: PolicyModel, new: PolicyModel) -> list[Change]:
    out = []
    for name in _union(old.parameters, new.parameters):
        a, b = old.parameters.get(name), new.parameters.get(name)
        if a is None and b is not None:
            out.append(Change("parameter", "added", name, f"parameter {name} added: {show(b.value, b.type)} ({b.source.citation()})",
                              None, show(b.value, b.type), refs={name}))
        elif b is None and a is not None:
            out.append(Change("parameter", "removed", name, f"parameter {name} removed (was {show(a.value, a.type)})",
                              show(a.value, a.type), None, refs={name}))
        elif a is not None and b is not None:
            out += _parameter_changes(name, a, b)
    return out


def _parameter_changes(name: str, a: Parameter, b: Parameter) -> list[Change]:
    out = []
    if (a.type, a.value) != (b.type, b.value):
        out.append(Change(
            "parameter", "changed", name,
            f"{name}: {show(a.value, a.type)} -> {show(b.value, b.type)} (source: {b.source.citation()})",
            show(a.value, a.type), show(b.value, b.type), refs={name},
        ))
    if _source_key(a.source) != _source_key(b.source):
        out.append(Change("source", "changed", name, f"{name}: legal source changed to {b.source.citation()}",
                          a.source.citation(), b.source.citation(), refs={name}))
    return out


def _union(a: Mapping, b: Mapping) -> list:
    return list(a) + [k for k in b if k not in a]


def _source_key(src: SourceRef | None) -> tuple | None:
    if src is None:
        return None
    return (src.ref, _words(src.quote), _words(src.section), _words(src.interpretation))


def _decisions(old: PolicyModel, new: PolicyModel) -> list[Change]:
    out = []
    old_out = {d.name: d for d in old.decisions()}
    new_out = {d.name: d for d in new.decisions()}
    for name in _union(old_out, new_out):
        a, b = old_out.get(name), new_out.get(name)
        if a is None and b is not None:
            out.append(Change("decision", "added", name, f"decision {name} added ({b.type})", decision=name, refs={name}))
            out += [_rule_added(b, r, new) for r in b.rules]
        elif b is None and a is not None:
            out.append(Change("decision", "removed", name, f"decision {name} removed", decision=name, refs={name}))
            out += [_rule_removed(a, r, old) for r in a.rules]
        elif a is not None and b is not None:
            out += _decision_changes(a, b, old, new)
    return out


def _decision_changes(a: Decision, b: Decision, old: PolicyModel, new: PolicyModel) -> list[Change]:
    return [
        *_shape_changes(a, b),
        *_value_changes(a, b, old, new),
        *_decision_wording(a, b),
        *_rule_list_changes(a, b, old, new),
    ]


def _shape_changes(a: Decision, b: Decision) -> list[Change]:
    """Type, values or scope."""
    out = []
    name = a.name
    if (str(a.type), a.values, a.scope) != (str(b.type), b.values, b.scope):
        out.append(Change("decision", "changed", name, f"decision {name}: its type, values or scope changed",
                          f"{a.type} {a.values or ''} {a.scope}", f"{b.type} {b.values or ''} {b.scope}", decision=name, refs={name}))
    return out


def _value_changes(a: Decision, b: Decision, old: PolicyModel, new: PolicyModel) -> list[Change]:
    out = []
    for label, x, y in (("value", a.value, b.value), ("default", a.default, b.default)):
        if canonical(x, old) != canonical(y, new):
            out.append(Change("decision", "changed", a.name, f"decision {a.name}: {label} changed",
                              _text(x), _text(y), decision=a.name, refs={a.name} | _names(x) | _names(y)))
    return out


def _decision_wording(a: Decision, b: Decision) -> list[Change]:
    """The decision's own legal source, explanation and description."""
    out = []
    if _source_key(a.source) != _source_key(b.source):
        out.append(Change("source", "changed", a.name, f"decision {a.name}: legal source changed",
                          _citation(a.source), _citation(b.source), decision=a.name))
    texts = (
        ("explanation", a.explanation.text if a.explanation else None, b.explanation.text if b.explanation else None),
        ("description", a.description, b.description),
    )
    for label, tx, ty in texts:
        if _words(tx) != _words(ty):
            out.append(Change("wording", "changed", a.name, f"decision {a.name}: {label} reworded", tx, ty, decision=a.name, semantic=False))
    return out


def _rule_list_changes(a: Decision, b: Decision, old: PolicyModel, new: PolicyModel) -> list[Change]:
    out = []
    name = a.name
    rules_a = {r.id: r for r in a.rules}
    rules_b = {r.id: r for r in b.rules}
    common = [r for r in rules_a if r in rules_b]
    if common != [r for r in rules_b if r in rules_a]:
        out.append(Change("wording", "changed", name,
                          f"decision {name}: rules reordered (results list rule ids in the new order)",
                          ", ".join(common), ", ".join(r for r in rules_b if r in rules_a), decision=name, semantic=False))
    for rid in _union(rules_a, rules_b):
        ra, rb = rules_a.get(rid), rules_b.get(rid)
        if ra is None and rb is not None:
            out.append(_rule_added(b, rb, new))
        elif rb is None and ra is not None:
            out.append(_rule_removed(a, ra, old))
        elif ra is not None and rb is not None:
            out += _rule_changes(name, ra, rb, old, new)
    return out


def _citation(src: SourceRef | None) -> str | None:
    return src.citation() if src is not None else None


def _kind(decision: Decision, rule: Rule) -> str:
    """An exception sets the decision back to its default over other rules (E-FOA);
    a rule that overrides others but decides something else is still a rule."""
    default = decision.default.node if decision.default is not None else None
    back_to_default = default is not None and rule.value.node == default
    return "exception" if rule.overrides and back_to_default else "rule"


def _rule_added(decision: Decision, rule: Rule, model) -> Change:
    kind = _kind(decision, rule)
    when = f"when {_text(rule.when)} " if rule.when is not None else ""
    return Change(kind, "added", rule.id, f"{kind} {rule.id} added to {decision.name}: {when}then {_text(rule.value)}",
                  None, _rule_text(rule), decision=decision.name, refs={rule.id, decision.name} | _rule_names(rule))


def _rule_removed(decision: Decision, rule: Rule, model) -> Change:
    kind = _kind(decision, rule)
    return Change(kind, "removed", rule.id, f"{kind} {rule.id} removed from {decision.name}",
                  _rule_text(rule), None, decision=decision.name, refs={rule.id, decision.name} | _rule_names(rule))


def _rule_changes(decision: str, a: Rule, b: Rule, old, new) -> list[Change]:
    out = []
    refs = {a.id, decision} | _rule_names(a) | _rule_names(b)
    for label, x, y in (("condition", a.when, b.when), ("value", a.value, b.value)):
        cx, cy = canonical(x, old), canonical(y, new)
        if cx == cy:
            continue
        if _text(x) == _text(y):
            # Written the same: a helper it uses changed. Show it written out.
            through = ", ".join(sorted(n for n in _names(x) if _changed_definition(n, old, new)))
            out.append(Change("rule", "changed", a.id, f"rule {a.id}: {label} changed through {through or 'its definitions'}",
                              cx, cy, decision, refs=refs))
        else:
            out.append(Change("rule", "changed", a.id, f"rule {a.id}: {label} changed", _text(x), _text(y), decision, refs=refs))
    if _overrides(a) != _overrides(b):
        out.append(Change("exception", "changed", a.id, f"rule {a.id}: what it overrides changed",
                          str(_overrides(a) or "nothing"), str(_overrides(b) or "nothing"), decision, refs=refs))
    if _source_key(a.source) != _source_key(b.source):
        out.append(Change("source", "changed", a.id, f"rule {a.id}: legal source changed", a.source.citation(), b.source.citation(), decision, refs=refs))
    if _words(a.explanation.text) != _words(b.explanation.text):
        out.append(Change("wording", "changed", a.id, f"rule {a.id}: explanation reworded", a.explanation.text, b.explanation.text, decision, semantic=False))
    return out


def _changed_definition(name: str, old: PolicyModel, new: PolicyModel) -> bool:
    a, b = old.nodes.get(name), new.nodes.get(name)
    if a is None or b is None or a.output or b.output:
        return False
    return canonical(a.value, old) != canonical(b.value, new)


def _overrides(rule: Rule):
    return "all" if rule.overrides == "all" else tuple(sorted(rule.overrides))


def _rule_text(rule: Rule) -> str:
    when = f"when {_text(rule.when)} " if rule.when is not None else ""
    return f"{when}then {_text(rule.value)}"


def _text(expr) -> str | None:
    return None if expr is None else unparse(expr.node)


def _names(expr) -> set:
    if expr is None:
        return set()
    return {n.name for n in ast.walk(expr.node) if isinstance(n, ast.Name)}


def _rule_names(rule: Rule) -> set:
    return _names(rule.when) | _names(rule.value)


def canonical(expr, model: PolicyModel) -> str | None:
    """An expression's meaning as text: definitions written out, lambda variables renamed."""
    if expr is None:
        return None
    definitions = {n.name: n for n in model.nodes.values() if not n.output}
    return unparse(_rename(_inline(expr.node, definitions, ()), {}, 0))


def _inline(node: ast.Node, definitions: dict, seen: tuple) -> ast.Node:
    if isinstance(node, ast.Name) and node.name in definitions and node.name not in seen:
        body = definitions[node.name].value.node
        return _inline(body, definitions, seen + (node.name,))
    if isinstance(node, ast.Field) and isinstance(node.target, ast.Name) and node.target.name == "project" and node.name in definitions:
        body = definitions[node.name].value.node
        return _inline(body, definitions, seen + (node.name,))
    return _map_children(node, lambda child: _inline(child, definitions, seen))


def _rename(node: ast.Node, names: dict, depth: int) -> ast.Node:
    if isinstance(node, ast.Lambda):
        fresh = f"_{depth}"
        inner = {**names, node.param: fresh}
        return ast.Lambda(fresh, _rename(node.body, inner, depth + 1))
    if isinstance(node, ast.Name) and node.name in names:
        return ast.Name(names[node.name])
    return _map_children(node, lambda child: _rename(child, names, depth))


def _map_children(node: ast.Node, fn) -> ast.Node:
    changes = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if isinstance(value, ast.Node):
            changes[f.name] = fn(value)
        elif isinstance(value, tuple) and value and isinstance(value[0], ast.Node):
            changes[f.name] = tuple(fn(v) for v in value)
    return dataclasses.replace(node, **changes) if changes else node
