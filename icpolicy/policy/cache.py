"""The policy cache: a policy's parsed and checked versions, kept between processes.

Loading a policy (YAML, every expression parsed and checked, the schema validated)
costs far more than starting the program; a command that loads the same policy again
reads what the first one built from the user's cache directory (icpolicy/cachedir.py).

The key is a SHA-256 over everything the result is made from: icpolicy's version and
its own code (each file's path, size and modification time), the Python version, both
schemas, and each policy file's contents and the name it is shown under. The source
texts that quotes are checked against are only known once the policy is read: the entry
lists each with its SHA-256 (or that it was absent), and an entry whose texts changed is
stale and rebuilt. Failed loads are never cached, so every problem is found again.

The checker's side tables are keyed by `id(node)`, which means nothing in another
process: they are stored as (node, value) pairs, which pickle keeps pointing at the very
node objects of the stored AST, and keyed again by those nodes' new ids when loaded.

The cache is off unless turned on (`set_enabled(True)`: the command line does, unless
`--no-cache` or `ICPOLICY_NO_CACHE` says otherwise); the Python API loads afresh.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import io
import os
import pickle
import sys
from pathlib import Path
from types import MappingProxyType

from .. import cachedir
from ..lang import ast
from ..lang.checker import Checked
from ..sourcefile import read_text
from ..yamlsource import parse_text
from .model import Expr

KIND = "policies"
_ID_KEYED = ("types", "names")  # Checked's tables keyed by id(node)
_enabled = False


def set_enabled(flag: bool) -> None:
    global _enabled
    _enabled = flag


def in_use() -> bool:
    return _enabled and not cachedir.disabled_by_environment()


def load_versions(path) -> list:
    """`versions.load_versions(path)`, from the cache when a valid entry exists."""
    from .versions import display_path, version_files, versions_from_documents

    files = version_files(path)
    texts = [(display_path(f), read_text(str(f), display_path(f))) for f in files]
    key = _key(texts)
    versions = _read(key)
    if versions is not None:
        return versions
    versions = versions_from_documents([parse_text(text, name) for name, text in texts])
    _write(key, versions)
    return versions


def _key(texts: list[tuple[str, str]]) -> str:
    from .. import __version__
    from ..resources import schema_path

    parts: list[bytes | str] = [__version__, sys.version, _code_fingerprint()]
    for schema in ("policy.schema.json", "case.schema.json"):
        parts.append(_file_digest(schema_path(schema)) or "")
    for name, text in texts:
        parts += [name, text]
    return cachedir.digest_of(*parts)


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """icpolicy's own files as they are now: an edit or another install is another key."""
    entries: list[bytes | str] = []
    folders = [Path(__file__).resolve().parent.parent]
    while folders:
        with os.scandir(folders.pop()) as listing:
            for entry in sorted(listing, key=lambda e: e.name):
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in ("__pycache__", "_bundled"):
                        folders.append(Path(entry.path))
                elif not entry.name.endswith(".pyc"):
                    info = entry.stat()
                    entries.append(f"{entry.path}:{info.st_size}:{info.st_mtime_ns}")
    return cachedir.digest_of(*entries)


def _file_digest(path) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


def _source_texts(versions: list) -> list[tuple[str, str | None]]:
    """The source texts the quotes were checked against (or found absent), with digests."""
    from .quotes import _document_path

    paths: set[str] = set()
    for _, doc in versions:
        for ref, raw in (doc.data.get("sources") or {}).items():
            if isinstance(raw, dict) and isinstance(raw.get("document"), str):
                where = _document_path(doc, ref, raw["document"])
                if where is not None:
                    paths.add(str(where))
    return [(p, _file_digest(p)) for p in sorted(paths)]


def _read(key: str) -> list | None:
    payload = cachedir.read_entry(KIND, key)
    if payload is None:
        return None
    collecting = gc.isenabled()
    gc.disable()  # a pickle of many small objects: collecting while it builds them doubles the time
    try:
        entry = pickle.loads(payload)
        sources, versions = entry["sources"], entry["versions"]
    except Exception:  # an entry from another build that passed the digest: rebuilt, never trusted
        return None
    finally:
        if collecting:
            gc.enable()
    if any(_file_digest(path) != digest for path, digest in sources):
        return None  # a source text changed since: the quotes must be checked again
    return versions


def _write(key: str, versions: list) -> None:
    buffer = io.BytesIO()
    try:
        _Pickler(buffer).dump({"sources": _source_texts(versions), "versions": versions})
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # something the cache cannot store faithfully: loaded afresh each time
    cachedir.write_entry(KIND, key, buffer.getvalue())


class _Pickler(pickle.Pickler):
    """Pickles a policy's versions; checker tables as (node, value) pairs (module doc)."""

    def reducer_override(self, obj):
        from ..i18n.texts import Text

        if isinstance(obj, MappingProxyType):
            return _mapping, (dict(obj),)
        if isinstance(obj, Text):  # a str made from its translations, not from a str
            return type(obj), (dict(obj.translations),)
        if isinstance(obj, Expr):
            return _expr, _expr_state(obj)
        if isinstance(obj, Checked):
            raise pickle.PicklingError("checker tables outside an expression: their nodes are unknown")
        return NotImplemented


def _mapping(data: dict) -> MappingProxyType:
    return MappingProxyType(data)


def _expr_state(expr: Expr) -> tuple:
    nodes = {id(node): node for node in ast.walk(expr.node)}
    checked = {}
    for f in dataclasses.fields(expr.checked):
        value = getattr(expr.checked, f.name)
        if f.name in _ID_KEYED:
            try:
                value = [(nodes[key], item) for key, item in value.items()]
            except KeyError:
                raise pickle.PicklingError(f"Checked.{f.name} names a node outside its expression") from None
        elif isinstance(value, dict) and any(isinstance(k, int) for k in value):
            raise pickle.PicklingError(f"Checked.{f.name} may be keyed by id(node)")
        checked[f.name] = value
    fields = {f.name: getattr(expr, f.name) for f in dataclasses.fields(expr) if f.name != "checked"}
    return type(expr), fields, type(expr.checked), checked


def _expr(expr_class, fields: dict, checked_class, checked: dict):
    for name in _ID_KEYED:
        checked[name] = {id(node): item for node, item in checked[name]}
    return expr_class(**fields, checked=checked_class(**checked))
