"""`icpolicy replay`: decide recorded cases again and check the results are identical."""

from __future__ import annotations

from pathlib import Path

import click

from ..dates import parse_iso_date
from ..diagnostics import IcpolicyError
from ..engine.records import changed_files, read_records, result_differences, verify_record
from ..engine.versioned import compile_versions
from ..i18n import language_option, localized
from ..policy.gitsource import file_at, repository_top
from ..policy.versions import load_versions
from ..translated import Text
from ..values import dumps
from .common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, failing_with, report


@click.command("replay")
@click.argument("records", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--at-recorded-commit", is_flag=True,
              help="Inside git, decide with the policy files of the commit each record names.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--verify-chain", is_flag=True,
              help="First check that each directory's decision log (written by `icpolicy serve --records`) "
                   "is whole: no record removed or edited.")
@language_option
def replay_command(records, at_recorded_commit, fmt, verify_chain, lang):
    """Re-decide each recorded case (records written by `icpolicy eval --record`) and
    report whether the result is identical, byte for byte. If the policy files no
    longer match their recorded hashes, says which; with --at-recorded-commit the
    case is decided with the files as they were at the recorded git commit.

    Exit status: 0 all identical, 1 some differ (or cannot be replayed), 2 usage error.
    """
    broken_chain = _verify_chains(records) if verify_chain else False
    with failing_with(EXIT_USAGE):
        loaded = read_records(records)
    outcomes = []
    policies: dict = {}
    for where, record in loaded:
        outcomes.append(_replay_one(where, record, at_recorded_commit, policies))
    same = sum(1 for o in outcomes if o["identical"])
    if fmt == "json":
        click.echo(dumps({"identical": same, "different": len(outcomes) - same, "records": outcomes}, indent=2))
    else:
        _print_outcomes(outcomes, same, _WORDS[lang], lang)
    return EXIT_OK if same == len(outcomes) and not broken_chain else EXIT_FINDINGS


def _verify_chains(paths) -> bool:
    """Report every break in the decision logs among `paths`; True when there is one."""
    from ..engine.decision_log import verify_chain

    broken = False
    for raw in paths:
        if not Path(raw).is_dir():
            raise click.BadParameter(f"{raw}: --verify-chain checks a directory of records", param_hint="RECORDS")
        findings = verify_chain(raw)
        report(findings)
        click.echo(f"chain of {raw}: {'BROKEN' if findings else 'whole'}", err=True)
        broken = broken or bool(findings)
    return broken


def _policy_for(record: dict, at_commit: bool, cache: dict):
    files = record["policy"]["files"]
    commit = record["policy"].get("git_commit")
    relative = [f["path"] for f in files if not Path(f["path"]).is_absolute()]
    top = None
    if relative:
        # Relative paths: in the repository here, else in the one the record was made in.
        try:
            top = repository_top(Path.cwd())
        except IcpolicyError:
            top = None
        recorded = record["policy"].get("repository")
        if (top is None or not (top / relative[0]).exists()) and recorded and (Path(recorded) / relative[0]).exists():
            top = Path(recorded)
    base = top or Path.cwd()
    key = (tuple(f["path"] for f in files), commit if at_commit else None)
    if key in cache:
        return cache[key], changed_files(record, base)
    notes_changed = changed_files(record, base)
    if at_commit and commit and relative:
        texts = {f"{commit}:{p}": file_at(commit, p, base) for p in relative}
        versions = load_versions(None, texts=texts)
    else:
        paths = [Path(p) if Path(p).is_absolute() else base / p for p in (f["path"] for f in files)]
        # The version's own file first; the files it extends are its siblings.
        versions = load_versions(paths[0].parent.parent if paths[0].parent.name == "versions" else paths[0].parent)
    policy = compile_versions(versions)
    cache[key] = policy
    return policy, notes_changed


_WORDS = {
    "en": {"identical": "identical", "tampered": "TAMPERED", "different": "DIFFERENT", "case": "case",
           "tampered_note": "tampered: ", "summary": "{same} of {total} record(s) reproduced identically"},
    "nb": {"identical": "identisk", "tampered": "ENDRET", "different": "ULIK", "case": "sak",
           "tampered_note": "endret i ettertid: ", "summary": "{same} av {total} beslutning(er) gjenskapt identisk"},
}


def _print_outcomes(outcomes: list, same: int, words: dict, lang: str) -> None:
    for o in outcomes:
        status = words["identical"] if o["identical"] else words["tampered"] if o["tampered"] else words["different"]
        click.echo(f"{status}  {o['record']}  {words['case']} {o['case']}  ({o['policy']})")
        for note in [words["tampered_note"] + t for t in o["tampered"]] + o["notes"]:
            click.echo(f"    {localized(note, lang)}")
    click.echo(words["summary"].format(same=same, total=len(outcomes)))


def _replay_one(where: str, record: dict, at_commit: bool, cache: dict) -> dict:
    out = {"record": where, "case": record["result"]["case"], "policy": f"{record['policy']['id']} {record['policy']['version']}",
           "identical": False, "tampered": verify_record(record), "notes": []}
    try:
        policy, changed = _policy_for(record, at_commit, cache)
        if changed and not at_commit:
            files = ", ".join(changed)
            out["notes"].append(Text({"en": "policy files changed since the record: " + files,
                                      "nb": "regelverksfiler endret etter beslutningen: " + files}))
        elif changed:
            commit = record["policy"]["git_commit"]
            out["notes"].append(Text({"en": f"policy files changed since; decided with the files of commit {commit}",
                                      "nb": f"regelverksfiler endret siden; avgjort med filene fra commit {commit}"}))
        version = record.get("policy_version_requested") or record["policy"]["version"]
        result = policy.evaluate(record["case"], decisions=record.get("decisions_requested"), as_of=record.get("as_of"), version=version)
    except IcpolicyError as exc:
        first = exc.diagnostics[0].headline()
        out["notes"].append(Text({"en": "cannot replay: " + first, "nb": "kan ikke avgjøres på nytt: " + first}))
        return out
    if not changed or at_commit:  # decided from the recorded files: the recorded hash must be theirs
        out["tampered"] = verify_record(record, result.policy.meta)
    _note_version_now(record, policy, out)
    new = result.to_dict(lang=record["result"].get("language", "en"))
    out["identical"] = not out["tampered"] and dumps(new) == dumps(record["result"])
    if dumps(new) != dumps(record["result"]):
        out["notes"] += result_differences(record["result"], new) or ["the results differ in layout only"]
    return out


def _note_version_now(record: dict, policy, out: dict) -> None:
    """Replay uses the recorded version; say so when another one is now in force."""

    if record.get("policy_version_requested"):
        return
    day = record.get("decision_date") or record["case"].get("date")
    try:
        now = policy.in_force_on(parse_iso_date(day)).model.version
    except (IcpolicyError, ValueError):  # no version in force now, or no usable date
        now = None
    if now != record["policy"]["version"]:
        then = record["policy"]["version"]
        out["notes"].append(Text({
            "en": f"decided again under the recorded version {then}; on {day} the version in force is now {now or 'none'}",
            "nb": f"avgjort på nytt etter den registrerte versjonen {then}; for {day} gjelder nå {now or 'ingen versjon'}",
        }))
