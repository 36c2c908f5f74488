"""The one reader of calendar dates written by people: `YYYY-MM-DD`, exactly.

Every date that comes from outside (a case's `date`, a contract's date, `--as-of`,
a policy's `effective_from`, a date literal in an expression, a test file) is read
here. Python's `date.fromisoformat` accepts more since 3.11 (`2026-W10-1`,
`20260301`, `2026-03-01T00:00`), so the shape is checked first, on every version.
"""

from __future__ import annotations

import datetime as dt
import re

_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


class DateError(ValueError):
    """Not a date `YYYY-MM-DD`, or (`no_such_day`) written so but not a calendar day."""

    def __init__(self, message: str, no_such_day: bool = False):
        super().__init__(message)
        self.no_such_day = no_such_day


def parse_iso_date(text: object) -> dt.date:
    """The day `text` names; DateError unless it is exactly `YYYY-MM-DD` and a real day."""
    if type(text) is dt.date:
        return text
    if not isinstance(text, str) or not _SHAPE.fullmatch(text):
        raise DateError("not a date YYYY-MM-DD")
    year, month, day = int(text[:4]), int(text[5:7]), int(text[8:])
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateError(f"{text} is not a day of the calendar", no_such_day=True) from None


def is_iso_date(text: object) -> bool:
    try:
        parse_iso_date(text)
    except DateError:
        return False
    return True
