"""The case schema read as types: the record a policy's expressions are checked against."""

from __future__ import annotations

from ..lang import types as T
from .schema import resolve


def case_types(root: dict) -> T.Record:
    """The record type of a whole case document."""
    record = _type_of(root, root, "case")
    assert isinstance(record, T.Record)
    return record


def _type_of(schema: dict, root: dict, name: str) -> T.Type:
    schema = resolve(schema, root)
    declared = schema.get("x-icpolicy-type")
    if declared:
        return T.DECLARED_TYPES[declared]
    if "enum" in schema:
        return T.Str(frozenset(schema["enum"]))
    kind = schema.get("type")
    if kind == "object":
        return _record_of(schema, root, name)
    if kind == "array":
        return T.ListOf(_type_of(schema["items"], root, name))
    if kind == "boolean":
        return T.BOOL
    if kind in ("number", "integer"):
        return T.NUMBER
    if kind == "string":
        return T.DATE if schema.get("format") == "date" else T.STRING
    raise ValueError(f"unsupported schema for {name}: {schema}")


def _record_of(schema: dict, root: dict, name: str) -> T.Record:
    fields = []
    required = set(schema.get("required", []))
    for key, sub in schema.get("properties", {}).items():
        typ = _type_of(sub, root, key)
        # A field that may be absent, with no default to fill in, may be null.
        if key not in required and "default" not in resolve(sub, root) and not isinstance(typ, T.Record):
            typ = T.Optional(typ)
        fields.append((key, typ))
    return T.Record(schema.get("x-icpolicy-record", name), tuple(fields))
