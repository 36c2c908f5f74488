"""`icpolicy diff OLD NEW --cases PATHS`: decide past cases under both sides and count
what a change decides differently.

Each case is read and prepared (checked and converted) once and decided under both
sides, in worker processes with --jobs. What is kept does not grow with the number of
cases: counts, and the first `sample` cases decided differently (their sources only;
those few are decided again at the end for their explanations).
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass, field

from ..cases.inputs import iter_case_sources
from ..diagnostics import Diagnostic, IcpolicyError
from ..engine.parallel import ordered_map
from ..testing.witness import differences
from .common import report
from .progress import NoProgress


@dataclass
class ChangedCase:
    """One case decided differently: where it came from, both results and what differs."""

    name: str
    old: object  # Result
    new: object  # Result
    diffs: list  # (label, old Decided, new Decided), as testing.witness.differences gives


@dataclass
class Replay:
    cases: int = 0
    changed: int = 0
    errors: int = 0
    per_decision: dict = field(default_factory=dict)
    sample: list = field(default_factory=list)  # ChangedCase, at most `limit`
    limit: int = 20

    def to_json(self) -> dict:
        from ..values import json_value

        cases = []
        for c in self.sample:
            entry = {"case": c.old.case_id, "input": c.name, "old_version": c.old.to_policy_meta()["version"],
                     "new_version": c.new.to_policy_meta()["version"], "decisions": []}
            for label, da, db in c.diffs:
                top, index = decision_of(c.old, label)
                entry["decisions"].append({
                    "decision": label,
                    "old": {"value": json_value(da.value), "rules": list(da.rules),
                            "explanation": c.old.explanation(top, index)},
                    "new": {"value": json_value(db.value), "rules": list(db.rules),
                            "explanation": c.new.explanation(top, index)},
                })
            cases.append(entry)
        return {"cases": self.cases, "changed": self.changed, "errors": self.errors,
                "per_decision": self.per_decision, "shown": len(cases), "changed_cases": cases}


class ImpactReplay:
    """Decides cases under two sides (cli/diff_cmd.py's `_Side`: `.policy`, `.decide`)."""

    def __init__(self, old, new, limit: int = 20, progress: NoProgress | None = None):
        self.old, self.new, self.limit = old, new, max(limit, 0)
        self.progress = progress or NoProgress()
        # One preparation serves both sides when they read cases with the same schema.
        self.shared_schema = old.policy.case_schema is new.policy.case_schema

    def run(self, paths, jobs: int = 1) -> Replay:
        replay = Replay(limit=self.limit)
        for source, outcome in ordered_map(self.compare_one, iter_case_sources(paths), jobs):
            replay.cases += 1
            if isinstance(outcome, str):  # the case's diagnostics
                replay.errors += 1
                self.progress.clear()
                sys.stderr.write(outcome)
            elif outcome:
                replay.changed += 1
                for key in outcome:
                    replay.per_decision[key] = replay.per_decision.get(key, 0) + 1
                if len(replay.sample) < self.limit:
                    replay.sample.append(source)
            self.progress.tick()
        replay.sample = [c for c in (self.changed_case(s) for s in replay.sample) if c is not None]
        return replay

    def compare_one(self, source):
        """(source, outcome) for one case: outcome is its diagnostics (str) when it cannot
        be decided, else the decisions (top-level names) decided differently, each once;
        the source comes back only for a changed case (the main process may sample it)."""
        try:
            a, b = self.decide_both(source.load())
        except IcpolicyError as exc:
            return None, _rendered(exc.diagnostics)
        except RecursionError:
            return None, _rendered([Diagnostic("E-CASE", f"{source.name}: the document is nested too deeply")])
        changed = list(dict.fromkeys(label.split(".")[-1] for label, _, _ in differences(a, b)))
        return (source if changed else None), changed

    def decide_both(self, item):
        if item.error is not None or item.doc is None:
            raise item.error if item.error is not None else IcpolicyError([])
        case, doc = item.doc.data, item.doc
        if self.shared_schema:
            case = self.old.policy.prepare(case, doc)
        return self.old.decide(case, doc), self.new.decide(case, doc)

    def changed_case(self, source) -> ChangedCase | None:
        """A sampled case, decided again (here, not in a worker) for its full report."""
        item = source.load()
        a, b = self.decide_both(item)
        diffs = differences(a, b)
        return ChangedCase(item.name, a, b, diffs) if diffs else None


def _rendered(diagnostics) -> str:
    out = io.StringIO()
    report(diagnostics, stream=out)
    return out.getvalue()


def decision_of(result, label: str) -> tuple[str, int | None]:
    """`ica_required` -> (ica_required, None); `projects.P1.status` -> (status, P1's index)."""
    top = label.split(".")[-1]
    if not label.startswith("projects."):
        return top, None
    pid = label.split(".")[1]
    return top, next((i for i, p in enumerate(result.projects) if p.id == pid), None)
