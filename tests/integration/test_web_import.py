"""Web import through firecrawl-py against a local Firecrawl v2 fake: a page becomes a Markdown
document with its source, fetch time, HTML and links and is found by search; a crawl follows
`next` pages, links each page to the crawl and holds its page limit when Firecrawl returns
thousands; errors (402, 429, 408, success:false) end with a clear reason and no document; an
internal URL is refused before anything is sent."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.core.net import OutboundRefused
from dokvault.models import Document, Role, WebImport, WebPage
from dokvault.services import documents, drives
from dokvault.services.auth import accounts
from tests.fakes.firecrawl import API_KEY, FirecrawlFake

PAGE = "https://megler.example/nyheter/boligprisene"


@pytest.fixture
def user(embedded):
    with db.session() as s:
        return accounts.create_user(s, "megler@example.no", "megler passord 2024", Role.BROKER)


@pytest.fixture
def firecrawl(clean_env, monkeypatch):
    from dokvault.core.caches import reset_caches

    with FirecrawlFake() as fake:
        monkeypatch.setenv("FIRECRAWL_API_KEY", API_KEY)
        monkeypatch.setenv("FIRECRAWL_API_URL", fake.url)  # the operator's: allowed as configured
        monkeypatch.setenv("FIRECRAWL_TIMEOUT_MS", "5000")
        reset_caches()
        yield fake


def done(broker) -> None:
    for _ in range(2):
        broker.join("integrations", fail_fast=True)
        broker.join("documents", fail_fast=True)


def web_import(uid: str) -> WebImport:
    with db.session() as s:
        return next(r for r in s.exec(select(WebImport)).all() if str(r.uid) == uid)


def owned(user) -> list[Document]:
    with db.session() as s:
        return list(s.exec(select(Document).where(Document.owner_id == user.id)).all())


def test_a_page_becomes_a_document_with_its_source_and_is_found(user, firecrawl, stub_worker):
    firecrawl.add_page(
        PAGE,
        "Boligprisene stiger i Bergen",
        "# Boligprisene stiger\n\nPrisene på leiligheter i Bergen steg med 4 prosent.",
        links=["https://megler.example/", "https://megler.example/kontakt"],
    )
    uid = drives.web.import_page(user, "megler.example/nyheter/boligprisene")
    done(stub_worker)
    row = web_import(uid)
    assert (row.status, row.imported, row.error_code) == ("done", 1, None)
    (document,) = owned(user)
    assert document.name == "Boligprisene stiger i Bergen.md" and document.status == "ready"
    text = documents.document_text(document)
    assert f'source_url: "{PAGE}"' in text and "fetched_at:" in text
    with db.session() as s:
        page = s.exec(select(WebPage)).one()
    assert page.url == PAGE and page.links == ["https://megler.example/", "https://megler.example/kontakt"]
    assert "<h1>Boligprisene stiger i Bergen</h1>" in page.html and page.document_id == document.id
    rows, total = documents.search_documents(user, "leiligheter Bergen")
    assert total == 1 and rows[0].uid == str(document.uid)
    method, path, headers, body = firecrawl.requests[0]
    assert (method, path, body["url"], body["onlyMainContent"], body["timeout"]) == (
        "POST",
        "/v2/scrape",
        PAGE,
        True,
        5000,
    )
    assert set(body["formats"]) == {"markdown", "html", "links"}


@pytest.mark.parametrize(
    ("status", "body", "code"),
    [
        (402, {"success": False, "error": "Insufficient credits"}, "error.web_credits"),
        (429, {"success": False, "error": "Rate limit exceeded"}, "error.web_rate_limited"),
        (408, {"success": False, "error": "Request timed out"}, "error.web_timeout"),
        (200, {"success": False, "error": "Failed to scrape"}, "error.web_failed"),
        (500, {"success": False, "error": "Internal"}, "error.web_failed"),
    ],
)
def test_firecrawl_errors_end_with_a_reason_and_no_document(user, firecrawl, stub_worker, status, body, code):
    firecrawl.add_page(PAGE, "Side", "# Innhold")
    firecrawl.fail_next(status, body)
    uid = drives.web.import_page(user, PAGE)
    done(stub_worker)
    assert (web_import(uid).status, web_import(uid).error_code) == ("done", code)
    assert owned(user) == []


def test_an_internal_url_is_refused_before_it_is_sent(user, firecrawl):
    for url in (
        "http://127.0.0.1:8080/admin",
        "https://[::1]/",
        "https://169.254.169.254/latest/",
        "https://10.0.0.1/",
        "file:///etc/passwd",
        "gopher://megler.example/",
    ):
        with pytest.raises((OutboundRefused, drives.WebInputError)):
            drives.web.import_page(user, url)
    assert firecrawl.requests == []
    with db.session() as s:
        assert s.exec(select(WebImport)).all() == []


def test_a_crawl_follows_next_pages_and_links_each_page_to_the_crawl(user, firecrawl, stub_worker):
    for i in range(5):
        firecrawl.add_page(
            f"https://megler.example/side-{i}", f"Side {i}", f"# Side {i}\n\nTekst nummer {i}."
        )
    firecrawl.batch = 2
    uid = drives.web.import_site(user, "https://megler.example/", limit=10)
    done(stub_worker)
    row = web_import(uid)
    assert (row.status, row.imported, row.error_code) == ("done", 5, None)
    with db.session() as s:
        pages = s.exec(select(WebPage).where(WebPage.web_import_id == row.id)).all()
    assert sorted(p.url for p in pages) == [f"https://megler.example/side-{i}" for i in range(5)]
    assert len(owned(user)) == 5
    assert any("skip=" in path for _, path, _, _ in firecrawl.requests)  # `next` was followed


def test_the_page_limit_holds_when_a_crawl_returns_thousands(user, firecrawl, stub_worker):
    firecrawl.crawl_pages = 3000
    firecrawl.batch = 100
    uid = drives.web.import_site(user, "https://megler.example/", limit=7)
    done(stub_worker)
    row = web_import(uid)
    assert (row.status, row.imported) == ("done", 7)
    assert len(owned(user)) == 7
    crawl_request = next(b for m, p, _, b in firecrawl.requests if p == "/v2/crawl")
    assert crawl_request["limit"] == 7


def test_a_cancelled_crawl_brings_nothing_more(user, firecrawl, stub_worker):
    firecrawl.add_page("https://megler.example/a", "A", "# A")
    uid = drives.web.import_site(user, "https://megler.example/", limit=5)
    drives.web.cancel(user, uid)
    done(stub_worker)
    assert web_import(uid).status == "cancelled" and owned(user) == []


def test_web_import_is_off_without_a_key(user, clean_env):
    with pytest.raises(drives.WebInputError) as caught:
        drives.web.import_page(user, PAGE)
    assert caught.value.code == "error.web_off"


def test_a_web_import_stranded_by_a_restart_is_sent_again_and_its_page_stored_once(
        user, firecrawl, stub_worker):
    from dokvault.models.base import utcnow

    firecrawl.add_page(PAGE, "Boligprisene stiger i Bergen", "# Boligprisene stiger\n\nPrisene steg.")
    # Two imports a process left running when it stopped (their messages died with it): one that
    # had not fetched its page yet, one whose page was stored (with its document) just before.
    with db.session() as s:
        fresh = WebImport(owner_id=user.id, kind="page", url=PAGE, status="running", heartbeat_at=utcnow())
        stored = WebImport(owner_id=user.id, kind="page", url=PAGE, status="running", heartbeat_at=utcnow())
        s.add(fresh)
        s.add(stored)
        s.commit()
        fresh_id, stored_id = fresh.id, stored.id
    kept = documents.ingest_stream(user.id, "Boligprisene stiger i Bergen.md", [b"# Boligprisene stiger\n"])
    with db.session() as s:
        s.add(WebPage(web_import_id=stored_id, document_id=kept.id, url=PAGE, url_key=drives.web._key(PAGE)))
        s.commit()
    done(stub_worker)
    assert drives.web.requeue_stale() == 0  # heartbeats fresh: the sweep would wait
    assert drives.requeue_at_start(workers_died=True) == 2
    done(stub_worker)
    with db.session() as s:
        assert (s.get(WebImport, fresh_id).status, s.get(WebImport, stored_id).status) == ("done", "done")
    assert len(owned(user)) == 2  # one page fetched; the stored one not fetched or stored again
    assert [r[1] for r in firecrawl.requests] == ["/v2/scrape"]
    drives.run_web_import(fresh_id)  # a message delivered twice: nothing more
    done(stub_worker)
    assert len(owned(user)) == 2
