"""A researcher's day on the desk, in real Chromium with JavaScript off, in English and Russian,
against ``testament desk serve --intake`` in its own process and a live intake:

a source testifies; the researcher logs in with a TOTP code, pulls with the identity's
passphrase, opens the testimony with a reason, codes a passage of it into a new act (victim,
place from the ISO 3166-2 picker, a date in the source's words), codes an independent article
onto the same act and sees the act corroborated, answers the source (who reads the answer), and
decides a pair of the linkage review queue, which the casebook keeps for the next run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyotp
import pytest

from testament.casework.linking import link_casebook
from testament.core.records import Event, Source
from testament.desk.keygen import create_identity
from testament.desk.web.render import translate
from testament.link import LinkSettings
from testament.store import Casebook
from testament.store.link_review import stored_decisions
from tests.browser.desk_server import (
    PASSWORD,
    add_researcher,
    desk_serve_with_intake,
    wait_for_the_pull,
)
from tests.browser.test_journey import is_problem
from tests.desk.live import SourceBrowser, live_intake
from tests.support.listed_persons import listed_persons

pytestmark = pytest.mark.browser

PASSPHRASE = "larkspur tundra velvet ferry 91"
LOCALES = {"en": "en-GB", "ru": "ru-RU"}
PASSAGES = {
    "en": "At the end of 2013 two men in uniform took my brother from our house in Argun.",
    "ru": "В конце 2013 года двое в форме забрали моего брата из нашего дома в Аргуне.",
}
TESTIMONIES = {
    lang: f"I write from far away. {passage} Nobody has seen him since."
    for lang, passage in PASSAGES.items()
}
WHEN = {"en": "late 2013", "ru": "в конце 2013 года"}
ARTICLE_PASSAGE = "Relatives say a young man was detained in Argun in the autumn of 2013."
REPLIES = {
    "en": "Thank you. A lawyer will write to you here within a week.",
    "ru": "Спасибо. Юрист напишет вам здесь в течение недели.",
}


@pytest.fixture(scope="module")
def linked_casebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A casebook with three victim lists linked once (a real review queue), an event, and a
    public article by an outlet: made once, copied for each language."""
    path = tmp_path_factory.mktemp("linked") / "casebook.sqlite"
    records, _truth = listed_persons(people=200)
    with Casebook.create(path) as book:
        book.add(records, actor="test")  # type: ignore[arg-type]
        book.add(
            [
                Event(id="ev-argun", title="Detentions in Argun", confidentiality="restricted"),
                Source(
                    id="art-1",
                    kind="news_article",
                    title="Detained in Argun",
                    outlet="Caucasus Courier",
                    confidentiality="public",
                    text=f"{ARTICLE_PASSAGE} The police did not answer our questions.",
                ),
            ],
            actor="test",
        )
        run = link_casebook(book, LinkSettings(), actor="test")
        assert len(run.linkage.review_queue) > 0
    return path


def _log_in(page, url: str, secret: str) -> None:
    page.goto(url + "/login")
    page.fill("#name", "amina")
    page.fill("#password", PASSWORD)
    page.fill("#code", pyotp.TOTP(secret).now())
    page.locator("form[action^='/login'] button").click()
    assert page.url.endswith("/inbox")


def _give_reason(page, reason: str) -> None:
    """Answer the 'why are you opening this secret record' page, if it is the one shown."""
    if page.locator("#reason").count():
        page.fill("#reason", reason)
        page.locator("main form button[type=submit], main form button").first.click()


def _field(page, name: str):
    return page.locator(f"[name='{name}']")


def _code(page, fill) -> None:
    """Fill the coding form with ``fill``, preview, then save; the claim's page follows."""
    fill()
    page.locator("button[name=action][value=preview]").click()
    assert page.locator("section.preview").count() == 1, page.content()
    page.locator("button[name=action][value=save]").click()
    assert "/records/claim/" in page.url, page.content()
    _give_reason(page, "checking the claim just coded")  # a testimony's claim is secret too


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_pull_code_corroborate_answer_and_review(chromium, linked_casebook, tmp_path, lang):
    book_path = tmp_path / "casebook.sqlite"
    shutil.copy(linked_casebook, book_path)
    identity = tmp_path / "reviewer.age"
    recipient = create_identity(identity, PASSPHRASE)
    with Casebook.open(book_path) as book:
        secret = add_researcher(book)
    with live_intake(tmp_path / "intake", (recipient,)) as intake:
        source = SourceBrowser(intake, lang)
        codename = source.new_codename()
        source.submit(TESTIMONIES[lang])
        with desk_serve_with_intake(book_path, tmp_path, intake, identity) as (url, log_path):
            context = chromium.new_context(locale=LOCALES[lang], java_script_enabled=False)
            try:
                page = context.new_page()
                problems: list[object] = []
                page.on("console", lambda note: problems.append(note) if is_problem(note) else None)
                act_id = _work(page, url, secret, lang)
                assert problems == []
            finally:
                context.close()
        source.log_in(codename)
        assert REPLIES[lang] in source.source_page()
        source.close()
    assert PASSPHRASE.encode() not in log_path.read_bytes()
    with Casebook.open(book_path) as book:
        claims = {claim.source_id: claim for claim in book.records("claim")}
        (testimony_id,) = [key for key in claims if key.startswith("intake:")]
        testimony_claim, article_claim = claims[testimony_id], claims["art-1"]
        assert testimony_claim.target_id == article_claim.target_id == act_id
        assert testimony_claim.excerpt == PASSAGES[lang]
        act = book.get("act", act_id)
        assert act.date is not None
        assert act.date.as_reported == WHEN[lang]
        place = book.get("place", act.place_id)
        assert place.iso3166_2 == "RU-CE"
        (decision,) = stored_decisions(book)
        assert decision.verdict == "same"
        assert decision.decided_by == "desk:amina"


def _work(page, url: str, secret: str, lang: str) -> str:
    """Everything the researcher does in the browser; the new act's id."""
    _log_in(page, url, secret)
    assert page.locator("html").get_attribute("lang") == lang

    # Pull: the passphrase opens the identity for this pull only; the page reloads itself
    page.fill("#passphrase", PASSPHRASE)
    page.locator("form[action='/inbox/pull'] button").click()
    wait_for_the_pull(page)
    stored = page.locator("section.pull-job a[href^='/records/source/intake']")
    assert stored.count() == 1, page.content()
    testimony_path = stored.first.get_attribute("href")
    assert testimony_path is not None

    # Open the testimony (secret: a reason first), then code a passage of it into a new act
    stored.first.click()
    _give_reason(page, "coding the testimony")
    assert page.locator(".text").inner_text() == TESTIMONIES[lang]
    page.locator(f"form[action='{testimony_path}/code'] button").click()
    assert page.locator("h1").count() == 1

    def testimony_coding() -> None:
        _field(page, "excerpt").fill(PASSAGES[lang])
        _field(page, "stance").select_option("asserts")
        _field(page, "basis").select_option("first_hand")
        page.check("input[name=target][value=act]")
        _field(page, "act.event_id").fill("ev-argun")
        _field(page, "act.act_type").select_option("arbitrary_detention")
        page.check("input[name=victim][value=person]")
        _field(page, "person.pseudonym").fill("Brother of R.")
        page.check("input[name=place][value=new]")
        _field(page, "place.name").fill("Argun" if lang == "en" else "Аргун")
        _field(page, "place.country").select_option("RU")
        _field(page, "date.as_reported").fill(WHEN[lang])
        # the region picker lists the chosen country's regions after a preview (no JavaScript)
        page.locator("button[name=action][value=preview]").click()
        region = _field(page, "place.region")
        assert region.locator("option[value='RU-CE']").count() == 1
        region.select_option("RU-CE")
        assert _field(page, "date.edtf").input_value() == "2013-09~/2013-12~"

    _code(page, testimony_coding)
    act_link = page.locator("a[href^='/records/act/']").first
    act_path = act_link.get_attribute("href")
    assert act_path is not None
    act_id = act_path.rsplit("/", 1)[1]

    # Alone, the testimony is one line: not corroborated yet
    page.goto(f"{url}/corroboration/act/{act_id}")
    _give_reason(page, "weighing the act")
    assert page.locator("dd.status").inner_text() == translate(lang, "uncorroborated")

    # An independent article about the same act: two lines, one first-hand
    page.goto(url + "/records/source/art-1")
    page.locator("a[href='/records/source/art-1/code']").click()

    def article_coding() -> None:
        _field(page, "excerpt").fill(ARTICLE_PASSAGE)
        _field(page, "stance").select_option("asserts")
        _field(page, "basis").select_option("hearsay")
        page.check("input[name=target][value=existing]")
        _field(page, "target_kind").select_option("act")
        _field(page, "target_id").fill(act_id)

    _code(page, article_coding)
    page.goto(f"{url}/corroboration/act/{act_id}")
    _give_reason(page, "weighing the act")
    assert page.locator("dd.status").inner_text() == translate(lang, "corroborated")
    assert page.locator("ol.lines > li").count() == 2
    assert page.locator("svg").count() >= 1  # the dependence graph, drawn on the server

    # Answer the source from the testimony's page; colleagues see who answered, and when
    page.goto(url + testimony_path)
    _give_reason(page, "answering the source")
    page.fill("#reply-text", REPLIES[lang])
    page.locator("form.reply button").click()
    assert page.locator(".reply-body").inner_text() == REPLIES[lang]
    assert "amina" in page.locator("ol.replies li .meta").inner_text()

    # Decide the first pair of the linkage review queue
    page.goto(url + "/review")
    page.locator("a[href^='/review/']").first.click()
    assert page.locator("table.pair").count() == 1
    page.locator("form.decide button[value=same]").click()
    assert page.url.startswith(url + "/review")
    return act_id
