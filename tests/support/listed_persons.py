"""A casebook's worth of persons on several lists, built from synthetic lists with known truth."""

from __future__ import annotations

from testament.core.records import Act, Event, Person, Place, ReportedDate, ReportedName, Source
from testament.synth import SynthSettings, generate_lists


def _band(age: str) -> str:
    """The casebook keeps an age band, not the reported age ("25-30" -> adult_25_34)."""
    if not age:
        return "unknown"
    years = [int(part) for part in age.replace("~", "").split("-") if part.strip().isdigit()]
    middle = sum(years) / len(years)
    for upper, band in (
        (17, "child"),
        (24, "young_adult"),
        (34, "adult_25_34"),
        (44, "adult_35_44"),
        (59, "adult_45_59"),
    ):
        if middle <= upper:
            return band
    return "older"


def listed_persons(
    people: int = 300, lists: int = 3, seed: int = 5
) -> tuple[list[object], dict[str, str]]:
    """Casebook records (lists as Sources, Persons, their detentions) and each person's truth."""
    generated = generate_lists(SynthSettings(people=people, lists=lists, seed=seed))
    rows = generated.records.fillna("").astype(str).to_dict("records")
    person_of = dict(
        zip(generated.truth["record_id"], generated.truth["person_id"].astype(str), strict=True)
    )
    names = sorted({row["list"] for row in rows})
    places = sorted({row["place"] for row in rows if row["place"]})
    place_ids = {name: f"place-{index}" for index, name in enumerate(places)}
    records: list[object] = [
        *(Source(id=f"list-{name}", kind="ngo_report", title=f"List {name}") for name in names),
        *(Place(id=place_ids[name], name=name) for name in places),
        Event(id="detentions", title="Detentions"),
    ]
    for row in rows:
        name = " ".join(p for p in (row["given_name"], row["patronymic"], row["family_name"]) if p)
        records.append(
            Person(
                id=row["record_id"],
                pseudonym=f"person {row['record_id']}",
                source_id=f"list-{row['list']}",
                names=(ReportedName(name=name or row["names_as_reported"]),),
                sex={"m": "male", "f": "female"}.get(row["sex"], "unknown"),
                age_band=_band(row["age"]),
                birth=ReportedDate(edtf=row["birth"]) if row["birth"] else None,
            )
        )
        records.append(  # where and when each list says the person was detained
            Act(
                id=f"act-{row['record_id']}",
                event_id="detentions",
                act_type="arbitrary_detention",
                victim_id=row["record_id"],
                date=ReportedDate(edtf=row["event_date"]) if row["event_date"] else None,
                place_id=place_ids.get(row["place"]),
            )
        )
    return records, person_of
