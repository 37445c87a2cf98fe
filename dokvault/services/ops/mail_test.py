"""The mail transport page's two jobs: what the configured transport is and its settings
(secrets only as "set"), and a test mail sent at once - not through the `email` queue - so
the admin sees at once whether it left and, if not, why. Audited either way
(`admin.mail_test_sent`: the transport, the recipient's domain, the outcome)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from dokvault.core import audit
from dokvault.core.audit import Client
from dokvault.core.validation import FORM, Checks, Invalid
from dokvault.i18n import translate
from dokvault.integrations import mail
from dokvault.integrations.mail import MailError, MailMessage
from dokvault.models import User
from dokvault.services.access import require_admin
from dokvault.services.auth import accounts
from dokvault.services.ops import systems

log = logging.getLogger(__name__)
MAX_ADDRESS = 320


@dataclass
class Transport:
    name: str  # smtp, graph or log
    delivers: bool  # mail really leaves
    settings: list[tuple[str, str]] = field(default_factory=list)  # (name, shown value)
    missing: list[str] = field(default_factory=list)  # what the chosen transport lacks


def transport(actor: User | None) -> Transport:
    """The configured transport as the page shows it (admins only)."""
    require_admin(actor)
    status = systems.STATUS["mail"]()
    name = mail.transport_name()
    return Transport(name, mail.delivers(), status.settings, status.missing)


def _recipient(to: str) -> str:
    address = accounts.normalize_email(str(to or "")[:MAX_ADDRESS + 1])
    if not address:
        raise Invalid("error.mail_to_missing", "to")
    if len(address) > MAX_ADDRESS or not accounts.EMAIL.match(address):
        raise Invalid("error.mail_to_invalid", "to")
    return address


def send_test(actor: User | None, to: str, lang: str = "nb", client: Client = Client()) -> str:
    """Send a test mail to `to` through the configured transport, now. Returns the address;
    raises Invalid beside "to" for a bad address, and for the form when no transport is set
    up or the server refused (with the reason, which never holds a secret)."""
    actor = require_admin(actor)
    checks = Checks()
    address = checks.run("to", _recipient, to)
    checks.raise_if_any()
    if not mail.delivers():
        raise Invalid("error.mail_log_only", FORM)
    chosen = mail.get_transport()
    name = actor.name or actor.email
    message = MailMessage(to=address, subject=translate(lang, "mailpage.subject"),
                          text=translate(lang, "mailpage.body", name=name))
    domain = address.rpartition("@")[2]
    try:
        chosen.send(message)
    except MailError as exc:
        reason = str(exc)[:300]
        audit.record("admin.mail_test_sent", actor_id=actor.id, client=client, transport=chosen.name,
                     to_domain=domain, ok=False, reason=reason)
        log.warning("test mail through %s failed: %s", chosen.name, reason)
        raise Invalid("error.mail_failed", FORM, reason=reason) from None
    audit.record("admin.mail_test_sent", actor_id=actor.id, client=client, transport=chosen.name,
                 to_domain=domain, ok=True)
    return address


__all__ = ["Transport", "send_test", "transport"]
