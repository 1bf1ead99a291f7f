"""What the report says, in one language: protected tables, allegations, methodology, appendix.

``compose`` turns a ``Publication`` (already stripped of everything that may not be published,
see ``testament.casework.publication``) into plain values the templates and charts render. The
count tables pass through ``disclosure.protect`` here, and only here: every table, chart and
data file is drawn from its result, so none of them can show a cell it withheld.
"""

from __future__ import annotations

import math
import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata

from testament.casework.publication import UNKNOWN, Allegation, Publication, SourceRef
from testament.core.vocabulary import vocabulary
from testament.report.disclosure import ProtectedTables, protect
from testament.report.i18n import Language, region_name, translations
from testament.report.scan import searched
from testament.report.settings import ReportSettings

DIMENSIONS = ("period", "region", "act_type")
TABLES: tuple[tuple[str, ...], ...] = (
    (),
    ("period",),
    ("region",),
    ("act_type",),
    ("period", "act_type"),
)
"""The count tables published: the total, each dimension alone, and period by act type. Each
more table is one more set of equations an attacker can combine, so the list is short."""

VERSIONS = ("testament", "numpy", "scipy", "matplotlib", "jinja2", "babel", "pypdfium2")


@dataclass(frozen=True)
class Row:
    """One published cell: its categories (as codes and as labels), its count or None."""

    codes: tuple[str, ...]
    labels: tuple[str, ...]
    value: int | None
    reason: str | None  # why withheld: "primary" / "complementary" (None when published)


@dataclass(frozen=True)
class CountView:
    key: str  # "total", "period", "period-act_type", ...
    title: str
    dimensions: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class AllegationView:
    allegation: Allegation
    heading: str
    status: str
    proof: str
    flags: tuple[str, ...]
    period: str
    region: str
    rationale: tuple[str, ...]


@dataclass(frozen=True)
class EstimateView:
    model: str
    method: str
    n_hat: float
    lower: float
    upper: float
    n_hat_text: str
    interval_text: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Content:
    language: Language
    k: int
    protected: ProtectedTables
    tables: tuple[CountView, ...]
    total: int | None
    allegations: tuple[AllegationView, ...]
    timeline: tuple[tuple[str, tuple[AllegationView, ...]], ...]
    estimates: tuple[EstimateView, ...]
    estimate_notes: tuple[str, ...]
    observed: int | None
    lists: tuple[tuple[str, int | None], ...]
    methodology: tuple[tuple[str, str], ...]
    withheld_records: tuple[tuple[str, str, int], ...]
    withheld_cells: tuple[tuple[str, str, str], ...]
    sensitive_checked: int


def compose(publication: Publication, settings: ReportSettings) -> Content:
    """Everything the report shows, in ``settings.language``."""
    language = settings.language
    _ = translations(language).gettext
    counts: dict[tuple[str, ...], int] = {}
    for act in publication.acts:
        key = (act.period, act.region, act.act_type)
        counts[key] = counts.get(key, 0) + act.victims
    protected = (
        protect(counts, DIMENSIONS, TABLES, k=settings.k, floors=listed_floors(publication))
        if counts
        else None
    )
    label = _labeller(language)
    tables: list[CountView] = []
    total: int | None = None
    if protected is not None:
        for table in protected.tables:
            withheld = {
                w.key: w.reason for w in protected.withheld if w.dimensions == table.dimensions
            }
            rows = tuple(
                Row(
                    key,
                    tuple(label(d, c) for d, c in zip(table.dimensions, key, strict=True)),
                    value,
                    withheld.get(key),
                )
                for key, value in sorted(table.cells.items(), key=lambda item: _order(item[0]))
            )
            if not table.dimensions:
                total = rows[0].value
                continue
            tables.append(
                CountView(
                    key="-".join(table.dimensions),
                    title=_table_title(table.dimensions, language),
                    dimensions=table.dimensions,
                    headers=tuple(_dimension_name(d, language) for d in table.dimensions),
                    rows=rows,
                )
            )
    allegations = tuple(_allegation_view(a, publication, language) for a in publication.allegations)
    estimates, notes, observed, lists = _estimates(publication, settings)
    empty = ProtectedTables(settings.k, [])
    return Content(
        language=language,
        k=settings.k,
        protected=protected or empty,
        tables=tuple(tables),
        total=total,
        allegations=allegations,
        timeline=_timeline(allegations),
        estimates=estimates,
        estimate_notes=notes,
        observed=observed,
        lists=lists,
        methodology=_methodology(publication, settings),
        withheld_records=tuple(
            (_record_type(kind, language), _level(level, language), count)
            for kind, level, count in publication.withheld
        ),
        withheld_cells=tuple(
            (
                _table_title(w.dimensions, language),
                ", ".join(label(d, c) for d, c in zip(w.dimensions, w.key, strict=True))
                or _("all"),
                _("fewer than {k} people").format(k=settings.k)
                if w.reason == "primary"
                else _("would let a small cell be worked out from the totals"),
            )
            for w in (protected.withheld if protected else [])
        ),
        sensitive_checked=len(searched(publication.sensitive)),
    )


def listed_floors(publication: Publication) -> dict[tuple[str, ...], int]:
    """What a reader of the allegations knows about each cell: every act listed there (with its
    year, region and type) is at least one victim, so the cell holds at least that many."""
    floors: dict[tuple[str, ...], int] = {}
    for allegation in publication.allegations:
        if allegation.kind == "act" and allegation.act_type is not None:
            key = (allegation.period, allegation.region, allegation.act_type)
            floors[key] = floors.get(key, 0) + 1
    return floors


def _order(key: tuple[str, ...]) -> tuple[tuple[bool, str], ...]:
    """Categories in order, the unknown ones last."""
    return tuple((code == UNKNOWN, code) for code in key)


def _labeller(language: Language) -> Callable[[str, str], str]:
    _ = translations(language).gettext
    act_types = vocabulary("act_type")

    def label(dimension: str, code: str) -> str:
        if code == UNKNOWN:
            return _("unknown")
        if dimension == "act_type":
            return act_types.label(code, language)
        if dimension == "region":
            return f"{code} · {region_name(code, language)}"
        return code

    return label


def act_type_label(code: str, language: Language) -> str:
    return vocabulary("act_type").label(code, language)


def _dimension_name(dimension: str, language: Language) -> str:
    _ = translations(language).gettext
    return {"period": _("Year"), "region": _("Region"), "act_type": _("Type of act")}[dimension]


def _table_title(dimensions: Sequence[str], language: Language) -> str:
    _ = translations(language).gettext
    titles = {
        (): _("All documented victims"),
        ("period",): _("Documented victims by year"),
        ("region",): _("Documented victims by region"),
        ("act_type",): _("Documented victims by type of act"),
        ("period", "act_type"): _("Documented victims by year and type of act"),
    }
    return titles.get(tuple(dimensions), " × ".join(dimensions))


def _record_type(kind: str, language: Language) -> str:
    _ = translations(language).gettext
    names = {
        "act": _("acts"),
        "assessment": _("assessments"),
        "claim": _("claims"),
        "event": _("events"),
        "group": _("groups of victims"),
        "informant": _("informants"),
        "involvement": _("involvements"),
        "organisation": _("organisations"),
        "person": _("persons"),
        "place": _("places"),
        "source": _("sources"),
    }
    return names.get(kind, kind)


def _level(level: str, language: Language) -> str:
    return vocabulary("confidentiality").label(level, language)


def status_label(status: str, language: Language) -> str:
    _ = translations(language).gettext
    return {
        "uncorroborated": _("uncorroborated"),
        "corroborated": _("corroborated"),
        "confirmed": _("confirmed"),
        "retracted": _("retracted"),
    }.get(status, status)


def _proof_label(proof: str, language: Language) -> str:
    _ = translations(language).gettext
    return {
        "none": _("no standard of proof reached"),
        "reasonable_suspicion": _("reasonable suspicion"),
        "reasonable_grounds": _("reasonable grounds to believe"),
        "balance_of_probabilities": _("balance of probabilities"),
    }.get(proof, proof)


def source_label(ref: SourceRef, language: Language) -> str:
    kind = vocabulary("source_kind").label(ref.kind, language)
    details = ", ".join(part for part in (kind, ref.year) if part)
    return f"{ref.outlet} ({details})" if ref.outlet else details


def _allegation_view(
    allegation: Allegation, publication: Publication, language: Language
) -> AllegationView:
    translation = translations(language)
    _, n_ = translation.gettext, translation.ngettext
    a = allegation
    heading = (
        a.title if a.act_type is None else f"{act_type_label(a.act_type, language)}: {a.title}"
    )
    settings = publication.corroboration
    sentences: list[str] = []
    if a.lines:
        text = n_(
            "{n} independent line of reporting supports it",
            "{n} independent lines of reporting support it",
            a.lines,
        ).format(n=a.lines)
        if not a.lines_exact:
            text = _("at least") + " " + text
        sentences.append(text + ".")
        if a.public_lines:
            sentences.append(
                _("Published sources among them: {sources}.").format(
                    sources="; ".join(source_label(ref, language) for ref in a.public_lines)
                )
            )
        if a.confidential_lines:
            sentences.append(
                n_(
                    "{n} line is a confidential source (not named here to protect it).",
                    "{n} lines are confidential sources (not named here to protect them).",
                    a.confidential_lines,
                ).format(n=a.confidential_lines)
            )
        if a.dependent_supporters:
            sentences.append(
                n_(
                    "{n} more source supports it but shares an origin with a line already "
                    "counted, so it adds no independent weight.",
                    "{n} more sources support it but share an origin with a line already "
                    "counted, so they add no independent weight.",
                    a.dependent_supporters,
                ).format(n=a.dependent_supporters)
            )
        sentences.append(
            _("At least one supporting account is first-hand.")
            if a.first_hand
            else _("No supporting account is first-hand.")
        )
        if a.documentary:
            sentences.append(_("Documentary evidence supports it."))
    else:
        sentences.append(_("No source currently supports it."))
    if a.status == "confirmed":
        sentences.append(
            _("Confirmed: at least {n} independent lines, or documentary evidence.").format(
                n=settings.confirmed_min_lines
            )
        )
    elif a.status == "corroborated":
        sentences.append(
            _("Corroborated: at least {n} independent lines, one of them first-hand.").format(
                n=settings.corroborated_min_lines
            )
        )
    elif a.status == "retracted":
        sentences.append(_("Retracted: every supporting account was withdrawn."))
    else:
        sentences.append(
            _("Uncorroborated: corroboration needs {n} independent lines.").format(
                n=settings.corroborated_min_lines
            )
        )
    if a.retractions:
        sentences.append(
            n_(
                "{n} source retracted its account.",
                "{n} sources retracted their accounts.",
                a.retractions,
            ).format(n=a.retractions)
        )
    if a.denials:
        named = [source_label(d.source, language) for d in a.denials if d.source is not None]
        unnamed = sum(d.source is None for d in a.denials)
        who = "; ".join(named)
        if unnamed:
            who = (who + "; " if who else "") + n_(
                "{n} confidential source", "{n} confidential sources", unnamed
            ).format(n=unnamed)
        if a.denied_by_authorities:
            sentences.append(
                _(
                    "Denied by the authorities ({who}). A denial by the accused is recorded as "
                    "the statement of an interested party: it marks the allegation as disputed "
                    "and does not erase it."
                ).format(who=who)
            )
        else:
            sentences.append(_("Disputed by {who}.").format(who=who))
    flags = []
    if a.disputed:
        flags.append(_("disputed"))
    if a.denied_by_authorities:
        flags.append(_("denied by the authorities"))
    return AllegationView(
        allegation=a,
        heading=heading,
        status=status_label(a.status, language),
        proof=_proof_label(a.standard_of_proof, language),
        flags=tuple(flags),
        period=a.period if a.period != UNKNOWN else _("unknown"),
        region=_labeller(language)("region", a.region),
        rationale=tuple(sentences),
    )


def _timeline(
    allegations: Sequence[AllegationView],
) -> tuple[tuple[str, tuple[AllegationView, ...]], ...]:
    """Public events grouped by period, earliest first, undated last."""
    events = [a for a in allegations if a.allegation.kind == "event"]
    periods = sorted({a.allegation.period for a in events}, key=lambda p: (p == UNKNOWN, p))
    return tuple(
        (
            next(a.period for a in events if a.allegation.period == period),
            tuple(a for a in events if a.allegation.period == period),
        )
        for period in periods
    )


def number(value: float) -> str:
    """A count as people read it: 1 234 (thin space), or "no finite limit"."""
    if not math.isfinite(value):
        return "∞"
    return f"{value:,.0f}".replace(",", "\u202f")


def _estimates(
    publication: Publication, settings: ReportSettings
) -> tuple[
    tuple[EstimateView, ...], tuple[str, ...], int | None, tuple[tuple[str, int | None], ...]
]:
    found = publication.estimates
    if found is None:
        return (), (), None, ()
    _ = translations(settings.language).gettext
    k = settings.k
    rows = tuple(
        EstimateView(
            model=row.model,
            method=row.method,
            n_hat=row.n_hat,
            lower=row.lower,
            upper=row.upper,
            n_hat_text=number(row.n_hat),
            interval_text=f"{number(row.lower)} – "
            + (number(row.upper) if math.isfinite(row.upper) else _("no finite limit")),
            notes=row.notes,
        )
        for row in found.rows
    )
    # list totals below k are withheld like any small cell: a list of 3 people may identify them
    lists = tuple(
        (name, total if total == 0 or total >= k else None) for name, total in found.list_totals
    )
    observed = found.observed if found.observed >= k else None
    return rows, found.warnings, observed, lists


def _methodology(publication: Publication, settings: ReportSettings) -> tuple[tuple[str, str], ...]:
    """What was actually run, as (what, value) lines: settings, models, seeds, versions."""
    _ = translations(settings.language).gettext
    lines: list[tuple[str, str]] = [
        (
            _("Records counted"),
            _(
                "only records marked public; restricted and secret records are "
                "counted in the appendix, never described"
            ),
        ),
        (
            _("Dates"),
            _("coarsened to the calendar year (or the span of years of an uncertain date)"),
        ),
        (_("Places"), _("no finer than the region (ISO 3166-2)")),
        (
            _("Documented victims"),
            _("per public act: one for a person, a group's documented minimum size for a group"),
        ),
        (
            _("Disclosure control"),
            _(
                "no cell from 1 to {k1} people is published (k = {k}); further cells are withheld "
                "until no withheld cell can be narrowed to fewer than {k} values from the "
                "published tables (knowing that each act listed among the allegations is at least "
                "one victim), checked by linear programming"
            ).format(k=settings.k, k1=settings.k - 1),
        ),
    ]
    rules = publication.corroboration
    lines.append(
        (
            _("Corroboration"),
            " ".join(
                [
                    (
                        _("Corroborated: at least {n} independent lines, one of them first-hand.")
                        if rules.corroboration_needs_first_hand
                        else _("Corroborated: at least {n} independent lines.")
                    ).format(n=rules.corroborated_min_lines),
                    (
                        _(
                            "Confirmed: at least {n} independent lines, or documentary evidence "
                            "with at least {d} independent line(s)."
                        ).format(
                            n=rules.confirmed_min_lines, d=rules.documentary_confirms_min_lines
                        )
                        if rules.documentary_confirms
                        else _("Confirmed: at least {n} independent lines.").format(
                            n=rules.confirmed_min_lines
                        )
                    ),
                    _("Two reports of one outlet count as independent lines.")
                    if rules.same_outlet_independent
                    else _("Two reports of one outlet count as one line."),
                    _(
                        "A denial by the accused marks an allegation as disputed and does not "
                        "erase it."
                    ),
                ]
            ),
        )
    )
    found = publication.estimates
    if found is not None:
        lines.append(
            (
                _("Estimation"),
                _("multiple systems estimation on {n} lists: {lists}").format(
                    n=len(found.lists), lists=", ".join(found.lists)
                ),
            )
        )
        lines.append(
            (
                _("Capture histories"),
                _("from a capture-history file of linked lists")
                if found.origin == "lists"
                else _("from the casebook's latest linkage run of its listed persons"),
            )
        )
        lines.append((_("Estimation method"), found.method))
        lines.append((_("Models reported"), "; ".join(row.model for row in found.rows)))
        lines.append((_("Random seed"), str(found.seed)))
    else:
        lines.append((_("Estimation"), _("not run (no capture histories were given)")))
    lines.append((_("Python"), platform.python_version()))
    for package in VERSIONS:
        try:
            lines.append((package, metadata.version(package)))
        except metadata.PackageNotFoundError:
            continue
    return tuple(lines)
