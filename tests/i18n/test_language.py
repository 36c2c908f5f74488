"""Which language: --lang, else ICPOLICY_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG), else en."""

import pytest
from click.testing import CliRunner

from icpolicy.cli.main import cli
from icpolicy.i18n import choose_language, message
from icpolicy.i18n.catalog import keys, translations

FRIGATE = "examples/cases/01-us-frigate-direct.yaml"


@pytest.mark.parametrize(
    "environ, want",
    [
        ({}, "en"),
        ({"LANG": "nb_NO.UTF-8"}, "nb"),
        ({"LANG": "no_NO"}, "nb"),
        ({"LANG": "nn_NO.UTF-8"}, "nb"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "nb_NO.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_GB", "LC_MESSAGES": "nb_NO"}, "nb"),
        ({"LANG": "nb_NO", "ICPOLICY_LANG": "en"}, "en"),
        ({"LANG": "en_US", "ICPOLICY_LANG": "nb"}, "nb"),
        ({"LANG": "nb_NO", "ICPOLICY_LANG": "fr"}, "nb"),  # a language we lack is passed over
    ],
)
def test_language_from_the_environment(environ, want):
    assert choose_language(None, environ) == want


def test_an_explicit_choice_wins_and_must_be_known():
    assert choose_language("NB", {"ICPOLICY_LANG": "en"}) == "nb"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        choose_language("fr")


def test_every_message_exists_in_both_languages():
    for key in keys():
        assert set(translations(key)) == {"nb", "en"}, key
    assert message("decisions", "nb") == "Avgjørelser"


def test_cli_lang_option_and_environment():
    runner = CliRunner()
    nb = runner.invoke(cli, ["eval", FRIGATE, "--lang", "nb"], env={"ICPOLICY_LANG": "en"})
    assert nb.exit_code == 0 and nb.stdout.startswith("Sak CASE-2026-001, 2. mars 2026")
    env = runner.invoke(cli, ["eval", FRIGATE], env={"ICPOLICY_LANG": "nb"})
    assert env.stdout == nb.stdout
    en = runner.invoke(cli, ["eval", FRIGATE], env={"ICPOLICY_LANG": None, "LC_ALL": None,
                                                    "LC_MESSAGES": None, "LANG": None})
    assert en.stdout.startswith("Case CASE-2026-001, 2 March 2026")
    bad = runner.invoke(cli, ["eval", FRIGATE, "--lang", "fr"])
    assert bad.exit_code == 2 and "fr" in bad.stderr
