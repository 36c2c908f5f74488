"""`icpolicy eval --format jsonl --explain refs`: sources cited by id and written once,
in records of their own; with the ids replaced by their citations, the output is the
full form's, object for object."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from icpolicy.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"


def run(*args):
    return CliRunner().invoke(cli, ["eval", "--quiet", *[str(a) for a in args]])


def _lines(output: str) -> list[dict]:
    return [json.loads(line, parse_float=Decimal) for line in output.splitlines()]


@pytest.mark.parametrize("options", [[], ["--lang", "nb"], ["--policy-version", "2001.1"], ["--as-of", "2015-06-01"]])
def test_refs_with_the_ids_replaced_are_the_full_output(options):
    full = run("--format", "jsonl", *options, EXAMPLES)
    refs = run("--format", "jsonl", "--explain", "refs", *options, EXAMPLES)
    assert full.exit_code == refs.exit_code == 0, refs.output
    sources: dict = {}
    cases = []
    for record in _lines(refs.output):
        if "sources" in record:
            assert set(record) == {"sources", "policy"}
            assert not set(record["sources"]) & set(sources), "a source written twice"
            sources.update(record["sources"])
            continue
        for decisions in [record["decisions"]] + [p["decisions"] for p in record["projects"]]:
            for entry in decisions.values():
                for item in entry["explanation"]:
                    if item["source"] is not None:
                        item["source"] = sources[item["source"]]  # cited before: KeyError otherwise
        cases.append(record)
    assert cases == _lines(full.output)
    assert all(key.startswith("S-") and len(key) == 18 for key in sources)


def test_sources_come_once_per_version_before_its_first_case(tmp_path):
    case = yaml.safe_load((EXAMPLES / "01-us-frigate-direct.yaml").read_text(encoding="utf-8"))
    cases = tmp_path / "cases.jsonl"
    older = {**case, "id": "OLD", "date": "2015-06-01"}
    cases.write_text("\n".join(json.dumps(c, default=str) for c in [case, older, case, older]) + "\n", encoding="utf-8")
    out = _lines(run("--format", "jsonl", "--explain", "refs", cases).output)
    kinds = ["sources" if "sources" in r else r["policy"]["version"] for r in out]
    assert kinds == ["sources", "2026.1", "sources", "2001.1", "2026.1", "2001.1"]
    assert out[2]["policy"]["version"] == "2001.1"  # the record names the version it comes with
    # The same citation has the same id in every run, whatever came before.
    (tmp_path / "old.jsonl").write_text(json.dumps(older, default=str) + "\n", encoding="utf-8")
    alone = _lines(run("--format", "jsonl", "--explain", "refs", tmp_path / "old.jsonl").output)
    assert alone[0]["sources"].items() <= {**out[0]["sources"], **out[2]["sources"]}.items()


@pytest.mark.parametrize("options", [["--format", "json"], ["--format", "text"], ["--format", "jsonl", "--no-explain"],
                                     ["--format", "jsonl", "--partial"]])
def test_refs_is_a_usage_error_where_it_cannot_apply(options):
    result = run("--explain", "refs", *options, EXAMPLES / "01-us-frigate-direct.yaml")
    assert result.exit_code == 2
    assert "--explain refs" in result.output or "contradict" in result.output


def test_explain_none_is_no_explain_and_full_is_the_default():
    case = EXAMPLES / "11-mixed-projects.yaml"
    assert run("--format", "jsonl", "--explain", "none", case).output == run("--format", "jsonl", "--no-explain", case).output
    assert run("--format", "jsonl", "--explain", "full", case).output == run("--format", "jsonl", case).output


def test_worker_processes_give_the_same_lines(tmp_path):
    case = yaml.safe_load((EXAMPLES / "11-mixed-projects.yaml").read_text(encoding="utf-8"))
    cases = tmp_path / "cases.jsonl"
    lines = [{**case, "id": f"C{i}", "date": "2015-06-01" if i % 3 else "2026-03-01"} for i in range(40)]
    cases.write_text("".join(json.dumps(c, default=str) + "\n" for c in lines), encoding="utf-8")
    one = run("--format", "jsonl", "--explain", "refs", cases)
    two = run("--format", "jsonl", "--explain", "refs", "--jobs", "2", cases)
    assert one.exit_code == two.exit_code == 0, two.output
    assert two.output == one.output
    assert sum(1 for line in one.output.splitlines() if line.startswith('{"sources"')) == 2
