"""The error-code registry: every code the package reports is registered, and
docs/error-codes.md is the registry rendered."""

from __future__ import annotations

import re
from pathlib import Path

from icpolicy.diagnostics import CODES, codes_markdown, suggest

ROOT = Path(__file__).resolve().parents[2]
_CODE = re.compile(r"""["'](E-[A-Z][A-Z0-9-]*)["']""")


def _rule_ids() -> set[str]:
    """Rule ids of the bundled policies that look like codes (E-FOA is an exception rule)."""
    found: set[str] = set()
    for path in (ROOT / "policies").rglob("*.yaml"):
        found |= set(re.findall(r"\bid: *(E-[A-Z][A-Z0-9-]*)", path.read_text(encoding="utf-8")))
    return found


def _codes_in_source() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "icpolicy").rglob("*.py"):
        found |= set(_CODE.findall(path.read_text(encoding="utf-8")))
    return found - _rule_ids()


def test_every_code_in_the_source_is_registered():
    used = _codes_in_source()
    assert "E-SYNTAX" in used and "E-EVAL" in used  # the scan sees the source
    missing = sorted(used - set(CODES))
    assert missing == [], (
        f"register {missing} in CODES (icpolicy/diagnostics.py), one line each, then "
        "regenerate docs/error-codes.md: python -m icpolicy.diagnostics > docs/error-codes.md"
    )


def test_every_registered_code_is_used():
    assert sorted(set(CODES) - _codes_in_source()) == []


def test_each_code_has_one_line():
    for code, meaning in CODES.items():
        assert re.fullmatch(r"E-[A-Z][A-Z0-9-]*", code)
        assert meaning and "\n" not in meaning and meaning == meaning.strip()


def test_the_doc_is_the_registry():
    doc = (ROOT / "docs" / "error-codes.md").read_text(encoding="utf-8")
    assert doc == codes_markdown(), "regenerate: python -m icpolicy.diagnostics > docs/error-codes.md"
    for code in CODES:
        assert f"| `{code}` |" in doc


def test_suggest():
    assert suggest("procurment", ["procurement", "supplier"]) == "did you mean 'procurement'?"
    assert suggest("zzz", ["procurement"]) is None
