"""The words of the diff document, in nb and en."""

from __future__ import annotations

from ..i18n.catalog import fill

_WORDS: dict[str, dict[str, str]] = {
    "diff_title": {"nb": "Endringer i regelverket", "en": "Changes to the policy"},
    "in_force": {"nb": "I kraft: {old} → {new}", "en": "In force: {old} → {new}"},
    "from": {"nb": "fra {start}", "en": "from {start}"},
    "from_to": {"nb": "fra {start} til {end}", "en": "from {start} to {end}"},
    "sources_changed": {"nb": "Kilder", "en": "Sources"},
    "added": {"nb": "lagt til", "en": "added"},
    "removed": {"nb": "fjernet", "en": "removed"},
    "no_change": {"nb": "Ingen endring i innhold (No change of meaning.)", "en": "No change of meaning."},
    "n_changes": {"nb": "Fra {old} til {new}: {n} endringer som kan gi andre avgjørelser.",
                  "en": "From {old} to {new}: {n} changes that can decide cases differently."},
    "values_changed": {"nb": "Endrede verdier: {names}.", "en": "Values changed: {names}."},
    "params_removed": {"nb": "Parametre fjernet: {names}.", "en": "Parameters removed: {names}."},
    "params_added": {"nb": "Parametre lagt til: {names}.", "en": "Parameters added: {names}."},
    "rules_removed": {"nb": "Regler fjernet: {names}.", "en": "Rules removed: {names}."},
    "rules_added": {"nb": "Regler lagt til: {names}.", "en": "Rules added: {names}."},
    "rules_changed": {"nb": "Endret: {names}.", "en": "Changed: {names}."},
    "source": {"nb": "kilde", "en": "source"},
    "param_removed": {"nb": "parameter {name} fjernet (var {value})", "en": "parameter {name} removed (was {value})"},
    "param_added": {"nb": "parameter {name} lagt til: {value}", "en": "parameter {name} added: {value}"},
    "rule": {"nb": "regel", "en": "rule"},
    "exception": {"nb": "unntak", "en": "exception"},
    "rule_added": {"nb": "{kind} {name} lagt til i {decision}", "en": "{kind} {name} added to {decision}"},
    "rule_removed": {"nb": "{kind} {name} fjernet fra {decision}", "en": "{kind} {name} removed from {decision}"},
    "when": {"nb": "når", "en": "when"},
    "then": {"nb": "så", "en": "then"},
    "before": {"nb": "før", "en": "before"},
    "after": {"nb": "etter", "en": "after"},
    "condition changed": {"nb": "vilkåret er endret", "en": "condition changed"},
    "value changed": {"nb": "verdien er endret", "en": "value changed"},
    "legal source changed": {"nb": "rettskilden er endret", "en": "legal source changed"},
    "what it overrides changed": {"nb": "hva den går foran, er endret", "en": "what it overrides changed"},
    "source_changed": {"nb": "rettskilden er endret", "en": "legal source changed"},
    "decision_changed": {"nb": "avgjørelse {name}: {what}", "en": "decision {name}: {what}"},
    "default changed": {"nb": "standardverdien er endret", "en": "default changed"},
    "its type, values or scope changed": {"nb": "type, verdier eller omfang er endret",
                                          "en": "its type, values or scope changed"},
    "witness": {"nb": "Eksempel", "en": "Witness"},
    "differs": {"nb": "{decision}: {a} etter {old}, {b} etter reglene i {new}",
                "en": "{decision}: {a} under {old}, {b} under the rules of {new}"},
    "removed_word": {"nb": "fjernet", "en": "removed"},
    "sources_of": {"nb": "Ny rettskilde", "en": "New legal source"},
    "params_removed_list": {"nb": "Parametre fjernet, uten eksempelsak blant grensetilfellene: {names}",
                            "en": "Parameters removed, no witness among the boundary cases: {names}"},
    "definition_changed": {"nb": "definisjon {name} er endret", "en": "definition {name} changed"},
    "n_values": {"nb": "{n} verdier", "en": "{n} values"},
    "wording_only": {"nb": "Bare ordlyd endret: {names}.", "en": "Wording only: {names}."},
}


def word(key: str, lang: str, **values) -> str:
    """The text for `key`; a key not in the table is shown as it is (a change's own words)."""
    entry = _WORDS.get(key)
    if entry is None:
        if key.startswith("condition changed through"):
            return f"{fill(_WORDS['condition changed'], lang)} ({key.split('through', 1)[1].strip()})"
        return key
    return fill(entry, lang, **values)
