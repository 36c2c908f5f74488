"""Fuzzing the readers of policy-test files and decision records (issue 8): whatever
the input, a Diagnostic or a result, never another exception. Bounded for CI."""

import json
import string

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icpolicy.diagnostics import IcpolicyError
from icpolicy.engine.record_check import parse_record
from icpolicy.engine.records import result_differences, verify_record
from icpolicy.testing.testfile import PolicyTest, load_tests

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

KEYS = ["tests", "name", "case", "expect", "expect_error", "as_of", "base_case", "rules", "value", "projects",
        "ica_required", "status", "code", "field", "provision", "description", "policy_version", "id", "date"]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.text(max_size=12),
    st.decimals(allow_nan=False, allow_infinity=False, places=3), st.sampled_from(["2026-03-01", "2026-02-30", "P1", "true"]),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(string.ascii_letters + "_", min_size=1, max_size=8))
values = st.recursive(
    scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=5)), max_leaves=25
)
test_entries = st.fixed_dictionaries(
    {"name": st.one_of(st.text(min_size=1, max_size=10), values)},
    optional={"case": values, "expect": values, "expect_error": values, "as_of": values, "rules": values},
)
test_files = st.one_of(
    values,
    st.fixed_dictionaries({"tests": st.one_of(st.lists(test_entries, max_size=3), values)}, optional={"base_case": values}),
)


def _yaml_of(data) -> str:
    return yaml.safe_dump(json.loads(json.dumps(data, default=str)), allow_unicode=True)


@SETTINGS
@given(data=test_files)
def test_a_test_file_of_any_shape_is_read_or_reported(tmp_path, data):
    path = tmp_path / "t.yaml"
    path.write_text(_yaml_of(data), encoding="utf-8")
    try:
        tests = load_tests(path)
    except IcpolicyError as exc:
        assert exc.diagnostics and all(d.message for d in exc.diagnostics)
    else:
        assert all(isinstance(t, PolicyTest) for t in tests)


@SETTINGS
@given(text=st.text(max_size=200))
def test_a_test_file_of_any_text_is_read_or_reported(tmp_path, text):
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_tests(path)
    except IcpolicyError as exc:
        assert exc.diagnostics


_META = {"id": "bif", "version": "2026.1", "sha256": "a" * 64}
GOOD = {
    "record_format": 1, "icpolicy_version": "0.1.0", "input": "c.yaml", "case_sha256": "b" * 64,
    "case": {"id": "C", "date": "2026-03-01"}, "as_of": None, "decision_date": "2026-03-01",
    "policy_version_requested": None, "decisions_requested": None,
    "policy": {**_META, "files": [{"path": "policies/bif/policy.yaml", "sha256": "c" * 64}],
               "git_commit": None, "git_clean": None, "repository": None},
    "result": {"case": "C", "policy": dict(_META), "projects": [{"id": "P1", "decisions": {}}],
               "decisions": {"ica_required": {"value": True, "rules": ["R"], "explanation": []}}},
}


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


PATHS = list(_paths(GOOD))[1:]


@st.composite
def damaged_records(draw):
    record = json.loads(json.dumps(GOOD))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        target = record
        try:
            for part in path[:-1]:
                target = target[part]
            if draw(st.booleans()):
                target[path[-1]] = draw(values)
            elif isinstance(target, dict):
                del target[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
    return record


def _check(text: str) -> None:
    try:
        record = parse_record(text, "r.json")
    except IcpolicyError as exc:
        assert exc.diagnostics and all(len(d.message) < 2000 for d in exc.diagnostics)
        return
    assert isinstance(verify_record(record), list)
    assert isinstance(result_differences(record["result"], GOOD["result"]), list)


@SETTINGS
@given(record=damaged_records())
def test_a_damaged_record_is_read_or_reported(record):
    _check(json.dumps(record, default=str))


@SETTINGS
@given(text=st.text(max_size=300))
def test_a_record_of_any_text_is_read_or_reported(text):
    _check(text)


def test_the_undamaged_record_reads():
    record = parse_record(json.dumps(GOOD), "r.json")
    assert record["result"]["decisions"]["ica_required"]["value"] is True
