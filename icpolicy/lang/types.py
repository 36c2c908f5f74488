"""The types of the expression language and how they combine.

Numbers come in three kinds that behave differently in arithmetic: plain
`number`, `money` (NOK) and `share` (a fraction; `80 %` is 0.8). A plain number
adapts to the kind beside it, so `value_nok > 0` reads naturally, but money is
never silently compared with a share.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Type:
    def __str__(self) -> str:  # pragma: no cover - overridden
        return "?"


@dataclass(frozen=True)
class Prim(Type):
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Str(Type):
    """A string, optionally limited to a known set of values (an enum of the schema)."""

    values: frozenset | None = None

    def __str__(self) -> str:
        return "string"


@dataclass(frozen=True)
class ListOf(Type):
    item: Type

    def __str__(self) -> str:
        return f"list of {self.item}"


@dataclass(frozen=True)
class Record(Type):
    name: str
    fields: tuple  # of (name, Type), in schema order

    def field(self, name: str) -> Type | None:
        for key, typ in self.fields:
            if key == name:
                return typ
        return None

    def names(self) -> list[str]:
        return [key for key, _ in self.fields]

    def with_fields(self, extra: dict) -> Record:
        return Record(self.name, self.fields + tuple(extra.items()))

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Optional(Type):
    """A value that may be missing (null); use coalesce() before computing with it."""

    inner: Type

    def __str__(self) -> str:
        return f"{self.inner} or null"


BOOL = Prim("bool")
NUMBER = Prim("number")
MONEY = Prim("money")
SHARE = Prim("share")
DATE = Prim("date")
DURATION = Prim("duration")
NULL = Prim("null")
ANY = Prim("any")  # the item type of an empty list literal
STRING = Str()

NUMERIC = (NUMBER, MONEY, SHARE)

LITERAL_TYPES = {
    "number": NUMBER,
    "money": MONEY,
    "share": SHARE,
    "duration": DURATION,
    "string": STRING,
    "bool": BOOL,
    "null": NULL,
    "date": DATE,
}

# Names policy owners write in `type:` of a decision.
DECLARED_TYPES = {
    "bool": BOOL,
    "number": NUMBER,
    "money": MONEY,
    "share": SHARE,
    "string": STRING,
    "date": DATE,
}


def is_numeric(t: Type) -> bool:
    return t in NUMERIC


def strip_optional(t: Type) -> Type:
    return t.inner if isinstance(t, Optional) else t


def unify(a: Type, b: Type) -> Type | None:
    """The type both `a` and `b` fit in, or None when they don't mix."""
    if a == b:
        return a
    if a == ANY:
        return b
    if b == ANY:
        return a
    if a == NULL:
        return b if isinstance(b, Optional) else Optional(b)
    if b == NULL:
        return a if isinstance(a, Optional) else Optional(a)
    if isinstance(a, Optional) or isinstance(b, Optional):
        inner = unify(strip_optional(a), strip_optional(b))
        return Optional(inner) if inner is not None else None
    if is_numeric(a) and is_numeric(b):
        if a == NUMBER:
            return b
        if b == NUMBER:
            return a
        return None
    if isinstance(a, Str) and isinstance(b, Str):
        if a.values is None or b.values is None:
            return STRING
        return Str(a.values | b.values)
    if isinstance(a, ListOf) and isinstance(b, ListOf):
        item = unify(a.item, b.item)
        return ListOf(item) if item is not None else None
    return None


def arithmetic(op: str, a: Type, b: Type) -> Type | None:
    """Result type of `a op b` for + - * /, or None when the operation makes no sense."""
    if op == "+" and isinstance(a, ListOf) and isinstance(b, ListOf):
        return unify(a, b)  # joining two lists
    if op in "+-":
        return _add_or_subtract(op, a, b)
    if not (is_numeric(a) and is_numeric(b)):
        return None
    return _multiply(a, b) if op == "*" else _divide(a, b)


def _add_or_subtract(op: str, a: Type, b: Type) -> Type | None:
    if a == DATE and b == DURATION:
        return DATE
    if op == "+" and a == DURATION and b == DATE:
        return DATE
    if a == DURATION and b == DURATION:
        return DURATION
    if is_numeric(a) and is_numeric(b):
        return unify(a, b)
    return None


def _multiply(a: Type, b: Type) -> Type | None:
    if a == MONEY and b == MONEY:
        return None
    if MONEY in (a, b):
        return MONEY
    if SHARE in (a, b):
        return SHARE
    return NUMBER


def _divide(a: Type, b: Type) -> Type | None:
    if a == MONEY and b == MONEY:
        return SHARE
    if b == NUMBER:
        return a
    if a == b:
        return NUMBER
    if a == MONEY and b == SHARE:
        return MONEY
    return None


def comparable(a: Type, b: Type) -> bool:
    """Whether `<`, `>` and friends apply to a and b."""
    if ANY in (a, b):  # the items of an empty list literal: never compared
        return True
    if is_numeric(a) and is_numeric(b):
        return unify(a, b) is not None
    if a == DATE and b == DATE:
        return True
    return isinstance(a, Str) and isinstance(b, Str)
