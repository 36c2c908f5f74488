"""Cold start of the `icpolicy` command line, as whole processes.

    python benchmarks/bench_coldstart.py [--runs 15] [--repo DIR] [--write FILE]
    python benchmarks/bench_coldstart.py --importtime "eval CASE"   # where the imports go

Runs each command `--runs` times as a new process with this interpreter
(`python -m icpolicy ...` in the checkout `--repo`, default this one) and reports the
median and the fastest run in milliseconds. The goals of issue 14: `icpolicy eval CASE`
(one example case, the bundled policy) at most 150 ms, `icpolicy --help` at most 100 ms.

The CPU column (user + system time of the process) is less disturbed by other work on a
shared machine than the wall time; the goals are wall time on an idle machine.

The policy cache lives in a temporary directory (ICPOLICY_CACHE_DIR) so the figures do
not depend on what the user's cache holds:
- `eval CASE` runs with a cache filled by one run before the timed ones (what a user sees
  from the second run on);
- `eval CASE, cold cache` empties the cache before each run (the first run after an
  upgrade or a policy edit: loads, checks and writes the cache);
- `eval CASE --no-cache` never reads or writes it.
A checkout without the cache (main before issue 14) ignores the variable, and the
`--no-cache` row is left out when its `eval` does not know the option.
`python -c pass` is the interpreter's own start-up, the floor under every row.
Bytecode is written once to a temporary PYTHONPYCACHEPREFIX before the timed runs (as an
installed package has its .pyc files), whatever PYTHONDONTWRITEBYTECODE says.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # bench_eval imports icpolicy
from bench_eval import machine  # noqa: E402

CASE = "examples/cases/01-us-frigate-direct.yaml"


CPU: list[float] = []  # each run's CPU seconds (user + system), beside its wall time


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(repo: Path, argv: list[str], env: dict[str, str]) -> float:
    cpu, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(argv, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    CPU.append(_children_cpu() - cpu)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[-2000:].decode()}")
    return elapsed


def timings(repo: Path, argv: list[str], env: dict[str, str], runs: int,
            before_each: Callable[[], None] | None = None) -> list[float]:
    times, cpu = [], []
    for _ in range(runs):
        if before_each is not None:
            before_each()
        times.append(run_once(repo, argv, env))
        cpu.append(CPU[-1])
    CPU_OF[id(times)] = cpu
    return times


CPU_OF: dict[int, list[float]] = {}


def knows_option(repo: Path, env: dict[str, str], option: str) -> bool:
    done = subprocess.run([sys.executable, "-m", "icpolicy", "eval", "--help"], cwd=repo, env=env,
                          capture_output=True, text=True, check=False)
    return option in done.stdout


def measure(repo: Path, runs: int) -> list[tuple[str, list[float] | None, str]]:
    """(label, times, goal) per row; times None when the checkout lacks the option."""
    icpolicy = [sys.executable, "-m", "icpolicy"]
    with tempfile.TemporaryDirectory(prefix="icpolicy-bench-") as tmp:
        cache = Path(tmp) / "cache"
        # Bytecode as an installed package has it: written once (to a directory of its
        # own, not into the checkout) and read by every timed run.
        env = {**os.environ, "ICPOLICY_CACHE_DIR": str(cache), "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache")}
        env.pop("ICPOLICY_NO_CACHE", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for warm_up in (["--help"], ["eval", "--help"], ["eval", CASE]):
            run_once(repo, [*icpolicy, *warm_up], env)

        def empty_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        rows: list[tuple[str, list[float] | None, str]] = []
        rows.append(("python -c pass", timings(repo, [sys.executable, "-c", "pass"], env, runs), ""))
        rows.append(("icpolicy --help", timings(repo, [*icpolicy, "--help"], env, runs), "≤ 100"))
        rows.append(("icpolicy --version", timings(repo, [*icpolicy, "--version"], env, runs), ""))
        rows.append(("icpolicy eval --help", timings(repo, [*icpolicy, "eval", "--help"], env, runs), ""))
        run_once(repo, [*icpolicy, "eval", CASE], env)  # fills the cache
        rows.append(("icpolicy eval CASE", timings(repo, [*icpolicy, "eval", CASE], env, runs), "≤ 150"))
        rows.append(("icpolicy eval CASE, cold cache",
                     timings(repo, [*icpolicy, "eval", CASE], env, runs, before_each=empty_cache), ""))
        if knows_option(repo, env, "--no-cache"):
            rows.append(("icpolicy eval CASE --no-cache",
                         timings(repo, [*icpolicy, "eval", "--no-cache", CASE], env, runs), ""))
        else:
            rows.append(("icpolicy eval CASE --no-cache", None, ""))
    return rows


def importtime(repo: Path, command: str, top: int = 25) -> str:
    """`python -X importtime` of one command: the modules with the largest cumulative time."""
    argv = [sys.executable, "-X", "importtime", "-m", "icpolicy", *command.replace("CASE", CASE).split()]
    done = subprocess.run(argv, cwd=repo, capture_output=True, text=True, check=False)
    entries = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|", 2)
        entries.append((int(cumulative), int(own), name.rstrip()))
    entries.sort(reverse=True)
    total = sum(own for _, own, _ in entries)
    lines = [f"{len(entries)} modules imported, {total / 1000:.1f} ms own time in all", "cumulative ms  own ms  module"]
    lines += [f"{c / 1000:13.1f} {o / 1000:7.1f}  {n}" for c, o, n in entries[:top]]
    return "\n".join(lines)


def table(repo: Path, runs: int, rows: list[tuple[str, list[float] | None, str]]) -> str:
    lines = [f"Machine: {machine()}; {runs} runs per row as new processes; checkout {repo.name}; "
             f"CASE = {CASE}.", "",
             "| command | median ms | fastest ms | median CPU ms | goal ms |", "|---|---:|---:|---:|---:|"]
    for label, times, goal in rows:
        if times is None:
            lines.append(f"| `{label}` | (option not in this checkout) | | | {goal} |")
            continue
        cpu = statistics.median(CPU_OF[id(times)]) * 1000
        lines.append(f"| `{label}` | {statistics.median(times) * 1000:.0f} | {min(times) * 1000:.0f} | {cpu:.0f} | {goal} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="the checkout whose icpolicy to run (default: this one)")
    parser.add_argument("--importtime", metavar="COMMAND",
                        help='show where one command\'s imports go instead of timing, e.g. "--help" or "eval CASE"')
    parser.add_argument("--write", metavar="FILE")
    args = parser.parse_args()
    repo = args.repo.resolve()
    if args.importtime:
        print(importtime(repo, args.importtime))
        return
    text = table(repo, args.runs, measure(repo, args.runs))
    print(text)
    if args.write:
        Path(args.write).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
