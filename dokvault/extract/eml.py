"""E-mail (.eml): the headers and body as text, and every attachment as a file of its own.

The body is the text/plain part, and the HTML part read as a web page when it says
something the plain part does not (a client that writes "see the HTML version" in the
plain part, or a table only the HTML has); an HTML part that repeats the plain one is
left out, so the text does not say everything twice. Attachments (and attached e-mails,
as .eml) are written one by one into the folder the caller passes, so the pipeline can
store each as a linked document; only one attachment is decoded in memory at a time,
beside the parsed mail itself.

The parser builds an object for every MIME part, attached mails' parts included, at
about 5 ms and some kilobytes each: a mail of more than MAX_PARTS parts (counted from its
boundary lines before it is parsed) is refused instead of parsed for minutes.
"""

from __future__ import annotations

import logging
import mimetypes
import re
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from dokvault.core.filenames import UploadRefused, clean_filename
from dokvault.extract.formats import CONTENT_TYPES, extension_of
from dokvault.extract.html import html_to_text
from dokvault.extract.types import Attachment, Extracted, ExtractionError, notice

log = logging.getLogger(__name__)

HEADERS = ("From", "To", "Cc", "Subject", "Date")
MAX_ATTACHMENTS = 50
# Decoded attachment bytes written per mail; what does not fit is named in the text only.
MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024
MAX_PARTS = 1000  # a mail with fifty attachments and a forwarded thread has a few hundred


def _part_lines(path: Path) -> int:
    """Lines that open a MIME part ("--boundary"), at least; base64 never starts a line so."""
    count = 0
    with path.open("rb") as fh:
        for line in fh:
            count += line.startswith(b"--")
    return count


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
        text = "" if value is None else str(value)
    except Exception:  # a header the modern parser chokes on: decode the raw value instead
        raw = next((v for k, v in message.raw_items() if k.lower() == name.lower()), "")
        try:
            text = str(make_header(decode_header(raw)))
        except Exception:
            text = raw
    return " ".join(text.split())


def _leaves(part: EmailMessage, in_related: bool = False):
    """Every non-multipart part in order, with whether it sits in a multipart/related
    (images the HTML body shows inline). Attached e-mails are leaves, not opened."""
    if part.get_content_maintype() == "multipart":
        related = in_related or part.get_content_subtype() == "related"
        for sub in part.iter_parts():
            yield from _leaves(sub, related)
    else:
        yield part, in_related


def _filename(part: EmailMessage) -> str | None:
    try:
        return part.get_filename()
    except Exception:
        return None


def _is_body(part: EmailMessage) -> bool:
    return (part.get_content_type() in ("text/plain", "text/html")
            and part.get_content_disposition() != "attachment" and not _filename(part))


def _is_attachment(part: EmailMessage, in_related: bool) -> bool:
    if part.get_content_type() == "message/rfc822":
        return True
    # Images the HTML body shows by Content-ID (logos, signatures) belong to the body, however
    # the sending client labelled them.
    if in_related and part.get_content_maintype() == "image" and part.get("Content-ID"):
        return False
    return part.get_content_disposition() == "attachment" or bool(_filename(part))


def _text_of(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError):  # unknown or lying charset
        content = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    return content if isinstance(content, str) else ""


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _body(parts: list[EmailMessage]) -> str:
    texts = [t for p in parts if p.get_content_type() == "text/plain" if (t := _text_of(p).strip())]
    said = _words("\n".join(texts))
    for part in parts:
        if part.get_content_type() == "text/html":
            text = html_to_text(_text_of(part))
            if text and not _words(text) <= said:
                texts.append(text)
                said |= _words(text)
    return "\n\n".join(texts).strip()


def _payload(part: EmailMessage) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload(0)
        return inner.as_bytes(policy=policy.default) if inner is not None else b""
    return part.get_payload(decode=True) or b""


def _encoded_size(part: EmailMessage) -> int:
    payload = part.get_payload()
    if isinstance(payload, str):
        return len(payload) * 3 // 4 if part.get("Content-Transfer-Encoding", "").lower() == "base64" \
            else len(payload)
    return 0


def _attachment_name(part: EmailMessage, number: int) -> str:
    raw = _filename(part)
    if not raw and part.get_content_type() == "message/rfc822":
        inner = part.get_payload(0)
        raw = f"{_header(inner, 'Subject') or 'e-post'}.eml" if inner is not None else None
    try:
        return clean_filename(raw or "")
    except UploadRefused:
        suffix = ".eml" if part.get_content_type() == "message/rfc822" else (
            mimetypes.guess_extension(part.get_content_type()) or ".bin")
        return f"vedlegg-{number}{suffix}"


def _content_type(part: EmailMessage, name: str) -> str:
    return CONTENT_TYPES.get(extension_of(name)) or part.get_content_type()


def _save(part: EmailMessage, name: str, folder: Path, number: int) -> Path:
    suffix = extension_of(name)
    if not (suffix[1:].isalnum() and len(suffix) <= 11):
        suffix = ""
    # The file on disk is named by position: the human name is data, never part of a path.
    path = folder / f"attachment-{number:02d}{suffix}"
    with path.open("xb") as fh:
        fh.write(_payload(part))
    return path


def extract(path: Path, attachments_dir: Path | None = None) -> Extracted:
    parts = _part_lines(path)
    if parts > MAX_PARTS:
        log.warning("eml refused: %s part boundaries, over %s", parts, MAX_PARTS)
        raise ExtractionError("error.too_complex", f"{parts} part boundaries")
    try:
        with path.open("rb") as fh:
            message = BytesParser(policy=policy.default).parse(fh)
    except Exception as exc:
        raise ExtractionError("error.corrupt_eml", f"{type(exc).__name__}: {exc}") from exc
    headers = [(name, _header(message, name)) for name in HEADERS]
    if not any(value for _, value in headers) and not message.get("Message-ID"):
        raise ExtractionError("error.corrupt_eml", "no mail headers")

    bodies: list[EmailMessage] = []
    attachments: list[Attachment] = []
    names: list[str] = []
    budget = MAX_ATTACHMENT_BYTES
    not_saved = 0
    for part, in_related in _leaves(message):
        if not _is_attachment(part, in_related):
            if _is_body(part):
                bodies.append(part)
            continue
        number = len(names) + 1
        name = _attachment_name(part, number)
        names.append(name)
        if attachments_dir is None:
            continue
        size = _encoded_size(part)
        if len(attachments) >= MAX_ATTACHMENTS or size > budget:
            log.warning("eml attachment %s not saved: over the limit of %s files / %s bytes",
                        number, MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES)
            not_saved += 1
            continue
        saved = _save(part, name, attachments_dir, number)
        budget -= saved.stat().st_size
        attachments.append(Attachment(name=name, path=saved, content_type=_content_type(part, name)))

    lines = [f"{name}: {value}" for name, value in headers if value]
    if names:
        lines.append("Attachments: " + ", ".join(names))
    text = "\n".join(lines)
    body = _body(bodies)
    if body:
        text += "\n\n" + body
    result = Extracted(text=text.strip(), attachments=attachments)
    if not_saved:
        result.notices.append(notice("notice.attachments_over_limit", n=not_saved,
                                     limit=MAX_ATTACHMENTS, mb=MAX_ATTACHMENT_BYTES // 2**20))
    return result
