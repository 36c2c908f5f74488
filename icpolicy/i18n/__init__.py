"""Languages: which one to speak, texts in both, and numbers and dates as people write them.

    from icpolicy.i18n import choose_language, message, show
    lang = choose_language("nb")           # --lang, else ICPOLICY_LANG, else the locale, else en
    message("decisions", lang)             # "Avgjørelser"
    show(Decimal("1E8"), MONEY, lang)      # "100 000 000 kr"
"""

from __future__ import annotations

from .catalog import message
from .formatting import show, show_date, show_number
from .language import DEFAULT_LANGUAGE, LANGUAGES, choose_language, language_option
from .texts import Text, localized

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Text",
    "choose_language",
    "language_option",
    "localized",
    "message",
    "show",
    "show_date",
    "show_number",
]
