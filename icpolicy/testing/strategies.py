"""Hypothesis strategies for case documents, for the project's tests and for policy owners.

    from icpolicy.testing.strategies import case_documents
    @given(case_documents(policy))
    def test_something(case): ...

`case_documents()` builds valid documents from the case schema itself (so a new
field is generated without code changes) and leans on the policy's boundaries:
amounts and shares are often exactly at a threshold or its nearest neighbour, and
list items' dates often sit on a date window's edge. Needs hypothesis (a test
dependency), imported only here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from ..cases.schema import bundled_case_schema
from ..cases.schema import resolve as _resolve
from ..lang.runtime import EvalFailure
from .boundaries import find_boundaries, neighbours, threshold_value

_DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))


def case_documents(policy=None, schema: dict | None = None, max_projects: int = 4, version: str | None = None):
    """Valid case documents; with a policy, biased towards its boundaries and dated
    within the version in force (the current one unless `version` names another)."""
    root = schema or bundled_case_schema().document
    if policy is not None and hasattr(policy, "versions"):
        policy = policy.version(version) if version else policy.current
    found = find_boundaries(policy) if policy is not None else []
    dates = _dates_of(policy.model) if policy is not None else _DATES
    edges: dict = {}
    for b in found:
        if b.kind != "date" and _is_constant(policy, b):
            value = _constant(policy, b)
            if value is not None:
                edges.setdefault(_field_key(b.path), set()).update(neighbours(value, b.kind))
    date_edges = [b for b in found if b.kind == "date" and "*" in b.path]
    base = _object(root, root, (), edges, max_projects, dates)

    @st.composite
    def documents(draw):
        case = draw(base)
        if policy is None or not date_edges:
            return case
        # Move some list items' dates onto the edge of a date window, as computed
        # for this very case (a window moves with the case date).
        for b in date_edges:
            items = _items(case, b.path)
            if not items or not draw(st.booleans()):
                continue
            try:
                edge = threshold_value(policy, b, case)
            except Exception:  # an invalid combination: leave the dates as drawn
                continue
            item = draw(st.sampled_from(items))
            item[b.path[-1]] = draw(st.sampled_from(neighbours(edge, "date"))).isoformat()
        return case

    return documents()


def _field_key(path: tuple) -> tuple:
    return tuple("*" if isinstance(p, int) or p == "*" else p for p in path)


def _is_constant(policy, b) -> bool:
    from ..lang import ast

    return all(
        not isinstance(sub, ast.Name) or b.threshold_expr.checked.names[id(sub)].kind == "param"
        for sub in ast.walk(b.threshold)
    )


def _constant(policy, b):
    from ..lang.compile import compile_expr

    try:
        return compile_expr(b.threshold, b.threshold_expr.checked).fn({})
    except (EvalFailure, KeyError):
        return None


def _items(case: dict, path: tuple) -> list:
    star = path.index("*")
    target = case
    for part in path[: star - 1]:
        target = target.get(part, {}) if isinstance(target, dict) else {}
    items = target.get(path[star - 1], []) if isinstance(target, dict) else []
    return [i for i in items if isinstance(i, dict)]


def _dates_of(model):
    start, end = model.period
    start = start or dt.date(2000, 1, 1)
    end = end or start.replace(year=start.year + 30)
    return st.dates(min_value=start, max_value=end)


def _object(schema, root, path, edges, max_projects, dates=_DATES):
    schema = _resolve(schema, root)
    required = set(schema.get("required", ()))
    fields = {}
    optional = {}
    for key, sub in schema.get("properties", {}).items():
        strategy = _value(sub, root, path + (key,), edges, max_projects, dates if path == () else _DATES)
        if key in required:
            fields[key] = strategy
        else:
            optional[key] = strategy
    return st.fixed_dictionaries(fields, optional=optional)


def _value(schema, root, path, edges, max_projects, dates=_DATES):
    schema = _resolve(schema, root)
    declared = schema.get("x-icpolicy-type")
    key = _field_key(path)
    if declared == "money":
        return _numbers(edges.get(key, set()), Decimal(0), Decimal(10) ** 10, 2)
    if declared == "share":
        low = Decimal("0.000001") if "x-icpolicy-exclusive-minimum" in schema else Decimal(0)
        plain = _numbers(edges.get(key, set()), low, Decimal(1), 6)
        percent = plain.map(lambda d: f"{format((d * 100).normalize(), 'f')} %")
        return st.one_of(plain, percent)
    if declared == "number":
        return _numbers(edges.get(key, set()), Decimal(0), Decimal(5), 3)
    if declared == "date":
        return dates.map(dt.date.isoformat)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "boolean":
        return st.booleans()
    if kind == "object":
        return _object(schema, root, path, edges, max_projects)
    if kind == "array":
        items = _value(schema["items"], root, path + ("*",), edges, max_projects)
        if "id" in _resolve(schema["items"], root).get("properties", {}):
            # Items with ids (projects) get unique ones.
            return st.lists(items, max_size=max_projects).map(_number_ids)
        return st.lists(items, max_size=3)
    if kind == "string":
        if path[-1] == "country":
            return st.sampled_from(["NO", "US", "DE", "SE", "FR", "GB"])
        return st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", min_size=1, max_size=12)
    return st.nothing()


def _numbers(edges: set, low: Decimal, high: Decimal, places: int):
    valid = sorted(e for e in edges if low <= e <= high)
    random = st.decimals(min_value=low, max_value=high, places=places, allow_nan=False, allow_infinity=False)
    return st.one_of(st.sampled_from(valid), random) if valid else random


def _number_ids(items: list) -> list:
    return [{**item, "id": f"P{i + 1}"} for i, item in enumerate(items)]
