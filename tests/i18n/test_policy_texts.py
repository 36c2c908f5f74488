"""Bilingual policies: every text in nb and en, checked by `validate` with file:line:col;
every quote found word for word in the shipped guide."""

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from icpolicy.cli.main import cli
from icpolicy.i18n.policycheck import text_paths
from icpolicy.policy.quotes import quote_found

ROOT = Path(__file__).resolve().parents[2]
BIF = ROOT / "policies" / "bif"


@pytest.fixture
def policy_copy(tmp_path):
    target = tmp_path / "bif"
    shutil.copytree(BIF, target, ignore=shutil.ignore_patterns("tests"))
    return target


def _validate(path):
    return CliRunner().invoke(cli, ["validate", str(path)])


def _edit(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def test_the_bundled_policy_is_valid():
    result = _validate(BIF)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("version", ["policy.yaml", "versions/2001.1-50mnok.yaml"])
def test_every_text_of_both_versions_is_in_both_languages(version):
    data = yaml.safe_load((BIF / version).read_text(encoding="utf-8"))
    paths = list(text_paths(data))
    assert len(paths) > 20
    for path in paths:
        text = data
        for part in path:
            text = text[part]
        assert isinstance(text, dict) and set(text) == {"nb", "en"}, path
        assert text["nb"].strip() and text["en"].strip() and text["nb"] != text["en"] or path[-1] == "title", path


def test_the_norwegian_uses_the_guides_terms():
    text = (BIF / "policy.yaml").read_text(encoding="utf-8")
    for term in ("industrisamarbeidsavtale", "forpliktelse", "godskrives", "videreføring"):
        assert term in text.lower(), term


def test_a_translation_left_out_is_named(policy_copy):
    path = policy_copy / "policy.yaml"
    text = path.read_text(encoding="utf-8")
    old = "      nb: >-\n        Leverandøren er registrert utenfor Norge.\n"
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, ""), encoding="utf-8")
    result = _validate(policy_copy)
    assert result.exit_code == 1
    assert f"policy.yaml:{line}:" in result.output
    assert "error[E-LANG]" in result.output and "the nb translation is missing" in result.output
    assert "definitions.foreign_supplier.description" in result.output


def test_a_plain_string_is_an_error_once_languages_are_declared(policy_copy):
    path = policy_copy / "policy.yaml"
    line = _edit(path, "    description:\n      nb: >-\n        Leverandøren er registrert utenfor Norge.\n"
                 "      en: >-\n        The supplier is registered outside Norway.\n",
                 "    description: The supplier is registered outside Norway.\n")
    result = _validate(policy_copy)
    assert result.exit_code == 1
    assert f"policy.yaml:{line}:18: definitions.foreign_supplier.description: a plain text" in result.output
    # Without `languages`, a plain string is fine (and mappings still are).
    _edit(path, "languages: [nb, en]\n", "")
    assert _validate(policy_copy).exit_code == 0


def test_an_unknown_language_key_is_an_error(policy_copy):
    line = _edit(policy_copy / "policy.yaml", "      en: >-\n        The supplier is registered outside Norway.\n",
                 "      fr: >-\n        Le fournisseur est étranger.\n")
    result = _validate(policy_copy)
    assert result.exit_code == 1
    assert f"policy.yaml:{line}:7:" in result.output and "'fr' is not a language of this policy" in result.output


def test_a_quote_not_in_the_guide_fails_validate(policy_copy):
    line = _edit(policy_copy / "policy.yaml", "quote: Forpliktelsen innfris ikke nødvendigvis 1:1, det benyttes faktorer.",
                 "quote: Forpliktelsen innfris alltid 1:1.")
    result = _validate(policy_copy)
    assert result.exit_code == 1
    assert f"policy.yaml:{line}:" in result.output and "error[E-QUOTE]" in result.output


def test_a_quote_with_other_line_breaks_is_still_found(policy_copy):
    _edit(policy_copy / "policy.yaml", "quote: Forpliktelsen innfris ikke nødvendigvis 1:1, det benyttes faktorer.",
          "quote: >-\n        Forpliktelsen innfris ikke\n        nødvendigvis 1:1,   det benyttes faktorer.")
    assert _validate(policy_copy).exit_code == 0


def test_quote_matching():
    text = "Krav gjelder ved alle anskaffelser. Unntak fra dette er anskaffelser under 50 millioner."
    assert quote_found("alle  anskaffelser.\nUnntak", text)
    assert quote_found("Krav gjelder [...] under 50 millioner.", text)
    assert not quote_found("under 50 millioner [...] Krav gjelder", text)  # the order counts
    assert not quote_found("alle anskaffelser fra utlandet", text)


def test_every_veileder_quote_of_both_versions_is_in_the_guide():
    guide = " ".join((BIF / "source" / "veileder-for-industrisamarbeid.txt").read_text(encoding="utf-8").split())
    count = 0
    for version in ("policy.yaml", "versions/2001.1-50mnok.yaml"):
        for quote in re.findall(r"ref: veileder\n(?:.*\n)*?\s+quote: (.+)", (BIF / version).read_text(encoding="utf-8")):
            if quote.strip() in (">-", ">"):
                continue
            count += 1
            assert quote_found(quote, guide), quote
    assert count >= 10
