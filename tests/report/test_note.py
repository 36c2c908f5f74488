"""The case officer's note: the answer first, decisions and projects in tables, each source
once as a numbered note; golden files in both languages for every example case."""

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from icpolicy.cases.inputs import iter_case_documents
from icpolicy.cli.main import cli
from icpolicy.report import build_note, render_note
from icpolicy.values import dumps

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"
GOLDEN = ROOT / "tests" / "golden" / "note"
REGEN = os.environ.get("ICPOLICY_REGEN_GOLDEN") == "1"
INPUTS = [i for i in iter_case_documents([str(EXAMPLES)]) if i.name.endswith(".yaml")]
MIXED = str(EXAMPLES / "11-mixed-projects.yaml")


def _golden(name: str, text: str):
    path = GOLDEN / name
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with ICPOLICY_REGEN_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


def _eval(*args):
    return CliRunner().invoke(cli, ["eval", *args])


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("item", INPUTS, ids=lambda i: Path(i.name).name)
def test_note_is_golden(bif, item, lang):
    note = render_note(build_note(bif.evaluate(item.doc.data), lang))
    assert all(len(line) <= 100 for line in note.splitlines())
    _golden(f"{Path(item.name).stem}.{lang}.txt", note + "\n")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_mixed_projects_reads_as_a_note(lang):
    result = _eval(MIXED, "--lang", lang)
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.splitlines()
    assert len(lines) < 40
    # The answer comes first, in words, citing its sources.
    first = {"nb": "Anskaffelsen fra utenlandsk leverandør (DE) på 240 000 000 NOK overskrider",
             "en": "An agreement is required: a procurement from a foreign supplier (DE)"}[lang]
    assert lines[2].startswith(first)
    # Every source once: each quote printed a single time, each number defined once.
    notes = re.findall(r"^  \[(\d+)\] «", result.stdout, re.M)
    assert notes == [str(n) for n in range(1, len(notes) + 1)]
    quotes = re.findall(r"«([^»]+)»", result.stdout)
    assert len(quotes) == len(set(quotes)) == len(notes)
    # Every number referred to is defined, and every one defined is referred to.
    body = result.stdout.split("\n\n" + {"nb": "Kilder", "en": "Sources"}[lang])[0]
    used = {n for group in re.findall(r"\[([\d, ]+)\]", body) for n in group.split(", ")}
    assert used == set(notes)
    assert "ica_required" not in result.stdout and "_nok" not in result.stdout  # no code names
    word = {"nb": "må vurderes manuelt", "en": "needs review"}[lang]
    assert re.search(rf"^  P3\s+{word}\s+70 %\s+10 500 000 NOK\s+P-CONTINUATION", result.stdout, re.M)


def test_verbose_keeps_the_full_form():
    result = _eval(MIXED, "--verbose", "--lang", "en")
    assert result.exit_code == 0
    assert "ica_required" in result.stdout and "[R-FOREIGN-THRESHOLD]" in result.stdout
    assert len(result.stdout.splitlines()) > 60


@pytest.mark.parametrize("lang, state", [("nb", "ikke aktuelt"), ("en", "not applicable")])
def test_decisions_that_do_not_apply_say_so(lang, state):
    out = _eval(str(EXAMPLES / "08-foa-exception.yaml"), "--lang", lang).stdout
    fulfilled = {"nb": "Forpliktelsen oppfylt", "en": "Obligation fulfilled"}[lang]
    assert re.search(rf"^  {fulfilled}\s+{state}$", out, re.M)
    assert "false" not in out and "nei" not in out.split("\n\n")[2]
    verbose = _eval(str(EXAMPLES / "08-foa-exception.yaml"), "--lang", lang, "-v").stdout
    assert re.search(rf"obligation_fulfilled\s+{state} \(", verbose)


def test_json_carries_its_language_and_keeps_the_keys(bif):
    import json

    for lang in ("nb", "en"):
        out = _eval(MIXED, "--format", "json", "--lang", lang)
        data = json.loads(out.stdout)
        assert data["language"] == lang
        assert list(data) == ["case", "policy", "decisions", "projects", "language"]
        assert data["decisions"]["obligation_nok"]["value"] == 120000000  # a machine number
    nb = bif.evaluate(next(i for i in INPUTS if "11-" in i.name).doc.data).to_dict(lang="nb")
    assert nb["decisions"]["ica_required"]["explanation"][0]["text"].startswith("Anskaffelsen fra utenlandsk")
    _golden("11-mixed-projects.nb.json", dumps({**nb, "policy": {**nb["policy"], "sha256": "<sha256>"}}, indent=2) + "\n")


def test_python_api_lang(bif):
    result = bif.evaluate(next(i for i in INPUTS if "07-" in i.name).doc.data)
    (entry,) = result.explanation("obligation_nok", lang="nb")
    assert "den delen av leveransen som er produsert i utlandet (135 000 000 NOK)" in entry["text"]
    (entry,) = result.explanation("obligation_nok", lang="en")
    assert "the part of the delivery produced abroad (135 000 000 NOK)" in entry["text"]


@pytest.mark.parametrize("wanted", [["pending_credit_nok"], ["obligation_fulfilled"], ["obligation_nok"]])
def test_a_note_of_some_decisions_leaves_out_what_was_not_asked(bif, wanted):
    """A decision that applies only under another one (obligation_fulfilled under
    ica_required) is shown with its value when that one was not asked for."""
    item = next(i for i in INPUTS if i.name == MIXED)
    result = bif.evaluate(item.doc.data, doc=item.doc, decisions=wanted)
    text = render_note(build_note(result, "en"))
    names = {row.name for row in build_note(result, "en").decisions}
    assert names == set(result.decisions) and set(wanted) <= names
    assert "not applicable" not in text
