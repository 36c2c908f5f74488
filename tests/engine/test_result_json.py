"""The fast JSON writer of `eval --format jsonl` (engine/result_json.py) writes the same
bytes as the reference, `dumps(result.to_dict(explain, lang))`, on generated cases of
both versions, in both languages, with and without explanations."""

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import icpolicy
from icpolicy.engine.result_json import ResultJson
from icpolicy.values import dumps, json_string, json_value

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from strategies_cases import case_documents  # noqa: E402

POLICY = icpolicy.load_policy()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
VERSIONS = [v.meta["version"] for v in POLICY.versions]


@settings(max_examples=60, deadline=None)
@given(case=case_documents(), version=st.sampled_from(VERSIONS), explain=st.booleans(), lang=st.sampled_from(["en", "nb"]))
def test_the_fast_writer_gives_the_reference_bytes(case, version, explain, lang):
    fast = ResultJson(explain, lang).text(POLICY.evaluate(case, version=version))
    reference = dumps(POLICY.evaluate(case, version=version).to_dict(explain, lang))
    assert fast == reference


def test_one_writer_keeps_giving_the_reference_bytes_across_versions_and_cases():
    # The per-version parts are cached: every example under both versions in turn through one writer.
    writer = ResultJson(True, "nb")
    for path in sorted(EXAMPLES.glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        for version in VERSIONS:
            reference = dumps(POLICY.evaluate(case, version=version).to_dict(True, "nb"))
            assert writer.text(POLICY.evaluate(case, version=version)) == reference, path.name


def test_only_the_decisions_asked_for_are_written_as_the_reference_writes_them():
    case = {"id": "C-2", "date": "2026-03-01", "procurement": {"value_nok": 150_000_000}, "supplier": {"country": "US"}}
    for decisions in (["ica_required"], ["obligation_nok"]):
        for explain in (True, False):
            fast = ResultJson(explain).text(POLICY.evaluate(case, decisions=decisions))
            assert fast == dumps(POLICY.evaluate(case, decisions=decisions).to_dict(explain))
            assert json.loads(fast)["projects"] == []


_DECIMALS = st.decimals(allow_nan=False, allow_infinity=False) | st.builds(
    lambda digits, exp: Decimal(digits).scaleb(exp), st.integers(-10**30, 10**30), st.integers(-120, 120))


@settings(max_examples=300, deadline=None)
@given(values=st.lists(_DECIMALS, min_size=1, max_size=6))
def test_decimals_are_written_exactly_as_the_reference_writes_them_cached_or_not(values):
    writer = ResultJson(False)
    for value in values + values:  # the second time from the cache
        assert writer._value(value) == dumps(json_value(value))
        assert Decimal(writer._value(value)) == value  # exact: never through float


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=())))
def test_any_string_is_written_as_the_reference_writes_it(text):
    writer = ResultJson(False)
    assert writer._value(text) == writer._value(text) == json_string(text) == dumps(text)
    assert writer._rule_list((text, "R1")) == ',"rules":' + dumps([text, "R1"])


@pytest.mark.parametrize("value", [True, False, None, 0, -7, 10**40])
def test_other_scalars_are_written_as_the_reference_writes_them(value):
    assert ResultJson(False)._value(value) == dumps(json_value(value))


def test_the_string_encoder_is_the_one_json_dumps_uses():
    # values.json_string calls the encoder json.dumps(ensure_ascii=False) calls for a str.
    for text in ["plain", "«sitat» æøå", 'quote " and \\ back', "\x00\x1f\x7f\u2028\n\t", "😀"]:
        assert json_string(text) == json.dumps(text, ensure_ascii=False)
