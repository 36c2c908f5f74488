"""Batch speed on the command line: `icpolicy eval` and `icpolicy diff --cases` (impact
replay) over N generated cases in one JSON Lines file.

    python benchmarks/bench_replay.py [--cases 10000] [--write FILE]

Each command runs once as a user would run it (a new process, reading the file,
writing JSON); the wall time is reported with the per-case cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_eval import machine, make_cases  # noqa: E402

from icpolicy.values import dumps  # noqa: E402


def timed(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr[-2000:]}")
    return elapsed, done.stdout


def _years_earlier(text: str, years: int) -> str:
    """The same day `years` earlier; 29 February becomes 28 February in a common year
    (a plain change of the year digits made 2013-02-29 of 2024-02-29)."""
    day = dt.date.fromisoformat(text)
    try:
        return day.replace(year=day.year - years).isoformat()
    except ValueError:
        return day.replace(year=day.year - years, day=28).isoformat()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--write", metavar="FILE")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.jsonl"
        cases = make_cases(args.cases, seed=11)
        # Spread the dates over both versions of the bundled policy.
        for i, case in enumerate(cases):
            if i % 2:
                case["date"] = _years_earlier(case["date"], 11)
                for contract in case["procurement"]["related_contracts"]:
                    contract["date"] = _years_earlier(contract["date"], 11)
        path.write_text("".join(dumps(c) + "\n" for c in cases))
        icpolicy = [sys.executable, "-m", "icpolicy.cli.main"]
        rows = []
        t, _ = timed([*icpolicy, "eval", "--format", "jsonl", "--no-explain", str(path)])
        rows.append(("eval --format jsonl --no-explain", t))
        t, _ = timed([*icpolicy, "eval", "--format", "jsonl", str(path)])
        rows.append(("eval --format jsonl (with explanations)", t))
        t, out = timed([*icpolicy, "diff", "2001.1", "2026.1", "--cases", str(path), "--no-witnesses", "--format", "json"])
        changed = json.loads(out)["replay"]["changed"]
        rows.append((f"diff 2001.1 2026.1 --cases (impact replay; {changed} changed)", t))
        t, out = timed([*icpolicy, "diff", "2001.1", "2026.1", "--format", "json"])
        rows.append(("diff 2001.1 2026.1 with witness search (no cases)", t))
    lines = [f"Machine: {machine()}; {args.cases} cases in one .jsonl file, half dated under each version.", "",
             "| command | seconds | ms per case |", "|---|---:|---:|"]
    for label, seconds in rows:
        per = f"{seconds / args.cases * 1000:.3f}" if "no cases" not in label else ""
        lines.append(f"| `icpolicy {label}` | {seconds:.2f} | {per} |")
    text = "\n".join(lines)
    print(text)
    if args.write:
        Path(args.write).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
