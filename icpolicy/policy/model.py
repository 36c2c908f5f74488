"""The policy model: what a policy file says, after parsing and checking.

Plain data: parameters with their values and sources, definitions, decisions and
their rules, each expression kept as its AST together with where it is written.
The engine compiles this model; diff and show read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..dates import parse_iso_date
from ..lang import ast
from ..lang import types as T


@dataclass(frozen=True)
class SourceRef:
    """A citation of the guide: which text, which section, its own words."""

    ref: str
    quote: str
    section: str | None = None
    interpretation: str | None = None
    title: str | None = None  # the referenced source's title, filled in by the loader

    def citation(self) -> str:
        parts = [self.title or self.ref]
        if self.section:
            parts.append(self.section)
        return ", ".join(parts) + f": «{' '.join(self.quote.split())}»"


@dataclass
class Expr:
    """An expression as written: its text, AST and the path of its YAML scalar."""

    text: str
    node: ast.Node
    path: tuple
    type: T.Type | None = None
    checked: object = None  # the checker's result (types, resolved names), for the compiler


@dataclass
class Template:
    """An explanation text with {expression} placeholders."""

    text: str
    path: tuple
    parts: list = field(default_factory=list)  # str, or Expr for a placeholder


@dataclass
class Parameter:
    name: str
    expr: Expr
    value: object
    type: T.Type
    source: SourceRef
    unit: str | None = None
    description: str | None = None


@dataclass
class Rule:
    id: str
    when: Expr | None
    value: Expr
    source: SourceRef
    explanation: Template
    overrides: tuple | str = ()  # rule ids, or "all"
    description: str | None = None
    path: tuple = ()


@dataclass
class Decision:
    """A named value: a decision (in the output) or a definition (a helper)."""

    name: str
    type: T.Type | None
    scope: str  # "case" or "project"
    output: bool
    value: Expr | None = None  # computed decisions and definitions
    default: Expr | None = None
    rules: list[Rule] = field(default_factory=list)
    explanation: Template | None = None
    source: SourceRef | None = None
    description: str | None = None
    values: tuple | None = None  # the possible values of a string decision
    path: tuple = ()


@dataclass
class PolicyModel:
    id: str
    version: str
    title: str
    file: str
    sha256: str
    effective_from: str | None = None
    effective_to: str | None = None
    note: str | None = None
    description: str | None = None
    sources: dict = field(default_factory=dict)
    parameters: dict[str, Parameter] = field(default_factory=dict)
    nodes: dict[str, Decision] = field(default_factory=dict)  # definitions and decisions
    order: list[str] = field(default_factory=list)  # evaluation order (dependencies first)
    files: list = field(default_factory=list)  # the files this version is made from
    deps: dict[str, set] = field(default_factory=dict)  # what each value depends on
    explain_deps: dict[str, set] = field(default_factory=dict)  # what its explanations show

    def decisions(self) -> list[Decision]:
        return [d for d in self.nodes.values() if d.output]

    @property
    def period(self) -> tuple:
        """(first day, last day) in force as dates; None where the file sets none."""
        return _day(self.effective_from), _day(self.effective_to)

    def in_force(self, day: dt.date) -> bool:
        start, end = self.period
        return (start is None or start <= day) and (end is None or day <= end)


def _day(text):
    return parse_iso_date(text) if text else None
