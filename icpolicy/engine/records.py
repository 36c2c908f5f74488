"""Reproducible decision records: what was decided, under exactly which rules.

A record holds the case (and the hash of its content), the policy version and the
hash of every policy file used, the git commit when the policy is in a repository,
the icpolicy version, the as-of date and the full result with explanations.
`replay` decides the recorded case again and says whether the result is identical,
byte for byte; if the policy files changed since, it says so, and inside git it can
decide with the files of the recorded commit instead.

Reading a record checks every field against schemas/record.schema.json before
anything uses it (engine/record_check.py), and `verify_record` checks every hash
the record carries against what it holds: a mismatch is tampering.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

from .. import __version__
from ..diagnostics import Diagnostic, IcpolicyError
from ..policy.gitsource import head_commit, is_clean, repository_top
from ..values import dumps, json_value
from .record_check import parse_record

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
    try:
        top = repository_top(Path(path).resolve().parent)
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
    """The record of one decided case. The result is the API's own `to_dict()`, the
    one `replay` compares with; the case is kept in the form its hash is made of."""
    meta = result.to_policy_meta()
    facts = _policy_facts(result.policy)
    # The case as it reads back from the record: its hash can be checked from the record alone.
    case = json.loads(dumps(_canonical(case_data)), parse_float=Decimal)
    return {
        "record_format": RECORD_FORMAT,
        "icpolicy_version": __version__,
        "input": input_name,
        "case_sha256": case_hash(case),
        "case": case,
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
        self._fh = None
        if self.jsonl:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.target, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        else:
            self.target.mkdir(parents=True, exist_ok=True)

    def write(self, record: dict) -> None:
        text = dumps(record)
        if self._fh is not None:
            self._fh.write(text + "\n")
            return
        name = stem = record_file_stem(record["result"]["case"])
        n = 1
        # The files on disk say which names are taken (a set of them would grow with the batch).
        while (self.target / f"{name}.json").exists():
            n += 1
            name = f"{stem}-{n}"
        (self.target / f"{name}.json").write_text(dumps(record, indent=2) + "\n", encoding="utf-8")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()


def record_file_stem(case_id) -> str:
    """A file name for a case's record: its id with only safe characters (an id too
    long for a file name fails that case's record: cli/eval_cmd.py says so)."""
    text = str(case_id)
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text).lstrip(".") or "case"
    return stem


def read_records(paths) -> list[tuple[str, dict]]:
    """(where, record) from .json files, .jsonl files and directories of them; every
    record checked against the record schema (IcpolicyError naming the file and field)."""
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
                        out.append((f"{file}:{number}", parse_record(line, f"{file}:{number}")))
            else:
                out.append((str(file), parse_record(text, str(file))))
    return out


def verify_record(record: dict, replayed_meta: dict | None = None) -> list[str]:
    """Every hash and copy the record carries, checked against what it holds: one
    finding per mismatch (each is tampering, or damage). `replayed_meta` is the
    policy meta of the version decided again from the very files recorded (their
    hashes unchanged, or those of the recorded commit): its hash must be the one
    recorded."""
    findings = []
    held = case_hash(record["case"])
    if record["case_sha256"] != held:
        findings.append(f"case_sha256 {record['case_sha256'][:12]}... is not the hash of the recorded case ({held[:12]}...)")
    policy, shown = record["policy"], record["result"]["policy"]
    for key in ("id", "version", "sha256"):
        if policy[key] != shown[key]:
            findings.append(f"policy.{key} {policy[key]!r} differs from the result's policy.{key} {shown[key]!r}")
    if replayed_meta is not None and replayed_meta["sha256"] != policy["sha256"]:
        findings.append(
            f"policy.sha256 {policy['sha256'][:12]}... is not the hash of the recorded policy files ({replayed_meta['sha256'][:12]}...)"
        )
    case_id = record["case"].get("id")
    if record["result"]["case"] != case_id:
        findings.append(f"the result is for case {record['result']['case']!r}, the recorded case is {case_id!r}")
    return findings


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


def result_differences(old: dict, new: dict) -> list[str]:
    """What differs between a recorded result and the same case decided again, named
    precisely: a decision's value or rules, a decision or project present on one side
    only, an explanation text, the policy that decided."""
    notes = []
    for key in ("id", "version"):
        if old["policy"].get(key) != new["policy"].get(key):
            notes.append(f"policy.{key}: {_shown(old['policy'].get(key))} -> {_shown(new['policy'].get(key))}")
    if old["policy"]["sha256"] != new["policy"]["sha256"]:
        notes.append(f"policy {old['policy']['sha256'][:12]} -> {new['policy']['sha256'][:12]}")
    if old.get("case") != new.get("case"):
        notes.append(f"case: {_shown(old.get('case'))} -> {_shown(new.get('case'))}")
    notes += _decision_differences("", old["decisions"], new["decisions"])
    old_projects = {p["id"]: p for p in old["projects"]}
    new_projects = {p["id"]: p for p in new["projects"]}
    for pid in old_projects.keys() - new_projects.keys():
        notes.append(f"projects.{pid}: recorded, not decided again")
    for pid, project in new_projects.items():
        if pid not in old_projects:
            notes.append(f"projects.{pid}: decided again, not in the record")
        else:
            notes += _decision_differences(f"projects.{pid}.", old_projects[pid]["decisions"], project["decisions"])
    if old.get("language") != new.get("language"):
        notes.append(f"language: {_shown(old.get('language'))} -> {_shown(new.get('language'))}")
    return notes


def _decision_differences(prefix: str, old: dict, new: dict) -> list[str]:
    notes = []
    for name in old.keys() - new.keys():
        notes.append(f"{prefix}{name}: recorded, not decided again")
    for name, entry in new.items():
        before = old.get(name)
        if before is None:
            notes.append(f"{prefix}{name}: decided again, not in the record")
        elif dumps(before["value"]) != dumps(entry["value"]) or before["rules"] != entry["rules"]:
            notes.append(
                f"{prefix}{name}: {dumps(before['value'])} {dumps(before['rules'])} -> {dumps(entry['value'])} {dumps(entry['rules'])}"
            )
        elif dumps(before.get("explanation")) != dumps(entry.get("explanation")):
            notes.append(f"{prefix}{name}: same value and rules, another explanation text")
    return notes


def _shown(value) -> str:
    return dumps(value)[:80]
