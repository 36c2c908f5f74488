"""Witness cases: concrete cases two policy versions decide differently.

Candidates come from the boundaries of both versions (each threshold exactly and
its neighbours, on each base case) and from the base cases with one choice field
changed at a time (channel, regulation, a flag, the supplier's country). Each is
decided under both versions; those that differ are witnesses. No solver: the
candidates are few and chosen where rules change their answer.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from ..diagnostics import IcpolicyError
from ..values import json_value
from .boundaries import Boundary, boundary_points, find_boundaries

# Choices tried one at a time on each base case.
VARIATIONS: list[tuple[tuple, list]] = [
    (("procurement", "channel"), ["direct", "NSPA", "FMS"]),
    (("procurement", "regulation"), ["RAF", "FOSA", "FOA"]),
    (("procurement", "only_for_norway"), [True, False]),
    (("procurement", "has_options"), [True, False]),
    (("procurement", "further_contracts_expected"), [True, False]),
    (("supplier", "country"), ["NO", "US", "SE", "GB"]),
    (("supplier", "significant_foreign_production"), [True, False]),
]


@dataclass
class Witness:
    case: dict
    origin: str  # how the case was made
    differences: list  # (decision label, old DecisionResult, new DecisionResult)
    old_version: str  # how the old side is named in reports
    new_version: str
    boundary: Boundary | None = None
    old_id: str = ""  # the version ids themselves
    new_id: str = ""

    def rules(self) -> set:
        out = set()
        for _, a, b in self.differences:
            out |= set(a.rules) | set(b.rules)
        return out

    def decisions(self) -> set:
        return {label.split(".")[-1] for label, _, _ in self.differences}

    def to_dict(self) -> dict:
        return {
            "origin": self.origin,
            "case": _jsonable(self.case),
            "differences": [
                {
                    "decision": label,
                    "old": {"value": json_value(a.value), "rules": list(a.rules), "version": self.old_id, "policy": self.old_version},
                    "new": {"value": json_value(b.value), "rules": list(b.rules), "version": self.new_id, "policy": self.new_version},
                }
                for label, a, b in self.differences
            ],
        }


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return json_value(value)


def candidates(old, new, bases: list[tuple[str, dict]], limit: int = 20000):
    """(origin, case, boundary) to try: the boundaries of both versions, then each
    base and each boundary case with one choice changed, then bases with two."""
    seen: set = set()
    points = []

    def fresh(case):
        key = repr(case)
        if key in seen or len(seen) >= limit:
            return False
        seen.add(key)
        return True

    for policy in (old, new):
        found = find_boundaries(policy)
        for name, base in bases:
            for point in boundary_points(policy, base, found):
                if point.decided is None and point.error:
                    continue
                origin = f"boundary {point.boundary.label()} = {point.value} (base {name})"
                points.append((origin, point.case, point.boundary))
                if fresh(point.case):
                    yield origin, point.case, point.boundary
    starts = [(f"base {name}", base, None) for name, base in bases] + points
    for origin, case, boundary in starts:
        for path, choice in _choices():
            varied = _vary(case, path, choice)
            if varied is not None and fresh(varied):
                yield f"{origin} with {'.'.join(path)} = {choice}", varied, boundary
    for name, base in bases:
        choices = list(_choices())
        for i, (path_a, a) in enumerate(choices):
            once = _vary(base, path_a, a)
            if once is None:
                continue
            for path_b, b in choices[i + 1 :]:
                if path_b == path_a:
                    continue
                twice = _vary(once, path_b, b)
                if twice is not None and fresh(twice):
                    yield f"base {name} with {'.'.join(path_a)} = {a}, {'.'.join(path_b)} = {b}", twice, None


def _choices():
    for path, values in VARIATIONS:
        for value in values:
            yield path, value


def _vary(case: dict, path: tuple, choice):
    varied = copy.deepcopy(case)
    target = varied
    for part in path[:-1]:
        target = target.setdefault(part, {})
    if target.get(path[-1]) == choice:
        return None
    target[path[-1]] = choice
    return varied


def find_witnesses(old, new, bases: list[tuple[str, dict]]) -> list[Witness]:
    """Every candidate case `old` and `new` (CompiledPolicy each) decide differently."""
    out = []
    for origin, case, boundary in candidates(old, new, bases):
        try:
            a = old.evaluate(case)
            b = new.evaluate(case)
        except IcpolicyError:
            continue  # not a valid case for one of them
        diffs = differences(a, b)
        if diffs:
            v_old, v_new = old.model.version, new.model.version
            out.append(Witness(case, origin, diffs, v_old, v_new, boundary, v_old, v_new))
    return out


def differences(a, b) -> list:
    """(decision, old, new) for each decision the two results decide differently."""
    out = []
    for name, da in a.decisions.items():
        db = b.decisions.get(name)
        if db is not None and (da.value != db.value or type(da.value) is not type(db.value)):
            out.append((name, da, db))
    for pa, pb in zip(a.projects, b.projects, strict=False):
        for name, da in pa.decisions.items():
            db = pb.decisions.get(name)
            if db is not None and da.value != db.value:
                out.append((f"projects.{pa.id}.{name}", da, db))
    return out


def attach(changes, witnesses: list[Witness], per_change: int = 3) -> None:
    """Give each semantic change the witnesses that show it."""
    for change in changes:
        if not change.semantic or change.kind in ("version", "period", "source"):
            continue
        # Cases made at the change's own boundary first, then any that show it.
        own = [w for w in witnesses if w.boundary is not None and w.boundary.owner == change.name]
        rest = [w for w in witnesses if w not in own and _shows(change, w)]
        change.witnesses = (own + rest)[:per_change]


def _shows(change, w: Witness) -> bool:
    if change.kind == "parameter":
        b = w.boundary
        if b is not None:
            from ..lang import ast

            names = {n.name for n in ast.walk(b.threshold) if isinstance(n, ast.Name)}
            if change.name in names:
                return True
        return False
    if change.kind in ("rule", "exception"):
        return change.name in w.rules() or (w.boundary is not None and w.boundary.owner == change.name)
    if change.kind == "decision":
        return change.name in w.decisions()
    return False
