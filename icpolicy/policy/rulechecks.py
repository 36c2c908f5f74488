"""Checks of a decision's rules that need no case: conflicts, override circles, values.

Each check reports through `report(code, message, path, help=None, pos=None)`, so
the loader places it in the file. All of them are linear in the number of rules
and overrides written (a decision of 2 000 rules that all override all loads as
fast as one of 2 000 independent rules): `overrides: all` is one edge to a hub
that reaches every rule, not an edge to each of them, and conflicting pairs are
found by grouping rules by value rather than by comparing every pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TypeGuard

from ..diagnostics import suggest
from ..lang import ast
from ..lang import types as T
from ..lang.compile import compile_expr
from ..values import show
from .graph import components
from .model import Decision, Expr, Rule

Report = Callable[..., None]

CONFLICTS_SHOWN = 20  # conflicting pairs reported one by one per decision; the rest are counted
_NOT_CONST = object()
_HUB = ""  # stands for "every rule" in the override graph (no rule id is empty)


def constant_of(expr: Expr):
    """The value of an expression that is a literal as written, or _NOT_CONST."""
    node = expr.node
    return node.value if isinstance(node, ast.Literal) else _NOT_CONST


def shown(value) -> str:
    return repr(value) if isinstance(value, str) else show(value)


def overrides(a: Rule, b: Rule) -> bool:
    return a.overrides == "all" or b.id in a.overrides


def check_override_targets(node: Decision, raw_rules: list, report: Report) -> None:
    """Each `overrides:` entry names another rule of the same decision."""
    ids = [r["id"] for r in raw_rules]
    for i, raw in enumerate(raw_rules):
        targets = raw.get("overrides", ())
        if targets == "all":
            continue
        for j, target in enumerate(targets):
            path = node.path + ("rules", i, "overrides", j)
            if target not in ids:
                report("E-RULE", f"'{target}' is not a rule of '{node.name}'", path, suggest(target, ids))
            elif target == raw["id"]:
                report("E-RULE", "a rule cannot override itself", path)


def override_circles(rules: Iterable[Rule]) -> list[list[Rule]]:
    """The groups of two or more rules that override one another round a circle (each
    reaches every other through `overrides`), each group and the groups in file order."""
    rules = list(rules)
    by_id = {r.id: r for r in rules}
    position = {r.id: i for i, r in enumerate(rules)}

    def successors(name: str) -> list[str]:
        if name == _HUB:
            return list(by_id)
        rule = by_id[name]
        if rule.overrides == "all":
            return [_HUB]
        return [t for t in rule.overrides if t in by_id and t != name]

    groups = []
    for part in components(list(by_id), successors):
        members = sorted((by_id[n] for n in part if n != _HUB), key=lambda r: position[r.id])
        if len(members) > 1:
            groups.append(members)
    return sorted(groups, key=lambda g: position[g[0].id])


def check_override_circles(node: Decision, report: Report) -> None:
    """Rules that override each other (directly or round a circle) and give different
    constant values: when they all fire, none would be left. (Several exceptions that
    each override all the rest but agree, like two `false` exemptions, are fine.)"""
    for group in override_circles(node.rules):
        values = [constant_of(r.value) for r in group]
        if _NOT_CONST in values or len({repr(v) for v in values}) < 2:
            continue
        report(
            "E-RULE",
            f"rules {_listed([r.id for r in group])} of '{node.name}' override each other and give different values "
            f"({_listed([shown(v) for v in values], ', ')})",
            group[-1].path + ("overrides",),
            "only one of them can win: remove the override from the others",
        )


def _listed(items: list[str], last: str = " and ", shown_at_most: int = 8) -> str:
    """`a, b and c`; a long list cut in the middle, saying how long it was."""
    if len(items) > shown_at_most:
        return ", ".join(items[: shown_at_most - 1]) + f", ... ({len(items) - shown_at_most} more){last}{items[-1]}"
    return ", ".join(items[:-1]) + last + items[-1]


def conflicting_pairs(rules: Iterable[Rule], limit: int) -> tuple[list[tuple[Rule, Rule]], int]:
    """Pairs (earlier, later) of rules with different constant values, neither
    overriding the other: the first `limit` found, and how many there are in all."""
    candidates = [r for r in rules if r.overrides != "all" and constant_of(r.value) is not _NOT_CONST]
    position = {r.id: i for i, r in enumerate(candidates)}
    overridden_by: dict[str, set[str]] = defaultdict(set)
    for rule in candidates:
        for target in rule.overrides:
            overridden_by[target].add(rule.id)
    earlier: dict[object, list[Rule]] = defaultdict(list)  # value -> rules seen so far
    found: list[tuple[Rule, Rule]] = []
    total = 0
    for index, rule in enumerate(candidates):
        value = _key(constant_of(rule.value))
        related = {t for t in (*rule.overrides, *overridden_by[rule.id]) if position.get(t, index) < index}
        same = len(earlier[value])
        excused = sum(1 for t in related if _key(constant_of(candidates[position[t]].value)) != value)
        total += index - same - excused
        if len(found) < limit:
            for other_value, others in earlier.items():
                if other_value == value:
                    continue
                found += [(a, rule) for a in others if a.id not in related][: limit - len(found)]
                if len(found) >= limit:
                    break
        earlier[value].append(rule)
    found.sort(key=lambda pair: (position[pair[1].id], position[pair[0].id]))
    return found, total


def _key(value):
    """A value as a dict key: equal values (1 and 1.0) are one key."""
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def check_static_conflicts(node: Decision, report: Report) -> None:
    """Two rules with different constant values, neither overriding the other."""
    pairs, total = conflicting_pairs(node.rules, CONFLICTS_SHOWN)
    for a, b in pairs:
        va, vb = constant_of(a.value), constant_of(b.value)
        report(
            "E-CONFLICT",
            f"rules {a.id} and {b.id} of '{node.name}' give different values ({shown(va)}, {shown(vb)}) and neither overrides the other",
            b.path + ("id",),
            f"add `overrides: [{a.id}]` to {b.id} (or the reverse) to say which one wins",
        )
    if total > len(pairs):
        report(
            "E-CONFLICT",
            f"{total - len(pairs)} more pairs of rules of '{node.name}' give different values and neither overrides the other",
            node.path + ("rules",),
            "say which rule wins with `overrides:` (an exception that wins over all: `overrides: all`)",
        )


def check_literal_values(node: Decision, expr: Expr, report: Report) -> None:
    """A string decision's value, written as a literal, is one of its `values`."""
    if not node.values:
        return
    allowed = " | ".join(node.values)
    if not expr.checked.problems:
        compiled = compile_expr(expr.node, expr.checked)
        if compiled.is_constant and compiled.constant not in node.values:
            report(
                "E-ENUM",
                f"{compiled.constant!r} is not a value of '{node.name}' (one of {allowed})",
                expr.path,
                suggest(str(compiled.constant), node.values),
            )
            return
    for sub in ast.walk(expr.node):
        if _is_result_literal(expr.node, sub) and sub.kind == "string" and sub.value not in node.values:
            value = str(sub.value)
            report(
                "E-ENUM",
                f"{value!r} is not a value of '{node.name}' (one of {allowed})",
                expr.path,
                suggest(value, node.values),
                sub.pos,
            )


def _is_result_literal(root: ast.Node, lit: ast.Node) -> TypeGuard[ast.Literal]:
    """Whether `lit` is a literal that can be the expression's result (not a comparison operand)."""
    if root is lit:
        return isinstance(lit, ast.Literal)
    if isinstance(root, ast.IfExpr):
        return _is_result_literal(root.then, lit) or _is_result_literal(root.other, lit)
    return False


def fits(want: T.Type, got: T.Type) -> bool:
    """Whether a value of type `got` may be the value of a decision of type `want`."""
    if T.unify(want, got) == want:
        return True
    # A string from the case cannot be checked against the decision's values here.
    return isinstance(want, T.Str) and isinstance(got, T.Str) and got.values is None


def unit_fits(unit: str, typ: T.Type) -> bool:
    expected = {
        "NOK": T.MONEY,
        "share": T.SHARE,
        "years": T.DURATION,
        "days": T.DURATION,
        "number": T.NUMBER,
    }.get(unit)
    if expected is not None:
        return typ == expected
    if unit in ("string", "country"):
        return isinstance(typ, T.Str)
    if unit == "date":
        return typ == T.DATE
    return isinstance(typ, T.ListOf)
