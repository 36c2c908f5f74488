"""Fuzzing the case readers: whatever the bytes, the answer is a Diagnostic or a result.

Each reader (case YAML, JSON, JSON Lines) gets documents built from a valid case
with random edits (characters inserted, replaced or cut anywhere, including control
characters, odd digits and YAML syntax) and wholly random text. Reading and deciding
must end in an IcpolicyError or a result: never another exception. Bounded: a few
seconds each.
"""

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icpolicy import IcpolicyError
from icpolicy.cases.inputs import iter_case_documents
from icpolicy.yamlsource import parse_json, parse_yaml

CASE_YAML = """id: F-1
date: 2026-03-01
procurement:
  value_nok: 150000000
  channel: direct
  related_contracts:
    - {date: 2024-05-01, value_nok: "40000000"}
supplier:
  country: "NO"
  foreign_produced_value_nok: 120_000_000
  sub_suppliers: [{country: SE, value_nok: 1}]
agreement: {obligation_ratio: "60 %"}
projects:
  - id: P1
    value_nok: 10000000.50
    norwegian_share: 0.85
    partner_in_norway: true
    initiated_by_supplier: true
    supports_armed_forces_needs: true
    in_priority_technology_area: true
    factor: 1.5
"""
CASE_JSON = json.dumps({
    "id": "F-2", "date": "2026-03-01",
    "procurement": {"value_nok": 150000000, "related_contracts": [{"date": "2024-05-01", "value_nok": 4}]},
    "supplier": {"country": "US"},
    "projects": [{"id": "P1", "value_nok": "10000000", "norwegian_share": "85 %", "partner_in_norway": True,
                  "initiated_by_supplier": True, "supports_armed_forces_needs": True,
                  "in_priority_technology_area": True}],
})
# Characters that tend to break readers: syntax, controls, odd digits, surrogates, BOM.
SPICE = st.sampled_from(list("{}[],:-?&*!|>'\"#%@`\n\t \\") + ["\x00", "\x1b", "\x7f", "\ufeff", "\u0085",
                        "\u2028", "１", "৫", "\ud800", "9" * 50, "<<", "!!python/object:os.system", "1e999999"])
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def edited(draw, text: str):
    """`text` with a few random insertions, replacements and cuts."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        piece = draw(st.one_of(SPICE, st.text(max_size=3)))
        match draw(st.sampled_from(["insert", "replace", "cut"])):
            case "insert":
                text = text[:at] + piece + text[at:]
            case "replace":
                text = text[:at] + piece + text[at + len(piece):]
            case _:
                text = text[:at] + text[at + draw(st.integers(1, 12)):]
    return text


def _decide(policy, doc) -> None:
    """Decide a read document: a result or an IcpolicyError, nothing else."""
    try:
        result = policy.evaluate(doc.data, doc=doc)
    except IcpolicyError as exc:
        assert exc.diagnostics and all(d.message for d in exc.diagnostics)
        for d in exc.diagnostics:
            if d.span is None or doc.find_positions is not None:
                continue
            assert d.span.line >= 1 and d.span.col >= 1
        return
    result.to_dict()


@FUZZ
@given(st.one_of(edited(CASE_YAML), st.text(max_size=200)))
def test_case_yaml_reader_gives_a_diagnostic_or_a_result(bif, text):
    try:
        doc = parse_yaml(text, "fuzz.yaml")
    except IcpolicyError:
        return
    _decide(bif, doc)


@FUZZ
@given(st.one_of(edited(CASE_JSON), st.text(max_size=200)))
def test_case_json_reader_gives_a_diagnostic_or_a_result(bif, text):
    try:
        doc = parse_json(text, "fuzz.json")
    except IcpolicyError:
        return
    doc.span(("procurement", "value_nok"))  # positions, found from the text on demand
    _decide(bif, doc)


@FUZZ
@given(st.lists(st.one_of(edited(CASE_JSON), st.just(CASE_JSON), st.binary(max_size=40).map(
    lambda b: b.decode("latin-1"))), min_size=1, max_size=4), st.booleans())
def test_case_jsonl_reader_gives_a_diagnostic_or_a_result_per_line(bif, tmp_path_factory, lines, on_stdin):
    data = "\n".join(line.replace("\n", " ") for line in lines).encode("utf-8", "surrogatepass")
    if on_stdin:
        items = list(iter_case_documents(["-"], io.BytesIO(data)))
    else:
        path = tmp_path_factory.mktemp("fuzz") / "cases.jsonl"
        path.write_bytes(data)
        items = list(iter_case_documents([str(path)]))
    assert items
    for item in items:
        assert (item.doc is None) != (item.error is None)
        if item.doc is not None:
            _decide(bif, item.doc)
