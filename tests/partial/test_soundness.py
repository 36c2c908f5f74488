"""Soundness: whatever partial evaluation calls decided has that value in the full
evaluation of the original case and of every completion of its unknown facts tried
(generated completions, boundary values of the hidden fields among them)."""

from __future__ import annotations

from decimal import Decimal

from completions import complete, hide, leaf_paths, unknown_paths
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies_cases import case_documents as bif_cases

from icpolicy.diagnostics import IcpolicyError
from icpolicy.partial import evaluate_partial
from icpolicy.testing.strategies import case_documents

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
COMPLETIONS = 6


def _full(bif, doc):
    try:
        return bif.evaluate(doc)
    except IcpolicyError:
        return None  # not a valid case, or a conflict: decides nothing to compare with


def _decided_values(result) -> dict:
    out = {("case", n): d.value for n, d in result.decisions.items() if d.decided}
    for p in result.projects:
        out.update({(p.id, n): d.value for n, d in p.decisions.items() if d.decided})
    return out


def _full_values(result) -> dict:
    out = {("case", n): d.value for n, d in result.decisions.items()}
    for p in result.projects:
        out.update({(p.id, n): d.value for n, d in p.decisions.items()})
    return out


def check_sound(bif, original: dict, data) -> None:
    paths = leaf_paths(original)
    hidden = data.draw(st.lists(st.sampled_from(paths), unique=True, max_size=len(paths)) if paths else st.just([]))
    drops = data.draw(st.lists(st.booleans(), min_size=len(hidden), max_size=len(hidden)))
    partial = hide(original, hidden, drops)
    result = evaluate_partial(bif, partial)
    decided = _decided_values(result)
    unknown = unknown_paths(partial)
    docs = [original] + [
        complete(partial, unknown, lambda path, options: data.draw(st.sampled_from(options), label=str(path)))
        for _ in range(COMPLETIONS)
    ]
    for doc in docs:
        full = _full(bif, doc)
        if full is None:
            continue
        values = _full_values(full)
        for key, value in decided.items():
            if key in values:  # a project the completion has
                assert _same(values[key], value), (key, value, values[key], partial, doc)


def _same(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    return a == b


@SETTINGS
@given(bif_cases(), st.data())
def test_decided_values_hold_for_every_completion(bif, case, data):
    check_sound(bif, case, data)


@SETTINGS
@given(st.data())
def test_decided_values_hold_under_the_earlier_regime(bif, data):
    case = data.draw(case_documents(bif, version="2001.1", max_projects=2))
    check_sound(bif, case, data)


@SETTINGS
@given(st.data())
def test_decided_values_hold_for_schema_generated_cases(bif, data):
    case = data.draw(case_documents(bif, max_projects=2))
    check_sound(bif, case, data)
