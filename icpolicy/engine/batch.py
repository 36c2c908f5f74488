"""Many cases at once: `evaluate_many` (the Python API's batch call) and the per-line
decision of JSON Lines that the Dask recipe (docs/scaling.md) maps over partitions.

Each case gives one JSON-ready object, in input order: the result's `to_dict()` (what
`icpolicy eval --format json` writes), or, for a case that cannot be decided, the error
object `{"case", "input", "errors"}` that `eval` writes. One bad case never stops a batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache

from ..diagnostics import IcpolicyError
from .parallel import ordered_map, resolve_jobs


def evaluate_many(policy, cases: Iterable[Mapping], jobs: int | str = 1, decisions=None, as_of=None,
                  version: str | None = None, explain: bool = True) -> Iterator[dict]:
    """Decide each case (a mapping shaped like a case document), in order, on `jobs`
    worker processes (`auto`: one per core)."""
    wanted = None if decisions is None else [decisions] if isinstance(decisions, str) else list(decisions)

    def decide(indexed: tuple[int, Mapping]) -> dict:
        index, case = indexed
        try:
            return policy.evaluate(dict(case), decisions=wanted, as_of=as_of, version=version).to_dict(explain)
        except IcpolicyError as exc:
            return error_object(case, f"case[{index}]", exc)

    yield from ordered_map(decide, enumerate(cases), resolve_jobs(jobs))


def error_object(case: object, where: str, error: IcpolicyError) -> dict:
    """What stands for a case that could not be decided (eval, the service and batches
    alike): its id, where it came from, every error, and what was decided all the same
    (a conflict inside one project leaves the decisions that do not depend on it)."""
    errors = [d.to_dict() for d in error.diagnostics]
    decided = getattr(error, "result", None)
    if decided is not None:
        return {"case": decided.case_id, "input": where, "errors": errors, **decided.to_dict(explain=False)}
    case_id = case.get("id") if isinstance(case, Mapping) else None
    return {"case": case_id if isinstance(case_id, str) else None, "input": where, "errors": errors}


@lru_cache(maxsize=4)
def _policy(path: str | None):
    from .. import load_policy

    return load_policy(path)


def decide_jsonl_lines(lines: Iterable[str], policy_path: str | None = None, name: str = "<partition>",
                       explain: bool = False) -> Iterator[dict]:
    """Decide each JSON Lines line (blank lines skipped) with the policy at `policy_path`
    (loaded once per process): the function a Dask bag maps over its partitions."""
    from ..yamlsource import parse_json

    policy = _policy(policy_path)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            doc = parse_json(line, name, line_offset=number - 1)
            yield policy.evaluate(doc.data, doc=doc).to_dict(explain)
        except IcpolicyError as exc:
            yield error_object(None, where, exc)
