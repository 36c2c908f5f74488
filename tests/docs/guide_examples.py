"""The scratch checkout of docs/policy-authors-guide.md's worked examples: the copies of
policies/bif it edits (bif-50, bif-b, bif-c, bif-next) and the case files it decides,
made exactly as the guide says. The guide's outputs are runs of its commands in it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CASE_75 = """\
id: CASE-2026-075
date: 2026-03-01
procurement:
  value_nok: 75000000
supplier:
  name: Example Defence Inc.
  country: US
"""

_PROJECT = ("value_nok: 10000000, norwegian_share: 0.5, partner_in_norway: true, initiated_by_supplier: true, "
            "supports_armed_forces_needs: true, in_priority_technology_area: true")
CASE_MATERIEL = f"""\
id: CASE-2026-020
date: 2026-03-01
procurement: {{value_nok: 300000000}}
supplier: {{name: Example Defence Inc., country: US}}
projects:
  - {{id: P1, kind: materiel_procurement, {_PROJECT}}}
  - {{id: P2, kind: technology_cooperation, {_PROJECT.replace("partner_in_norway: true", "partner_in_norway: false")}}}
  - {{id: P3, kind: materiel_procurement, continuation_of_existing: true, increase_value_nok: 0, {_PROJECT}}}
"""

CASE_CALL_OFF = """\
id: CASE-2026-021
date: 2026-02-09
procurement:
  value_nok: 750000
  expected_accumulated_value_nok: 240000000
supplier: {name: Example Defence GmbH, country: DE}
"""

CASE_CALL_OFF_FOA = CASE_CALL_OFF.replace("CASE-2026-021", "CASE-2026-022").replace(
    "  value_nok: 750000\n", "  value_nok: 750000\n  regulation: FOA\n")

# (b) a rule added to `status`, after P-CONTINUATION
RULE_B = """\
      - id: P-MATERIEL-REVIEW
        when: project.kind == "materiel_procurement"
        value: '"needs_review"'
        source:
          ref: veileder
          section: Hvordan gjøres industrisamarbeid?
          quote: Anskaffelser av forsvarsmateriell (rene kjøp av produkter)
          interpretation:
            nb: Tenkt eksempel, ikke i veilederen - rene kjøp av produkter må vurderes manuelt.
            en: Hypothetical example, not in the guide - pure purchases of products need a person's review.
        explanation:
          nb: Prosjekt {project.id} er et rent kjøp av produkter ({project.kind}).
          en: Project {project.id} is a pure purchase of products ({project.kind}).
"""

# (c) a parameter and an exception to `ica_required`, before E-FOA
PARAMETER_C = """\
  small_call_off:
    value: 1 MNOK
    unit: NOK
    description:
      nb: Tenkt eksempel - avrop under denne verdien telles ikke for R-ACCUMULATED.
      en: Hypothetical - call-offs below this are not counted for R-ACCUMULATED.
    source:
      ref: veileder
      quote: f.eks. for rammeavtaler
"""
RULE_C = """\
      - id: E-SMALL-CALL-OFF
        when: procurement.value_nok < small_call_off
        value: false
        overrides: [R-ACCUMULATED]
        source:
          ref: veileder
          section: Hvordan opprettes industrisamarbeidsavtaler?
          quote: dersom det er sannsynlig av den akkumulerte anskaffelsesverdien fra en utenlandsk leverandør overskrider 100 MNOK i en 5-års periode
          interpretation:
            nb: Tenkt eksempel, ikke i veilederen - avrop under 1 MNOK telles ikke.
            en: Hypothetical example, not in the guide - call-offs below 1 MNOK are not counted.
        explanation:
          nb: >-
            Avropet er på {procurement.value_nok}, under {small_call_off}, så den akkumulerte
            verdien krever ikke industrisamarbeidsavtale for det.
          en: >-
            The call-off is worth {procurement.value_nok}, below {small_call_off}, so the
            accumulated value does not require an ICA for it.
"""

# (d) a version in force from 2027-01-01
VERSION_D = """\
# yaml-language-server: $schema=../../../schemas/policy.schema.json
# $schema: ../../../schemas/policy.schema.json
id: bif
version: "2027.1"
extends: "2026.1"
effective_from: "2027-01-01"
note: Hypothetical example - the threshold lowered to 50 MNOK from 2027.
sources:
  endring_2027:
    title: Endring i veileder for industrisamarbeid (tenkt eksempel)
    publisher: Forsvarsmateriell (Norwegian Defence Materiel Agency)
    language: nb
parameters:
  ica_threshold:
    value: 50 MNOK
    unit: NOK
    description:
      nb: Anskaffelser (eller akkumulerte anskaffelser) over denne verdien krever industrisamarbeidsavtale.
      en: A procurement (or accumulated procurements) above this value requires an ICA.
    source:
      ref: endring_2027
      quote: ved alle anskaffelser fra utlandet dersom verdien overskrider 50 MNOK
"""

P_OVERRIDES = "        overrides: [P-CONTINUATION]\n"


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count, (path, old, text.count(old))
    path.write_text(text.replace(old, new), encoding="utf-8")


def _copy(root: Path, name: str) -> Path:
    target = root / "policies" / name
    shutil.copytree(root / "policies" / "bif", target)
    return target / "policy.yaml"


STAGES = ("first", "second", "final")
TYPOS = {
    "typo-field": ('procurement.channel == "direct" and procurement.value_nok > ica_threshold',
                   'procurement.channel == "direct" and procurement.valeu_nok > ica_threshold'),
    "typo-key": ("        overrides: all\n", "        overide: all\n"),
}


def build(root: Path, stage: str = "final") -> Path:
    """The scratch checkout at `root`, each example as the guide has edited it at
    `stage`: "first" before any fix the guide then makes, "second" after the first
    fix, "final" with every fix made."""
    for part in ("policies", "schemas", "examples"):
        shutil.copytree(REPO / part, root / part)
    if stage in TYPOS:  # "What a typo looks like": one copy, policies/bif-typo, with one mistake
        _edit(_copy(root, "bif-typo"), *TYPOS[stage])
        return root
    step = STAGES.index(stage)
    for name, text in (("case-75.yaml", CASE_75), ("case-materiel.yaml", CASE_MATERIEL),
                       ("case-call-off.yaml", CASE_CALL_OFF), ("case-call-off-foa.yaml", CASE_CALL_OFF_FOA)):
        (root / name).write_text(text, encoding="utf-8")
    # (a)
    policy = _copy(root, "bif-50")
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("    value: 100 MNOK", "    value: 50 MNOK", 1), encoding="utf-8")
    # (b)
    policy = _copy(root, "bif-b")
    _edit(policy, "\n  credited_share:\n", RULE_B + "\n  credited_share:\n")
    if step >= 1:
        _edit(policy, P_OVERRIDES, "        overrides: [P-CONTINUATION, P-MATERIEL-REVIEW]\n", count=3)
    if step >= 2:
        _edit(policy, "      - id: P-CONTINUATION\n        when: project.continuation_of_existing\n",
              "      - id: P-CONTINUATION\n        when: project.continuation_of_existing\n"
              "        overrides: [P-MATERIEL-REVIEW]\n")
    # (c)
    policy = _copy(root, "bif-c")
    _edit(policy, "\nparameters:\n", "\nparameters:\n" + PARAMETER_C)
    _edit(policy, "      - id: E-FOA\n", RULE_C + "      - id: E-FOA\n")
    if step >= 1:
        _edit(policy, "        when: procurement.value_nok < small_call_off\n",
              "        when: in_foreign_reach and procurement.value_nok < small_call_off\n")
    # (d)
    policy = _copy(root, "bif-next")
    (policy.parent / "versions" / "2027.1.yaml").write_text(VERSION_D, encoding="utf-8")
    if step >= 1:
        _edit(policy, 'effective_from: "2021-01-01"\n', 'effective_from: "2021-01-01"\neffective_to: "2026-12-31"\n')
    return root


# ---- running the guide's commands ----------------------------------------------------

GUIDE = REPO / "docs" / "policy-authors-guide.md"
SHOWN_ROOT = "/home/me/icpolicy"  # where the guide's reader has the checkout
# A console block whose output is a real run: `<!-- guide-run: STAGE -->` on the line before.
_MARK = re.compile(r"<!-- guide-run: ([\w-]+) -->\n```console\n(.*?)```\n", re.S)


def blocks(text: str) -> list[tuple[str, list[str], str]]:
    """(stage, commands, shown output) of each marked console block of the guide."""
    out = []
    for match in _MARK.finditer(text):
        commands = [line[2:] for line in match.group(2).splitlines() if line.startswith("$ ")]
        out.append((match.group(1), commands, match.group(2)))
    return out


def run_command(command: str, cwd: Path) -> str:
    """One `icpolicy ...` command as a terminal shows it (stdout and stderr in order)."""
    from click.testing import CliRunner

    from icpolicy.cli.main import cli

    words = shlex.split(command)
    assert words[0] == "icpolicy", command
    before = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, words[1:], env={"ICPOLICY_LANG": "en", "COLUMNS": "100"})
    finally:
        os.chdir(before)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.output.replace(str(cwd), SHOWN_ROOT)


def run_block(stage: str, commands: list[str], roots: dict) -> str:
    """The block as a run at `stage` writes it: each command, then its output."""
    cwd = roots[stage]
    return "".join(f"$ {c}\n" + run_command(c, cwd) for c in commands)


def scratch_roots(base: Path, stages) -> dict:
    """A scratch checkout for each stage (the real checkout for "repo")."""
    roots = {}
    for stage in stages:
        if stage == "repo":
            roots[stage] = REPO
        else:
            roots[stage] = build(base / stage, stage).resolve()
    return roots


def regenerate(guide: Path = GUIDE) -> None:
    """Write every marked block's output from a run of the code in this checkout."""
    import tempfile

    text = guide.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        roots = scratch_roots(Path(tmp), {stage for stage, _, _ in blocks(text)})

        def rerun(match: re.Match) -> str:
            commands = [line[2:] for line in match.group(2).splitlines() if line.startswith("$ ")]
            shown = run_block(match.group(1), commands, roots)
            return f"<!-- guide-run: {match.group(1)} -->\n```console\n{shown}```\n"

        guide.write_text(_MARK.sub(rerun, text), encoding="utf-8")


if __name__ == "__main__":  # python tests/docs/guide_examples.py: regenerate the guide's outputs
    sys.path.insert(0, str(REPO))
    regenerate()
