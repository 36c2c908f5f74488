"""The one date reader: `YYYY-MM-DD` exactly, on every Python version, in every reader."""

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from icpolicy.cli.main import cli
from icpolicy.dates import DateError, parse_iso_date

ROOT = Path(__file__).resolve().parents[2]
# What Python 3.11+'s date.fromisoformat also accepts, and other near misses.
NOT_DATES = ["2026-W10-1", "2026W101", "20260301", "2026-03-01T00:00", "2026-03-01 ", " 2026-03-01",
             "2026-03-01\n", "２０２６-03-01", "2026-0３-01", "+2026-03-01", "2026-060", "2026-3-1",
             "26-03-01", "2026/03/01", "", "2026-03-01Z"]


@pytest.mark.parametrize("text", NOT_DATES)
def test_only_yyyy_mm_dd_is_a_date(text):
    with pytest.raises(DateError) as err:
        parse_iso_date(text)
    assert not err.value.no_such_day


@pytest.mark.parametrize("text", ["2023-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "0000-01-01"])
def test_a_day_not_in_the_calendar_says_so(text):
    with pytest.raises(DateError) as err:
        parse_iso_date(text)
    assert err.value.no_such_day


@settings(max_examples=300, deadline=None)
@given(st.dates())
def test_every_calendar_day_reads_back(day):
    assert parse_iso_date(day.isoformat()) == day


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789-W:T +１", max_size=12))
def test_anything_read_is_exactly_its_own_iso_form(text):
    try:
        day = parse_iso_date(text)
    except DateError:
        return
    assert day.isoformat() == text


def test_as_of_takes_only_yyyy_mm_dd():
    case = str(ROOT / "examples" / "cases" / sorted(p.name for p in (ROOT / "examples" / "cases").glob("*.yaml"))[0])
    result = CliRunner().invoke(cli, ["eval", "--as-of", "2026-W10-1", case])
    assert result.exit_code == 2
    assert "is not a date YYYY-MM-DD" in result.stderr


def test_no_reader_calls_fromisoformat_or_strptime():
    # Every date from outside goes through icpolicy.dates (fromisoformat grew extras in 3.11).
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in (ROOT / "icpolicy").rglob("*.py")
        if path.name != "dates.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"fromisoformat\(|strptime\(", line)
    ]
    assert found == []


def test_a_date_literal_in_an_expression_is_strict():
    from icpolicy.lang.parser import parse_date

    assert parse_date("2026-03-01") == dt.date(2026, 3, 1)
    with pytest.raises(ValueError):
        parse_date("2026-W10-1")
