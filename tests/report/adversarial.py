"""A casebook built to make a careless report leak: secrets in fields of every type, tiny cells.

Every private string is distinctive (it occurs nowhere in the report's own texts), so a test can
look for it as a plain substring and a hit always means a leak. ``SECRETS`` names them all; the
public records carry markup and ampersands, which must come out escaped.
"""

from __future__ import annotations

from pathlib import Path

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
    ReportedDate,
    ReportedName,
    Source,
)
from testament.store import Casebook

SECRETS = {
    "person name (Latin)": "Zelimkhan Sekretov",
    "person name (Cyrillic)": "Зелимхан Секретов",
    "person name of a public person": "Anzor Vidimov",
    "secret person pseudonym": "Kestrel Nine",
    "informant pseudonym": "Nightjar Ostrova",
    "public informant pseudonym": "Spokesperson Quillby",
    "identity vault reference": "vault-amber-1717",
    "claim excerpt": "held in the cellar under the Zarema bakery",
    "first-hand excerpt": "they filmed me with the blue telephone",
    "settlement (public place)": "Shalazhi",
    "secret place": "Kurchaloi-Gorny",
    "sensitive village": "Verkhny Tsotsin",
    "secret source title": "Testimony of Magomed Khidden",
    "secret source author": "Aslan Tikhonovsky",
    "secret source url": "https://example.org/testimony-7781",
    "restricted event title": "Abduction of Ruslan Kh. near the Tsentoroi mosque",
    "restricted event summary": "taken from the wedding of his cousin Madina",
    "restricted group pseudonym": "The Grozny Nine",
    "restricted group description": "students of the Millionka college",
    "secret organisation": "Unit 0451 Black Hall",
    "assessment rationale": "reviewer spoke with Khava Umarovna by phone",
    "assessment reviewer": "Reviewer Lyudmila Pskovskaya",
}

MARKUP_TITLE = '<script>alert("x")</script> Detentions & "round-ups" in Chechnya'
MARKUP_OUTLET = "<b>Kavkaz & Co</b>"

PUBLIC = "public"


def adversarial_records() -> list[AnyRecord]:
    s = SECRETS
    date_2017 = ReportedDate(edtf="2017-03-14", as_reported="14 March 2017")
    date_2018 = ReportedDate(edtf="2018-06", as_reported="June 2018")
    return [
        Place(
            id="pl-ce",
            name="Chechnya",
            iso3166_2="RU-CE",
            precision="region",
            confidentiality=PUBLIC,
        ),
        Place(
            id="pl-shali",
            name=s["settlement (public place)"],
            iso3166_2="RU-CE",
            precision="settlement",
            confidentiality=PUBLIC,
        ),
        Place(
            id="pl-secret",
            name=s["secret place"],
            iso3166_2="RU-CE",
            precision="exact",
            confidentiality="secret",
        ),
        Place(
            id="pl-village",
            name=s["sensitive village"],
            iso3166_2="RU-DA",
            precision="settlement",
            sensitive=True,
            confidentiality=PUBLIC,
        ),
        Place(
            id="pl-in",
            name="Ingushetia",
            iso3166_2="RU-IN",
            precision="region",
            confidentiality=PUBLIC,
        ),
        Organisation(
            id="org-unit",
            name=s["secret organisation"],
            org_type="state_security",
            confidentiality="secret",
        ),
        Source(
            id="src-news",
            kind="news_article",
            outlet=MARKUP_OUTLET,
            title="Public report",
            published=ReportedDate(edtf="2017-04-01"),
            confidentiality=PUBLIC,
        ),
        Source(
            id="src-news-2",
            kind="news_article",
            outlet="Caucasus Monitor",
            title="Another public report",
            published=ReportedDate(edtf="2018-07"),
            confidentiality=PUBLIC,
        ),
        Source(
            id="src-testimony",
            kind="testimony",
            title=s["secret source title"],
            author=s["secret source author"],
            url=s["secret source url"],
            text="Plain text of a testimony.",
            confidentiality="secret",
        ),
        Source(
            id="src-denial",
            kind="official_statement",
            outlet="Office of the Head",
            title="Statement",
            confidentiality=PUBLIC,
        ),
        Informant(
            id="inf-victim",
            pseudonym=s["informant pseudonym"],
            connection="victim",
            identity_ref=s["identity vault reference"],
            confidentiality="secret",
        ),
        Informant(
            id="inf-spokes",
            pseudonym=s["public informant pseudonym"],
            connection="perpetrator",
            confidentiality=PUBLIC,
        ),
        Person(
            id="per-secret",
            pseudonym=s["secret person pseudonym"],
            names=(
                ReportedName(name=s["person name (Latin)"], script="Latn"),
                ReportedName(name=s["person name (Cyrillic)"], script="Cyrl"),
            ),
            confidentiality="secret",
        ),
        # a person marked public still never appears by name
        Person(
            id="per-public",
            pseudonym="Man from the list",
            names=(ReportedName(name=s["person name of a public person"], script="Latn"),),
            confidentiality=PUBLIC,
        ),
        Person(id="per-2", pseudonym="Second man", confidentiality=PUBLIC),
        Person(id="per-3", pseudonym="Third man", confidentiality=PUBLIC),
        Group(id="grp-big", pseudonym="Men detained in 2017", size_min=40, confidentiality=PUBLIC),
        Group(
            id="grp-small",
            pseudonym=s["restricted group pseudonym"],
            description=s["restricted group description"],
            size_min=7,
            confidentiality="restricted",
        ),
        Event(
            id="ev-public",
            title=MARKUP_TITLE,
            date=date_2017,
            place_id="pl-shali",
            confidentiality=PUBLIC,
        ),
        Event(
            id="ev-2018",
            title="Detentions in 2018",
            date=date_2018,
            place_id="pl-secret",
            confidentiality=PUBLIC,
        ),
        Event(
            id="ev-restricted",
            title=s["restricted event title"],
            summary=s["restricted event summary"],
            place_id="pl-village",
            confidentiality="restricted",
        ),
        # tiny cells: one killing, two tortured, one threatened in a third region
        Act(
            id="act-detention",
            event_id="ev-public",
            act_type="arbitrary_detention",
            victim_id="grp-big",
            confidentiality=PUBLIC,
        ),
        Act(
            id="act-killing",
            event_id="ev-public",
            act_type="killing",
            victim_id="per-secret",
            place_id="pl-secret",
            confidentiality=PUBLIC,
        ),
        Act(
            id="act-torture-1",
            event_id="ev-2018",
            act_type="torture",
            victim_id="per-public",
            confidentiality=PUBLIC,
        ),
        Act(
            id="act-torture-2",
            event_id="ev-2018",
            act_type="torture",
            victim_id="per-2",
            confidentiality=PUBLIC,
        ),
        Act(
            id="act-detention-2018",
            event_id="ev-2018",
            act_type="arbitrary_detention",
            victim_id="grp-small",
            confidentiality=PUBLIC,
        ),
        Act(
            id="act-threat",
            event_id="ev-2018",
            act_type="threat",
            victim_id="per-3",
            place_id="pl-in",
            date=ReportedDate(edtf="2018-02"),
            confidentiality=PUBLIC,
        ),
        Act(
            id="act-restricted",
            event_id="ev-restricted",
            act_type="abduction",
            victim_id="per-secret",
            confidentiality="restricted",
        ),
        Claim(
            id="cl-news",
            source_id="src-news",
            target_kind="act",
            target_id="act-detention",
            stance="asserts",
            basis="hearsay",
            excerpt="Dozens detained, the outlet reports.",
            confidentiality=PUBLIC,
        ),
        Claim(
            id="cl-testimony",
            source_id="src-testimony",
            informant_id="inf-victim",
            target_kind="act",
            target_id="act-detention",
            stance="asserts",
            basis="first_hand",
            excerpt=s["first-hand excerpt"],
            confidentiality="secret",
        ),
        Claim(
            id="cl-cellar",
            source_id="src-testimony",
            informant_id="inf-victim",
            target_kind="event",
            target_id="ev-restricted",
            stance="asserts",
            basis="first_hand",
            excerpt=s["claim excerpt"],
            confidentiality="restricted",
        ),
        Claim(
            id="cl-news-2",
            source_id="src-news-2",
            target_kind="event",
            target_id="ev-2018",
            stance="asserts",
            basis="hearsay",
            confidentiality=PUBLIC,
        ),
        Claim(
            id="cl-denial",
            source_id="src-denial",
            informant_id="inf-spokes",
            target_kind="event",
            target_id="ev-public",
            stance="denies",
            basis="hearsay",
            confidentiality=PUBLIC,
        ),
        Assessment(
            id="as-1",
            target_kind="event",
            target_id="ev-public",
            status="corroborated",
            standard_of_proof="reasonable_grounds",
            rationale=s["assessment rationale"],
            reviewer=s["assessment reviewer"],
            assessed_at="2017-05-01",
            confidentiality="secret",
        ),
    ]


def adversarial_casebook(path: Path, extra: list[AnyRecord] | None = None) -> Path:
    """Create the adversarial casebook at ``path`` (plus ``extra`` records) and return ``path``."""
    with Casebook.create(path) as casebook:
        casebook.add([*adversarial_records(), *(extra or [])], actor="test")
    return path


def capture_histories(path: Path) -> Path:
    """A small capture-history table of three lists (enough overlap for every model)."""
    path.write_text(
        "A,B,C,count\n1,0,0,60\n0,1,0,50\n0,0,1,45\n1,1,0,20\n1,0,1,15\n0,1,1,12\n1,1,1,6\n",
        encoding="utf-8",
    )
    return path
