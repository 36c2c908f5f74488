"""The bad-input corpus: one case document per failure mode, each with the error a
user must see (code, file:line:col, the field, the message) and no result.

A YAML file's first line is its expectation; a JSON file's is in `NAME.json.expect`:

    # expect: CODE LINE:COL FIELD | message (or part of it)
"""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from icpolicy import IcpolicyError
from icpolicy.cli.main import cli
from icpolicy.yamlsource import read_file

BAD_DIR = Path(__file__).parent / "bad"
BAD = sorted(p for p in BAD_DIR.iterdir() if p.suffix in (".yaml", ".json"))
BAD_JSON = [p for p in BAD if p.suffix == ".json"]
EXPECT = re.compile(r"^# expect: (E-[A-Z0-9-]+) (\d+):(\d+) (\S+) \| (.+)$")


def _expectation(path: Path):
    source = path if path.suffix == ".yaml" else path.with_name(path.name + ".expect")
    match = EXPECT.match(source.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{source.name} needs a '# expect: CODE LINE:COL FIELD | message' first line"
    code, line, col, field, message = match.groups()
    return code, int(line), int(col), None if field == "-" else field, message


def test_the_corpus_has_every_failure_mode():
    # One file per failure mode of issue 8 (and the earlier ones); none goes missing.
    names = {p.stem for p in BAD}
    assert {"country-uk", "country-trailing-newline", "week-date", "nul-character", "huge-value"} <= names
    assert len(BAD) >= 35


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_case_is_reported_precisely(bif, path):
    code, line, col, field, message = _expectation(path)
    with pytest.raises(IcpolicyError) as err:
        doc = read_file(str(path))
        bif.evaluate(doc.data, doc=doc)
    found = [
        d
        for d in err.value.diagnostics
        if d.span and (d.span.line, d.span.col) == (line, col) and d.field == field and message in d.message
    ]
    assert found, [f"{d.code} {d.headline()}" for d in err.value.diagnostics]
    assert found[0].code == code
    assert found[0].span.file == str(path)
    assert all(len(d.message) < 300 for d in err.value.diagnostics)  # no value echoed whole


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_case_on_the_command_line(path):
    code, line, col, _, message = _expectation(path)
    result = CliRunner().invoke(cli, ["eval", "--format", "json", str(path)])
    assert result.exit_code == 1
    assert f"[{code}]: {path}:{line}:{col}:" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
    assert '"decisions"' not in result.stdout  # never a partial result


@pytest.mark.parametrize("path", BAD_JSON, ids=lambda p: p.name)
def test_bad_case_in_json_lines_is_reported_on_its_line(tmp_path, path):
    """The same document as line 2 of a .jsonl file: reported at line 2, and the good
    lines around it are decided."""
    code, _, col, field, message = _expectation(path)
    good = '{"id":"G","date":"2026-03-01","procurement":{"value_nok":1},"supplier":{"country":"US"}}'
    bad = " ".join(path.read_text(encoding="utf-8").split("\n")).strip()
    cases = tmp_path / "cases.jsonl"
    cases.write_text(f"{good}\n{bad}\n{good}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--format", "jsonl", "--no-explain", "--decision", "ica_required", str(cases)])
    assert result.exit_code == 1
    assert f"[{code}]: {cases}:2:" in result.stderr and message in result.stderr
    assert result.stdout.count('"decisions"') == 2
