"""Benchmark: how long a sign-in takes, and whether a wrong name answers as fast as a wrong password.

In one run, on one fresh warehouse, it times ``--runs`` sign-ins each of a
correct password, a wrong password and an unknown username (argon2id
verification dominates all three), and reports the medians side by side
with the ratios unknown/wrong and wrong/correct (both near 1: an attacker
cannot tell from the time which usernames exist). Each wrong attempt is
followed by a correct one, so the account never reaches its lockout.

    .venv/bin/python benchmarks/bench_sign_in.py [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "a long benchmark password"


def main() -> None:
    """Run the three kinds of sign-in side by side and print their medians."""
    from app.auth.accounts import add_account, sign_in
    from etl.warehouse import connect

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    lifetime = timedelta(hours=1)
    with tempfile.TemporaryDirectory() as folder:
        con = connect(Path(folder) / "bench.duckdb")
        add_account(con, username="bench", role="evaluator", password=PASSWORD, actor="bench",
                    demo=False)  # fmt: skip
        times: dict[str, list[float]] = {"correct": [], "wrong": [], "unknown": []}
        attempts = {"correct": ("bench", PASSWORD), "wrong": ("bench", "not the password"),
                    "unknown": ("nobody", PASSWORD)}  # fmt: skip
        for _ in range(args.runs):
            for kind, (name, password) in attempts.items():
                start = time.perf_counter()
                outcome = sign_in(con, name, password, lifetime=lifetime)
                times[kind].append(time.perf_counter() - start)
                assert (outcome.user is not None) == (kind == "correct"), kind
        con.close()
    medians = {k: statistics.median(v) * 1000 for k, v in times.items()}
    for kind, ms in medians.items():
        print(f"{kind:8s} median {ms:7.1f} ms over {args.runs} sign-ins")
    print(f"unknown/wrong ratio {medians['unknown'] / medians['wrong']:.2f}")
    print(f"wrong/correct ratio {medians['wrong'] / medians['correct']:.2f}")


if __name__ == "__main__":
    main()
