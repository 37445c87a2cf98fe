"""Mails to users: rendered here in Norwegian (default) or English, sent through the mail
transport (dokvault.integrations.mail). The `email` Dramatiq actor calls `deliver`.

Nothing here logs a link or a token: only the kind and the user id.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from dokvault import db
from dokvault.core import clock
from dokvault.i18n import LANGUAGES
from dokvault.integrations import mail
from dokvault.integrations.mail import MailMessage
from dokvault.models import User
from dokvault.models.base import utcnow
from dokvault.services.auth import password_reset
from dokvault.services.notify import rendering

log = logging.getLogger(__name__)

PASSWORD_RESET = "password_reset"  # noqa: S105 (a mail kind, not a secret)
SECURITY_ALERT = "security_alert"
INVITATION = "invitation"
KINDS = (PASSWORD_RESET, SECURITY_ALERT, INVITATION)
INVITATION_LIFETIME = timedelta(days=7)

TEMPLATES: dict[str, dict[str, str]] = {
    "nb": {
        "greeting": "Hei {name},",
        "signature": "Hilsen DokVault",
        "reset.subject": "Tilbakestill passordet ditt i DokVault",
        "reset.body": "Vi har fått en forespørsel om å tilbakestille passordet til kontoen "
                      "din ({email}). Åpne lenken nedenfor for å velge et nytt passord. "
                      "Lenken virker i én time og kan bare brukes én gang.",
        "reset.button": "Velg nytt passord",
        "reset.ignore": "Har du ikke bedt om dette, kan du se bort fra e-posten. Passordet "
                        "ditt er ikke endret.",
        "invite.subject": "Du er invitert til DokVault",
        "invite.body": "Du har fått en konto i DokVault, dokumenthuben vår ({email}). Åpne "
                       "lenken nedenfor for å velge passord. Lenken virker i sju dager og kan "
                       "bare brukes én gang.",
        "invite.button": "Velg passord",
        "alert.subject": "Sikkerhetsvarsel for DokVault-kontoen din",
        "alert.body": "Vi har oppdaget noe uvanlig med kontoen din ({email}) {when} UTC.",
        "alert.reason.refresh_token_reuse": "En innloggingsøkt ble brukt på nytt etter at den "
                                            "var erstattet. Av sikkerhetshensyn er økten logget "
                                            "ut på alle enheter.",
        "alert.reason.other": "Av sikkerhetshensyn har vi logget ut berørte økter.",
        "alert.from_ip": "Forespørselen kom fra adressen {ip}.",
        "alert.advice": "Var det ikke deg, bør du bytte passord med en gang og se over "
                        "påloggingene dine under «Pålogginger».",
    },
    "en": {
        "greeting": "Hello {name},",
        "signature": "DokVault",
        "reset.subject": "Reset your DokVault password",
        "reset.body": "We received a request to reset the password of your account "
                      "({email}). Open the link below to choose a new password. The link "
                      "works for one hour and only once.",
        "reset.button": "Choose a new password",
        "reset.ignore": "If you did not ask for this, you can ignore this e-mail. Your "
                        "password has not been changed.",
        "invite.subject": "You are invited to DokVault",
        "invite.body": "An account in DokVault, our document hub, has been made for you "
                       "({email}). Open the link below to choose your password. The link works "
                       "for seven days and only once.",
        "invite.button": "Choose a password",
        "alert.subject": "Security alert for your DokVault account",
        "alert.body": "We noticed something unusual with your account ({email}) at {when} UTC.",
        "alert.reason.refresh_token_reuse": "A sign-in session was used again after it had "
                                            "been replaced. To be safe, it has been signed out "
                                            "on every device.",
        "alert.reason.other": "To be safe, the affected sessions have been signed out.",
        "alert.from_ip": "The request came from the address {ip}.",
        "alert.advice": "If this was not you, change your password at once and review your "
                        "sessions under \"Sessions\".",
    },
}


def _t(lang: str, key: str, **values: str) -> str:
    table = TEMPLATES.get(lang, TEMPLATES["nb"])
    return table[key].format(**values) if values else table[key]


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "nb"


def _html(lang: str, paragraphs: list[str], button: tuple[str, str] | None = None) -> str:
    return rendering.render(lang, paragraphs, rendering.Button(*button) if button else None)[1]


def render_password_reset(lang: str, *, email: str, name: str, link: str) -> MailMessage:
    lang = _lang(lang)
    greeting = _t(lang, "greeting", name=name or email)
    body = _t(lang, "reset.body", email=email)
    ignore = _t(lang, "reset.ignore")
    signature = _t(lang, "signature")
    text = f"{greeting}\n\n{body}\n\n{link}\n\n{ignore}\n\n{signature}\n"
    return MailMessage(
        to=email,
        subject=_t(lang, "reset.subject"),
        text=text,
        html=_html(lang, [greeting, body, ignore, signature], (_t(lang, "reset.button"), link)),
    )


def render_invitation(lang: str, *, email: str, name: str, link: str) -> MailMessage:
    lang = _lang(lang)
    greeting = _t(lang, "greeting", name=name or email)
    body = _t(lang, "invite.body", email=email)
    signature = _t(lang, "signature")
    return MailMessage(
        to=email,
        subject=_t(lang, "invite.subject"),
        text=f"{greeting}\n\n{body}\n\n{link}\n\n{signature}\n",
        html=_html(lang, [greeting, body, signature], (_t(lang, "invite.button"), link)),
    )


def render_security_alert(lang: str, *, email: str, name: str, reason: str, ip: str = "",
                          when: datetime | None = None) -> MailMessage:
    lang = _lang(lang)
    stamp = clock.shown(when or utcnow(), "%Y-%m-%d %H:%M %Z")
    reason_key = f"alert.reason.{reason}"
    paragraphs = [
        _t(lang, "greeting", name=name or email),
        _t(lang, "alert.body", email=email, when=stamp),
        _t(lang, reason_key if reason_key in TEMPLATES[lang] else "alert.reason.other"),
    ]
    if ip:
        paragraphs.append(_t(lang, "alert.from_ip", ip=ip))
    paragraphs += [_t(lang, "alert.advice"), _t(lang, "signature")]
    return MailMessage(
        to=email,
        subject=_t(lang, "alert.subject"),
        text="\n\n".join(paragraphs) + "\n",
        html=_html(lang, paragraphs),
    )


def deliver(kind: str, user_id: int, lang: str = "nb", reason: str = "", ip: str = "") -> bool:
    """Render and send one mail to a user (the `email` actor's work). A password-reset mail
    gets a fresh single-use link here, so no link ever sits in the queue. Returns False when
    there is nothing to send (unknown or deactivated user); raises MailError to be retried."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    with db.session() as s:
        user = s.get(User, user_id)
    if user is None or not user.is_active:
        log.info("notification %s to user=%s skipped: no active user", kind, user_id)
        return False
    if kind == PASSWORD_RESET:
        message = render_password_reset(lang, email=user.email, name=user.name,
                                        link=password_reset.reset_link(user))
    elif kind == INVITATION:
        message = render_invitation(lang, email=user.email, name=user.name,
                                    link=password_reset.reset_link(user, INVITATION_LIFETIME))
    else:
        message = render_security_alert(lang, email=user.email, name=user.name, reason=reason,
                                        ip=ip)
    transport = mail.get_transport()
    transport.send(message)
    log.info("notification %s to user=%s handed to %s", kind, user_id, transport.name)
    return True
