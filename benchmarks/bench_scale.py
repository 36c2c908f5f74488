"""Cost of one large case: does it stay linear in the number of projects and contracts?

    python benchmarks/bench_scale.py [--sizes 10,1000,100000] [--rounds 3]

One case with N projects and N related contracts (half of them inside the 5-year
window), written as JSON and as YAML. For each N, the seconds to: read the JSON
text (`parse_json`), read the YAML text (`parse_yaml`), check and convert the case
(`policy.prepare`), decide it (`policy.evaluate` of the prepared case), build the
JSON object with explanations (`result.to_dict()`), and the whole command
`icpolicy eval --format json` in a new process (from the JSON file). The last
column, microseconds per item for the whole in-process path, stays flat when the
cost is linear.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import icpolicy  # noqa: E402
from icpolicy.yamlsource import parse_json, parse_yaml  # noqa: E402


def make_case(n: int) -> dict:
    day = dt.date(2026, 3, 1)
    return {
        "id": f"SCALE-{n}",
        "date": day.isoformat(),
        "procurement": {
            "value_nok": 60_000_000,
            "related_contracts": [
                # Every other contract lies inside the 5-year window, the others before it.
                {"date": (day - dt.timedelta(days=(i % 2) * 2000 + i % 1000)).isoformat(), "value_nok": 1000 + i}
                for i in range(n)
            ],
        },
        "supplier": {"name": "Scale Inc.", "country": "US"},
        "projects": [
            {
                "id": f"P{i}",
                "value_nok": 1_000_000 + i,
                "valuation_basis": "production" if i % 2 else "other",
                "norwegian_share": ["0.15", "0.5", "0.85", "1"][i % 4],
                "partner_in_norway": i % 7 != 0,
                "initiated_by_supplier": True,
                "supports_armed_forces_needs": True,
                "in_priority_technology_area": True,
                "continuation_of_existing": i % 11 == 0,
                "increase_value_nok": 100_000 if i % 22 == 0 else 0,
            }
            for i in range(n)
        ],
    }


def to_yaml(case: dict) -> str:
    lines = [f"id: {case['id']}", f"date: {case['date']}", "procurement:",
             f"  value_nok: {case['procurement']['value_nok']}", "  related_contracts:"]
    lines += [f"    - {{date: {c['date']}, value_nok: {c['value_nok']}}}" for c in case["procurement"]["related_contracts"]]
    lines += ["supplier:", "  country: US", "projects:"]
    for p in case["projects"]:
        lines.append("  - " + json.dumps(p))
    return "\n".join(lines) + "\n"


def best(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(policy, n: int, rounds: int) -> dict:
    case = make_case(n)
    text, yaml_text = json.dumps(case), to_yaml(case)
    doc = parse_json(text, "scale.json")
    prepared = policy.prepare(doc.data, doc)
    result = policy.evaluate(prepared)
    row = {
        "n": n,
        "parse_json": best(lambda: parse_json(text, "scale.json"), rounds),
        "parse_yaml": best(lambda: parse_yaml(yaml_text, "scale.yaml"), rounds),
        "prepare": best(lambda: policy.prepare(doc.data, doc), rounds),
        "evaluate": best(lambda: policy.evaluate(prepared), rounds),
        "to_dict": best(lambda: result.to_dict(), rounds),
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scale.json"
        path.write_text(text)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "icpolicy", "eval", "--format", "json", str(path)],
                              cwd=ROOT, capture_output=True, text=True)
        row["cli"] = time.perf_counter() - start
        assert done.returncode == 0, done.stderr[-2000:]
    row["us_per_item"] = (row["parse_json"] + row["prepare"] + row["evaluate"] + row["to_dict"]) / n * 1e6
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,1000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    policy = icpolicy.load_policy()
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()} ({platform.python_implementation()}); best of {args.rounds} rounds.\n")
    print("| projects and contracts | read JSON s | read YAML s | check+convert s | decide s | JSON object s "
          "| `icpolicy eval --format json` s | µs per item (in process) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in (int(x) for x in args.sizes.split(",")):
        r = measure(policy, n, args.rounds)
        print(f"| {n:,} | {r['parse_json']:.4f} | {r['parse_yaml']:.4f} | {r['prepare']:.4f} | {r['evaluate']:.4f} "
              f"| {r['to_dict']:.4f} | {r['cli']:.2f} | {r['us_per_item']:.1f} |".replace(",", " "), flush=True)


if __name__ == "__main__":
    main()
