"""Amounts and shares written as people write them, read exactly.

An amount may be written as the machine form (`150000000`, `150000000.5`), with its
digits grouped by spaces as icpolicy prints it (`150 000 000`, `150 000 000 NOK`,
with a no-break space too, as copied from a report), or in millions (`150 MNOK`,
`1,5 MNOK`). A comma is a decimal mark only where it cannot be a thousands separator:
`150,000,000` and `150,000` are refused with a hint (they mean one thing in English and
another in Norwegian), while `100 000 000,5 NOK` (what `--lang nb` prints) reads back.

A share is `0.85`, `0,85`, `85 %` or `85,5 %`.

`MONEY_PATTERN` and `SHARE_PATTERN` are the same grammar as JSON Schema patterns: the
case schema carries them, so an editor and any validator agree with the reader.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..lang.runtime import EXACT
from .messages import say

_SPACE = "[ \\u00a0\\u202f]"  # a space, a no-break space, a narrow no-break space
MONEY_PATTERN = (
    "^(?:[0-9]{1,16}(?:\\.[0-9]+|,(?:[0-9]{1,2}|[0-9]{4,}))?"
    f"|[0-9]{{1,3}}(?:{_SPACE}[0-9]{{3}}){{1,5}}(?:[.,][0-9]+)?)"
    f"(?:{_SPACE}?M?NOK)?$"
)
SHARE_PATTERN = f"^(?:0(?:[.,][0-9]+)?|1(?:[.,]0+)?|[0-9]+(?:[.,][0-9]+)?{_SPACE}?%)$"

_MONEY = re.compile(MONEY_PATTERN.replace("$", r"\Z"), re.ASCII)
_SEPARATORS = re.compile("[ \u00a0\u202f]")
_AMBIGUOUS = re.compile(r"([0-9]{1,3})((?:([,.])[0-9]{3})(?:\3[0-9]{3})*)([ \u00a0\u202f]?M?NOK)?", re.ASCII)


def read_amount(text: str) -> Decimal | None:
    """The exact amount `text` names, or None when it is not an amount as above."""
    if _MONEY.match(text) is None:
        return None
    millions = text.endswith("MNOK")
    number = text[: -4 if millions else -3] if text.endswith("NOK") else text
    number = _SEPARATORS.sub("", number).replace(",", ".")
    value = Decimal(number)
    return value.scaleb(6, EXACT) if millions else value


def separator_hint(text: str) -> str | None:
    """What to write instead of `150,000,000` or `150.000.000`, if that is what it is."""
    found = _AMBIGUOUS.fullmatch(text)
    if found is None or (found.group(3) == "." and found.group(2).count(".") == 1 and not found.group(4)):
        return None  # `150.000` is a decimal number (150), already read as one
    digits = found.group(1) + found.group(2).replace(found.group(3), "")
    unit = "MNOK" if (found.group(4) or "").endswith("MNOK") else "NOK"
    grouped = " ".join(_groups(digits))
    plain = digits if unit == "NOK" else f'"{digits} MNOK"'
    return say("money_separators", plain=plain, grouped=f"{grouped} {unit}")


def _groups(digits: str) -> list[str]:
    head = len(digits) % 3 or 3
    return [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]


def share_hint(number: Decimal) -> str | None:
    """`85` in a share field was meant as 85 %: say how to write it."""
    if not (1 < number <= 100):
        return None
    share = format(EXACT.divide(number, Decimal(100)).normalize(EXACT), "f")
    percent = format(number.normalize(EXACT), "f")
    return say("share_as_percent", share=share, percent=percent)
