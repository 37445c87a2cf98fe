"""Import from the web through Firecrawl: a page becomes a Markdown document (its title, source
URL and fetch time in front matter; its HTML and links kept beside it as metadata), a site
becomes one document per page, all linked to the crawl, up to a page limit that holds whatever
Firecrawl returns. The URL passes the outbound guard before it is sent. The work runs in
`run_web_import` on the `integrations` queue; an error from Firecrawl ends the import with a
clear reason and never leaves half a document."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from dokvault import db
from dokvault.core import jobs, net
from dokvault.core.filenames import UploadRefused
from dokvault.integrations.firecrawl import Firecrawl, ScrapedPage, WebImportError
from dokvault.models import Document, User, WebImport, WebPage
from dokvault.models.base import utcnow
from dokvault.models.drives import TransferStatus
from dokvault.services.access import Forbidden
from dokvault.services.documents import ingest_stream
from dokvault.services.drives import connections, rows
from dokvault.settings import get_settings

log = logging.getLogger(__name__)
MAX_URL = 2000
MAX_HTML = 5 * 1024 * 1024  # as much HTML as the HTML reader reads
POLL_SECONDS = 2.0
RUN_BUDGET = 30 * 60.0
STALE = timedelta(minutes=3)
RECENT = 8


class WebInputError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def enabled() -> bool:
    return bool(get_settings().firecrawl_api_key.get_secret_value().strip())


def _firecrawl() -> Firecrawl:
    settings = get_settings()
    return Firecrawl(settings.firecrawl_api_key.get_secret_value().strip(), settings.firecrawl_api_url,
                     timeout_ms=settings.firecrawl_timeout_ms,
                     only_main_content=settings.firecrawl_only_main_content,
                     verify=net.trusted_cas())


def test_connection() -> int:
    """The credits Firecrawl says are left: the key works and the API answers (nothing is
    scraped). Raises WebImportError or net.OutboundRefused."""
    return _firecrawl().remaining_credits()


def check_web_url(url: str) -> str:
    """The URL to fetch, if the outbound guard lets it through (https to a public address):
    Firecrawl must not be sent to fetch an internal address for someone."""
    url = url.strip()
    if not url or len(url) > MAX_URL or any(c.isspace() for c in url):
        raise WebInputError("error.web_url")
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise WebInputError("error.web_url")
    return net.check_url(url)


def _start(user: User, kind: str, url: str, limit: int) -> str:
    if not enabled():
        raise WebInputError("error.web_off")
    if not user.is_active:
        raise Forbidden()
    clean = check_web_url(url)
    with db.session() as s:
        row = WebImport(owner_id=user.id, kind=kind, url=clean, page_limit=limit)
        s.add(row)
        s.commit()
        s.refresh(row)
    jobs.send("run_web_import", row.id)
    return str(row.uid)


def import_page(user: User, url: str) -> str:
    return _start(user, "page", url, 1)


def import_site(user: User, url: str, limit: int) -> str:
    return _start(user, "site", url, max(1, min(int(limit), get_settings().crawl_max_pages)))


def cancel(user: User, uid: str) -> None:
    with db.session() as s:
        row = connections.owned(s, WebImport, user, uid)
        if row.status in (TransferStatus.QUEUED, TransferStatus.RUNNING):
            row.status, row.finished_at = TransferStatus.CANCELLED, utcnow()
            s.add(row)
            s.commit()


# --- the worker --------------------------------------------------------------------------


def run(web_import_id: int) -> None:
    if not rows.claim(WebImport, web_import_id, STALE):
        return  # over, or another worker has it
    with db.session() as s:
        row = s.get(WebImport, web_import_id)
    if row is None:
        return
    try:
        firecrawl = _firecrawl()
        if row.kind == "page":
            if not _stored_urls(row.id):  # stored by a worker that died before it finished: once
                _store_page(row, firecrawl.scrape(row.url))
            _finish(row.id)
        else:
            _crawl(row, firecrawl)
    except (WebImportError, net.OutboundRefused) as exc:
        log.info("web import id=%s failed: %s", row.id, exc.code)
        _finish(row.id, error=exc.code)
    except UploadRefused as exc:
        _finish(row.id, error=exc.code)


def _crawl(row: WebImport, firecrawl: Firecrawl) -> None:
    if row.job_id is None:
        row.job_id = firecrawl.start_crawl(row.url, row.page_limit)
        _update(row.id, job_id=row.job_id)
    seen = _stored_urls(row.id)
    started = time.monotonic()
    while True:
        if _status(row.id) == TransferStatus.CANCELLED:
            firecrawl.cancel_crawl(row.job_id)
            return
        batch = firecrawl.crawl_status(row.job_id)
        status, total = batch.status, batch.total
        while True:
            for page in batch.pages:
                if len(seen) >= row.page_limit:
                    break
                key = _key(page.url)
                if key in seen:
                    continue
                try:
                    _store_page(row, page)
                    seen.add(key)
                except UploadRefused as exc:
                    log.info("web import id=%s: a page was refused (%s)", row.id, exc.code)
                    _bump(row.id, failed=1)
            if len(seen) >= row.page_limit or not batch.next_url:
                break
            batch = firecrawl.crawl_page(batch.next_url)
        _update(row.id, total=min(total, row.page_limit) if total else len(seen), heartbeat_at=utcnow())
        if len(seen) >= row.page_limit:
            if status == "scraping":
                firecrawl.cancel_crawl(row.job_id)  # the limit holds, whatever Firecrawl finds
            _finish(row.id)
            return
        if status in ("completed", "cancelled"):
            _finish(row.id)
            return
        if status == "failed":
            _finish(row.id, error="error.web_failed")
            return
        if time.monotonic() - started > RUN_BUDGET:
            jobs.send("run_web_import", row.id)
            return
        time.sleep(POLL_SECONDS)


def _store_page(row: WebImport, page: ScrapedPage) -> None:
    """The page as a document through the intake, then its row (source, time, HTML, links)."""
    fetched = utcnow()
    url = page.url or row.url
    title = page.title or urlsplit(url).netloc + urlsplit(url).path.rstrip("/")
    front = "\n".join(["---", f"title: {json.dumps(title, ensure_ascii=False)}",
                       f"source_url: {json.dumps(url)}", f"fetched_at: {fetched.isoformat()}", "---", ""])
    body = (front + "\n" + page.markdown + "\n").encode()

    def stored(s, document: Document) -> None:
        # Committed with the document: a worker that dies after it never imports the page again.
        try:
            with s.begin_nested():
                s.add(WebPage(web_import_id=row.id, document_id=document.id, url=url[:MAX_URL],
                              url_key=_key(url), title=title[:300], fetched_at=fetched, links=page.links,
                              html=page.html[:MAX_HTML]))
        except IntegrityError:  # the same page delivered twice: the document is a duplicate
            pass

    ingest_stream(row.owner_id, f"{title[:150]}.md", [body], on_stored=stored)
    _bump(row.id, imported=1)


# --- rows -------------------------------------------------------------------------------------


def _key(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def _stored_urls(web_import_id: int) -> set[str]:
    with db.session() as s:
        return set(s.exec(select(WebPage.url_key).where(WebPage.web_import_id == web_import_id)).all())


def _status(web_import_id: int) -> str | None:
    with db.session() as s:
        return s.exec(select(WebImport.status).where(WebImport.id == web_import_id)).first()


def _update(web_import_id: int, **values) -> None:
    with db.session() as s:
        row = s.get(WebImport, web_import_id)
        if row is not None:
            for key, value in values.items():
                setattr(row, key, value)
            s.add(row)
            s.commit()


def _bump(web_import_id: int, imported: int = 0, failed: int = 0) -> None:
    with db.session() as s:
        row = s.get(WebImport, web_import_id)
        if row is not None:
            row.imported += imported
            row.failed += failed
            row.heartbeat_at = utcnow()
            s.add(row)
            s.commit()


def _finish(web_import_id: int, error: str | None = None) -> None:
    rows.finish(WebImport, web_import_id, error)


def requeue_stale() -> int:
    return rows.send_again_silent(WebImport, "run_web_import", STALE)


def requeue_at_start(*, workers_died: bool) -> int:
    """Web imports under way when the process died, sent again (transfers.requeue_at_start);
    a page stored already is not stored again."""
    return rows.send_again_at_start(WebImport, "run_web_import", STALE, workers_died=workers_died)


# --- what the page shows ------------------------------------------------------------------


@dataclass(frozen=True)
class WebImportView:
    uid: str
    kind: str
    url: str
    status: str
    page_limit: int
    total: int
    imported: int
    failed: int
    error_code: str
    created_at: datetime
    documents: list[tuple[str, str]]  # (document uid, title), the first few


def recent(user: User, limit: int = RECENT) -> list[WebImportView]:
    with db.session() as s:
        rows = s.exec(select(WebImport).where(WebImport.owner_id == user.id)
                      .order_by(col(WebImport.created_at).desc()).limit(limit)).all()
        views = []
        for row in rows:
            pages = s.exec(select(Document.uid, WebPage.title)
                           .join(Document, col(Document.id) == col(WebPage.document_id))
                           .where(WebPage.web_import_id == row.id).order_by(col(WebPage.id)).limit(20)).all()
            views.append(WebImportView(uid=str(row.uid), kind=row.kind, url=row.url, status=row.status,
                                       page_limit=row.page_limit, total=row.total, imported=row.imported,
                                       failed=row.failed, error_code=row.error_code or "",
                                       created_at=row.created_at,
                                       documents=[(str(u), t) for u, t in pages]))
    return views


def busy(user: User) -> bool:
    """A web import of this person's is under way (the page refreshes while so)."""
    return rows.moving(WebImport, user.id)
