"""Publication: what may be shown to the public, and nothing that identifies anyone.

    publication = casework.publication.gather(casebook, lists=history_csv)
    written = build_report(publication, Path("report"), ReportSettings(language="ru"))

- ``disclosure``: which cells of a set of count tables can be published — no cell with a count
  from 1 to k-1, and no withheld cell that the published cells (margins, other tables over the
  same records) let anyone recover or pin down closely (audited by linear programming).
- ``content``: the report's text in one language (tables through ``disclosure``, allegations
  with their rationale, methodology, the "withheld and why" appendix); ``charts``: its SVG charts.
- ``build``: writes the folder (HTML, charts, optional PDF via ``pdf`` and public data), and
  publishes it only after ``scan`` found none of the casebook's private strings in any file.

The report never opens the casebook: ``testament.casework.publication`` gathers what it may show.
Modules load lazily, so that the command line starts without numpy, scipy or matplotlib.
"""

from typing import TYPE_CHECKING, Any

from testament.report.errors import DisclosureLeakError, ReportError
from testament.report.settings import ReportSettings

if TYPE_CHECKING:
    from testament.report.build import Written, build_report
    from testament.report.disclosure import CountTable, ProtectedTables, protect

_LAZY = {
    "CountTable": "testament.report.disclosure",
    "ProtectedTables": "testament.report.disclosure",
    "protect": "testament.report.disclosure",
    "Written": "testament.report.build",
    "build_report": "testament.report.build",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CountTable",
    "DisclosureLeakError",
    "ProtectedTables",
    "ReportError",
    "ReportSettings",
    "Written",
    "build_report",
    "protect",
]
