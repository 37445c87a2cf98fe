"""Outgoing mail behind one small interface, `MailTransport.send(MailMessage)`.

- `SmtpTransport`: stdlib smtplib, always STARTTLS (the server's certificate is verified;
  `SMTP_CA_FILE` adds a private CA), then AUTH when `SMTP_USER` is set. A server that does
  not offer STARTTLS is refused: nothing, least of all the password, goes in clear.
- `GraphTransport`: Microsoft Graph `sendMail` as MICROSOFT_SENDER_EMAIL, with the app
  registration of integrations/microsoft.py (429 and 5xx retried there).
- `LogTransport`: when no transport is configured (the embedded default, development) the
  message is written to the log instead, as the DocuVault seed does. This is the one place
  a mail body (which may hold a reset link) reaches the log; configure a transport in
  production. `delivers()` says whether mail really leaves, so the app never claims it
  sent what it only logged.

MAIL_TRANSPORT chooses (smtp, graph, log); empty = smtp when SMTP_HOST is set, else log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import smtplib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Protocol
from urllib.parse import urlsplit

from dokvault.integrations import microsoft
from dokvault.integrations.microsoft import Attachment, GraphClient, GraphError
from dokvault.settings import Settings, get_settings

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 20


class MailError(Exception):
    """A message could not be handed to the mail server (never carries a secret)."""


@dataclass(frozen=True)
class MailMessage:
    to: str
    subject: str
    text: str
    html: str = ""
    attachments: tuple[Attachment, ...] = ()


class MailTransport(Protocol):
    name: str

    def send(self, message: MailMessage) -> None: ...

    def check(self) -> None: ...


def build_message(message: MailMessage, sender: str) -> EmailMessage:
    """Plain text with an HTML alternative; the default policy refuses header injection."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.to
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(usegmt=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    mail["Message-ID"] = make_msgid(domain=domain)
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.text)
    if message.html:
        mail.add_alternative(message.html, subtype="html")
    for attachment in message.attachments:
        main, _, sub = attachment.content_type.partition("/")
        mail.add_attachment(attachment.data, maintype=main or "application",
                            subtype=sub or "octet-stream", filename=attachment.name)
    return mail


class SmtpTransport:
    name = "smtp"

    def __init__(self, host: str, port: int = 587, *, user: str = "", password: str = "",
                 sender: str, ca_file: str = "", timeout: float = TIMEOUT_SECONDS):
        self.host, self.port = host, port
        self.user, self._password = user, password
        self.sender = sender
        self.ca_file = ca_file
        self.timeout = timeout

    def _tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file or None)

    @contextlib.contextmanager
    def _session(self) -> Iterator[smtplib.SMTP]:
        """A connection upgraded with STARTTLS and logged in (when SMTP_USER is set); every
        failure a MailError without a secret."""
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise MailError(f"{self.host}:{self.port} does not offer STARTTLS; "
                                    "refusing to send in clear")
                smtp.starttls(context=self._tls_context())
                smtp.ehlo()
                if self.user:
                    smtp.login(self.user, self._password)
                yield smtp
        except MailError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(f"{self.host}:{self.port} refused the SMTP login "
                            f"({exc.smtp_code})") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"sending through {self.host}:{self.port} failed: "
                            f"{type(exc).__name__}: {exc}") from exc

    def send(self, message: MailMessage) -> None:
        mail = build_message(message, self.sender)
        with self._session() as smtp:
            try:
                smtp.send_message(mail)
            except (OSError, smtplib.SMTPException) as exc:
                raise MailError(f"sending through {self.host}:{self.port} failed: "
                                f"{type(exc).__name__}: {exc}") from exc
        log.info("mail sent via smtp subject=%r", message.subject)

    def check(self) -> None:
        """Connect, STARTTLS, log in and say NOOP, sending nothing; raises MailError."""
        with self._session() as smtp:
            code, _ = smtp.noop()
            if code != 250:
                raise MailError(f"{self.host}:{self.port} answered NOOP with {code}")


class GraphTransport:
    """sendMail as `sender` (a mailbox the app registration may send as)."""

    name = "graph"

    def __init__(self, credentials: microsoft.Credentials, sender: str, allow: tuple[str, ...] = ()):
        self.credentials, self.sender, self.allow = credentials, sender, allow

    async def _send(self, message: MailMessage) -> None:
        async with GraphClient(self.credentials, allow=self.allow) as graph:
            await graph.send_mail(self.sender, message.to, message.subject, message.text,
                                  message.html, message.attachments)

    def send(self, message: MailMessage) -> None:
        try:
            asyncio.run(self._send(message))
        except GraphError as exc:
            raise MailError(f"sending through Microsoft Graph failed: {exc.detail}") from None
        log.info("mail sent via graph subject=%r", message.subject)

    def check(self) -> None:
        """An app token from the sign-in service, sending nothing; raises MailError."""
        try:
            microsoft.acquire_token(self.credentials, self.allow)
        except GraphError as exc:
            raise MailError(f"signing in to Microsoft failed: {exc.detail}") from None


class LogTransport:
    name = "log"

    def check(self) -> None:
        raise MailError("no mail transport is configured: mail is written to the log")

    def send(self, message: MailMessage) -> None:
        log.info("mail not sent (no mail transport is configured); it would have been:\n"
                 "To: %s\nSubject: %s\n\n%s", message.to, message.subject, message.text)


def default_sender(settings: Settings) -> str:
    if settings.smtp_from:
        return settings.smtp_from
    host = urlsplit(settings.frontend_url).hostname or "localhost"
    return f"DokVault <no-reply@{host}>"


def transport_name(settings: Settings | None = None) -> str:
    """smtp, graph or log: MAIL_TRANSPORT, or smtp when SMTP_HOST is set, else log."""
    settings = settings or get_settings()
    return settings.mail_transport or ("smtp" if settings.smtp_host else "log")


def delivers() -> bool:
    """Whether mail really leaves (the app may say "sent"), rather than going to the log."""
    name = transport_name()
    if name == "graph":
        return microsoft.configured_credentials() is not None and bool(get_settings().microsoft_sender_email)
    return name == "smtp" and bool(get_settings().smtp_host)


def get_transport() -> MailTransport:
    """The configured transport (read per call: settings may change); the log when the
    chosen one lacks its settings."""
    settings = get_settings()
    name = transport_name(settings)
    if name == "graph":
        credentials = microsoft.configured_credentials()
        if credentials is None or not settings.microsoft_sender_email:
            log.warning("MAIL_TRANSPORT=graph but MICROSOFT_* settings are missing: mail goes to the log")
            return LogTransport()
        return GraphTransport(credentials, settings.microsoft_sender_email.strip())
    if name == "log" or not settings.smtp_host:
        return LogTransport()
    return SmtpTransport(
        settings.smtp_host,
        settings.smtp_port,
        user=settings.smtp_user,
        password=settings.smtp_password.get_secret_value(),
        sender=default_sender(settings),
        ca_file=settings.smtp_ca_file,
    )
