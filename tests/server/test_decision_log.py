"""The decision log's chain: every removal or edit is found, wherever it is."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icpolicy.engine.decision_log import DecisionLog, masked, verify_chain


def _log(directory, n):
    log = DecisionLog(directory)
    for i in range(n):
        log.append({"record_format": 1, "case": {"id": f"C{i}", "supplier": {"name": "A"}}, "result": {}})
    return sorted(directory.glob("*.json"))


def test_a_whole_log_verifies(tmp_path):
    _log(tmp_path, 4)
    assert verify_chain(tmp_path) == []


def test_a_log_continues_its_chain_after_a_restart(tmp_path):
    _log(tmp_path, 2)
    _log(tmp_path, 2)
    files = sorted(tmp_path.glob("*.json"))
    assert [json.loads(f.read_text())["chain"]["sequence"] for f in files] == [1, 2, 3, 4]
    assert verify_chain(tmp_path) == []


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 6), data=st.data())
def test_any_removed_or_edited_record_is_found(tmp_path_factory, n, data):
    directory = tmp_path_factory.mktemp("log")
    files = _log(directory, n)
    victim = files[data.draw(st.integers(0, n - 1))]
    if data.draw(st.booleans()):
        victim.unlink()
    else:
        victim.write_text(victim.read_text().replace('"C', '"X', 1))
    assert verify_chain(directory), "a change to the log went unnoticed"


def test_the_newest_record_is_covered_by_the_head(tmp_path):
    files = _log(tmp_path, 3)
    files[-1].unlink()
    (finding,) = verify_chain(tmp_path)
    assert "newest records removed" in finding.message


def test_masking_walks_lists_and_leaves_the_rest():
    case = {"supplier": {"name": "A", "sub_suppliers": [{"name": "B", "country": "SE"}]}, "id": "X"}
    out = masked(case, ("supplier.name", "supplier.sub_suppliers.name", "no.such"))
    assert out == {"supplier": {"name": "[masked]", "sub_suppliers": [{"name": "[masked]", "country": "SE"}]},
                   "id": "X"}
    assert case["supplier"]["name"] == "A"


@pytest.mark.parametrize("content", ["", "x", "1 2 3"])
def test_a_damaged_head_is_a_finding(tmp_path, content):
    _log(tmp_path, 2)
    (tmp_path / "HEAD").write_text(content)
    assert verify_chain(tmp_path)
