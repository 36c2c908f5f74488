"""Fuzzing the policy reader: a mutated policy file gives Diagnostics or a policy, never
another exception (no traceback, whatever the edit)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from icpolicy import IcpolicyError
from icpolicy.policy.versions import load_versions

ROOT = Path(__file__).resolve().parents[2]
BASES = [
    (ROOT / "policies" / "bif" / "policy.yaml").read_text(encoding="utf-8"),
    (ROOT / "tests" / "policy" / "bad" / "rules_override_in_a_circle.yaml").read_text(encoding="utf-8"),
    (ROOT / "tests" / "policy" / "bad" / "cycle_between_definitions.yaml").read_text(encoding="utf-8"),
]
# Characters that change the meaning of YAML or of an expression, and some that are odd.
PIECES = [":", "-", " ", "  ", "\n", "\t", "'", '"', "{", "}", "[", "]", "#", "&a", "*a", "!!python/none", "|",
          ">", "%", "@", "0", "9", "1e999", "null", "~", "true", "2021-02-30", "9999-12-31", "(", ")", "+", "/",
          "not ", " and ", " or ", "->", "NOK", "MNOK", "%", "\x00", "\x1b", "\ud7ff", "\u00e6", "١", "all",
          "overrides: all", "extends: x", "R-A", "x" * 300]


@st.composite
def mutated(draw) -> str:
    text = draw(st.sampled_from(BASES))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        lines = text.split("\n")
        kind = draw(st.sampled_from(["insert", "delete", "replace", "line-drop", "line-dup", "line-swap", "truncate"]))
        at = draw(st.integers(min_value=0, max_value=max(len(text) - 1, 0)))
        row = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(PIECES)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(min_value=1, max_value=20)) :]
        elif kind == "replace":
            text = text[:at] + draw(st.sampled_from(PIECES)) + text[at + 1 :]
        elif kind == "line-drop":
            text = "\n".join(lines[:row] + lines[row + 1 :])
        elif kind == "line-dup":
            text = "\n".join(lines[: row + 1] + lines[row:])
        elif kind == "line-swap":
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[row], lines[other] = lines[other], lines[row]
            text = "\n".join(lines)
        else:
            text = text[:at]
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated())
def test_a_mutated_policy_gives_diagnostics_or_a_policy(text):
    try:
        versions = load_versions(None, texts={"fuzzed.yaml": text})
    except IcpolicyError as exc:
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert d.code.startswith("E-") and d.message
            assert d.span is None or d.span.file == "fuzzed.yaml"
            assert "Traceback" not in d.message and "<class" not in d.message
        return
    assert versions  # a policy: every version checked
