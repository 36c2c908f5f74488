"""One diagnostic per mistake across the files of a policy: a mistake in a base version
is reported once (with one note on each version extending it), and a diagnostic that
refers to another place names that place's file."""

from __future__ import annotations

import pytest

import icpolicy
from icpolicy import IcpolicyError

BASE = """id: mini
version: "1"
title: Base
effective_from: "2001-01-01"
effective_to: "2020-12-31"
sources:
  guide: {title: The guide}
definitions:
  threshold_nok:
    value: DEFINITION
decisions:
  big:
    type: bool
    default: false
    rules:
      - id: R-BIG
        when: procurement.value_nok > 100 MNOK
        value: true
        source: {ref: guide, quote: big}
        explanation: Big.
"""

CHILD = """id: mini
version: "2"
extends: "1"
title: Child
effective_from: "2021-01-01"
decisions:
  small:
    type: bool
    default: false
    rules:
      - id: RULE_ID
        when: procurement.value_nok < threshold_nok
        value: true
        source: {ref: guide, quote: small}
        explanation: Small.
"""


def write(tmp_path, definition="1 MNOK", child_rule="R-SMALL"):
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "1.yaml").write_text(BASE.replace("DEFINITION", definition), encoding="utf-8")
    (tmp_path / "policy.yaml").write_text(CHILD.replace("RULE_ID", child_rule), encoding="utf-8")
    return tmp_path


def test_an_inherited_mistake_the_child_only_repeats_is_reported_once_without_a_note(tmp_path):
    text = BASE.replace("DEFINITION", "1 MNOK").replace("procurement.value_nok > 100 MNOK", "procurement.value_nok > true")
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "1.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "policy.yaml").write_text(CHILD.replace("RULE_ID", "R-SMALL"), encoding="utf-8")
    with pytest.raises(IcpolicyError) as info:
        icpolicy.load_policy(tmp_path)
    assert [(d.code, d.span.file.endswith("1.yaml")) for d in info.value.diagnostics] == [("E-TYPE", True)]


def test_the_two_versions_load(tmp_path):
    policy = icpolicy.load_policy(write(tmp_path))
    assert [v.model.version for v in policy.versions] == ["1", "2"]


def test_a_rule_id_used_again_in_another_file_names_that_file_and_line(tmp_path):
    with pytest.raises(IcpolicyError) as info:
        icpolicy.load_policy(write(tmp_path, child_rule="R-BIG"))
    (only,) = info.value.diagnostics
    assert only.code == "E-RULE"
    assert only.span.file.endswith("policy.yaml") and (only.span.line, only.span.col) == (11, 13)
    assert only.message.startswith("rule id R-BIG is used twice (also at ")
    assert only.message.endswith("versions/1.yaml:16)")


def test_a_failed_definition_in_the_base_is_reported_once_and_its_use_in_the_child_is_silent(tmp_path):
    # The base's definition is mistyped; the child's rule uses it. The name is poisoned,
    # not unknown: the mistake once, in the base, and nothing from the child.
    with pytest.raises(IcpolicyError) as info:
        icpolicy.load_policy(write(tmp_path, definition="1 MNOK + true"))
    (error,) = info.value.diagnostics
    assert (error.code, error.severity) == ("E-TYPE", "error")
    assert error.span.file.endswith("1.yaml") and error.span.line == 10


def test_a_base_version_that_failed_gives_one_note_on_the_version_extending_it(tmp_path):
    # The base changes what a decision may be ("yes" is gone from its values); the child,
    # written for the old base, compares with "yes". That follows from the base's
    # mistake: one note on the child instead of its own error.
    base = BASE.replace("DEFINITION", "1 MNOK").replace(
        "    type: bool\n    default: false", '    type: string\n    values: [ys, no]\n    default: \'"no"\''
    ).replace("value: true\n        source: {ref: guide, quote: big}", 'value: \'"yes"\'\n        source: {ref: guide, quote: big}')
    child = CHILD.replace("RULE_ID", "R-SMALL").replace("procurement.value_nok < threshold_nok", 'big == \'"yes"\'')
    (tmp_path / "versions").mkdir()
    (tmp_path / "versions" / "1.yaml").write_text(base, encoding="utf-8")
    (tmp_path / "policy.yaml").write_text(child, encoding="utf-8")
    with pytest.raises(IcpolicyError) as info:
        icpolicy.load_policy(tmp_path)
    found = sorted(info.value.diagnostics, key=lambda d: d.code)
    assert [(d.code, d.severity) for d in found] == [("E-ENUM", "error"), ("E-VERSION", "note")]
    error, note = found
    assert error.span.file.endswith("1.yaml")
    assert note.span.file.endswith("policy.yaml") and note.span.line == 3
    assert note.message == "version 2 is not checked: it extends version 1, which has errors"
