"""Deciding many cases on several cores gives exactly what deciding them one by one gives."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icpolicy
from icpolicy.engine.batch import evaluate_many
from icpolicy.engine.parallel import ordered_map, resolve_jobs
from icpolicy.testing.strategies import case_documents

POLICY = icpolicy.load_policy()


def _one_by_one(cases):
    out = []
    for i, case in enumerate(cases):
        try:
            out.append(POLICY.evaluate(dict(case)).to_dict())
        except icpolicy.IcpolicyError as exc:
            out.append({"case": case.get("id") if isinstance(case.get("id"), str) else None,
                        "input": f"case[{i}]", "errors": [d.to_dict() for d in exc.diagnostics]})
    return out


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases=st.lists(case_documents(POLICY), min_size=1, max_size=30), broken=st.sets(st.integers(0, 29)))
def test_two_workers_decide_as_one_does_in_order(cases, broken):
    cases = [({"id": c["id"], "date": "2026-02-30"} if i in broken else c) for i, c in enumerate(cases)]
    assert list(evaluate_many(POLICY, cases, jobs=2)) == _one_by_one(cases)
    assert list(POLICY.evaluate_many(cases, jobs=2)) == _one_by_one(cases)


def test_order_is_kept_across_many_chunks():
    assert list(ordered_map(lambda n: n * n, range(5000), jobs=2, chunk_size=7)) == [n * n for n in range(5000)]


def test_a_failure_in_a_worker_reaches_the_caller():
    def fail(n):
        if n == 40:
            raise ValueError("boom")
        return n

    with pytest.raises(ValueError, match="boom"):
        list(ordered_map(fail, range(100), jobs=2, chunk_size=8))


@pytest.mark.parametrize("given_, expected", [(1, 1), ("1", 1), (3, 3), ("4", 4), (None, 1)])
def test_jobs(given_, expected):
    assert resolve_jobs(given_) == expected


def test_auto_is_the_cores_and_nonsense_is_refused():
    assert resolve_jobs("auto") >= 1
    for bad in (0, -1, "many", "1.5"):
        with pytest.raises(ValueError, match="jobs"):
            resolve_jobs(bad)
