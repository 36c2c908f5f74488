"""Deciding request documents with the loaded policy: the same calls as `icpolicy eval`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..diagnostics import Diagnostic, IcpolicyError
from ..yamlsource import Document


@dataclass(frozen=True)
class Options:
    """What a request asks for (query parameters), already checked."""

    decisions: tuple[str, ...] | None = None
    as_of: dt.date | None = None
    version: str | None = None
    explain: bool = True
    lang: str | None = None
    partial: bool = False  # facts may be unknown: the answer says what is decided and what to ask


def check_options(policy, query) -> Options:
    """Query parameters -> Options; IcpolicyError (a 400) naming the bad parameter."""
    from ..engine.versioned import parse_day

    unknown = sorted(set(query.keys()) - {"decision", "as_of", "version", "explain", "lang", "partial"})
    if unknown:
        raise IcpolicyError(Diagnostic("E-USAGE", f"unknown query parameter {unknown[0]!r}",
                                       help="known: decision, as_of, version, explain, lang, partial"))
    decisions = tuple(query.getlist("decision")) or None
    as_of = parse_day(query["as_of"], "as_of") if "as_of" in query else None
    version = query.get("version")
    if version is not None:
        policy.version(version)
    explain = _flag(query.get("explain", "true"), "explain")
    lang = query.get("lang")
    if lang is not None and lang not in ("nb", "en"):
        raise IcpolicyError(Diagnostic("E-USAGE", f"lang: {lang!r} is not a language of the policy (nb, en)"))
    if decisions:
        for chosen in policy.versions if version is None else [policy.version(version)]:
            chosen.plan(list(decisions))
    partial = _flag(query.get("partial", "false"), "partial")
    return Options(decisions, as_of, version, explain, lang, partial)


def _flag(text: str, name: str) -> bool:
    if text.lower() in ("true", "1", "yes"):
        return True
    if text.lower() in ("false", "0", "no"):
        return False
    raise IcpolicyError(Diagnostic("E-USAGE", f"{name}: {text!r} is not true or false"))


def decide(policy, doc: Document, options: Options):
    """The result of one case document; IcpolicyError with every problem found."""
    wanted = list(options.decisions) if options.decisions else None
    try:
        if options.partial:
            return policy.evaluate(doc.data, decisions=wanted, doc=doc, as_of=options.as_of, version=options.version,
                                   partial=True)
        if wanted:
            # As in `eval`: every problem of the document is reported, not only those
            # of the fields the asked decisions read.
            prepared = policy.prepare(doc.data, doc)
            return policy.evaluate(prepared, decisions=wanted, as_of=options.as_of, version=options.version)
        return policy.evaluate(doc.data, doc=doc, as_of=options.as_of, version=options.version)
    except RecursionError:
        raise IcpolicyError(Diagnostic("E-CASE", "the document is nested too deeply")) from None


def error_object(doc: Document | None, where: str, error: IcpolicyError) -> dict:
    """The object that stands for a case that could not be decided (as `eval` writes it)."""
    from ..engine.batch import error_object as case_error_object

    return case_error_object(doc.data if doc is not None else None, where, error)
