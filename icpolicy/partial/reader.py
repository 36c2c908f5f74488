"""Reading a case document in partial mode: facts may be unknown.

A field is unknown when it is written `unknown` (the reserved value) or left out.
Left out, a field keeps its schema default only where the default is not a fact
about the procurement (KEPT_DEFAULTS: the agreement's ratio and a project's factor,
whose defaults the guide itself gives, and names and kinds no rule reads). Known
values are checked by the very converters case documents use, so a bad value gets
the same message as in `icpolicy eval`.
"""

from __future__ import annotations

from decimal import Decimal

from ..cases.messages import say
from ..cases.normalize import check_unique_ids
from ..cases.normalize import converter as _converter
from ..cases.scalars import Invalid
from ..cases.schema import load_case_schema
from ..cases.schema import resolve as _resolve
from . import values as V

UNKNOWN = "unknown"  # the reserved value

# Left out, these keep their default: the guide gives it (`obligation_ratio`: "inntil
# 100 %" of the contract sum when the agreement states no ratio; `factor`: credit is
# 1:1 unless a factor is agreed), or no rule reads the field.
KEPT_DEFAULTS = frozenset(
    {
        "agreement",
        "agreement.obligation_ratio",
        "projects[].factor",
        "projects[].kind",
        "supplier.name",
        "supplier.sub_suppliers[].name",
    }
)
# Identifiers label a case or a project: they are not facts and cannot be unknown.
IDENTIFIERS = frozenset({"id", "projects[].id"})

_BOUNDS = {
    "money": (Decimal(0), Decimal(10) ** 15),
    "share": (Decimal(0), Decimal(1)),
    "number": (Decimal(0), Decimal(100)),
}


def path_text(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def generic_path(path: tuple) -> str:
    """`projects[2].factor` -> `projects[].factor`: the field, whatever the item."""
    out = ""
    for part in path:
        out += "[]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class PartialReader:
    """The case schema, read for partial cases: `read(data) -> (case, problems)`."""

    def __init__(self, root: dict | None = None):
        self.root = root if root is not None else load_case_schema()
        self._converters: dict = {}

    def read(self, data) -> tuple[dict | None, list]:
        problems: list = []
        if not isinstance(data, dict):
            return None, [((), "expected a mapping, got " + type(data).__name__)]
        case = self._object(self.root, data, (), problems)
        if not problems and isinstance(case.get("projects"), list):
            check_unique_ids(case, problems)
        return (None, problems) if problems else (case, [])

    def schema_at(self, path: tuple) -> dict:
        """The sub-schema of a field path (list indexes step into the items)."""
        schema = self.root
        for part in path:
            schema = _resolve(schema, self.root)
            schema = schema["items"] if isinstance(part, int) else schema["properties"][part]
        return _resolve(schema, self.root)

    def convert(self, path: tuple, raw):
        """A known value for one field, checked as case documents are (raises Invalid)."""
        key = generic_path(path)
        conv = self._converters.get(key)
        if conv is None:
            conv = self._converters[key] = _converter(self.schema_at(path), self.root)
        return conv(raw)

    def _object(self, schema: dict, data: dict, path: tuple, problems: list) -> dict:
        schema = _resolve(schema, self.root)
        props = schema.get("properties", {})
        for key in data:
            if key not in props:
                problems.append((path + (key,), say("unknown_field")))
        out = {}
        for key, sub in props.items():
            where = path + (key,)
            raw = data.get(key, _ABSENT)
            if raw is None and key in schema.get("required", ()):
                problems.append((where, say("null")))
                continue
            out[key] = self._field(sub, raw, where, problems)
        return out

    def _field(self, sub: dict, raw, where: tuple, problems: list):
        sub = _resolve(sub, self.root)
        generic = generic_path(where)
        if raw is _ABSENT and generic in KEPT_DEFAULTS:
            return self._default(sub, where)
        if raw is _ABSENT and generic in IDENTIFIERS:
            problems.append((where, say("missing")))
            return None
        if raw is _ABSENT or raw == UNKNOWN:
            if generic in IDENTIFIERS:
                problems.append((where, "an identifier cannot be unknown"))
                return None
            return self.unknown_of(sub, where)
        if sub.get("type") == "object" and isinstance(raw, dict):
            return self._object(sub, raw, where, problems)
        if sub.get("type") == "array" and isinstance(raw, list):
            items = sub["items"]
            return [self._item(items, item, where + (i,), problems) for i, item in enumerate(raw)]
        try:
            return self.convert(where, raw)
        except Invalid as exc:
            problems.extend((where + tuple(p), message) for p, message in exc.problems)
            return None

    def _item(self, items: dict, raw, where: tuple, problems: list):
        if raw == UNKNOWN:
            return self.unknown_of(_resolve(items, self.root), where)
        if isinstance(raw, dict) and _resolve(items, self.root).get("type") == "object":
            return self._object(items, raw, where, problems)
        return self._field(items, raw, where, problems)

    def _default(self, sub: dict, where: tuple):
        if "default" not in sub:
            return None
        default = sub["default"]
        if sub.get("type") == "object":
            return self._object(sub, dict(default), where, [])
        return _converter(sub, self.root)(default)

    def unknown_of(self, schema: dict, where: tuple, facts: frozenset | None = None):
        """An unknown value of a field: a record of unknown fields, a list of unknown
        length, or a leaf with the bounds or choices its schema gives."""
        schema = _resolve(schema, self.root)
        facts = facts if facts is not None else frozenset({path_text(where)})
        if schema.get("type") == "object":
            out = {}
            for key, sub in schema.get("properties", {}).items():
                generic = generic_path(where + (key,))
                if generic in KEPT_DEFAULTS:
                    out[key] = self._default(_resolve(sub, self.root), where + (key,))
                else:
                    out[key] = self.unknown_of(sub, where + (key,), facts if facts != {path_text(where)} else None)
            return out
        if schema.get("type") == "array":
            return V.UnknownList(self.unknown_of(schema["items"], where + (0,), facts), facts)
        if "enum" in schema:
            return V.Unknown(choices=frozenset(schema["enum"]), facts=facts)
        if schema.get("type") == "boolean":
            return V.Unknown(choices=V.BOOL_UNKNOWN, facts=facts)
        declared = schema.get("x-icpolicy-type")
        if declared in _BOUNDS:
            lo, hi = _BOUNDS[declared]
            return V.Unknown(lo, hi, None, facts)
        return V.Unknown(facts=facts)


_ABSENT = object()
