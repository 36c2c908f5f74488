"""Mutation testing: change the policy one small step at a time and check that the
tests notice.

Mutants are made in memory from the policy's own text: each comparison flipped
(`>` <-> `>=`, `<` <-> `<=`), each threshold parameter moved by its smallest unit
either way, each exception (a rule that overrides others) dropped, each condition
negated, each `and`/`or` swapped. A mutant survives when every test still passes:
then no test pins that detail of the rule.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..diagnostics import IcpolicyError, Span
from ..lang import ast
from ..lang.printer import unparse
from ..policy.model import Expr, PolicyModel
from ..yamlsource import Document, expression_span

_FLIP = {">": ">=", ">=": ">", "<": "<=", "<=": "<"}
_SMALLEST = {"money": Decimal("0.01"), "share": Decimal("0.000001")}


@dataclass
class Mutant:
    kind: str  # flip | parameter | drop-exception | negate | swap
    where: Span
    rule: str | None  # the rule or definition it sits in
    before: str
    after: str
    apply: Callable  # data -> mutated data
    path: tuple = ()  # where in the policy document the change is made

    def describe(self) -> str:
        place = f"{self.rule}: " if self.rule else ""
        return f"{self.where}: {place}{self.kind}: `{self.before}` -> `{self.after}`"


def mutants(model: PolicyModel, doc: Document) -> Iterator[Mutant]:
    for expr, owner in _expressions(model):
        yield from _expression_mutants(expr, owner, doc)
    for name, param in model.parameters.items():
        yield from _parameter_mutants(name, param, doc)
    for node in model.decisions():
        for index, rule in enumerate(node.rules):
            if rule.overrides:
                rules_path = node.path + ("rules",)
                yield Mutant(
                    "drop-exception",
                    doc.span(rule.path + ("id",)),
                    rule.id,
                    rule.id,
                    "(removed)",
                    _drop(rules_path, index),
                    rule.path,
                )


def _expressions(model: PolicyModel):
    for node in model.nodes.values():
        if node.value is not None:
            yield node.value, node.name
        if node.default is not None:
            yield node.default, node.name
        for rule in node.rules:
            if rule.when is not None:
                yield rule.when, rule.id
            yield rule.value, rule.id


def _expression_mutants(expr: Expr, owner: str, doc: Document):
    root = expr.node
    for sub in ast.walk(root):
        if isinstance(sub, ast.Binary) and sub.op in _FLIP:
            new: ast.Node = dataclasses.replace(sub, op=_FLIP[sub.op])
            yield _replace_mutant("flip", expr, owner, doc, sub, new)
        elif isinstance(sub, ast.BoolOp):
            new = dataclasses.replace(sub, op="or" if sub.op == "and" else "and")
            yield _replace_mutant("swap", expr, owner, doc, sub, new)
    if expr.path[-1] == "when":
        negated = ast.Unary("not", root)
        yield Mutant(
            "negate",
            _span(doc, expr, root),
            owner,
            unparse(root),
            unparse(negated),
            _set(expr.path, unparse(negated)),
            expr.path,
        )


def _replace_mutant(kind, expr: Expr, owner, doc, target, new) -> Mutant:
    mutated = _replace(expr.node, target, new)
    return Mutant(kind, _span(doc, expr, target), owner, unparse(target), unparse(new), _set(expr.path, unparse(mutated)), expr.path)


def _parameter_mutants(name, param, doc: Document):
    value = param.value
    if isinstance(value, Decimal) and param.expr.node.__class__ is ast.Literal:
        step = _SMALLEST.get(param.expr.node.kind, Decimal(1) if value == value.to_integral_value() else Decimal("0.01"))
        for sign in (1, -1):
            moved = ast.Literal(value + sign * step, param.expr.node.kind)
            yield Mutant("parameter", doc.span(param.expr.path), name, param.expr.text, unparse(moved), _set(param.expr.path, unparse(moved)), param.expr.path)
    elif isinstance(value, dt.date):
        for sign in (1, -1):
            moved = ast.Literal(value + dt.timedelta(days=sign), "date")
            yield Mutant("parameter", doc.span(param.expr.path), name, param.expr.text, unparse(moved), _set(param.expr.path, unparse(moved)), param.expr.path)
    elif isinstance(value, ast.Duration):
        for sign in (1, -1):
            span = ast.Duration(value.years, value.days + sign)
            text = unparse(ast.Literal(span, "duration"))
            yield Mutant("parameter", doc.span(param.expr.path), name, param.expr.text, text, _set(param.expr.path, text), param.expr.path)


def _span(doc: Document, expr: Expr, node) -> Span:
    if node.pos is None:
        return doc.span(expr.path)
    return expression_span(doc, expr.path, node.pos.line, node.pos.col, node.pos.end_line, node.pos.end_col)


def _replace(root: ast.Node, target: ast.Node, new: ast.Node) -> ast.Node:
    if root is target:
        return new
    changes: dict = {}
    for f in dataclasses.fields(root):
        value = getattr(root, f.name)
        if isinstance(value, ast.Node):
            replaced = _replace(value, target, new)
            if replaced is not value:
                changes[f.name] = replaced
        elif isinstance(value, tuple) and value and isinstance(value[0], ast.Node):
            items = tuple(_replace(v, target, new) for v in value)
            if any(a is not b for a, b in zip(items, value, strict=True)):
                changes[f.name] = items
    return dataclasses.replace(root, **changes) if changes else root


def _set(path: tuple, text: str):
    def apply(data):
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = text
        return data

    return apply


def _drop(rules_path: tuple, index: int):
    def apply(data):
        target = data
        for part in rules_path:
            target = target[part]
        dropped = target.pop(index)
        # Other rules may name the dropped one in their overrides.
        for rule in target:
            if isinstance(rule.get("overrides"), list) and dropped["id"] in rule["overrides"]:
                rule["overrides"].remove(dropped["id"])
                if not rule["overrides"]:
                    del rule["overrides"]
        return data

    return apply


@dataclass
class MutationReport:
    killed: list
    survived: list
    invalid: list  # (mutant, reason): mutants the checker rejects (not counted)

    @property
    def score(self) -> float:
        total = len(self.killed) + len(self.survived)
        return 100.0 * len(self.killed) / total if total else 100.0


def run_mutation(policy_path, tests, run_tests, progress=None) -> MutationReport:
    """Mutate each policy file in turn (each version's own text) and run `tests`
    against the whole policy built with that one change."""
    from ..engine.versioned import compile_versions
    from ..policy.versions import version_files, versions_from_documents
    from ..yamlsource import read_file

    documents = [read_file(str(f)) for f in version_files(policy_path)]
    report = MutationReport([], [], [])
    planned = []
    for model, doc in versions_from_documents(documents):
        own = doc._own if hasattr(doc, "_own") else doc
        index = next(i for i, d in enumerate(documents) if d is own)
        for mutant in mutants(model, doc):
            if _owned(doc, mutant):
                planned.append((index, mutant))
    for i, (index, mutant) in enumerate(planned, start=1):
        if progress:
            progress(i, len(planned), mutant)
        original = documents[index]
        changed = Document(original.name, original.text, mutant.apply(copy.deepcopy(original.data)), original.values, original.keys, original.scalars)
        try:
            versions = versions_from_documents(documents[:index] + [changed] + documents[index + 1 :])
            policy = compile_versions(versions)
        except IcpolicyError as exc:
            report.invalid.append((mutant, exc.diagnostics[0].message))
            continue
        outcomes = run_tests(lambda test, p=policy: p, tests)
        (report.survived if all(o.passed for o in outcomes) else report.killed).append(mutant)
    return report


def _owned(doc: Document, mutant: Mutant) -> bool:
    """Whether the mutated text is written in this version's own file (not inherited)."""
    return not hasattr(doc, "owns") or doc.owns(mutant.path)
