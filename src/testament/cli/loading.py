"""Bridges from the store to the analyses (which never import the store themselves)."""

from __future__ import annotations

from testament.corroborate import CaseGraph
from testament.store import Casebook


def load_case_graph(casebook: Casebook) -> CaseGraph:
    """What corroboration needs, read straight from the casebook's tables as plain rows."""
    return CaseGraph.from_rows(
        sources=casebook.table_rows("source", "id", "kind", "outlet"),
        derivations=casebook.table_rows("source_derivation", "source_id", "derived_from_id"),
        informants=casebook.table_rows("informant", "id", "connection"),
        claims=casebook.table_rows(
            "claim",
            "id",
            "source_id",
            "informant_id",
            "target_kind",
            "target_id",
            "stance",
            "basis",
        ),
        acts=casebook.table_rows("act", "id", "event_id"),
    )
