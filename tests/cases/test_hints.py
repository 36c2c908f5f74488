"""Case errors that say what to write, in Bokmål and English (issue 11, item 6).

Amounts as icpolicy prints them read back; `150,000,000`, a share of 85 and an
unquoted numeric id get a hint; PyYAML's messages are rephrased with a likely cause.
Each through the real `eval` command: exit 1, file:line:col, the hint, no traceback.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from icpolicy.cases.amounts import MONEY_PATTERN, SHARE_PATTERN, read_amount, separator_hint
from icpolicy.cases.numbers import to_decimal
from icpolicy.cli.main import cli
from icpolicy.diagnostics import message_language
from icpolicy.i18n.formatting import show_money, show_share
from icpolicy.schemacheck import python_pattern

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "case.schema.json").read_text(encoding="utf-8"))
CASE = """id: H-1
date: 2026-03-01
procurement:
  value_nok: {value}
  regulation: RAF
  channel: direct
supplier:
  name: Acme
  country: {country}
projects:
  - id: {pid}
    kind: technology_cooperation
    value_nok: 1000000
    valuation_basis: production
    norwegian_share: {share}
    partner_in_norway: true
    initiated_by_supplier: true
    supports_armed_forces_needs: true
    in_priority_technology_area: true
    continuation_of_existing: false
"""


def _case(tmp_path, **changes) -> Path:
    fields = {"value": "150000000", "country": "US", "pid": "P1", "share": "0.85", **changes}
    path = tmp_path / "case.yaml"
    path.write_text(CASE.format(**fields), encoding="utf-8")
    return path


def _eval(path, lang, *more):
    result = CliRunner().invoke(cli, ["eval", str(path), "--lang", lang, "--format", "json", *more])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _errors(result) -> list[dict]:
    return json.loads(result.stdout)[0]["errors"] if result.stdout.startswith("[") else json.loads(result.stdout)["errors"]


def _one_error(tmp_path, lang, **changes) -> dict:
    result = _eval(_case(tmp_path, **changes), lang)
    assert result.exit_code == 1
    errors = _errors(result)
    assert len(errors) == 1, errors
    return errors[0]


# -- what to write ----------------------------------------------------------------------

HINTS = [
    # (change, field, line, English words, Norwegian words)
    ({"country": "UK"}, "supplier.country", 9, "did you mean GB?", "mente du GB?"),
    ({"share": "85"}, "projects[0].norwegian_share", 15, 'write 0.85 or "85 %"', 'skriv 0.85 eller "85 %"'),
    ({"share": "12.5"}, "projects[0].norwegian_share", 15, 'write 0.125 or "12.5 %"', 'skriv 0.125 eller "12.5 %"'),
    ({"value": "150,000,000"}, "procurement.value_nok", 4, 'write 150000000 or "150 000 000 NOK"',
     'skriv 150000000 eller "150 000 000 NOK"'),
    ({"value": "150.000.000"}, "procurement.value_nok", 4, 'write 150000000 or "150 000 000 NOK"',
     'skriv 150000000 eller "150 000 000 NOK"'),
    ({"value": '"150,000 NOK"'}, "procurement.value_nok", 4, 'write 150000 or "150 000 NOK"',
     'skriv 150000 eller "150 000 NOK"'),
    ({"pid": "0123"}, "projects[0].id", 11, 'put it in quotes, id: "0123"', 'sett det i anførselstegn, id: "0123"'),
    ({"pid": "42"}, "projects[0].id", 11, 'put it in quotes, id: "42"', 'sett det i anførselstegn, id: "42"'),
]


@pytest.mark.parametrize("change, field, line, english, norwegian", HINTS)
def test_a_case_error_says_what_to_write_in_both_languages(tmp_path, change, field, line, english, norwegian):
    for lang, words in (("en", english), ("nb", norwegian)):
        error = _one_error(tmp_path, lang, **change)
        assert (error["code"], error["field"], error["line"]) == ("E-CASE", field, line)
        assert words in error["message"], (lang, error["message"])


def test_the_languages_really_differ(tmp_path):
    english = _one_error(tmp_path, "en", share="85")["message"]
    norwegian = _one_error(tmp_path, "nb", share="85")["message"]
    assert english.startswith("must be <= 1") and norwegian.startswith("må være <= 1")


def test_text_output_shows_the_line_and_no_traceback(tmp_path):
    path = _case(tmp_path, value="150,000,000")
    done = subprocess.run([sys.executable, "-m", "icpolicy", "eval", str(path), "--lang", "nb"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{path}:4:14: procurement.value_nok: forventet et beløp i NOK" in done.stderr
    assert "4 |   value_nok: 150,000,000" in done.stderr
    assert "1 sak(er) kunne ikke avgjøres; 0 avgjort." in done.stderr


def test_the_language_is_restored_after_a_command(tmp_path):
    _eval(_case(tmp_path, share="85"), "nb")
    assert message_language.get() is None


# -- amounts as people write them --------------------------------------------------------

WRITTEN = ["150000000", "150 000 000", '"150 000 000 NOK"', "150 MNOK", '"150\u00a0000\u00a0000 NOK"',
           '"150\u202f000\u202f000"', '"150000000 NOK"']


@pytest.mark.parametrize("written", WRITTEN)
def test_an_amount_written_as_people_write_it_decides_as_the_number(tmp_path, written):
    plain = _eval(_case(tmp_path), "en")
    other = _eval(_case(tmp_path, value=written), "en")
    assert other.exit_code == plain.exit_code == 0, other.stdout
    assert json.loads(other.stdout)["decisions"] == json.loads(plain.stdout)["decisions"]


@pytest.mark.parametrize("written, amount", [
    ("1,5 MNOK", "1500000"), ("1.5 MNOK", "1500000"), ("0,25 MNOK", "250000"),
    ("100 000 000,5 NOK", "100000000.5"), ("100 000 000.5 NOK", "100000000.5"), ("150,5", "150.5"),
    ("150,0001", "150.0001"), ("150.000", "150.000"),
])
def test_read_amount_is_exact(written, amount):
    assert read_amount(written) == Decimal(amount)


@pytest.mark.parametrize("written", ["150,000,000", "150,000", "1,500 MNOK", "150.000.000", "1 50 000",
                                     "150 000 000 nok", " 150", "-5", "150 000 000 000 000 000 000", "150 EUR"])
def test_what_is_not_an_amount(written):
    assert read_amount(written) is None


AMOUNTS = st.decimals(min_value=0, max_value=Decimal(10) ** 15, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(AMOUNTS, st.sampled_from(["nb", "en"]))
def test_what_icpolicy_prints_for_an_amount_reads_back(amount, lang):
    printed = show_money(amount, lang)
    assert read_amount(printed) == amount
    assert python_pattern(MONEY_PATTERN).search(printed)


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=1, places=6, allow_nan=False, allow_infinity=False),
       st.sampled_from(["nb", "en"]))
def test_what_icpolicy_prints_for_a_share_reads_back(share, lang):
    printed = show_share(share, lang)
    assert to_decimal(printed, allow_percent=True) == share
    assert python_pattern(SHARE_PATTERN).search(printed)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 ,.MNOK\u00a0", max_size=24))
def test_the_schema_pattern_and_the_reader_agree(text):
    """An editor (the JSON Schema) and icpolicy accept the same amounts."""
    assert (python_pattern(MONEY_PATTERN).search(text) is not None) == (read_amount(text) is not None)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1000, max_value=10**15), st.sampled_from([",", "."]))
def test_digits_grouped_by_commas_or_points_are_refused_with_the_plain_number(number, mark):
    written = f"{number:,}".replace(",", mark)
    if mark == "." and written.count(".") == 1:
        return  # 150.000 is a decimal number: read as 150
    assert read_amount(written) is None
    hint = separator_hint(written)
    assert hint is not None and f"write {number} or" in hint


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=Decimal("1.000001"), max_value=100, places=6, allow_nan=False, allow_infinity=False))
def test_a_share_above_one_is_told_as_a_percentage(number):
    from icpolicy.cases.amounts import share_hint

    hint = share_hint(number)
    shown = re.search(r"write (\S+) or \"(\S+) %\"", hint)
    assert shown and Decimal(shown.group(1)) * 100 == number == Decimal(shown.group(2))


def test_the_case_schema_carries_the_readers_patterns():
    assert SCHEMA["$defs"]["money"]["anyOf"][1]["pattern"] == MONEY_PATTERN
    assert SCHEMA["$defs"]["share"]["anyOf"][1]["pattern"] == SHARE_PATTERN
    assert SCHEMA["$defs"]["ratio"]["anyOf"][1]["pattern"] == SHARE_PATTERN


def test_a_norwegian_share_reads(tmp_path):
    plain = json.loads(_eval(_case(tmp_path), "en").stdout)["decisions"]
    for written in ('"0,85"', '"85 %"', '"85,0 %"', '"85%"'):
        other = _eval(_case(tmp_path, share=written), "en")
        assert other.exit_code == 0 and json.loads(other.stdout)["decisions"] == plain, written
