"""The words icpolicy itself prints (headings, column names, states), in nb and en.

The policy's own texts (decision titles, labels, explanations) live in the policy;
this catalog holds only what belongs to the tool. `message(key, lang, **values)`
fills `{name}` fields with str.format.
"""

from __future__ import annotations

_MESSAGES: dict[str, dict[str, str]] = {
    "case": {"nb": "Sak", "en": "Case"},
    "case_heading": {"nb": "Sak {case}, {date}", "en": "Case {case}, {date}"},
    "note_heading": {"nb": "Sak {case}, {date} ({policy} {version}): {supplier}",
                     "en": "Case {case}, {date} ({policy} {version}): {supplier}"},
    "policy_line": {"nb": "Regelverk {policy} versjon {version}", "en": "Policy {policy} version {version}"},
    "decided_under": {"nb": "avgjort etter {policy} {version}", "en": "decided under {policy} {version}"},
    "supplier_line": {"nb": "Leverandør: {name} ({country}). Kontraktsum {value}.",
                      "en": "Supplier: {name} ({country}). Contract sum {value}."},
    "summary": {"nb": "Sammendrag", "en": "Summary"},
    "question": {"nb": "Spørsmål", "en": "Question"},
    "question_text": {
        "nb": "Krever anskaffelsen en industrisamarbeidsavtale, hvor stor er forpliktelsen, "
              "og hva kan godskrives av de foreslåtte prosjektene?",
        "en": "Does the procurement require an industrial cooperation agreement, how large is "
              "the obligation, and what can be credited of the proposed projects?",
    },
    "answer": {"nb": "Svar", "en": "Answer"},
    "decisions": {"nb": "Avgjørelser", "en": "Decisions"},
    "decision": {"nb": "Avgjørelse", "en": "Decision"},
    "value": {"nb": "Verdi", "en": "Value"},
    "rules": {"nb": "Regler", "en": "Rules"},
    "rule": {"nb": "Regel", "en": "Rule"},
    "projects": {"nb": "Prosjekter", "en": "Projects"},
    "project": {"nb": "Prosjekt", "en": "Project"},
    "sources": {"nb": "Kilder", "en": "Sources"},
    "source": {"nb": "Kilde", "en": "Source"},
    "as_cited": {"nb": "kilde: som sitert for {name} ovenfor", "en": "source: as cited for {name} above"},
    "interpretation": {"nb": "Tolkning", "en": "Reading"},
    "figures": {"nb": "Tall brukt", "en": "Figures used"},
    "why": {"nb": "Begrunnelse", "en": "Reasoning"},
    "not_applicable": {"nb": "ikke aktuelt", "en": "not applicable"},
    "not_applicable_because": {
        "nb": "ikke aktuelt: {reason}",
        "en": "not applicable: {reason}",
    },
    "no_rule": {"nb": "ingen regel slo til", "en": "no rule applied"},
    "computed": {"nb": "beregnet", "en": "computed"},
    "no_projects": {"nb": "Ingen prosjekter er foreslått.", "en": "No projects are proposed."},
    "legend_rules": {
        "nb": "Tall i hakeparentes viser til kildene nederst.",
        "en": "Numbers in brackets refer to the sources below.",
    },
    "record": {"nb": "Beslutnings-id", "en": "Record id"},
    "policy_hash": {"nb": "Sjekksum (SHA-256) for regelverket", "en": "Policy hash (SHA-256)"},
    "generated_by": {"nb": "Laget av icpolicy {version}", "en": "Made by icpolicy {version}"},
    "report_title": {"nb": "Vedtaksgrunnlag for sak {case}", "en": "Decision report for case {case}"},
    "date": {"nb": "Dato", "en": "Date"},
    "policy": {"nb": "Regelverk", "en": "Policy"},
    "version": {"nb": "Versjon", "en": "Version"},
    "supplier": {"nb": "Leverandør", "en": "Supplier"},
    "contract_sum": {"nb": "Kontraktsum", "en": "Contract sum"},
    "status": {"nb": "Status", "en": "Status"},
    "cases_not_decided": {
        "nb": "{failures} sak(er) kunne ikke avgjøres; {decided} avgjort.",
        "en": "{failures} case(s) could not be decided; {decided} decided.",
    },
    "print_hint": {
        "nb": "Skriv ut eller lagre som PDF fra nettleseren.",
        "en": "Print, or save as PDF, from the browser.",
    },
}


def fill(entry: dict[str, str], lang: str, **values) -> str:
    """One entry of a word table (`{"nb": ..., "en": ...}`) in `lang`, English when a
    translation is missing, with `{name}` fields filled in. Every table of the tool's
    words (this catalog, the diff's, the impact report's) is read through it."""
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def message(key: str, lang: str, **values) -> str:
    """The tool's text `key` in `lang` (English when a translation is missing)."""
    return fill(_MESSAGES[key], lang, **values)


def keys() -> list[str]:
    return list(_MESSAGES)


def translations(key: str) -> dict[str, str]:
    return dict(_MESSAGES[key])
