"""The controlled vocabularies' codes, as enums the data model and the JSON Schema use.

The codes are fixed here; their English and Russian labels and HURIDOCS ESF codes live in the data
files under ``vocabularies/`` (see ``testament.core.vocabulary``). A test checks the two agree, so a
term cannot exist in one place only.
"""

from __future__ import annotations

from enum import StrEnum


class Confidentiality(StrEnum):
    PUBLIC = "public"
    RESTRICTED = "restricted"
    SECRET = "secret"  # noqa: S105  (a confidentiality level, not a password)


class SourceKind(StrEnum):
    TESTIMONY = "testimony"
    INTERMEDIARY_INTERVIEW = "intermediary_interview"
    NEWS_ARTICLE = "news_article"
    NGO_REPORT = "ngo_report"
    OFFICIAL_STATEMENT = "official_statement"
    COURT_RECORD = "court_record"
    MEDICAL_RECORD = "medical_record"
    PHOTO_VIDEO = "photo_video"
    SOCIAL_POST = "social_post"
    OTHER = "other"


class InformantConnection(StrEnum):
    VICTIM = "victim"
    WITNESS = "witness"
    RELATIVE = "relative"
    PERPETRATOR = "perpetrator"
    THIRD_PARTY = "third_party"


class Reliability(StrEnum):
    """The Admiralty scale of source reliability: A (completely reliable) to F (not judged)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    EXTREME = "extreme"


class Stance(StrEnum):
    ASSERTS = "asserts"
    ACKNOWLEDGES = "acknowledges"
    DENIES = "denies"
    DENIES_RESPONSIBILITY = "denies_responsibility"
    ALTERNATIVE_EXPLANATION = "alternative_explanation"
    RETRACTS = "retracts"


class Basis(StrEnum):
    FIRST_HAND = "first_hand"
    HEARSAY = "hearsay"
    DOCUMENTARY = "documentary"


BASES_ORDER: list[str] = [basis.value for basis in Basis]


class ActType(StrEnum):
    KILLING = "killing"
    DEATH_IN_CUSTODY = "death_in_custody"
    TORTURE = "torture"
    ILL_TREATMENT = "ill_treatment"
    SEXUAL_VIOLENCE = "sexual_violence"
    THREAT = "threat"
    ARBITRARY_ARREST = "arbitrary_arrest"
    ARBITRARY_DETENTION = "arbitrary_detention"
    ENFORCED_DISAPPEARANCE = "enforced_disappearance"
    ABDUCTION = "abduction"
    FORCED_OUTING = "forced_outing"
    BLACKMAIL = "blackmail"
    ENTRAPMENT = "entrapment"
    EXTORTION = "extortion"
    FORCED_DISPLACEMENT = "forced_displacement"
    SURVEILLANCE = "surveillance"
    OTHER = "other"


class InvolvementDegree(StrEnum):
    DIRECTLY_CARRIED_OUT = "directly_carried_out"
    ORDERED = "ordered"
    PARTICIPATED = "participated"
    SUSPECTED = "suspected"
    FAILURE_TO_PROTECT = "failure_to_protect"
    COVERED_UP = "covered_up"


class OrganisationType(StrEnum):
    STATE_SECURITY = "state_security"
    POLICE = "police"
    MILITARY = "military"
    LOCAL_ADMINISTRATION = "local_administration"
    JUDICIARY = "judiciary"
    FAMILY = "family"
    NON_STATE = "non_state"
    OTHER = "other"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"
    UNKNOWN = "unknown"


class AgeBand(StrEnum):
    CHILD = "child"
    YOUNG_ADULT = "young_adult"
    ADULT_25_34 = "adult_25_34"
    ADULT_35_44 = "adult_35_44"
    ADULT_45_59 = "adult_45_59"
    OLDER = "older"
    UNKNOWN = "unknown"


class ActStatusAtEnd(StrEnum):
    RELEASED = "released"
    STILL_DETAINED = "still_detained"
    DEAD = "dead"
    DISAPPEARED = "disappeared"
    FLED = "fled"
    INJURED = "injured"
    UNKNOWN = "unknown"


class PlacePrecision(StrEnum):
    EXACT = "exact"
    SETTLEMENT = "settlement"
    DISTRICT = "district"
    REGION = "region"
    COUNTRY = "country"


class EventRelation(StrEnum):
    CAUSED = "caused"
    FOLLOWED = "followed"
    PART_OF = "part_of"
    RETALIATION_FOR = "retaliation_for"
    RELATED = "related"


class ClaimStatus(StrEnum):
    """Where a claim, event or act stands after corroboration (docs/architecture.md, section 5)."""

    UNCORROBORATED = "uncorroborated"
    CORROBORATED = "corroborated"
    CONFIRMED = "confirmed"
    RETRACTED = "retracted"


class StandardOfProof(StrEnum):
    """Evidentiary thresholds used by fact-finding missions, weakest first."""

    NONE = "none"
    REASONABLE_SUSPICION = "reasonable_suspicion"
    REASONABLE_GROUNDS = "reasonable_grounds"
    BALANCE_OF_PROBABILITIES = "balance_of_probabilities"


VOCABULARY_ENUMS: dict[str, type[StrEnum]] = {
    "confidentiality": Confidentiality,
    "source_kind": SourceKind,
    "informant_connection": InformantConnection,
    "reliability": Reliability,
    "risk_level": RiskLevel,
    "stance": Stance,
    "basis": Basis,
    "act_type": ActType,
    "involvement_degree": InvolvementDegree,
    "organisation_type": OrganisationType,
    "sex": Sex,
    "age_band": AgeBand,
    "act_status_at_end": ActStatusAtEnd,
    "place_precision": PlacePrecision,
    "event_relation": EventRelation,
}
"""Every vocabulary that ships as a data file, by file name (without ``.json``)."""
