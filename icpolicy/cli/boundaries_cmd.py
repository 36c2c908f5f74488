"""`icpolicy boundaries`: the edge cases of every threshold, decided and optionally pinned as tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import yaml

from ..dates import parse_iso_date
from ..i18n import language_option
from ..policy.show import shown_value
from ..testing.boundaries import BoundaryPoint, boundary_points, find_boundaries
from ..testing.session import collect
from ..values import dumps, json_value
from ..yamlsource import read_file
from .common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    CliFailure,
    chosen_policy,
    failing_with,
    load_policy_or_fail,
)
from .completion import complete_version

BASES = "boundary-bases"


@click.command("boundaries")
@click.argument("policy_dir", required=False, type=click.Path(exists=True))
@click.option("--policy-version", "version", default=None, metavar="V", shell_complete=complete_version,
              help="Only this version of the policy (default: every version in turn).")
@click.option("--base", "bases", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Base case to vary (repeatable; default: POLICY_DIR/boundary-bases/*.yaml).")
@click.option("--emit-tests", "emit", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the boundary cases as a test file to review and pin.")
@click.option("--untested", "untested_flag", is_flag=True,
              help="List the boundaries whose comparison no existing test met exactly at, or next to, its edge.")
@click.option("--tests", "test_paths", multiple=True, type=click.Path(exists=True),
              help="Tests to check with --untested (default: POLICY_DIR/tests).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@language_option
def boundaries_command(policy_dir, version, bases, emit, untested_flag, test_paths, fmt, lang):
    """Derive the boundary of each threshold comparison in the policy (the value
    exactly at it and its nearest neighbours: 0.01 NOK, 0.000001 of a share, one
    day), build a case for each from a base case, decide it under the version
    concerned and print a table.

    Exit status: 0, or 1 with --untested when some boundary is not tested (or the
    policy has problems); 2 usage error.
    """
    choice = chosen_policy(policy_dir)
    policy_dir, policy = choice.path, load_policy_or_fail(choice, fmt)
    with failing_with(EXIT_USAGE):
        versions = [policy.version(version)] if version else list(policy.versions)
    if untested_flag:
        return _report_untested(policy_dir, versions, list(test_paths), fmt)
    base_files = [Path(b) for b in bases] or sorted((_dir(policy_dir) / BASES).glob("*.yaml"))
    if not base_files:
        raise click.UsageError(f"no base case: give --base CASE or add {_dir(policy_dir) / BASES}/*.yaml")
    rows, tests = [], []
    for compiled in versions:
        found = find_boundaries(compiled)
        for base_file in base_files:
            with failing_with(EXIT_USAGE):
                base_doc = read_file(str(base_file))
                compiled.normalize(base_doc.data, base_doc)
                base = _within(base_doc.data, compiled.model)
            for point in boundary_points(compiled, base, found):
                rows.append((compiled.model.version, base_file.stem, point))
                if point.decided is not None:
                    tests.append(_as_test(base_file, point, compiled.model.version))
    if fmt == "json":
        click.echo(dumps([_row_json(v, name, p) for v, name, p in rows], indent=2))
    else:
        _print_table(rows, lang)
    if emit:
        _write_tests(emit, tests)
        click.echo(f"wrote {len(tests)} tests to {emit}", err=True)
    return EXIT_OK


def _within(base, model):
    """The base case, dated inside the version's period (so tests made from it run under it)."""

    if not isinstance(base, dict):
        return base
    try:
        day = parse_iso_date(base.get("date"))
    except ValueError:
        return base
    if not model.in_force(day):
        start, end = model.period
        return {**base, "date": (start or end).isoformat()}
    return base


def _report_untested(policy_dir: Path, versions, test_paths, fmt):
    from ..engine.versioned import VersionedPolicy
    from ..testing.boundaries import EdgeRecorder, untested
    from ..testing.runner import run_tests

    tests, problems = collect(test_paths or [_dir(policy_dir) / "tests"], _dir(policy_dir))
    if problems:
        raise CliFailure(EXIT_USAGE, diagnostics=problems)
    wanted = {v.model.version for v in versions}
    traced, recorders = [], []
    for compiled in (load_policy_or_fail(policy_dir).versions):
        found = find_boundaries(compiled)
        recorder = EdgeRecorder(found)
        traced.append(compiled.traced(recorder))
        recorders.append((compiled.model.version, found, recorder))
    policy = VersionedPolicy(traced)
    run_tests(lambda test: policy, tests)
    names = {-1: "below", 0: "at", 1: "above"}
    gaps, total = [], 0
    for version, found, recorder in recorders:
        if version not in wanted:
            continue
        total += len(found)
        gaps += [(version, b, m) for b, m in untested(recorder, found)]
    if fmt == "json":
        click.echo(dumps([{"version": v, "boundary": b.label(), "path": _path(b.path), "missing": [names[o] for o in m]} for v, b, m in gaps], indent=2))
    else:
        for v, b, missing in gaps:
            click.echo(f"untested in {v}: {b.label()} ({_path(b.path)}): {', '.join(names[o] for o in missing)}")
        click.echo(f"{total - len(gaps)} of {total} boundaries met by a test below, at and above the edge")
    return EXIT_FINDINGS if gaps else EXIT_OK


def _dir(policy_dir: Path) -> Path:
    return policy_dir if policy_dir.is_dir() else policy_dir.parent


def _path(path) -> str:
    return ".".join("[]" if p == "*" else f"[{p}]" if isinstance(p, int) else p for p in path).replace(".[", "[")


def _shown(point: BoundaryPoint, lang: str = "en") -> str:
    kind = point.boundary.kind
    from ..lang import types as T

    return shown_value(point.value, {"money": T.MONEY, "share": T.SHARE}.get(kind), lang)


_HEADER = {"en": ("version", "base", "boundary", "field", "value", "decision", "rules"),
           "nb": ("versjon", "grunnsak", "grense", "felt", "verdi", "avgjørelse", "regler")}
_ERROR = {"en": "error: ", "nb": "feil: "}


def _print_table(rows, lang: str = "en"):
    header = _HEADER[lang]
    table = []
    for version, name, p in rows:
        if p.decided is None:
            shown = _shown(p, lang) if p.value is not None else "-"
            table.append((version, name, p.boundary.label(), _path(p.boundary.path), shown, _ERROR[lang] + str(p.error), ""))
            continue
        value = shown_value(p.decided.value, None, lang)
        table.append((version, name, p.boundary.label(), _path(p.boundary.path), _shown(p, lang), f"{p.boundary.decision} = {value}", ", ".join(p.decided.rules) or "-"))
    widths = [min(max(len(str(r[i])) for r in table + [header]), 100) for i in range(len(header))]
    for row in [header] + table:
        click.echo("  ".join(str(c)[:100].ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def _row_json(version, name, p: BoundaryPoint) -> dict:
    decided: Any = p.decided  # a DecisionResult or None
    return {
        "version": version,
        "base": name,
        "boundary": p.boundary.label(),
        "field": _path(p.boundary.path),
        "offset": p.offset,
        "value": json_value(p.value),
        "decision": p.boundary.decision,
        "result": None if decided is None else json_value(decided.value),
        "rules": [] if decided is None else list(decided.rules),
        "error": p.error,
    }


def _as_test(base_file: Path, p: BoundaryPoint, version: str) -> dict:
    where = {-1: "just below", 0: "exactly at", 1: "just above"}[p.offset]
    decided: Any = p.decided  # a DecisionResult: only decided points become tests
    expected = {"value": _yaml_value(decided.value), "rules": list(decided.rules)}
    if p.boundary.scope == "project":
        pid = p.case["projects"][p.boundary.path[1]]["id"]
        expect = {"projects": {pid: {p.boundary.decision: expected}}}
    else:
        expect = {p.boundary.decision: expected}
    return {
        "name": f"boundary {where} {p.boundary.label()} ({_path(p.boundary.path)} = {_shown(p)}, base {base_file.stem}, version {version})",
        "provision": p.boundary.owner,
        "case": _yaml_value(p.case),
        "expect": expect,
    }


def _yaml_value(value):
    from decimal import Decimal

    if isinstance(value, dict):
        return {k: _yaml_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_yaml_value(v) for v in value]
    if isinstance(value, Decimal):
        return _DecimalText(format(json_value(value), "f"))
    return value


class _DecimalText(str):
    """A number written with its exact digits (never through a float)."""


def _represent_decimal(dumper, data):
    return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in data else "tag:yaml.org,2002:int", str(data))


yaml.SafeDumper.add_representer(_DecimalText, _represent_decimal)


def _write_tests(path, tests):
    header = "# Generated by `icpolicy boundaries --emit-tests`: review each expectation, then keep it.\n"
    body = yaml.safe_dump({"tests": tests}, sort_keys=False, allow_unicode=True, width=100)
    Path(path).write_text(header + body, encoding="utf-8")
