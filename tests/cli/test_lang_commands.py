"""`--lang nb|en` on show, boundaries, replay and test (issue 11): the same facts, in
the reader's language; English stays as it was."""

from __future__ import annotations

from click.testing import CliRunner

from icpolicy.cli.main import cli

CASE = "examples/cases/01-us-frigate-direct.yaml"


def _run(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_show_speaks_norwegian():
    nb = _run("show", "--lang", "nb").stdout
    en = _run("show", "--lang", "en").stdout
    assert "Regelverk bif, versjon 2026.1" in nb and "Parametere:" in nb and "Avgjørelser:" in nb
    assert "Anskaffelser (eller akkumulerte anskaffelser) over denne verdien krever" in nb
    assert "Policy bif, version 2026.1" in en and "Parameters:" in en
    assert "krever" not in en


def test_boundaries_table_in_norwegian_has_norwegian_numbers_and_dates():
    nb = _run("boundaries", "--lang", "nb", "--policy-version", "2001.1").stdout
    en = _run("boundaries", "--lang", "en", "--policy-version", "2001.1").stdout
    assert nb.splitlines()[0].split()[:3] == ["versjon", "grunnsak", "grense"]
    assert "49 999 999,99 NOK" in nb and "1. mai 2004" in nb
    assert "49 999 999.99 NOK" in en and "2004-05-01" in en


def test_replay_speaks_norwegian(tmp_path):
    record = tmp_path / "records.jsonl"
    assert _run("eval", CASE, "--record", str(record)).exit_code == 0
    nb = _run("replay", str(record), "--lang", "nb")
    assert nb.exit_code == 0
    assert nb.stdout.startswith("identisk") and "1 av 1 beslutning(er) gjenskapt identisk" in nb.stdout
    en = _run("replay", str(record), "--lang", "en")
    assert "1 of 1 record(s) reproduced identically" in en.stdout


def test_test_reports_a_cases_error_in_norwegian(tmp_path):
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "t.yaml").write_text(
        "tests:\n  - name: bad share\n    case:\n      id: T\n      date: 2026-03-01\n"
        "      procurement: {value_nok: 150000000}\n      supplier: {country: UK}\n"
        "    expect: {ica_required: true}\n", encoding="utf-8")
    nb = _run("test", str(tests), "--lang", "nb")
    en = _run("test", str(tests), "--lang", "en")
    assert nb.exit_code == en.exit_code == 1
    assert "mente du GB?" in nb.output and "did you mean GB?" in en.output
