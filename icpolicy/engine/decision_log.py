"""The decision log: one record per decision, chained by hash so that a removed or
edited record is found (`icpolicy replay --verify-chain DIR`).

Each record is the file `icpolicy replay` reads (engine/records.py) plus
`decision_id` and `chain: {sequence, previous_sha256}`, where `previous_sha256` is
the SHA-256 of the previous record's file bytes. The file `HEAD` names the last
sequence number and its hash, so that removing or editing the newest record is
found too. Files are written whole (a temporary file renamed into place).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import uuid
from decimal import Decimal
from pathlib import Path

from ..diagnostics import Diagnostic

HEAD = "HEAD"
MASK = "[masked]"


class DecisionLog:
    """Appends chained records to a directory; safe to share between threads."""

    def __init__(self, directory: str | Path, mask: tuple[str, ...] = ()):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.mask = tuple(mask)
        self._lock = threading.Lock()
        self._sequence, self._previous = _read_head(self.directory)

    def append(self, record: dict) -> str:
        """Write one record; returns its decision id."""
        decision_id = str(uuid.uuid4())
        record = dict(record, decision_id=decision_id)
        if self.mask:
            # The record stays self-consistent (its case_sha256 is that of the case it
            # holds); the hash of the case as decided is kept as proof of what it was.
            record["unmasked_case_sha256"] = record.get("case_sha256")
            record["case"] = masked(record["case"], self.mask)
            record["case_sha256"] = _case_hash(record["case"])
            record["masked_fields"] = list(self.mask)
        with self._lock:
            sequence = self._sequence + 1
            record["chain"] = {"sequence": sequence, "previous_sha256": self._previous}
            data = (_dumps(record) + "\n").encode("utf-8")
            _write_whole(self.directory / f"{sequence:09d}-{decision_id}.json", data)
            digest = hashlib.sha256(data).hexdigest()
            _write_whole(self.directory / HEAD, f"{sequence} {digest}\n".encode("ascii"))
            self._sequence, self._previous = sequence, digest
        return decision_id


def masked(case: object, paths: tuple[str, ...]) -> object:
    """A copy of the case with the named fields (dotted paths; lists are walked) masked."""
    out = json.loads(_dumps(case), parse_float=Decimal)
    for path in paths:
        _mask(out, path.split("."))
    return out


def _mask(value: object, parts: list[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _mask(item, parts)
        return
    if not isinstance(value, dict) or parts[0] not in value:
        return
    if len(parts) == 1:
        value[parts[0]] = MASK
    else:
        _mask(value[parts[0]], parts[1:])


def verify_chain(directory: str | Path) -> list[Diagnostic]:
    """Every break in the chain of a decision log directory: empty when it is whole."""
    directory = Path(directory)
    findings: list[Diagnostic] = []
    records = sorted(p for p in directory.glob("*.json") if p.name[:9].isdigit())
    previous: str | None = None
    expected = 1
    for path in records:
        data = path.read_bytes()
        sequence, claimed = _chain_of(data)
        where = str(path)
        if sequence is None:
            findings.append(Diagnostic("E-CHAIN", f"{where}: not a chained decision record"))
            previous, expected = hashlib.sha256(data).hexdigest(), expected + 1
            continue
        if sequence != expected:
            missing = f"record {expected}" if sequence == expected + 1 else f"records {expected} to {sequence - 1}"
            findings.append(Diagnostic("E-CHAIN", f"{where}: {missing} of the log {'is' if sequence == expected + 1 else 'are'} "
                                                  "missing (removed)"))
        elif claimed != previous:
            findings.append(Diagnostic("E-CHAIN", f"{where}: the previous record is not the one this record was chained "
                                                  "to (edited or replaced)"))
        previous, expected = hashlib.sha256(data).hexdigest(), sequence + 1
    findings.extend(_check_head(directory, expected - 1, previous))
    return findings


def _check_head(directory: Path, last: int, digest: str | None) -> list[Diagnostic]:
    head = directory / HEAD
    if not head.exists():
        if last == 0:
            return []
        return [Diagnostic("E-CHAIN", f"{head}: missing; the newest record cannot be checked")]
    try:
        sequence_text, claimed = head.read_text(encoding="ascii").split()
        sequence = int(sequence_text)
    except (ValueError, UnicodeDecodeError):
        return [Diagnostic("E-CHAIN", f"{head}: not a chain head")]
    if sequence != last:
        return [Diagnostic("E-CHAIN", f"{head}: the log ends at record {sequence} but record {last} is the last found "
                                      "(newest records removed)")]
    if claimed != digest:
        return [Diagnostic("E-CHAIN", f"{head}: the newest record (record {last}) was edited")]
    return []


def _chain_of(data: bytes) -> tuple[int | None, str | None]:
    try:
        chain = json.loads(data).get("chain")
        sequence = chain["sequence"]
        previous = chain["previous_sha256"]
    except (ValueError, AttributeError, TypeError, KeyError):
        return None, None
    if type(sequence) is not int or not (previous is None or isinstance(previous, str)):
        return None, None
    return sequence, previous


def _read_head(directory: Path) -> tuple[int, str | None]:
    head = directory / HEAD
    if head.exists():
        sequence, digest = head.read_text(encoding="ascii").split()
        return int(sequence), digest
    return 0, None


def _write_whole(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temporary, path)


def _case_hash(case: object) -> str:
    from .records import case_hash

    return case_hash(case)


def _dumps(value: object) -> str:
    from ..values import dumps

    return dumps(value)
