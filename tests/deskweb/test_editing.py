"""Editing records on the desk: versions, conflicts shown with nothing lost, who may edit what,
validation next to the fields, hostile text escaped, the history's differences, both languages."""

from __future__ import annotations

import re

from sqlalchemy import select

from testament.store import Casebook
from testament.store.schema import audit_log
from tests.deskweb.conftest import HOSTILE, csrf_of

ESCAPED_SCRIPT = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


def form_values(html: str) -> dict[str, str]:
    """The inputs of the page's record form as a browser would send them."""
    form = html[html.index('class="record-form"') :]
    form = form[: form.index("</form>")]
    values = {
        name: _unescape(value)
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)
    }
    for name, body in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>\n(.*?)</textarea>', form, re.S
    ):
        values[name] = _unescape(body)
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        values[name] = chosen.group(1) if chosen else ""
    return values


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def stored(desk, record_type: str, record_id: str):
    with Casebook.open(desk.casebook_path) as book:
        return book.get(record_type, record_id), book.meta(record_type, record_id)


def test_an_edit_is_saved_as_a_new_version_and_shown_in_the_history(logged_in, desk):
    browser = logged_in("researcher")
    page = browser.get("/records/event/ev-public")
    assert 'href="/records/event/ev-public/edit"' in page.text
    form = form_values(browser.get("/records/event/ev-public/edit").text)
    assert form["title"] == "Detentions"
    assert form["version"] == "1"
    form |= {"title": "Detentions in Argun", "date.edtf": "2013-09~/2013-12~"}
    form["date.as_reported"] = "late 2013"
    response = browser.post("/records/event/ev-public/edit", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/records/event/ev-public"
    record, meta = stored(desk, "event", "ev-public")
    assert record.title == "Detentions in Argun"
    assert record.date is not None
    assert record.date.as_reported == "late 2013"
    assert (meta.version, meta.updated_by) == (2, "desk:researcher")
    assert "Version 2" in browser.get("/records/event/ev-public").text
    history = browser.get("/records/event/ev-public/history").text
    assert "Detentions in Argun" in history
    assert ">Detentions<" in history
    assert "2013-09~/2013-12~ (late 2013)" in history


def test_two_editors_of_one_version_the_second_sees_both_values_and_can_reapply(logged_in, desk):
    first, second = logged_in("researcher"), logged_in("analyst")
    form_a = form_values(first.get("/records/event/ev-public/edit").text)
    form_b = form_values(second.get("/records/event/ev-public/edit").text)
    saved = first.post("/records/event/ev-public/edit", data=form_a | {"title": "Title from A"})
    assert saved.status_code == 200  # followed to the record page
    conflict = second.post(
        "/records/event/ev-public/edit", data=form_b | {"title": "Title from B", "summary": "B"}
    )
    assert conflict.status_code == 409
    assert "Someone else changed this record" in conflict.text
    assert (
        '<td class="theirs">Title from A</td><td class="yours">Title from B</td>' in conflict.text
    )
    record, meta = stored(desk, "event", "ev-public")
    assert (record.title, record.summary, meta.version) == ("Title from A", None, 2)
    again = form_values(conflict.text)
    assert again["version"] == "2"
    assert again["title"] == "Title from B"
    assert again["summary"] == "B"
    assert second.post("/records/event/ev-public/edit", data=again).status_code == 200
    record, meta = stored(desk, "event", "ev-public")
    assert (record.title, record.summary, meta.version) == ("Title from B", "B", 3)


def test_a_form_without_its_csrf_token_is_refused(logged_in, desk):
    browser = logged_in("admin")
    form = form_values(browser.get("/records/event/ev-public/edit").text)
    del form["csrf_token"]
    response = browser.post("/records/event/ev-public/edit", data=form | {"title": "Forged"})
    assert response.status_code == 403
    assert stored(desk, "event", "ev-public")[0].title == "Detentions"


def test_a_viewer_may_not_edit_and_hidden_records_do_not_exist_for_them(logged_in, desk):
    browser = logged_in("viewer")
    assert "/edit" not in browser.get("/records/event/ev-public").text
    assert browser.get("/records/event/ev-public/edit").status_code == 403
    token = csrf_of(browser.get("/records/event/ev-public").text)
    refused = browser.post(
        "/records/event/ev-public/edit", data={"csrf_token": token, "version": "1", "title": "X"}
    )
    assert refused.status_code == 403
    assert browser.get("/records/event/ev-restricted/edit").status_code == 404
    assert stored(desk, "event", "ev-public")[0].title == "Detentions"


def test_an_analyst_cannot_edit_a_secret_record(logged_in):
    browser = logged_in("analyst")
    assert browser.get("/records/event/ev-secret/edit").status_code == 404
    assert browser.get("/records/informant/inf-1/edit").status_code == 404
    assert browser.get("/records/event/ev-secret/history").status_code == 404


def test_a_secret_record_is_edited_after_a_reason_and_each_showing_is_audited(logged_in, desk):
    browser = logged_in("researcher")
    asked = browser.get("/records/event/ev-secret/edit")
    assert 'action="/records/event/ev-secret/edit"' in asked.text
    assert "Secret prison" not in asked.text
    token = csrf_of(asked.text)
    page = browser.post(
        "/records/event/ev-secret/edit", data={"csrf_token": token, "reason": "correcting the date"}
    )
    assert page.status_code == 200
    assert "Secret prison" in page.text
    form = form_values(page.text)
    assert form["reason"] == "correcting the date"
    saved = browser.post(
        "/records/event/ev-secret/edit", data=form | {"title": "Prison"}, follow_redirects=False
    )
    assert saved.status_code == 303
    with Casebook.open(desk.casebook_path) as book, book.engine.connect() as connection:
        rows = connection.execute(
            select(audit_log.c.action, audit_log.c.actor, audit_log.c.reason)
            .where(audit_log.c.record_id == "ev-secret")
            .order_by(audit_log.c.seq)
        ).all()
    assert [tuple(row) for row in rows] == [
        ("create", "test", None),
        ("view", "desk:researcher", "correcting the date"),
        ("update", "desk:researcher", None),
    ]
    record_page = browser.post(
        "/records/event/ev-secret", data={"csrf_token": token, "reason": "reading it again"}
    ).text
    assert 'action="/records/event/ev-secret/edit"' in record_page
    assert 'action="/records/event/ev-secret/history"' in record_page
    assert "Secret prison" not in browser.get("/records/event/ev-secret/history").text
    history = browser.post(
        "/records/event/ev-secret/history", data={"csrf_token": token, "reason": "what changed"}
    ).text
    assert '<td class="before">Secret prison</td><td class="after">Prison</td>' in history
    too_short = browser.post(
        "/records/event/ev-secret/edit", data=form | {"reason": "x", "version": "2"}
    )
    assert too_short.status_code == 400
    assert stored(desk, "event", "ev-secret")[0].title == "Prison"


def test_hostile_text_is_escaped_in_the_form_and_in_the_history(logged_in):
    browser = logged_in("researcher")
    page = browser.get("/records/claim/cl-1/edit").text
    assert "<script>" not in page
    assert ESCAPED_SCRIPT in page
    form = form_values(page)
    assert form["excerpt"] == HOSTILE  # typed back unchanged
    source = browser.get("/records/source/t-hostile/edit").text
    assert "<script>" not in source
    assert 'value="&lt;script&gt;' in source  # the title in an input's value
    assert form_values(source)["title"] == HOSTILE
    assert form_values(source)["text"] == HOSTILE
    form |= {"excerpt": "a calm excerpt", "count_min": "3"}
    assert browser.post("/records/claim/cl-1/edit", data=form).status_code == 200
    history = browser.get("/records/claim/cl-1/history").text
    assert "<script>" not in history
    assert "onerror=alert(1)>" not in history
    assert ESCAPED_SCRIPT in history
    assert "a calm excerpt" in history


def test_invalid_values_are_shown_next_to_their_fields_with_the_typed_values_kept(logged_in, desk):
    browser = logged_in("analyst")
    form = form_values(browser.get("/records/claim/cl-1/edit").text)
    typed = form | {
        "count_min": "five",
        "count_max": "2",
        "stance": "shouts",
        "excerpt": "kept <b>as typed</b>",
        "source_id": "t-secret",  # exists, but the analyst may not see it
    }
    response = browser.post("/records/claim/cl-1/edit", data=typed)
    assert response.status_code == 400
    page = response.text
    assert "Nothing was saved" in page
    assert 'id="problem-count_min" role="alert">Type a whole number.' in page
    assert 'id="problem-stance" role="alert">Choose one of the offered values.' in page
    assert form_values(page)["count_min"] == "five"
    assert form_values(page)["excerpt"] == "kept <b>as typed</b>"
    assert "kept &lt;b&gt;as typed&lt;/b&gt;" in page
    # the unseen reference is named, like one that does not exist
    fixed = typed | {"count_min": "1", "stance": "asserts"}
    unseen = browser.post("/records/claim/cl-1/edit", data=fixed)
    assert unseen.status_code == 400
    assert "No record you can see has this id: t-secret." in unseen.text
    missing = browser.post("/records/claim/cl-1/edit", data=fixed | {"source_id": "nope"})
    assert "No record you can see has this id: nope." in missing.text
    bad_date = browser.post(
        "/records/event/ev-public/edit",
        data=form_values(browser.get("/records/event/ev-public/edit").text)
        | {"date.edtf": "", "date.as_reported": "late 2013"},
    )
    assert bad_date.status_code == 400
    assert 'id="problem-date.edtf"' in bad_date.text
    not_edtf = browser.post(
        "/records/event/ev-public/edit",
        data=form_values(browser.get("/records/event/ev-public/edit").text)
        | {"date.edtf": "late 2013"},
    )
    assert not_edtf.status_code == 400
    assert 'id="problem-date.edtf" role="alert">Not a date in EDTF' in not_edtf.text
    assert form_values(not_edtf.text)["date.edtf"] == "late 2013"
    assert stored(desk, "claim", "cl-1")[1].version == 1


def test_an_unseen_reference_already_there_may_be_kept(logged_in, desk):
    """The analyst cannot see informant inf-1, but editing the claim keeps its reference."""
    browser = logged_in("analyst")
    form = form_values(browser.get("/records/claim/cl-1/edit").text)
    assert form["informant_id"] == "inf-1"
    assert (
        browser.post("/records/claim/cl-1/edit", data=form | {"count_min": "2"}).status_code == 200
    )
    record, meta = stored(desk, "claim", "cl-1")
    assert (record.informant_id, record.count_min, meta.version) == ("inf-1", 2, 2)


def test_the_pages_in_russian(logged_in, desk):
    first, second = logged_in("researcher"), logged_in("admin")
    for browser in (first, second):
        token = csrf_of(browser.get("/inbox").text)
        browser.post("/language", data={"csrf_token": token, "lang": "ru", "next": "/inbox"})
    page = first.get("/records/event/ev-public/edit").text
    assert "Изменить" in page
    assert "Сохранить" in page
    form_a, form_b = (
        form_values(page),
        form_values(second.get("/records/event/ev-public/edit").text),
    )
    first.post("/records/event/ev-public/edit", data=form_a | {"title": "Задержания"})
    conflict = second.post("/records/event/ev-public/edit", data=form_b | {"count": "x"})
    assert conflict.status_code == 409
    assert "Кто-то другой изменил эту запись" in conflict.text
    invalid = second.post(
        "/records/act/act-1/edit",
        data=form_values(second.get("/records/act/act-1/edit").text) | {"act_type": "nonsense"},
    )
    assert "Выберите одно из предложенных значений." in invalid.text
    not_edtf = second.post(
        "/records/act/act-1/edit",
        data=form_values(second.get("/records/act/act-1/edit").text) | {"date.edtf": "2013-13"},
    )
    assert "Не дата в формате EDTF" in not_edtf.text
    history = first.get("/records/event/ev-public/history").text
    assert "История" in history
    assert "Задержания" in history


def _made_secret_then_restricted(desk) -> None:
    """ev-restricted said something while secret, then was made restricted without it."""
    from testament.core.records import Event

    with Casebook.open(desk.casebook_path) as book:
        book.update(
            Event(id="ev-restricted", title="Names the witness", confidentiality="secret"),
            actor="test",
        )
        book.update(
            Event(id="ev-restricted", title="Detentions", confidentiality="restricted"),
            actor="test",
        )


def test_a_version_from_when_the_record_was_secret_is_withheld_by_the_same_rule(logged_in, desk):
    _made_secret_then_restricted(desk)
    analyst = logged_in("analyst").get("/records/event/ev-restricted/history").text
    assert "Names the witness" not in analyst
    assert "a level of confidentiality you may not see" in analyst
    assert 'name="reason"' not in analyst  # no reason opens it for an analyst
    researcher = logged_in("researcher")
    page = researcher.get("/records/event/ev-restricted/history").text
    assert "Names the witness" not in page
    assert "the record was then secret" in page
    opened = researcher.post(
        "/records/event/ev-restricted/history",
        data={"csrf_token": csrf_of(page), "reason": "checking what was removed"},
    )
    assert opened.status_code == 200
    assert "Names the witness" in opened.text
    with Casebook.open(desk.casebook_path) as book:
        assert [(e.action, e.reason) for e in book.audit("ev-restricted")][-1] == (
            "view",
            "checking what was removed",
        )


def test_a_conflict_with_a_colleague_who_made_the_record_secret_shows_nothing_of_it(
    logged_in, desk
):
    from testament.core.records import Event

    analyst = logged_in("analyst")
    form = form_values(analyst.get("/records/event/ev-public/edit").text)
    with Casebook.open(desk.casebook_path) as book:
        book.update(
            Event(id="ev-public", title="Now a secret title", confidentiality="secret"),
            actor="test",
        )
    response = analyst.post("/records/event/ev-public/edit", data=form | {"title": "Mine"})
    assert response.status_code == 404
    assert "Now a secret title" not in response.text
    assert stored(desk, "event", "ev-public")[0].title == "Now a secret title"


def test_every_record_type_comes_back_unchanged_through_its_form():
    """The form of each record type holds every field: a record's values, typed back as they
    are, make the same record (so saving an untouched form never changes anything)."""
    from testament.core.records import (
        RECORD_TYPES,
        Act,
        Assessment,
        Claim,
        Event,
        EventLink,
        Group,
        Informant,
        Involvement,
        Organisation,
        Person,
        Place,
        ReportedDate,
        ReportedName,
        Source,
        Span,
    )
    from testament.desk import editing

    date = ReportedDate(edtf="2013-09~/2013-12~", as_reported="late 2013")
    rich = [
        Source(
            id="s",
            kind="news_article",
            title=HOSTILE,
            url="https://example.org/a",
            published=date,
            language="ru",
            derived_from=("a", "b"),
            text="first line\n\n  indented second\n",
        ),
        Informant(id="i", pseudonym="R", connection="witness", reliability="B", risk="extreme"),
        Claim(
            id="c",
            source_id="s",
            informant_id="i",
            target_kind="act",
            target_id="x",
            stance="denies",
            basis="documentary",
            excerpt="words",
            span=Span(start=0, end=5),
            count_min=0,
            count_max=3,
        ),
        Event(
            id="e",
            title="t",
            summary="s",
            date=ReportedDate(edtf="2017-04"),
            place_id="p",
            chain=(EventLink(relation="followed", event_id="e0"),),
        ),
        Act(id="a", event_id="e", act_type="torture", victim_id="g", status_at_end="released"),
        Person(
            id="p",
            pseudonym="P",
            names=(
                ReportedName(name="Руслан", script="Cyrl", source_id="s"),
                ReportedName(name="Ruslan"),
            ),
            sex="male",
            age_band="adult_25_34",
            birth=date,
            deceased=False,
            source_id="s",
        ),
        Group(id="g", pseudonym="G", description="d", size_min=2, size_max=100),
        Organisation(id="o", name="Unit", org_type="state_security", parent_id="o0"),
        Involvement(id="v", act_id="a", perpetrator_id="o", degree="ordered"),
        Place(
            id="pl",
            name="Argun",
            iso3166_2="RU-CE",
            geonames_id=12,
            lat=43.29,
            lon=45.87,
            precision="settlement",
            sensitive=True,
        ),
        Assessment(
            id="as",
            target_kind="claim",
            target_id="c",
            status="corroborated",
            standard_of_proof="reasonable_grounds",
            rationale="two lines",
            reviewer="amina",
            assessed_at="2026-12-01",
            confidentiality="public",
        ),
    ]
    assert {record.type for record in rich} == set(RECORD_TYPES)
    for record in rich:
        typed = editing.typed_values(record.type, editing.values_of(record))
        parsed = editing.parse(record.type, record.id, typed)
        assert parsed.problems == {}, record.type
        assert parsed.record == record


def test_a_change_that_would_make_sources_repeat_each_other_in_a_circle_is_refused(logged_in, desk):
    browser = logged_in("researcher")
    article = form_values(browser.get("/records/source/article/edit").text)
    assert (
        browser.post(
            "/records/source/article/edit", data=article | {"derived_from": "t-secret"}
        ).status_code
        == 200
    )
    secret = browser.post(
        "/records/source/t-secret/edit",
        data={"csrf_token": article["csrf_token"], "reason": "linking the article"},
    )
    form = form_values(secret.text) | {"derived_from": "article"}
    refused = browser.post("/records/source/t-secret/edit", data=form)
    assert refused.status_code == 400
    assert "repeat each other in a circle" in refused.text
    assert stored(desk, "source", "t-secret")[0].derived_from == ()


def test_a_sources_evidence_is_kept_as_received_whatever_is_posted(logged_in, desk):
    """A pulled testimony's text and its SHA-256 are evidence: shown read-only, and a hand-made
    request that changes them changes nothing but the fields a reviewer may edit."""
    digest = "a" * 64
    with Casebook.open(desk.casebook_path) as book:
        source = book.get("source", "t-public")
        book.update(source.model_copy(update={"sha256": digest}), actor="desk:pull")
    browser = logged_in("researcher")
    page = browser.get("/records/source/t-public/edit").text
    assert re.search(r'<textarea id="f-text" name="text"[^>]* readonly', page)
    assert re.search(r'<input id="f-sha256" name="sha256"[^>]* readonly', page)
    form = form_values(page) | {"text": "rewritten", "sha256": "b" * 64, "title": "Titled"}

    response = browser.post("/records/source/t-public/edit", data=form, follow_redirects=False)

    assert response.status_code == 303
    record, _ = stored(desk, "source", "t-public")
    assert (record.text, record.sha256, record.title) == (
        "public words about Grozny",
        digest,
        "Titled",
    )
