"""Corroboration: which allegations stand on independent sources, and which are denied.

    graph = CaseGraph.from_rows(sources=..., derivations=..., informants=..., claims=..., acts=...)
    outcome = corroborate(graph, CorroborationSettings())
    outcome.assessment("event", "chechnya-2017-detentions").rationale

Rules (deterministic and explainable):

- Independence is a relation between two sources (``independence.py``): they are dependent when
  their origins overlap (a common source through ``derived_from``, transitively; the same
  informant; by default the same outlet). The number of *independent lines* of a target is the
  largest set of pairwise independent supporting sources: a re-report adds no weight, and a
  digest of two independent outlets does not merge them.
- A target (event or act) is *corroborated* with at least ``corroborated_min_lines`` independent
  lines, one of them first-hand; *confirmed* with at least ``confirmed_min_lines`` lines or
  documentary evidence; otherwise *uncorroborated*. When every supporting claim has been
  withdrawn by a retraction, it is *retracted* (``rules.py`` says what a retraction withdraws).
- Denials are recorded and weighed as statements of an interested party: they flag a target
  ``disputed`` (and ``denied_by_authorities`` when the denial is an official statement or comes
  from a perpetrator), they never lower its status.
- Claims about an act also support the event the act belongs to.
"""

from typing import TYPE_CHECKING, Any

from testament.corroborate.errors import CorroborationError, DerivationCycleError
from testament.corroborate.settings import CorroborationSettings

if TYPE_CHECKING:
    from testament.corroborate.graph import CaseGraph
    from testament.corroborate.rules import Assessment, Corroboration, Dependency, corroborate

_LAZY = {
    "CaseGraph": "testament.corroborate.graph",
    "Assessment": "testament.corroborate.rules",
    "Corroboration": "testament.corroborate.rules",
    "Dependency": "testament.corroborate.rules",
    "corroborate": "testament.corroborate.rules",
}


def __getattr__(name: str) -> Any:
    # numpy and scipy load only when the analysis is used, so the command line starts fast
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Assessment",
    "CaseGraph",
    "Corroboration",
    "CorroborationError",
    "CorroborationSettings",
    "Dependency",
    "DerivationCycleError",
    "corroborate",
]
