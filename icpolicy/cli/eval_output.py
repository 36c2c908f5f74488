"""Where `icpolicy eval` writes each case as it is decided: text, JSON Lines or a JSON array.

Every writer takes results and error objects one at a time and keeps none of them
(memory stays flat in the number of cases). `--format json` keeps its documented
shape: one case gives one object, several give an array; only the first item is
held until the second shows which of the two it is. The array is closed whatever
happens, so stdout is always one valid JSON document.
"""

from __future__ import annotations

from typing import IO, Protocol

from ..engine.result_json import ResultJson
from ..values import dumps
from .render_text import render_result


class CaseOutput(Protocol):
    def __init__(self, out: IO[str], explain: bool, lang: str = "en", verbose: bool = True) -> None: ...

    def result(self, result) -> None: ...

    def error(self, obj: dict) -> None: ...

    def close(self) -> None: ...


class TextOutput:
    """The readable form; cases that fail are reported on stderr only."""

    def __init__(self, out: IO[str], explain: bool, lang: str = "en", verbose: bool = True):
        self.out, self.explain, self.written = out, explain, 0
        self.lang, self.verbose = lang, verbose  # the note, or with verbose the full form

    def result(self, result) -> None:
        if self.written:
            self.out.write("\n")
        self.out.write(render_result(result, self.explain, self.lang, self.verbose) + "\n")
        self.written += 1

    def error(self, obj: dict) -> None:
        pass

    def close(self) -> None:
        pass


class JsonLinesOutput:
    """One compact object per line, results and error objects alike."""

    def __init__(self, out: IO[str], explain: bool, lang: str = "en", verbose: bool = True, refs: bool = False):
        self.out, self.explain, self.lang = out, explain, lang
        # The same bytes as dumps(result.to_dict(...)); with refs, sources cited by id.
        self._json = ResultJson(explain, lang, refs)

    def result(self, result) -> None:
        self.out.write(self._json.text(result) + "\n")

    def error(self, obj: dict) -> None:
        self.out.write(dumps(obj) + "\n")

    def close(self) -> None:
        pass


class JsonArrayOutput:
    """Indented JSON: one object for one case, else an array written item by item."""

    def __init__(self, out: IO[str], explain: bool, lang: str = "en", verbose: bool = True):
        self.out, self.explain, self.lang = out, explain, lang
        self._first: str | None = None
        self._count = 0

    def result(self, result) -> None:
        self._item(dumps(result.to_dict(self.explain, self.lang), indent=2))

    def error(self, obj: dict) -> None:
        self._item(dumps(obj, indent=2))

    def _item(self, text: str) -> None:
        self._count += 1
        if self._count == 1:
            self._first = text
            return
        if self._count == 2:
            self.out.write("[\n" + _nested(self._first or "") + ",\n")
            self._first = None
        else:
            self.out.write(",\n")
        self.out.write(_nested(text))

    def close(self) -> None:
        if self._count == 1:
            self.out.write((self._first or "") + "\n")
        elif self._count == 0:
            self.out.write("[]\n")
        else:
            self.out.write("\n]\n")


def _nested(text: str) -> str:
    # JSON escapes line breaks inside strings, so every line break here is layout.
    return "\n".join("  " + line for line in text.split("\n"))


OUTPUTS: dict[str, type[CaseOutput]] = {"text": TextOutput, "jsonl": JsonLinesOutput, "json": JsonArrayOutput}


EXPLAIN_MODES = ("full", "refs", "none")


def explain_mode_of(fmt: str, explain_mode: str | None, no_explain: bool, partial: bool = False) -> str:
    """--explain and --no-explain as one mode: full (each citation in place), refs (jsonl:
    sources cited by id, written once in records of their own) or none."""
    import click

    if no_explain and explain_mode not in (None, "none"):
        raise click.UsageError(f"--no-explain and --explain {explain_mode} contradict each other")
    mode = "none" if no_explain else explain_mode or "full"
    if mode == "refs" and (fmt != "jsonl" or partial):
        raise click.UsageError("--explain refs is for --format jsonl of decided cases "
                               "(not --partial or --why-not): the sources are records of their own")
    return mode


def make_output(fmt: str, out: IO[str], mode: str, lang: str, verbose: bool) -> CaseOutput:
    if mode == "refs":
        return JsonLinesOutput(out, True, lang, verbose, refs=True)
    return OUTPUTS[fmt](out, mode == "full", lang, verbose)
