"""Bias and 95%-interval coverage of each method on simulated populations of known size.

Run: ``.venv/bin/python -m benchmarks.estimate_coverage`` (default: 2 scenarios x 100
populations, about 6 minutes on 2 quiet cores) or ``--quick`` (2 x 20 populations).

Populations have heterogeneous capture, where the independence model fails:

- ``latent classes``: N = 2,000 people, 5 lists, two groups (60% / 40%) that different lists
  reach: the first group is found mostly by lists A, C, E, the second by B and D. Within a group
  lists are independent; across the population they are not (the setting LCMCR models).
- ``individual heterogeneity``: N = 2,000, 5 lists, logit p_ij = a_j + theta_i with
  theta_i ~ Normal(0, 0.8) (a Rasch-type model: everyone has their own catchability; the
  setting Mth Darroch models).

For each population, the capture table is estimated by the log-linear models (independence,
stepwise, BIC-best, Mth Chao, Mth Darroch; profile-likelihood intervals) and by LCMCR (K = 10,
2 chains). Reported per method: mean relative bias, relative RMSE, coverage of the 95% interval,
and how often the method gave no answer (unmixed chains, no finite limit). Seeded throughout.
"""

from __future__ import annotations

import argparse
import math
import time
import warnings
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from benchmarks.machine import print_machine
from testament.estimate.errors import EstimateError
from testament.estimate.report import LCMCRSettings, lcmcr_estimate, loglinear_estimates
from testament.estimate.table import CaptureTable, from_histories

N_TRUE = 2_000
LISTS = ("A", "B", "C", "D", "E")


CLASS_SHARE = 0.4
P_FIRST = np.array([0.40, 0.10, 0.35, 0.08, 0.30])
P_SECOND = np.array([0.08, 0.40, 0.10, 0.35, 0.12])
THETA_SD = 0.8


@dataclass(frozen=True)
class Scenario:
    name: str
    draw: Callable[[np.random.Generator], np.ndarray]


def _latent_classes(rng: np.random.Generator) -> np.ndarray:
    second = rng.random(N_TRUE) < CLASS_SHARE
    p = np.where(second[:, None], P_SECOND, P_FIRST)
    return (rng.random((N_TRUE, len(LISTS))) < p).astype(np.int8)


def _individual(rng: np.random.Generator) -> np.ndarray:
    theta = rng.normal(0.0, THETA_SD, size=N_TRUE)
    a = np.array([-1.2, -1.6, -1.0, -1.4, -1.3])
    p = 1.0 / (1.0 + np.exp(-(a[None, :] + theta[:, None])))
    return (rng.random((N_TRUE, len(LISTS))) < p).astype(np.int8)


SCENARIOS = [
    Scenario("latent classes", _latent_classes),
    Scenario("individual heterogeneity", _individual),
]


def _table(captures: np.ndarray) -> CaptureTable:
    seen = captures[captures.any(axis=1)]
    return from_histories(LISTS, seen, np.ones(len(seen), dtype=np.int64), source="simulated")


@dataclass
class Tally:
    errors: list[float]
    covered: int = 0
    answered: int = 0
    failed: int = 0

    def add(self, n_hat: float, lower: float, upper: float) -> None:
        self.answered += 1
        self.errors.append((n_hat - N_TRUE) / N_TRUE)
        if lower <= N_TRUE <= upper:
            self.covered += 1


def run(replicates: int, seed: int, settings: LCMCRSettings) -> None:
    print(
        f"true N = {N_TRUE:,}; {replicates} populations per scenario; seed {seed}; "
        f"LCMCR K = {settings.K}, {settings.n_chains} chains x ({settings.burnin:,} + "
        f"{settings.n_samples:,} x {settings.thinning}) sweeps"
    )
    for scenario_index, scenario in enumerate(SCENARIOS):
        rng = np.random.default_rng([seed, scenario_index])
        tallies: dict[str, Tally] = defaultdict(lambda: Tally([]))
        observed = []
        start = time.perf_counter()
        for replicate in range(replicates):
            table = _table(scenario.draw(rng))
            observed.append(table.observed)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # warnings are part of the answer, not the score
                for item in loglinear_estimates(table):
                    name = item.model.split(" (")[0]
                    tallies[name].add(item.n_hat, item.lower, item.upper)
                try:
                    item, _ = lcmcr_estimate(table, settings, seed * 1000 + replicate)
                    tallies["LCMCR"].add(item.n_hat, item.lower, item.upper)
                except EstimateError:
                    tallies["LCMCR"].failed += 1
        elapsed = time.perf_counter() - start
        print(
            f"\nscenario: {scenario.name} (mean observed {np.mean(observed):,.0f} of {N_TRUE:,}; "
            f"{elapsed:.0f} s)"
        )
        header = f"{'method':<26} {'answers':>8} {'rel. bias':>10} {'rel. RMSE':>10}"
        print(f"{header} {'95% coverage':>13}")
        for name, tally in tallies.items():
            errors = np.array(tally.errors)
            bias = float(errors.mean()) if errors.size else math.nan
            rmse = float(np.sqrt((errors**2).mean())) if errors.size else math.nan
            coverage = tally.covered / tally.answered if tally.answered else math.nan
            answers = f"{tally.answered}/{tally.answered + tally.failed}"
            print(f"{name:<26} {answers:>8} {bias:>+10.1%} {rmse:>10.1%} {coverage:>13.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20 populations per scenario")
    parser.add_argument("--replicates", type=int, default=None)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    print_machine()
    replicates = args.replicates or (20 if args.quick else 100)
    settings = LCMCRSettings(K=10, burnin=10_000, n_samples=500, thinning=40, n_chains=2)
    run(replicates, args.seed, settings)


if __name__ == "__main__":
    main()
