"""Diagnostics shared by every stage: source spans, findings, and the error that carries them.

A `Diagnostic` names a stable code, a message, where it happened (a 1-based
`Span` into a file) and optional help. Stages collect diagnostics and raise one
`IcpolicyError` holding all of them, so a user sees every problem at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field

# Every error code the package reports, one line each: what it means. docs/error-codes.md
# is generated from this table (`python -m icpolicy.diagnostics > docs/error-codes.md`),
# and a test checks that every code in the source is here.
CODES: dict[str, str] = {
    "E-ARITY": "a function is called with the wrong number or kind of arguments",
    "E-BATCH": "a batch sent to the server is not a JSON array of case documents (or JSON Lines)",
    "E-CASE": "a case document does not fit the case format (a field, its type or its value)",
    "E-CHAIN": "a decision log is not a chain of decision records (a record missing, out of order or not chained)",
    "E-CONFIG": "a project setting (icpolicy.toml, [tool.icpolicy] in pyproject.toml) cannot be read or is not valid",
    "E-CONFLICT": "two rules of a decision can fire together with different values and neither overrides the other",
    "E-CYCLE": "definitions or decisions depend on each other in a cycle",
    "E-DECISION": "a decision name asked for is not one of the policy",
    "E-DUPLICATE-KEY": "a key appears twice in one mapping of a YAML or JSON document",
    "E-EMPTY": "an input holds no case documents (an empty directory, file or standard input; a request or batch with none)",
    "E-ENUM": "a value is not one of the values a string decision or field allows",
    "E-EVAL": "a case could not be decided: an expression failed on its values (null, division by zero, out of range)",
    "E-FIELD": "an expression reads a field that its record does not have",
    "E-GIT": "a policy could not be read from git (git missing, or the revision or file not found)",
    "E-HTTP": "a request to the server asks for a path or method it does not serve",
    "E-INTERNAL": "the server failed on a request (logged on the server; never a traceback in the answer)",
    "E-IO": "a file or standard input could not be read or written",
    "E-JSON-SYNTAX": "a JSON document or line is not valid JSON",
    "E-LANG": "a text of the policy lacks a translation, or names a language the policy does not declare",
    "E-MAY-CONFLICT": "two rules of a decision give different values, neither overrides the other, and they may fire together: their conditions are not proved exclusive, but no case was found on which both fire",
    "E-LIMIT": "an input goes beyond a documented limit (nesting depth, length, digits)",
    "E-MEDIA-TYPE": "a request body to the server is of a media type it cannot read",
    "E-NAME": "an expression uses a name (or function) that is not defined",
    "E-PARAM": "a parameter's unit does not fit its value, or its value cannot be computed",
    "E-POLICY": "a file was not checked because the policy it belongs to has problems (editor sessions)",
    "E-QUOTE": "a quote of a legal source is not found word for word in the text of that source",
    "E-RECORD": "a decision record cannot be read, or does not fit the record format",
    "E-RULE": "a rule id is used twice, or a rule refers to a rule that does not exist",
    "E-SCHEMA": "a policy or version file does not fit its schema (a key missing, unknown or of the wrong type)",
    "E-SCOPE": "a value decided for each project is used for the case, or the other way round",
    "E-SOURCE": "a rule or parameter cites a legal source the policy does not list",
    "E-SYNTAX": "an expression is not written in the expression language (a character, a token or its end)",
    "E-TEST": "a policy test file does not fit the test format, or names something the policy lacks",
    "E-TYPE": "an expression combines values of kinds that do not fit (money + date, a condition that is not true/false)",
    "E-USAGE": "a command-line option or argument is not valid",
    "E-VERSION": "a policy version is defined twice, extends an unknown version, or cannot be chosen for a date",
    "E-YAML": "a YAML document cannot be read (a tag, an alias, its size)",
    "E-YAML-SYNTAX": "a YAML document is not valid YAML",
}


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate a misspelt name was most likely meant as, when one is close enough."""
    close = difflib.get_close_matches(name, [str(c) for c in candidates], n=1, cutoff=0.6)
    return close[0] if close else None


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """A "did you mean" for a misspelt name, when one candidate is close enough."""
    close = closest(name, candidates)
    return f"did you mean '{close}'?" if close else None


def codes_markdown() -> str:
    """docs/error-codes.md: the registry as a table."""
    lines = [
        "# Error codes",
        "",
        "Every problem icpolicy reports carries one of these codes (generated from",
        "`icpolicy/diagnostics.py`; regenerate with `python -m icpolicy.diagnostics > docs/error-codes.md`).",
        "",
        "| code | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{code}` | {meaning} |" for code, meaning in sorted(CODES.items())]
    return "\n".join(lines) + "\n"


# The language diagnostics are shown in: set by `--lang` (icpolicy.i18n.language), else
# read from ICPOLICY_LANG and the locale when a message has translations to choose from.
message_language: ContextVar[str | None] = ContextVar("message_language", default=None)


def localize(text: str | None) -> str | None:
    """A message in the reader's language: messages with translations (an
    `icpolicy.i18n.Text`) choose theirs; a plain string is the same in every language."""
    in_lang = getattr(text, "in_lang", None)
    if in_lang is None:
        return text
    lang = message_language.get()
    if lang is None:
        from .i18n.language import choose_language

        lang = choose_language()
    return in_lang(lang)


@dataclass(frozen=True)
class Span:
    """A place in a file: 1-based line and column; `end_col` is exclusive when known."""

    file: str
    line: int
    col: int
    end_line: int | None = None
    end_col: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    code: str  # one of CODES
    message: str
    span: Span | None = None
    help: str | None = None
    severity: str = "error"
    # Dotted path of the field concerned (case documents), when there is one.
    field: str | None = None

    def headline(self) -> str:
        where = f"{self.span}: " if self.span else ""
        what = f"{self.field}: " if self.field else ""
        return f"{where}{what}{localize(self.message)}"

    def to_dict(self) -> dict:
        out: dict[str, object] = {"code": self.code, "severity": self.severity, "message": localize(self.message)}
        if self.field:
            out["field"] = self.field
        if self.span:
            out.update(file=self.span.file, line=self.span.line, col=self.span.col)
        if self.help:
            out["help"] = localize(self.help)
        return out


class IcpolicyError(Exception):
    """One or more diagnostics that stop the work; never a partial result."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = sorted(diagnostics, key=_sort_key)
        super().__init__("\n".join(d.headline() for d in self.diagnostics))


def _sort_key(d: Diagnostic):
    if d.span is None:
        return ("", 0, 0)
    return (d.span.file, d.span.line, d.span.col)


@dataclass
class SourceTexts:
    """File texts kept for rendering carets under the offending text."""

    texts: dict[str, str] = field(default_factory=dict)
    _lines: dict[str, list[str]] = field(default_factory=dict)  # split once per file

    def line(self, file: str, line: int) -> str | None:
        lines = self._lines.get(file)
        if lines is None:
            text = self.texts.get(file)
            if text is None:
                from .sourcefile import read_text  # regular files of a document's size only

                try:
                    text = read_text(file)
                except IcpolicyError:
                    text = ""
            lines = self._lines[file] = text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else None


def render(d: Diagnostic, sources: SourceTexts | None = None) -> str:
    """Render one diagnostic like a compiler: headline, the line, a caret, help."""
    sources = sources or SourceTexts()
    out = [f"{d.severity}[{d.code}]: {d.headline()}"]
    if d.span:
        text = sources.line(d.span.file, d.span.line)
        if text is not None:
            gutter = str(d.span.line)
            width = 1
            if d.span.end_col and (d.span.end_line in (None, d.span.line)):
                width = max(1, d.span.end_col - d.span.col)
            out.append(f"{' ' * len(gutter)} |")
            out.append(f"{gutter} | {text}")
            out.append(f"{' ' * len(gutter)} | {' ' * (d.span.col - 1)}{'^' * width}")
    if d.help:
        out.append(f"  = help: {localize(d.help)}")
    return "\n".join(out)


if __name__ == "__main__":
    print(codes_markdown(), end="")
