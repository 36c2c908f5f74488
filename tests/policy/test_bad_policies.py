"""The bad-policy corpus: one small policy per failure mode, in `bad/`.

Each file says what it expects in comments:

    # expect: CODE LINE:COL      (first line: a diagnostic with this code at this place)
    # message: text              (optional, anywhere: that diagnostic's message contains it)
    # help: text                 (optional: its help contains it)
    # xfail: BUG: why            (optional: a known bug; the expectation is the right one)
    # count: N                   (optional: exactly N diagnostics in all: one per mistake)

Line and column are 1-based in the file itself, the comment lines included, and
were worked out by hand from the file text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import icpolicy
from icpolicy.cli.main import cli

BAD = Path(__file__).resolve().parent / "bad"
_EXPECT = re.compile(r"^# expect: (E-[A-Z-]+) (\d+):(\d+)\s*$")


def _expectation(path: Path) -> dict:
    lines = path.read_text(encoding="utf-8").splitlines()
    match = _EXPECT.match(lines[0])
    assert match, f"{path.name}: the first line must be '# expect: CODE LINE:COL'"
    out = {"code": match[1], "line": int(match[2]), "col": int(match[3])}
    for line in lines[1:]:
        for key in ("message", "help", "xfail", "count"):
            if line.startswith(f"# {key}: "):
                out[key] = line[len(f"# {key}: ") :]
    return out


def _cases():
    for path in sorted(BAD.glob("*.yaml")):
        expected = _expectation(path)
        marks = []
        if "xfail" in expected:
            marks.append(pytest.mark.xfail(strict=True, reason=expected["xfail"]))
        yield pytest.param(path, expected, id=path.stem, marks=marks)


def test_corpus_is_there():
    assert len(list(BAD.glob("*.yaml"))) >= 20


@pytest.mark.parametrize(("path", "expected"), list(_cases()))
def test_bad_policy_is_rejected_with_its_diagnostic(path, expected):
    with pytest.raises(icpolicy.IcpolicyError) as info:
        icpolicy.load_policy(path)
    diagnostics = info.value.diagnostics
    shown = [(d.code, d.span and (d.span.line, d.span.col), d.message, d.help) for d in diagnostics]
    for d in diagnostics:
        assert d.span is not None, f"{d.code} has no place: {d.message}"
        assert Path(d.span.file).name == path.name, d.span
    matching = [
        d
        for d in diagnostics
        if d.code == expected["code"]
        and (d.span.line, d.span.col) == (expected["line"], expected["col"])
    ]
    assert matching, (
        f"expected {expected['code']} at {expected['line']}:{expected['col']}, got {shown}"
    )
    if "message" in expected:
        assert any(expected["message"] in d.message for d in matching), shown
    if "help" in expected:
        assert any(expected["help"] in (d.help or "") for d in matching), shown
    if "count" in expected:
        assert len(diagnostics) == int(expected["count"]), shown


@pytest.mark.parametrize("path", sorted(BAD.glob("*.yaml")), ids=lambda p: p.stem)
def test_expected_place_is_inside_the_file(path):
    # Guards the corpus itself: the expected place exists in the file.
    expected = _expectation(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert 1 <= expected["line"] <= len(lines)
    assert 1 <= expected["col"] <= len(lines[expected["line"] - 1]) + 1


def _mappings():
    for path in sorted(BAD.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            continue
        if isinstance(data, dict):
            yield pytest.param(path, id=path.stem)


@pytest.mark.parametrize("path", list(_mappings()))
def test_validate_reads_each_bad_policy_as_a_policy(path):
    # `validate FILE` tells a policy from a case by its content: a policy with a misspelt
    # key (`decisons:`) is still a policy, reported with its own diagnostic, never read
    # as a case document (E-CASE).
    expected = _expectation(path)
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(path)])
    assert result.exit_code == 1, result.output
    found = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    places = [(d["code"], d.get("line"), d.get("col")) for d in found]
    assert (expected["code"], expected["line"], expected["col"]) in places, places
