"""Where `icpolicy eval` writes each case as it is decided: text, JSON Lines or a JSON array.

Every writer takes results and error objects one at a time and keeps none of them
(memory stays flat in the number of cases). `--format json` keeps its documented
shape: one case gives one object, several give an array; only the first item is
held until the second shows which of the two it is. The array is closed whatever
happens, so stdout is always one valid JSON document.

Each writer is split in two so that `--jobs` can spread the work: `render()` and
`render_error()` turn one case into its text and keep no state (they run in the
worker processes, on a copy of the writer), `emit()` lays the texts out in input
order (it runs in the main process and holds the layout's state).
"""

from __future__ import annotations

from typing import IO, Protocol

from ..engine.result_json import ResultJson
from ..values import dumps
from .render_text import render_result


class CaseOutput(Protocol):
    def __init__(self, out: IO[str], explain: bool, lang: str = "en", verbose: bool = True) -> None: ...

    def render(self, result) -> str | None: ...

    def render_error(self, obj: dict) -> str | None: ...

    def emit(self, text: str | None) -> None: ...

    def result(self, result) -> None: ...

    def error(self, obj: dict) -> None: ...

    def close(self) -> None: ...


class _Split:
    """`result` and `error` as render, then emit."""

    def result(self, result) -> None:
        self.emit(self.render(result))  # type: ignore[attr-defined]

    def error(self, obj: dict) -> None:
        self.emit(self.render_error(obj))  # type: ignore[attr-defined]


class TextOutput(_Split):
    """The readable form; cases that fail are reported on stderr only."""

    def __init__(self, out: IO[str], explain: bool, lang: str = "en", verbose: bool = True):
        self.out, self.explain, self.written = out, explain, 0
        self.lang, self.verbose = lang, verbose  # the note, or with verbose the full form

    def render(self, result) -> str | None:
        return render_result(result, self.explain, self.lang, self.verbose) + "\n"

    def render_error(self, obj: dict) -> str | None:
        return None

    def emit(self, text: str | None) -> None:
        if text is None:
            return
        if self.written:
            self.out.write("\n")
        self.out.write(text)
        self.written += 1

    def close(self) -> None:
        pass


class JsonLinesOutput(_Split):
    """One compact object per line, results and error objects alike."""

    def __init__(self, out: IO[str], explain: bool, lang: str = "en", verbose: bool = True, refs_of=None):
        self.out, self.explain, self.lang = out, explain, lang
        # The same bytes as dumps(result.to_dict(...)); with `refs_of` (the VersionedPolicy)
        # sources cited by id, each version's in a record before its first case.
        self._json = ResultJson(explain, lang, refs=refs_of is not None)
        self._versions = [] if refs_of is None else [(dumps(dict(v.meta)), v) for v in refs_of.versions]

    def render(self, result) -> str | None:
        return self._json.text(result) + "\n"

    def render_error(self, obj: dict) -> str | None:
        return dumps(obj) + "\n"

    def emit(self, text: str | None) -> None:
        if text is None:
            return
        if self._versions:
            self._sources_before(text)
        self.out.write(text)

    def _sources_before(self, text: str) -> None:
        # Here, in input order (not where the text was made: a worker, or a case that then
        # failed): the version is the object's "policy", the first such key (a key inside a
        # string would be escaped).
        at = text.find(',"policy":') + len(',"policy":')
        for meta, version in self._versions:
            if text.startswith(meta, at):
                record = self._json.sources_record(version)
                if record is not None:
                    self.out.write(record + "\n")
                self._versions.remove((meta, version))  # (each version once)
                return

    def close(self) -> None:
        pass


class JsonArrayOutput(_Split):
    """Indented JSON: one object for one case, else an array written item by item."""

    def __init__(self, out: IO[str], explain: bool, lang: str = "en", verbose: bool = True):
        self.out, self.explain, self.lang = out, explain, lang
        self._first: str | None = None
        self._count = 0

    def render(self, result) -> str | None:
        return dumps(result.to_dict(self.explain, self.lang), indent=2)

    def render_error(self, obj: dict) -> str | None:
        return dumps(obj, indent=2)

    def emit(self, text: str | None) -> None:
        if text is None:
            return
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


def make_output(fmt: str, out: IO[str], mode: str, lang: str, verbose: bool, policy=None) -> CaseOutput:
    """The writer for `--format` and the explain mode (refs needs the VersionedPolicy)."""
    if mode == "refs":
        return JsonLinesOutput(out, True, lang, verbose, refs_of=policy)
    return OUTPUTS[fmt](out, mode == "full", lang, verbose)
