"""Output of any string read from input never fails (issue 8): a case id holding a lone
surrogate ("\\ud800" in JSON) is written escaped, in JSON, in text and in records."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from icpolicy.values import dumps, json_string, printable

ROOT = Path(__file__).resolve().parents[2]
CASE = '{"id": "X\\ud800Y\\udfff", "date": "2026-03-01", "procurement": {"value_nok": 150000000}, "supplier": {"country": "US"}}'


def test_json_text_escapes_lone_surrogates_and_reads_back_the_same():
    text = dumps({"case": "X\ud800æ", "k\udfff": ["\ud83d"]}, indent=2)
    text.encode("utf-8")  # would raise before
    assert "\\ud800" in text and "æ" in text
    assert json.loads(text) == {"case": "X\ud800æ", "k\udfff": ["\ud83d"]}
    assert json_string("😀 ok") == '"😀 ok"'  # a real pair stays as it is
    assert printable("a\ud800b") == "a\\ud800b"


def _icpolicy(*args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "icpolicy", *args], cwd=cwd, env=env, capture_output=True)


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl"])
def test_eval_writes_a_case_id_with_a_lone_surrogate(tmp_path, fmt):
    case = tmp_path / "case.json"
    case.write_text(CASE)
    done = _icpolicy("eval", str(case), "--format", fmt, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    out = done.stdout.decode("utf-8")  # valid UTF-8 throughout
    assert "X\\ud800Y\\udfff" in out
    if fmt != "text":
        assert json.loads(out)["case"] == "X\ud800Y\udfff"


def test_records_of_such_a_case_are_written_and_replay(tmp_path):
    case = tmp_path / "case.json"
    case.write_text(CASE)
    assert _icpolicy("eval", str(case), "--record", "recs", cwd=tmp_path).returncode == 0
    done = _icpolicy("replay", "recs", cwd=tmp_path)
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    assert "1 of 1 record(s) reproduced identically" in done.stdout.decode()
