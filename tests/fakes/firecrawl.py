"""A local Firecrawl v2 server speaking the wire format of apis.md §5, for firecrawl-py.

`POST /v2/scrape` answers the page registered for the URL (`add_page`), `POST /v2/crawl`
starts a crawl of every registered page under the URL's origin (or `crawl_pages` made-up
pages, to play a site of thousands), `GET /v2/crawl/{id}` answers `batch` pages at a time with
an absolute `next` URL (`?skip=N`) while more are there, `DELETE /v2/crawl/{id}` cancels.
A crawl is "scraping" for its first `scraping_polls` status calls, then "completed".
`GET /v2/team/credit-usage` answers `credits` left (the connection test asks it).

`fail_next(status, body)` makes the next request answer an error (402, 429, 408, 500, or a
200 with `success: false`). Every request is recorded in `requests` (path, headers, body);
a missing or wrong `Authorization: Bearer` answers 401.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from tests.fakes.serving import AnswerServer

API_KEY = "fc-test-key"


@dataclass
class Crawl:
    url: str
    limit: int
    pages: list[dict]
    polls: int = 0
    cancelled: bool = False


@dataclass
class FirecrawlFake:
    api_key: str = API_KEY
    batch: int = 10
    scraping_polls: int = 1
    crawl_pages: int = 0  # > 0: a crawl finds this many made-up pages, whatever its limit
    credits: int = 500  # what GET /v2/team/credit-usage says is left
    pages: dict[str, dict] = field(default_factory=dict)
    crawls: dict[str, Crawl] = field(default_factory=dict)
    requests: list[tuple[str, str, dict, dict]] = field(default_factory=list)
    faults: list[tuple[int, dict]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server: AnswerServer | None = None
        self._lock = threading.Lock()

    # --- what it knows -------------------------------------------------------------------

    def add_page(self, url: str, title: str, markdown: str, links: list[str] | None = None) -> None:
        html = (f"<html><head><title>{title}</title></head>"
                f"<body><h1>{title}</h1><p>{markdown}</p></body></html>")
        self.pages[url] = {"markdown": markdown, "html": html, "links": links or [],
                           "metadata": {"title": title, "sourceURL": url, "url": url, "statusCode": 200,
                                        "contentType": "text/html; charset=utf-8", "language": "nb"}}

    def fail_next(self, status: int, body: dict | None = None) -> None:
        self.faults.append((status, body or {"success": False, "error": f"fake error {status}"}))

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def host(self) -> str:
        return self._server.host

    def _site(self, url: str, limit: int) -> list[dict]:
        if self.crawl_pages:
            base = url.rstrip("/")
            return [{"markdown": f"# Side {i}\n\nInnhold på side nummer {i}.",
                     "html": f"<h1>Side {i}</h1>",
                     "metadata": {"title": f"Side {i}", "sourceURL": f"{base}/side-{i}",
                                  "url": f"{base}/side-{i}", "statusCode": 200}}
                    for i in range(self.crawl_pages)]
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        found = [p for u, p in self.pages.items() if u.startswith(origin)]
        return found[:limit]

    # --- the wire ---------------------------------------------------------------------------

    def handle(self, method: str, path: str, headers: dict, body: dict) -> tuple[int, dict]:
        with self._lock:
            self.requests.append((method, path, headers, body))
            if headers.get("Authorization") != f"Bearer {self.api_key}":
                return 401, {"success": False, "error": "Unauthorized: Invalid token"}
            if self.faults:
                return self.faults.pop(0)
            parts = urlsplit(path)
            if method == "GET" and parts.path == "/v2/team/credit-usage":
                return 200, {"success": True, "data": {
                    "remainingCredits": self.credits, "planCredits": 500,
                    "billingPeriodStart": "2026-01-01T00:00:00Z", "billingPeriodEnd": "2026-02-01T00:00:00Z"}}
            if method == "POST" and parts.path == "/v2/scrape":
                page = self.pages.get(body.get("url", ""))
                if page is None:
                    return 200, {"success": False, "error": "Page could not be scraped"}
                return 200, {"success": True, "data": page}
            if method == "POST" and parts.path == "/v2/crawl":
                crawl_id = f"crawl-{len(self.crawls) + 1}"
                self.crawls[crawl_id] = Crawl(body["url"], int(body.get("limit") or 10000),
                                              self._site(body["url"], int(body.get("limit") or 10000)))
                return 200, {"success": True, "id": crawl_id, "url": f"{self.url}/v2/crawl/{crawl_id}"}
            if parts.path.startswith("/v2/crawl/"):
                crawl = self.crawls.get(parts.path.rsplit("/", 1)[1])
                if crawl is None:
                    return 404, {"success": False, "error": "Job not found"}
                if method == "DELETE":
                    crawl.cancelled = True
                    return 200, {"status": "cancelled"}
                return 200, self._status(crawl, parts)
            return 404, {"success": False, "error": "Not found"}

    def _status(self, crawl: Crawl, parts) -> dict:
        skip = int(parse_qs(parts.query).get("skip", ["0"])[0])
        if skip == 0:
            crawl.polls += 1
        done = crawl.polls > self.scraping_polls
        status = "cancelled" if crawl.cancelled else "completed" if done else "scraping"
        shown = crawl.pages if done else crawl.pages[: max(1, len(crawl.pages) // 2)]
        data = shown[skip: skip + self.batch]
        more = skip + self.batch < len(shown)
        reply = {"success": True, "status": status, "total": len(crawl.pages), "completed": len(shown),
                 "creditsUsed": len(shown), "expiresAt": "2030-01-01T00:00:00.000Z", "data": data}
        if more:
            reply["next"] = f"{self.url}{parts.path}?skip={skip + self.batch}"
        return reply

    # --- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> FirecrawlFake:
        def answer(method: str, path: str, headers: dict, raw: bytes):
            status, reply = self.handle(method, path, headers, json.loads(raw) if raw else {})
            return status, reply, {}

        self._server = AnswerServer(answer, name="firecrawl-fake").start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.stop()
