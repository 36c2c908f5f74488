"""`icpolicy diff OLD NEW [PATH]`: what changed between two policy versions, by meaning,
with witness cases and, with --cases, the past cases a change decides differently."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..diagnostics import Diagnostic, IcpolicyError
from ..discovery import announce
from ..engine.evaluate import CompiledPolicy
from ..engine.versioned import VersionedPolicy, compile_versions
from ..i18n import language_option
from ..policy.compare import compare_models
from ..policy.gitsource import is_revision, policy_texts_at
from ..policy.versions import load_versions
from ..report.impact_doc import ImpactDocument
from ..resources import default_policy_path
from ..testing.witness import attach, find_witnesses
from ..values import dumps, show
from ..yamlsource import read_file
from .batch_options import jobs_option, quiet_option
from .common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, chosen_policy, failing_with
from .completion import complete_version_or_path
from .eval_batch import count_cases
from .impact_replay import ImpactReplay
from .progress import progress_for


@click.command("diff")
@click.argument("old", shell_complete=complete_version_or_path)
@click.argument("new", shell_complete=complete_version_or_path)
@click.argument("path", required=False, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]), default="text", show_default=True)
@click.option("--cases", "case_paths", multiple=True, type=click.Path(exists=True),
              help="Impact replay: decide these cases (files, directories, .jsonl) under both and report what changes.")
@click.option("--no-witnesses", is_flag=True, help="Do not search for witness cases.")
@click.option("--show-cases", type=int, default=20, show_default=True, metavar="N",
              help="With --cases, show the first N cases decided differently (all are counted; "
              "the JSON holds the same N).")
@jobs_option
@quiet_option
@language_option
def diff_command(old, new, path, fmt, case_paths, no_witnesses, show_cases, jobs, quiet, lang):
    """Compare two versions of a policy by meaning. OLD and NEW are each a policy
    file or directory, a version id of the policy at PATH (e.g. 2001.1), or a git
    revision of PATH (read from git without checking out), for example
    `icpolicy diff HEAD~1 HEAD policies/bif`. PATH defaults to the bundled policy.

    Reports parameters, rules, exceptions, sources and dates changed, each with
    witness cases that the two versions decide differently.

    Exit status: 0 no change of meaning, 1 changes, 2 error.
    """
    if path is None and fmt == "text":
        announce(chosen_policy(None))
    policy_at = Path(path) if path else chosen_policy(None).path
    loaded: dict = {}  # each policy loaded once, however many sides name it
    with failing_with(EXIT_USAGE):
        old_side, new_side = _side(old, policy_at, loaded), _side(new, policy_at, loaded)
        pairs = _pairs(old_side, new_side)
    bases = _bases(next((Path(x) for x in (new, old) if Path(x).is_dir()), policy_at))
    sections: list[dict[str, Any]] = []
    semantic = False
    for a, b in pairs:
        if a is None or b is None:
            semantic = True
            sections.append({"old": _label(a), "new": _label(b), "changes": [], "witnesses": 0,
                             "note": f"version {(a or b).model.version} {'added' if a is None else 'removed'}"})
            continue
        changes = compare_models(a.model, b.model)
        witnesses = [] if no_witnesses or not any(c.semantic for c in changes) else find_witnesses(a, b, bases)
        for w in witnesses:  # name each side as the user did (two git revisions share a version id)
            w.old_version, w.new_version = _side_name(old_side, a), _side_name(new_side, b)
        attach(changes, witnesses)
        semantic = semantic or any(c.semantic for c in changes)
        sections.append({"old": _side_label(old_side, a), "new": _side_label(new_side, b), "changes": changes,
                         "witnesses": len(witnesses), "_models": (a.model, b.model)})
    replay = None
    if case_paths:
        progress = progress_for(quiet, lambda: count_cases(case_paths), lang)
        try:  # each case prepared once, decided under both sides, on `jobs` workers
            replay = ImpactReplay(old_side, new_side, show_cases, progress).run(case_paths, jobs)
        finally:
            progress.close()
        semantic = semantic or replay.changed > 0
    names = (lambda r: _side_name(old_side, r.policy), lambda r: _side_name(new_side, r.policy))
    _print(fmt, sections, replay, lang, (new_side.policy, old_side.policy), names)
    return EXIT_FINDINGS if semantic else EXIT_OK


class _Side:
    """One side of the comparison: a whole policy (versions by date) or one version."""

    def __init__(self, policy: VersionedPolicy, only: CompiledPolicy | None, label: str):
        self.policy, self.only, self.label = policy, only, label

    def versions(self) -> list[CompiledPolicy]:
        return [self.only] if self.only is not None else self.policy.versions

    def decide(self, case, doc):
        if self.only is not None:
            return self.only.evaluate(case, doc=doc)
        return self.policy.evaluate(case, doc=doc)


def _compiled(versions) -> VersionedPolicy:
    return compile_versions(versions)


def _loaded(path: Path, loaded: dict) -> VersionedPolicy:
    key = str(path.resolve())
    if key not in loaded:
        loaded[key] = _compiled(load_versions(path))
    return loaded[key]


def _side(spec: str, path: Path, loaded: dict) -> _Side:
    candidate = Path(spec)
    if candidate.exists():
        policy = _loaded(candidate, loaded)
        return _Side(policy, policy.versions[0] if len(policy.versions) == 1 else None, spec)
    policy = _loaded(path, loaded)
    if any(v.model.version == spec for v in policy.versions):
        return _Side(policy, policy.version(spec), f"version {spec}")
    folder = path if path.is_dir() else path.parent
    if is_revision(spec, folder):
        texts = policy_texts_at(spec, path)
        at_rev = _compiled(load_versions(path, texts=texts))
        return _Side(at_rev, at_rev.versions[0] if len(at_rev.versions) == 1 and len(policy.versions) == 1 else None, spec)
    raise IcpolicyError(Diagnostic("E-USAGE", f"{spec!r} is neither a policy file, a version of {path}, nor a git revision"))


def _pairs(a: _Side, b: _Side):
    va, vb = a.versions(), b.versions()
    if len(va) == 1 and len(vb) == 1:
        return [(va[0], vb[0])]
    by_a = {v.model.version: v for v in va}
    by_b = {v.model.version: v for v in vb}
    out = [(by_a.get(k), by_b.get(k)) for k in list(by_a) + [k for k in by_b if k not in by_a]]
    return out


def _label(policy) -> str | None:
    return None if policy is None else f"{policy.model.id} {policy.model.version}"


def _side_label(side: _Side, policy) -> str | None:
    return None if policy is None else _side_name(side, policy)


def _side_name(side: _Side, policy) -> str:
    if side.label.startswith("version "):
        return f"{policy.model.id} {policy.model.version}"
    return f"{side.label} ({policy.model.id} {policy.model.version})"


def _bases(path: Path) -> list:
    folder = path if path.is_dir() else path.parent
    files = sorted((folder / "boundary-bases").glob("*.yaml")) or sorted((default_policy_path() / "boundary-bases").glob("*.yaml"))
    return [(f.stem, read_file(str(f)).data) for f in files]


@dataclass(frozen=True)
class _Style:
    """The prefixes of each level of the text and the markdown forms."""

    heading: str
    plain: str  # a line of its own at the section level
    item: str  # a change, a note, a count
    sub: str
    subsub: str
    markdown: bool


_TEXT = _Style(heading="", plain="  ", item="  * ", sub="      ", subsub="        ", markdown=False)
_MARKDOWN = _Style(heading="## ", plain="", item="- ", sub="  - ", subsub="    - ", markdown=True)


def _print(fmt, sections, replay, lang="en", policies=(), names=None):
    if fmt == "json":
        click.echo(dumps(_json_payload(sections, replay), indent=2))
        return
    # The changes as a document (report/diffdoc.py, issue 11); the impact replay after it.
    from ..report import diffdoc

    docs = [diffdoc.build_section(s["old"] or "(none)", s["new"] or "(none)", s["changes"],
                                  s["_models"][0], s["_models"][1], lang)
            for s in sections if "_models" in s]
    notes = [line for s in sections if "_models" not in s for line in _section_lines(s, _TEXT)]
    render = {"text": diffdoc.render_diff_text, "markdown": diffdoc.render_diff_markdown,
              "html": diffdoc.render_diff_html}[fmt]
    impact = None if replay is None else ImpactDocument(replay, list(policies), lang, names)
    if fmt == "html":  # one document: the impact is a section of it
        appendix = impact.html() if impact is not None else ""
        click.echo(diffdoc.render_diff_html(docs, lang, appendix, notes).rstrip("\n"))
        return
    lines = notes + ([render(docs, lang).rstrip("\n")] if docs else [])
    if impact is not None:
        lines.append(impact.markdown().rstrip("\n") if fmt == "markdown" else impact.text())
    click.echo("\n".join(lines))


def _json_payload(sections, replay) -> dict:
    payload = {
        "comparisons": [
            {**{k: v for k, v in s.items() if k != "changes" and not k.startswith("_")},
             "changes": [c.to_dict() for c in s["changes"]]} for s in sections
        ],
        "semantic_change": any(any(c.semantic for c in s["changes"]) or s.get("note") for s in sections),
    }
    if replay is not None:
        payload["replay"] = replay.to_json()
    return payload


def _section_lines(s: dict, style: _Style) -> list[str]:
    lines = [f"{style.heading}{s['old'] or '(none)'} -> {s['new'] or '(none)'}"]
    if s.get("note"):
        note_prefix = style.item if style.markdown else style.plain
        return lines + [f"{note_prefix}{s['note']}"]
    semantic = [c for c in s["changes"] if c.semantic]
    wording = [c for c in s["changes"] if not c.semantic]
    if not semantic:
        lines.append(f"{style.plain}No change of meaning.")
    for c in semantic:
        lines += _change_lines(c, style)
    if wording:
        lines.append(f"{style.plain}Wording only: " + ", ".join(sorted({c.name for c in wording})))
    return lines


def _change_lines(c, style: _Style) -> list[str]:
    lines = [f"{style.item}{c.text}"]
    if c.old is not None and c.new is not None and c.kind in ("rule", "decision", "exception"):
        lines.append(f"{style.sub}before: {_short(c.old)}")
        lines.append(f"{style.sub}after:  {_short(c.new)}")
    for w in c.witnesses:
        lines.append(f"{style.sub}witness ({w.origin}):")
        for label, a, b in w.differences:
            lines.append(
                f"{style.subsub}{label}: {show(a.value)} [{', '.join(a.rules) or '-'}] under {w.old_version}"
                f" -> {show(b.value)} [{', '.join(b.rules) or '-'}] under {w.new_version}"
            )
        case_text = dumps(_witness_case(w))
        lines.append(f"    - case: `{case_text}`" if style.markdown else f"        case: {case_text}")
    return lines


def _witness_case(w):
    return w.to_dict()["case"]


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= 160 else text[:157] + "..."
