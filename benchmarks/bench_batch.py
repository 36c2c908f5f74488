"""Batch speed of `icpolicy eval` per output format, on one core, as whole processes.

    python benchmarks/bench_batch.py [--cases 10000] [--rounds 3] [--repo DIR] [--write FILE]
    python benchmarks/bench_batch.py --profile "jsonl" [--cases 10000]   # cProfile, top 30

Builds N generated cases (three projects each, half dated under each version of the
bundled policy) in one .jsonl file, then runs `icpolicy eval` on it once per format
as a user runs it: a new process that reads the file and writes to a pipe. Each
figure is the best of `--rounds` runs (the least disturbed by other work). The
start-up (the same command on a one-case file) is measured too and reported apart,
so that cases/s says what the batch itself costs.

`--repo DIR` runs the icpolicy of another checkout (e.g. main before a change) on the
same cases file: the before/after figures of docs/performance.md come from running
this script once per checkout.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # this checkout's icpolicy
from bench_eval import machine, make_cases  # noqa: E402
from bench_replay import _years_earlier  # noqa: E402

FORMATS: dict[str, list[str]] = {
    "jsonl --no-explain": ["--format", "jsonl", "--no-explain"],
    "jsonl": ["--format", "jsonl"],
    "jsonl --explain refs": ["--format", "jsonl", "--explain", "refs"],
    "json": ["--format", "json"],
    "text": ["--format", "text"],
    "text --verbose": ["--format", "text", "--verbose"],
    "text --no-explain": ["--format", "text", "--no-explain"],
}


def write_cases(path: Path, n: int) -> None:
    """N cases as JSON Lines; odd ones moved 11 years back (decided under 2001.1)."""
    import json

    cases = make_cases(n, seed=11)
    for i, case in enumerate(cases):
        if i % 2:
            case["date"] = _years_earlier(case["date"], 11)
            for contract in case["procurement"]["related_contracts"]:
                contract["date"] = _years_earlier(contract["date"], 11)
    with path.open("w", encoding="utf-8") as fh:
        for case in cases:
            fh.write(json.dumps(case, separators=(",", ":")) + "\n")


def supports(repo: Path, args: list[str]) -> bool:
    """Whether this checkout's `eval` knows the options (an old main has no --explain)."""
    if "--explain" not in args:
        return True
    done = subprocess.run([sys.executable, "-m", "icpolicy", "eval", "--help"], cwd=repo, capture_output=True, text=True)
    return "--explain [" in done.stdout


def run_once(repo: Path, args: list[str], cases: Path) -> float:
    command = [sys.executable, "-m", "icpolicy", "eval", "--quiet", *args, str(cases)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:].decode()}")
    return elapsed


def best(repo: Path, args: list[str], cases: Path, rounds: int) -> float:
    return min(run_once(repo, args, cases) for _ in range(rounds))


def profile(fmt: str, cases: Path, top: int = 30) -> str:
    """cProfile of `eval` in this process (the current checkout), sorted by own time."""
    from click.testing import CliRunner

    from icpolicy.cli.main import cli

    profiler = cProfile.Profile()
    profiler.enable()
    result = CliRunner().invoke(cli, ["eval", "--quiet", *FORMATS[fmt], str(cases)])
    profiler.disable()
    if result.exit_code != 0:
        raise SystemExit(f"eval failed: {result.output[-2000:]}")
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(top)
    return text.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="the checkout whose icpolicy to run (default: this one)")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated, from: " + ", ".join(FORMATS))
    parser.add_argument("--profile", metavar="FORMAT", help="profile one format in-process instead of timing")
    parser.add_argument("--write", metavar="FILE")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases, one = Path(tmp) / "cases.jsonl", Path(tmp) / "one.jsonl"
        write_cases(cases, args.cases)
        write_cases(one, 1)
        if args.profile:
            print(profile(args.profile, cases))
            return
        rows = []
        for label in args.formats.split(","):
            options = FORMATS[label]
            if not supports(args.repo, options):
                rows.append((label, None, None))
                continue
            start_up = best(args.repo, options, one, args.rounds)
            rows.append((label, best(args.repo, options, cases, args.rounds), start_up))
    lines = [f"Machine: {machine()}; {args.cases} cases (3 projects each) in one .jsonl file, half under each version; "
             f"best of {args.rounds}; checkout {args.repo.name} ({os.uname().nodename}).", "",
             "| `icpolicy eval` | seconds | cases/s | start-up s | cases/s after start-up |", "|---|---:|---:|---:|---:|"]
    for label, seconds, start_up in rows:
        if seconds is None or start_up is None:
            lines.append(f"| `{label}` | (option not in this checkout) | | | |")
            continue
        after = args.cases / (seconds - start_up) if seconds > start_up else float("inf")
        lines.append(f"| `{label}` | {seconds:.2f} | {args.cases / seconds:,.0f} | {start_up:.2f} | {after:,.0f} |")
    text = "\n".join(lines)
    print(text)
    if args.write:
        Path(args.write).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
