"""The Dask recipe of docs/scaling.md, run as written on a local Dask scheduler."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

db = pytest.importorskip("dask.bag")

import icpolicy  # noqa: E402
from icpolicy.testing.strategies import case_documents  # noqa: E402
from icpolicy.values import dumps  # noqa: E402

DOC = Path(__file__).resolve().parents[2] / "docs" / "scaling.md"


def _recipe() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    (recipe,) = [b for b in blocks if "dask.bag" in b]
    return recipe


POLICY = icpolicy.load_policy()


@settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck))
@given(cases=st.lists(case_documents(POLICY), min_size=30, max_size=30))
def test_the_recipe_decides_every_case_as_eval_does(tmp_path_factory, cases):
    policy = POLICY
    tmp_path = tmp_path_factory.mktemp("dask")
    for part in range(3):
        lines = "".join(dumps(c) + "\n" for c in cases[part * 10:(part + 1) * 10])
        (tmp_path / f"cases-{part}.jsonl").write_text(lines + ("{broken\n" if part == 1 else ""), encoding="utf-8")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(_recipe(), str(DOC), "exec"), scope)  # the documented code, unchanged
    written = sorted(tmp_path.glob("decided/*.jsonl"))
    assert written, "the recipe wrote nothing"
    monkeypatch.undo()
    results = [json.loads(line, parse_float=Decimal) for f in written for line in f.read_text().splitlines()]
    expected = [json.loads(dumps(policy.evaluate(c).to_dict(False)), parse_float=Decimal) for c in cases]
    assert [r for r in results if "decisions" in r] == expected
    (error,) = [r for r in results if "errors" in r]
    assert error["errors"][0]["code"] == "E-JSON-SYNTAX" and results.index(error) == 20
    assert scope["summary"]["cases"] == 31
