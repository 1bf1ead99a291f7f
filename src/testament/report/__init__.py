"""Publication: what may be shown to the public, and nothing that identifies anyone.

``disclosure`` decides which cells of a set of count tables can be published: no cell with a
count from 1 to k-1, and no suppressed cell that the published cells (margins, other tables
over the same records) let anyone recover or pin down closely.
"""

from testament.report.disclosure import CountTable, ProtectedTables, protect

__all__ = ["CountTable", "ProtectedTables", "protect"]
