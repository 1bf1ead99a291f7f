"""The corroboration page of an event or act: lines, dependents, denials, rationale and the
dependence graph, with every source the role may not see counted and never named."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from html import unescape

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from testament.casework.corroboration import CasebookCorroboration, corroborate_casebook
from testament.core.records import Act, Claim, Event, Source
from testament.desk.corroboration_view import CorroborationCache
from testament.store import Casebook
from testament.store.schema import audit_log
from tests.deskweb.conftest import HOSTILE, Desk, csrf_of


def _claim(claim_id: str, source: str, target: str, stance: str, **more: str) -> Claim:
    kind, target_id = target.split(":")
    return Claim(
        id=claim_id,
        source_id=source,
        target_kind=kind,  # type: ignore[arg-type]
        target_id=target_id,
        stance=stance,  # type: ignore[arg-type]
        basis=more.pop("basis", "hearsay"),  # type: ignore[arg-type]
        confidentiality="public",
        **more,  # type: ignore[arg-type]
    )


@pytest.fixture
def weighed(desk: Desk) -> Desk:
    """Detentions reported by a restricted testimony and a public newspaper (two lines), a
    digest repeating the newspaper, a neighbour's account resting on the same informant as the
    testimony, and the ministry's denial; the event's title is hostile markup."""
    records = [
        Event(id="e-det", title=HOSTILE, confidentiality="public"),
        Act(id="a-det", event_id="e-det", act_type="arbitrary_detention", confidentiality="public"),
        Source(id="s-a-witness", kind="testimony", confidentiality="restricted", text="w"),
        Source(id="s-neighbour", kind="testimony", confidentiality="public", text="n"),
        Source(id="s-paper", kind="news_article", outlet="Paper", confidentiality="public"),
        Source(
            id="s-digest",
            kind="news_article",
            outlet="Digest",
            derived_from=("s-paper",),
            confidentiality="public",
        ),
        Source(id="s-ministry", kind="official_statement", confidentiality="public"),
        _claim(
            "c1", "s-a-witness", "act:a-det", "asserts", basis="first_hand", informant_id="inf-1"
        ),
        _claim("c2", "s-paper", "act:a-det", "asserts"),
        _claim("c3", "s-digest", "act:a-det", "asserts"),
        _claim("c4", "s-neighbour", "act:a-det", "asserts", informant_id="inf-1"),
        _claim("c5", "s-ministry", "event:e-det", "denies", basis="documentary"),
    ]
    with Casebook.open(desk.casebook_path) as casebook:
        casebook.add(records, actor="test")  # type: ignore[arg-type]
    return desk


def _text(html: str) -> str:
    """The page with its SVG and tags removed: what a reader reads outside the graph."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*</svg>", "", html, flags=re.S))


def test_the_page_shows_lines_dependents_denials_rationale_and_graph(
    weighed: Desk, logged_in: Callable[[str], TestClient]
) -> None:
    page = logged_in("researcher").get("/corroboration/act/a-det")
    assert page.status_code == 200
    html = page.text
    assert '<dd class="status">corroborated</dd>' in html
    assert "disputed" in html
    assert "denied by the authorities" in html
    lines = re.search(r'<ol class="lines">(.*?)</ol>', html, flags=re.S)
    assert lines is not None
    assert 'href="/records/source/s-paper"' in lines.group(1)
    assert 'href="/records/source/s-a-witness"' in lines.group(1)
    # the digest is grouped under the line it repeats, and says why
    assert re.search(r"s-paper</a>\s*<ul><li>.*s-digest.*s-digest repeats s-paper", html, re.S)
    assert "both rest on the informant inf-1" in html  # researchers may see informants
    denials = re.search(r'<ul class="denials">(.*?)</ul>', html, flags=re.S)
    assert denials is not None
    assert "s-ministry" in denials.group(1)
    assert "Official statement" in denials.group(1) or "official" in denials.group(1).lower()
    assert "by the authorities: the statement of an interested party" in html
    rationale = re.search(r'<p class="rationale">(.*?)</p>', html, flags=re.S)
    assert rationale is not None
    assert "corroborated: 2 >= 2 independent lines" in unescape(rationale.group(1))
    assert html.count("<svg") == 1
    assert "s-digest" in re.search(r"<svg.*</svg>", html, re.S).group(0)  # type: ignore[union-attr]


def test_sources_and_informants_the_role_may_not_see_are_counted_never_named(
    weighed: Desk, logged_in: Callable[[str], TestClient]
) -> None:
    for role in ("viewer", "analyst"):
        html = logged_in(role).get("/corroboration/act/a-det").text
        if role == "viewer":
            assert "s-a-witness" not in html  # not in the lines, the rationale or the graph
            assert "1 restricted source is counted here but not named" in html
            assert "restricted source 1" in html
            # listed after the visible sources, not where its id would sort ("s-a-" comes first)
            assert "support it: s-paper, restricted source 1;" in html
            assert '<dd class="status">corroborated</dd>' in html  # the status does not change
        else:  # analysts see restricted sources
            assert "s-a-witness" in html
        # informants are secret: neither role reads the informant's id
        assert "inf-1" not in html
        assert "both rest on one informant" in html


def test_the_graph_is_drawn_on_the_server_and_escapes_record_text(
    weighed: Desk, logged_in: Callable[[str], TestClient]
) -> None:
    html = logged_in("researcher").get("/corroboration/event/e-det").text
    svg = re.search(r"<svg.*</svg>", html, re.S)
    assert svg is not None
    assert "<script" not in html
    assert "onerror=alert(1)&gt;" in svg.group(0)
    assert "&lt;script&gt;" in svg.group(0)
    assert "s-ministry" in svg.group(0)  # the denial stands apart in the graph


def test_a_target_the_role_may_not_see_is_a_404_and_a_secret_one_asks_why(
    weighed: Desk, logged_in: Callable[[str], TestClient]
) -> None:
    viewer = logged_in("viewer")
    assert viewer.get("/corroboration/event/ev-restricted").status_code == 404
    assert viewer.get("/corroboration/event/nope").status_code == 404
    assert viewer.get("/corroboration/source/t-public").status_code == 404
    researcher = logged_in("researcher")
    asked = researcher.get("/corroboration/event/ev-secret")
    assert "Why are you opening this record?" in asked.text
    assert 'action="/corroboration/event/ev-secret"' in asked.text
    token = csrf_of(asked.text)
    assert (
        researcher.post("/corroboration/event/ev-secret", data={"reason": "x" * 9}).status_code
        == 403
    )
    opened = researcher.post(
        "/corroboration/event/ev-secret", data={"csrf_token": token, "reason": "weighing it"}
    )
    assert opened.status_code == 200
    assert "Opened for: weighing it" in opened.text
    with Casebook.open(weighed.casebook_path) as casebook, casebook.engine.connect() as db:
        views = db.execute(
            select(audit_log.c.record_id, audit_log.c.reason).where(audit_log.c.action == "view")
        ).all()
    assert [tuple(row) for row in views] == [("ev-secret", "weighing it")]


def test_an_event_no_claim_is_about_says_so_and_record_pages_link_here(
    weighed: Desk, logged_in: Callable[[str], TestClient]
) -> None:
    client = logged_in("researcher")
    unweighed = client.get("/corroboration/event/ev-restricted").text
    assert "No claim is about this record yet" in unweighed
    record = client.get("/records/act/a-det").text
    assert 'href="/corroboration/act/a-det"' in record
    assert "/corroboration/" not in client.get("/records/source/t-public").text


def test_the_page_in_russian(weighed: Desk, logged_in: Callable[[str], TestClient]) -> None:
    client = logged_in("viewer")
    token = csrf_of(client.get("/inbox").text)
    client.post("/language", data={"csrf_token": token, "lang": "ru", "next": "/inbox"})
    html = client.get("/corroboration/act/a-det").text
    assert "Подтверждение" in html
    assert '<dd class="status">подтверждено</dd>' in html
    assert "источник с ограниченным доступом 1" in html
    assert "s-a-witness" not in html
    assert "опровергнуто властями" in html


ENGLISH_RATIONALE = (
    "independent line",
    "support it",
    "also support",
    "share an origin",
    "are not independent",
    "repeats",
    "first-hand",
    "corroborated:",
    "denied by the authorities",
    "interested party",
    "of denial",
)


@pytest.mark.parametrize("role", ["researcher", "viewer"])
def test_the_rationale_and_the_graph_are_in_russian_on_a_russian_page(
    weighed: Desk, logged_in: Callable[[str], TestClient], role: str
) -> None:
    client = logged_in(role)
    token = csrf_of(client.get("/inbox").text)
    client.post("/language", data={"csrf_token": token, "lang": "ru", "next": "/inbox"})
    html = client.get("/corroboration/act/a-det").text
    rationale = re.search(r'<p class="rationale">(.*?)</p>', html, flags=re.S)
    assert rationale is not None
    said = unescape(rationale.group(1))
    assert "это подтверждают 2 независимые линии сообщений: " in said
    assert "s-digest повторяет s-paper" in said
    assert "подтверждено: независимых линий 2, нужно не меньше 2" in said
    assert "(1 независимая линия опровержения)" in said
    svg = re.search(r"<svg.*</svg>", html, re.S)
    assert svg is not None
    drawn = unescape(svg.group(0))
    assert "зелёные: учтённые независимые линии" in drawn  # the legend
    assert '<title id="t">Действие a-det — Произвольное задержание<' in drawn
    assert "подтверждено: независимых линий: 2; подтверждающих источников: 4" in drawn
    assert "s-digest: зависимый" in drawn
    for english in (*ENGLISH_RATIONALE, "green:", "dashed", "line(s)", "denial", "arbitrary"):
        assert english not in said, english
        assert english not in re.sub(r"<text[^>]*>[^<]*onerror[^<]*</text>", "", drawn), english
    main = html[html.index("<main>") :]
    assert 'lang="en"' not in main  # nothing of the page's own is marked as English any more


def test_the_result_is_kept_until_the_casebook_changes(weighed: Desk) -> None:
    runs: list[CasebookCorroboration] = []

    def counted(casebook: Casebook) -> CasebookCorroboration:
        runs.append(corroborate_casebook(casebook))
        return runs[-1]

    cache = CorroborationCache(counted)
    with Casebook.open(weighed.casebook_path) as casebook:
        first = cache.get(casebook)
        assert cache.get(casebook).result is first.result
        assert first.current
        assert len(runs) == 1
        casebook.add(
            [_claim("c9", "s-neighbour", "event:ev-public", "asserts")],  # type: ignore[list-item]
            actor="test",
        )
        changed = cache.get(casebook)  # a quick casebook: recomputed in the request
    assert len(runs) == 2
    assert changed.current
    assert changed.result.explain("ev-public").supporting == ["s-neighbour"]


def test_a_slow_casebook_shows_the_last_result_marked_while_the_next_is_computed(
    weighed: Desk,
) -> None:
    cache = CorroborationCache(corroborate_casebook, background_after=0.0)
    with Casebook.open(weighed.casebook_path) as casebook:
        before = cache.get(casebook)
        casebook.add(
            [_claim("c9", "s-neighbour", "event:ev-public", "asserts")],  # type: ignore[list-item]
            actor="test",
        )
        stale = cache.get(casebook)
        assert stale.result is before.result
        assert not stale.current
        cache.wait(timeout=60)
        fresh = cache.get(casebook)
    assert fresh.current
    assert fresh.result.explain("ev-public").supporting == ["s-neighbour"]


def test_the_page_says_when_its_statuses_are_not_current(
    weighed: Desk, logged_in: Callable[[str], TestClient]
) -> None:
    client = logged_in("researcher")
    assert "The casebook changed since" not in client.get("/corroboration/act/a-det").text
    cache = client.app.state.corroboration_cache  # type: ignore[attr-defined]
    cache._background_after = -1.0  # as if the casebook took long to weigh
    with Casebook.open(weighed.casebook_path) as casebook:
        casebook.add([Event(id="e-new", title="new")], actor="test")
    assert "The casebook changed since" in client.get("/corroboration/act/a-det").text
    cache.wait(timeout=60)
    assert "The casebook changed since" not in client.get("/corroboration/act/a-det").text


def test_a_visible_source_is_not_named_when_its_only_claim_here_is_hidden(
    weighed: Desk, logged_in: Callable[[str], TestClient]
) -> None:
    with Casebook.open(weighed.casebook_path) as casebook:
        claim = casebook.get("claim", "c4")  # the neighbour's only claim on the detention
        hidden = type(claim).model_validate(claim.model_dump() | {"confidentiality": "restricted"})
        casebook.update(hidden, actor="test")
    viewer = logged_in("viewer")
    html = viewer.get("/corroboration/act/a-det").text
    assert "s-neighbour" not in html
    assert "2 restricted sources are counted here but not named" in html
    assert viewer.get("/records/source/s-neighbour").status_code == 200  # the source is public
    assert "s-neighbour" in logged_in("analyst").get("/corroboration/act/a-det").text


def test_the_first_computation_never_holds_a_page_for_long(
    weighed: Desk, logged_in: Callable[[str], TestClient]
) -> None:
    release = threading.Event()

    def slow(casebook: Casebook) -> CasebookCorroboration:
        release.wait(60)  # a million claims take tens of seconds
        return corroborate_casebook(casebook)

    client = logged_in("researcher")
    client.app.state.corroboration_cache = CorroborationCache(slow, first_wait=0.2)  # type: ignore[attr-defined]
    waiting = client.get("/corroboration/act/a-det")
    assert waiting.status_code == 200
    assert "being computed for the first time" in waiting.text
    assert '<meta http-equiv="refresh" content="10">' in waiting.text
    assert "Independent lines" not in waiting.text
    release.set()
    client.app.state.corroboration_cache.wait(timeout=60)  # type: ignore[attr-defined]
    done = client.get("/corroboration/act/a-det")
    assert "being computed" not in done.text
    assert "Independent lines" in done.text


def test_a_first_computation_that_fails_is_reported_not_awaited_forever(weighed: Desk) -> None:
    calls: list[int] = []

    def failing(casebook: Casebook) -> CasebookCorroboration:
        calls.append(1)
        raise RuntimeError("the casebook cannot be weighed")

    cache = CorroborationCache(failing, first_wait=5.0)
    with Casebook.open(weighed.casebook_path) as casebook, pytest.raises(RuntimeError):
        cache.get(casebook)  # the thread failed: the request runs it again, and fails visibly
    assert len(calls) == 2


def test_after_a_change_a_quick_casebook_is_waited_for_and_a_slow_one_is_not(
    weighed: Desk,
) -> None:
    pause = {"seconds": 0.0}

    def timed(casebook: Casebook) -> CasebookCorroboration:
        time.sleep(pause["seconds"])
        return corroborate_casebook(casebook)

    cache = CorroborationCache(timed, background_after=1.0)
    with Casebook.open(weighed.casebook_path) as casebook:
        pause["seconds"] = 2.0  # the first computation's time (loading code) is not held against it
        assert cache.get(casebook) is not None
        pause["seconds"] = 0.3
        casebook.add([Event(id="e-1", title="one")], actor="test")
        quick = cache.get(casebook)
        assert quick is not None
        assert quick.current  # waited for: the researcher sees what they just coded
        pause["seconds"] = 1.5  # now slower than background_after
        casebook.add([Event(id="e-2", title="two")], actor="test")
        began = time.perf_counter()
        waited = cache.get(casebook)  # waited for, but never longer than background_after
        assert time.perf_counter() - began < 1.4
        assert waited is not None
        assert not waited.current
        cache.wait(timeout=60)
        casebook.add([Event(id="e-3", title="three")], actor="test")
        began = time.perf_counter()
        stale = cache.get(casebook)  # the last one took 1.5 s: not waited for at all
        assert time.perf_counter() - began < 0.5
        assert stale is not None
        assert not stale.current
        cache.wait(timeout=60)


def test_opening_a_secret_record_is_audited_but_does_not_make_the_statuses_stale(
    weighed: Desk, logged_in: Callable[[str], TestClient]
) -> None:
    runs: list[int] = []

    def counted(casebook: Casebook) -> CasebookCorroboration:
        runs.append(1)
        return corroborate_casebook(casebook)

    client = logged_in("researcher")
    client.app.state.corroboration_cache = CorroborationCache(counted)  # type: ignore[attr-defined]
    assert client.get("/corroboration/act/a-det").status_code == 200
    assert len(runs) == 1
    secret = client.get("/records/source/t-secret")
    token = csrf_of(secret.text)
    client.post("/records/source/t-secret", data={"csrf_token": token, "reason": "checking"})
    assert client.get("/corroboration/act/a-det").status_code == 200
    assert len(runs) == 1  # a view changes no record: nothing to weigh again
