"""The policy the service decides with, loaded once and swapped whole on reload."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from ..diagnostics import IcpolicyError


class PolicyHolder:
    """Holds the loaded policy; `reload()` loads anew and swaps only on success, so a
    policy that fails to load leaves the old one serving."""

    def __init__(self, path: str | Path | None):
        self.path = path
        self._lock = threading.Lock()
        self.policy = self._load()
        self.loaded_at = dt.datetime.now(dt.timezone.utc)
        self.last_error: IcpolicyError | None = None

    def _load(self):
        from .. import load_policy

        return load_policy(self.path)

    def reload(self) -> IcpolicyError | None:
        """Load the policy again; returns the error (and keeps the old policy) when it fails."""
        with self._lock:
            try:
                fresh = self._load()
            except IcpolicyError as exc:
                self.last_error = exc
                return exc
            self.policy = fresh  # one assignment: a request sees the old or the new policy
            self.loaded_at = dt.datetime.now(dt.timezone.utc)
            self.last_error = None
            return None

    def summary(self) -> dict:
        policy = self.policy
        return {
            "id": policy.id,
            "current": policy.current.model.version,
            "loaded_at": self.loaded_at.isoformat(timespec="seconds"),
            "versions": [
                {
                    "version": v.model.version,
                    "effective_from": _day(v.model.effective_from),
                    "effective_to": _day(v.model.effective_to),
                    "sha256": v.model.sha256,
                }
                for v in policy.versions
            ],
        }


def _day(value) -> str | None:
    return None if value is None else str(value)
