"""`icpolicy diff OLD NEW --cases`: the impact as part of the diff document (words,
nb and en, text/markdown/html, lines under 100 characters), counts with a bounded
sample, each policy loaded once, each case prepared once, --jobs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from icpolicy.cli.main import cli
from icpolicy.engine import parallel

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def diff(*args):
    return run("diff", "2001.1", "2026.1", "--no-witnesses", "--cases", EXAMPLES, *args)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_impact_reads_as_words_in_lines_under_100_characters(lang):
    result = diff("--lang", lang)
    assert result.exit_code == 1
    impact = result.stdout.split("Virkning for" if lang == "nb" else "Impact on the cases given", 1)[1]
    assert max(len(line) for line in impact.splitlines()) < 100
    assert ("Av 19 saker avgjøres 10 annerledes, 9 likt." if lang == "nb"
            else "Of 19 cases, 10 decided differently, 9 the same.") in impact.replace("\n  ", " ")
    assert "340 000 000 NOK" in impact and not re.search(r"\d{7}", impact)  # amounts as the diff writes them
    first = impact.split("* ", 2)[1]
    assert ("Industrisamarbeidsavtale: kreves (R2001-THRESHOLD) → kreves ikke" if lang == "nb"
            else "Agreement (ICA): required (R2001-THRESHOLD) → not required") in first
    # each decision that changes once per case
    changes = [line.strip().split(":")[0] for line in first.splitlines() if line.startswith("      ") and
               not line.startswith("        ")]
    assert len(changes) == len(set(changes)) >= 3


def test_markdown_and_html_carry_the_same_impact():
    markdown = diff("--format", "markdown", "--lang", "en", "--show-cases", "2").stdout
    assert "\n## Impact on the cases given\n" in markdown
    assert "- CASE-2025-003 (" in markdown and "  - Obligation: 340 000 000 NOK (R-OBLIGATION) → 0 NOK" in markdown
    page = diff("--format", "html", "--lang", "nb", "--show-cases", "2").stdout
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert page.count("<html") == 1 and "<pre>" not in page.split("<h2>Virkning")[1]
    body = page.split("<h2>Virkning for sakene som ble gitt</h2>", 1)[1]
    assert body.index("</ul>") < body.index("</body>")
    assert "Forpliktelse: 340 000 000 NOK (R-OBLIGATION) → 0 NOK" in body


def test_every_changed_case_is_counted_and_only_a_sample_is_kept():
    data = json.loads(diff("--format", "json", "--show-cases", "3").stdout)["replay"]
    assert (data["cases"], data["changed"], data["errors"], data["shown"]) == (19, 10, 0, 3)
    assert len(data["changed_cases"]) == 3 and data["per_decision"]["ica_required"] == 10
    text = diff("--show-cases", "3", "--lang", "en").stdout
    assert text.count("\n  * CASE-") == 3 and "… and 7 more decided differently" in text
    assert json.loads(diff("--format", "json", "--show-cases", "0").stdout)["replay"]["changed_cases"] == []


def test_each_policy_is_loaded_once_and_each_case_prepared_once(monkeypatch):
    from icpolicy.cli import diff_cmd
    from icpolicy.engine.evaluate import CompiledPolicy

    loads, normalized = [], []
    real_load, real_normalize = diff_cmd.load_versions, CompiledPolicy.normalize
    monkeypatch.setattr(diff_cmd, "load_versions", lambda *a, **k: loads.append(a) or real_load(*a, **k))
    monkeypatch.setattr(CompiledPolicy, "normalize",
                        lambda self, *a, **k: normalized.append(1) or real_normalize(self, *a, **k))
    result = diff("--show-cases", "0", "--format", "json")
    assert json.loads(result.stdout)["replay"]["cases"] == 19
    assert len(loads) == 1 and len(normalized) == 19


def test_two_workers_report_what_one_reports(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK", 2)
    lines = (EXAMPLES / "batch.jsonl").read_text().splitlines()
    lines[2:2] = ['{"id": "BROKEN"', '{"id": "X", "date": "2026-02-30", "procurement": {"value_nok": 1}}']
    (tmp_path / "mixed.jsonl").write_text("\n".join(lines) + "\n")
    for fmt in ("text", "json"):
        one = run("diff", "2001.1", "2026.1", "--no-witnesses", "--cases", tmp_path, "--cases", EXAMPLES,
                  "--format", fmt, "--show-cases", "4")
        two = run("diff", "2001.1", "2026.1", "--no-witnesses", "--cases", tmp_path, "--cases", EXAMPLES,
                  "--format", fmt, "--show-cases", "4", "--jobs", "2")
        assert one.exit_code == two.exit_code == 1
        assert one.stdout == two.stdout and one.stderr == two.stderr
        assert "E-JSON" in one.stderr or "error[" in one.stderr
    replay = json.loads(one.stdout)["replay"]
    assert replay["errors"] == 2 and replay["cases"] == 19 + len(lines)
