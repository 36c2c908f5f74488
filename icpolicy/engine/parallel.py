"""Deciding many cases on several cores: an ordered map over worker processes.

Workers are forked from the process that holds the loaded policy, so each starts with
the compiled policy already in memory (nothing is loaded or pickled again); items go
out in chunks and come back in input order, with a bounded number of chunks in flight
so that memory stays flat however many cases there are. Where fork is not available
(Windows), work runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

# What a forked worker runs: set in the parent just before the pool starts, and
# inherited by the children (fork copies the parent's memory).
_WORK: dict[str, Any] = {}
CHUNK = 256  # items per message to a worker: large enough that sending costs little


def resolve_jobs(jobs: int | str | None) -> int:
    """`auto` -> the number of usable cores; a number >= 1 as it is."""
    if jobs in (None, "", 1, "1"):
        return 1
    if jobs == "auto":
        return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    try:
        count = int(jobs)
    except (TypeError, ValueError):
        raise ValueError(f"jobs must be a whole number >= 1 or 'auto', not {jobs!r}") from None
    if count < 1:
        raise ValueError(f"jobs must be a whole number >= 1 or 'auto', not {jobs!r}")
    return count


def _run_chunk(chunk: list) -> list:
    func = _WORK["func"]
    return [func(item) for item in chunk]


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def ordered_map(func: Callable[[Any], Any], items: Iterable, jobs: int = 1, chunk_size: int | None = None) -> Iterator:
    """`func(item)` for every item, in input order, on `jobs` worker processes.

    `func` is called in forked workers, so it may be a closure over the loaded policy;
    its results must be picklable. With jobs == 1 (or no fork), it runs here.
    """
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            yield func(item)
        return
    _WORK["func"] = func
    size = chunk_size or CHUNK
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) as pool:
        pending: deque = deque()
        for chunk in _chunks(items, size):
            pending.append(pool.apply_async(_run_chunk, (chunk,)))
            if len(pending) >= 2 * jobs:  # bounded: memory does not grow with the input
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()
    _WORK.clear()
