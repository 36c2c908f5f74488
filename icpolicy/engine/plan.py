"""Plans: which decisions to run, in which order, to decide what was asked.

A plan is made once per set of asked decisions and cached by the compiled policy:
the runs in dependency order, grouped into case-level and per-project steps, and
the top-level case fields they (and their explanations) read, so a case is only
normalized as far as needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..lang import ast
from ..policy.model import Decision, Expr, PolicyModel

Run = Callable  # env -> (value, ids of the rules that decided it)


@dataclass(frozen=True, slots=True)
class Plan:
    """How to decide a set of decisions."""

    steps: tuple  # ((scope, ((name, run), ...)), ...) in dependency order
    wanted: frozenset  # every name evaluated: the asked ones and their dependencies
    fields: frozenset | None  # the top-level case fields read (None: the whole case)
    outputs: tuple  # the decisions shown in the result, in the policy's order
    per_project: bool  # whether any step runs per project
    case_runs: tuple  # when no step runs per project: the case-level runs, in order


def make_plan(
    model: PolicyModel, names: Iterable[str] | None, runners: dict, lazy: Iterable[str], fields_read: dict, output_names
) -> Plan:
    """Plan `names` (every node when None; definitions too, for explanations)."""
    wanted = closure(model, model.nodes if names is None else names, explain=False)
    shown = closure(model, wanted, explain=True)  # what explanations may show too
    steps: list = []
    for name in model.order:
        if name not in wanted or name in lazy:
            continue
        scope = model.nodes[name].scope
        if steps and steps[-1][0] == scope:
            steps[-1][1].append((name, runners[name]))
        else:
            steps.append((scope, [(name, runners[name])]))
    fields = {"id"}
    for name in shown:
        fields |= fields_read[name]
        if model.nodes[name].scope == "project":
            fields.add("projects")
    outputs = tuple(n for n in output_names if names is None or n in wanted)
    per_project = any(scope == "project" for scope, _ in steps)
    # Without per-project steps there is at most one step, of case-level runs.
    case_runs = () if per_project or not steps else tuple(steps[0][1])
    return Plan(
        steps=tuple((scope, tuple(runs)) for scope, runs in steps),
        wanted=frozenset(wanted),
        fields=None if names is None else frozenset(fields),
        outputs=outputs,
        per_project=per_project,
        case_runs=case_runs,
    )


def closure(model: PolicyModel, names, explain: bool) -> set:
    """`names` and everything they depend on (and, with `explain`, what their
    explanations show)."""
    out: set = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in out:
            out.add(name)
            todo.extend(model.deps.get(name, ()))
            if explain:
                todo.extend(model.explain_deps.get(name, ()))
    return out


def case_fields(node: Decision) -> set:
    """The top-level case fields a decision's expressions and explanations read."""
    exprs = [node.value, node.default]
    for rule in node.rules:
        exprs += [rule.when, rule.value]
        exprs += [p for p in rule.explanation.parts if isinstance(p, Expr)]
    if node.explanation is not None:
        exprs += [p for p in node.explanation.parts if isinstance(p, Expr)]
    fields = set()
    for expr in exprs:
        if expr is None:
            continue
        for sub in ast.walk(expr.node):
            if isinstance(sub, ast.Name):
                info = expr.checked.names.get(id(sub))
                if info is not None and info.kind == "case":
                    fields.add(sub.name)
    return fields
