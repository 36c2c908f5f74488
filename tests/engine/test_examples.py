"""Every bundled example is decided as the independent reference implementation decides it,
and its JSON and text output match the reviewed golden files."""

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from reference_impl import evaluate_reference

from icpolicy.cases.inputs import iter_case_documents
from icpolicy.cli.render_text import render_result
from icpolicy.values import dumps

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"
GOLDEN = ROOT / "tests" / "golden"
REGEN = os.environ.get("ICPOLICY_REGEN_GOLDEN") == "1"

INPUTS = list(iter_case_documents([str(EXAMPLES)]))


def _id(item):
    return Path(item.name).name


def test_there_are_at_least_ten_examples():
    assert len(INPUTS) >= 10


@pytest.mark.parametrize("item", INPUTS, ids=_id)
def test_example_agrees_with_reference(bif, item):
    assert item.error is None, item.error
    got = bif.evaluate(item.doc.data).to_dict(explain=False)
    want = evaluate_reference(item.doc.data)
    for name, expected in want["decisions"].items():
        assert got["decisions"][name]["value"] == expected["value"], name
        assert got["decisions"][name]["rules"] == expected["rules"], name
    assert [p["id"] for p in got["projects"]] == [p["id"] for p in want["projects"]]
    for gp, wp in zip(got["projects"], want["projects"], strict=True):
        for name, expected in wp["decisions"].items():
            assert gp["decisions"][name]["value"] == expected["value"], (gp["id"], name)
            assert gp["decisions"][name]["rules"] == expected["rules"], (gp["id"], name)


def _golden(name: str, text: str):
    path = GOLDEN / name
    if REGEN or not path.exists():
        if not REGEN:
            pytest.fail(f"missing golden file {path}; run with ICPOLICY_REGEN_GOLDEN=1 and review it")
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("item", INPUTS, ids=_id)
def test_example_json_output_is_golden(bif, item):
    result = bif.evaluate(item.doc.data)
    out = result.to_dict()
    # The hash changes with every edit of the policy file; golden files pin decisions.
    out["policy"]["sha256"] = "<sha256>"
    text = dumps(out, indent=2) + "\n"
    # The numbers are exact: re-parsed as decimals they equal the values decided.
    parsed = json.loads(text, parse_float=Decimal)
    assert parsed["decisions"]["obligation_nok"]["value"] == result.decisions["obligation_nok"].value
    _golden(_id(item).replace(":", "-line") + ".json", text)


@pytest.mark.parametrize("item", INPUTS, ids=_id)
def test_example_text_output_is_golden(bif, item):
    _golden(_id(item).replace(":", "-line") + ".txt", render_result(bif.evaluate(item.doc.data)) + "\n")
