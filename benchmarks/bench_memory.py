"""Memory flat in the number of cases: the peak RSS of whole commands at 10 000 and at
100 000 cases (goal: within 10 %), for `eval` in every output format, with `--record`,
and `diff --cases`.

    python benchmarks/bench_memory.py [--small 10000] [--large 100000] [--only TEXT] [--write FILE]

Each command runs as a new process reading one JSON Lines file and writing to a file;
its peak resident set is the child's own `ru_maxrss` (os.wait4 returns the rusage of
that one child). The figures do not depend on the machine's load, only on memory.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]
from bench_eval import machine  # noqa: E402
from bench_jobs import write_cases  # noqa: E402

COMMANDS = [
    ("eval --format text", ["eval", "--format", "text"]),
    ("eval --format json", ["eval", "--format", "json"]),
    ("eval --format jsonl", ["eval", "--format", "jsonl"]),
    ("eval --format jsonl --no-explain", ["eval", "--format", "jsonl", "--no-explain"]),
    ("eval --format jsonl --record FILE.jsonl", ["eval", "--format", "jsonl", "--record", "{tmp}/records.jsonl"]),
    ("diff 2001.1 2026.1 --cases (text)", ["diff", "2001.1", "2026.1", "--no-witnesses", "--cases"]),
    ("diff 2001.1 2026.1 --cases --format json", ["diff", "2001.1", "2026.1", "--no-witnesses", "--format", "json",
                                                  "--cases"]),
]


# Linux carries a process's peak RSS over fork and exec, so a command started from this
# (large) process would report at least this process's size: a small launcher starts it.
LAUNCHER = ("import os, subprocess, sys; child = subprocess.Popen(sys.argv[1:]); "
            "_, status, usage = os.wait4(child.pid, 0); "
            "print(usage.ru_maxrss, os.waitstatus_to_exitcode(status), file=sys.stderr)")


def peak_rss_mib(args: list[str], output: Path) -> float:
    """Run `args` as a child of the launcher; its own peak resident set size in MiB."""
    with output.open("w") as out:
        done = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, *args], stdout=out, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT, check=False)
    maxrss, code = (int(x) for x in done.stderr.strip().splitlines()[-1].split())
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed with exit {code}: {done.stderr[-2000:]}")
    return maxrss / 1024  # Linux gives KiB


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--only", default=None, help="run only the commands whose label contains this")
    parser.add_argument("--write", metavar="FILE")
    args = parser.parse_args()
    icpolicy = [sys.executable, "-m", "icpolicy"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        inputs = {}
        for count in (args.small, args.large):
            inputs[count] = Path(tmp) / f"cases-{count}.jsonl"
            write_cases(inputs[count], count)
        for label, command in COMMANDS:
            if args.only and args.only not in label:
                continue
            peaks = []
            for count in (args.small, args.large):
                argv = [*icpolicy, *(part.format(tmp=tmp) for part in command), str(inputs[count])]
                Path(tmp, "records.jsonl").unlink(missing_ok=True)
                peaks.append(peak_rss_mib(argv, Path(tmp) / "out"))
            rows.append((label, *peaks))
            print(f"{label}: {peaks[0]:.1f} MiB -> {peaks[1]:.1f} MiB ({(peaks[1] / peaks[0] - 1) * 100:+.1f} %)",
                  file=sys.stderr)
    lines = [f"Machine: {machine()}; peak RSS of the whole process, --jobs 1; cases in one .jsonl file.", "",
             f"| command | {args.small} cases (MiB) | {args.large} cases (MiB) | growth |", "|---|---:|---:|---:|"]
    lines += [f"| `icpolicy {label}` | {a:.1f} | {b:.1f} | {(b / a - 1) * 100:+.1f} % |" for label, a, b in rows]
    text = "\n".join(lines)
    print(text)
    if args.write:
        Path(args.write).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
