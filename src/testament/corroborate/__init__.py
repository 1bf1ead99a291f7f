"""Corroboration: which allegations stand on independent sources, and which are denied.

    graph = CaseGraph.from_rows(sources=..., derivations=..., informants=..., claims=..., acts=...)
    outcome = corroborate(graph, CorroborationSettings())
    outcome.assessment("event", "chechnya-2017-detentions").rationale

Rules (DESIGN.md, first version; deterministic and explainable):

- Sources fall into *independence clusters*: connected components over ``derived_from`` plus
  shared informants. An outlet re-reporting another adds no independent weight.
- A target (event or act) is *corroborated* when supporting claims come from at least
  ``corroborated_min_clusters`` clusters and one of them is first-hand; *confirmed* with at least
  ``confirmed_min_clusters`` clusters or documentary evidence; otherwise *uncorroborated*. When
  every supporting claim has been retracted, it is *retracted*.
- Denials are recorded and weighed as statements of an interested party: they flag a target
  ``disputed`` (and ``denied_by_authorities`` when the denial is an official statement or comes
  from a perpetrator), they never lower its status.
- Claims about an act also support the event the act belongs to.
"""

from testament.corroborate.graph import CaseGraph, CorroborationError
from testament.corroborate.rules import (
    Assessment,
    Corroboration,
    CorroborationSettings,
    corroborate,
)

__all__ = [
    "Assessment",
    "CaseGraph",
    "Corroboration",
    "CorroborationError",
    "CorroborationSettings",
    "corroborate",
]
