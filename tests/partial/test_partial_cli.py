"""`icpolicy eval --partial`, `--why-not` and `icpolicy ask`, run as a case officer runs them."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import yaml
from click.testing import CliRunner

from icpolicy.cli.main import cli

US_80 = """\
id: EARLY-2026-007
date: 2026-03-01
procurement:
  value_nok: 80000000
  regulation: RAF
  channel: direct
  related_contracts: unknown
  expected_accumulated_value_nok: unknown
supplier:
  name: Example Defence Inc.
  country: US
projects: []
"""


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


def _case(tmp_path, text=US_80, name="case.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_eval_partial_text_shows_open_decisions_and_questions(tmp_path):
    result = run("eval", "--partial", "--lang", "en", _case(tmp_path))
    assert result.exit_code == 0, result.output
    out = result.output
    assert re.search(r"ica_required\s+open: no or yes", out)
    assert "waits for: procurement.expected_accumulated_value_nok" in out
    first = out.index("1. Related contracts with the same supplier in the 5-year window")
    second = out.index("2. Expected accumulated value (NOK)")
    assert first < second
    assert "decides R-ACCUMULATED: related contracts within 5 years (ica_required)" in out


def test_eval_partial_in_norwegian(tmp_path):
    out = run("eval", "--partial", "--lang", "nb", _case(tmp_path)).output
    assert re.search(r"ica_required\s+åpen: nei eller ja", out)
    assert "1. Andre kontrakter med samme leverandør i 5-årsperioden" in out
    assert "avgjør R-ACCUMULATED: akkumulert verdi fra samme leverandør innen 5 år" in out


def test_eval_partial_json(tmp_path):
    result = run("eval", "--partial", "--format", "json", _case(tmp_path))
    obj = json.loads(result.output, parse_float=Decimal)
    assert obj["partial"] is True
    assert obj["decisions"]["ica_required"] == {
        "state": "open",
        "depends_on": ["procurement.expected_accumulated_value_nok", "procurement.related_contracts"],
        "possible": [False, True],
    }
    assert [q["fact"] for q in obj["questions"]] == [
        "procurement.related_contracts",
        "procurement.expected_accumulated_value_nok",
    ]
    assert obj["questions"][0]["why"][0]["rule"] == "R-ACCUMULATED"


def test_without_partial_unknown_is_an_error(tmp_path):
    result = run("eval", _case(tmp_path))
    assert result.exit_code == 1
    assert 'expected an amount in NOK, got "unknown"' in result.output


def test_why_not_in_text_and_json(tmp_path):
    text = US_80.replace("80000000", "95000000").replace("related_contracts: unknown", "related_contracts: []")
    text = text.replace("expected_accumulated_value_nok: unknown", "expected_accumulated_value_nok: 0")
    path = _case(tmp_path, text)
    out = run("eval", "--why-not", "--lang", "en", path).output
    assert "an ICA would be required if the contract sum exceeded 100 000 000 NOK; it is 95 000 000 NOK " \
           "(5 000 000.01 NOK short)" in " ".join(out.split())
    obj = json.loads(run("eval", "--why-not", "--format", "json", path).output, parse_float=Decimal)
    edge = next(e for e in obj["why_not"] if e["subject"] == "procurement.value_nok")
    assert edge["distance"] == Decimal("5000000.01") and edge["would_be"] is True
    assert obj["decisions"]["ica_required"]["value"] is False


def _questions_asked(output: str) -> int:
    return len(re.findall(r"^\d+\. ", output, flags=re.M))


def test_ask_stops_as_soon_as_the_decision_is_decided(tmp_path):
    out_path = tmp_path / "done.yaml"
    # One related contract in the window: 80 + 30 MNOK exceeds the threshold alone.
    result = run("ask", _case(tmp_path), "--decision", "ica_required", "--lang", "en", "-o", out_path,
                 input="1\n2023-06-01\n30000000\n")
    assert result.exit_code == 0, result.output
    assert _questions_asked(result.output) == 1
    assert re.search(r"ica_required\s+yes\s+\[R-ACCUMULATED\]", result.output)
    written = yaml.safe_load(out_path.read_text(encoding="utf-8"))
    assert written["procurement"]["related_contracts"] == [{"date": "2023-06-01", "value_nok": 30000000}]
    assert "expected_accumulated_value_nok" not in written["procurement"]  # still unknown: left out
    decided = json.loads(run("eval", "--format", "json", out_path).output)
    assert decided["decisions"]["ica_required"]["value"] is True
    assert decided["decisions"]["ica_required"]["rules"] == ["R-ACCUMULATED"]


def test_ask_asks_both_facts_when_the_first_does_not_decide(tmp_path):
    out_path = tmp_path / "done.yaml"
    result = run("ask", _case(tmp_path), "--lang", "en", "-o", out_path, input="0\n0\n")
    assert result.exit_code == 0, result.output
    assert _questions_asked(result.output) == 2
    assert re.search(r"ica_required\s+no\b", result.output)
    decided = json.loads(run("eval", "--format", "json", out_path).output)
    assert decided["decisions"]["ica_required"]["value"] is False
    assert decided["decisions"]["obligation_nok"]["value"] == 0


def test_ask_validates_answers_with_the_case_document_messages(tmp_path):
    result = run("ask", _case(tmp_path), "--lang", "en", input="0\nlots\n-5\n0\n")
    assert result.exit_code == 0, result.output
    assert 'procurement.expected_accumulated_value_nok: expected an amount in NOK, got "lots"' in result.output
    assert "procurement.expected_accumulated_value_nok: expected an amount in NOK, got \"-5\"" in result.output


def test_ask_leaves_open_what_is_not_known(tmp_path):
    result = run("ask", _case(tmp_path), "--decision", "ica_required", "--lang", "en", input="?\n?\n")
    assert result.exit_code == 1
    assert _questions_asked(result.output) == 2
    assert re.search(r"ica_required\s+open: no or yes", result.output)


def test_ask_in_norwegian_reads_ja_and_nei(tmp_path):
    text = US_80.replace("channel: direct", "channel: NSPA").replace("related_contracts: unknown", "related_contracts: []")
    text = text.replace("80000000", "150000000")
    result = run("ask", _case(tmp_path, text), "--decision", "ica_required", "--lang", "nb", input="kanskje\nnei\n")
    assert result.exit_code == 0, result.output
    assert "1. Kun for Norge?" in result.output
    assert 'expected true or false, got "kanskje"' in result.output
    assert re.search(r"ica_required\s+nei\b", result.output)


def test_foa_with_everything_else_unknown_is_decided(tmp_path):
    path = _case(tmp_path, "id: FOA-1\nprocurement:\n  regulation: FOA\n")
    obj = json.loads(run("eval", "--partial", "--format", "json", path).output)
    assert obj["decisions"]["ica_required"]["state"] == "decided"
    assert obj["decisions"]["ica_required"]["value"] is False
    assert obj["decisions"]["ica_required"]["rules"] == ["E-FOA"]
