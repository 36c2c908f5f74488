"""Policy versions in force by date.

A policy directory holds its current version in `policy.yaml` and earlier (or
later) ones in `versions/*.yaml`. A version may `extends: <version>` and state
only what changes: sources, parameters, definitions and decisions are merged key
by key (an entry replaces the inherited one whole; `null` removes it), so each
version can still be printed whole. Versions must not overlap or leave gaps.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, IcpolicyError, Span
from ..discovery import POLICY_FILE
from ..yamlsource import Document, parse_yaml, read_file
from .model import PolicyModel

VERSIONS_DIR = "versions"
_MERGED = ("sources", "parameters", "definitions", "decisions")


@dataclass
class VersionSource:
    """One version: its merged document and the files it was made from."""

    doc: Document  # merged (a MergedDocument when it extends another version)
    files: list  # Documents, the version's own file first


class MergedDocument(Document):
    """A version's document merged from several files; each entry keeps its own file."""

    def __init__(self, data: dict, owners: dict, own: Document):
        super().__init__(own.name, own.text, data)
        self._owners = owners  # (section, key) -> Document it comes from
        self._own = own

    def removed_here(self) -> dict[str, tuple]:
        """Names this version removes (`name: null`) -> the path of that entry."""
        return {name: (section, name) for section, entries in self._own.data.items() if section in _MERGED
                and isinstance(entries, dict) for name, entry in entries.items() if entry is None}

    def owns(self, path) -> bool:
        return self.source_for(path) is self._own

    def source_for(self, path) -> Document:
        path = tuple(path)
        if len(path) >= 2 and (path[0], path[1]) in self._owners:
            return self._owners[(path[0], path[1])]
        if path and path[0] not in _MERGED and (path[0],) in self._owners:
            return self._owners[(path[0],)]  # a top-level entry inherited whole (summary, languages...)
        return self._own

    def span(self, path, key: bool = False) -> Span:
        return self.source_for(path).span(path, key)


def version_files(path) -> list[Path]:
    """The files of a policy: a directory's policy.yaml and versions/*.yaml, or one file."""
    path = Path(path)
    if path.is_dir():
        files = [path / POLICY_FILE] if (path / POLICY_FILE).is_file() else []
        if (path / VERSIONS_DIR).is_dir():
            files += sorted((path / VERSIONS_DIR).glob("*.yaml"))
        if not files:
            raise IcpolicyError(Diagnostic("E-IO", f"no {POLICY_FILE} or {VERSIONS_DIR}/*.yaml here", Span(str(path), 1, 1)))
        return files
    return [path]


def read_versions(documents: list[Document]) -> list[VersionSource]:
    """Resolve `extends` among documents and merge each version whole."""
    by_version: dict = {}
    problems = []
    for doc in documents:
        if not isinstance(doc.data, dict):
            problems.append(Diagnostic("E-SCHEMA", "a policy file is a mapping", doc.span(())))
            continue
        version = str(doc.data.get("version", ""))
        first = next(iter(by_version.values()), None)
        if first is not None and doc.data.get("id") != first.data.get("id"):
            problems.append(
                Diagnostic("E-VERSION", f"this file is a version of policy {doc.data.get('id')!r}, but {first.name} is of "
                           f"{first.data.get('id')!r}: the versions of a policy share its id", doc.span(("id",)))
            )
        if version in by_version:
            problems.append(
                Diagnostic("E-VERSION", f"version {version!r} is defined twice (also in {by_version[version].name})", doc.span(("version",)))
            )
        by_version[version] = doc
    if problems:
        raise IcpolicyError(problems)
    out = []
    for doc in by_version.values():
        out.append(_merge_chain(doc, by_version))
    return out


def _merge_chain(doc: Document, by_version: dict) -> VersionSource:
    chain = _extends_chain(doc, by_version)
    if len(chain) == 1:
        return VersionSource(doc, [doc])
    data: dict = {}
    owners: dict = {}
    for source in reversed(chain):  # the base first, each child over it
        _merge_over(data, owners, source)
    for key in ("effective_from", "effective_to", "note"):
        if key not in doc.data:
            data.pop(key, None)  # dates and caveats are each version's own
    return VersionSource(MergedDocument(data, owners, doc), chain)


def _extends_chain(doc: Document, by_version: dict) -> list[Document]:
    """The version, the one it extends, and so on to a version that extends none."""
    chain = [doc]
    while "extends" in chain[-1].data:
        parent = str(chain[-1].data["extends"])
        if parent not in by_version:
            known = ", ".join(sorted(by_version))
            raise IcpolicyError(
                Diagnostic("E-VERSION", f"extends unknown version {parent!r} (known: {known})", chain[-1].span(("extends",)))
            )
        nxt = by_version[parent]
        if nxt in chain:
            names = " -> ".join(str(d.data.get("version")) for d in chain + [nxt])
            raise IcpolicyError(Diagnostic("E-VERSION", f"versions extend each other in a cycle: {names}", doc.span(("extends",))))
        chain.append(nxt)
    return chain


def _merge_over(data: dict, owners: dict, source: Document) -> None:
    """One file's entries over those merged so far: an entry replaces the inherited one
    whole, `null` removes it; `owners` keeps which file each entry comes from."""
    for key, value in source.data.items():
        if key == "extends":
            continue
        if key not in _MERGED or not isinstance(value, dict):
            data[key] = value
            owners[(key,)] = source
            continue
        section = dict(data.get(key, {}))
        for name, entry in value.items():
            if entry is None:
                section.pop(name, None)
                owners.pop((key, name), None)
            else:
                section[name] = entry
                owners[(key, name)] = source
        data[key] = section


def load_versions(path, texts: dict | None = None) -> list[tuple[PolicyModel, Document]]:
    """Every version of a policy, checked, sorted by effective date; raise on any problem.

    `texts` maps display names to file texts (files read from git), instead of the disk.
    """
    if texts is not None:
        documents = [parse_yaml(text, name) for name, text in texts.items()]
    else:
        from . import cache

        if cache.in_use():  # the command line's policy cache (policy/cache.py)
            return cache.load_versions(path)
        documents = [read_file(str(f), display_path(f)) for f in version_files(path)]
    return versions_from_documents(documents)


def display_path(path) -> str:
    """A path as users see it: relative to the current directory when below it."""
    import os

    text = str(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:
        return text
    return rel if not rel.startswith("..") else text


def versions_from_documents(documents: list[Document]) -> list[tuple[PolicyModel, Document]]:
    """Check and sort the versions written in these documents."""
    from .loader import build_model  # not imported by a load the policy cache answers

    sources = read_versions(documents)
    models = []
    problems: list[Diagnostic] = []
    failed: set[str] = set()  # versions with errors
    for source in sorted(sources, key=lambda s: len(s.files)):  # each base before what extends it
        version = str(source.files[0].data.get("version"))
        broken = next((str(d.data.get("version")) for d in source.files[1:] if str(d.data.get("version")) in failed), None)
        try:
            model = build_model(source.doc)
        except IcpolicyError as exc:
            failed.add(version)
            problems += _own_problems(exc.diagnostics, problems, source, version, broken)
            continue
        model = dataclasses.replace(model, sha256=_hash_files(source.files), files=tuple(d.name for d in source.files))
        models.append((model, source.doc))
    if problems:
        raise IcpolicyError(_dedupe(problems))
    models.sort(key=lambda m: m[0].period[0] or dt.date.min)
    check_periods([m for m, _ in models], {m.version: d for m, d in models})
    return models


def _own_problems(found: list, reported: list, source: VersionSource, version: str, broken: str | None) -> list:
    """What a version's failure adds. When a version it extends has errors, what it
    inherits is reported there once; anything more follows from those errors, and is
    one note on this version instead of a cascade."""
    if broken is None:
        return found
    seen = {(d.code, d.message, d.span) for d in reported}
    if all((d.code, d.message, d.span) in seen for d in found):
        return []
    note = f"version {version} is not checked: it extends version {broken}, which has errors"
    return [Diagnostic("E-VERSION", note, source.files[0].span(("extends",)), severity="note")]


def _dedupe(problems: list) -> list:
    """A problem in an entry several versions share is reported once."""
    seen, out = set(), []
    for d in problems:
        key = (d.code, d.message, d.span)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _hash_files(files: list[Document]) -> str:
    digest = hashlib.sha256()
    for doc in files:
        digest.update(hashlib.sha256(doc.text.encode("utf-8")).digest())
    return digest.hexdigest() if len(files) > 1 else hashlib.sha256(files[0].text.encode("utf-8")).hexdigest()


def check_periods(models: list[PolicyModel], docs: dict) -> None:
    """Adjacent versions meet exactly: no overlap, no gap; only the last may be open-ended."""
    if len(models) < 2:
        return
    problems = []
    for model in models:
        if not model.effective_from:
            problems.append(
                Diagnostic("E-VERSION", f"version {model.version} needs effective_from when there are several versions", docs[model.version].span(()))
            )
    if problems:
        raise IcpolicyError(problems)
    for older, newer in zip(models, models[1:], strict=False):
        end = older.period[1]
        start = newer.period[0]
        where = docs[older.version].span(("effective_to",) if older.effective_to else ())
        if end is None:
            problems.append(
                Diagnostic("E-VERSION", f"version {older.version} has no effective_to, but {newer.version} starts {start}", where,
                           f"set effective_to: {start - dt.timedelta(days=1)}")
            )
        elif end >= start:
            problems.append(Diagnostic("E-VERSION", f"versions {older.version} and {newer.version} overlap: {older.version} ends {end}, {newer.version} starts {start}", where))
        elif end + dt.timedelta(days=1) != start:
            problems.append(
                Diagnostic("E-VERSION", f"gap between versions {older.version} (ends {end}) and {newer.version} (starts {start})", where,
                           f"set effective_to: {start - dt.timedelta(days=1)}")
            )
    for model in models:
        start, end = model.period
        if start and end and end < start:
            problems.append(Diagnostic("E-VERSION", f"version {model.version} ends before it starts", docs[model.version].span(("effective_to",))))
    if problems:
        raise IcpolicyError(problems)
