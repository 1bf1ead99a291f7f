"""LCMCR: Manrique-Vallier's (2016) Bayesian non-parametric latent-class capture–recapture.

People belong to latent classes k = 1..K (a truncated stick-breaking prior with concentration
alpha, alpha ~ Gamma(a_alpha, b_alpha) with a = b = 0.25 as in the R package); within a class,
list j records a person independently with probability lambda_jk ~ Beta(1, 1). Mixing over
classes lets capture probabilities vary between people and lists depend on each other, the
heterogeneity that breaks the independence model. The unobserved count n0 is augmented: with
the prior p(N) proportional to 1/N its full conditional is NegativeBinomial(n, 1 - pi0), where
pi0 is the probability of being recorded by no list.

One Gibbs sweep: allocate each observed pattern's people to classes (a multinomial draw per
distinct pattern, equivalent to one draw per person since people with the same pattern are
exchangeable), allocate the n0 unobserved people likewise, then draw lambda, the sticks,
alpha and n0. The sweep is compiled with numba (``cache=True``) and costs O(patterns x K x J).

Several chains start from different seeds; the split R-hat and effective sample size of N are
reported, and ``summary()`` refuses (``ChainsNotMixedError``) when R-hat is above the
threshold: a chain that has not mixed gives an arbitrary number.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numba import njit

from testament.estimate.defaults import (
    DEFAULT_BURNIN,
    DEFAULT_CHAINS,
    DEFAULT_K,
    DEFAULT_SAMPLES,
    DEFAULT_THINNING,
    RHAT_REFUSE,
)
from testament.estimate.errors import ChainsNotMixedError
from testament.estimate.table import CaptureTable
from testament.estimate.warnings import ConvergenceWarning

FloatArray = npt.NDArray[np.float64]
Progress = Callable[[int, int], None]

# Sweeps per compiled call: small enough for a live progress bar, large enough to be free.
_CHUNK = 5_000


@njit(cache=True)
def _seed(seed: int) -> None:
    np.random.seed(seed)


@njit(cache=True)
def _multinomial(total: int, weights: FloatArray, out: npt.NDArray[np.int64]) -> None:
    """Draw a multinomial(total, weights / sum) into ``out`` by sequential binomials."""
    remaining_total = total
    remaining_mass = weights.sum()
    for k in range(weights.size):
        if remaining_total == 0:
            out[k] = 0
            continue
        if k == weights.size - 1 or remaining_mass <= 0.0:
            out[k] = remaining_total
            remaining_total = 0
            continue
        p = weights[k] / remaining_mass
        p = min(max(p, 0.0), 1.0)
        drawn = np.random.binomial(remaining_total, p)
        out[k] = drawn
        remaining_total -= drawn
        remaining_mass -= weights[k]


@njit(cache=True)
def _categorical(weights: FloatArray) -> int:
    """One draw from the categorical distribution weights / sum (cheaper than a multinomial)."""
    target = np.random.random() * weights.sum()
    cumulative = 0.0
    for k in range(weights.size):
        cumulative += weights[k]
        if target < cumulative:
            return k
    return weights.size - 1


@njit(cache=True)
def _sweeps(  # noqa: PLR0915, PLR0917 - one compiled Gibbs sweep reads best in one piece
    indptr: npt.NDArray[np.int64],
    indices: npt.NDArray[np.int64],
    counts: npt.NDArray[np.int64],
    lam: FloatArray,
    sticks: FloatArray,
    state: FloatArray,
    n_sweeps: int,
    record_every: int,
    a_alpha: float,
    b_alpha: float,
    out: npt.NDArray[np.int64],
) -> None:
    """Run ``n_sweeps`` Gibbs sweeps in place; every ``record_every``-th N goes to ``out``.

    Pattern p is recorded by lists ``indices[indptr[p]:indptr[p + 1]]`` (patterns are sparse:
    most people are on one or two of many lists, so the class likelihood starts from "missed by
    every list" and adds the few lists that did record the pattern). ``state`` holds
    [alpha, n0]; ``lam`` is J x K; ``sticks`` the K stick proportions.
    """
    n_patterns = counts.size
    n_lists, n_classes = lam.shape
    observed = counts.sum()
    alpha = state[0]
    n0 = int(state[1])
    weights = np.empty(n_classes)
    drawn = np.zeros(n_classes, dtype=np.int64)
    class_sizes = np.zeros(n_classes, dtype=np.int64)
    ones = np.zeros((n_lists, n_classes), dtype=np.int64)
    log_pi = np.empty(n_classes)
    missed_all = np.empty(n_classes)
    log_ratio = np.empty((n_lists, n_classes))
    recorded = 0
    for sweep in range(n_sweeps):
        remaining = 0.0
        for k in range(n_classes):
            log_pi[k] = math.log(max(sticks[k], 1e-300)) + remaining
            remaining += math.log(max(1.0 - sticks[k], 1e-300))
            total = log_pi[k]
            for j in range(n_lists):
                miss = math.log(max(1.0 - lam[j, k], 1e-300))
                log_ratio[j, k] = math.log(max(lam[j, k], 1e-300)) - miss
                total += miss
            missed_all[k] = total
        class_sizes[:] = 0
        ones[:, :] = 0
        # observed people, one multinomial per distinct pattern
        for p in range(n_patterns):
            top = -np.inf
            for k in range(n_classes):
                value = missed_all[k]
                for at in range(indptr[p], indptr[p + 1]):
                    value += log_ratio[indices[at], k]
                weights[k] = value
                top = max(top, value)
            for k in range(n_classes):
                weights[k] = math.exp(weights[k] - top)
            if counts[p] == 1:
                drawn[:] = 0
                drawn[_categorical(weights)] = 1
            else:
                _multinomial(counts[p], weights, drawn)
            for k in range(n_classes):
                if drawn[k] == 0:
                    continue
                class_sizes[k] += drawn[k]
                for at in range(indptr[p], indptr[p + 1]):
                    ones[indices[at], k] += drawn[k]
        # unobserved people (recorded by no list)
        top = -np.inf
        for k in range(n_classes):
            top = max(top, missed_all[k])
        for k in range(n_classes):
            weights[k] = math.exp(missed_all[k] - top)
        _multinomial(n0, weights, drawn)
        for k in range(n_classes):
            class_sizes[k] += drawn[k]
        # lambda | allocation
        for k in range(n_classes):
            for j in range(n_lists):
                lam[j, k] = np.random.beta(1.0 + ones[j, k], 1.0 + class_sizes[k] - ones[j, k])
        # sticks | allocation, alpha
        above = class_sizes.sum()
        log_rest = 0.0
        for k in range(n_classes - 1):
            above -= class_sizes[k]
            stick = np.random.beta(1.0 + class_sizes[k], alpha + above)
            stick = min(stick, 1.0 - 1e-12)
            sticks[k] = stick
            log_rest += math.log(1.0 - stick)
        sticks[n_classes - 1] = 1.0
        # alpha | sticks
        alpha = np.random.gamma(a_alpha + n_classes - 1.0, 1.0 / (b_alpha - log_rest))
        alpha = max(alpha, 1e-10)
        # n0 | everything: NegativeBinomial(n, 1 - pi0) with p(N) ~ 1/N
        remaining = 0.0
        pi0 = 0.0
        for k in range(n_classes):
            weight = math.exp(math.log(max(sticks[k], 1e-300)) + remaining)
            remaining += math.log(max(1.0 - sticks[k], 1e-300))
            miss = 1.0
            for j in range(n_lists):
                miss *= 1.0 - lam[j, k]
            pi0 += weight * miss
        pi0 = min(max(pi0, 0.0), 1.0 - 1e-12)
        n0 = np.random.negative_binomial(observed, 1.0 - pi0)
        if record_every > 0 and (sweep + 1) % record_every == 0 and recorded < out.size:
            out[recorded] = observed + n0
            recorded += 1
    state[0] = alpha
    state[1] = n0


@dataclass(frozen=True)
class LCMCRSummary:
    """Posterior summary of N over all chains."""

    median: float
    mean: float
    lower: float
    upper: float
    rhat: float
    ess: float
    n_draws: int


class LCMCR:
    """Manrique-Vallier's latent-class model, fitted by Gibbs sampling.

    Parameters follow the R package LCMCR: ``K`` classes (truncation), ``a_alpha``/``b_alpha``
    for the Gamma prior on the stick-breaking concentration, ``burnin`` sweeps discarded,
    ``n_samples`` draws kept per chain, one every ``thinning`` sweeps. ``n_chains`` chains are
    run with seeds derived from ``random_state``.
    """

    def __init__(
        self,
        K: int = DEFAULT_K,  # noqa: N803 - the paper's and the R package's name
        *,
        a_alpha: float = 0.25,
        b_alpha: float = 0.25,
        burnin: int = DEFAULT_BURNIN,
        n_samples: int = DEFAULT_SAMPLES,
        thinning: int = DEFAULT_THINNING,
        n_chains: int = DEFAULT_CHAINS,
        random_state: int | None = None,
        rhat_threshold: float = RHAT_REFUSE,
    ) -> None:
        self.K = K
        self.a_alpha = a_alpha
        self.b_alpha = b_alpha
        self.burnin = burnin
        self.n_samples = n_samples
        self.thinning = thinning
        self.n_chains = n_chains
        self.random_state = random_state
        self.rhat_threshold = rhat_threshold

    def total_sweeps(self) -> int:
        return self.n_chains * (self.burnin + self.n_samples * self.thinning)

    def fit(self, table: CaptureTable, progress: Progress | None = None) -> LCMCR:
        """Sample the posterior of N; sets ``samples_`` (chains x draws), ``rhat_``, ``ess_``."""
        table.require_lists(2, "LCMCR")
        if self.K < 1 or self.n_chains < 1 or self.n_samples < 1 or self.thinning < 1:
            raise ValueError("K, n_chains, n_samples and thinning must be positive")
        indptr, indices = _sparse_patterns(table)
        counts = np.ascontiguousarray(table.counts, dtype=np.int64)
        seeds = np.random.SeedSequence(self.random_state).generate_state(self.n_chains)
        samples = np.zeros((self.n_chains, self.n_samples), dtype=np.int64)
        total = self.total_sweeps()
        done = 0
        for chain in range(self.n_chains):
            seed = int(seeds[chain])
            init = np.random.default_rng(seed)
            lam = init.uniform(0.05, 0.95, size=(table.n_lists, self.K))
            sticks = init.beta(1.0, 1.0, size=self.K)
            sticks[-1] = 1.0
            state = np.array([1.0, float(table.observed)])
            _seed(seed)
            discard = np.zeros(0, dtype=np.int64)
            remaining = self.burnin
            while remaining > 0:
                step = min(_CHUNK, remaining)
                _sweeps(
                    indptr,
                    indices,
                    counts,
                    lam,
                    sticks,
                    state,
                    step,
                    0,
                    self.a_alpha,
                    self.b_alpha,
                    discard,
                )
                remaining -= step
                done += step
                if progress is not None:
                    progress(done, total)
            per_chunk = max(1, _CHUNK // self.thinning)
            kept = 0
            while kept < self.n_samples:
                draws = min(per_chunk, self.n_samples - kept)
                out = samples[chain, kept : kept + draws]
                buffer = np.zeros(draws, dtype=np.int64)
                _sweeps(
                    indptr,
                    indices,
                    counts,
                    lam,
                    sticks,
                    state,
                    draws * self.thinning,
                    self.thinning,
                    self.a_alpha,
                    self.b_alpha,
                    buffer,
                )
                out[:] = buffer
                kept += draws
                done += draws * self.thinning
                if progress is not None:
                    progress(done, total)
        self.samples_ = samples
        self.observed_ = table.observed
        self.rhat_ = split_rhat(samples.astype(np.float64))
        self.ess_ = effective_sample_size(samples.astype(np.float64))
        self.converged_ = bool(self.rhat_ <= self.rhat_threshold)
        if not self.converged_:
            warnings.warn(
                f"{table.source}: LCMCR chains have not mixed (R-hat {self.rhat_:.3f} > "
                f"{self.rhat_threshold}); run longer chains (burnin, n_samples x thinning)",
                ConvergenceWarning,
                stacklevel=2,
            )
        return self

    def summary(self, level: float = 0.95) -> LCMCRSummary:
        """Posterior median, mean and equal-tailed interval of N; refuses unmixed chains."""
        if not self.converged_:
            raise ChainsNotMixedError(
                f"LCMCR chains have not mixed (R-hat {self.rhat_:.3f} > {self.rhat_threshold}): "
                "no estimate is reported; run longer chains"
            )
        draws = self.samples_.reshape(-1).astype(np.float64)
        tail = (1.0 - level) / 2.0
        return LCMCRSummary(
            median=float(np.median(draws)),
            mean=float(draws.mean()),
            lower=float(np.quantile(draws, tail)),
            upper=float(np.quantile(draws, 1.0 - tail)),
            rhat=self.rhat_,
            ess=self.ess_,
            n_draws=int(draws.size),
        )


def _sparse_patterns(
    table: CaptureTable,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each pattern's recording lists in compressed-row form (indptr, indices)."""
    rows, columns = np.nonzero(table.histories)
    indptr = np.zeros(table.counts.size + 1, dtype=np.int64)
    np.add.at(indptr, rows + 1, 1)
    return np.cumsum(indptr), columns.astype(np.int64)


def split_rhat(chains: FloatArray) -> float:
    """Split-chain potential scale reduction (Gelman et al., BDA3) on rank-normalised draws."""
    from scipy.special import ndtri
    from scipy.stats import rankdata

    n_draws = chains.shape[1]
    half = n_draws // 2
    if half < 2:
        return math.nan
    split = np.vstack([chains[:, :half], chains[:, half : 2 * half]])
    ranks = rankdata(split, method="average").reshape(split.shape)
    z = ndtri((ranks - 0.375) / (split.size + 0.25))
    return _rhat(z)


def _rhat(split: FloatArray) -> float:
    n = split.shape[1]
    means = split.mean(axis=1)
    within = float(split.var(axis=1, ddof=1).mean())
    between = float(n * means.var(ddof=1))
    if within <= 0:
        return 1.0 if between <= 0 else math.inf
    pooled = (n - 1) / n * within + between / n
    return math.sqrt(pooled / within)


def effective_sample_size(chains: FloatArray) -> float:
    """Effective sample size of the pooled draws (Geyer's initial positive sequence)."""
    n_chains, n_draws = chains.shape
    if n_draws < 4:
        return float(n_chains * n_draws)
    centred = chains - chains.mean(axis=1, keepdims=True)
    variance = centred.var(axis=1).mean()
    if variance <= 0:
        return float(n_chains * n_draws)
    size = 1 << math.ceil(math.log2(2 * n_draws))
    spectrum = np.fft.rfft(centred, n=size, axis=1)
    autocov = np.fft.irfft(spectrum * np.conj(spectrum), n=size, axis=1)[:, :n_draws] / n_draws
    within = float(chains.var(axis=1, ddof=1).mean())
    between = float(n_draws * chains.mean(axis=1).var(ddof=1)) if n_chains > 1 else 0.0
    pooled = (n_draws - 1) / n_draws * within + between / n_draws
    rho = 1.0 - (within - autocov.mean(axis=0)) / pooled
    rho[0] = 1.0
    total = 0.0
    for lag in range(0, n_draws - 1, 2):
        pair = rho[lag] + rho[lag + 1]
        if pair < 0:
            break
        total += pair
    tau = max(2.0 * total - 1.0, 1.0 / math.log10(n_chains * n_draws + 10))
    return float(n_chains * n_draws / tau)
