"""Firecrawl v2 through firecrawl-py: scrape one page, crawl a site page by page, cancel a
crawl. The SDK's HTTP client is given a guarded requests session (dokvault.core.net_sync), so
every request to Firecrawl, and every `next` page URL, passes the outbound guard. Errors come
out as WebImportError with an i18n code, never a half-filled result."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterable
from dataclasses import dataclass, field

import requests
from firecrawl.v2.client import FirecrawlClient
from firecrawl.v2.types import PaginationConfig, ScrapeOptions
from firecrawl.v2.utils import error_handler as fc_errors
from firecrawl.v2.utils.http_client import HttpClient

from dokvault.core import net, net_sync

log = logging.getLogger(__name__)
DEFAULT_API_URL = "https://api.firecrawl.dev"
MAX_LINKS = 500


class WebImportError(Exception):
    """Firecrawl said no, or could not be reached; `code` is an i18n key."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class ScrapedPage:
    url: str
    title: str
    markdown: str
    html: str
    links: list[str] = field(default_factory=list)
    status_code: int | None = None


@dataclass(frozen=True)
class CrawlBatch:
    status: str  # scraping | completed | failed | cancelled
    total: int
    completed: int
    pages: list[ScrapedPage]
    next_url: str | None


class _GuardedHttp(HttpClient):
    """firecrawl-py's HTTP client over a guarded session (one try: our jobs retry)."""

    def __init__(self, session: requests.Session, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._session = session

    def _send(self, method: str, endpoint: str, headers=None, timeout=None, **body) -> requests.Response:
        return self._session.request(method, self._build_url(endpoint),
                                     headers=headers or self._prepare_headers(),
                                     timeout=timeout or self.timeout, **body)

    def post(self, endpoint, data, headers=None, timeout=None, retries=None, backoff_factor=None):
        return self._send("POST", endpoint, headers, timeout,
                          json={**data, "origin": data.get("origin") or self.origin})

    def get(self, endpoint, headers=None, timeout=None, retries=None, backoff_factor=None):
        return self._send("GET", endpoint, headers, timeout)

    def delete(self, endpoint, headers=None, timeout=None, retries=None, backoff_factor=None):
        return self._send("DELETE", endpoint, headers, timeout)


class Firecrawl:
    def __init__(self, api_key: str, api_url: str = "", *, timeout_ms: int = 30000,
                 only_main_content: bool = True, verify: str | bool | ssl.SSLContext = True):
        api_url = (api_url or DEFAULT_API_URL).rstrip("/")
        allow = net.operator_hosts((api_url, DEFAULT_API_URL))  # a self-hosted Firecrawl
        net.check_url(api_url, allow=allow)
        self.timeout_ms, self.only_main_content = timeout_ms, only_main_content
        http_timeout = timeout_ms / 1000 + 15
        self._client = FirecrawlClient(api_key=api_key, api_url=api_url, timeout=http_timeout)
        self._client.http_client = _GuardedHttp(net_sync.guarded_session(allow, verify=verify),
                                                api_key, api_url, timeout=http_timeout)

    def scrape(self, url: str) -> ScrapedPage:
        document = self._call(self._client.scrape, url, formats=["markdown", "html", "links"],
                              only_main_content=self.only_main_content, timeout=self.timeout_ms)
        page = _page(document)
        if page is None:
            raise WebImportError("error.web_empty")
        return page

    def start_crawl(self, url: str, limit: int) -> str:
        options = ScrapeOptions(formats=["markdown", "html", "links"],
                                only_main_content=self.only_main_content, timeout=self.timeout_ms)
        response = self._call(self._client.start_crawl, url, limit=limit, scrape_options=options)
        return response.id

    def crawl_status(self, crawl_id: str) -> CrawlBatch:
        job = self._call(self._client.get_crawl_status, crawl_id,
                         PaginationConfig(auto_paginate=False))
        return _batch(job)

    def crawl_page(self, next_url: str) -> CrawlBatch:
        """The next page of a crawl's results (its URL is pinned to the API's origin)."""
        return _batch(self._call(self._client.get_crawl_status_page, next_url))

    def remaining_credits(self) -> int:
        """The team's credits left (GET /v2/team/credit-usage): the key works, nothing is
        scraped. Raises WebImportError."""
        return int(self._call(self._client.get_credit_usage).remaining_credits or 0)

    def cancel_crawl(self, crawl_id: str) -> None:
        try:
            self._call(self._client.cancel_crawl, crawl_id)
        except WebImportError as exc:
            log.info("cancelling crawl failed: %s", exc.code)

    def _call(self, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except net.OutboundRefused:
            raise
        except fc_errors.PaymentRequiredError as exc:
            raise WebImportError("error.web_credits") from exc
        except fc_errors.RateLimitError as exc:
            raise WebImportError("error.web_rate_limited") from exc
        except (fc_errors.RequestTimeoutError, requests.Timeout) as exc:
            raise WebImportError("error.web_timeout") from exc
        except fc_errors.UnauthorizedError as exc:
            raise WebImportError("error.web_key") from exc
        except (fc_errors.WebsiteNotSupportedError, fc_errors.ProviderTermsRequiredError) as exc:
            raise WebImportError("error.web_not_supported") from exc
        except fc_errors.FirecrawlError as exc:
            raise WebImportError("error.web_failed", str(getattr(exc, "status_code", "") or "")) from exc
        except requests.RequestException as exc:
            raise WebImportError("error.web_unreachable", type(exc).__name__) from exc
        except (ValueError, KeyError, TypeError) as exc:  # a success:false 200, or a body not as documented
            raise WebImportError("error.web_failed", type(exc).__name__) from exc


def _page(document) -> ScrapedPage | None:
    markdown = (getattr(document, "markdown", None) or "").strip()
    if not markdown:
        return None
    metadata = getattr(document, "metadata", None)
    url = (getattr(metadata, "source_url", None) or getattr(metadata, "url", None) or "") if metadata else ""
    title = (getattr(metadata, "title", None) or "") if metadata else ""
    links: Iterable = getattr(document, "links", None) or []
    return ScrapedPage(url=str(url), title=str(title).strip(), markdown=markdown,
                       html=getattr(document, "html", None) or "",
                       links=[str(link) for link in links][:MAX_LINKS],
                       status_code=getattr(metadata, "status_code", None) if metadata else None)


def _batch(job) -> CrawlBatch:
    pages = [p for p in (_page(d) for d in (job.data or [])) if p is not None]
    return CrawlBatch(status=job.status, total=job.total or 0, completed=job.completed or 0,
                      pages=pages, next_url=job.next)
