"""Coding a source on the desk: ``/records/source/{id}/code``. One page, no JavaScript: the
text with its coded passages marked, a preview, one save that creates every record or none,
who may code what, hostile text escaped, both languages."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from testament.casework.corroboration import corroborate_casebook
from testament.core.records import Source
from testament.store import Casebook
from testament.store.schema import audit_log
from tests.deskweb.conftest import HOSTILE, csrf_of

TEXT = (
    "In late 2013 they took Ruslan from his home in Argun.\n"
    "Men in black uniforms,  the Kadyrovtsy,  came at night. They took Ruslan away."
)
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


def add_testimony(desk, source_id: str = "t-coding", text: str = TEXT, level: str = "restricted"):
    with Casebook.open(desk.casebook_path) as book:
        book.add(
            [Source(id=source_id, kind="testimony", confidentiality=level, text=text)],
            actor="test",
        )


def counts(desk) -> dict[str, int]:
    with Casebook.open(desk.casebook_path) as book:
        return book.counts()


def audit_rows(desk) -> int:
    with Casebook.open(desk.casebook_path) as book, book.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(audit_log)).scalar_one())


def full_form(csrf: str, **changes: str) -> dict[str, str]:
    form = {
        "csrf_token": csrf,
        "action": "save",
        "excerpt": "Men in black uniforms, the Kadyrovtsy, came at night.",
        "stance": "asserts",
        "basis": "first_hand",
        "confidentiality": "restricted",
        "target": "act",
        "event.title": "Detentions in Argun",
        "act.act_type": "abduction",
        "act.status_at_end": "disappeared",
        "victim": "person",
        "person.pseudonym": "Ruslan K.",
        "person.sex": "male",
        "person.age_band": "young_adult",
        "perp1.name": "Kadyrovtsy",
        "perp1.org_type": "state_security",
        "perp1.degree": "directly_carried_out",
        "place": "new",
        "place.name": "Argun",
        "place.country": "RU",
        "place.region": "RU-CE",
        "place.precision": "settlement",
        "date.as_reported": "late 2013",
    }
    return form | changes


def coding_page(browser, source_id: str = "t-coding"):
    page = browser.get(f"/records/source/{source_id}/code")
    assert page.status_code == 200, page.text
    return page


def test_a_source_page_offers_coding_to_editors_only(logged_in, desk):
    add_testimony(desk)
    assert (
        'href="/records/source/t-coding/code"'
        in logged_in("researcher").get("/records/source/t-coding").text
    )
    assert "/code" not in logged_in("viewer").get("/records/source/t-public").text
    assert "/code" not in logged_in("researcher").get("/records/event/ev-public").text


def test_a_full_save_creates_every_record_in_one_go_audited_and_corroborated(logged_in, desk):
    add_testimony(desk)
    browser = logged_in("researcher")
    before, audited = counts(desk), audit_rows(desk)
    page = coding_page(browser)
    saved = browser.post(
        "/records/source/t-coding/code", data=full_form(csrf_of(page.text)), follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    location = saved.headers["location"]
    assert re.fullmatch(r"/records/claim/cl-[0-9a-f]{12}\?coded=1", location)
    claim_id = location.split("/")[-1].split("?")[0]
    after = counts(desk)
    created = {kind: after[kind] - before[kind] for kind in after if after[kind] != before[kind]}
    assert created == {
        "claim": 1,
        "event": 1,
        "act": 1,
        "person": 1,
        "organisation": 1,
        "involvement": 1,
        "place": 1,
    }
    assert audit_rows(desk) == audited + 7
    with Casebook.open(desk.casebook_path) as book:
        claim = book.get("claim", claim_id)
        assert claim.excerpt == "Men in black uniforms,  the Kadyrovtsy,  came at night."
        assert TEXT[claim.span.start : claim.span.end] == claim.excerpt
        act = book.get("act", claim.target_id)
        assert act.date.edtf == "2013-09~/2013-12~"
        assert act.date.as_reported == "late 2013"
        place = book.get("place", act.place_id)
        assert place.iso3166_2 == "RU-CE"
        entries = book.audit(record_id=claim_id)
        assert [(e.action, e.actor) for e in entries] == [("create", "desk:researcher")]
        corroboration = corroborate_casebook(book)
        assert corroboration.explain(act.id, "act").supporting == ["t-coding"]
    shown = browser.get(location)
    assert "The claim and the records it needs were saved." in shown.text
    marked = coding_page(browser).text
    assert f'<mark><a href="/records/claim/{claim_id}"' in marked
    assert "Men in black uniforms,  the Kadyrovtsy,  came at night.</a></mark>" in marked
    browser.get("/records/source/t-coding")  # read, then coded: the inbox says so
    row = re.search(
        r"<tr[^>]*>(?:(?!</tr>).)*t-coding(?:(?!</tr>).)*</tr>", browser.get("/inbox").text, re.S
    )
    assert row is not None
    assert "coded: 1 claim" in row.group(0)
    graph = browser.get(f"/corroboration/act/{act.id}")
    assert graph.status_code == 200
    assert claim_id in graph.text or "t-coding" in graph.text


def test_preview_lists_what_would_be_created_and_saves_nothing(logged_in, desk):
    add_testimony(desk)
    browser = logged_in("researcher")
    before = counts(desk)
    page = coding_page(browser)
    preview = browser.post(
        "/records/source/t-coding/code", data=full_form(csrf_of(page.text), action="preview")
    )
    assert preview.status_code == 200, preview.text
    assert "Saving will create these records" in preview.text
    assert "2013-09~/2013-12~" in preview.text  # the EDTF read from the words, shown
    assert 'value="2013-09~/2013-12~"' in preview.text  # and filled into the form
    assert "new: Person" in preview.text
    assert 'value="Detentions in Argun"' in preview.text  # the form kept filled
    assert counts(desk) == before


def test_an_excerpt_not_in_the_text_is_a_problem_next_to_it(logged_in, desk):
    add_testimony(desk)
    browser = logged_in("researcher")
    before = counts(desk)
    page = coding_page(browser)
    answer = browser.post(
        "/records/source/t-coding/code",
        data=full_form(csrf_of(page.text), excerpt="they took Aslan"),
    )
    assert answer.status_code == 400
    assert 'id="problem-excerpt"' in answer.text
    assert "These words are not in the source" in answer.text
    assert counts(desk) == before


def test_ambiguous_words_ask_which_occurrence_and_the_choice_is_saved(logged_in, desk):
    add_testimony(desk)
    browser = logged_in("researcher")
    csrf = csrf_of(coding_page(browser).text)
    asked = browser.post(
        "/records/source/t-coding/code", data=full_form(csrf, excerpt="took  Ruslan")
    )
    assert asked.status_code == 400
    assert "These words occur 2 times" in asked.text
    assert asked.text.count('name="occurrence"') == 2
    saved = browser.post(
        "/records/source/t-coding/code",
        data=full_form(csrf, excerpt="took Ruslan", occurrence="2"),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    claim_id = saved.headers["location"].split("/")[-1].split("?")[0]
    with Casebook.open(desk.casebook_path) as book:
        claim = book.get("claim", claim_id)
    assert claim.span.start == TEXT.index("took Ruslan away")


def test_bad_dates_and_regions_are_problems_not_errors(logged_in, desk):
    add_testimony(desk)
    browser = logged_in("researcher")
    csrf = csrf_of(coding_page(browser).text)
    before = counts(desk)
    bad_edtf = browser.post(
        "/records/source/t-coding/code", data=full_form(csrf, **{"date.edtf": "2013-02-30"})
    )
    assert bad_edtf.status_code == 400
    assert 'id="problem-date.edtf"' in bad_edtf.text
    words = browser.post(
        "/records/source/t-coding/code",
        data=full_form(csrf, **{"date.as_reported": "when the snow came"}),
    )
    assert words.status_code == 400
    assert "Could not read a date from when the snow came" in words.text
    region = browser.post(
        "/records/source/t-coding/code", data=full_form(csrf, **{"place.region": "RU-XX"})
    )
    assert region.status_code == 400
    assert 'id="problem-place.region"' in region.text
    assert "Not an ISO 3166-2 region code" in region.text
    assert counts(desk) == before


def test_a_failure_in_the_last_section_creates_nothing(logged_in, desk):
    add_testimony(desk)
    browser = logged_in("researcher")
    csrf = csrf_of(coding_page(browser).text)
    before, audited = counts(desk), audit_rows(desk)
    answer = browser.post(
        "/records/source/t-coding/code",
        data=full_form(csrf, **{"perp1.degree": "bystander", "date.edtf": "not a date"}),
    )
    assert answer.status_code == 400
    assert 'id="problem-perp1.degree"' in answer.text
    assert "Nothing was saved" in answer.text
    assert (counts(desk), audit_rows(desk)) == (before, audited)


def test_a_store_refusal_at_save_creates_nothing(logged_in, desk, monkeypatch):
    """The last line of defence: if the store refuses the batch (here, a duplicate id from a
    clash of random ids), no record of the batch is written."""
    from testament.desk import coding

    add_testimony(desk)
    browser = logged_in("researcher")
    csrf = csrf_of(coding_page(browser).text)
    monkeypatch.setattr(coding, "random_id", lambda kind: "p-1" if kind == "person" else kind)
    before = counts(desk)
    answer = browser.post("/records/source/t-coding/code", data=full_form(csrf))
    assert answer.status_code == 400
    assert "p-1" not in re.sub(r"<form.*</form>", "", answer.text, flags=re.S)
    assert counts(desk) == before


def test_viewers_may_not_code(logged_in, desk):
    browser = logged_in("viewer")
    assert browser.get("/records/source/t-public/code").status_code == 403
    csrf = csrf_of(browser.get("/inbox").text)
    refused = browser.post("/records/source/t-public/code", data=full_form(csrf))
    assert refused.status_code == 403
    assert browser.get("/records/source/t-restricted/code").status_code == 404


def test_an_analyst_cannot_code_a_secret_source(logged_in):
    browser = logged_in("analyst")
    assert browser.get("/records/source/t-secret/code").status_code == 404
    csrf = csrf_of(browser.get("/inbox").text)
    answer = browser.post(
        "/records/source/t-secret/code", data=full_form(csrf, excerpt="они забрали")
    )
    assert answer.status_code == 404


def test_a_secret_source_is_coded_only_after_a_reason_written_to_the_audit_log(logged_in, desk):
    browser = logged_in("researcher")
    asked = browser.get("/records/source/t-secret/code")
    assert asked.status_code == 200
    assert "Why are you opening this record?" in asked.text
    assert "Руслана" not in asked.text
    csrf = csrf_of(asked.text)
    skipped = browser.post(
        "/records/source/t-secret/code",
        data=full_form(csrf, excerpt="они забрали", confidentiality="secret"),
    )
    assert "Why are you opening this record?" in skipped.text  # no reason: asked again
    assert "Руслана" not in skipped.text
    assert counts(desk)["claim"] == 1
    record = browser.post(
        "/records/source/t-secret", data={"csrf_token": csrf, "reason": "reading it first"}
    )
    assert 'action="/records/source/t-secret/code"' in record.text  # the reason rides along
    opened = browser.post(
        "/records/source/t-secret/code", data={"csrf_token": csrf, "reason": "coding the night"}
    )
    assert opened.status_code == 200
    assert "они забрали Руслана ночью" in opened.text
    assert 'value="secret" selected' in opened.text  # a secret source's claims default to secret
    with Casebook.open(desk.casebook_path) as book:
        views = [e for e in book.audit(record_id="t-secret") if e.action == "view"]
    assert [(v.actor, v.reason) for v in views] == [
        ("desk:researcher", "reading it first"),
        ("desk:researcher", "coding the night"),
    ]
    saved = browser.post(
        "/records/source/t-secret/code",
        data=full_form(
            csrf, excerpt="они забрали", confidentiality="secret", reason="coding the night"
        ),
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text


def test_an_analyst_may_not_create_secret_records(logged_in, desk):
    add_testimony(desk)
    browser = logged_in("analyst")
    page = coding_page(browser)
    assert 'value="secret"' not in page.text
    form = full_form(csrf_of(page.text), confidentiality="secret")
    answer = browser.post("/records/source/t-coding/code", data=form)
    assert answer.status_code == 400
    assert 'id="problem-confidentiality"' in answer.text


def test_a_hidden_referenced_id_is_unknown_like_a_missing_one(logged_in, desk):
    browser = logged_in("analyst")
    csrf = csrf_of(coding_page(browser, "t-public").text)
    base = {
        "csrf_token": csrf,
        "action": "save",
        "excerpt": "public words",
        "stance": "asserts",
        "basis": "hearsay",
        "confidentiality": "restricted",
        "target": "existing",
        "target_kind": "event",
    }
    hidden = browser.post("/records/source/t-public/code", data=base | {"target_id": "ev-secret"})
    missing = browser.post("/records/source/t-public/code", data=base | {"target_id": "ev-nope"})
    assert hidden.status_code == missing.status_code == 400

    def problem(page: str) -> str:
        found = re.search(r'id="problem-target_id"[^>]*>([^<]*)<', page)
        assert found is not None
        return found.group(1).replace("ev-secret", "ID").replace("ev-nope", "ID")

    assert problem(hidden.text) == problem(missing.text)
    assert "No record you can see has this id" in problem(hidden.text)
    informant = browser.post(
        "/records/source/t-public/code",
        data=base | {"target_id": "ev-public", "informant_id": "inf-1"},
    )
    assert 'id="problem-informant_id"' in informant.text
    seen = browser.post(
        "/records/source/t-public/code",
        data=base | {"target_id": "ev-public"},
        follow_redirects=False,
    )
    assert seen.status_code == 303


def test_the_target_list_never_shows_a_secret_events_title(logged_in):
    researcher = coding_page(logged_in("researcher"), "t-public").text
    assert 'value="event:ev-secret"' in researcher
    assert "Secret prison" not in researcher
    assert "Detentions" in researcher
    analyst = coding_page(logged_in("analyst"), "t-public").text
    assert "ev-secret" not in analyst


def test_hostile_text_is_escaped_in_the_marked_up_text(logged_in, desk):
    browser = logged_in("researcher")
    page = coding_page(browser, "t-hostile")
    assert HOSTILE not in page.text
    assert ESCAPED_SCRIPT in page.text
    saved = browser.post(
        "/records/source/t-hostile/code",
        data={
            "csrf_token": csrf_of(page.text),
            "action": "save",
            "excerpt": '<script>alert("x")</script>',
            "stance": "asserts",
            "basis": "hearsay",
            "confidentiality": "public",
            "target": "existing",
            "target_pick": "event:ev-public",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    marked = coding_page(browser, "t-hostile").text
    assert f"{ESCAPED_SCRIPT}</a></mark>" in marked
    assert "<script>" not in marked


def test_a_post_without_the_csrf_token_is_refused(logged_in, desk):
    add_testimony(desk)
    browser = logged_in("researcher")
    before = counts(desk)
    form = full_form("")
    del form["csrf_token"]
    assert browser.post("/records/source/t-coding/code", data=form).status_code == 403
    wrong = browser.post("/records/source/t-coding/code", data=full_form("not-the-token"))
    assert wrong.status_code == 403
    assert counts(desk) == before


def test_the_page_renders_in_russian_with_russian_labels(logged_in, desk):
    add_testimony(desk)
    browser = logged_in("researcher")
    english = coding_page(browser).text
    assert "Code source t-coding" in english
    assert ">Abduction<" in english or "Abduction" in english
    csrf = csrf_of(english)
    browser.post("/language", data={"csrf_token": csrf, "lang": "ru", "next": "/inbox"})
    russian_page = coding_page(browser).text
    assert 'lang="ru"' in russian_page
    assert "Российская Федерация" in russian_page
    assert "Code source" not in russian_page
    assert ">Похищение</option>" in russian_page  # vocabulary labels in Russian
    assert ">Утверждает</option>" in russian_page
    preview = browser.post(
        "/records/source/t-coding/code",
        data=full_form(csrf, action="preview", **{"place.region": "RU-XX"}),
    ).text
    assert "Чеченская республика (RU-CE)" in html.unescape(preview)
    assert "Not an ISO 3166-2" not in preview
