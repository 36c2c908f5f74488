"""A corpus of single mistakes in the bundled policy (issue 10, item 3).

Each is one small edit of a copy of policies/bif: in FILE (relative to the policy
directory) the text OLD, which must occur exactly once, becomes NEW. CODES are the
exact diagnostics `icpolicy validate` must then give, in order: one mistake, one
diagnostic, unless WHY says why there truly are more. `test_single_mistakes.py`
runs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

POLICY = "policy.yaml"
V2001 = "versions/2001.1-50mnok.yaml"


@dataclass(frozen=True)
class Mistake:
    name: str
    file: str
    old: str
    new: str
    codes: tuple[str, ...]
    why: str = ""  # why more than one diagnostic is right
    at: str = ""  # text on the line of the first diagnostic, when not in the edit itself

    def lines(self, before: str, after: str) -> range:
        """The lines the first diagnostic may be on: the line holding `at` after the
        edit, or the edited lines (and the next one, where YAML notices a mistake)."""
        if self.at:
            assert after.count(self.at) == 1, f"{self.name}: {self.at!r} must occur once"
            line = after[: after.index(self.at)].count("\n") + 1
            return range(line, line + 1)
        start = before[: before.index(self.old)].count("\n") + 1 if self.old else 1
        return range(start, start + self.new.count("\n") + 2)

    def apply(self, policy_dir: Path) -> None:
        path = policy_dir / self.file
        if self.old == "":  # a new file
            assert not path.exists(), f"{self.file} exists"
            path.write_text(self.new, encoding="utf-8")
            return
        text = path.read_text(encoding="utf-8")
        assert text.count(self.old) == 1, f"{self.name}: {self.old!r} occurs {text.count(self.old)} times in {self.file}"
        path.write_text(text.replace(self.old, self.new), encoding="utf-8")


M = Mistake

MISTAKES: list[Mistake] = [
    # --- expressions: names and fields ------------------------------------------------------
    M("case field typo in a definition", POLICY,
      "value: supplier.country != home_country", "value: supplier.countyr != home_country", ("E-FIELD",)),
    M("case field typo in a rule condition", POLICY,
      "when: supplier.country == home_country and supplier.foreign_produced_value_nok > ica_threshold",
      "when: supplier.country == home_country and supplier.foreign_produced_valu_nok > ica_threshold", ("E-FIELD",)),
    M("case field typo in a project definition", POLICY,
      "then project.increase_value_nok else", "then project.increase_valu_nok else", ("E-FIELD",)),
    M("definition name typo where it is used", POLICY,
      "value: foreign_supplier and (not via_agency", "value: foreign_suplier and (not via_agency", ("E-NAME",)),
    M("definition renamed, its uses not", POLICY,
      "  foreign_supplier:\n    value: supplier.country", "  foreign_suppliers:\n    value: supplier.country", ("E-NAME",),
      at="value: foreign_supplier and (not via_agency"),
    M("parameter name typo in a rule", POLICY,
      "procurement.channel == \"direct\" and procurement.value_nok > ica_threshold",
      "procurement.channel == \"direct\" and procurement.value_nok > ica_treshold", ("E-NAME",)),
    M("unknown name in an explanation placeholder", POLICY,
      "overskrider {ica_threshold} og krever derfor", "overskrider {ica_treshold} og krever derfor", ("E-NAME",)),
    M("unknown function", POLICY,
      "value: coalesce(agreement.obligation_ratio, max_obligation_ratio)",
      "value: coalese(agreement.obligation_ratio, max_obligation_ratio)", ("E-NAME",)),
    M("enum value typo", POLICY,
      "foreign_supplier and procurement.channel == \"direct\"", "foreign_supplier and procurement.channel == \"drect\"",
      ("E-ENUM",)),
    # --- expressions: syntax and types -------------------------------------------------------
    M("syntax error in a definition", POLICY,
      "value: supplier.country != home_country", "value: supplier.country != != home_country", ("E-SYNTAX",)),
    M("syntax error in a definition others build on", POLICY,
      "value: foreign_supplier and (not via_agency or procurement.only_for_norway)",
      "value: foreign_supplier and (not via_agency or procurement.only_for_norway", ("E-SYNTAX",)),
    M("syntax error in a project definition", POLICY,
      "value: if project.continuation_of_existing then", "value: if project.continuation_of_existing than", ("E-SYNTAX",)),
    M("syntax error in a base definition the version uses", POLICY,
      "value: date - accumulation_window", "value: date - - - ", ("E-SYNTAX",)),
    M("syntax error in a version's own definition", V2001,
      "value: foreign_supplier or (supplier.country", "value: foreign_supplier or or (supplier.country", ("E-SYNTAX",)),
    M("type error in a definition", POLICY,
      "value: supplier.country != home_country", "value: supplier.country != 5", ("E-TYPE",)),
    M("wrong value type in a rule", POLICY,
      'procurement.channel == "direct" and procurement.value_nok > ica_threshold\n        value: true',
      'procurement.channel == "direct" and procurement.value_nok > ica_threshold\n        value: 12', ("E-TYPE",)),
    M("condition that is not true/false", POLICY,
      "when: procurement.regulation == exempt_regulation\n        value: false",
      "when: procurement.regulation\n        value: false", ("E-TYPE",)),
    M("wrong type of a parameter (unit NOK, a string value)", POLICY,
      "  ica_threshold:\n    value: 100 MNOK", "  ica_threshold:\n    value: '\"100 MNOK\"'", ("E-PARAM",)),
    M("parameter that does not parse", POLICY,
      "  ica_threshold:\n    value: 100 MNOK", "  ica_threshold:\n    value: 100 MNOK NOK", ("E-SYNTAX",)),
    M("definition that uses itself", POLICY,
      "value: procurement.value_nok + related_in_window_nok",
      "value: procurement.value_nok + related_in_window_nok + accumulated_nok - accumulated_nok", ("E-CYCLE",)),
    M("definitions in a cycle", POLICY,
      "c.date > window_start and c.date <= date", "c.date > window_start and c.date <= date and accumulated_nok > 0 NOK",
      ("E-CYCLE",), at="value: >-\n      sum(filter(procurement.related_contracts"),
    # --- rules ---------------------------------------------------------------------------------
    M("rule id reused within the file", POLICY,
      "      - id: R-NSPA-FMS\n", "      - id: R-FOREIGN-THRESHOLD\n", ("E-RULE",)),
    M("rule id reused across files", V2001,
      "      - id: R2001-SUB-SUPPLIER\n", "      - id: P-SHARE\n", ("E-RULE",)),
    M("rule renamed, an override of it not", V2001,
      "      - id: R2001-CONDITIONAL\n", "      - id: R2001-CONDITION\n", ("E-RULE",),
      at="overrides: [R2001-THRESHOLD, R2001-CONDITIONAL]"),
    M("unknown key in a rule", POLICY,
      "        when: procurement.regulation == exempt_regulation\n        value: false\n        overrides: all",
      "        when: procurement.regulation == exempt_regulation\n        value: false\n        overide: all", ("E-SCHEMA",)),
    M("override of a rule that does not exist", V2001,
      "overrides: [R2001-THRESHOLD, R2001-CONDITIONAL]", "overrides: [R2001-THRESHOLD, R2001-CONDITONAL]", ("E-RULE",)),
    M("unknown source", POLICY,
      "      - id: R-NSPA-FMS\n        when: >-\n          foreign_supplier and via_agency and procurement.only_for_norway\n"
      "          and procurement.value_nok > ica_threshold\n        value: true\n        source:\n          ref: veileder",
      "      - id: R-NSPA-FMS\n        when: >-\n          foreign_supplier and via_agency and procurement.only_for_norway\n"
      "          and procurement.value_nok > ica_threshold\n        value: true\n        source:\n          ref: veilder",
      ("E-SOURCE",)),
    # --- YAML and files ------------------------------------------------------------------------
    M("YAML indentation error", POLICY,
      "  via_agency:\n    value: procurement.channel in agency_channels",
      "  via_agency:\n     value: procurement.channel in agency_channels\n    description: x", ("E-YAML-SYNTAX",)),
    M("YAML indentation error in a version", V2001,
      "  sub_supplier_threshold:\n    value: 50 MNOK", "  sub_supplier_threshold:\n   value: 50 MNOK", ("E-YAML-SYNTAX",)),
    M("duplicate key", POLICY,
      "  via_agency:\n    value: procurement.channel in agency_channels",
      "  via_agency:\n    value: procurement.channel in agency_channels\n    value: procurement.channel in agency_channels",
      ("E-DUPLICATE-KEY",)),
    M("version that extends an unknown version", V2001,
      'extends: "2026.1"', 'extends: "2026.2"', ("E-VERSION",)),
    # --- test files and boundary bases ---------------------------------------------------------
    M("test file: rule instead of rules", "tests/ica_required.yaml",
      "ica_required: {value: true, rules: [R-FOREIGN-THRESHOLD]}\n      obligation_nok: {value: 150000000, rules: [R-OBLIGATION]}",
      "ica_required: {value: true, rule: [R-FOREIGN-THRESHOLD]}\n      obligation_nok: {value: 150000000, rules: [R-OBLIGATION]}",
      ("E-TEST",)),
    M("test file: unknown decision", "tests/ica_required.yaml",
      "ica_required: {value: true, rules: [R-FOREIGN-THRESHOLD]}\n      obligation_nok: {value: 150000000, rules: [R-OBLIGATION]}",
      "ica_requird: {value: true, rules: [R-FOREIGN-THRESHOLD]}\n      obligation_nok: {value: 150000000, rules: [R-OBLIGATION]}",
      ("E-TEST",)),
    M("test file: case field typo", "tests/ica_required.yaml",
      "case: {procurement: {regulation: FOSA}, supplier: {country: SE}}",
      "case: {procurement: {regulaton: FOSA}, supplier: {country: SE}}", ("E-CASE",)),
    M("test file: broken YAML", "tests/ica_required.yaml",
      "tests:\n  # --- R-FOREIGN-THRESHOLD", "tests:\n - [\n  # --- R-FOREIGN-THRESHOLD", ("E-YAML-SYNTAX",)),
    M("boundary base: case field typo", "boundary-bases/foreign-direct.yaml",
      "  regulation: RAF\n  channel: direct\n  related_contracts:", "  regulaton: RAF\n  channel: direct\n  related_contracts:",
      ("E-CASE",)),
]
