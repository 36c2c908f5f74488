"""Numbers and dates as people write them; the digits stay exact."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from icpolicy.i18n import show
from icpolicy.lang import types as T
from icpolicy.lang.ast import Duration


def test_money_shares_dates_per_language():
    assert show(Decimal("100000000"), T.MONEY, "nb") == "100 000 000 NOK"
    assert show(Decimal("100000000.01"), T.MONEY, "nb") == "100 000 000,01 NOK"
    assert show(Decimal("100000000.01"), T.MONEY, "en") == "100 000 000.01 NOK"
    assert show(Decimal("0.85"), T.SHARE, "nb") == "85 %"
    assert show(Decimal("0.125"), T.SHARE, "nb") == "12,5 %"
    assert show(Decimal("0.125"), T.SHARE, "en") == "12.5 %"
    assert show(dt.date(2026, 3, 1), None, "nb") == "1. mars 2026"
    assert show(dt.date(2026, 3, 1), None, "en") == "1 March 2026"
    assert show(True, None, "nb") == "ja" and show(False, None, "en") == "no"
    assert show(Duration(years=5), None, "nb") == "5 år"
    assert show(Duration(years=1, days=2), None, "en") == "1 year 2 days"
    assert show(Decimal("2"), T.NUMBER, "nb") == "2"


def _read_back(text: str, lang: str) -> Decimal:
    digits = text.removesuffix(" NOK").replace(" ", "")
    return Decimal(digits.replace(",", ".") if lang == "nb" else digits)


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**15, max_value=10**15),
       st.sampled_from(["nb", "en"]))
def test_money_reads_back_exactly(value, lang):
    text = show(value, T.MONEY, lang)
    assert _read_back(text, lang) == value
    assert "," not in text or lang == "nb"  # never a thousands comma: the form reads back


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=0, max_value=1),
       st.sampled_from(["nb", "en"]))
def test_shares_read_back_exactly(value, lang):
    text = show(value, T.SHARE, lang)
    assert text.endswith(" %")
    assert _read_back(text[:-2], lang) / 100 == value
