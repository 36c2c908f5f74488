"""Reading an input's bytes safely: regular files (or standard input) only, of a capped size.

A case or policy path may name anything: a FIFO with no writer (opening it would
wait forever), `/dev/zero` (reading it never ends), a directory, a file too large
to be a document. Each gives a clear `E-IO` diagnostic instead. Standard input is
read under the same cap.
"""

from __future__ import annotations

import os
import stat
from typing import BinaryIO

from .diagnostics import Diagnostic, IcpolicyError, Span

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # 64 MiB: a case or policy document, or one JSON line
_MIB = 1024 * 1024


def fail_io(name: str, message: str, line: int = 1, col: int = 1) -> IcpolicyError:
    return IcpolicyError(Diagnostic("E-IO", message, Span(name, line, col)))


def too_large(name: str, limit: int = MAX_DOCUMENT_BYTES) -> IcpolicyError:
    return fail_io(name, f"larger than {limit // _MIB} MiB, the limit of one document")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory, expected a file"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file; give a file, or - for standard input"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def open_regular(path: str, name: str | None = None) -> BinaryIO:
    """A regular file opened for binary reading; E-IO for anything else, without blocking."""
    name = name or path
    try:
        # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise fail_io(name, "no such file") from None
    except IsADirectoryError:
        raise fail_io(name, "is a directory, expected a file") from None
    except OSError as exc:
        raise fail_io(name, f"cannot read: {exc.strerror or 'error'}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise fail_io(name, _kind(mode))
    return os.fdopen(fd, "rb")


def read_capped(stream: BinaryIO, name: str, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """All of `stream`, or E-IO once it is longer than `limit` bytes."""
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        raise fail_io(name, f"cannot read: {exc.strerror or 'error'}") from None
    if len(data) > limit:
        raise too_large(name, limit)
    return data


def decode(data: bytes, name: str, line: int = 1) -> str:
    """UTF-8 text; E-IO naming the line and column of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        row = line + before.count(b"\n")
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise fail_io(name, f"not UTF-8 text ({exc.reason} at byte {exc.start})", row, col) from None


def read_text(path: str, name: str | None = None, limit: int = MAX_DOCUMENT_BYTES) -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes."""
    name = name or path
    with open_regular(path, name) as fh:
        return decode(read_capped(fh, name, limit), name)
