"""Casework: the analyses applied to a casebook, as library calls.

Each function here takes an open ``Casebook`` and settings, feeds one analysis the rows it needs
(read from the store in memory, no intermediate files), stores what the analysis found back in
the casebook where that is its result, and returns a typed result. The command line and, later,
the web desk are thin shells over these functions; the analyses themselves (``link``,
``corroborate``, ``estimate``) still never import the store.

Built so far: ``linking.link_casebook`` (record linkage of the persons on a casebook's lists).
Planned: corroboration and estimation over a casebook in the same way.
"""
