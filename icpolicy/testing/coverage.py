"""Coverage by legal provision: which rules the tests fired, which atomic conditions
they saw both true and false, and which outcomes of each decision they produced.

A traced policy is compiled with a hook on each atomic condition of each rule (the
operands of and/or/not); the untraced policy used by `eval` has none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..lang import ast
from ..lang import types as T
from ..policy.model import Decision, Rule
from ..policy.versions import load_versions


def atoms(node: ast.Node) -> list[ast.Node]:
    """The atomic conditions of a condition: the leaves of its and/or/not tree."""
    if isinstance(node, ast.BoolOp):
        return atoms(node.left) + atoms(node.right)
    if isinstance(node, ast.Unary) and node.op == "not":
        return atoms(node.operand)
    return [node]


def source_text(text: str, pos) -> str:
    """The part of an expression's text a node was parsed from."""
    if pos is None:
        return text
    lines = text.split("\n")

    def offset(line, col):
        return sum(len(x) + 1 for x in lines[: line - 1]) + col - 1

    return " ".join(text[offset(pos.line, pos.col) : offset(pos.end_line, pos.end_col)].split())


@dataclass
class Atom:
    rule: str
    decision: str
    text: str
    seen: set = field(default_factory=set)  # of True / False


class CoverageRecorder:
    """Builds traced policies and turns test outcomes into a coverage summary."""

    def __init__(self):
        self.atoms: list[Atom] = []
        self.models: list = []
        self._version = None

    def _label(self, rule_id: str, version: str | None = None) -> str:
        # With several versions, a rule is counted per version: "R-OBLIGATION@2001.1".
        version = version or self._version
        return f"{rule_id}@{version}" if self._several else rule_id

    _several = False

    def load_traced(self, path):
        from ..cases.schema import bundled_case_schema
        from ..engine.evaluate import CompiledPolicy
        from ..engine.versioned import VersionedPolicy

        compiled = []
        versions = load_versions(path)
        self._several = self._several or len(versions) > 1
        case_schema = bundled_case_schema()
        for model, doc in versions:
            self.models.append(model)
            self._version = model.version  # read by the hooks made while compiling
            compiled.append(CompiledPolicy(model, doc, tracer=self, case_schema=case_schema))
        return VersionedPolicy(compiled)

    def condition_hooks(self, node: Decision, rule: Rule) -> dict:
        hooks = {}
        when = rule.when
        assert when is not None  # hooks are asked for the rules with a condition
        for leaf in atoms(when.node):
            atom = Atom(self._label(rule.id), node.name, source_text(when.text, getattr(leaf, "pos", None)))
            self.atoms.append(atom)
            hooks[id(leaf)] = _recorder(atom.seen)
        return hooks

    def summary(self, outcomes) -> CoverageSummary:
        fired: dict[str, set] = {}  # rule -> the tests (by index) in which it fired
        produced: dict[str, set] = {}
        for index, o in enumerate(outcomes):
            result = o.result
            if result is None:
                continue
            version = result.to_policy_meta()["version"]
            decided = list(result.decisions.items())
            for project in result.projects:
                decided += list(project.decisions.items())
            for name, d in decided:
                for rid in d.rules:
                    fired.setdefault(self._label(rid, version), set()).add(index)
                produced.setdefault(self._label(name, version), set()).add(_outcome_key(d.value))
        rules, outcomes_all = [], []
        for model in self.models:
            for node in model.decisions():
                for rule in node.rules:
                    key = self._label(rule.id, model.version)
                    rules.append((key, node.name, len(fired.get(key, ()))))
                label = self._label(node.name, model.version)
                for value in _possible_outcomes(node):
                    outcomes_all.append((label, value, value in produced.get(label, set())))
        return CoverageSummary(rules, self.atoms, outcomes_all)


def _recorder(seen: set):
    def record(value):
        seen.add(bool(value))

    return record


def _outcome_key(value):
    return value if isinstance(value, (bool, str)) else None


def _possible_outcomes(node: Decision) -> list:
    """The outcomes a decision can produce: for a string decision whose every result is
    a literal (`if a then "full" else "none"`), just those literals."""
    if node.type == T.BOOL:
        return [True, False]
    if not node.values:
        return []
    exprs = [e for e in [node.value, node.default] + [r.value for r in node.rules] if e is not None]
    found: set = set()
    for expr in exprs:
        leaves = _results(expr.node)
        if not all(isinstance(leaf, ast.Literal) for leaf in leaves):
            return list(node.values)
        found |= {leaf.value for leaf in leaves}
    return [v for v in node.values if v in found]


def _results(node: ast.Node) -> list:
    if isinstance(node, ast.IfExpr):
        return _results(node.then) + _results(node.other)
    return [node]


@dataclass
class CoverageSummary:
    rules: list  # (rule id, decision, times fired)
    atoms: list  # Atom
    outcomes: list  # (decision, outcome, produced?)

    def _counts(self):
        rule_hit = sum(1 for _, _, n in self.rules if n)
        atom_hit = sum(len(a.seen) for a in self.atoms)
        outcome_hit = sum(1 for *_, ok in self.outcomes if ok)
        return rule_hit, atom_hit, outcome_hit

    @property
    def total(self) -> float:
        rule_hit, atom_hit, outcome_hit = self._counts()
        items = len(self.rules) + 2 * len(self.atoms) + len(self.outcomes)
        return 100.0 * (rule_hit + atom_hit + outcome_hit) / items if items else 100.0

    def gaps(self) -> list[str]:
        """What no test exercised, in words a policy owner can act on."""
        out = []
        for rid, decision, n in self.rules:
            if not n:
                out.append(f"{rid} ({decision}): never fired")
        for a in self.atoms:
            for value in (True, False):
                if value not in a.seen:
                    out.append(f"{a.rule}: condition `{a.text}` never {'true' if value else 'false'}")
        for decision, value, ok in self.outcomes:
            if not ok:
                shown = ("true" if value else "false") if isinstance(value, bool) else value
                out.append(f"{decision}: never {shown}")
        return out

    def render(self) -> str:
        rule_hit, atom_hit, outcome_hit = self._counts()
        lines = ["Coverage by provision (rule id):"]
        for rid, decision, n in self.rules:
            lines.append(f"  {rid:<44} {decision:<16} fired in {n} test(s)")
        lines.append(
            f"rules {_pct(rule_hit, len(self.rules))}, conditions true/false {_pct(atom_hit, 2 * len(self.atoms))}, "
            f"outcomes {_pct(outcome_hit, len(self.outcomes))}; total {self.total:.1f} %"
        )
        gaps = self.gaps()
        if gaps:
            lines.append("Not exercised:")
            lines += [f"  {g}" for g in gaps]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        rule_hit, atom_hit, outcome_hit = self._counts()
        return {
            "total_percent": round(self.total, 2),
            "rules": [{"rule": r, "decision": d, "fired_in": n} for r, d, n in self.rules],
            "conditions": [
                {"rule": a.rule, "condition": a.text, "seen_true": True in a.seen, "seen_false": False in a.seen}
                for a in self.atoms
            ],
            "outcomes": [{"decision": d, "outcome": v, "produced": ok} for d, v, ok in self.outcomes],
            "rules_percent": round(100.0 * rule_hit / len(self.rules), 2) if self.rules else 100.0,
            "conditions_percent": round(100.0 * atom_hit / (2 * len(self.atoms)), 2) if self.atoms else 100.0,
            "outcomes_percent": round(100.0 * outcome_hit / len(self.outcomes), 2) if self.outcomes else 100.0,
            "gaps": self.gaps(),
        }


def _pct(hit: int, total: int) -> str:
    return f"{hit}/{total} ({100.0 * hit / total:.0f} %)" if total else "0/0"
