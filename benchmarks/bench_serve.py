"""Load test of `icpolicy serve` on loopback: requests per second and latency.

    python benchmarks/bench_serve.py [--requests 2000] [--threads 8]

Starts a real server (`python -m icpolicy serve`) on a free loopback port, sends
REQUESTS decide requests from THREADS client threads (generated cases with three
projects, JSON bodies), checks every answer against the in-process API (the same
object `icpolicy eval --format json` writes), and prints p50/p99 latency and
requests per second. Bounded: it stops after the requests, or after 120 s.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_eval import make_cases  # noqa: E402

import icpolicy  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(port: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "icpolicy", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    cases = make_cases(min(args.requests, 500))
    policy = icpolicy.load_policy()
    bodies = [json.dumps(c, default=str) for c in cases]
    from icpolicy.values import dumps

    expected = [json.loads(dumps(policy.evaluate(c).to_dict()), parse_float=Decimal) for c in cases]
    port = _free_port()
    proc = _start(port)
    url = f"http://127.0.0.1:{port}/v1/decide"
    latencies: list[float] = []
    wrong = errors = 0
    stop_at = time.monotonic() + 120
    try:
        with httpx.Client(limits=httpx.Limits(max_connections=args.threads)) as client:
            def one(i: int) -> tuple[float, bool, bool]:
                if time.monotonic() > stop_at:
                    return 0.0, False, True
                start = time.perf_counter()
                response = client.post(url, content=bodies[i % len(bodies)], headers={"content-type": "application/json"})
                took = time.perf_counter() - start
                if response.status_code != 200:
                    return took, False, True
                answer = json.loads(response.text, parse_float=Decimal)
                answer.pop("decision_id", None)
                same = answer == expected[i % len(bodies)]
                return took, not same, False

            began = time.perf_counter()
            with ThreadPoolExecutor(args.threads) as pool:
                for took, was_wrong, failed in pool.map(one, range(args.requests)):
                    latencies.append(took)
                    wrong += was_wrong
                    errors += failed
            elapsed = time.perf_counter() - began
    finally:
        proc.terminate()
        proc.wait(10)
    latencies.sort()
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    print(f"{args.requests} requests, {args.threads} threads, {elapsed:.2f} s: {args.requests / elapsed:.0f} requests/s")
    print(f"latency p50 {statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")
    print(f"errors {errors}, answers different from the API {wrong}")
    if errors or wrong:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
