"""Logging to stderr, with credentials taken out of every record before any handler sees it.

Reflex logs a whole event (its router data: the websocket's headers, the cookie header
with the access token among them, and the tab's client token) when processing it fails;
a stale frontend after a deploy makes that routine. Such a log line replayed is a sign-in,
so every record is cleaned where it is made: cookies, tokens, authorisation headers.
"""

import logging
import re
import sys

from dokvault.settings import get_settings

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[redacted]"

_SECRET_PATTERNS = (
    # A JWT (our access tokens, the pending-2FA token) wherever it stands.
    (re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), REDACTED),
    # Header values, as a dict repr ('cookie': '...'), JSON or "Name: value" lines.
    (re.compile(r"""(?i)(['"]?(?:cookie|set-cookie|authorization|proxy-authorization|x-api-key)"""
                r"""['"]?\s*[:=]\s*)(['"])(?:\\.|(?!\2).)*\2"""), rf"\1\2{REDACTED}\2"),
    (re.compile(r"(?im)^(\s*(?:cookie|set-cookie|authorization|proxy-authorization)\s*:\s*).+$"),
     rf"\1{REDACTED}"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), rf"\1 {REDACTED}"),
    # Our cookies and the tab's client token, in URLs, cookie strings or reprs.
    (re.compile(r"(dokvault_[a-z0-9_]+=)[^;&\s'\"]+"), rf"\1{REDACTED}"),
    (re.compile(r"""(?i)([?&]token=)[^&\s'"]+"""), rf"\1{REDACTED}"),
    (re.compile(r"""(?i)\b((?:client_)?token=)(['"])(?:\\.|(?!\2).)*\2"""), rf"\1\2{REDACTED}\2"),
    (re.compile(r"""(?i)(['"](?:token|client_token|access_token|refresh_token|password|secret)['"]"""
                r"""\s*:\s*)(['"])(?:\\.|(?!\2).)*\2"""), rf"\1\2{REDACTED}\2"),
)


def redact(text: str) -> str:
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _clean(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: leave it to the handler's own error report
        return
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, None
    if record.exc_info and not record.exc_text:
        # Tracebacks carry exception messages (an event's data among them): cleaned too.
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


def install_redaction() -> None:
    """Clean every record as it is made, whichever logger and handler it goes to."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "redacts", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        _clean(record)
        return record

    factory.redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the moment of the record, not the one at set-up
    (test runners and daemons swap it; a stale stream fails with "closed file")."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:  # StreamHandler.__init__ assigns it
        pass


def configure_logging() -> None:
    install_redaction()
    level = get_settings().log_level.upper()
    root = logging.getLogger()
    if not any(isinstance(h, StderrHandler) for h in root.handlers):
        handler = StderrHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    logging.getLogger("dokvault").setLevel(level)
    logging.getLogger("workers").setLevel(level)
