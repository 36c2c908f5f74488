"""Computed values cite the rule that determined them in this case (issue 11, item 4)."""

import pytest

from icpolicy.report import build_note, render_note

CONDITIONAL_SENTENCE = "skal leverandøren inngå en betinget industrisamarbeidsavtale"
THRESHOLD_SENTENCE = "har en kontraktssum under 50 millioner"


def case(day, value, country="US", **procurement):
    return {"id": "C", "date": day, "procurement": {"value_nok": value, **procurement},
            "supplier": {"country": country}}


def test_a_full_agreement_under_2001_cites_the_threshold_not_the_conditional_sentence(bif):
    result = bif.evaluate(case("2015-06-01", 75_000_000))
    assert result.decisions["ica_kind"].value == "full"
    (entry,) = result.explanation("ica_kind", lang="nb")
    assert THRESHOLD_SENTENCE in entry["source"] and CONDITIONAL_SENTENCE not in entry["source"]
    assert [r.id for r in result.cited_rules("ica_kind")] == ["R2001-THRESHOLD"]
    assert entry["text"] == "Det kreves full industrisamarbeidsavtale."


def test_a_conditional_agreement_under_2001_cites_the_conditional_sentence(bif):
    result = bif.evaluate(case("2015-06-01", 30_000_000, has_options=True))
    assert result.decisions["ica_kind"].value == "conditional"
    (entry,) = result.explanation("ica_kind", lang="en")
    assert CONDITIONAL_SENTENCE in entry["source"]
    assert entry["text"] == "A conditional agreement is required."
    note = render_note(build_note(result, "en"))
    assert "conditional agreement" in note and "R2001-CONDITIONAL [1]" in note


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_norwegian_suppliers_obligation_names_its_base_and_cites_it(bif, lang):
    data = case("2026-03-01", 420_000_000, country="NO")
    data["supplier"]["foreign_produced_value_nok"] = 150_000_000
    result = bif.evaluate(data)
    (entry,) = result.explanation("obligation_nok", lang=lang)
    base = {"nb": "den delen av leveransen som er produsert i utlandet (150 000 000 NOK)",
            "en": "the part of the delivery produced abroad (150 000 000 NOK)"}[lang]
    assert base in entry["text"]
    note = build_note(result, lang)
    row = next(r for r in note.decisions if r.name == "obligation_nok")
    quotes = [s.quote for s in note.sources if s.number in row.notes]
    assert any("når deler (verdi over 100 MNOK) av leveransen er produsert i utlandet" in q for q in quotes)


def test_a_foreign_suppliers_obligation_is_on_the_contract_sum(bif):
    result = bif.evaluate(case("2026-03-01", 150_000_000, country="DE"))
    (entry,) = result.explanation("obligation_nok", lang="en")
    assert "of the contract sum (150 000 000 NOK): 150 000 000 NOK" in entry["text"]


def test_no_agreement_under_foa_cites_the_exception_for_kind_and_obligation(bif):
    result = bif.evaluate(case("2026-03-01", 150_000_000, regulation="FOA"))
    for name in ("ica_kind", "obligation_nok"):
        (entry,) = result.explanation(name, lang="nb")
        assert "Forskrift om offentlige anskaffelser (FOA)" in entry["source"], name
