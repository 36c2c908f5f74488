"""YAML syntax errors in plain words, in Bokmål and English, with a likely cause.

PyYAML says what its parser expected ("mapping values are not allowed in this
context", "could not find expected ':'"); a policy owner or a case officer needs to
know what to change. `explain(exc, text)` turns a `MarkedYAMLError` into a message,
a help line and the place to point at (sometimes the start of what is broken, where
PyYAML points at the end of the file). An error we have no words for keeps PyYAML's
own, after "invalid YAML".
"""

from __future__ import annotations

from .translated import Text

_EN, _NB = "invalid YAML: ", "ugyldig YAML: "

# problem text (a prefix of PyYAML's) -> (message, help) in en and nb; {ctx} is the line
# where the broken construct starts, {char} the character found.
_WORDS: list[tuple[str, tuple[str, str], tuple[str, str]]] = [
    ("mapping values are not allowed",
     ("a ':' where a value was expected",
      "et ':' der en verdi var ventet"),
     ('if the \':\' belongs to the text, put the whole value in quotes (name: "Acme: Norway"); '
      "otherwise this line is indented deeper than the key above it",
      'hører \':\' til teksten, sett hele verdien i anførselstegn (name: "Acme: Norway"); '
      "ellers er linjen rykket lenger inn enn nøkkelen over")),
    ("did not find expected key",
     ("this line does not line up with the keys above it (the mapping starts at line {ctx})",
      "linjen står ikke på linje med nøklene over (mappingen begynner på linje {ctx})"),
     ("the keys of one mapping start in the same column; indent with spaces, the same "
      "number for each level",
      "nøklene i én mapping skal begynne i samme kolonne; rykk inn med mellomrom, like "
      "mange for hvert nivå")),
    ("could not find expected ':'",
     ("the key on line {ctx} has no ':' after it",
      "nøkkelen på linje {ctx} har ikke ':' etter seg"),
     ("write key: value, with a space after the ':'; if the line continues a text from the "
      "line above, put that text in quotes",
      "skriv nøkkel: verdi, med mellomrom etter ':'; fortsetter linjen en tekst fra linjen "
      "over, sett teksten i anførselstegn")),
    ("did not find expected '-' indicator",
     ("this line does not line up with the list above it (the list starts at line {ctx})",
      "linjen står ikke på linje med listen over (listen begynner på linje {ctx})"),
     ("each item of a list starts with '- ' in the same column, and the fields of an item "
      "line up under its first field",
      "hvert element i en liste begynner med '- ' i samme kolonne, og feltene i et element "
      "står rett under det første feltet")),
    ("found unexpected end of stream",
     ("the quoted text that starts on line {ctx} is never closed",
      "teksten i anførselstegn som begynner på linje {ctx}, avsluttes aldri"),
     ("end the text with the same quote mark it begins with",
      "avslutt teksten med samme anførselstegn som den begynner med")),
    ("found unknown escape character",
     ("an unknown escape sequence in a text in double quotes",
      "en ukjent escape-sekvens i en tekst i doble anførselstegn"),
     ("in double quotes a backslash starts an escape (\\n, \\t): write \\\\ for a backslash, "
      "or use single quotes",
      "i doble anførselstegn innleder en omvendt skråstrek en escape (\\n, \\t): skriv \\\\ "
      "for en skråstrek, eller bruk enkle anførselstegn")),
    ("did not find expected ',' or ']'",
     ("the list in brackets that starts on line {ctx} is not closed, or an item lacks its comma",
      "listen i hakeparentes som begynner på linje {ctx}, er ikke lukket, eller et element "
      "mangler komma"),
     ("close the list with ], and separate its items with commas",
      "lukk listen med ], og skill elementene med komma")),
    ("did not find expected ',' or '}'",
     ("the mapping in braces that starts on line {ctx} is not closed, or a field lacks its comma",
      "mappingen i krøllparentes som begynner på linje {ctx}, er ikke lukket, eller et felt "
      "mangler komma"),
     ("close it with }}, and separate its fields with commas",
      "lukk den med }}, og skill feltene med komma")),
    ("but found another document",
     ("the file holds more than one YAML document (separated by ---)",
      "filen inneholder mer enn ett YAML-dokument (skilt med ---)"),
     ("write one case per file; many cases go in one JSON Lines file (.jsonl)",
      "skriv én sak per fil; mange saker kan stå i én JSON Lines-fil (.jsonl)")),
    ("found undefined alias",
     ("a value cannot begin with * in YAML (it marks an alias)",
      "en verdi kan ikke begynne med * i YAML (det markerer et alias)"),
     ("put the value in quotes", "sett verdien i anførselstegn")),
    ("did not find expected alphabetic or numeric character",
     ("a value cannot begin with {char} in YAML (it marks an alias or an anchor)",
      "en verdi kan ikke begynne med {char} i YAML (det markerer et alias eller et anker)"),
     ("put the value in quotes", "sett verdien i anførselstegn")),
]

_TAB = (("a tab character: YAML indents with spaces only", "et tabulatortegn: YAML rykker inn med mellomrom"),
        ("replace the tab with spaces", "bytt tabulatoren ut med mellomrom"))
_START = (("a value cannot begin with {char} in YAML", "en verdi kan ikke begynne med {char} i YAML"),
          ('put the value in quotes: "{char}..."', 'sett verdien i anførselstegn: "{char}..."'))


def _mark_place(mark) -> tuple[int, int] | None:
    return (mark.line + 1, mark.column + 1) if mark is not None else None


def _char_at(text: str, mark) -> str:
    if mark is None or not 0 <= mark.index < len(text):
        return "?"
    return text[mark.index]


def explain(exc, text: str) -> tuple[Text, Text | None, int, int]:
    """(message, help, line, col) for a PyYAML MarkedYAMLError on `text`."""
    problem = exc.problem or exc.context or "invalid YAML"
    here = _mark_place(exc.problem_mark) or _mark_place(exc.context_mark) or (1, 1)
    context = _mark_place(exc.context_mark)
    char = _char_at(text, exc.problem_mark)
    fields = {"ctx": context[0] if context else here[0], "char": char}
    words = _words_for(problem, char)
    if words is None:
        return Text({"en": _EN + problem, "nb": _NB + problem}), None, *here
    (message_en, message_nb), (help_en, help_nb) = words
    if context and ("expected ':'" in problem or "end of stream" in problem):
        here = context  # the key without its ':', the quote never closed: point at its start
    message = Text({"en": _EN + message_en.format(**fields), "nb": _NB + message_nb.format(**fields)})
    help = Text({"en": help_en.format(**fields), "nb": help_nb.format(**fields)})
    return message, help, *here


def _words_for(problem: str, char: str):
    if "cannot start any token" in problem:
        return _TAB if char == "\t" else _START
    for start, message, help in _WORDS:
        if problem.startswith(start) or start in problem:
            return message, help
    return None
