"""Loading large policies: the loader's checks must stay linear in the size of the policy.

    python benchmarks/bench_load.py [--rounds 3]

Generated policies: n rules of one decision that all override all (`overrides: all`),
n rules with alternating values and no overrides (conflicts: 20 shown, the rest
counted), a parameter list of n items, and a chain of n definitions each using the
next. Each row is the best of `--rounds` loads (`icpolicy.load_policy`, in process;
parsing the YAML and every expression included). A linear check shows as a time per
item that stays flat as n grows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import icpolicy  # noqa: E402
from icpolicy import IcpolicyError  # noqa: E402

HEAD = 'id: bench\nversion: "1"\ntitle: Large\nsources:\n  guide:\n    title: The guide\n'


def rules(n: int, overrides: str | None, alternate: bool) -> str:
    lines = [HEAD + "decisions:\n  flag:\n    type: bool\n    default: false\n    rules:"]
    for i in range(n):
        value = "false" if alternate and i % 2 else "true"
        lines += [f"      - id: R-{i}", f"        when: procurement.value_nok > {i} NOK", f"        value: {value}"]
        if overrides:
            lines.append(f"        overrides: {overrides}")
        lines += ["        source: {ref: guide, quote: q}", "        explanation: E."]
    return "\n".join(lines) + "\n"


def long_list(n: int) -> str:
    items = ", ".join(f"{i} NOK" for i in range(n))
    return HEAD + (
        f"parameters:\n  amounts:\n    value: '[{items}]'\n    unit: list\n    source: {{ref: guide, quote: q}}\n"
        "decisions:\n  listed:\n    type: bool\n    value: procurement.value_nok in amounts\n"
    )


def chain(n: int) -> str:
    lines = [HEAD + "definitions:\n  d0_nok:\n    value: procurement.value_nok"]
    for i in range(1, n):
        lines += [f"  d{i}_nok:", f"    value: d{i - 1}_nok + 1 NOK"]
    lines += ["decisions:", "  total_nok:", "    type: money", f"    value: d{n - 1}_nok"]
    return "\n".join(lines) + "\n"


def best_load(text: str, rounds: int) -> tuple[float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "policy.yaml"
        path.write_text(text, encoding="utf-8")
        best, outcome = float("inf"), ""
        for _ in range(rounds):
            start = time.perf_counter()
            try:
                icpolicy.load_policy(path)
                outcome = "loads"
            except IcpolicyError as exc:
                codes = sorted({d.code for d in exc.diagnostics})
                outcome = f"{len(exc.diagnostics)} x {'/'.join(codes)}"
            best = min(best, time.perf_counter() - start)
    return best, outcome


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rows = [
        ("rules, all override all", rules, (250, 500, 1000, 2000), lambda n: rules(n, "all", False)),
        ("rules, alternating values, no overrides", rules, (250, 500, 1000, 2000), lambda n: rules(n, None, True)),
        ("parameter list items", long_list, (1000, 10_000, 100_000), long_list),
        ("definitions in a chain (limit 100)", chain, (100, 1000, 5000), chain),
    ]
    print("| policy | n | load (s) | µs per item | outcome |")
    print("|---|---:|---:|---:|---|")
    for label, _, sizes, make in rows:
        for n in sizes:
            seconds, outcome = best_load(make(n), args.rounds)
            print(f"| {label} | {n} | {seconds:.2f} | {seconds / n * 1e6:.0f} | {outcome} |", flush=True)


if __name__ == "__main__":
    main()
