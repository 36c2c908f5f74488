"""A policy with versions in force by date: each case is decided by the version in
force on its date (or on `as_of`), or by a version named outright."""

from __future__ import annotations

import datetime as dt

from ..cases.scalars import Invalid, convert_date
from ..cases.schema import bundled_case_schema
from ..dates import parse_iso_date
from ..diagnostics import Diagnostic, IcpolicyError
from .evaluate import CompiledPolicy, PreparedCase


class VersionedPolicy:
    """All versions of one policy. `current` is the latest; the properties below that
    describe one version (model, meta, output_names, ...) are the current one's."""

    def __init__(self, compiled: list[CompiledPolicy]):
        self.versions = compiled  # sorted by effective_from
        self.current = compiled[-1]
        self.id = self.current.model.id
        self._periods = [(p.model.period[0] or dt.date.min, p.model.period[1] or dt.date.max, p) for p in compiled]
        self._by_day: dict = {}  # day -> the version in force (bounded; safe to share)
        self._by_text: dict = {}  # a valid "YYYY-MM-DD" -> the version in force (bounded)

    @property
    def model(self):
        """The current version's checked model."""
        return self.current.model

    @property
    def doc(self):
        """The current version's policy document."""
        return self.current.doc

    @property
    def meta(self) -> dict:
        """The current version's id, version and hash."""
        return self.current.meta

    @property
    def output_names(self) -> list[str]:
        """The decisions of the current version, in the policy's order."""
        return self.current.output_names

    @property
    def case_schema(self):
        return self.current.case_schema

    def normalize(self, case, doc=None, only=None) -> dict:
        """Check and convert a case document (as the current version does)."""
        return self.current.normalize(case, doc, only)

    def plan(self, names):
        """The current version's plan for `names` (raises IcpolicyError for unknown names)."""
        return self.current.plan(names)

    def version(self, version_id: str) -> CompiledPolicy:
        for policy in self.versions:
            if policy.model.version == version_id:
                return policy
        known = ", ".join(p.model.version for p in self.versions)
        raise IcpolicyError(Diagnostic("E-VERSION", f"policy {self.id} has no version {version_id!r} (versions: {known})"))

    def in_force_on(self, day: dt.date) -> CompiledPolicy:
        for start, end, policy in self._periods:
            if start <= day <= end:
                return policy
        periods = "; ".join(
            f"{p.model.version}: {p.model.effective_from or 'always'} to {p.model.effective_to or 'open'}" for p in self.versions
        )
        raise IcpolicyError(
            Diagnostic("E-VERSION", f"no version of policy {self.id} is in force on {day.isoformat()} ({periods})", field="date")
        )

    def _in_force_on_text(self, text: str) -> CompiledPolicy | None:
        """The version in force on a date written `YYYY-MM-DD`; None when the text is
        not a date or no version is in force (the slow path then says which)."""
        try:
            day = convert_date(text)
        except Invalid:
            return None
        for start, end, policy in self._periods:
            if start <= day <= end:
                if len(self._by_text) >= 4096:
                    self._by_text.clear()
                self._by_text[text] = policy
                return policy
        return None

    def select(self, case, as_of=None, version: str | None = None) -> CompiledPolicy:
        """The version that decides a case."""
        if version is not None:
            return self.version(version)
        if len(self.versions) == 1 and as_of is None:
            return self.current
        if as_of is not None:
            day = as_of if isinstance(as_of, dt.date) else parse_day(as_of, "as_of")
        else:
            raw = case.data.get("date") if isinstance(case, PreparedCase) else (case.get("date") if isinstance(case, dict) else None)
            if raw is None:
                return self.current  # its normalizer reports the missing date
            try:
                day = convert_date(raw)
            except Invalid:
                return self.current  # its normalizer reports the bad date, with the line
        return self.in_force_on(day)

    def evaluate(self, case, decisions=None, doc=None, as_of=None, version: str | None = None, partial: bool = False):
        """Decide a case under the version in force on its date (or `as_of`, or `version`).
        With `partial=True`, facts may be unknown: see icpolicy.partial."""
        if partial:
            from ..partial import evaluate_partial

            return evaluate_partial(self, case, doc, decisions, as_of, version)
        if type(case) is PreparedCase and as_of is None and version is None:
            # The common path, kept short: a prepared case's date is already a date,
            # and the version in force on a day is looked up once.
            policy = self._by_day.get(case.day)
            if policy is not None:
                key = None if decisions is None else (decisions,) if type(decisions) is str else tuple(decisions)
                decide = policy.case_level_deciders.get(key)
                return decide(case.data.copy(), True) if decide is not None else policy.evaluate(case, decisions, doc)
            day = case.day
            if type(day) is dt.date:
                for start, end, policy in self._periods:
                    if start <= day <= end:
                        if len(self._by_day) >= 4096:
                            self._by_day.clear()
                        self._by_day[day] = policy
                        return policy.evaluate(case, decisions, doc)
        if type(case) is dict and as_of is None and version is None:
            # A plain dict: the version in force is looked up by the date as written,
            # which the chosen version's converter then reads (once, in C when it can).
            raw = case.get("date")
            if type(raw) is str:
                chosen = self._by_text.get(raw) or self._in_force_on_text(raw)
                if chosen is not None:
                    return chosen.evaluate(case, decisions=decisions, doc=doc)
        if as_of is not None:
            case = _with_date(case, as_of)
        try:
            chosen = self.select(case, None, version)
        except IcpolicyError as exc:
            if doc is not None and as_of is None and version is None:
                d = exc.diagnostics[0]
                raise IcpolicyError(Diagnostic(d.code, d.message, doc.span(("date",)), field="date")) from None
            raise
        return chosen.evaluate(case, decisions=decisions, doc=doc)

    def evaluate_many(self, cases, jobs: int | str = 1, decisions=None, as_of=None, version: str | None = None,
                      explain: bool = True):
        """Decide many cases in order, on `jobs` worker processes (`auto`: one per core);
        yields each case's JSON object, or its error object (engine/batch.py)."""
        from .batch import evaluate_many

        return evaluate_many(self, cases, jobs, decisions, as_of, version, explain)

    def prepare(self, case, doc=None) -> PreparedCase:
        return self.current.prepare(case, doc)


def compile_versions(versions, case_schema=None, tracer=None) -> VersionedPolicy:
    """Compile loaded versions ((model, document) pairs) into one VersionedPolicy,
    all with the same case schema (the bundled one unless given)."""
    schema = case_schema or bundled_case_schema()
    return VersionedPolicy([CompiledPolicy(model, doc, tracer=tracer, case_schema=schema) for model, doc in versions])


def parse_day(text, what: str) -> dt.date:
    """A date given by a user (an option, an argument); a usage error otherwise."""
    try:
        return parse_iso_date(text)
    except ValueError:
        raise IcpolicyError(Diagnostic("E-USAGE", f"{what}: {text!r} is not a date YYYY-MM-DD")) from None


def _with_date(case, as_of):
    day = as_of if isinstance(as_of, dt.date) else parse_day(as_of, "as_of")
    if isinstance(case, PreparedCase):
        return PreparedCase({**case.data, "date": day}, case.doc)
    if isinstance(case, dict):
        return {**case, "date": day.isoformat()}
    return case
