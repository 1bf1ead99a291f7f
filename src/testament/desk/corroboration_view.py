"""What the desk shows of one event's or act's corroboration, as a role may see it.

``casework.corroboration`` weighs every source, whoever reads the result; this module decides
what of it a reader is told. A source the role may not see (``access.may_see``), or whose every
claim on the target the role may not see, is never named: it stands in the lines, the
dependencies, the denials, the rationale and the graph as "restricted source 1", "restricted
source 2", … and is counted; an informant the role may not see is "an
informant"; the outlet two hidden sources share is not named either. The status and the counts
stay what they are: hiding a source from a reader does not change what the casebook supports.

The result of corroborating the whole casebook is kept per casebook state (the last row of the
audit log, which every change to a record writes), so that a page view costs one assessment
rather than a run over every claim.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from sqlalchemy import Engine, and_, or_, select

from testament.core.errors import RecordNotFoundError
from testament.desk.access import Role, may_see
from testament.store.schema import act, audit_log, claim, source

if TYPE_CHECKING:
    from testament.casework.corroboration import CasebookCorroboration
    from testament.corroborate import Assessment
    from testament.corroborate.picture import GraphWords
    from testament.corroborate.rationale import Reason as RationaleReason
    from testament.store import Casebook

#: How a hidden source is named in the graph and the rationale (the page translates its own).
HIDDEN_SOURCE = "restricted source {n}"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why two sources share an origin, in parts the page can translate: ``kind`` is
    ``repeats`` (``a`` repeats ``b``), ``both_repeat`` (``a``), ``outlet`` (``a``, or empty
    when the outlet is not shown), ``informant`` (``a``, or empty when not shown) or
    ``shared`` (no detail)."""

    kind: str
    a: str = ""
    b: str = ""

    def english(self) -> str:
        return {
            "repeats": f"{self.a} repeats {self.b}",
            "both_repeat": f"both repeat {self.a}",
            "outlet": f"both draw on the outlet {self.a}" if self.a else "both draw on one outlet",
            "informant": (
                f"both rest on the informant {self.a}" if self.a else "both rest on one informant"
            ),
        }.get(self.kind, "they share an origin")


@dataclass(frozen=True, slots=True)
class DependentSource:
    name: str
    hidden: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Line:
    """One independent line: the source counted for it and the sources that lean on it."""

    name: str
    hidden: bool
    dependents: tuple[DependentSource, ...]


@dataclass(frozen=True, slots=True)
class DenialShown:
    name: str
    hidden: bool
    source_kind: str
    by_authorities: bool


@dataclass(frozen=True)
class CorroborationShown:
    """One target's corroboration, every hidden source under a numbered label, not its name."""

    assessment: Assessment  # redacted: safe to draw and to print whole
    title: str
    lines: tuple[Line, ...]
    unattached: tuple[DependentSource, ...]
    denials: tuple[DenialShown, ...]
    hidden_sources: int
    svg: str = field(repr=False)
    #: The rationale clause by clause (``corroborate.rationale``), hidden sources under their
    #: labels; the ``why`` of a ``not_independent`` clause is a tuple of ``Reason`` here, so
    #: that the page can say it in the reader's language.
    rationale: tuple[RationaleReason, ...] = ()


#: The audit actions that change records. A view or a download of a secret record, a pull's
#: summary row and a reply are audited too, but change nothing corroboration reads.
CHANGES = ("create", "update", "delete")


def casebook_state(engine: Engine) -> int:
    """A number that changes whenever a record changes: the last audit row of a change. Read
    from the end of the log backwards, so it costs as many rows as were audited since the last
    change (openings of secret records, mostly), not the whole log."""
    with engine.connect() as connection:
        last = connection.execute(
            select(audit_log.c.seq)
            .where(audit_log.c.action.in_(CHANGES))
            .order_by(audit_log.c.seq.desc())
            .limit(1)
        ).scalar_one_or_none()
    return int(last or 0)


class CorroborationCache:
    """The last corroboration of one casebook, recomputed when the casebook has changed.

    One computation at a time runs in a thread, and the pages read its result. After a change,
    a casebook whose last computation took at most ``background_after`` seconds is worth
    waiting for: the page waits for the new result (a researcher who has just coded a claim
    sees its effect). One that took longer (a million claims take tens of seconds) is
    recomputed while pages keep showing the previous result, marked as not current
    (``Cached.current``): a reviewer waits a moment for new statuses rather than every page
    waiting for them. The first computation starts when the desk starts (``start``); a page
    waits ``first_wait`` seconds for it, and then says that the statuses are being computed
    (``get`` gives None) instead of holding the reviewer for half a minute."""

    def __init__(
        self,
        compute: Callable[[Casebook], CasebookCorroboration],
        *,
        background_after: float = 3.0,
        first_wait: float = 3.0,
    ) -> None:
        self._compute = compute
        self._background_after = background_after
        self._first_wait = first_wait
        self._lock = threading.Lock()
        self._state: int | None = None
        self._result: CasebookCorroboration | None = None
        self._took = 0.0
        self._worker: threading.Thread | None = None

    def start(self, casebook: Casebook) -> None:
        """Begin the first computation in the background (at the desk's start)."""
        state = casebook_state(casebook.engine)
        with self._lock:
            if self._result is None:
                self._ensure_worker(casebook, state)

    def get(self, casebook: Casebook) -> Cached | None:
        """The latest result, and whether it is of the casebook as it is now; None while the
        first computation is still running after ``first_wait`` seconds."""
        state = casebook_state(casebook.engine)
        with self._lock:
            cached = self._cached(state)
            if cached is not None and cached.current:
                return cached
            worker = self._ensure_worker(casebook, state)
            if cached is not None and self._took > self._background_after:
                return cached  # a slow casebook: the last result, marked, meanwhile
        worker.join(self._first_wait if cached is None else self._background_after)
        with self._lock:
            cached = self._cached(state)
            if (cached is not None and cached.current) or worker.is_alive():
                return cached
            if cached is not None and self._took > self._background_after:
                return cached
            # The computation ended without this state's result: it failed in its thread, or
            # weighed an older state. Run it here: a failure is then reported like any other
            # (the generic error page, the server's log), never "being computed" forever.
            self._run(casebook, state)
            return self._cached(state)

    def _cached(self, state: int) -> Cached | None:
        """The result held now, and whether it is of ``state`` (call with the lock held)."""
        if self._result is None:
            return None
        return Cached(self._result, current=self._state == state)

    def _ensure_worker(self, casebook: Casebook, state: int) -> threading.Thread:
        """The running computation, started now if none runs (call with the lock held)."""
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(
                target=self._refresh, args=(casebook, state), daemon=True
            )
            self._worker.start()
        return self._worker

    def _store(self, result: CasebookCorroboration, state: int, took: float) -> None:
        """Keep ``result`` (call with the lock held). The first computation's time is not
        kept: it includes loading the analysis code, seconds that later ones do not take, so
        the first change after the start is always waited for, and the next times are real."""
        first = self._result is None
        self._result, self._state = result, state
        self._took = 0.0 if first else took

    def _run(self, casebook: Casebook, state: int) -> None:
        started = time.perf_counter()
        result = self._compute(casebook)
        self._store(result, state, time.perf_counter() - started)

    def _refresh(self, casebook: Casebook, state: int) -> None:
        started = time.perf_counter()
        try:
            result = self._compute(casebook)
        except Exception:  # noqa: BLE001 - the next view computes again, in its own request
            with self._lock:
                self._took = 0.0
            return
        with self._lock:
            self._store(result, state, time.perf_counter() - started)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a computation running in the background (tests, benchmarks)."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)


@dataclass(frozen=True, slots=True)
class Cached:
    result: CasebookCorroboration
    current: bool


_REPEATS = re.compile(r"^(?P<a>.+) repeats (?P<b>.+)$")
_BOTH_REPEAT = re.compile(r"^both repeat (?P<a>.+)$")
_OUTLET = re.compile(r"^both draw on the outlet (?P<a>.+)$")
_INFORMANT = re.compile(r"^both rest on the informant (?P<a>.+)$")


def _reason(
    text: str, name: Callable[[str], str], pair_hidden: bool, informants_shown: bool
) -> Reason:
    if found := _REPEATS.match(text):
        return Reason("repeats", name(found["a"]), name(found["b"]))
    if found := _BOTH_REPEAT.match(text):
        return Reason("both_repeat", name(found["a"]))
    if found := _OUTLET.match(text):
        return Reason("outlet", "" if pair_hidden else found["a"])
    if found := _INFORMANT.match(text):
        return Reason("informant", found["a"] if informants_shown else "")
    return Reason("shared")


def _confidentiality(engine: Engine, ids: set[str]) -> dict[str, str]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(source.c.id, source.c.confidentiality).where(source.c.id.in_(sorted(ids)))
        )
        return {row.id: row.confidentiality for row in rows}


def _mentioned(assessment: Assessment) -> set[str]:
    names = {*assessment.supporting, *assessment.lines, *assessment.retracted_sources}
    names |= {denial.source_id for denial in assessment.denials}
    names |= set(assessment.denial_lines)
    for dependency in assessment.dependencies:
        names |= {dependency.source, dependency.other}
        for text in dependency.reasons:
            for pattern in (_REPEATS, _BOTH_REPEAT):
                if found := pattern.match(text):
                    names |= {v for v in found.groupdict().values() if v}
    return names


def _claims_unseen(
    engine: Engine, role: Role, target_kind: str, target_id: str, sources: set[str]
) -> set[str]:
    """The sources among ``sources`` whose every claim on the target (or, for an event, on its
    acts) is one the role may not see: naming such a source would say what a hidden claim is."""
    targets = [claim.c.target_kind == target_kind, claim.c.target_id == target_id]
    with engine.connect() as connection:
        about = and_(*targets)
        if target_kind == "event":
            acts = select(act.c.id).where(act.c.event_id == target_id)
            about = or_(about, and_(claim.c.target_kind == "act", claim.c.target_id.in_(acts)))
        rows = connection.execute(
            select(claim.c.source_id, claim.c.confidentiality).where(
                about, claim.c.source_id.in_(sorted(sources))
            )
        ).all()
    seen = {row.source_id for row in rows if may_see(role, "claim", row.confidentiality)}
    claimed = {row.source_id for row in rows}
    return claimed - seen


def _title(
    casebook: Casebook,
    target_kind: str,
    target_id: str,
    act_type_label: Callable[[str], str] | None = None,
) -> str:
    """The target's own title. Not ``CasebookCorroboration.title``: an act's names its event,
    which the reader may not be allowed to see."""
    from testament.core.records import Act, Event

    record = casebook.get(target_kind, target_id)
    if isinstance(record, Event):
        return record.title
    if isinstance(record, Act):
        if act_type_label is not None:
            return act_type_label(record.act_type.value)
        return record.act_type.value.replace("_", " ")
    return ""


def shown_corroboration(
    casebook: Casebook,
    result: CasebookCorroboration,
    role: Role,
    target_kind: str,
    target_id: str,
    *,
    hidden_label: Callable[[int], str] | None = None,
    graph_words: GraphWords | None = None,
    reason_label: Callable[[Reason], str] = Reason.english,
    act_type_label: Callable[[str], str] | None = None,
) -> CorroborationShown | None:
    """``target``'s corroboration as ``role`` may read it, or None when no claim is about it.

    ``hidden_label`` names the n-th hidden source in the reader's language, ``graph_words`` are
    the graph's texts, ``reason_label`` says why two sources share an origin in it and
    ``act_type_label`` names an act's type, its title (English when not given)."""
    from testament.corroborate.picture import ENGLISH, dependence_svg
    from testament.corroborate.rationale import rationale_reasons
    from testament.corroborate.rules import with_rationale

    try:
        full = result.explain(target_id, target_kind)
    except RecordNotFoundError:
        return None
    mentioned = _mentioned(full)
    levels = _confidentiality(casebook.engine, mentioned)
    unseen_claims = _claims_unseen(
        casebook.engine,
        role,
        target_kind,
        target_id,
        {*full.supporting, *(d.source_id for d in full.denials)},
    )
    hidden = sorted(
        s
        for s in mentioned
        if s in unseen_claims or not may_see(role, "source", levels.get(s, "secret"))
    )
    label = hidden_label or (lambda n: HIDDEN_SOURCE.format(n=n))
    label_of: Mapping[str, str] = {s: label(n) for n, s in enumerate(hidden, start=1)}

    def name(source_id: str) -> str:
        return label_of.get(source_id, source_id)

    def rank(source_id: str) -> tuple[bool, str]:
        """Visible sources first (in their order), then the hidden ones: where a numbered label
        stood among ids sorted by name would hint at the hidden id."""
        return source_id in label_of, label_of.get(source_id, "")

    def names(source_ids: list[str]) -> list[str]:
        return [name(s) for s in sorted(source_ids, key=rank)]

    denials_in_order = sorted(full.denials, key=lambda d: rank(d.source_id))

    informants_shown = may_see(role, "informant", "secret")  # secret whatever their mark
    redacted_dependencies = []
    reasons_of: dict[tuple[str, str], tuple[Reason, ...]] = {}
    for dependency in full.dependencies:
        pair_hidden = dependency.source in label_of or dependency.other in label_of
        reasons = tuple(
            _reason(text, name, pair_hidden, informants_shown) for text in dependency.reasons
        )
        reasons_of[(dependency.source, dependency.other)] = reasons
        redacted_dependencies.append(
            replace(
                dependency,
                source=name(dependency.source),
                other=name(dependency.other),
                reasons=[reason.english() for reason in reasons],
            )
        )
    redacted = replace(
        full,
        lines=names(full.lines),
        supporting=names(full.supporting),
        dependencies=redacted_dependencies,
        denials=[replace(d, source_id=name(d.source_id), claim_id="") for d in denials_in_order],
        denial_lines=names(full.denial_lines),
        retracted_sources=names(full.retracted_sources),
    )
    redacted = with_rationale(redacted, result.settings)
    # Who leans on whom, once: a line's dependents are the supporting sources that share an
    # origin with it (reasons keyed by both orders of the pair).
    reasons_with: dict[str, dict[str, tuple[Reason, ...]]] = {}
    for (one, other), found in reasons_of.items():
        reasons_with.setdefault(one, {})[other] = found
        reasons_with.setdefault(other, {})[one] = found
    counted = set(full.lines)
    supporting = sorted(full.supporting, key=rank)
    lines: list[Line] = []
    attached: set[str] = set()
    for line in sorted(full.lines, key=rank):
        near = reasons_with.get(line, {})
        dependents = [
            DependentSource(name(other), other in label_of, near[other])
            for other in supporting
            if other in near and other not in counted
        ]
        attached.update(near.keys() - counted)
        lines.append(Line(name(line), line in label_of, tuple(dependents)))
    unattached = tuple(
        DependentSource(
            name(s),
            s in label_of,
            tuple(r for found in reasons_with.get(s, {}).values() for r in found),
        )
        for s in supporting
        if s not in counted and s not in attached
    )
    denials = tuple(
        DenialShown(name(d.source_id), d.source_id in label_of, d.source_kind, d.by_authorities)
        for d in denials_in_order
    )
    title = _title(casebook, target_kind, target_id, act_type_label)
    by_names = {(name(one), name(other)): found for (one, other), found in reasons_of.items()}
    rationale = tuple(
        replace(
            clause,
            params=MappingProxyType(
                {**clause.params, "why": by_names[clause.params["source"], clause.params["other"]]}
            ),
        )
        if clause.code == "not_independent"
        else clause
        for clause in rationale_reasons(redacted, result.settings)
    )
    drawn = replace(
        redacted,
        dependencies=[
            replace(
                dependency,
                reasons=[reason_label(r) for r in by_names[dependency.source, dependency.other]],
            )
            for dependency in redacted.dependencies
        ],
    )
    return CorroborationShown(
        assessment=redacted,
        title=title,
        lines=tuple(lines),
        unattached=unattached,
        denials=denials,
        hidden_sources=len(hidden),
        svg=dependence_svg(drawn, title, graph_words or ENGLISH),
        rationale=rationale,
    )
