"""icpolicy against a peer: `ica_required` from a plain dict, next to GoRules Zen's
expression engine (`zen-engine`, `pip install '.[bench]'`) on the same cases.

    python benchmarks/bench_peers.py [--cases 10000] [--rounds 7] [--write FILE]

Both get the same 10 000 plain dicts that benchmarks/bench_eval.py generates (three
projects each) and answer `ica_required`:

- Zen: one compiled ZEN expression holding the 2026.1 logic (FOA exemption, the
  foreign threshold through a direct or Norway-only NSPA/FMS procurement, the
  accumulated 5-year value, a Norwegian supplier's foreign parts), evaluated on the
  case dict: what a Zen user writes. Zen converts the dict to its own values in
  Rust, checks nothing against a schema and reads numbers as decimals. It is also
  timed on the case cut down beforehand to the three fields it reads (its best case:
  the caller did the cutting, outside the timing).
- icpolicy: `policy.evaluate(case, decisions=["ica_required"])` and reading the
  value, with everything that implies: the version in force on the case's date, the
  case checked against the case schema (every field of `procurement` and `supplier`,
  unknown fields refused) and converted to exact Decimals, the result object.

Every case's two answers are compared first: the timing is of the same decisions.
Rounds alternate between the engines so that a disturbance of the machine hits both;
each figure is the best round. The ratio is icpolicy's time over Zen's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_eval import machine, make_cases  # noqa: E402

import icpolicy  # noqa: E402

try:
    import zen
except ImportError:  # pragma: no cover - a benchmark-only dependency
    raise SystemExit("bench_peers.py needs zen-engine: pip install '.[bench]'") from None

# ica_required under version 2026.1 (policies/bif/policy.yaml), written in ZEN.
THRESHOLD = "100000000"
ZEN_ICA_REQUIRED = (
    'procurement.regulation != "FOA" and ('
    '(supplier.country != "NO"'
    ' and (procurement.channel == "direct" or procurement.only_for_norway)'
    f" and (procurement.value_nok > {THRESHOLD}"
    f" or procurement.expected_accumulated_value_nok > {THRESHOLD}"
    " or procurement.value_nok + sum(map(filter(procurement.related_contracts,"
    ' d(#.date).isAfter(d(date).sub(5, "y")) and d(#.date).isSameOrBefore(d(date))),'
    f" #.value_nok)) > {THRESHOLD}))"
    f' or (supplier.country == "NO" and supplier.foreign_produced_value_nok > {THRESHOLD}))'
)


def best_rounds(measures: dict, items: list, rounds: int) -> dict:
    """The best µs per case of each measure, its rounds interleaved with the others'."""
    best = dict.fromkeys(measures, float("inf"))
    for _ in range(rounds):
        for label, fn in measures.items():
            start = time.perf_counter()
            for item in items[label]:
                fn(item)
            best[label] = min(best[label], (time.perf_counter() - start) / len(items[label]) * 1e6)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--write", metavar="FILE", help="write the results as a Markdown table to FILE")
    args = parser.parse_args()

    policy = icpolicy.load_policy()
    cases = make_cases(args.cases)
    trimmed = [{"date": c["date"], "procurement": c["procurement"], "supplier": c["supplier"]} for c in cases]
    expression = zen.compile_expression(ZEN_ICA_REQUIRED)
    ica = ["ica_required"]

    def ours(case):
        return policy.evaluate(case, decisions=ica).decisions["ica_required"].value

    disagree = [c["id"] for c in cases if expression.evaluate(c) is not ours(c)]
    if disagree:
        raise SystemExit(f"Zen and icpolicy disagree on {len(disagree)} cases, e.g. {disagree[:3]}")
    required = sum(ours(c) for c in cases)

    measures = {
        "zen": expression.evaluate,
        "zen, case cut to the fields it reads": expression.evaluate,
        "icpolicy": ours,
        "icpolicy, evaluate() only": lambda c: policy.evaluate(c, decisions=ica),
    }
    items = {label: trimmed if "cut" in label else cases for label in measures}
    best = best_rounds(measures, items, args.rounds)
    lines = [
        f"Machine: {machine()}; zen-engine {_zen_version()}; {args.cases} cases "
        f"({required} requiring an ICA), the answers equal on every case; best of {args.rounds} "
        "interleaved rounds.",
        "",
        "| ica_required from a plain dict | µs per case | icpolicy / this |",
        "|---|---:|---:|",
    ]
    for label, us in best.items():
        lines.append(f"| {label} | {us:.2f} | {best['icpolicy'] / us:.2f} |")
    text = "\n".join(lines)
    print(text)
    if args.write:
        Path(args.write).write_text(text + "\n", encoding="utf-8")


def _zen_version() -> str:
    from importlib.metadata import version

    return version("zen-engine")


if __name__ == "__main__":
    main()
