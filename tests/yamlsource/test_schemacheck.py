"""JSON Schema patterns match the whole value: `$` is the end of the text, as in ECMA-262."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from icpolicy.resources import schema_path
from icpolicy.schemacheck import python_pattern, strict_validator


@pytest.mark.parametrize(
    "pattern, text, matches",
    [
        ("^[A-Z]{2}$", "NO", True),
        ("^[A-Z]{2}$", "NO\n", False),
        ("^[0-9]{1,16}(\\.[0-9]+)?$", "150000000\n", False),
        ("^[0-9]+$", "１２３", False),
        ("^\\d+$", "১২৩", False),  # \d is ASCII, as in ECMA-262
        ("^a[$]$", "a$", True),
        ("^a\\$$", "a$", True),
        ("^[]$]x$", "$x", True),
    ],
)
def test_patterns_match_the_whole_value(pattern, text, matches):
    assert bool(python_pattern(pattern).search(text)) is matches


@pytest.mark.parametrize("name", ["case.schema.json", "policy.schema.json", "test.schema.json"])
def test_no_schema_pattern_accepts_a_trailing_newline(name):
    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    patterns = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.append(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert patterns
    for pattern in patterns:
        compiled = python_pattern(pattern)
        # Find a value it matches (from the schema's own examples of shape), then add "\n".
        for sample in ("NO", "2026-03-01", "150000000", "85 %", "0.5", "bif", "R-X", "a", "x_1", "R-1"):
            if compiled.search(sample):
                assert not compiled.search(sample + "\n"), (pattern, sample)


def test_the_validator_uses_whole_value_patterns_under_property_names():
    validator = strict_validator({"propertyNames": {"pattern": "^[a-z]+$"}, "properties": {"v": {"pattern": "^x$"}}})
    assert [e.message for e in validator.iter_errors({"ok": 1, "v": "x"})] == []
    assert len(list(validator.iter_errors({"bad\n": 1, "v": "x\n"}))) == 2


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="AZNO\n \x00", max_size=4))
def test_country_pattern_is_fullmatch(text):
    assert bool(python_pattern("^[A-Z]{2}$").search(text)) is (len(text) == 2 and text.isascii() and text.isupper() and text.isalpha())
