"""Explanation texts from prepared templates (engine/explain_render.py) are the plain
rendering's texts, made fresh or taken from what a template already made."""

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import icpolicy
from icpolicy.engine import explain_render, result

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from strategies_cases import case_documents  # noqa: E402

POLICY = icpolicy.load_policy()
VERSIONS = [v.meta["version"] for v in POLICY.versions]


def _explanations(case, version, lang):
    res = POLICY.evaluate(case, version=version)
    return res.to_dict(True, lang), [res.explanation(n, lang=None) for n in res.decisions]


@pytest.fixture
def plain(monkeypatch):
    def use_plain():
        monkeypatch.setattr(result, "renderer", explain_render.PlainRenderer)
    return use_plain


@settings(max_examples=40, deadline=None)
@given(cases=st.lists(case_documents(), min_size=1, max_size=3), version=st.sampled_from(VERSIONS),
       lang=st.sampled_from(["en", "nb"]))
def test_prepared_texts_are_the_plain_ones(cases, version, lang):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(result, "renderer", explain_render.PlainRenderer)
        expected = [_explanations(case, version, lang) for case in cases]
    # Twice: the second time the texts come from what the templates kept.
    assert [_explanations(case, version, lang) for case in cases] == expected
    assert [_explanations(case, version, lang) for case in cases] == expected


def test_kept_texts_tell_values_apart_by_type():
    class Part:  # a template of one placeholder, its value taken from env
        def __init__(self):
            self.parts = ("is ", (lambda env: env["v"], None), ".")

    renderer = explain_render.TemplateRenderer(Part().parts, "en")
    assert renderer.text({"v": True}) == "is yes."
    assert renderer.text({"v": 1}) == "is 1."  # True == 1, yet not the same text
    assert renderer.text({"v": True}) == "is yes."
    assert renderer.text({"v": " a  b "}) == "is a b ."  # white space made single, as the plain text
