"""The casebook's records: HURIDOCS Events Standard Formats, modernised (docs/architecture.md).

Every record has an ``id`` (chosen by whoever creates it, stable across exports) and a
``confidentiality``. Who created and changed a record, when, and its version are kept by the
store and its append-only audit log, not in the record itself: a record is the content a
researcher codes, and exports of it are the same whichever casebook they come from.

In JSON Lines every record carries a ``type`` field naming its kind, so one file can hold a whole
casebook; ``Record`` is the union the importer validates against.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Self

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from testament.core.dates import edtf_problem
from testament.core.terms import (
    ActStatusAtEnd,
    ActType,
    AgeBand,
    Basis,
    Confidentiality,
    EventRelation,
    InformantConnection,
    InvolvementDegree,
    OrganisationType,
    PlacePrecision,
    Reliability,
    RiskLevel,
    Sex,
    SourceKind,
    Stance,
)

RecordId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"),
    Field(description="Stable identifier: letters, digits and . _ : - (at most 128 characters)."),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=500)]
LanguageTag = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"),
    Field(description="BCP 47 language tag, e.g. ru, en, ce (Chechen), ru-Latn."),
]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


def _check_edtf(value: str) -> str:
    problem = edtf_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _check_iso3166_2(value: str) -> str:
    if pycountry.subdivisions.get(code=value) is None:  # type: ignore[no-untyped-call]
        raise ValueError(f"{value!r} is not an ISO 3166-2 subdivision code (e.g. RU-CE, RU-DA)")
    return value


EdtfValue = Annotated[
    str,
    AfterValidator(_check_edtf),
    Field(description="Extended Date/Time Format (EDTF), e.g. 2017-04-01, 2013-09~/2013-12~."),
]


def _check_range(low: int | None, high: int | None, name: str) -> None:
    if low is not None and high is not None and high < low:
        raise ValueError(f"{name}_max must not be below {name}_min")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class ReportedDate(_Model):
    """A date as EDTF, with the words it was reported in ("late 2013" -> 2013-09~/2013-12~)."""

    edtf: EdtfValue
    as_reported: ShortText | None = None


class ReportedName(_Model):
    """A name as one source wrote it, in its own script."""

    name: ShortText
    script: Literal["Cyrl", "Latn", "Arab", "other"] | None = None
    source_id: RecordId | None = None


class Span(_Model):
    """Character offsets [start, end) of an excerpt within its source's extracted text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError("span end must not be before its start")
        return self


class EventLink(_Model):
    relation: EventRelation
    event_id: RecordId


class _Record(_Model):
    id: RecordId
    confidentiality: Confidentiality = Confidentiality.RESTRICTED


class Source(_Record):
    """Where information comes from: a testimony, an article, a report, an official statement..."""

    type: Literal["source"] = "source"
    kind: SourceKind
    title: ShortText | None = None
    outlet: ShortText | None = None
    author: ShortText | None = None
    url: Annotated[str, StringConstraints(pattern=r"^(https?|onion|file)://\S+$")] | None = None
    sha256: Sha256 | None = Field(default=None, description="SHA-256 of the original bytes.")
    published: ReportedDate | None = None
    language: LanguageTag | None = None
    derived_from: tuple[RecordId, ...] = Field(
        default=(), description="Sources this one repeats: it adds no independent weight to them."
    )
    text: Text | None = Field(default=None, description="Extracted plain text of the original.")


class Informant(_Record):
    """A person who gave information, known to the casebook only by a pseudonym."""

    type: Literal["informant"] = "informant"
    pseudonym: ShortText
    connection: InformantConnection
    reliability: Reliability = Reliability.F
    risk: RiskLevel = RiskLevel.HIGH
    identity_ref: ShortText | None = Field(
        default=None, description="Reference to an entry of the encrypted identity vault."
    )


class Claim(_Record):
    """One statement a source makes about an event or act: asserts, denies, retracts..."""

    type: Literal["claim"] = "claim"
    source_id: RecordId
    informant_id: RecordId | None = None
    target_kind: Literal["event", "act"]
    target_id: RecordId
    stance: Stance
    basis: Basis
    excerpt: Text | None = None
    span: Span | None = None
    count_min: int | None = Field(
        default=None, ge=0, description="Lowest number of people claimed."
    )
    count_max: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _count_range(self) -> Self:
        _check_range(self.count_min, self.count_max, "count")
        return self


class Event(_Record):
    type: Literal["event"] = "event"
    title: ShortText
    summary: Text | None = None
    date: ReportedDate | None = None
    place_id: RecordId | None = None
    chain: tuple[EventLink, ...] = ()


class Act(_Record):
    """Who had what done to them within an event (the ESF 'act')."""

    type: Literal["act"] = "act"
    event_id: RecordId
    act_type: ActType
    victim_id: RecordId | None = Field(default=None, description="A person or a group.")
    date: ReportedDate | None = None
    place_id: RecordId | None = None
    status_at_end: ActStatusAtEnd = ActStatusAtEnd.UNKNOWN


class Person(_Record):
    type: Literal["person"] = "person"
    pseudonym: ShortText
    names: tuple[ReportedName, ...] = ()
    sex: Sex = Sex.UNKNOWN
    age_band: AgeBand = AgeBand.UNKNOWN
    birth: ReportedDate | None = None
    deceased: bool | None = None
    source_id: RecordId | None = Field(
        default=None, description="The source (e.g. an organisation's list) that recorded them."
    )


class Group(_Record):
    type: Literal["group"] = "group"
    pseudonym: ShortText
    description: Text | None = None
    size_min: int | None = Field(default=None, ge=1)
    size_max: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _size_range(self) -> Self:
        _check_range(self.size_min, self.size_max, "size")
        return self


class Organisation(_Record):
    type: Literal["organisation"] = "organisation"
    name: ShortText
    org_type: OrganisationType
    parent_id: RecordId | None = None


class Involvement(_Record):
    type: Literal["involvement"] = "involvement"
    act_id: RecordId
    perpetrator_id: RecordId = Field(description="An organisation or a person.")
    degree: InvolvementDegree


class Place(_Record):
    type: Literal["place"] = "place"
    name: ShortText = Field(description="The place's name as reported.")
    iso3166_2: Annotated[str, AfterValidator(_check_iso3166_2)] | None = None
    geonames_id: int | None = Field(default=None, ge=1)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    precision: PlacePrecision = PlacePrecision.SETTLEMENT
    sensitive: bool = Field(
        default=False, description="A place that could identify someone is never published exactly."
    )


class Assessment(_Record):
    """A reviewer's recorded judgement about a claim, event or act, with its rationale."""

    type: Literal["assessment"] = "assessment"
    target_kind: Literal["claim", "event", "act"]
    target_id: RecordId
    status: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")]
    standard_of_proof: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")]
    rationale: Text
    reviewer: ShortText
    assessed_at: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$")]


Record = Annotated[
    Source
    | Informant
    | Claim
    | Event
    | Act
    | Person
    | Group
    | Organisation
    | Involvement
    | Place
    | Assessment,
    Field(discriminator="type"),
]
"""Any casebook record; the ``type`` field says which."""

RECORD_TYPES: dict[str, type[_Record]] = {
    "place": Place,
    "organisation": Organisation,
    "source": Source,
    "informant": Informant,
    "person": Person,
    "group": Group,
    "event": Event,
    "act": Act,
    "involvement": Involvement,
    "claim": Claim,
    "assessment": Assessment,
}
"""Record types by name, in an order where every reference points to an earlier type."""

AnyRecord = (
    Source
    | Informant
    | Claim
    | Event
    | Act
    | Person
    | Group
    | Organisation
    | Involvement
    | Place
    | Assessment
)

_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


def is_record_id(value: str) -> bool:
    return bool(_ID_PATTERN.match(value))
