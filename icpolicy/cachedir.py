"""The user's cache directory and the entries kept in it, each checked before it is used.

Where: `ICPOLICY_CACHE_DIR` when set, else `$XDG_CACHE_HOME/icpolicy`, else the
platform's default (`~/.cache/icpolicy`; `~/Library/Caches/icpolicy` on macOS;
`%LOCALAPPDATA%\\icpolicy\\Cache` on Windows). `ICPOLICY_NO_CACHE=1` turns every cache off.

An entry is one file: a header line (format, length and SHA-256 of the payload) and the
payload. A file that is truncated, altered or of another format fails the check and is
treated as absent; the caller rebuilds what it held and writes it again. Writes go to
a temporary file in the same directory renamed over the entry, so a reader never sees a
half-written entry, whichever process wins a race. Nothing here raises for a directory
that cannot be made or written: the cache is then simply not used.

The payloads are pickles, and unpickling runs code named in the file, so an entry is read
only from a directory owned by the user and writable by no one else (on systems with
file ownership), and only from a file the user owns. Anyone able to write there can run
code as the user anyway.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
import tempfile
import time
from pathlib import Path

_MAGIC = b"icpolicy-cache/1"
MAX_ENTRIES = 64  # per kind; the least recently written go first


def disabled_by_environment() -> bool:
    return os.environ.get("ICPOLICY_NO_CACHE", "").strip().lower() not in ("", "0", "false", "no")


def cache_root() -> Path:
    """The directory (which may not exist yet) this user's icpolicy caches live in."""
    explicit = os.environ.get("ICPOLICY_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "icpolicy"
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        if local:
            return Path(local) / "icpolicy" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "icpolicy"
    return Path.home() / ".cache" / "icpolicy"


def _trusted_dir(path: Path) -> bool:
    """Ours to read pickles from: a real directory we own that no one else may write."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if not hasattr(os, "getuid"):  # no POSIX ownership (Windows): the per-user profile directory
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _kind_dir(kind: str, create: bool) -> Path | None:
    folder = cache_root() / kind
    if create:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            return None
    return folder if _trusted_dir(cache_root()) and _trusted_dir(folder) else None


def read_entry(kind: str, key: str) -> bytes | None:
    """The payload stored under `key`, or None when absent, unreadable, untrusted or damaged."""
    folder = _kind_dir(kind, create=False)
    if folder is None:
        return None
    try:
        with open(folder / f"{key}.bin", "rb") as fh:
            if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
                return None
            blob = fh.read()
    except OSError:
        return None
    return _checked_payload(blob)


def _checked_payload(blob: bytes) -> bytes | None:
    header, newline, payload = blob.partition(b"\n")
    parts = header.split(b" ")
    if not newline or len(parts) != 3 or parts[0] != _MAGIC:
        return None
    length, digest = parts[1], parts[2]
    if not length.isdigit() or int(length) != len(payload):
        return None
    if hashlib.sha256(payload).hexdigest().encode("ascii") != digest:
        return None
    return payload


def write_entry(kind: str, key: str, payload: bytes) -> bool:
    """Store `payload` under `key` atomically; False (and nothing raised) when it cannot be."""
    folder = _kind_dir(kind, create=True)
    if folder is None:
        return False
    header = b"%s %d %s\n" % (_MAGIC, len(payload), hashlib.sha256(payload).hexdigest().encode("ascii"))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".bin")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(header)
            fh.write(payload)
        os.replace(tmp, folder / f"{key}.bin")
    except OSError:
        _remove(Path(tmp))
        return False
    _prune(folder)
    return True


def _prune(folder: Path) -> None:
    """Keep the newest MAX_ENTRIES entries: each policy edit makes a new key."""
    try:
        found = [(p.stat().st_mtime, p) for p in folder.iterdir() if p.suffix == ".bin"]
    except OSError:
        return
    now = time.time()
    entries = sorted((item for item in found if not item[1].name.startswith(".")), reverse=True)
    for _, old in entries[MAX_ENTRIES:]:
        _remove(old)
    for written, tmp in found:  # left by a process that died while writing
        if tmp.name.startswith(".tmp-") and now - written > 3600:
            _remove(tmp)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def digest_of(*parts: bytes | str) -> str:
    """A key: SHA-256 over the parts, each length-prefixed so no two lists collide."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(b"%d:" % len(data))
        digest.update(data)
    return digest.hexdigest()
