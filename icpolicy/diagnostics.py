"""Diagnostics shared by every stage: source spans, findings, and the error that carries them.

A `Diagnostic` names a stable code, a message, where it happened (a 1-based
`Span` into a file) and optional help. Stages collect diagnostics and raise one
`IcpolicyError` holding all of them, so a user sees every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    code: str
    message: str
    span: Span | None = None
    help: str | None = None
    severity: str = "error"
    # Dotted path of the field concerned (case documents), when there is one.
    field: str | None = None

    def headline(self) -> str:
        where = f"{self.span}: " if self.span else ""
        what = f"{self.field}: " if self.field else ""
        return f"{where}{what}{self.message}"

    def to_dict(self) -> dict:
        out = {"code": self.code, "severity": self.severity, "message": self.message}
        if self.field:
            out["field"] = self.field
        if self.span:
            out.update(file=self.span.file, line=self.span.line, col=self.span.col)
        if self.help:
            out["help"] = self.help
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
        out.append(f"  = help: {d.help}")
    return "\n".join(out)
