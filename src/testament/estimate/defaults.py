"""LCMCR's default run and mixing thresholds, defined once.

A module of constants only, so that the command line can show them as option defaults without
importing the sampler (numba takes most of a second to load).
"""

from __future__ import annotations

# The run of the R package's example (K = 10, 10,000 sweeps of burn-in, 1,000 draws one every
# 100 sweeps), in 4 chains so that R-hat can be computed.
DEFAULT_K = 10
DEFAULT_BURNIN = 10_000
DEFAULT_SAMPLES = 1_000
DEFAULT_THINNING = 100
DEFAULT_CHAINS = 4
# Above this split R-hat the chains disagree: no summary is given (ChainsNotMixedError).
RHAT_REFUSE = 1.1
# Vehtari et al. (2021): trust a summary when R-hat <= 1.01 and the effective sample size is at
# least 400 (100 per chain for 4 chains). Between these and RHAT_REFUSE the estimate is shown
# with a warning on its row.
RHAT_WARNING = 1.01
ESS_WARNING = 400.0
