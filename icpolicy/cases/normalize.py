"""The case schema compiled into a normalizer: check a case and convert it in one pass.

`Normalizer(schema)(data, only) -> (case, problems)` checks a case document and
converts it to what compiled policies read: Decimals for every number, dates as
`datetime.date`, defaults filled in. It is built from the schema once, so deciding
a case does no schema interpretation. The leaves are converted by `cases.scalars`
and `cases.numbers`; the containers (mappings, lists) live here.
"""

from __future__ import annotations

from decimal import Decimal

from ..diagnostics import closest
from .messages import describe, say, with_hint
from .numbers import Bounds, number_converter
from .scalars import (
    Converter,
    Invalid,
    bad,
    convert_bool,
    convert_date,
    enum_converter,
    string_converter,
)
from .schema import resolve

_MISSING = object()


class Normalizer:
    """The compiled case schema: `normalize(data, only)` -> (case, problems)."""

    def __init__(self, root: dict):
        self._root = _ObjectConverter(root, root)

    def __call__(self, data, only: frozenset | None = None):
        try:
            return self._root.convert(data, only), []
        except Invalid as exc:
            return None, exc.problems


def compile_normalizer(root: dict) -> Normalizer:
    return Normalizer(root)


def converter(schema: dict, root: dict) -> Converter:
    schema = resolve(schema, root)
    declared = schema.get("x-icpolicy-type")
    if declared in ("money", "number", "share"):
        return number_converter(schema, declared)
    if declared == "date":
        return convert_date
    if "enum" in schema:
        return enum_converter(tuple(schema["enum"]))
    kind = schema.get("type")
    if kind == "object":
        return _ObjectConverter(schema, root).convert
    if kind == "array":
        return _array_converter(converter(schema["items"], root))
    if kind == "boolean":
        return convert_bool
    if kind == "string":
        return string_converter(schema)
    if kind in ("number", "integer"):
        return number_converter(schema, "number")
    raise ValueError(f"unsupported schema {schema}")


def _array_converter(item: Converter) -> Converter:
    def convert(value):
        if type(value) is not list:
            if isinstance(value, (list, tuple)):
                value = list(value)
            else:
                raise bad(say("expected_list", got=describe(value)))
        out = []
        problems = None
        for i, element in enumerate(value):
            try:
                out.append(item(element))
            except Invalid as exc:
                problems = problems or []
                problems += [((i,) + path, message) for path, message in exc.problems]
        if problems:
            raise Invalid(problems)
        return out

    return convert


def _copy_default(value):
    kind = type(value)
    if kind is list:
        return list(value)
    if kind is dict:
        return dict(value)
    return value


# How a field's common valid values are recognised without calling its converter.
_GENERIC, _BOOL, _ENUM, _PLAIN_MONEY = range(4)


class _ObjectConverter:
    """A mapping with known fields: unknown ones are errors, defaults are filled in."""

    def __init__(self, schema: dict, root: dict):
        required = frozenset(schema.get("required", ()))
        self.fields = []
        for key, sub in schema.get("properties", {}).items():
            sub_r = resolve(sub, root)
            default = sub_r.get("default", _MISSING)
            conv = converter(sub, root)
            if default is not _MISSING:
                default = conv(default)  # converted once; copied for each case
            kind, extra = _fast_kind(sub_r)
            self.fields.append((key, conv, key in required, default, kind, extra))
        self.allowed = frozenset(f[0] for f in self.fields)
        self._subsets: dict = {}

    def convert(self, value, only: frozenset | None = None):
        if type(value) is not dict:
            if not isinstance(value, dict):
                raise bad(say("expected_mapping", got=describe(value)))
            value = dict(value)
        fields = self.fields if only is None else self._subset(only)
        if not self.allowed.issuperset(value):
            raise Invalid(self._problems(value, fields))
        out: dict = {}
        get = value.get
        try:
            for key, conv, is_required, default, kind, extra in fields:
                raw = get(key)
                # The common valid shapes are checked inline; anything else goes to the converter.
                if (kind == _BOOL and (raw is True or raw is False)) or (kind == _ENUM and type(raw) is str and raw in extra):
                    out[key] = raw
                elif kind == _PLAIN_MONEY and type(raw) is int and 0 <= raw <= extra:
                    out[key] = Decimal(raw)
                elif raw is not None:
                    out[key] = conv(raw)
                elif is_required:
                    raise Invalid([])
                else:
                    out[key] = None if default is _MISSING else _copy_default(default)
        except Invalid:
            # A bad document: go over it again, slowly, to report every problem at once.
            raise Invalid(self._problems(value, fields)) from None
        return out

    def _problems(self, value: dict, fields: list) -> list:
        problems = []
        for key in value:
            if key not in self.allowed:
                close = closest(str(key), self.allowed)
                hint = say("did_you_mean", code=f"'{close}'") if close else None
                problems.append(((key,), with_hint(say("unknown_field"), hint)))
        for key, conv, is_required, _, _, _ in fields:
            raw = value.get(key)
            if raw is None:
                if is_required:
                    problems.append(((key,), say("missing" if key not in value else "null")))
                continue
            try:
                conv(raw)
            except Invalid as exc:
                problems += [((key,) + path, message) for path, message in exc.problems]
        return problems

    def _subset(self, only: frozenset):
        subset = self._subsets.get(only)
        if subset is None:
            subset = [f for f in self.fields if f[0] in only]
            self._subsets[only] = subset
        return subset


def _fast_kind(schema: dict):
    if schema.get("type") == "boolean":
        return _BOOL, None
    if "enum" in schema:
        return _ENUM, frozenset(schema["enum"])
    bounds = Bounds(schema)
    if (
        schema.get("x-icpolicy-type") == "money"
        and bounds.low == 0
        and not bounds.low_strict
        and bounds.high is not None
        and not bounds.high_strict
    ):
        return _PLAIN_MONEY, int(bounds.high)
    return _GENERIC, None


def check_unique_ids(case: dict, problems: list) -> None:
    """Project ids must be unique: decisions are reported per project id."""
    seen: dict = {}
    for i, project in enumerate(case.get("projects") or ()):
        pid = project.get("id") if isinstance(project, dict) else None
        if pid is None:
            continue
        if pid in seen:
            problems.append((("projects", i, "id"), say("duplicate_project", id=repr(pid), first=seen[pid])))
        else:
            seen[pid] = i
