"""Checks of a decision's rules that need no case: conflicts, override circles, values.

Each check reports through `report(code, message, path, help=None, pos=None)`, so
the loader places it in the file. All of them are linear in the number of rules
and overrides written (a decision of 2 000 rules that all override all loads as
fast as one of 2 000 independent rules): `overrides: all` is one edge to a hub
that reaches every rule, not an edge to each of them, and conflicting pairs are
found by grouping rules by value rather than by comparing every pair. A pair of
rules with different values is a conflict only when lang/conditions.py cannot prove
their conditions exclusive, and then with a case on which both fire
(conflict_cases.py); at most PAIRS_CHECKED pairs are proved per decision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypeGuard

from ..diagnostics import suggest
from ..lang import ast
from ..lang import types as T
from ..lang.checker import Checked
from ..lang.compile import compile_expr
from ..lang.conditions import ANY, DNF, Resolve, disjuncts, exclusive
from ..values import show
from .conflict_cases import CaseMaker, find_witness, witness_yaml
from .graph import components
from .model import Decision, Expr, Rule

Report = Callable[..., None]

CONFLICTS_SHOWN = 20  # conflicting pairs reported one by one per decision; the rest are counted
PAIRS_CHECKED = 100_000  # pairs proved exclusive or not per decision, at most; the rest are counted
_NOT_CONST = object()
_HUB = ""  # stands for "every rule" in the override graph (no rule id is empty)


def constant_of(expr: Expr):
    """The value of an expression that is a literal as written, or _NOT_CONST."""
    node = expr.node
    return node.value if isinstance(node, ast.Literal) else _NOT_CONST


def shown(value) -> str:
    return repr(value) if isinstance(value, str) else show(value)


def definition_resolver(nodes: Mapping[str, Decision]) -> Resolve:
    """How lang/conditions.py reads a name through: a definition's expression (never a
    decision's, whose value its rules make)."""

    def resolve(node: ast.Name, checked: Checked):
        info = checked.names.get(id(node))
        if info is None or info.kind not in ("computed", "project_computed"):
            return None
        target = nodes.get(node.name)
        if target is None or target.output or target.value is None:
            return None
        return target.value.node, target.value.checked

    return resolve


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


def conflicting_pairs(rules: Iterable[Rule]) -> tuple[Iterator[tuple[Rule, Rule]], int]:
    """Pairs (earlier, later) of rules with different constant values, neither
    overriding the other, each later rule's in turn (lazily: there may be millions),
    and how many there are in all (counted without listing them)."""
    candidates = [r for r in rules if r.overrides != "all" and constant_of(r.value) is not _NOT_CONST]
    position = {r.id: i for i, r in enumerate(candidates)}
    overridden_by: dict[str, set[str]] = defaultdict(set)
    for rule in candidates:
        for target in rule.overrides:
            overridden_by[target].add(rule.id)

    def related(index: int, rule: Rule) -> set[str]:
        return {t for t in (*rule.overrides, *overridden_by[rule.id]) if position.get(t, index) < index}

    total = 0
    seen: dict[object, int] = defaultdict(int)  # value -> rules with it so far
    for index, rule in enumerate(candidates):
        value = _key(constant_of(rule.value))
        excused = sum(1 for t in related(index, rule) if _key(constant_of(candidates[position[t]].value)) != value)
        total += index - seen[value] - excused
        seen[value] += 1

    def pairs() -> Iterator[tuple[Rule, Rule]]:
        earlier: dict[object, list[Rule]] = defaultdict(list)  # value -> rules seen so far
        for index, rule in enumerate(candidates):
            value = _key(constant_of(rule.value))
            near = related(index, rule)
            for other_value, others in earlier.items():
                if other_value != value:
                    yield from ((a, rule) for a in others if a.id not in near)
            earlier[value].append(rule)

    return pairs(), total


def _key(value):
    """A value as a dict key: equal values (1 and 1.0) are one key."""
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def check_static_conflicts(node: Decision, report: Report, maker: CaseMaker) -> None:
    """Two rules with different constant values, neither overriding the other, whose
    conditions are not proved exclusive (lang/conditions.py): a conflict with a case on
    which both fire, or, when none is found, a pair that may fire together."""
    pairs, total = conflicting_pairs(node.rules)
    resolve = definition_resolver(maker.nodes)
    readings: dict[str, DNF] = {}

    def reading(rule: Rule) -> DNF:
        if rule.id not in readings:
            when = rule.when
            readings[rule.id] = [ANY] if when is None or when.checked.problems else disjuncts(when.node, when.checked, resolve)
        return readings[rule.id]

    shown_pairs = checked = 0
    for a, b in pairs:
        if shown_pairs >= CONFLICTS_SHOWN or checked >= PAIRS_CHECKED:
            break
        checked += 1
        if exclusive(reading(a), reading(b)):
            continue
        shown_pairs += 1
        witness = find_witness(maker, node.scope, [a.when, b.when], [reading(a), reading(b)])
        _report_pair(node, a, b, witness, report)
    if total > checked:
        report(
            "E-MAY-CONFLICT",
            f"{total - checked} more pairs of rules of '{node.name}' give different values, neither overriding the other, "
            "and were not checked for a case on which both fire: they may fire together",
            node.path + ("rules",),
            "say which rule wins with `overrides:` (an exception that wins over all: `overrides: all`)",
        )


def _report_pair(node: Decision, a: Rule, b: Rule, witness: dict | None, report: Report) -> None:
    values = f"({shown(constant_of(a.value))}, {shown(constant_of(b.value))})"
    advice = f"add `overrides: [{a.id}]` to {b.id} (or the reverse) to say which one wins"
    if witness is not None:
        case = "\n".join("      " + line for line in witness_yaml(witness).splitlines())
        report(
            "E-CONFLICT",
            f"rules {a.id} and {b.id} of '{node.name}' give different values {values}, both fire on the case below, "
            "and neither overrides the other",
            b.path + ("id",),
            f"{advice}; both fire on this case:\n{case}",
        )
        return
    report(
        "E-MAY-CONFLICT",
        f"rules {a.id} and {b.id} of '{node.name}' give different values {values} and neither overrides the other; "
        "they may fire together (their conditions are not proved exclusive, and no case was found on which both fire)",
        b.path + ("id",),
        f"{advice}, or write their conditions so that one excludes the other (a test of the same field)",
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
