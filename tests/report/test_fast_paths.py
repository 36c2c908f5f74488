"""The fast paths of text output give what the plain ones give: `fill` is textwrap's
greedy fill for single-spaced text, cached wrapping and number formatting return what
they return uncached, and a template's precompiled formatter is `show`."""

import datetime as dt
import textwrap
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from icpolicy.i18n import formatting as F
from icpolicy.lang import types as T
from icpolicy.report import text as note_text

_WORD = st.text(st.characters(min_codepoint=33, max_codepoint=0x2FF), min_size=1, max_size=14)
_TEXT = st.lists(_WORD | st.sampled_from(["100", "000", "NOK", "%", "[1]", "mars", "2026", "1.", "«sitat»"]),
                 min_size=1, max_size=40).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(text=_TEXT, width=st.integers(1, 120), indent=st.sampled_from(["", "  ", "  [12] "]),
       later=st.sampled_from([None, "", "       "]))
def test_fill_is_textwraps_greedy_fill(text, width, indent, later):
    assume(note_text._single_spaced(text))  # what wrap gives fill (no-break spaces go to textwrap)
    expected = textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent if later is None else later,
                             break_long_words=False, break_on_hyphens=False)
    assert note_text.fill(text.split(" "), width, indent, indent if later is None else later) == expected


def _reference_wrap(text, width, indent="", later=None):
    protected = note_text._GROUP_SPACE.sub("\x00", text)
    lines = textwrap.wrap(protected, width, initial_indent=indent, subsequent_indent=indent if later is None else later,
                          break_long_words=False, break_on_hyphens=False)
    return [line.replace("\x00", " ") for line in lines]


@settings(max_examples=300, deadline=None)
@given(text=_TEXT | st.text(max_size=200), width=st.integers(1, 120), indent=st.sampled_from(["", "  [3] "]))
def test_wrap_is_the_plain_wrap_the_first_time_and_from_the_cache(text, width, indent):
    expected = _reference_wrap(text, width, indent)
    assert note_text.wrap(text, width, indent) == expected
    assert note_text.wrap(text, width, indent) == expected  # cached now


def test_wrap_keeps_amounts_and_odd_spacing_as_textwrap_does():
    text = "Kontrakten er på 100 000 000 NOK [1], og  ratio 85 %\tover\n1. mars 2026 ."
    for width in (10, 20, 40, 100):
        assert note_text.wrap(text, width) == _reference_wrap(text, width)


_DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=None) | st.builds(
    lambda digits, exp: Decimal(digits).scaleb(exp), st.integers(-10**20, 10**20), st.integers(-30, 30))


@settings(max_examples=300, deadline=None)
@given(values=st.lists(_DECIMALS, min_size=1, max_size=5), lang=st.sampled_from(["nb", "en"]), grouped=st.booleans())
def test_cached_numbers_are_the_plain_ones_for_equal_decimals_too(values, lang, grouped):
    # 1.50 and 1.5 share a cache entry: they must show the same, as the plain path shows them.
    for value in values + [v.quantize(Decimal(1)) if v.adjusted() < 20 else v for v in values] + values:
        assert F.show_number(value, lang, grouped) == F._number(value, lang, grouped)


@settings(max_examples=200, deadline=None)
@given(value=_DECIMALS | st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.dates(),
       typ=st.sampled_from([T.MONEY, T.SHARE, T.NUMBER, T.Optional(T.MONEY), T.Optional(T.SHARE), None]),
       lang=st.sampled_from(["nb", "en"]))
def test_a_templates_formatter_is_show(value, typ, lang):
    assert F.shower(typ, lang)(value) == F.show(value, typ, lang)


def test_dates_from_the_cache_and_datetimes_as_before():
    day = dt.date(2026, 3, 1)
    assert F.show_date(day, "nb") == F.show_date(day, "nb") == "1. mars 2026"
    moment = dt.datetime(2026, 3, 1, 12, 0)
    assert F.show_date(moment, "en") == F.format_date(moment, format="long", locale=F._locale("en"))


_SPACED = st.lists(st.sampled_from(["1", "12", "100", "000", "2026", "NOK", "%", "[1]", "mars", "1.", "10.", "a", "Æ",
                                    "x1", " ", "  ", "\t", "NOKS", "5"]), max_size=30).map(" ".join)


@settings(max_examples=500, deadline=None)
@given(text=_SPACED | st.text(st.sampled_from("0123456789 N O K % [ . a æ \t"), max_size=60))
def test_the_protected_spaces_are_found_as_the_plain_pattern_finds_them(text):
    import re

    plain = re.compile(note_text._GROUP_SPACE_PLAIN)
    assert note_text._GROUP_SPACE.sub("\x00", text) == plain.sub("\x00", text)


@settings(max_examples=300, deadline=None)
@given(text=_SPACED)
def test_the_full_forms_protected_spaces_are_the_plain_patterns(text):
    import re

    from icpolicy.cli import render_text

    assert render_text._GROUP_SPACE.sub("\x00", text) == re.compile(render_text._GROUP_SPACE_PLAIN).sub("\x00", text)
