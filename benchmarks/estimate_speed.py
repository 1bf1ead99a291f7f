"""LCMCR sweeps per second on the reference tables (Kosovo K = 10 and 5, UK, New Orleans, Colombia).

Run: ``.venv/bin/python -m benchmarks.estimate_speed [--quick]``

The peer, the R package LCMCR, cannot run on this machine (R's package repository is not
reachable), so no ratio is printed: a ratio against a figure measured on another day is not a
measurement (speeds here drift 15-30% between days). Settings are R's example run: burn-in
10,000, 1,000 draws thinned by 100 = 110,000 sweeps, one chain.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks.machine import print_machine
from testament.estimate.lcmcr import LCMCR
from testament.estimate.table import read_table

DATA = Path(__file__).resolve().parents[1] / "tests" / "estimate" / "data" / "mse"

# table and number of latent classes
CASES = [
    ("kosovo_1999_4list.csv", 10),
    ("kosovo_1999_4list.csv", 5),
    ("uk_modern_slavery_2013_6list.csv", 10),
    ("new_orleans_8list.csv", 10),
    ("colombia_recruitment_R2_hombre_1999_20list.csv", 15),
]


def measure(
    name: str, k: int, *, burnin: int, samples: int, thinning: int, seed: int
) -> tuple[float, float]:
    table = read_table(DATA / name)
    model = LCMCR(
        k,
        burnin=burnin,
        n_samples=samples,
        thinning=thinning,
        n_chains=1,
        random_state=seed,
        rhat_threshold=float("inf"),
    )
    start = time.perf_counter()
    model.fit(table)
    elapsed = time.perf_counter() - start
    return model.total_sweeps() / elapsed, float(sorted(model.samples_.ravel())[samples // 2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="11,000 sweeps per case instead of 110,000"
    )
    args = parser.parse_args()
    print_machine()
    burnin, samples, thinning = (1_000, 100, 100) if args.quick else (10_000, 1_000, 100)
    # Compile (or load the numba cache) before timing anything.
    LCMCR(
        2,
        burnin=10,
        n_samples=20,
        thinning=1,
        n_chains=1,
        random_state=0,
        rhat_threshold=float("inf"),
    ).fit(read_table(DATA / "korea_palembang_3list.csv"))
    print(
        f"LCMCR, one chain, burn-in {burnin:,} + {samples:,} draws x {thinning} thinning "
        f"= {burnin + samples * thinning:,} sweeps, seed 123"
    )
    print("R's LCMCR could not run on this machine (no R package repository): no ratio printed")
    print(f"{'table':<50} {'K':>3} {'sweeps/s':>10} {'median N':>9}")
    for name, k in CASES:
        speed, median = measure(
            name, k, burnin=burnin, samples=samples, thinning=thinning, seed=123
        )
        print(f"{name:<50} {k:>3} {speed:>10,.0f} {median:>9,.0f}")


if __name__ == "__main__":
    main()
