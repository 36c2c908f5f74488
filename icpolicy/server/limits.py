"""The service's request limits: documented in docs/integrators.md, set by `serve` options."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int = 1024 * 1024  # one case document
    max_batch_bytes: int = 16 * 1024 * 1024
    max_batch_items: int = 1000
