"""Which lists record whom: heterogeneous capture with dependence between lists and strata.

Each person ``i`` is on list ``k`` with probability ``logistic(a_k + b_{k,s} + h * z_i + d_k)``:

* ``a_k`` — the list's base rate (lists differ in reach);
* ``b_{k,s}`` — the list's strength in the person's stratum ``s`` (region): an organisation
  based in Grozny reaches Chechnya better than Dagestan. Drawn ``N(0, stratum_effect)``;
* ``h * z_i`` — how visible the person is, shared by all lists (``z_i ~ N(0, 1)``): families who
  speak out reach every list, which makes captures positively dependent (heterogeneity);
* ``d_k`` — direct dependence: list ``k`` (odd) copies from list ``k - 1``, adding
  ``list_dependence`` to the log-odds of someone already on list ``k - 1``.

These are the departures from independence that multiple systems estimation must handle, with
known truth.
"""

from __future__ import annotations

import numpy as np


def _logistic(x: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-x))
    return result


def draw_captures(
    strata: np.ndarray,
    lists: int,
    rng: np.random.Generator,
    *,
    base_rates: np.ndarray,
    heterogeneity: float,
    stratum_effect: float,
    list_dependence: float,
) -> np.ndarray:
    """A people × lists boolean matrix: who is on which list."""
    size = len(strata)
    labels, stratum = np.unique(strata, return_inverse=True)
    base = np.log(base_rates / (1.0 - base_rates))
    effects = rng.normal(0.0, stratum_effect, size=(lists, len(labels)))
    visibility = rng.normal(0.0, 1.0, size=size)
    captured = np.zeros((size, lists), dtype=bool)
    for k in range(lists):
        log_odds = base[k] + effects[k, stratum] + heterogeneity * visibility
        if k % 2 == 1:
            log_odds = log_odds + list_dependence * captured[:, k - 1]
        captured[:, k] = rng.random(size) < _logistic(log_odds)
    return captured
