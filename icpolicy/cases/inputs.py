"""Finding and reading case documents: files, directories, `.jsonl` files and stdin.

`iter_case_documents(paths)` yields one `CaseInput` per case, in input order, and
never stops at a bad one: an unreadable case is yielded with its error, so the
caller reports it and goes on with the rest.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import IcpolicyError
from ..yamlsource import Document, parse_json, parse_text, read_file

CASE_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")


@dataclass
class CaseInput:
    name: str  # where the case came from: a file, or file:line for JSON Lines
    doc: Document | None
    error: IcpolicyError | None = None


def expand_paths(paths) -> list[str]:
    """Directories become their case files (recursively, sorted); '-' stays stdin."""
    out = []
    for raw in paths:
        if raw == "-":
            out.append(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            out.extend(
                str(p)
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix in CASE_SUFFIXES and not p.name.startswith(".")
            )
        else:
            out.append(raw)
    return out


def iter_case_documents(paths, stdin=None) -> Iterator[CaseInput]:
    read_stdin = False
    for path in expand_paths(paths):
        if path == "-":
            if read_stdin:
                continue  # standard input can be read once
            read_stdin = True
            text, error = _read_stdin(stdin)
            if error is not None:
                yield CaseInput("<stdin>", None, error)
                continue
            yield from _from_text(text, "<stdin>")
        elif path.endswith(".jsonl"):
            yield from _jsonl_file(path)
        else:
            try:
                yield CaseInput(path, read_file(path))
            except IcpolicyError as exc:
                yield CaseInput(path, None, exc)


def _read_stdin(stdin):
    from ..diagnostics import Diagnostic, Span

    stream = stdin or sys.stdin
    raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
    if isinstance(raw, str):
        return raw, None
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, IcpolicyError(Diagnostic("E-IO", f"standard input is not UTF-8 text ({exc.reason} at byte {exc.start})", Span("<stdin>", 1, 1)))


def _from_text(text: str, name: str) -> Iterator[CaseInput]:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    # Several lines that each hold one JSON object: JSON Lines.
    if len(lines) > 1 and all(ln.lstrip().startswith("{") and ln.rstrip().endswith("}") for ln in lines):
        yield from _jsonl_lines(text.splitlines(), name)
        return
    try:
        doc = parse_json(text, name) if text.lstrip().startswith("{") else parse_text(text, name)
        yield CaseInput(name, doc)
    except IcpolicyError as exc:
        yield CaseInput(name, None, exc)


def _jsonl_file(path: str) -> Iterator[CaseInput]:
    try:
        with open(path, encoding="utf-8") as fh:
            yield from _jsonl_lines(fh, path)
    except (OSError, UnicodeDecodeError) as exc:
        from ..diagnostics import Diagnostic, Span

        yield CaseInput(path, None, IcpolicyError(Diagnostic("E-IO", f"cannot read: {exc}", Span(path, 1, 1))))


def _jsonl_lines(lines, name: str) -> Iterator[CaseInput]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            yield CaseInput(where, parse_json(line, name, line_offset=number - 1))
        except IcpolicyError as exc:
            yield CaseInput(where, None, exc)
