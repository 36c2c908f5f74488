"""A witness of a conflict: a real case document on which two rules' conditions both hold.

lang/conditions.py says, per conjunction of tests the two conditions may both take,
which values of each field satisfy them. Here those values are put into a case that
the case schema accepts (required fields filled in plainly), and the two conditions
are evaluated on it, with the definitions they read, exactly as the engine compiles
them: a witness is claimed only when both are true. A condition that reads another
decision (computed by its rules) is not evaluated here: no witness for it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..cases.countries import CODES as COUNTRY_CODES
from ..cases.schema import CaseSchema, resolve
from ..dates import is_iso_date
from ..lang.compile import compile_expr
from ..lang.conditions import DNF, Other, choices, possible
from ..lang.runtime import EvalFailure
from .model import Decision, Expr

WITNESS_ID = "WITNESS"
FALLBACK_DATE = "2000-01-01"  # a witness's date when the version names no period
ATTEMPTS = 16  # pairs of conjunctions tried, at most, per pair of rules
_ROUNDS = 6  # times a field the schema refuses is given its next value


@dataclass(frozen=True)
class CaseMaker:
    """What a witness is made with: the definitions checked so far, the case schema, and
    the date a case has when no condition tests it (the version's first day)."""

    nodes: Mapping[str, Decision]
    case_schema: CaseSchema
    date: str

    @classmethod
    def for_policy(cls, nodes: Mapping[str, Decision], case_schema: CaseSchema, data: dict) -> CaseMaker:
        day = data.get("effective_from") or data.get("effective_to")
        return cls(nodes, case_schema, day if isinstance(day, str) and is_iso_date(day) else FALLBACK_DATE)


def find_witness(maker: CaseMaker, scope: str, conditions: list[Expr | None], readings: list[DNF]) -> dict | None:
    """A case document on which every condition is true, or None when none was found."""
    first, second = readings
    attempts = 0
    for a in first:
        for b in second:
            conjunction = a + b
            if not possible(conjunction):
                continue
            attempts += 1
            if attempts > ATTEMPTS:
                return None
            document = _document(maker, scope, choices(conjunction))
            if document is not None and _all_hold(maker, scope, document, conditions):
                return document
    return None


def _document(maker: CaseMaker, scope: str, values: dict[tuple, list]) -> dict | None:
    """A case with each tested field set to a value its tests allow, that the schema accepts."""
    root = maker.case_schema.document
    settable = {path: options for path, options in values.items() if path[0] in ("case", "project")}
    picked = {path: 0 for path in settable}
    for _ in range(_ROUNDS):
        document = _filled(root, root, maker.date)
        if scope == "project" or any(p[0] == "project" for p in settable):
            document["projects"] = [{**_filled(_project_schema(root), root, maker.date), "id": "P1"}]
        for path, options in settable.items():
            if picked[path] >= len(options):
                return None
            _place(document, path, _concrete(options[picked[path]], path, root))
        _, problems = maker.case_schema.normalizer(document)
        if not problems:
            return document
        refused = [p for p in settable if any(_within(where, p) for where, _ in problems)]
        if not refused:
            return None  # a field filled in plainly was refused: give up rather than guess
        for path in refused:
            picked[path] += 1
    return None


def _within(problem_path, path: tuple) -> bool:
    """Whether a problem the normalizer found is at the field of `path` (or inside it)."""
    found = [k for k in problem_path if not isinstance(k, int)]
    keys = list(_keys(path))
    return found[: len(keys)] == keys


def _keys(path: tuple) -> tuple:
    return ("projects", *path[2:]) if path[0] == "project" else path[1:]


def _place(document: dict, path: tuple, value) -> None:
    if value is None:
        return  # null: the field is left out
    target = document["projects"][0] if path[0] == "project" else document
    keys = path[2:] if path[0] == "project" else path[1:]
    for key in keys[:-1]:
        target = target.setdefault(key, {})
    target[keys[-1]] = value.isoformat() if isinstance(value, dt.date) else value


def _concrete(value, path: tuple, root: dict):
    """A real string for "any string but these": one the field allows."""
    if not isinstance(value, Other):
        return value
    schema = _field_schema(root, path)
    allowed = list(schema.get("enum", ())) or (sorted(COUNTRY_CODES) if schema.get("x-icpolicy-codes") else ["other"])
    return next((v for v in allowed if v not in value.excluded), None)


def _field_schema(root: dict, path: tuple) -> dict:
    schema = _project_schema(root) if path[0] == "project" else root
    for key in path[2:] if path[0] == "project" else path[1:]:
        schema = resolve(schema, root).get("properties", {}).get(key, {})
    return resolve(schema, root)


def _project_schema(root: dict) -> dict:
    return resolve(root.get("properties", {}).get("projects", {}).get("items", {}), root)


def _filled(schema: dict, root: dict, date: str) -> dict:
    """The required fields of an object, each with a plain value of its kind."""
    schema = resolve(schema, root)
    properties = schema.get("properties", {})
    return {key: _plain(properties.get(key, {}), root, key, date) for key in schema.get("required", ())}


def _plain(schema: dict, root: dict, key: str, date: str):
    schema = resolve(schema, root)
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("x-icpolicy-type")
    if kind == "date" or key == "date":
        return date
    if kind is not None:
        return Decimal(0)
    if schema.get("type") == "object":
        return _filled(schema, root, date)
    if schema.get("type") == "boolean":
        return False
    if schema.get("x-icpolicy-codes"):
        return sorted(COUNTRY_CODES)[0]
    return WITNESS_ID if key == "id" else "x"


# -- evaluating the conditions on it ------------------------------------------------------


def _all_hold(maker: CaseMaker, scope: str, document: dict, conditions: list[Expr | None]) -> bool:
    env, problems = maker.case_schema.normalizer(document)
    if problems:
        return False
    if env.get("projects") is None:
        env["projects"] = []
    if scope == "project":
        env["project"] = env["projects"][0]
    try:
        return all(_holds(maker, env, expr) for expr in conditions)
    except (EvalFailure, KeyError, TypeError, _Unknown):
        return False


class _Unknown(Exception):
    """A name this check cannot compute (a decision made by rules)."""


def _holds(maker: CaseMaker, env: dict, expr: Expr | None) -> bool:
    if expr is None:
        return True
    for name in sorted(expr.checked.deps):
        _compute(maker, env, name, 0)
    return compile_expr(expr.node, expr.checked).fn(env) is True


def _compute(maker: CaseMaker, env: dict, name: str, depth: int) -> None:
    """A definition's value, kept where compiled code reads it (its own first)."""
    node = maker.nodes.get(name)
    if node is None or node.output or node.value is None or depth > 100:
        raise _Unknown(name)
    where = env["project"] if node.scope == "project" else env
    if name in where:
        return
    for dep in sorted(node.value.checked.deps):
        _compute(maker, env, dep, depth + 1)
    where[name] = compile_expr(node.value.node, node.value.checked).fn(env)


# -- shown as YAML --------------------------------------------------------------------------


def witness_yaml(document: dict) -> str:
    """The case as a few lines of YAML, each top-level key on its own line."""
    return "\n".join(f"{key}: {_yaml(value)}" for key, value in document.items())


def _yaml(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str) and _is_date(value):
        return value
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def _is_date(text: str) -> bool:
    return is_iso_date(text)


__all__ = ["CaseMaker", "find_witness", "witness_yaml"]
