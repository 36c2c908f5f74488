"""Reproducible decision records: what was decided, under exactly which rules.

A record holds the case (and the hash of its content), the policy version and the
hash of every policy file used, the git commit when the policy is in a repository,
the icpolicy version, the as-of date and the full result with explanations.
`replay` decides the recorded case again and says whether the result is identical,
byte for byte; if the policy files changed since, it says so, and inside git it can
decide with the files of the recorded commit instead.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

from .. import __version__
from ..diagnostics import Diagnostic, IcpolicyError
from ..policy.gitsource import head_commit, is_clean, repository_top
from .format import dumps, json_value

RECORD_FORMAT = 1


def case_hash(data) -> str:
    """The hash of a case's content: the same for the same facts, whatever the layout."""
    return hashlib.sha256(dumps(_canonical(data)).encode("utf-8")).hexdigest()


def _canonical(value):
    if isinstance(value, dict):
        return {k: _canonical(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return json_value(value)


def file_hash(path: str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _repo_path(path: str) -> tuple[str, str | None, Path | None]:
    """(path as recorded, git commit, repository top) for a policy file."""
    folder = Path(path).resolve().parent
    try:
        top = repository_top(folder)
    except IcpolicyError:
        return str(Path(path).resolve()), None, None
    rel = Path(path).resolve().relative_to(top).as_posix()
    return rel, head_commit(top), top


_POLICY_FACTS: dict = {}


def _policy_facts(policy) -> dict:
    """The files, hashes and git state of a compiled policy: found once per run."""
    facts = _POLICY_FACTS.get(id(policy))
    if facts is not None:
        return facts
    files, commit, clean, tops = [], None, None, set()
    for path in policy.model.files:
        recorded, commit_here, top = _repo_path(path)
        commit = commit or commit_here
        if top is not None:
            tops.add(str(top))
            here = is_clean([recorded], top)
            clean = here if clean is None else clean and here
        files.append({"path": recorded, "sha256": file_hash(path)})
    facts = {"files": files, "git_commit": commit, "git_clean": clean, "repository": next(iter(tops)) if len(tops) == 1 else None}
    _POLICY_FACTS[id(policy)] = facts
    return facts


def make_record(result, case_data, input_name: str, as_of=None, version=None, decisions=None) -> dict:
    meta = result.to_policy_meta()
    facts = _policy_facts(result.policy)
    return {
        "record_format": RECORD_FORMAT,
        "icpolicy_version": __version__,
        "input": input_name,
        "case_sha256": case_hash(case_data),
        "case": _canonical(case_data),
        "as_of": as_of,
        # The day the case was decided as of: --as-of, else the case's own date.
        "decision_date": as_of or json_value(result.case_date),
        "policy_version_requested": version,
        "decisions_requested": list(decisions) if decisions else None,
        # Relative file paths are relative to `repository` (where the record was made).
        "policy": {**meta, **facts},
        "result": json.loads(dumps(result.to_dict()), parse_float=Decimal),
    }


class RecordWriter:
    """Writes records to a directory (one JSON file per case) or a .jsonl file."""

    def __init__(self, target: str):
        self.target = Path(target)
        self.jsonl = self.target.suffix == ".jsonl"
        if self.jsonl:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.target, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        else:
            self.target.mkdir(parents=True, exist_ok=True)
            self._fh = None
        self._names: set = set()

    def write(self, record: dict) -> None:
        text = dumps(record)
        if self.jsonl:
            self._fh.write(text + "\n")
            return
        stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in str(record["result"]["case"])) or "case"
        name, n = stem, 1
        while name in self._names or (self.target / f"{name}.json").exists():
            n += 1
            name = f"{stem}-{n}"
        self._names.add(name)
        (self.target / f"{name}.json").write_text(dumps(record, indent=2) + "\n", encoding="utf-8")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def read_records(paths) -> list[tuple[str, dict]]:
    """(where, record) from .json files, .jsonl files and directories of them."""
    out = []
    for raw in paths:
        path = Path(raw)
        files = sorted(p for p in path.rglob("*") if p.suffix in (".json", ".jsonl")) if path.is_dir() else [path]
        for file in files:
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise IcpolicyError(Diagnostic("E-RECORD", f"{file}: cannot read ({exc})")) from None
            if file.suffix == ".jsonl":
                for number, line in enumerate(text.splitlines(), start=1):
                    if line.strip():
                        out.append((f"{file}:{number}", _parse(line, f"{file}:{number}")))
            else:
                out.append((str(file), _parse(text, str(file))))
    return out


def _parse(text: str, where: str) -> dict:
    try:
        record = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise IcpolicyError(Diagnostic("E-RECORD", f"{where}: not a record (invalid JSON: {exc.msg})")) from None
    if not isinstance(record, dict) or record.get("record_format") != RECORD_FORMAT:
        raise IcpolicyError(Diagnostic("E-RECORD", f"{where}: not an icpolicy decision record"))
    missing = [k for k in ("case", "result", "policy") if not isinstance(record.get(k), dict)]
    policy = record.get("policy") if isinstance(record.get("policy"), dict) else {}
    missing += [f"policy.{k}" for k in ("id", "version", "files") if k not in policy]
    if missing:
        raise IcpolicyError(Diagnostic("E-RECORD", f"{where}: the record has no {', '.join(missing)}"))
    files = policy["files"]
    if not (isinstance(files, list) and files and all(
        isinstance(f, dict) and isinstance(f.get("path"), str) and isinstance(f.get("sha256"), (str, type(None))) for f in files
    )):
        raise IcpolicyError(Diagnostic("E-RECORD", f"{where}: policy.files must list {{path, sha256}} of each policy file"))
    if not isinstance(record["result"].get("decisions"), dict) or not isinstance(record["result"].get("projects", []), list):
        raise IcpolicyError(Diagnostic("E-RECORD", f"{where}: the recorded result has no decisions"))
    return record


def changed_files(record: dict, base: Path) -> list[str]:
    """The recorded policy files whose content is no longer what was recorded."""
    out = []
    for f in record["policy"]["files"]:
        path = Path(f["path"])
        if not path.is_absolute():
            path = base / path
        if file_hash(str(path)) != f["sha256"]:
            out.append(f["path"])
    return out
