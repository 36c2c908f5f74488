"""The policy model: what a policy file says, after parsing and checking.

Plain data: parameters with their values and sources, definitions, decisions and
their rules, each expression kept as its AST together with where it is written.
The engine compiles this model; diff and show read it. Frozen once loaded: the
loader builds it whole, and nothing after it can change what a version says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from ..dates import parse_iso_date
from ..lang import ast
from ..lang import types as T
from ..lang.checker import Checked


def _frozen_map() -> Mapping:
    return MappingProxyType({})



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


@dataclass(frozen=True)
class Expr:
    """An expression as written: its text, AST and the path of its YAML scalar, with
    the checker's result (types, resolved names) that the compiler reads."""

    text: str
    node: ast.Node
    path: tuple
    type: T.Type | None
    checked: Checked


@dataclass(frozen=True)
class Template:
    """An explanation text with {expression} placeholders."""

    text: str
    path: tuple
    parts: tuple = ()  # str, or Expr for a placeholder
    # The same text in other languages (issue 11): language -> Template, itself included.
    translations: Mapping[str, Template] = field(default_factory=_frozen_map, repr=False, compare=False)

    def in_lang(self, lang: str | None) -> Template:
        """This template in `lang` (itself when it has no translations, or none in `lang`)."""
        return self.translations.get(lang, self) if lang else self


@dataclass(frozen=True)
class Parameter:
    name: str
    expr: Expr
    value: object
    type: T.Type
    source: SourceRef
    unit: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    when: Expr | None
    value: Expr
    source: SourceRef
    explanation: Template
    overrides: tuple | str = ()  # rule ids, or "all"
    description: str | None = None
    path: tuple = ()


@dataclass(frozen=True)
class Decision:
    """A named value: a decision (in the output) or a definition (a helper)."""

    name: str
    type: T.Type | None
    scope: str  # "case" or "project"
    output: bool
    value: Expr | None = None  # computed decisions and definitions
    default: Expr | None = None
    rules: tuple[Rule, ...] = ()
    explanation: Template | None = None
    source: SourceRef | None = None
    description: str | None = None
    values: tuple | None = None  # the possible values of a string decision
    path: tuple = ()
    # How people read it (issue 11): its name, how each value is said, when it does not
    # apply at all, and the decisions whose deciding rules it cites as well.
    title: str | None = None
    labels: dict = field(default_factory=dict)
    applies_if: str | None = None
    cites: tuple = ()


@dataclass(frozen=True)
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
    sources: Mapping[str, dict] = field(default_factory=_frozen_map)
    languages: tuple = ()  # the languages every text is written in
    summary: tuple = ()  # decisions whose explanations answer the case in words
    parameters: Mapping[str, Parameter] = field(default_factory=_frozen_map)
    nodes: Mapping[str, Decision] = field(default_factory=_frozen_map)  # definitions and decisions
    order: tuple[str, ...] = ()  # evaluation order (dependencies first)
    files: tuple[str, ...] = ()  # the files this version is made from
    deps: Mapping[str, frozenset] = field(default_factory=_frozen_map)  # what each value depends on
    explain_deps: Mapping[str, frozenset] = field(default_factory=_frozen_map)  # what its explanations show

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
