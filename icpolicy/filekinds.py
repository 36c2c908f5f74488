"""What each file is, so `validate` checks it as what it is.

Kinds, decided by place first (inside a policy directory) and content second:

- policy: a policy directory's `policy.yaml` and `versions/*.yaml` (checked together:
  a version that `extends` another needs it), or a mapping with `version`/`extends`;
- tests: a mapping with `tests:`;
- base: a case in a policy's `boundary-bases/`;
- case: a mapping with case fields (`id`, `date`, `procurement`, ...), and `.jsonl` batches;
- schema: a JSON Schema (`$schema` of json-schema.org);
- other: anything else met while walking a directory (a decision result, a CI file):
  counted, not checked. A file named outright that is none of these is read as a case.

Walking a directory leaves out hidden files and directories, virtual environments,
Python packages, `__pycache__`, `build`, `dist`, and the patterns of the project setting `exclude`
(`[tool.icpolicy]` in pyproject.toml or icpolicy.toml, relative to that file).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import IcpolicyError
from .discovery import POLICY_FILE, nearest_setting
from .policy.schema_errors import looks_like_policy
from .yamlsource import Document, parse_text, read_file

VERSIONS_DIR = "versions"
BASES_DIR = "boundary-bases"
SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")
CASE_KEYS = frozenset({"id", "date", "procurement", "supplier", "projects", "agreement"})
_SKIPPED_DIRS = frozenset({"__pycache__", "node_modules", "build", "dist", "site-packages"})


@dataclass
class FileKind:
    path: Path
    kind: str  # policy | tests | base | case | schema | other
    policy_dir: Path | None = None  # the policy directory it belongs to, if any
    doc: Document | None = None  # the parsed file (None for policies, .jsonl, unreadable)
    error: IcpolicyError | None = None  # why it could not be read


@dataclass
class Collected:
    files: list[FileKind]
    excluded: list[str]  # what the `exclude` setting left out, as written there


def policy_dir_of(path: Path) -> Path | None:
    """The policy directory `path` lies in (or is): the nearest one holding policy.yaml,
    or holding versions/ when `path` is below it."""
    path = path.resolve()
    for folder in [path, *path.parents]:
        if (folder / POLICY_FILE).is_file():
            return folder
        if folder.name == VERSIONS_DIR and path != folder:
            return folder.parent
    return None


def is_policy_dir(path: Path) -> bool:
    return (path / POLICY_FILE).is_file() or (path / VERSIONS_DIR).is_dir()


def classify(path: Path, named: bool = False, text: str | None = None) -> FileKind:
    """The kind of one file; `named`: given on the command line (not met in a walk);
    `text`: its contents as an editor holds them (default: read the file)."""
    owner = policy_dir_of(path.parent)
    if owner is not None:
        relative = path.resolve().relative_to(owner).parts
        if relative == (POLICY_FILE,) or (len(relative) == 2 and relative[0] == VERSIONS_DIR):
            return FileKind(path, "policy", owner)
    if path.suffix.lower() == ".jsonl":
        return FileKind(path, "case", owner)
    try:
        doc = read_file(str(path)) if text is None else parse_text(text, str(path))
    except IcpolicyError as exc:
        kind = "tests" if owner is not None and "tests" in path.parts else "case"
        return FileKind(path, kind, owner, error=exc)
    kind = _kind_of_content(doc.data, path)
    if kind == "case" and owner is not None and BASES_DIR in path.resolve().relative_to(owner).parts:
        kind = "base"
    if kind == "other" and named:
        kind = "case"
    return FileKind(path, kind, owner, doc)


def _kind_of_content(data: object, path: Path) -> str:
    if not isinstance(data, dict):
        return "case" if path.suffix in (".yaml", ".yml") else "other"
    if "tests" in data:
        return "tests"
    if "$schema" in data and "json-schema.org" in str(data["$schema"]):
        return "schema"
    if "version" in data or "extends" in data or looks_like_policy(data):
        return "policy"  # also with a misspelt key (`versoin:`): reported as a policy
    if isinstance(data.get("policy"), dict) and "decisions" in data:
        return "other"  # a decision result or record (icpolicy replay reads these)
    if CASE_KEYS & set(data):
        return "case"
    return "other"


def collect(paths: Iterable[str]) -> Collected:
    """Every file under `paths` with its kind, in a stable order."""
    files: list[FileKind] = []
    excluded: list[str] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            files.append(FileKind(path, "case"))  # standard input: case documents
        elif path.is_dir():
            skip = _exclusions(path.resolve())
            found = _walk(path, skip, excluded)
            for file in found:
                # A directory here could not be listed: the case reader reports it.
                _add(files, seen, FileKind(file, "case") if file.is_dir() else classify(file))
            if not found:  # the case reader reports "no case documents found in ..."
                files.append(FileKind(path, "case"))
        elif path.resolve() not in seen:
            _add(files, seen, classify(path, named=True))
    return Collected(files, sorted(set(excluded)))


def _add(files: list[FileKind], seen: set[Path], item: FileKind) -> None:
    key = item.path.resolve()
    if key not in seen:
        seen.add(key)
        files.append(item)


def _walk(top: Path, skip: list[tuple[Path, str]], excluded: list[str]) -> list[Path]:
    out = []
    try:
        entries = sorted(top.iterdir())
    except OSError:
        return [top]
    for path in entries:
        if path.name.startswith("."):
            continue
        pattern = _excluded_by(path.resolve(), skip)
        if pattern is not None:
            excluded.append(pattern)
            continue
        if path.is_dir():
            if _not_policy_files(path):
                continue
            out += _walk(path, skip, excluded)
        elif path.suffix.lower() in SUFFIXES:
            out.append(path)
    return out


def _not_policy_files(folder: Path) -> bool:
    """Directories of programs, not of policies: build output, virtual environments and
    Python packages (their data files, like the server's labels, are the program's)."""
    if folder.name in _SKIPPED_DIRS or folder.name.endswith(".egg-info"):
        return True
    return (folder / "pyvenv.cfg").is_file() or (folder / "__init__.py").is_file()


def _exclusions(start: Path) -> list[tuple[Path, str]]:
    """(base directory, pattern) pairs of the nearest `exclude` setting."""
    found = nearest_setting(start, "exclude")
    if found is None:
        return []
    file, value = found
    patterns = value if isinstance(value, list) else [value]
    return [(file.parent.resolve(), str(p).rstrip("/")) for p in patterns if isinstance(p, str)]


def _excluded_by(path: Path, skip: list[tuple[Path, str]]) -> str | None:
    for base, pattern in skip:
        try:
            relative = path.relative_to(base).as_posix()
        except ValueError:
            continue
        if fnmatch.fnmatchcase(relative, pattern):
            return pattern
    return None

