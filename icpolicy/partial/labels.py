"""What each case field is called when a case officer is asked for it, in Bokmål and
English, with a line of help (from the descriptions in schemas/case.schema.json),
and what each rule is about, for "why it matters"."""

from __future__ import annotations

# generic field path -> (label nb, label en, help nb, help en); also the labels of the
# web page's form (server/form.py), where "x[]" names one item of the list x.
FIELDS: dict[str, tuple[str, str, str, str]] = {
    "id": ("Saksnummer", "Case number", "", ""),
    "procurement": ("Anskaffelsen", "The procurement", "", ""),
    "supplier": ("Leverandøren", "The supplier", "", ""),
    "supplier.name": ("Navn", "Name", "", ""),
    "agreement": ("Avtalen", "The agreement", "", ""),
    "procurement.related_contracts[]": ("Kontrakt", "Contract", "", ""),
    "supplier.sub_suppliers[]": ("Underleverandør", "Sub-supplier", "", ""),
    "projects[]": ("Prosjekt", "Project", "", ""),
    "date": (
        "Vedtaksdato",
        "Decision date",
        "Datoen saken avgjøres (ÅÅÅÅ-MM-DD). Den avgjør hvilket regelverk som gjelder, og 5-årsperioden regnes bakover fra den.",
        "The decision date (YYYY-MM-DD). It picks the rules in force and anchors the 5-year window.",
    ),
    "procurement.value_nok": (
        "Kontraktsum (NOK)",
        "Contract sum (NOK)",
        "Anskaffelsens kontraktsum i kroner, eksakt (for eksempel 80000000).",
        "The contract sum in NOK, exact (for example 80000000).",
    ),
    "procurement.regulation": (
        "Regelverk for anskaffelsen",
        "Procurement regulation",
        "RAF, FOSA (forsvars- og sikkerhetsanskaffelser) eller FOA (offentlige anskaffelser).",
        "RAF, FOSA (defence and security) or FOA (public procurement).",
    ),
    "procurement.channel": (
        "Anskaffelseskanal",
        "Procurement channel",
        "direct (direkte fra leverandøren), NSPA eller FMS (amerikanske Foreign Military Sales).",
        "direct, or through NSPA or US Foreign Military Sales (FMS).",
    ),
    "procurement.only_for_norway": (
        "Kun for Norge?",
        "For Norway alone?",
        "Gjelder anskaffelsen via NSPA/FMS kun for Norge (ikke felles med andre nasjoner)?",
        "Whether an NSPA/FMS procurement is for Norway alone (not shared with other nations).",
    ),
    "procurement.expected_accumulated_value_nok": (
        "Forventet akkumulert anskaffelsesverdi (NOK)",
        "Expected accumulated value (NOK)",
        "Oppdragsgivers anslag for samlet anskaffelsesverdi fra denne leverandøren i 5-årsperioden (rammeavtaler). 0 hvis ingen.",
        "The buyer's estimate of the total from this supplier over the 5-year period (framework agreements). 0 if none.",
    ),
    "procurement.related_contracts": (
        "Andre kontrakter med samme leverandør i 5-årsperioden",
        "Related contracts with the same supplier in the 5-year window",
        "Andre kontrakter med samme leverandør, med dato og verdi. De som er datert i de 5 årene fram til vedtaksdatoen, legges til kontraktsummen.",
        "Other contracts with the same supplier, with date and value. Those dated in the 5 years up to the decision date are added to the contract sum.",
    ),
    "procurement.related_contracts[].date": ("Kontraktens dato", "Contract date", "ÅÅÅÅ-MM-DD.", "YYYY-MM-DD."),
    "procurement.related_contracts[].value_nok": ("Kontraktens verdi (NOK)", "Contract value (NOK)", "I kroner, eksakt.", "In NOK, exact."),
    "procurement.has_options": (
        "Opsjoner eller tilleggsanskaffelser?",
        "Options or additional acquisitions?",
        "Har kontrakten opsjoner eller mulige tilleggsanskaffelser? (Tidligere regelverk: betinget avtale under terskelen.)",
        "Does the contract have options or possible additional acquisitions? (Earlier rules: a conditional ICA below the threshold.)",
    ),
    "procurement.further_contracts_expected": (
        "Flere kontrakter ventet innen fem år?",
        "Further contracts expected within five years?",
        "Ventes det flere kontrakter under terskelen med denne leverandøren innen fem år? (Tidligere regelverk.)",
        "Are several further contracts under the threshold expected with this supplier within five years? (Earlier rules.)",
    ),
    "supplier.country": (
        "Leverandørens land",
        "Supplier's country",
        "ISO 3166-1 alfa-2-kode, for eksempel US, SE, GB; NO er Norge.",
        "ISO 3166-1 alpha-2 code, for example US, SE, GB; NO is Norway.",
    ),
    "supplier.foreign_produced_value_nok": (
        "Verdi av deler produsert i utlandet (NOK)",
        "Value of parts produced abroad (NOK)",
        "For en norsk leverandør: verdien av de delene av leveransen som produseres i utlandet. 0 hvis ingen.",
        "For a Norwegian supplier: the value of the parts of the delivery produced abroad. 0 if none.",
    ),
    "supplier.significant_foreign_production": (
        "Vesentlige deler produsert i utlandet?",
        "Significant parts produced abroad?",
        "Er leverandøren registrert i Norge, men vesentlige deler av leveransen produsert i utlandet? (Tidligere regelverk.)",
        "Is the supplier registered in Norway with significant parts of the delivery produced abroad? (Earlier rules.)",
    ),
    "supplier.sub_suppliers": (
        "Underleverandører",
        "Sub-suppliers",
        "Leverandørens underleverandører, med land og verdi av underleveransen. (Tidligere regelverk.)",
        "The supplier's sub-suppliers, with country and value of the sub-delivery. (Earlier rules.)",
    ),
    "supplier.sub_suppliers[].country": ("Underleverandørens land", "Sub-supplier's country", "ISO 3166-1 alfa-2-kode.", "ISO 3166-1 alpha-2 code."),
    "supplier.sub_suppliers[].value_nok": ("Underleveransens verdi (NOK)", "Value of the sub-delivery (NOK)", "I kroner, eksakt.", "In NOK, exact."),
    "supplier.sub_suppliers[].name": ("Underleverandørens navn", "Sub-supplier's name", "", ""),
    "agreement.obligation_ratio": (
        "Avtalt forpliktelsesandel",
        "Agreed obligation ratio",
        'Forpliktelsen som andel av grunnlaget, over 0 og høyst 100 % (for eksempel 0.6 eller "60 %").',
        'The agreed obligation as a share of the base, above 0 and at most 100 % (for example 0.6 or "60 %").',
    ),
    "projects": (
        "Foreslåtte industrisamarbeidsprosjekter",
        "Proposed industrial cooperation projects",
        "Prosjektene leverandøren foreslår for godskriving. Ingen hvis ingen er foreslått ennå.",
        "The projects the supplier proposes for credit. None if none are proposed yet.",
    ),
    "projects[].value_nok": ("Prosjektets verdi (NOK)", "Project value (NOK)", "I kroner, eksakt.", "In NOK, exact."),
    "projects[].valuation_basis": (
        "Verdsettingsgrunnlag",
        "Valuation basis",
        "production (verdsatt på produksjon) eller other.",
        "production (valued on production) or other.",
    ),
    "projects[].norwegian_share": (
        "Norsk andel av verdiskapingen",
        "Norwegian share of the value creation",
        'Mellom 0 og 1, for eksempel 0.85 eller "85 %".',
        'Between 0 and 1, for example 0.85 or "85 %".',
    ),
    "projects[].partner_in_norway": (
        "Partner i Norge?",
        "Partner in Norway?",
        "Er prosjektet med norsk industri, et forskningsmiljø lokalisert i Norge eller en enhet i forsvarssektoren?",
        "Is the project with Norwegian industry, a research environment in Norway or a unit of the defence sector?",
    ),
    "projects[].initiated_by_supplier": (
        "Resultat av leverandørens initiativ?",
        "Initiated by the supplier?",
        "Er prosjektet et resultat av hovedleverandørens arbeid eller initiativ (kausalitet)?",
        "Does the project result from the main supplier's work or initiative (causality)?",
    ),
    "projects[].supports_armed_forces_needs": (
        "Støtter Forsvarets behov?",
        "Supports the Armed Forces' needs?",
        "Understøtter prosjektet Forsvarets behov?",
        "Does the project support the Armed Forces' needs?",
    ),
    "projects[].in_priority_technology_area": (
        "Innenfor prioritert teknologiområde?",
        "In a priority technology area?",
        "Ligger prosjektet innenfor et teknologiområde som er viktig for nasjonal sikkerhet?",
        "Does the project lie in a technology area important to national security?",
    ),
    "projects[].continuation_of_existing": (
        "Videreføring av etablert samarbeid?",
        "Continuation of an established cooperation?",
        "Viderefører prosjektet et allerede etablert samarbeid?",
        "Does the project continue an already established cooperation?",
    ),
    "projects[].increase_value_nok": (
        "Reell økning (NOK)",
        "Real increase (NOK)",
        "For en videreføring: verdien av den reelle økningen eller endringen. 0 hvis ingen.",
        "For a continuation: the value of the real increase or change. 0 if none.",
    ),
    "projects[].factor": ("Avtalt faktor", "Agreed factor", "Prosjektets avtalte faktor, 0 til 100.", "The project's agreed factor, 0 to 100."),
    "projects[].kind": ("Prosjekttype", "Project kind", "", ""),
    "projects[].id": ("Prosjekt-ID", "Project id", "", ""),
}

# rule id | nb | en: what each rule is about, for "decides R-ACCUMULATED: ...". (A
# table of text, so rule ids are not mistaken for diagnostic codes by the code scan.)
_RULE_TABLE = """
R-FOREIGN-THRESHOLD | utenlandsk leverandør, kontraktsum over terskelen | foreign supplier, contract sum above the threshold
R-NSPA-FMS | NSPA/FMS kun for Norge, over terskelen | NSPA/FMS for Norway alone, above the threshold
R-ACCUMULATED | akkumulert verdi fra samme leverandør innen 5 år | related contracts within 5 years
R-NORWEGIAN-SUPPLIER-FOREIGN-PARTS | norsk leverandør med deler produsert i utlandet | Norwegian supplier, parts produced abroad
E-FOA | unntak for anskaffelser etter FOA | exception for procurements under FOA
R2001-THRESHOLD | kontraktsum ikke under 50 MNOK | contract sum not under 50 MNOK
R2001-CONDITIONAL | betinget avtale: opsjoner eller flere kontrakter | conditional ICA: options or further contracts
E2001-FOSA-EEA | unntak for FOSA med leverandør i EØS | exception for FOSA with a supplier in the EEA
R2001-SUB-SUPPLIER | underleverandør utenfor EØS | sub-supplier outside the EEA
R-OBLIGATION | forpliktelsen | the obligation
P-PARTNER | partner i Norge | partner in Norway
P-CAUSALITY | kausalitet | causality
P-NEEDS | Forsvarets behov og teknologiområde | the Armed Forces' needs and technology area
P-CONTINUATION | videreføring av etablert samarbeid | continuation of an established cooperation
P-SHARE | norsk andel som godskrives | the Norwegian share credited
P-FACTOR | godskriving med faktor | credit with the factor
"""
RULES: dict[str, tuple[str, str]] = {
    rid.strip(): (nb.strip(), en.strip())
    for rid, nb, en in (line.split("|") for line in _RULE_TABLE.strip().splitlines())
}


def field_text(generic: str) -> tuple[str, str, str, str]:
    """(label nb, label en, help nb, help en) of a field; its path when not listed."""
    return FIELDS.get(generic, (generic, generic, "", ""))


def rule_text(rule_id: str) -> tuple[str, str]:
    return RULES.get(rule_id, (rule_id, rule_id))
