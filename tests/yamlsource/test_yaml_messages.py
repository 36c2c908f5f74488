"""YAML syntax errors in plain words, with a likely cause, in nb and en (issue 11, item 6)."""

from __future__ import annotations

import pytest

from icpolicy.diagnostics import IcpolicyError, message_language, render
from icpolicy.yamlsource import parse_yaml

MISTAKES = [
    # (document, line, col, words in the English message or help, words in the Norwegian)
    ("supplier:\n  name: Acme: Norway\n", 2, 13, "put the whole value in quotes", "sett hele verdien i anførselstegn"),
    ("procurement:\n  value_nok: 5\n regulation: RAF\n", 3, 2, "does not line up with the keys above",
     "står ikke på linje med nøklene over"),
    ("id: X\ndate 2026-01-01\nsupplier:\n  name: A\n", 2, 1, "the key on line 2 has no ':'", "nøkkelen på linje 2"),
    ("a:\n\tb: 1\n", 2, 1, "a tab character", "et tabulatortegn"),
    ('id: "X\nsupplier:\n  name: A\n', 1, 5, "the quoted text that starts on line 1 is never closed",
     "avsluttes aldri"),
    ("projects:\n  - id: P1\n  kind: x\n", 3, 3, "does not line up with the list above", "står ikke på linje med listen"),
    ('a: "C:\\q"\n', 1, 7, "unknown escape sequence", "ukjent escape-sekvens"),
    ("a: [1, 2\nb: 3\n", 2, 2, "the list in brackets that starts on line 1 is not closed", "listen i hakeparentes"),
    ("a: {x: 1\n", 2, 1, "the mapping in braces", "mappingen i krøllparentes"),
    ("a: 1\n---\nb: 2\n", 2, 1, "more than one YAML document", "mer enn ett YAML-dokument"),
    ("a: @home\n", 1, 4, "cannot begin with @", "kan ikke begynne med @"),
    ("a: &\n", 1, 5, "an alias or an anchor", "et alias eller et anker"),
]


def _diagnostic(text):
    with pytest.raises(IcpolicyError) as caught:
        parse_yaml(text, "doc.yaml")
    (d,) = caught.value.diagnostics
    return d


@pytest.mark.parametrize("text, line, col, english, norwegian", MISTAKES)
def test_a_yaml_mistake_is_told_in_plain_words(text, line, col, english, norwegian):
    d = _diagnostic(text)
    assert (d.code, d.span.line, d.span.col) == ("E-YAML-SYNTAX", line, col)
    for lang, words in (("en", english), ("nb", norwegian)):
        token = message_language.set(lang)
        try:
            shown = render(d)
        finally:
            message_language.reset(token)
        assert words in shown, (lang, shown)
        assert ("invalid YAML: " if lang == "en" else "ugyldig YAML: ") in shown
        assert "= help: " in shown
        assert "mapping values are not allowed" not in shown and "could not find expected" not in shown


def test_the_line_is_shown_with_a_caret():
    from icpolicy.diagnostics import SourceTexts

    text = "supplier:\n  name: Acme: Norway\n"
    d = _diagnostic(text)
    lines = render(d, SourceTexts({"doc.yaml": text})).splitlines()
    assert lines[2] == "2 |   name: Acme: Norway"
    assert lines[3] == "  |             ^"


def test_an_error_without_words_keeps_the_readers_own():
    d = _diagnostic("%YAML 1.1\n%YAML 1.1\n---\na: 1\n")
    assert str(d.message).startswith("invalid YAML: found duplicate %YAML directive")
    assert d.help is None
