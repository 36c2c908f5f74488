"""The bad-input corpus: one case document per failure mode, each with the error a
user must see (file:line:col, the field, the message) and no result."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from icpolicy import IcpolicyError
from icpolicy.cli.main import cli
from icpolicy.yamlsource import read_file

BAD = sorted((Path(__file__).parent / "bad").glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+):(\d+) (\S+) \| (.+)$")


def _expectation(path: Path):
    match = EXPECT.match(path.read_text().splitlines()[0])
    assert match, f"{path.name} needs a '# expect: LINE:COL FIELD | message' first line"
    line, col, field, message = match.groups()
    return int(line), int(col), None if field == "-" else field, message


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_case_is_reported_precisely(bif, path):
    line, col, field, message = _expectation(path)
    with pytest.raises(IcpolicyError) as err:
        doc = read_file(str(path))
        bif.evaluate(doc.data, doc=doc)
    found = [
        d
        for d in err.value.diagnostics
        if d.span and (d.span.line, d.span.col) == (line, col) and d.field == field and message in d.message
    ]
    assert found, [d.headline() for d in err.value.diagnostics]
    assert found[0].span.file == str(path)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_case_on_the_command_line(path):
    line, col, _, message = _expectation(path)
    result = CliRunner().invoke(cli, ["eval", "--format", "json", str(path)])
    assert result.exit_code == 1
    assert f"{path}:{line}:{col}:" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
    assert '"decisions"' not in result.stdout  # never a partial result
