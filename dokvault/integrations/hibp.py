"""HaveIBeenPwned Pwned Passwords, asked by range (k-anonymity).

Only the first 5 hex characters of the password's SHA-1 leave the machine
(`GET {HIBP_URL}/range/{prefix}` with `Add-Padding: true`); the answer lists
`SUFFIX:COUNT` lines for every known hash with that prefix, plus padding rows
with count 0, which are ignored. There is no SDK: plain httpx, a short timeout.
"""

from __future__ import annotations

import hashlib
import logging
import re

import httpx

from dokvault.settings import get_settings

log = logging.getLogger(__name__)

TIMEOUT = httpx.Timeout(3.0, connect=2.0)
USER_AGENT = "DokVault/1.0 (password policy)"
PREFIX = re.compile(r"^[0-9A-F]{5}$")
SUFFIX = re.compile(r"^[0-9A-F]{35}$")


class HibpUnavailable(Exception):
    """The range API could not be reached or did not answer 200 (never carries a secret)."""


def split_sha1(password: str) -> tuple[str, str]:
    """(prefix, suffix) of the upper-case SHA-1 hex of the password: 5 + 35 characters."""
    digest = hashlib.sha1(password.encode("utf-8")).hexdigest().upper()  # noqa: S324 (HIBP's hash)
    return digest[:5], digest[5:]


def parse_range(body: str) -> dict[str, int]:
    """`SUFFIX:COUNT` lines (CRLF) to a dict; padding rows (count 0) and junk are dropped."""
    counts: dict[str, int] = {}
    for line in body.splitlines():
        suffix, sep, count = line.strip().partition(":")
        suffix = suffix.upper()
        if not sep or not SUFFIX.match(suffix):
            continue
        try:
            seen = int(count.strip())
        except ValueError:
            continue
        if seen > 0:
            counts[suffix] = seen
    return counts


def fetch_range(prefix: str, *, base_url: str | None = None,
                timeout: httpx.Timeout = TIMEOUT) -> dict[str, int]:
    """The known suffixes for a 5-character prefix; raises HibpUnavailable."""
    if not PREFIX.match(prefix):
        raise ValueError("a range prefix is 5 upper-case hex characters")
    base = (base_url if base_url is not None else get_settings().hibp_url).rstrip("/")
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False,
                          headers={"Add-Padding": "true", "User-Agent": USER_AGENT}) as client:
            response = client.get(f"{base}/range/{prefix}")
            response.raise_for_status()
    except httpx.HTTPStatusError as exc:
        raise HibpUnavailable(f"HTTP {exc.response.status_code}") from None
    except httpx.HTTPError as exc:  # refused, DNS, timeout, TLS, bad URL …
        raise HibpUnavailable(type(exc).__name__) from None
    return parse_range(response.text)


def pwned_count(password: str) -> int | None:
    """How often HIBP has seen this password (0: never), or None when the service could
    not be asked: the caller then fails open. The log never holds the password or hash."""
    prefix, suffix = split_sha1(password)
    try:
        counts = fetch_range(prefix)
    except HibpUnavailable as exc:
        log.warning("HIBP range check unavailable (%s); password allowed (fail-open)", exc)
        return None
    return counts.get(suffix, 0)
