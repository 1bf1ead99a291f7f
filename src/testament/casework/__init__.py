"""Casework: the analyses applied to a casebook, as library calls.

Each function here takes an open ``Casebook`` and settings, feeds one analysis the rows it needs
(read from the store in memory, no intermediate files), stores what the analysis found back in
the casebook where that is its result, and returns a typed, frozen result. The command line, the
web desk and reports are thin shells over these functions, so that each question is answered
one way; the analyses themselves (``link``, ``corroborate``, ``estimate``) never import the store.

- ``corroboration.corroborate_casebook(casebook, settings)``: every event's and act's status,
  flags, independent lines, dependencies, denials and rationale, titles, and each claim's status
  (``testament corroborate``, ``claims``, ``show``, the demo). ``corroboration.case_graph``
  reads the casebook as corroboration's graph.
- ``linking.link_casebook(casebook, settings, actor=...)``: links the persons on the casebook's
  lists and stores the clusters as one audited run of person links (``testament link casebook``).
- ``histories.capture_histories(casebook, run_id=None)``: the people of a stored linkage run
  (the latest by default) counted by the lists that recorded them, the capture table
  estimation takes (``testament link casebook --history``).
- ``estimation.estimate_casebook(casebook, settings, run_id=None)``: the estimates
  ``testament estimate`` prints, computed from those histories by ``testament.estimate``'s own
  functions (``testament estimate --db``).

The modules are imported one by one (``from testament.casework.corroboration import ...``):
each loads its analysis' numeric libraries, which the command line loads only when a command
needs them.
"""
