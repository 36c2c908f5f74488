"""Hiding facts of a case document and completing them again, for the partial tests.

`leaf_paths(doc)` lists the facts a document states; `hide(doc, paths, how)` makes a
partial document (each path written `unknown` or left out); `unknown_paths` adds the
optional fields a partial reading also leaves unknown (absent ones); `complete(doc,
paths, choose)` fills every unknown fact with a candidate value: the original one,
a schema limit, the policy's thresholds and their neighbours, each choice of a small
domain, dates on the 5-year window's edges.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

from icpolicy.partial.reader import IDENTIFIERS, KEPT_DEFAULTS, PartialReader, generic_path

READER = PartialReader()

MONEY = [
    Decimal(0),
    Decimal("0.01"),
    Decimal("49999999.99"),
    Decimal(50_000_000),
    Decimal("50000000.01"),
    Decimal("99999999.99"),
    Decimal(100_000_000),
    Decimal("100000000.01"),
    Decimal(150_000_000),
    Decimal(10) ** 15,
]
SHARES = [Decimal(0), Decimal("0.199999"), Decimal("0.2"), Decimal("0.5"), Decimal("0.8"), Decimal("0.800001"), Decimal(1)]
RATIOS = [Decimal("0.000001"), Decimal("0.5"), Decimal(1)]
FACTORS = [Decimal(0), Decimal(1), Decimal("2.5"), Decimal(100)]
COUNTRIES = ["NO", "US", "SE", "DE", "PL", "HR", "CN"]


def leaf_paths(doc: dict, path: tuple = ()) -> list[tuple]:
    """Every field a document states (lists also as a whole), identifiers left out."""
    out = []
    for key, value in doc.items():
        where = path + (key,)
        if generic_path(where) in IDENTIFIERS:
            continue
        if isinstance(value, dict):
            out += leaf_paths(value, where)
        elif isinstance(value, list):
            out.append(where)
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    out += leaf_paths(item, where + (i,))
        else:
            out.append(where)
    return out


def _get_parent(doc, path):
    target = doc
    for part in path[:-1]:
        target = target[part]
    return target


def hide(doc: dict, paths: list[tuple], delete: list[bool]) -> dict:
    """A copy with each path written `unknown` or (where it may be) left out."""
    out = copy.deepcopy(doc)
    for path, drop in sorted(zip(paths, delete, strict=True), key=lambda p: -len(p[0])):
        try:
            parent = _get_parent(out, path)
        except (KeyError, IndexError, TypeError):
            continue  # inside something already hidden
        if not isinstance(parent, (dict, list)):
            continue
        if drop and generic_path(path) not in KEPT_DEFAULTS and not isinstance(path[-1], int):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = "unknown"
    return out


def unknown_paths(partial: dict) -> list[tuple]:
    """The facts a partial reading leaves unknown: written `unknown`, or absent
    (and not kept at a default), in the document's own records."""
    out = []
    _walk_unknown(partial, (), out)
    return out


def _walk_unknown(node, path: tuple, out: list) -> None:
    schema = READER.schema_at(path)
    if node == "unknown":
        out.append(path)
        return
    if isinstance(node, list):
        for i, item in enumerate(node):
            _walk_unknown(item, path + (i,), out)
        return
    if not isinstance(node, dict):
        return
    for key in schema.get("properties", {}):
        where = path + (key,)
        generic = generic_path(where)
        if key not in node:
            if generic not in KEPT_DEFAULTS and generic not in IDENTIFIERS:
                out.append(where)
        else:
            _walk_unknown(node[key], where, out)


def candidates(path: tuple, day: dt.date | None, original) -> list:
    """Values to try for one unknown fact."""
    schema = READER.schema_at(path)
    found: list = []
    if "enum" in schema:
        found = list(schema["enum"])
    elif schema.get("type") == "boolean":
        found = [True, False]
    elif schema.get("type") == "array":
        found = _lists(path, day)
    elif schema.get("type") == "object":
        found = [_fill_object(path, day, i) for i in range(3)]
    else:
        found = _leaves(schema, path, day)
    if original is not _ABSENT and original != "unknown":
        found.append(original)
    return found


def _leaves(schema: dict, path: tuple, day) -> list:
    kind = schema.get("x-icpolicy-type")
    if kind == "money":
        return MONEY
    if kind == "share":
        return RATIOS if path[-1] == "obligation_ratio" else SHARES
    if kind == "number":
        return FACTORS
    if kind == "date":
        return _dates(day)
    if path[-1] == "country":
        return COUNTRIES
    return ["x"]


def _dates(day) -> list:
    day = day or dt.date(2026, 3, 1)
    five = _years_back(day, 5)
    return [d.isoformat() for d in (day, day - dt.timedelta(days=1), five, five + dt.timedelta(days=1), five - dt.timedelta(days=1), day + dt.timedelta(days=1), dt.date(2010, 6, 1), dt.date(2026, 6, 1))]


def _years_back(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _lists(path: tuple, day) -> list:
    one = _fill_object(path + (0,), day, 0)
    two = _fill_object(path + (0,), day, 1)
    return [[], [one], [one, two]]


def _fill_object(path: tuple, day, variant: int) -> dict:
    """An item for an unknown list (or a whole unknown record): every field filled."""
    schema = READER.schema_at(path)
    out: dict = {}
    for key in schema.get("properties", {}):
        where = path + (key,)
        if key == "id":
            out[key] = f"PX{variant}"
            continue
        options = candidates(where, day, _ABSENT)
        out[key] = options[(variant * 7 + len(key)) % len(options)]
    return out


def complete(partial: dict, paths: list[tuple], choose) -> dict:
    """A full document: each unknown fact set to `choose(path, options)`; an unknown
    list gets 0 to 2 items, an unknown record all its fields, each chosen so."""
    out = copy.deepcopy(partial)
    ordered = sorted(paths, key=lambda p: (p != ("date",), len(p)))
    day = None
    for path in ordered:
        if path == ("date",):
            out["date"] = choose(path, candidates(path, None, _ABSENT))
            continue
        if day is None:
            raw = out.get("date")
            day = dt.date.fromisoformat(raw) if isinstance(raw, str) and raw != "unknown" else None
        parent = out
        for part in path[:-1]:
            if isinstance(parent, dict) and part not in parent:
                parent[part] = {}
            parent = parent[part]
        if parent == "unknown":
            continue
        parent[path[-1]] = _chosen(path, day, choose)
    return out


def _chosen(path: tuple, day, choose):
    schema = READER.schema_at(path)
    if schema.get("type") == "array":
        count = choose(path + ("count",), [0, 1, 2])
        return [_record(path + (i,), day, choose, i) for i in range(count)]
    if schema.get("type") == "object":
        return _record(path, day, choose, 0)
    return choose(path, candidates(path, day, _ABSENT))


def _record(path: tuple, day, choose, index: int) -> dict:
    schema = READER.schema_at(path)
    out: dict = {}
    for key in schema.get("properties", {}):
        if key == "id":
            out[key] = f"PX{index}"
        else:
            out[key] = _chosen(path + (key,), day, choose)
    return out


_ABSENT = object()
