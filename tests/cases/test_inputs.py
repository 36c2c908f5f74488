"""Reading case inputs: what is not a regular file, size limits, directories that cannot
be read or hold no cases, file names in any case, and JSON Lines from a file or stdin."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from icpolicy.cases import inputs
from icpolicy.cases.inputs import iter_case_documents
from icpolicy.cli.main import cli
from icpolicy.sourcefile import MAX_DOCUMENT_BYTES

ROOT = Path(__file__).resolve().parents[2]
GOOD = '{"id":"%s","date":"2026-03-01","procurement":{"value_nok":150000000},"supplier":{"country":"US"}}'


def _icpolicy(*args, stdin=None, timeout=60):
    """The command in a process of its own: a hang fails the test instead of stalling it."""
    return subprocess.run(
        [sys.executable, "-m", "icpolicy", *args],
        cwd=ROOT, stdin=stdin if stdin is not None else subprocess.DEVNULL,
        capture_output=True, text=True, timeout=timeout,
    )


def _codes(items):
    return [(item.name, item.error.diagnostics[0].code if item.error else None) for item in items]


# -- what is not a regular file --------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_with_no_writer_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    done = _icpolicy("eval", str(fifo), timeout=30)
    assert done.returncode == 1
    assert "is a FIFO (named pipe), not a regular file" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_a_device_is_refused():
    [item] = iter_case_documents(["/dev/zero"])
    assert item.error.diagnostics[0].code == "E-IO"
    assert "is a device, not a regular file" in item.error.diagnostics[0].message


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_dev_zero_on_stdin_stops_at_the_size_limit():
    with open("/dev/zero", "rb") as zero:
        done = _icpolicy("eval", "-", stdin=zero)
    assert done.returncode == 1
    assert "<stdin>:1:1: larger than 64 MiB, the limit of one document" in done.stderr


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:  # sparse: costs no disk
        fh.truncate(MAX_DOCUMENT_BYTES + 1)
    [item] = iter_case_documents([str(big)])
    assert item.error.diagnostics[0].message == "larger than 64 MiB, the limit of one document"


def test_a_file_at_the_size_limit_is_read(tmp_path):
    text = "id: S\n" + "#" * (MAX_DOCUMENT_BYTES - 7) + "\n"
    path = tmp_path / "limit.yaml"
    path.write_text(text)
    assert path.stat().st_size == MAX_DOCUMENT_BYTES
    [item] = iter_case_documents([str(path)])
    assert item.error is None and item.doc.data == {"id": "S"}


# -- directories -------------------------------------------------------------------------

def test_an_unreadable_directory_is_reported(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text("id: A\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    # As if it were mode 000 for another user (the tests may run as root).
    for name in ("scandir", "listdir"):
        real = getattr(os, name)

        def refuse(path=".", real=real):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied")
            return real(path)

        monkeypatch.setattr(inputs.os, name, refuse)
    found = _codes(iter_case_documents([str(tmp_path)]))
    assert found == [(str(tmp_path / "a.yaml"), None), (str(locked), "E-IO")]
    result = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 1 and "cannot read the directory: Permission denied" in result.stderr


@pytest.mark.parametrize("command", ["eval", "validate"])
def test_an_empty_directory_is_a_finding(tmp_path, command):
    (tmp_path / "notes.txt").write_text("not a case")
    result = CliRunner().invoke(cli, [command, str(tmp_path)])
    assert result.exit_code == 1
    assert f"no case documents found in {tmp_path} (read: *.yaml, *.yml, *.json, *.jsonl)" in result.stderr


def test_suffixes_match_whatever_their_case(tmp_path):
    for name in ("A.YAML", "b.Yml", "C.JSON"):
        (tmp_path / name).write_text(GOOD % name)
    (tmp_path / "D.JSONL").write_text(GOOD % "D1" + "\n" + GOOD % "D2" + "\n")
    (tmp_path / ".hidden.yaml").write_text("id: hidden\n")
    items = list(iter_case_documents([str(tmp_path)]))
    assert [item.doc.data["id"] for item in items] == ["A.YAML", "C.JSON", "D1", "D2", "b.Yml"]
    result = CliRunner().invoke(cli, ["eval", "--format", "jsonl", "--no-explain", str(tmp_path)])
    assert result.exit_code == 0 and result.stdout.count('"decisions"') == 4 + 1


def test_directories_are_read_in_sorted_order_recursively(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.yaml").write_text("id: bx\n")
    (tmp_path / "a.yaml").write_text("id: a\n")
    (tmp_path / "c.yaml").write_text("id: c\n")
    assert [i.doc.data["id"] for i in iter_case_documents([str(tmp_path)])] == ["a", "bx", "c"]


# -- JSON Lines ----------------------------------------------------------------------------

def _jsonl(*lines: str) -> str:
    return "".join(line + "\n" for line in lines)


def test_a_bad_line_is_reported_at_its_own_number(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text(_jsonl(GOOD % 1, GOOD % 2, GOOD % 3, '{"id":"4","date":', GOOD % 5))
    items = list(iter_case_documents([str(path)]))
    assert [i.name for i in items] == [f"{path}:{n}" for n in (1, 2, 3, 4, 5)]
    bad = items[3].error.diagnostics[0]
    assert (bad.code, bad.span.line) == ("E-JSON-SYNTAX", 4)


def test_a_one_line_file_reports_line_one(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text('{"id": "x",\n')
    [item] = iter_case_documents([str(path)])
    assert item.error.diagnostics[0].span.line == 1


def test_jsonl_on_stdin_is_read_line_by_line_like_a_file(tmp_path):
    text = _jsonl(GOOD % 1, "", GOOD % 2, '{"id":"3","date":', GOOD % 4)
    path = tmp_path / "cases.jsonl"
    path.write_text(text)
    from_file = [(i.name.rsplit(":", 1)[1], i.error is None) for i in iter_case_documents([str(path)])]
    from_stdin = [(i.name.rsplit(":", 1)[1], i.error is None)
                  for i in iter_case_documents(["-"], io.BytesIO(text.encode()))]
    assert from_file == from_stdin == [("1", True), ("3", True), ("4", False), ("5", True)]


def test_a_truncated_first_line_on_stdin_does_not_lose_the_others():
    text = _jsonl('{"id":"1","date":', GOOD % 2, GOOD % 3)
    items = list(iter_case_documents(["-"], io.BytesIO(text.encode())))
    assert [(i.name, i.error is None) for i in items] == [("<stdin>:1", False), ("<stdin>:2", True), ("<stdin>:3", True)]


def test_a_line_that_is_not_utf8_is_reported_and_the_others_read(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_bytes((GOOD % 1).encode() + b"\n" + b'{"id": "\xff"}\n' + (GOOD % 3).encode() + b"\r\n")
    items = list(iter_case_documents([str(path)]))
    assert [i.error is None for i in items] == [True, False, True]
    assert items[1].error.diagnostics[0].span.line == 2


def test_pretty_json_and_yaml_on_stdin_are_one_document():
    pretty = '{\n  "id": "P",\n  "date": "2026-03-01"\n}\n'
    [item] = iter_case_documents(["-"], io.BytesIO(pretty.encode()))
    assert item.name == "<stdin>" and item.doc.data["id"] == "P"
    [item] = iter_case_documents(["-"], io.BytesIO(b"id: Y\ndate: 2026-03-01\n"))
    assert item.doc.data == {"id": "Y", "date": "2026-03-01"}


@pytest.mark.parametrize("text", ["", "\n\n"])
def test_empty_inputs_hold_no_case_documents(tmp_path, text):
    path = tmp_path / "empty.jsonl"
    path.write_text(text)
    [item] = iter_case_documents([str(path)])
    assert item.error.diagnostics[0].code == "E-EMPTY"
    [item] = iter_case_documents(["-"], io.BytesIO(text.encode()))
    assert item.error.diagnostics[0].code == "E-EMPTY"
