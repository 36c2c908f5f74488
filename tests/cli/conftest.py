"""Shared by the command-line tests: a tiny policy that is quick to test, mutate and diff."""

import pytest


@pytest.fixture
def tiny_policy(tmp_path):
    """A one-decision policy with one test file: quick to test, mutate and diff."""
    folder = tmp_path / "tiny"
    (folder / "tests").mkdir(parents=True)
    (folder / "policy.yaml").write_text(TINY_POLICY, encoding="utf-8")
    (folder / "tests" / "amount.yaml").write_text(TINY_TESTS, encoding="utf-8")
    return folder


TINY_POLICY = """\
id: tiny
version: "1"
title: Tiny
sources:
  s: {title: Source}
decisions:
  big:
    type: bool
    default: false
    rules:
      - id: R-BIG
        when: procurement.value_nok > 10 NOK
        value: true
        source: {ref: s, quote: big}
        explanation: big
"""

TINY_TESTS = """\
base_case:
  id: T
  date: "2026-03-01"
  procurement: {value_nok: 100}
  supplier: {country: US}
tests:
  - name: over 10 NOK is big
    provision: R-BIG
    expect:
      big: {value: true, rules: [R-BIG]}
  - name: 10 NOK is not big
    provision: R-BIG
    case: {procurement: {value_nok: 10}}
    expect:
      big: {value: false, rules: []}
  - name: 10.01 NOK is big
    provision: R-BIG
    case: {procurement: {value_nok: 10.01}}
    expect:
      big: true
"""
