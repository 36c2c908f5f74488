"""Which language to speak: `--lang`, else ICPOLICY_LANG, else the locale, else English."""

from __future__ import annotations

import os

import click

LANGUAGES = ("nb", "en")
DEFAULT_LANGUAGE = "en"

# Locale names that mean Norwegian: Bokmål (nb), the macro-language (no) and, since a
# Nynorsk reader reads Bokmål far better than English, Nynorsk (nn) too.
_NORWEGIAN = ("nb", "no", "nn")


def _from_locale_name(name: str) -> str | None:
    """'nb_NO.UTF-8' -> 'nb', 'en_GB' -> 'en'; None for C/POSIX and languages we lack."""
    code = name.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if code in _NORWEGIAN:
        return "nb"
    if code == "en":
        return "en"
    return None


def choose_language(explicit: str | None = None, environ=None) -> str:
    """The language to render in. An explicit choice must be one we have; a variable
    naming a language we lack is passed over (the next source decides)."""
    if explicit:
        lang = explicit.lower()
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {explicit!r} (one of {', '.join(LANGUAGES)})")
        return lang
    env = os.environ if environ is None else environ
    chosen = env.get("ICPOLICY_LANG")
    if chosen and _from_locale_name(chosen):
        return _from_locale_name(chosen) or DEFAULT_LANGUAGE
    # The POSIX order: LC_ALL overrides LC_MESSAGES, which overrides LANG.
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return _from_locale_name(value) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _resolve(ctx, param, value):
    try:
        lang = choose_language(value)
    except ValueError as exc:  # (click.Choice already refuses other values; kept for the env)
        raise click.BadParameter(str(exc)) from None
    # Diagnostics printed by this command (case and YAML errors) speak the same language.
    from ..diagnostics import message_language

    token = message_language.set(lang)
    if ctx is not None:  # back to what it was when the command is done (tests run many in one process)
        ctx.call_on_close(lambda: message_language.reset(token))
    return lang


def language_option(func):
    """`--lang nb|en` for every command that prints explanations."""
    return click.option(
        "--lang",
        "lang",
        type=click.Choice(LANGUAGES, case_sensitive=False),
        default=None,
        callback=_resolve,
        help="Language of the explanations and error messages: nb (Bokmål) or en. "
        "Default: ICPOLICY_LANG, then the locale (LC_ALL, LC_MESSAGES, LANG), then en.",
    )(func)
