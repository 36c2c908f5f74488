"""Findings for CI: SARIF 2.1.0 (code scanning) and GitHub workflow annotations.

`validate` and `test` turn what they found into `Finding`s; this module writes
them in either form. File paths are written relative to the working directory
when they are inside it (code scanning and annotations expect paths from the
repository root, where CI runs), else as `file://` URIs (SARIF) or as they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..diagnostics import Diagnostic

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "note": "note", "info": "note", "help": "note"}


@dataclass(frozen=True)
class Finding:
    rule: str  # a diagnostic code (E-CASE) or a test outcome (test-failure)
    message: str
    level: str = "error"  # error, warning or note
    file: str | None = None
    line: int | None = None
    col: int | None = None
    end_line: int | None = None
    end_col: int | None = None

    @classmethod
    def of(cls, d: Diagnostic) -> Finding:
        text = f"{d.field}: {d.message}" if d.field else d.message
        if d.help:
            text += f"\nhelp: {d.help}"
        span = d.span
        if span is None:
            return cls(d.code, text, _LEVELS.get(d.severity, "error"))
        return cls(d.code, text, _LEVELS.get(d.severity, "error"), span.file, span.line, span.col,
                   span.end_line, span.end_col)


RULE_TEXTS = {
    "test-failure": "A policy test decided otherwise than it expects.",
    "test-error": "A policy test could not be decided.",
}


def sarif_log(findings: list[Finding]) -> dict:
    """One SARIF run of icpolicy with a result per finding and a rule per code met."""
    codes = sorted({f.rule for f in findings})
    rules = [{"id": code, "shortDescription": {"text": RULE_TEXTS.get(code, f"icpolicy {code}")}} for code in codes]
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for f in findings:
        result: dict = {"ruleId": f.rule, "ruleIndex": index[f.rule], "level": f.level, "message": {"text": f.message}}
        if f.file:
            result["locations"] = [{"physicalLocation": _physical(f)}]
        results.append(result)
    driver = {"name": "icpolicy", "version": __version__, "rules": rules}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}


def sarif_text(findings: list[Finding]) -> str:
    return json.dumps(sarif_log(findings), indent=2, ensure_ascii=False)


def _physical(f: Finding) -> dict:
    location: dict = {"artifactLocation": {"uri": _uri(f.file or "")}}
    if f.line:
        region: dict = {"startLine": f.line}
        if f.col:
            region["startColumn"] = f.col
        if f.end_line:
            region["endLine"] = f.end_line
        if f.end_col and (f.end_line in (None, f.line)) and f.col and f.end_col > f.col:
            region["endColumn"] = f.end_col
        location["region"] = region
    return location


def _uri(file: str) -> str:
    relative = _relative(file)
    if relative is not None:
        return relative
    path = Path(file)
    return path.as_uri() if path.is_absolute() else path.as_posix()


def _relative(file: str) -> str | None:
    if file.startswith("<"):  # <stdin> and the like
        return None
    try:
        return Path(file).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return None


def github_annotations(findings: list[Finding]) -> str:
    """`::error file=F,line=L,col=C,title=CODE::message` lines, one per finding."""
    return "".join(_annotation(f) + "\n" for f in findings)


def _annotation(f: Finding) -> str:
    command = {"error": "error", "warning": "warning"}.get(f.level, "notice")
    props = []
    if f.file:
        props.append(("file", _relative(f.file) or f.file))
        if f.line:
            props.append(("line", str(f.line)))
            if f.col:
                props.append(("col", str(f.col)))
            if f.end_line and f.end_line != f.line:
                props.append(("endLine", str(f.end_line)))
            elif f.end_col and f.col and f.end_col > f.col:
                props.append(("endColumn", str(f.end_col)))
    props.append(("title", f.rule))
    head = ",".join(f"{k}={_escape_property(v)}" for k, v in props)
    return f"::{command} {head}::{_escape_data(f.message)}"


def _escape_data(text: str) -> str:
    # The workflow-command escapes: a message stays on one line.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
