"""`--jobs`: the same batch on 1 and on N worker processes, whole commands as a user
runs them (a new process, reading one JSON Lines file, writing to a file).

    python benchmarks/bench_jobs.py [--cases 100000] [--jobs 2] [--write FILE]

For each command: seconds with --jobs 1, with --jobs N, and the speed-up (goal on 2
cores: >= 1.7x). The outputs of the two runs are compared byte for byte; a
difference stops the benchmark. Run it on an idle machine: the figure is the ratio.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]
from bench_eval import machine, make_cases  # noqa: E402
from bench_replay import _years_earlier  # noqa: E402

from icpolicy.values import dumps  # noqa: E402

COMMANDS = [
    ("eval --format jsonl --no-explain", ["eval", "--format", "jsonl", "--no-explain"]),
    ("eval --format jsonl", ["eval", "--format", "jsonl"]),
    ("eval --format text", ["eval", "--format", "text"]),
    ("diff 2001.1 2026.1 --cases --format json", ["diff", "2001.1", "2026.1", "--no-witnesses", "--format", "json",
                                                  "--cases"]),
]


def write_cases(path: Path, count: int) -> None:
    """`count` generated cases, half dated under each version of the bundled policy."""
    with path.open("w", encoding="utf-8") as out:
        done = 0
        while done < count:
            batch = make_cases(min(10_000, count - done), seed=11 + done)
            for i, case in enumerate(batch):
                if i % 2:
                    case["date"] = _years_earlier(case["date"], 11)
                    for contract in case["procurement"]["related_contracts"]:
                        contract["date"] = _years_earlier(contract["date"], 11)
                out.write(dumps(case) + "\n")
            done += len(batch)


def timed(args: list[str], output: Path) -> float:
    start = time.perf_counter()
    with output.open("w") as out:
        done = subprocess.run(args, stdout=out, stderr=subprocess.PIPE, text=True, check=False, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr[-2000:]}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default=None, help="run only the commands whose label contains this")
    parser.add_argument("--write", metavar="FILE")
    args = parser.parse_args()
    icpolicy = [sys.executable, "-m", "icpolicy"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cases = Path(tmp) / "cases.jsonl"
        write_cases(cases, args.cases)
        for label, command in COMMANDS:
            if args.only and args.only not in label:
                continue
            one, many = Path(tmp) / "one.out", Path(tmp) / "many.out"
            t1 = timed([*icpolicy, *command, str(cases), "--jobs", "1"], one)
            tn = timed([*icpolicy, *command, str(cases), "--jobs", str(args.jobs)], many)
            if one.read_bytes() != many.read_bytes():
                raise SystemExit(f"{label}: the output with --jobs {args.jobs} differs from --jobs 1")
            rows.append((label, t1, tn))
            print(f"{label}: {t1:.2f} s -> {tn:.2f} s ({t1 / tn:.2f}x)", file=sys.stderr)
    lines = [f"Machine: {machine()}; {args.cases} cases in one .jsonl file, half under each version; "
             f"--jobs 1 against --jobs {args.jobs}; outputs identical byte for byte.", "",
             f"| command | --jobs 1 (s) | --jobs {args.jobs} (s) | speed-up |", "|---|---:|---:|---:|"]
    lines += [f"| `icpolicy {label}` | {t1:.2f} | {tn:.2f} | {t1 / tn:.2f}x |" for label, t1, tn in rows]
    text = "\n".join(lines)
    print(text)
    if args.write:
        Path(args.write).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
