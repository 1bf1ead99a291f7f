"""Words the pages show that come from data, not from templates: record types, field names,
roles, confidentiality levels, audit actions. Their English labels are here; the Russian ones
are in the desk's catalog beside the templates' texts (a test checks that each has one)."""

from __future__ import annotations

RECORD_TYPE_LABELS = {
    "place": "Place",
    "organisation": "Organisation",
    "source": "Source",
    "informant": "Informant",
    "person": "Person",
    "group": "Group",
    "event": "Event",
    "act": "Act",
    "involvement": "Involvement",
    "claim": "Claim",
    "assessment": "Assessment",
    "attachment": "Attachment",
    "person_link": "Person link",
    "link_decision": "Linkage decision",
    "desk_reply": "Reply to a source",
    "intake": "Intake",
}

FIELD_LABELS = {
    "act_id": "Act",
    "act_type": "Type of act",
    "age_band": "Age band",
    "assessed_at": "Assessed on",
    "author": "Author",
    "basis": "Basis",
    "birth": "Birth",
    "chain": "Linked events",
    "confidentiality": "Confidentiality",
    "connection": "Connection to the information",
    "count_max": "Largest number",
    "count_min": "Smallest number",
    "date": "Date",
    "deceased": "Deceased",
    "degree": "Degree of involvement",
    "derived_from": "Repeats",
    "description": "Description",
    "event_id": "Event",
    "excerpt": "Excerpt",
    "geonames_id": "GeoNames id",
    "identity_ref": "Identity vault entry",
    "informant_id": "Informant",
    "iso3166_2": "Region (ISO 3166-2)",
    "kind": "Kind",
    "language": "Language",
    "lat": "Latitude",
    "lon": "Longitude",
    "name": "Name",
    "names": "Names as reported",
    "org_type": "Type of organisation",
    "outlet": "Outlet",
    "parent_id": "Part of",
    "perpetrator_id": "Perpetrator",
    "place_id": "Place",
    "precision": "Precision",
    "pseudonym": "Pseudonym",
    "published": "Published",
    "rationale": "Rationale",
    "reliability": "Reliability",
    "reviewer": "Reviewer",
    "risk": "Risk",
    "sensitive": "Sensitive place",
    "sex": "Sex",
    "sha256": "SHA-256 of the original",
    "size_max": "Largest size",
    "size_min": "Smallest size",
    "source_id": "Source",
    "span": "Position in the text",
    "stance": "Stance",
    "standard_of_proof": "Standard of proof",
    "status": "Status",
    "status_at_end": "Status at the end",
    "summary": "Summary",
    "target_id": "About",
    "target_kind": "About a",
    "text": "Text",
    "title": "Title",
    "url": "Address (URL)",
    "victim_id": "Victim",
}

ROLE_LABELS = {
    "admin": "administrator",
    "researcher": "researcher",
    "analyst": "analyst",
    "viewer": "viewer",
}

LEVEL_LABELS = {"public": "public", "restricted": "restricted", "secret": "secret"}

ACTION_LABELS = {
    "create": "created",
    "update": "changed",
    "delete": "deleted",
    "view": "opened (secret)",
    "download": "downloaded a file (secret)",
    "pull": "pulled from the intake",
    "reply": "replied to a source",
}

#: What a pull did with one submission (``desk.pull.PullEvent.kind``).
PULL_EVENT_LABELS = {
    "stored": "stored as a new testimony",
    "completed": "completed (an earlier pull was interrupted)",
    "skipped": "already in the casebook",
    "acknowledged": "acknowledged to the intake",
    "failed": "NOT stored: left on the intake",
    "withheld": "working copy withheld: the original may identify the source",
}

#: What is wrong with a typed value, by pydantic's error type (``editing.Problem.kind``);
#: ``%(name)s`` takes the error's context. Types not here show the model's own words.
PROBLEM_LABELS = {
    "missing": "This is required.",
    "string_too_short": "This must not be empty.",
    "string_too_long": "Too long: at most %(max_length)s characters.",
    "string_pattern_mismatch": "Not in the expected form.",
    "enum": "Choose one of the offered values.",
    "literal_error": "Choose one of the offered values.",
    "int_parsing": "Type a whole number.",
    "int_from_float": "Type a whole number.",
    "float_parsing": "Type a number.",
    "bool_parsing": "Choose yes or no.",
    "greater_than_equal": "At least %(ge)s.",
    "less_than_equal": "At most %(le)s.",
    "chain_line": "Each line needs a relation and an event id, separated by a space.",
    "unseen_reference": "No record you can see has this id: %(ids)s.",
    "reference": "This change does not fit the records it refers to (for example, sources "
    "that would repeat each other in a circle).",
    "edtf": "Not a date in EDTF (e.g. 2017-04-01, 2013-09~/2013-12~): %(detail)s",
    "iso3166_2": "Not an ISO 3166-2 region code (e.g. RU-CE, RU-DA): %(detail)s",
    "excerpt_not_found": "These words are not in the source's text: copy them from the text "
    "above, or give their position.",
    "excerpt_ambiguous": "These words occur %(count)s times in the text: choose which one.",
    "no_text": "This source has no text to code.",
    "span_range": "Give a start and an end between 0 and %(length)s, the start before the end.",
    "date_words": "Could not read a date from %(words)s: type its EDTF value.",
    "region_country": "Region %(region)s is not in the chosen country (%(country)s).",
    "level_not_allowed": "Choose one of the offered levels.",
}

#: How the coding page's preview names a reference to a record it would create.
NEW_RECORD_LABEL = "new: %(kind)s"

STATUS_LABELS = {
    "uncorroborated": "uncorroborated",
    "corroborated": "corroborated",
    "confirmed": "confirmed",
    "retracted": "retracted",
}

PROOF_LABELS = {
    "none": "none reached",
    "reasonable_suspicion": "reasonable suspicion",
    "reasonable_grounds": "reasonable grounds to believe",
    "balance_of_probabilities": "balance of probabilities",
}

FLAG_LABELS = {"disputed": "disputed", "denied_by_authorities": "denied by the authorities"}

VERDICT_LABELS = {"same": "same person", "different": "different people"}

#: How the corroboration page and its graph name the n-th source the reader may not see.
HIDDEN_SOURCE_LABEL = "restricted source %(n)s"

#: Why two sources share an origin, as the graph says it (the page's text says the same).
DEPENDENCY_REASON_LABELS = {
    "repeats": "%(a)s repeats %(b)s",
    "both_repeat": "both repeat %(a)s",
    "outlet": "both draw on the outlet %(a)s",
    "outlet_unnamed": "both draw on one outlet",
    "informant": "both rest on the informant %(a)s",
    "informant_unnamed": "both rest on one informant",
    "shared": "they share an origin",
}

#: The source-dependence graph's own texts (``corroborate.picture.GraphWords``).
GRAPH_LABELS = {
    "summary": (
        "%(status)s: independent lines: %(lines)s; supporting sources: %(supporting)s; "
        "denials: %(denials)s"
    ),
    "independent_line": "independent line",
    "denial": "denial",
    "dependent": "dependent",
    "legend_lines": "green: independent lines counted",
    "legend_dependent": "grey: sources sharing an origin with a line",
    "legend_denials": "red: denials",
    "legend_dashed": "dashed: shared origin",
}

ALL_LABELS = (
    *RECORD_TYPE_LABELS.values(),
    *FIELD_LABELS.values(),
    *ROLE_LABELS.values(),
    *LEVEL_LABELS.values(),
    *ACTION_LABELS.values(),
    *PULL_EVENT_LABELS.values(),
    *PROBLEM_LABELS.values(),
    *STATUS_LABELS.values(),
    *PROOF_LABELS.values(),
    *FLAG_LABELS.values(),
    *VERDICT_LABELS.values(),
    HIDDEN_SOURCE_LABEL,
    *DEPENDENCY_REASON_LABELS.values(),
    *GRAPH_LABELS.values(),
    NEW_RECORD_LABEL,
)


def label(table: dict[str, str], key: str) -> str:
    """The English label of ``key``, or ``key`` itself when it has none."""
    return table.get(key, key)
