"""Linkage review on the desk: the queue of uncertain pairs, one pair side by side, decisions
stored in the casebook, audited, and honoured by the next linkage run; CSRF, roles, languages."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import inspect, select
from starlette.testclient import TestClient

from testament.casework.linking import link_casebook
from testament.core.records import ReportedName
from testament.desk.review import PAGE_SIZE
from testament.link import LinkSettings
from testament.link.review import pair_id
from testament.store import Casebook
from testament.store.engine import make_engine
from testament.store.link_review import record_decision, stored_decisions
from testament.store.migrate import upgrade
from testament.store.persons import person_links
from testament.store.schema import audit_log, link_decision, person_review_pair
from tests.deskweb.conftest import HOSTILE, Desk, csrf_of
from tests.support.listed_persons import listed_persons


@dataclass
class Linked:
    desk: Desk
    queue: list[tuple[str, str, str, float]]  # pair id, left, right, probability (run's order)
    clusters: dict[str, str]

    def cluster_pair(self, *, same: bool) -> tuple[str, str, str]:
        """A queued pair whose persons the run put in one cluster (``same``) or in two."""
        for pair, left, right, _ in self.queue:
            if (self.clusters[left] == self.clusters[right]) is same:
                return pair, left, right
        raise AssertionError("no such pair in the queue")


def _set(casebook: Casebook, person_id: str, **changes: object) -> None:
    record = casebook.get("person", person_id)
    changed = type(record).model_validate(record.model_dump() | changes)
    casebook.update(changed, actor="test")


@pytest.fixture
def linked(desk: Desk) -> Linked:
    """The desk's casebook with 240 persons on three lists, linked once (real linkage)."""
    records, _truth = listed_persons(people=200)
    with Casebook.open(desk.casebook_path) as casebook:
        casebook.add(records, actor="test")  # type: ignore[arg-type]
        run = link_casebook(casebook, LinkSettings(), actor="test")
        queue = [
            (str(p), str(a), str(b), float(m))
            for p, a, b, m in run.linkage.review_queue[
                ["pair_id", "record_id_l", "record_id_r", "match_probability"]
            ].itertuples(index=False)
        ]
        clusters = {link.person_id: link.cluster_id for link in person_links(casebook)}
    assert len(queue) > PAGE_SIZE, "the fixture should fill more than one page"
    return Linked(desk, queue, clusters)


def _pair_ids(html: str) -> list[str]:
    return re.findall(r'href="/review/([0-9a-f]{12})"', html)


def test_queue_lists_the_uncertain_pairs_of_the_latest_run_in_pages_of_twenty(
    linked: Linked, logged_in: Callable[[str], TestClient]
) -> None:
    client = logged_in("researcher")
    first = client.get("/review")
    assert first.status_code == 200
    assert f"{len(linked.queue)} pairs wait for a decision." in first.text
    shown = _pair_ids(first.text)
    assert len(shown) == PAGE_SIZE
    second = _pair_ids(client.get("/review?page=2").text)
    assert len(second) == len(linked.queue) - PAGE_SIZE
    # every queued pair once, most uncertain first
    assert sorted(shown + second) == sorted(p for p, *_ in linked.queue)
    distance = {p: abs(m - 0.5) for p, _, _, m in linked.queue}
    order = [distance[p] for p in shown + second]
    assert order == sorted(order)


def test_pair_page_aligns_the_fields_and_marks_differences_escaped(
    linked: Linked, logged_in: Callable[[str], TestClient]
) -> None:
    pair, left, right, _ = linked.queue[0]
    with Casebook.open(linked.desk.casebook_path) as casebook:
        _set(casebook, left, names=(ReportedName(name=HOSTILE),))
    page = logged_in("analyst").get(f"/review/{pair}")
    assert page.status_code == 200
    assert f'href="/records/person/{left}"' in page.text
    assert f'href="/records/person/{right}"' in page.text
    names_row = re.search(r'<tr class="differs">\s*<th scope="row">Names as reported', page.text)
    assert names_row is not None, "the differing names are marked"
    assert "<script>" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    assert 'name="verdict" value="same"' in page.text


def test_decisions_are_stored_audited_and_honoured_by_the_next_run(
    linked: Linked, logged_in: Callable[[str], TestClient]
) -> None:
    client = logged_in("researcher")
    apart, a_left, a_right = linked.cluster_pair(same=False)
    together, t_left, t_right = linked.cluster_pair(same=True)
    for pair, verdict in ((apart, "same"), (together, "different")):
        token = csrf_of(client.get(f"/review/{pair}").text)
        answer = client.post(
            f"/review/{pair}",
            data={"csrf_token": token, "verdict": verdict, "note": "checked the birth years"},
            follow_redirects=False,
        )
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/review")
    # decided pairs leave the queue; the page of a decided pair says what stands
    assert apart not in _pair_ids(client.get("/review").text + client.get("/review?page=2").text)
    assert "Decided: same person, by desk:researcher" in client.get(f"/review/{apart}").text
    with Casebook.open(linked.desk.casebook_path) as casebook:
        stored = {d.pair_id: d for d in stored_decisions(casebook)}
        assert stored[apart].verdict == "same"
        assert stored[together].verdict == "different"
        assert stored[apart].decided_by == "desk:researcher"
        assert stored[apart].note == "checked the birth years"
        audited = casebook.audit(apart)
        assert [(e.action, e.record_type, e.actor) for e in audited] == [
            ("create", "link_decision", "desk:researcher")
        ]
        rerun = link_casebook(casebook, LinkSettings(), actor="test")
        clusters = {link.person_id: link.cluster_id for link in person_links(casebook)}
    assert rerun.decisions_honoured == 2
    assert clusters[a_left] == clusters[a_right], "decided the same: merged"
    assert clusters[t_left] != clusters[t_right], "decided different: split"
    assert apart not in set(rerun.linkage.review_queue["pair_id"])


def test_a_confident_link_decided_different_is_split_by_the_next_run(linked: Linked) -> None:
    """Beyond the queue: a decision on any pair binds the next run, whatever its score."""
    with Casebook.open(linked.desk.casebook_path) as casebook:
        by_cluster: dict[str, list[str]] = {}
        for person, cluster in linked.clusters.items():
            by_cluster.setdefault(cluster, []).append(person)
        left, right = next(sorted(m)[:2] for m in by_cluster.values() if len(m) == 2)
        record_decision(
            casebook,
            pair_id(left, right),
            left,
            right,
            "different",
            actor="analyst",
            now=linked.desk.clock.now,
        )
        link_casebook(casebook, LinkSettings(), actor="test")
        clusters = {link.person_id: link.cluster_id for link in person_links(casebook)}
    assert clusters[left] != clusters[right]


def test_a_decision_needs_the_sessions_csrf_token(
    linked: Linked, logged_in: Callable[[str], TestClient]
) -> None:
    client = logged_in("admin")
    pair = linked.queue[0][0]
    for data in ({"verdict": "same"}, {"verdict": "same", "csrf_token": "forged"}):
        assert client.post(f"/review/{pair}", data=data).status_code == 403
    with Casebook.open(linked.desk.casebook_path) as casebook:
        assert stored_decisions(casebook) == []


def test_skip_moves_on_and_stores_nothing(
    linked: Linked, logged_in: Callable[[str], TestClient]
) -> None:
    client = logged_in("analyst")
    first, second = _pair_ids(client.get("/review").text)[:2]
    token = csrf_of(client.get(f"/review/{first}").text)
    answer = client.post(
        f"/review/{first}", data={"csrf_token": token, "verdict": "skip"}, follow_redirects=False
    )
    assert answer.headers["location"] == f"/review/{second}"
    with Casebook.open(linked.desk.casebook_path) as casebook:
        assert stored_decisions(casebook) == []


def test_roles_a_viewer_reads_only_pairs_it_may_see_and_never_decides(
    linked: Linked, logged_in: Callable[[str], TestClient]
) -> None:
    public_pair, p_left, p_right, _ = linked.queue[0]
    hidden_pair = linked.queue[1][0]
    with Casebook.open(linked.desk.casebook_path) as casebook:
        for person in {p_left, p_right}:
            _set(casebook, person, confidentiality="public")
    viewer = logged_in("viewer")
    queue = viewer.get("/review").text
    assert _pair_ids(queue) == [public_pair]
    assert "1 pair waits for a decision." in queue
    assert "does not decide" in queue
    page = viewer.get(f"/review/{public_pair}")
    assert page.status_code == 200
    assert 'name="verdict"' not in page.text
    assert viewer.get(f"/review/{hidden_pair}").status_code == 404
    token = csrf_of(page.text)
    refused = viewer.post(f"/review/{public_pair}", data={"csrf_token": token, "verdict": "same"})
    assert refused.status_code == 403
    with Casebook.open(linked.desk.casebook_path) as casebook:
        assert stored_decisions(casebook) == []


def test_a_pair_with_a_secret_person_opens_only_with_an_audited_reason(
    linked: Linked, logged_in: Callable[[str], TestClient]
) -> None:
    pair, left, _right, _ = linked.queue[0]
    with Casebook.open(linked.desk.casebook_path) as casebook:
        _set(casebook, left, confidentiality="secret")
    analyst = logged_in("analyst")
    assert analyst.get(f"/review/{pair}").status_code == 404
    assert pair not in _pair_ids(analyst.get("/review").text)
    researcher = logged_in("researcher")
    asked = researcher.get(f"/review/{pair}")
    assert "Why are you opening this record?" in asked.text
    assert left not in asked.text
    token = csrf_of(asked.text)
    opened = researcher.post(
        f"/review/{pair}", data={"csrf_token": token, "reason": "checking a duplicate"}
    )
    assert opened.status_code == 200
    assert f'href="/records/person/{left}"' in opened.text
    with Casebook.open(linked.desk.casebook_path) as casebook, casebook.engine.connect() as db:
        views = db.execute(
            select(audit_log.c.actor, audit_log.c.record_id, audit_log.c.reason).where(
                audit_log.c.action == "view"
            )
        ).all()
    assert [tuple(row) for row in views] == [("desk:researcher", left, "checking a duplicate")]


def test_review_pages_in_russian(linked: Linked, logged_in: Callable[[str], TestClient]) -> None:
    client = logged_in("researcher")
    token = csrf_of(client.get("/review").text)
    client.post("/language", data={"csrf_token": token, "lang": "ru", "next": "/review"})
    queue = client.get("/review").text
    assert "Проверка связывания" in queue
    assert "пар ждут решения" in queue or "пары ждут решения" in queue
    page = client.get(f"/review/{linked.queue[0][0]}").text
    assert "Один и тот же человек" in page
    assert "Разные люди" in page


def test_before_any_linkage_run_the_queue_says_what_to_do(
    desk: Desk, logged_in: Callable[[str], TestClient]
) -> None:
    page = logged_in("researcher").get("/review")
    assert page.status_code == 200
    assert "No linkage run is stored yet" in page.text
    assert logged_in("researcher").get("/review/0123456789ab").status_code == 404


def test_migration_0004_adds_the_review_tables_as_the_schema_describes(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            upgrade(connection, "0003")
            assert "link_decision" not in inspect(connection).get_table_names()
    finally:
        engine.dispose()
    Casebook.migrate(path)
    with Casebook.open(path) as casebook, casebook.engine.connect() as db:
        for table in (link_decision, person_review_pair):
            found = {c["name"] for c in inspect(db).get_columns(table.name)}
            assert found == {c.name for c in table.columns}
