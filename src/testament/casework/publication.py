"""Everything a public report needs from a casebook, gathered in one call, already made safe.

``gather`` is the only place the report touches the casebook: ``testament.report`` renders the
``Publication`` it returns and never opens the store. What leaves this module is already
coarsened the way the report publishes it, so no later step can undo the protection:

- only records whose confidentiality is ``public`` are described; restricted and secret records
  are only counted (in ``withheld``, by type and level — never their content);
- dates become the report's period (a calendar year, or the span of years an uncertain date
  covers); places become their ISO 3166-2 region, never anything finer;
- sources are named by kind, outlet and year when public, and only counted when not;
- ``sensitive`` lists every string of the casebook that must never appear in the output (names
  as reported, pseudonyms, excerpts, places below region, ...), with the record and field it
  came from, so the report's checker can name the field of a leak without printing it.

Corroboration runs on the whole casebook (``casework.corroboration``: a confidential testimony
is still an independent line), and the report shows how many of a status's lines are
confidential, not which.
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from testament.core.records import (
    Act,
    AnyRecord,
    Assessment,
    Claim,
    Event,
    Group,
    Informant,
    Organisation,
    Person,
    Place,
    Source,
)
from testament.core.terms import Confidentiality, PlacePrecision
from testament.corroborate import CorroborationSettings

if TYPE_CHECKING:
    from testament.casework.corroboration import CasebookCorroboration
    from testament.estimate.report import Estimate, Method
    from testament.store import Casebook

UNKNOWN = "unknown"
"""The category of a period or region the casebook does not know (published as such)."""

_REGION_OR_COARSER = {PlacePrecision.REGION, PlacePrecision.COUNTRY}


@dataclass(frozen=True)
class ActRow:
    """One public act as the report counts it: coarse period, region, type, victims."""

    period: str
    region: str
    act_type: str
    victims: int  # the documented minimum: 1 for a person, a group's size_min (or 1)


@dataclass(frozen=True)
class SourceRef:
    """A public source as the report names it: kind, outlet and year, never its title."""

    kind: str
    outlet: str | None
    year: str | None


@dataclass(frozen=True)
class DenialRef:
    source: SourceRef | None  # None: the denying source is not public
    by_authorities: bool


@dataclass(frozen=True)
class Allegation:
    """A public event or act with its corroboration, in facts the report can phrase in any
    language (the corroborate package's own rationale names record ids and is English)."""

    kind: str  # "event" or "act"
    id: str
    title: str  # the public event's title (for an act, its event's)
    act_type: str | None
    period: str
    region: str
    status: str
    standard_of_proof: str
    disputed: bool
    denied_by_authorities: bool
    lines: int
    lines_exact: bool
    public_lines: tuple[SourceRef, ...]
    confidential_lines: int
    dependent_supporters: int  # supporting sources that add no line (they share an origin)
    first_hand: bool
    documentary: bool
    denials: tuple[DenialRef, ...]
    denial_lines: int
    retractions: int


@dataclass(frozen=True)
class Sensitive:
    """A string that must never be published, and where it comes from."""

    record_type: str
    record_id: str
    field: str
    value: str


@dataclass(frozen=True)
class EstimateRow:
    method: str
    model: str
    n_hat: float
    lower: float
    upper: float
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Estimates:
    """What multiple systems estimation gave for the capture histories of ``lists``."""

    origin: str  # "lists" (a capture-history file) or "casebook" (its latest linkage run)
    lists: tuple[str, ...]
    observed: int
    list_totals: tuple[tuple[str, int], ...]
    method: str
    seed: int | None
    rows: tuple[EstimateRow, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Publication:
    """The casebook as a public report may show it (see the module docstring)."""

    acts: tuple[ActRow, ...]
    allegations: tuple[Allegation, ...]
    withheld: tuple[tuple[str, str, int], ...]  # (record type, confidentiality, count)
    sensitive: tuple[Sensitive, ...]
    corroboration: CorroborationSettings
    estimates: Estimates | None = None
    record_counts: tuple[tuple[str, int], ...] = field(default=())


def gather(
    casebook: Casebook,
    corroboration: CorroborationSettings | None = None,
    *,
    lists: Path | None = None,
    method: Method = "loglinear",
    seed: int | None = 1,
) -> Publication:
    """Read ``casebook`` once and return what may be published from it (and what may not).

    Estimates come from ``lists`` when given (a capture-history CSV: one 0/1 column per list,
    ``count``), else from the casebook's latest linkage run when it has one (its linked persons'
    capture histories, ``casework.estimation``); ``method`` and ``seed`` are the estimation's.
    """
    from testament.casework.corroboration import corroborate_casebook

    settings = corroboration or CorroborationSettings()
    records: dict[str, list[AnyRecord]] = {
        kind: list(casebook.records(kind))
        for kind in (
            "place",
            "source",
            "informant",
            "person",
            "group",
            "event",
            "act",
            "claim",
            "organisation",
            "assessment",
        )
    }
    found = corroborate_casebook(casebook, settings)
    view = _View(records)
    if lists is not None:
        estimates: Estimates | None = estimate_lists(lists, method, seed)
    else:
        estimates = _estimate_casebook(casebook, view, method, seed)
    return Publication(
        acts=tuple(view.act_rows()),
        allegations=tuple(view.allegations(found)),
        withheld=tuple(view.withheld()),
        sensitive=tuple(sensitive_strings(r for group in records.values() for r in group)),
        corroboration=settings,
        estimates=estimates,
        record_counts=tuple((kind, len(group)) for kind, group in sorted(records.items())),
    )


def _public(record: AnyRecord) -> bool:
    return record.confidentiality is Confidentiality.PUBLIC


def period_of(edtf: str | None) -> str:
    """The calendar year a date falls in, ``"2013–2014"`` when it may fall in either, or
    ``unknown``: never the month or day (they can identify a person)."""
    if not edtf:
        return UNKNOWN
    from edtf import parse_edtf

    parsed = parse_edtf(edtf)
    low, high = parsed.lower_strict(), parsed.upper_strict()
    if not isinstance(low, tuple) or not isinstance(high, tuple):
        return UNKNOWN  # an open end ("../2017"): no year is certain
    first, last = int(low[0]), int(high[0])
    return str(first) if first == last else f"{first}–{last}"


class _View:
    """Lookups over the casebook's records, for turning them into public rows."""

    def __init__(self, records: dict[str, list[AnyRecord]]) -> None:
        self.records = records
        self.places = {r.id: r for r in records["place"] if isinstance(r, Place)}
        self.events = {r.id: r for r in records["event"] if isinstance(r, Event)}
        self.acts = {r.id: r for r in records["act"] if isinstance(r, Act)}
        self.sources = {r.id: r for r in records["source"] if isinstance(r, Source)}
        self.groups = {r.id: r for r in records["group"] if isinstance(r, Group)}

    def region(self, place_id: str | None) -> str:
        """The ISO 3166-2 region of a place (any place, public or not: a region names no one)."""
        place = self.places.get(place_id or "")
        return place.iso3166_2 if place is not None and place.iso3166_2 else UNKNOWN

    def act_where_when(self, act: Act) -> tuple[str, str]:
        event = self.events.get(act.event_id)
        date = act.date or (event.date if event is not None else None)
        place_id = act.place_id or (event.place_id if event is not None else None)
        return period_of(date.edtf if date else None), self.region(place_id)

    def victims(self, act: Act) -> int:
        group = self.groups.get(act.victim_id or "")
        return group.size_min if group is not None and group.size_min else 1

    def act_rows(self) -> Iterator[ActRow]:
        for act in self.acts.values():
            if _public(act):
                period, region = self.act_where_when(act)
                yield ActRow(period, region, act.act_type.value, self.victims(act))

    def source_ref(self, source_id: str) -> SourceRef | None:
        source = self.sources.get(source_id)
        if source is None or not _public(source):
            return None
        year = period_of(source.published.edtf) if source.published else None
        return SourceRef(source.kind.value, source.outlet, year if year != UNKNOWN else None)

    def list_name(self, source_id: str, position: int) -> str:
        """A list as the report names it: its public outlet or title, else only its number."""
        source = self.sources.get(source_id)
        if source is not None and _public(source):
            return source.outlet or source.title or source.id
        return f"#{position}"

    def allegations(self, outcome: CasebookCorroboration) -> Iterator[Allegation]:
        for event in self.events.values():
            if not _public(event):
                continue
            period = period_of(event.date.edtf if event.date else None)
            yield self._allegation(
                outcome, "event", event.id, event.title, None, period, self.region(event.place_id)
            )
            for act in self.acts.values():
                if act.event_id == event.id and _public(act):
                    act_period, region = self.act_where_when(act)
                    yield self._allegation(
                        outcome, "act", act.id, event.title, act.act_type.value, act_period, region
                    )

    def _allegation(  # noqa: PLR0917 (one private call site per kind, all arguments named there)
        self,
        outcome: CasebookCorroboration,
        kind: str,
        target_id: str,
        title: str,
        act_type: str | None,
        period: str,
        region: str,
    ) -> Allegation:
        from testament.core.errors import RecordNotFoundError

        try:
            found = outcome.explain(target_id, kind)
        except RecordNotFoundError:  # nothing claims anything about it
            return Allegation(
                kind,
                target_id,
                title,
                act_type,
                period,
                region,
                "uncorroborated",
                "none",
                False,
                False,
                0,
                True,
                (),
                0,
                0,
                False,
                False,
                (),
                0,
                0,
            )
        refs = [self.source_ref(source) for source in found.lines]
        public = tuple(sorted((r for r in refs if r is not None), key=_ref_key))
        denials = tuple(
            sorted(
                {DenialRef(self.source_ref(d.source_id), d.by_authorities) for d in found.denials},
                key=lambda d: (d.source is None, _ref_key(d.source) if d.source else ("",)),
            )
        )
        return Allegation(
            kind=kind,
            id=target_id,
            title=title,
            act_type=act_type,
            period=period,
            region=region,
            status=found.status.value,
            standard_of_proof=found.standard_of_proof.value,
            disputed=found.disputed,
            denied_by_authorities=found.denied_by_authorities,
            lines=len(found.lines),
            lines_exact=found.lines_exact,
            public_lines=public,
            confidential_lines=len(refs) - len(public),
            dependent_supporters=len(found.supporting) - len(found.lines),
            first_hand=found.first_hand,
            documentary=found.documentary,
            denials=denials,
            denial_lines=len(found.denial_lines),
            retractions=len(found.retracted_sources),
        )

    def withheld(self) -> Iterator[tuple[str, str, int]]:
        counts = Counter(
            (kind, record.confidentiality.value)
            for kind, group in self.records.items()
            for record in group
            if not _public(record)
        )
        for (kind, level), count in sorted(counts.items()):
            yield kind, level, count


def _ref_key(ref: SourceRef) -> tuple[str, ...]:
    return (ref.outlet or "", ref.kind, ref.year or "")


def sensitive_strings(records: Iterable[AnyRecord]) -> Iterator[Sensitive]:
    """Every string of ``records`` that a public output must never contain.

    Always (whatever the record's confidentiality): names as reported of persons, informants'
    pseudonyms and vault references, excerpts of claims that are not public, and names of places
    finer than a region (the report publishes regions only). For restricted and secret records,
    also every other descriptive text: titles, summaries, authors, URLs, pseudonyms, descriptions.
    """
    for record in records:
        for name, value in _private_fields(record, secret=not _public(record)):
            if value:
                yield Sensitive(record.type, record.id, name, value)


def _private_fields(record: AnyRecord, *, secret: bool) -> Sequence[tuple[str, str | None]]:
    """The fields of one record that must stay private (see ``sensitive_strings``). Dates as
    reported ("late 2013") are not among them: common phrases that identify no one."""
    match record:
        case Person():
            names = [(f"names[{i}]", name.name) for i, name in enumerate(record.names)]
            return names + ([("pseudonym", record.pseudonym)] if secret else [])
        case Informant():
            return [("pseudonym", record.pseudonym), ("identity_ref", record.identity_ref)]
        case Claim() if secret:
            return [("excerpt", record.excerpt)]
        case Place() if secret or record.sensitive or record.precision not in _REGION_OR_COARSER:
            return [("name", record.name)]
        case Source() if secret:
            return [("title", record.title), ("author", record.author), ("url", record.url)]
        case Event() if secret:
            return [("title", record.title), ("summary", record.summary)]
        case Group() if secret:
            return [("pseudonym", record.pseudonym), ("description", record.description)]
        case Organisation() if secret:
            return [("name", record.name)]
        case Assessment() if secret:
            return [("rationale", record.rationale), ("reviewer", record.reviewer)]
        case _:
            return []


def estimate_lists(path: Path, method: Method, seed: int | None) -> Estimates:
    """Multiple systems estimation on a capture-history file, its warnings kept as notes."""
    from testament.estimate.report import estimate_table
    from testament.estimate.table import read_table

    table = read_table(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = estimate_table(table, method, seed=seed)
    return _estimates(
        "lists",
        table.lists,
        table.list_totals(),
        table.observed,
        method,
        seed,
        found,
        _notes(caught, str(path)),
    )


def _estimate_casebook(
    casebook: Casebook, view: _View, method: Method, seed: int | None
) -> Estimates | None:
    """Estimates from the casebook's latest linkage run, or None when it has none (or the run
    cannot be estimated: its persons on one list only, say)."""
    from testament.casework.estimation import EstimationSettings, estimate_casebook
    from testament.estimate.errors import EstimateError
    from testament.store.persons import person_links

    if not person_links(casebook):
        return None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            found = estimate_casebook(casebook, EstimationSettings(method=method, seed=seed))
        except EstimateError:
            return None
    table = found.histories.table()
    names = {name: view.list_name(name, i) for i, name in enumerate(table.lists, start=1)}
    totals = {names[name]: total for name, total in table.list_totals().items()}
    return _estimates(
        "casebook",
        tuple(names.values()),
        totals,
        table.observed,
        method,
        seed,
        list(found.estimates),
        _notes(caught, found.histories.run_id),
    )


def _notes(caught: list[warnings.WarningMessage], where: str) -> tuple[str, ...]:
    """Each warning once; the file or run it names is the operator's, not the public's."""
    return tuple(dict.fromkeys(str(w.message).replace(where, "the lists") for w in caught))


def _estimates(  # noqa: PLR0917 (one private builder for the two origins)
    origin: str,
    lists: tuple[str, ...],
    totals: dict[str, int],
    observed: int,
    method: str,
    seed: int | None,
    found: list[Estimate],
    notes: tuple[str, ...],
) -> Estimates:
    return Estimates(
        origin=origin,
        lists=lists,
        observed=observed,
        list_totals=tuple(totals.items()),
        method=method,
        seed=seed,
        rows=tuple(
            EstimateRow(e.method, e.model, e.n_hat, e.lower, e.upper, e.notes) for e in found
        ),
        warnings=notes,
    )


def to_json(publication: Publication) -> str:
    """For debugging and tests: the publication's public part as JSON (``sensitive`` left out)."""
    from dataclasses import asdict

    data = asdict(publication)
    data.pop("sensitive")
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
