"""Finding and reading case documents: files, directories, `.jsonl` files and stdin.

`iter_case_documents(paths)` yields one `CaseInput` per case, in input order, and
never stops at a bad one: an unreadable case is yielded with its error, so the
caller reports it and goes on with the rest. What cannot be read is reported too:
a directory that cannot be listed, a path that is not a regular file, a document
over the size limit, and an input with no case documents at all.

JSON Lines (a `.jsonl` file, or standard input whose first lines are JSON objects)
are read line by line, each line capped at the document size: each bad line is
reported with its number and the others are decided.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple

from ..diagnostics import Diagnostic, IcpolicyError, Span
from ..sourcefile import MAX_DOCUMENT_BYTES, decode, fail_io, open_regular, read_capped, too_large
from ..yamlsource import Document, parse_json, parse_text, read_file

CASE_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")  # matched whatever their case
_READ = ", ".join("*" + s for s in CASE_SUFFIXES)


@dataclass
class CaseInput:
    name: str  # where the case came from: a file, or file:line for JSON Lines
    doc: Document | None
    error: IcpolicyError | None = None

    def load(self) -> CaseInput:
        return self


class PendingCase(NamedTuple):
    """A case found but not yet read: a case file's path, or one JSON Lines line as read.
    `load()` reads it; with `--jobs` that happens in the worker that decides it, so
    the parsing is spread over the cores too. (A tuple: cheap to send to a worker.)"""

    name: str  # the file, or file:line
    raw: bytes | None = None  # the line of a JSON Lines input; None for a case file
    source: str = ""  # the JSON Lines input's name
    number: int = 0  # the line's number

    def load(self) -> CaseInput:
        try:
            if self.raw is None:
                return CaseInput(self.name, read_file(self.name))
            text = decode(self.raw, self.source, self.number).rstrip("\r\n")
            return CaseInput(self.name, parse_json(text, self.source, line_offset=self.number - 1))
        except IcpolicyError as exc:
            return CaseInput(self.name, None, exc)


def is_case_file(name: str) -> bool:
    return name.lower().endswith(CASE_SUFFIXES) and not name.startswith(".")


def no_cases(where: str) -> CaseInput:
    message = f"no case documents found in {where} (read: {_READ})"
    return CaseInput(where, None, IcpolicyError(Diagnostic("E-EMPTY", message, Span(where, 1, 1))))


def walk_directory(directory: str) -> Iterator[str | CaseInput]:
    """The case files below `directory` (recursively, sorted, hidden files skipped),
    and a CaseInput with an E-IO error for each directory that cannot be listed.
    Symbolic links to directories are not followed (they could loop)."""
    found: list[tuple[tuple[str, ...], str | CaseInput]] = []
    root = Path(directory)
    pending = [root]
    while pending:
        here = pending.pop()
        try:
            entries = list(os.scandir(here))
        except OSError as exc:
            error = fail_io(str(here), f"cannot read the directory: {exc.strerror or 'error'}")
            found.append(((here.relative_to(root).parts), CaseInput(str(here), None, error)))
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                pending.append(path)
            elif is_case_file(entry.name) and entry.is_file():
                found.append((path.relative_to(root).parts, str(path)))
    found.sort(key=lambda item: item[0])
    for _, item in found:
        yield item


def expand_paths(paths: Iterable[str | CaseInput]) -> list[str | CaseInput]:
    """Directories become their case files; '-' stays stdin; a directory with none is
    reported. A CaseInput (an error found by the caller's own walk) passes through."""
    out: list[str | CaseInput] = []
    for raw in paths:
        if isinstance(raw, str) and raw != "-" and os.path.isdir(raw):
            items = list(walk_directory(raw))
            out.extend(items if items else [no_cases(raw)])
        else:
            out.append(raw)
    return out


def iter_case_documents(paths: Iterable[str | CaseInput], stdin=None) -> Iterator[CaseInput]:
    """Every case of `paths`, read, in input order."""
    for source in iter_case_sources(paths, stdin):
        yield source.load()


def iter_case_sources(paths: Iterable[str | CaseInput], stdin=None) -> Iterator[CaseInput | PendingCase]:
    """Every case of `paths` in input order, found but not necessarily read: a
    PendingCase is read by its `load()` (a CaseInput's `load()` is itself)."""
    read_stdin = False
    for path in expand_paths(paths):
        if isinstance(path, CaseInput):
            yield path
        elif path == "-":
            if read_stdin:
                continue  # standard input can be read once
            read_stdin = True
            yield from _stdin_documents(_binary(stdin or sys.stdin))
        elif path.lower().endswith(".jsonl"):
            yield from _jsonl_file(path)
        else:
            yield PendingCase(path)


def _binary(stream) -> BinaryIO:
    if hasattr(stream, "buffer"):
        return stream.buffer
    if hasattr(stream, "mode") and "b" in getattr(stream, "mode", ""):
        return stream
    import io

    data = stream.read()
    return io.BytesIO(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)


class _Lines:
    """The lines of a binary stream, each at most the document size, numbered from 1."""

    def __init__(self, stream: BinaryIO, name: str):
        self.stream, self.name, self.number = stream, name, 0

    def next(self) -> bytes:
        """The next line (with its end), b"" at the end; E-IO for a line over the limit."""
        try:
            line = self.stream.readline(MAX_DOCUMENT_BYTES + 1)
        except OSError as exc:
            raise fail_io(self.name, f"cannot read: {exc.strerror or 'error'}", self.number + 1) from None
        if not line:
            return line
        self.number += 1
        if len(line) > MAX_DOCUMENT_BYTES:
            raise too_large(f"{self.name}", MAX_DOCUMENT_BYTES)
        return line


def _jsonl_file(path: str) -> Iterator[CaseInput | PendingCase]:
    try:
        stream = open_regular(path)
    except IcpolicyError as exc:
        yield CaseInput(path, None, exc)
        return
    with stream:
        yield from _jsonl_lines(_Lines(stream, path), [])


def _jsonl_lines(lines: _Lines, head: list[tuple[int, bytes]]) -> Iterator[CaseInput | PendingCase]:
    """Each non-blank line as one JSON document: the lines in `head`, then the rest."""
    name = lines.name
    seen = False
    pending = list(head)
    while True:
        if pending:
            number, raw = pending.pop(0)
        else:
            try:
                raw = lines.next()
            except IcpolicyError as exc:
                yield CaseInput(f"{name}:{lines.number + 1}", None, exc)
                return  # a line with no end in sight: the stream cannot be resynchronised
            number = lines.number
            if not raw:
                break
        if not raw.strip():
            continue
        seen = True
        yield PendingCase(f"{name}:{number}", raw, name, number)
    if not seen:
        yield no_cases(name)


def _stdin_documents(stream: BinaryIO) -> Iterator[CaseInput | PendingCase]:
    """Standard input: JSON Lines when its first line is a whole JSON object, or its first
    two non-blank lines both start with `{`; otherwise one JSON or YAML document."""
    name = "<stdin>"
    lines = _Lines(stream, name)
    head: list[tuple[int, bytes]] = []
    try:
        while len([raw for _, raw in head if raw.strip()]) < 2:
            raw = lines.next()
            if not raw:
                break
            head.append((lines.number, raw))
    except IcpolicyError as exc:
        yield CaseInput(name, None, exc)
        return
    if _looks_like_json_lines([raw for _, raw in head if raw.strip()]):
        yield from _jsonl_lines(lines, head)
        return
    try:
        start = b"".join(raw for _, raw in head)
        rest = read_capped(stream, name, MAX_DOCUMENT_BYTES - len(start))
        text = decode(start + rest, name)
    except IcpolicyError as exc:
        yield CaseInput(name, None, exc)
        return
    if not text.strip():
        yield no_cases(name)
        return
    try:
        doc = parse_json(text, name) if text.lstrip().startswith("{") else parse_text(text, name)
        yield CaseInput(name, doc)
    except IcpolicyError as exc:
        yield CaseInput(name, None, exc)


def _looks_like_json_lines(first: list[bytes]) -> bool:
    if not first or not first[0].lstrip().startswith(b"{"):
        return False
    if len(first) > 1 and first[1].lstrip().startswith(b"{"):
        return True
    import json

    try:
        return isinstance(json.loads(first[0]), dict) and len(first) > 1
    except ValueError:
        return False
