"""`icpolicy eval` over a batch: each case is read, decided and rendered by
`decide_one` (in a worker process with --jobs), and `write_one` writes it here,
in input order: its diagnostics to stderr, its record, its text to the output.

--jobs 1 goes through the same two steps in this process, so the output of any
--jobs is byte for byte the output of --jobs 1.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass

from ..cases.inputs import iter_case_sources
from ..diagnostics import Diagnostic, IcpolicyError
from ..engine.parallel import ordered_map
from ..engine.records import RecordWriter, make_record
from .common import report
from .eval_output import CaseOutput, TextOutput
from .progress import NoProgress


@dataclass(frozen=True)
class Options:
    decisions: list[str] | None
    as_of: str | None
    version: str | None


@dataclass
class Tally:
    decided: int = 0
    failures: int = 0


@dataclass
class CaseOutcome:
    """One case, decided and rendered: what the main process writes for it."""

    name: str
    text: str | None  # what the output writes for the case (None: nothing)
    stderr: str = ""  # its diagnostics, rendered
    decided: bool = True
    record: dict | None = None  # to write with --record
    case_id: object = None  # the result's id (names the case if its record fails)
    data_id: object = None  # the document's own `id` (what an error object names)


class EvalBatch:
    def __init__(self, policy, options: Options, output: CaseOutput, writer: RecordWriter | None,
                 progress: NoProgress | None = None):
        self.policy, self.options, self.output, self.writer = policy, options, output, writer
        self.progress = progress or NoProgress()
        self.tally = Tally()

    def run(self, paths, jobs: int = 1) -> Tally:
        for outcome in ordered_map(self.decide_one, iter_case_sources(paths), jobs):
            if type(outcome) is str:  # the common case, kept cheap to send back from a worker
                self.output.emit(outcome)
                self.tally.decided += 1
                self.progress.tick()
            else:
                self.write_one(outcome)
        return self.tally

    def decide_one(self, source) -> CaseOutcome | str:
        """Read, decide and render one case (no writing: this may run in a worker); a case
        decided with nothing more to do than writing its text is just that text."""
        item = source.load()
        result, error = decide(self.policy, item, self.options)
        data = item.doc.data if item.doc is not None else None
        data_id = data.get("id") if isinstance(data, dict) else None
        if error is not None:
            return self._failed(item.name, error, data_id)
        text = self.output.render(result)
        if self.writer is None and text is not None:
            return text
        o = self.options
        record = make_record(result, data, item.name, o.as_of, o.version, o.decisions) if self.writer else None
        return CaseOutcome(item.name, text, record=record, case_id=result.case_id, data_id=data_id)

    def _failed(self, name: str, error: IcpolicyError, data_id) -> CaseOutcome:
        partial = getattr(error, "result", None)  # what was decided all the same
        if partial is not None and isinstance(self.output, TextOutput):
            text = self.output.render(partial)
        else:
            text = self.output.render_error(error_object({"id": data_id}, name, error))
        return CaseOutcome(name, text, _rendered(error.diagnostics), decided=False, data_id=data_id)

    def write_one(self, outcome: CaseOutcome) -> None:
        if outcome.record is not None and self.writer is not None:
            error = write_record(self.writer, outcome)
            if error is not None:  # a case whose record cannot be written is not done
                outcome = self._failed(outcome.name, error, outcome.data_id)
        if outcome.stderr:
            self.progress.clear()
            sys.stderr.write(outcome.stderr)
        self.output.emit(outcome.text)
        if outcome.decided:
            self.tally.decided += 1
        else:
            self.tally.failures += 1
        self.progress.tick()


def _rendered(diagnostics) -> str:
    out = io.StringIO()
    report(diagnostics, stream=out)
    return out.getvalue()


def error_object(case, where: str, error: IcpolicyError) -> dict:
    from ..engine.batch import error_object as shared

    return shared(case, where, error)


def write_record(writer: RecordWriter, outcome: CaseOutcome) -> IcpolicyError | None:
    try:
        writer.write(outcome.record or {})
    except (OSError, UnicodeError) as exc:
        if isinstance(exc, UnicodeError):
            reason = "the case holds text that is not valid Unicode (a lone surrogate)"
        else:
            reason = exc.strerror or str(exc)
        return IcpolicyError(Diagnostic("E-IO", f"--record {writer.target}: cannot write the record of case "
                                        f"{_short_id(outcome.case_id)} ({outcome.name}): {reason}"))
    return None


def _short_id(case_id) -> str:
    text = ascii(case_id) if not isinstance(case_id, str) or not case_id.isprintable() else repr(case_id)
    return text if len(text) <= 60 else f"{text[:50]}... ({len(str(case_id))} characters)"


def decide(policy, item, options: Options):
    """(result, None) or (None, the error) for one read case."""
    if item.error is not None:
        return None, item.error
    try:
        if options.decisions or options.as_of or options.version:
            # The options narrow what is decided, never what is checked: the whole
            # document (its own date too) is checked as `validate` checks it.
            policy.prepare(item.doc.data, item.doc)
        # Then decided exactly as the API decides it, so output and records match the API's.
        result = policy.evaluate(item.doc.data, decisions=options.decisions, doc=item.doc,
                                 as_of=options.as_of, version=options.version)
        return result, None
    except IcpolicyError as exc:
        return None, exc
    except RecursionError:
        return None, IcpolicyError(Diagnostic("E-CASE", f"{item.name}: the document is nested too deeply"))


def count_cases(paths) -> int | None:
    """How many cases `paths` hold (for the progress line's total), None when unknown
    (standard input). JSON Lines are counted by their non-blank lines."""
    from ..cases.inputs import CaseInput, expand_paths

    total = 0
    for path in expand_paths(paths):
        if isinstance(path, CaseInput):
            total += 1
        elif path == "-":
            return None
        elif path.lower().endswith(".jsonl"):
            try:
                with open(path, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total
