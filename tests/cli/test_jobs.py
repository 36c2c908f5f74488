"""`--jobs`: cases decided in worker processes give, byte for byte, what --jobs 1 gives:
the output in input order, every bad case reported where it is, the same exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from icpolicy.cli.main import cli
from icpolicy.engine import parallel

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def mixed(tmp_path, monkeypatch):
    """Good and bad cases in one JSON Lines file, and case files beside it; chunks of
    three cases, so that the batch crosses many chunks and both workers."""
    monkeypatch.setattr(parallel, "CHUNK", 3)
    good = [line for line in (EXAMPLES / "batch.jsonl").read_text().splitlines() if line.strip()]
    bad = ['{"id": "BROKEN", "date": ', "",
           json.dumps({"id": "BAD-DATE", "date": "2026-02-30", "procurement": {"value_nok": 1},
                       "supplier": {"country": "US"}}),
           json.dumps({"id": "BAD-COUNTRY", "date": "2026-03-01", "procurement": {"value_nok": 200000000},
                       "supplier": {"country": "UK"}}),
           "[1, 2]"]
    lines = []
    for i in range(3):
        lines += good
        lines.append(bad[i % len(bad)])
        lines.append(bad[(i + 2) % len(bad)])
    lines.append(bad[4])
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [path, EXAMPLES / "11-mixed-projects.yaml", EXAMPLES / "08-foa-exception.yaml"]


@pytest.mark.parametrize("fmt", ["jsonl", "json", "text"])
def test_two_workers_write_what_one_writes(mixed, fmt):
    one = run("eval", *mixed, "--format", fmt, "--lang", "en")
    two = run("eval", *mixed, "--format", fmt, "--lang", "en", "--jobs", "2")
    assert one.exit_code == two.exit_code == 1
    assert two.stdout == one.stdout and two.stderr == one.stderr
    assert "BAD-COUNTRY" in one.stderr or "UK" in one.stderr
    assert "could not be decided" in one.stderr
    if fmt == "jsonl":
        items = [json.loads(line) for line in one.stdout.splitlines()]
        assert sum(1 for i in items if "errors" in i) == 6  # every bad case (the blank line is skipped)
        assert [i.get("input", "").rsplit(":", 1)[-1] for i in items if "errors" in i][0] == str(len(
            [line for line in (EXAMPLES / "batch.jsonl").read_text().splitlines() if line.strip()]) + 1)


def test_records_written_by_two_workers_are_those_of_one(mixed, tmp_path):
    one = run("eval", *mixed, "--format", "jsonl", "--record", tmp_path / "one.jsonl")
    two = run("eval", *mixed, "--format", "jsonl", "--record", tmp_path / "two.jsonl", "--jobs", "auto")
    assert one.exit_code == two.exit_code == 1 and one.stdout == two.stdout
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    decided = [json.loads(line) for line in one.stdout.splitlines() if '"errors"' not in line]
    records = [json.loads(line) for line in (tmp_path / "one.jsonl").read_text().splitlines()]
    assert [r["result"]["case"] for r in records] == [d["case"] for d in decided] and len(records) > 10


def test_a_record_that_cannot_be_written_fails_its_case_with_jobs_too(tmp_path, monkeypatch):
    from icpolicy.engine.records import RecordWriter

    def refuse(self, record):
        if record["result"]["case"] == "BATCH-2026-002":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(RecordWriter, "write", refuse)
    for jobs in ("1", "2"):
        result = run("eval", EXAMPLES / "batch.jsonl", "--format", "jsonl", "--record", tmp_path / "r.jsonl",
                     "--jobs", jobs)
        assert result.exit_code == 1
        items = [json.loads(line) for line in result.stdout.splitlines()]
        failed = [i for i in items if "errors" in i]
        assert [i["case"] for i in failed] == ["BATCH-2026-002"]
        assert "No space left on device" in result.stderr


@pytest.mark.parametrize("value", ["0", "-1", "many", "1.5"])
def test_a_bad_jobs_value_is_a_usage_error(value):
    result = run("eval", EXAMPLES / "batch.jsonl", "--jobs", value)
    assert result.exit_code == 2 and "--jobs" in result.stderr
