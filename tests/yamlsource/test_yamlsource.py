"""The safe YAML/JSON reader: YAML 1.2 core schema, exact decimals, positions.

Every expectation here comes from the YAML 1.2 core schema, the JSON spec or the
project's rules (no aliases, no duplicate keys, no tags beyond plain data), not
from the reader's output.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from decimal import Decimal

import pytest

from icpolicy import IcpolicyError
from icpolicy.yamlsource import expression_span, parse_json, parse_text, parse_yaml, read_file


def _error(fn, text, name="doc.yaml"):
    with pytest.raises(IcpolicyError) as info:
        fn(text, name)
    diagnostics = info.value.diagnostics
    assert diagnostics, "an IcpolicyError must carry at least one diagnostic"
    return diagnostics[0]


def _walk(value):
    yield value
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


# ---- YAML 1.2 core schema ---------------------------------------------------------


@pytest.mark.parametrize(
    "plain",
    ["NO", "no", "No", "yes", "Yes", "YES", "on", "On", "off", "OFF", "y", "Y", "n", "N"],
)
def test_yaml_1_1_booleans_stay_strings(plain):
    doc = parse_yaml(f"country: {plain}\n", "doc.yaml")
    assert doc.data == {"country": plain}
    assert type(doc.data["country"]) is str


@pytest.mark.parametrize(
    ("plain", "expected"),
    [
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("FALSE", False),
    ],
)
def test_core_schema_booleans(plain, expected):
    assert parse_yaml(f"flag: {plain}\n", "doc.yaml").data["flag"] is expected


@pytest.mark.parametrize("plain", ["null", "Null", "NULL", "~", ""])
def test_core_schema_nulls(plain):
    assert parse_yaml(f"x: {plain}\n", "doc.yaml").data == {"x": None}


def test_decimal_scalar_is_exact_decimal_not_float():
    data = parse_yaml("share: 0.8000001\nsmall: 0.1\nneg: -2.50\n", "doc.yaml").data
    assert type(data["share"]) is Decimal and data["share"] == Decimal("0.8000001")
    assert data["small"] == Decimal("0.1")  # a binary float would be 0.1000000000000000055...
    assert data["neg"] == Decimal("-2.50")
    assert not any(isinstance(v, float) for v in _walk(data))


def test_exponent_and_leading_dot_floats_are_decimals():
    data = parse_yaml("a: 1e3\nb: .5\nc: 1.5e-3\n", "doc.yaml").data
    assert data == {"a": Decimal(1000), "b": Decimal("0.5"), "c": Decimal("0.0015")}
    assert all(type(v) is Decimal for v in data.values())


def test_ints_with_underscores_and_bases():
    data = parse_yaml(
        "a: 1_000_000\nb: 100_000_000\nc: 0x1F\nd: 0o17\ne: -42\nf: +7\n", "doc.yaml"
    ).data
    assert data == {"a": 1_000_000, "b": 100_000_000, "c": 31, "d": 15, "e": -42, "f": 7}
    assert all(type(v) is int for v in data.values())


def test_leading_zero_is_decimal_not_yaml_1_1_octal():
    # YAML 1.1 read 010 as octal 8; the 1.2 core schema reads it as ten.
    assert parse_yaml("x: 010\n", "doc.yaml").data == {"x": 10}


def test_decimal_with_underscores():
    assert parse_yaml("x: 1_000.000_1\n", "doc.yaml").data == {"x": Decimal("1000.0001")}


@pytest.mark.parametrize(
    "plain", ["2026-03-01", "2026-03-01T10:00:00Z", "2026-03-01 10:00:00", "12:30", "1:20:30"]
)
def test_timestamps_and_sexagesimals_stay_strings(plain):
    data = parse_yaml(f"when: {plain}\n", "doc.yaml").data
    assert data == {"when": plain}
    assert type(data["when"]) is str


def test_quoted_scalars_are_strings():
    data = parse_yaml("a: '1'\nb: \"true\"\nc: '0.5'\n", "doc.yaml").data
    assert data == {"a": "1", "b": "true", "c": "0.5"}


def test_explicit_str_tag_keeps_text():
    assert parse_yaml("a: !!str 5\n", "doc.yaml").data == {"a": "5"}


@pytest.mark.parametrize("plain", [".nan", ".NaN", ".inf", "-.inf", "+.Inf"])
def test_non_finite_floats_rejected(plain):
    d = _error(parse_yaml, f"a: 1\nb: {plain}\n")
    assert (d.span.file, d.span.line, d.span.col) == ("doc.yaml", 2, 4)


def test_empty_document_is_none():
    assert parse_yaml("", "doc.yaml").data is None
    assert parse_yaml("# only a comment\n", "doc.yaml").data is None


def test_several_documents_rejected():
    d = _error(parse_yaml, "a: 1\n---\nb: 2\n")
    assert d.code == "E-YAML-SYNTAX"
    assert d.span.line == 2


# ---- syntax errors ---------------------------------------------------------------


def test_syntax_error_position_points_at_the_bad_line():
    d = _error(parse_yaml, "a: b\n c: d\n")
    assert d.code == "E-YAML-SYNTAX"
    assert (d.span.file, d.span.line) == ("doc.yaml", 2)


def test_tab_indentation_is_a_syntax_error_on_its_line():
    d = _error(parse_yaml, "a:\n  b: 1\n\tc: 2\n")
    assert d.code == "E-YAML-SYNTAX"
    assert (d.span.line, d.span.col) == (3, 1)


def test_unclosed_flow_sequence():
    d = _error(parse_yaml, "a: [1, 2\nb: 3\n")
    assert d.code == "E-YAML-SYNTAX"
    assert d.span.line == 2


# ---- duplicate keys --------------------------------------------------------------


def test_duplicate_key_names_both_lines():
    d = _error(parse_yaml, "a: 1\nb: 2\na: 3\n")
    assert d.code == "E-DUPLICATE-KEY"
    assert (d.span.line, d.span.col) == (3, 1)
    assert "'a'" in d.message
    assert "line 1" in d.message and "line 3" in d.message


def test_nested_duplicate_key():
    d = _error(parse_yaml, "top:\n  x: 1\n  y: 2\n  x: 3\n")
    assert d.code == "E-DUPLICATE-KEY"
    assert (d.span.line, d.span.col) == (4, 3)
    assert "line 2" in d.message and "line 4" in d.message


def test_duplicate_key_in_flow_mapping():
    d = _error(parse_yaml, "m: {k: 1, j: 2, k: 3}\n")
    assert d.code == "E-DUPLICATE-KEY"
    assert (d.span.line, d.span.col) == (1, 17)


def test_same_key_in_sibling_mappings_is_fine():
    data = parse_yaml("a:\n  x: 1\nb:\n  x: 2\n", "doc.yaml").data
    assert data == {"a": {"x": 1}, "b": {"x": 2}}


# ---- aliases -----------------------------------------------------------------------


def test_anchor_without_alias_is_accepted():
    assert parse_yaml("a: &x 1\nb: 2\n", "doc.yaml").data == {"a": 1, "b": 2}


def test_scalar_alias_rejected_where_it_is_written():
    d = _error(parse_yaml, "a: &x 1\nb: *x\n")
    assert d.code == "E-YAML"
    assert "alias" in d.message.lower()
    assert (d.span.line, d.span.col) == (2, 4)


def test_mapping_alias_rejected_where_it_is_written():
    d = _error(parse_yaml, "a: 1\nb:\n  - &n {k: v}\n  - 2\n  - *n\n")
    assert "alias" in d.message.lower()
    assert (d.span.line, d.span.col) == (5, 5)


def test_merge_key_with_alias_rejected():
    with pytest.raises(IcpolicyError):
        parse_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", "doc.yaml")


BILLION_LAUGHS = textwrap.dedent(
    """\
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
    """
)


def test_billion_laughs_rejected_quickly():
    start = time.perf_counter()
    d = _error(parse_yaml, BILLION_LAUGHS)
    elapsed = time.perf_counter() - start
    assert "alias" in d.message.lower()
    assert d.span.line == 2  # the first alias, *a on line 2
    assert elapsed < 1.0


# ---- nesting, keys, tags ---------------------------------------------------------------


def test_moderate_nesting_accepted():
    doc = parse_yaml("x: " + "[" * 40 + "]" * 40 + "\n", "doc.yaml")
    depth, value = 0, doc.data["x"]
    while value:
        value = value[0]
        depth += 1
    assert depth == 39


@pytest.mark.parametrize("levels", [100, 1000, 20000])
def test_deep_nesting_rejected(levels):
    d = _error(parse_yaml, "[" * levels + "]" * levels)
    assert "nested" in d.message
    assert d.span.line == 1


def test_deep_block_mapping_nesting_rejected():
    lines = [" " * i + f"k{i}:" for i in range(200)]
    text = "\n".join(lines) + " 1\n"
    d = _error(parse_yaml, text)
    assert "nested" in d.message


_DEEP_SCRIPT = """\
import sys
from icpolicy import IcpolicyError
from icpolicy.yamlsource import parse_yaml
n = 50000
try:
    parse_yaml(sys.argv[1] + "x: " + "[" * n + "]" * n, "deep.yaml")
except IcpolicyError as exc:
    print("rejected", exc.diagnostics[0].message)
"""


def _parse_deep_in_a_subprocess(prefix: str):
    # A crash (segfault) must not take the test run with it.
    proc = subprocess.run(
        [sys.executable, "-c", _DEEP_SCRIPT, prefix], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, f"exit status {proc.returncode}: {proc.stderr[-500:]}"
    assert "rejected" in proc.stdout


def test_very_deep_nesting_does_not_crash_the_process():
    _parse_deep_in_a_subprocess("")


@pytest.mark.parametrize(
    "prefix",
    ["# it's a comment\n", "note: don't\n", 'q: "a\\"b"\n'],
    ids=["apostrophe-in-comment", "apostrophe-in-plain-scalar", "escaped-double-quote"],
)
def test_very_deep_nesting_after_a_quote_character_does_not_crash(prefix):
    _parse_deep_in_a_subprocess(prefix)


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("a: 1\n1: x\n", 2, 1),
        ("a: 1\ntrue: x\n", 2, 1),
        ("a: 1\nnull: x\n", 2, 1),
        ("a: 1\n1.5: x\n", 2, 1),
        ("a: 1\n? [1, 2]\n: x\n", 2, 3),
        ("a: 1\n{k: v}: x\n", 2, 1),
    ],
)
def test_non_string_keys_rejected(text, line, col):
    d = _error(parse_yaml, text)
    assert d.code == "E-YAML"
    assert "key" in d.message
    assert (d.span.line, d.span.col) == (line, col)


def test_quoted_and_1_1_boolean_keys_are_strings():
    assert parse_yaml("'1': a\nyes: b\nNO: c\n", "doc.yaml").data == {
        "1": "a",
        "yes": "b",
        "NO": "c",
    }


def test_python_object_tag_rejected_and_not_run(tmp_path):
    target = tmp_path / "pwned"
    text = f"a: !!python/object/apply:os.mkdir [{str(target)!r}]\n"
    d = _error(parse_yaml, text)
    assert "tag" in d.message
    assert (d.span.line, d.span.col) == (1, 4)
    assert not target.exists()


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object:collections.OrderedDict {}\n",
        "a: !!python/name:os.system\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!set {x}\n",
        "a: !!timestamp 2026-03-01\n",
        "a: !custom 5\n",
        "a: !custom {x: 1}\n",
        "a: !custom [1]\n",
    ],
)
def test_other_tags_rejected(text):
    d = _error(parse_yaml, text)
    assert d.code == "E-YAML"
    assert (d.span.line, d.span.col) == (1, 4)


def test_hex_prefix_without_digits_is_a_diagnostic_not_a_crash():
    with pytest.raises(IcpolicyError):
        parse_yaml("a: 0x_\n", "doc.yaml")


def test_explicit_int_tag_on_non_integer_is_a_diagnostic():
    with pytest.raises(IcpolicyError):
        parse_yaml("a: !!int abc\n", "doc.yaml")


@pytest.mark.parametrize("text", ["a: !!bool yes\n", "a: !!null foo\n"])
def test_explicit_tag_on_invalid_text_is_rejected(text):
    with pytest.raises(IcpolicyError):
        parse_yaml(text, "doc.yaml")


# ---- positions -----------------------------------------------------------------------

NESTED = "top:\n  key: value\n  list:\n    - 1\n    - 'two'\n  nested: {x: 1, y: [a, b]}\n"


def test_value_positions():
    doc = parse_yaml(NESTED, "doc.yaml")
    assert doc.values[("top", "key")] == (2, 8)
    assert doc.values[("top", "list", 0)] == (4, 7)
    assert doc.values[("top", "list", 1)] == (5, 7)
    assert doc.values[("top", "nested", "x")] == (6, 15)
    assert doc.values[("top", "nested", "y", 1)] == (6, 25)


def test_key_positions():
    doc = parse_yaml(NESTED, "doc.yaml")
    assert doc.keys[("top",)] == (1, 1)
    assert doc.keys[("top", "list")] == (3, 3)
    assert doc.keys[("top", "nested", "y")] == (6, 18)


def test_span_of_value_key_and_unknown_path():
    doc = parse_yaml(NESTED, "doc.yaml")
    span = doc.span(("top", "list", 1))
    assert (span.file, span.line, span.col) == ("doc.yaml", 5, 7)
    span = doc.span(("top", "key"), key=True)
    assert (span.line, span.col) == (2, 3)
    # An unknown path falls back to its nearest known ancestor.
    span = doc.span(("top", "key", "deeper", 3))
    assert (span.line, span.col) == (2, 8)


# ---- JSON ----------------------------------------------------------------------------


def test_json_numbers_are_exact():
    data = parse_json(
        '{"a": 0.1, "b": 0.8000001, "c": 123456789012345678901234567890.123456789, "d": 10, "e": 1E-7}',
        "doc.json",
    ).data
    assert data["a"] == Decimal("0.1") and type(data["a"]) is Decimal
    assert data["b"] == Decimal("0.8000001")
    assert data["c"] == Decimal("123456789012345678901234567890.123456789")
    assert data["d"] == 10 and type(data["d"]) is int
    assert data["e"] == Decimal("1E-7")
    assert not any(isinstance(v, float) for v in _walk(data))


def test_json_duplicate_keys_rejected():
    d = _error(parse_json, '{"a": 1,\n "b": 2,\n "a": 3}', "doc.json")
    assert d.code in ("E-DUPLICATE-KEY", "E-JSON-SYNTAX")
    assert "'a'" in d.message and "duplicate" in d.message


def test_json_nested_duplicate_keys_rejected():
    with pytest.raises(IcpolicyError):
        parse_json('{"x": {"k": 1, "k": 1}}', "doc.json")


def test_json_duplicate_key_position():
    d = _error(parse_json, '{"a": 1,\n "b": 2,\n "a": 3}', "doc.json")
    assert (d.span.file, d.span.line, d.span.col) == ("doc.json", 3, 2)
    assert "line 1" in d.message and "line 3" in d.message


def test_json_duplicate_key_written_with_an_escape():
    # "a\u0062" is the key "ab": a duplicate, though the text differs.
    d = _error(parse_json, '{"ab": 1, "a\\u0062": 2}', "doc.json")
    assert "'ab'" in d.message


def test_json_duplicate_key_with_lone_surrogate_is_still_a_duplicate_key_error():
    d = _error(parse_json, '{"x": "\\ud800", "x": 1}', "doc.json")
    assert "duplicate" in d.message
    assert "YAML" not in d.message


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_non_finite_rejected(constant):
    d = _error(parse_json, f'{{"x": {constant}}}', "doc.json")
    assert d.code == "E-JSON-SYNTAX"
    assert constant.lstrip("-") in d.message


def test_json_syntax_error_position():
    d = _error(parse_json, '{"a": 1,\n "b": }', "doc.json")
    assert d.code == "E-JSON-SYNTAX"
    assert (d.span.file, d.span.line, d.span.col) == ("doc.json", 2, 7)


def test_json_deep_nesting_rejected():
    with pytest.raises(IcpolicyError):
        parse_json("[" * 100_000 + "]" * 100_000, "doc.json")


def test_json_positions_found_on_demand():
    doc = parse_json('{\n  "a": {\n    "b": [1, 2]\n  }\n}', "doc.json")
    span = doc.span(("a", "b", 1))
    assert (span.file, span.line, span.col) == ("doc.json", 3, 14)
    span = doc.span(("a",), key=True)
    assert (span.line, span.col) == (2, 3)


def test_parse_text_dispatches_on_suffix():
    # "NO" unquoted is invalid JSON but a string in YAML.
    assert parse_text("c: NO\n", "case.yaml").data == {"c": "NO"}
    with pytest.raises(IcpolicyError) as info:
        parse_text("c: NO\n", "case.json")
    assert info.value.diagnostics[0].code == "E-JSON-SYNTAX"


# ---- files -----------------------------------------------------------------------------


def test_read_file_missing(tmp_path):
    with pytest.raises(IcpolicyError) as info:
        read_file(str(tmp_path / "nope.yaml"))
    assert info.value.diagnostics[0].code == "E-IO"


def test_read_file_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("navn: Bodø\n".encode("latin-1"))
    with pytest.raises(IcpolicyError) as info:
        read_file(str(path))
    assert info.value.diagnostics[0].code == "E-IO"


def test_read_file_reports_display_name(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(IcpolicyError) as info:
        read_file(str(path), "shown.yaml")
    assert info.value.diagnostics[0].span.file == "shown.yaml"


# ---- expression_span: positions inside a scalar, mapped to the file ---------------------

SCALARS = """\
plain: a > 1 and bb
single: 'a > 1 and bb'
double: "a > 1 and bb"
literal: |
  a > 1
    and bb
folded: >
  a > 1
  and bb
folded_strip: >-
  a > 1 and
  bb
plain_multi: a > 1
  and bb
double_multi: "a > 1
  and bb"
"""


def _token_in_value(value: str, token: str):
    for i, line in enumerate(value.split("\n")):
        if token in line:
            return i + 1, line.index(token) + 1
    raise AssertionError(f"{token!r} not in {value!r}")


@pytest.mark.parametrize(
    "key",
    [
        "plain",
        "single",
        "double",
        "literal",
        "folded",
        "folded_strip",
        "plain_multi",
        "double_multi",
    ],
)
def test_expression_span_points_at_the_token_in_the_file(key):
    doc = parse_yaml(SCALARS, "p.yaml")
    file_lines = SCALARS.split("\n")
    value = doc.data[key]
    line, col = _token_in_value(value, "bb")
    span = expression_span(doc, (key,), line, col, line, col + 2)
    assert span.file == "p.yaml"
    assert file_lines[span.line - 1][span.col - 1 : span.col + 1] == "bb"
    assert (span.end_line, span.end_col) == (span.line, span.col + 2)
    first = expression_span(doc, (key,), 1, 1)
    assert file_lines[first.line - 1][first.col - 1] == "a"


def test_expression_span_lines_of_literal_block():
    text = "rule: |\n  a\n  and b\n  and ccc\n"
    doc = parse_yaml(text, "p.yaml")
    span = expression_span(doc, ("rule",), 3, 5)
    assert (span.line, span.col) == (4, 7)


def test_expression_span_with_escapes_falls_back_to_scalar_start():
    text = 'x: 1\nexpr: "a == \\"q\\" and bb"\n'
    doc = parse_yaml(text, "p.yaml")
    assert doc.data["expr"] == 'a == "q" and bb'
    span = expression_span(doc, ("expr",), 1, 14)
    # Never a wrong place inside the text: the scalar's own start.
    assert (span.line, span.col) == (2, 7)


def test_expression_span_of_non_string_value_is_the_value():
    doc = parse_yaml("a: 1\nb: 42\n", "p.yaml")
    span = expression_span(doc, ("b",), 1, 2)
    assert (span.line, span.col) == (2, 4)


def test_expression_span_in_nested_list_item():
    text = "rules:\n  - id: X\n    when: >-\n      foo and\n      bar.baz > 1\n"
    doc = parse_yaml(text, "p.yaml")
    value = doc.data["rules"][0]["when"]
    assert value == "foo and bar.baz > 1"
    span = expression_span(doc, ("rules", 0, "when"), 1, value.index("bar") + 1)
    assert (span.line, span.col) == (5, 7)
