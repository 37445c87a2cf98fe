"""Outgoing mail behind one small interface, `MailTransport.send(MailMessage)`.

- `SmtpTransport`: stdlib smtplib, always STARTTLS (the server's certificate is verified;
  `SMTP_CA_FILE` adds a private CA), then AUTH when `SMTP_USER` is set. A server that does
  not offer STARTTLS is refused: nothing, least of all the password, goes in clear.
- `LogTransport`: when `SMTP_HOST` is empty (the embedded default, development) the
  message is written to the log instead, as the DocuVault seed does. This is the one place
  a mail body (which may hold a reset link) reaches the log; configure SMTP in production.

A Microsoft Graph `sendMail` transport can be added beside these two later.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Protocol
from urllib.parse import urlsplit

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


class MailTransport(Protocol):
    name: str

    def send(self, message: MailMessage) -> None: ...


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

    def send(self, message: MailMessage) -> None:
        mail = build_message(message, self.sender)
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
                smtp.send_message(mail)
        except MailError:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(f"{self.host}:{self.port} refused the SMTP login "
                            f"({exc.smtp_code})") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"sending through {self.host}:{self.port} failed: "
                            f"{type(exc).__name__}: {exc}") from exc
        log.info("mail sent via smtp subject=%r", message.subject)


class LogTransport:
    name = "log"

    def send(self, message: MailMessage) -> None:
        log.info("mail not sent (SMTP_HOST is empty); it would have been:\n"
                 "To: %s\nSubject: %s\n\n%s", message.to, message.subject, message.text)


def default_sender(settings: Settings) -> str:
    if settings.smtp_from:
        return settings.smtp_from
    host = urlsplit(settings.frontend_url).hostname or "localhost"
    return f"DokVault <no-reply@{host}>"


def get_transport() -> MailTransport:
    """SMTP when SMTP_HOST is set, else the log. (Read per call: settings may change.)"""
    settings = get_settings()
    if not settings.smtp_host:
        return LogTransport()
    return SmtpTransport(
        settings.smtp_host,
        settings.smtp_port,
        user=settings.smtp_user,
        password=settings.smtp_password.get_secret_value(),
        sender=default_sender(settings),
        ca_file=settings.smtp_ca_file,
    )
