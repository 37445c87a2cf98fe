"""Mail over a real SMTP server (aiosmtpd with STARTTLS and AUTH) and password reset by
mail, end to end through the `email` Dramatiq actor."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.testclient import TestClient

from dokvault.services.auth import password_reset
from tests import servers

pytestmark = pytest.mark.integration

HOST = "http://localhost:3000"  # FRONTEND_URL by default: the origin DokVault accepts
EMAIL = "kari.megler@example.no"
OLD_PASSWORD = "Strandkaien-12-Stavanger"
NEW_PASSWORD = "Nytt-passord-for-Kari-2025"
LINK = re.compile(r"https?://\S+/reset-password\?token=[\w.\-%]+")


@pytest.fixture
def user(embedded):
    from dokvault import db
    from dokvault.services.auth import accounts

    with db.session() as s:
        return accounts.create_user(s, EMAIL, OLD_PASSWORD, name="Kari Megler")


@pytest.fixture
def client(embedded):
    from dokvault.api.routes import api

    return TestClient(api, base_url=HOST, follow_redirects=False)


def message(to: str = EMAIL):
    from dokvault.integrations.mail import MailMessage

    return MailMessage(to=to, subject="Prøve æøå", text="Hei på deg\n", html="<p>Hei på deg</p>")


def wait_for_email_queue(broker) -> None:
    broker.join("email", fail_fast=True)


def token_from(mail: servers.CapturedMail) -> str:
    link = LINK.search(mail.text())
    assert link, mail.text()
    return parse_qs(urlsplit(link.group(0)).query)["token"][0]


def can_sign_in(password: str) -> bool:
    from dokvault import db
    from dokvault.services.auth import accounts

    with db.session() as s:
        return accounts.authenticate(s, EMAIL, password) is not None


def audit_kinds() -> list[str]:
    from dokvault.core import audit

    return [event.kind for event in audit.search_events(page_size=500)[0]]


# --- the transports ---------------------------------------------------------------


def test_smtp_transport_sends_over_starttls_with_auth(smtp_server, clean_env):
    from dokvault.integrations.mail import SmtpTransport

    transport = SmtpTransport("127.0.0.1", smtp_server.port, user=smtp_server.user,
                              password=smtp_server.password, sender="DokVault <no-reply@dv.test>",
                              ca_file=str(smtp_server.ca_file))
    transport.send(message())

    [mail] = smtp_server.wait_for(EMAIL)
    assert mail.tls and mail.login == smtp_server.user
    assert smtp_server.auth_attempts[-1][1] is True
    assert mail.subject == "Prøve æøå"
    assert mail.message["From"] == "DokVault <no-reply@dv.test>"
    assert mail.message.get_content_type() == "multipart/alternative"
    assert mail.text() == "Hei på deg\n"
    assert "<p>Hei på deg</p>" in mail.html()
    assert mail.message["Message-ID"].endswith("@dv.test>")


def test_smtp_transport_with_a_wrong_password_fails_without_hanging(smtp_server, clean_env):
    from dokvault.integrations.mail import MailError, SmtpTransport

    transport = SmtpTransport("127.0.0.1", smtp_server.port, user=smtp_server.user,
                              password="wrong-password", sender="x@dv.test",
                              ca_file=str(smtp_server.ca_file), timeout=10)
    with pytest.raises(MailError) as info:
        transport.send(message())
    assert "wrong-password" not in str(info.value)
    assert smtp_server.messages == []


def test_smtp_transport_refuses_to_send_in_clear(tmp_path, clean_env):
    from dokvault.integrations.mail import MailError, SmtpTransport

    with servers.SmtpCapture(tmp_path, starttls=False) as plain:
        transport = SmtpTransport("127.0.0.1", plain.port, user="dokvault",
                                  password="never-in-clear", sender="x@dv.test")
        with pytest.raises(MailError, match="STARTTLS"):
            transport.send(message())
        assert plain.messages == [] and plain.auth_attempts == []


def test_smtp_transport_checks_the_certificate(smtp_server, clean_env):
    from dokvault.integrations.mail import MailError, SmtpTransport

    transport = SmtpTransport("127.0.0.1", smtp_server.port, user=smtp_server.user,
                              password=smtp_server.password, sender="x@dv.test")  # no CA file
    with pytest.raises(MailError, match="SSL|certificate"):
        transport.send(message())
    assert smtp_server.messages == [] and smtp_server.auth_attempts == []


def test_settings_choose_the_transport(smtp_server, configure_dokvault):
    from dokvault.integrations import mail

    assert isinstance(mail.get_transport(), mail.LogTransport)  # SMTP_HOST empty
    configure_dokvault(**smtp_server.env())
    transport = mail.get_transport()
    assert isinstance(transport, mail.SmtpTransport)
    assert (transport.host, transport.port, transport.sender) == (
        "127.0.0.1", smtp_server.port, "DokVault <no-reply@dokvault.test>")
    transport.send(message())
    assert len(smtp_server.wait_for(EMAIL)) == 1


def test_log_transport_writes_the_mail_to_the_log_when_smtp_host_is_empty(user, stub_worker,
                                                                         caplog):
    from dokvault.core import jobs

    caplog.set_level(logging.INFO)
    jobs.send("send_notification", "security_alert", user.id, "en", "refresh_token_reuse",
              "203.0.113.7")
    wait_for_email_queue(stub_worker)
    logged = "\n".join(r.getMessage() for r in caplog.records
                       if r.name == "dokvault.integrations.mail")
    assert "mail not sent (no mail transport is configured)" in logged
    assert f"To: {EMAIL}" in logged
    assert "Subject: Security alert for your DokVault account" in logged
    assert "203.0.113.7" in logged and "signed out" in logged


# --- password reset through the actor ---------------------------------------------


def test_password_reset_by_mail_end_to_end(user, mail_configured, stub_worker, client, caplog):
    from dokvault import db
    from dokvault.models import AuditEvent
    from dokvault.services.auth import accounts

    caplog.set_level(logging.DEBUG)
    with db.session() as s:  # two signed-in browsers
        row = accounts.find_user(s, EMAIL)
        sessions = [accounts.open_session(s, row, "Firefox", "10.0.0.1") for _ in range(2)]

    response = client.post("/api/auth/forgot", data={"email": EMAIL.upper()},
                           headers={"origin": HOST}, cookies={"dokvault_lang": "nb"})
    assert response.status_code == 303
    assert response.headers["location"] == "/forgot-password?info=reset.sent"
    wait_for_email_queue(stub_worker)

    [mail] = mail_configured.wait_for(EMAIL)
    assert mail.tls and mail.subject == "Tilbakestill passordet ditt i DokVault"
    assert "virker i én time" in mail.text()
    token = token_from(mail)
    assert LINK.search(mail.text()).group(0).startswith("http://localhost:3000/reset-password?")
    assert token in mail.html()  # the HTML alternative has the same link

    # A weak password is refused by the policy and the link stays usable.
    response = client.post("/api/auth/reset", headers={"origin": HOST},
                           data={"token": token, "password": "kort", "password_confirm": "kort"})
    assert response.status_code == 303
    assert "error=error.password_too_short" in response.headers["location"]
    assert "token=" in response.headers["location"]
    response = client.post("/api/auth/reset", headers={"origin": HOST},
                           data={"token": token, "password": NEW_PASSWORD,
                                 "password_confirm": NEW_PASSWORD + "x"})
    assert "error=setup.mismatch" in response.headers["location"]

    response = client.post("/api/auth/reset", headers={"origin": HOST},
                           data={"token": token, "password": NEW_PASSWORD,
                                 "password_confirm": NEW_PASSWORD})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?info=reset.done"

    assert can_sign_in(NEW_PASSWORD)
    assert not can_sign_in(OLD_PASSWORD)
    with db.session() as s:  # every session of the user is signed out
        assert all(accounts.resolve_session(s, t) is None for t in sessions)

    # The same link again: refused, and the password stays.
    response = client.post("/api/auth/reset", headers={"origin": HOST},
                           data={"token": token, "password": "Enda-et-nytt-passord-9",
                                 "password_confirm": "Enda-et-nytt-passord-9"})
    assert response.headers["location"] == "/reset-password?error=reset.invalid"
    assert can_sign_in(NEW_PASSWORD)

    kinds = audit_kinds()
    assert "auth.password_reset.requested" in kinds
    assert "auth.password_reset.done" in kinds
    assert "auth.password_reset.refused" in kinds
    with db.session() as s:
        from sqlmodel import select

        for event in s.exec(select(AuditEvent)).all():
            assert token not in event.detail and NEW_PASSWORD not in event.detail
    text = caplog.text
    assert token not in text and NEW_PASSWORD not in text and OLD_PASSWORD not in text

    # Sign-in through the route works with the new password.
    ok = client.post("/api/auth/login", data={"email": EMAIL, "password": NEW_PASSWORD},
                     headers={"origin": HOST})
    assert ok.status_code == 303 and "dokvault_access=" in ok.headers["set-cookie"]


def test_reset_mail_in_english(user, mail_configured, stub_worker):
    from dokvault.core.audit import Client
    from dokvault.services.auth import password_reset

    assert password_reset.request_reset(EMAIL, "en", Client(ip="10.0.0.2")) is None
    wait_for_email_queue(stub_worker)
    [mail] = mail_configured.wait_for(EMAIL)
    assert mail.subject == "Reset your DokVault password"
    assert "works for one hour" in mail.text()
    assert 'lang="en"' in mail.html()


def test_an_expired_link_is_refused(user, clean_env):
    from dokvault.models.base import utcnow
    from dokvault.services.auth import password_reset

    token = password_reset.issue_token(user, now=utcnow() - timedelta(hours=1, seconds=5))
    with pytest.raises(password_reset.ResetRefused) as info:
        password_reset.reset_password(token, NEW_PASSWORD)
    assert info.value.reason == "expired"
    assert can_sign_in(OLD_PASSWORD)
    fresh = password_reset.issue_token(user, now=utcnow() - timedelta(minutes=59))
    password_reset.reset_password(fresh, NEW_PASSWORD)
    assert can_sign_in(NEW_PASSWORD)


def test_a_link_issued_before_a_password_change_is_refused(user, clean_env):
    from dokvault import db
    from dokvault.services.auth import accounts, password_reset

    token = password_reset.issue_token(user)
    with db.session() as s:
        accounts.change_password(s, user, OLD_PASSWORD, "Byttet-selv-i-mellomtiden-7", None)
    with pytest.raises(password_reset.ResetRefused) as info:
        password_reset.reset_password(token, NEW_PASSWORD)
    assert info.value.reason == "password_changed"
    assert not can_sign_in(NEW_PASSWORD)
    assert "auth.password_reset.refused" in audit_kinds()


def test_a_forged_or_tampered_link_is_refused(user, clean_env):
    import jwt

    from dokvault.services.auth import password_reset

    token = password_reset.issue_token(user)
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = jwt.encode(claims, "not-the-key-" * 4, algorithm="HS256")
    unsigned = jwt.encode(claims, None, algorithm="none")
    for bad in (forged, unsigned, token[:-3] + "abc", "", "garbage"):
        with pytest.raises(password_reset.ResetRefused):
            password_reset.reset_password(bad, NEW_PASSWORD)
    assert can_sign_in(OLD_PASSWORD)


def test_unknown_email_gets_the_same_answer_and_no_mail(user, mail_configured, stub_worker,
                                                      client):
    answers = []
    for email in ("ingen.her@example.no", EMAIL):
        response = client.post("/api/auth/forgot", data={"email": email},
                               headers={"origin": HOST})
        answers.append((response.status_code, response.headers["location"]))
    wait_for_email_queue(stub_worker)
    assert answers[0] == answers[1] == (303, "/forgot-password?info=reset.sent")
    assert [m.rcpt_tos for m in mail_configured.messages] == [[EMAIL]]


def test_deactivated_user_gets_no_mail(user, mail_configured, stub_worker):
    from dokvault import db
    from dokvault.models import User
    from dokvault.services.auth import password_reset

    token = password_reset.issue_token(user)
    with db.session() as s:
        row = s.get(User, user.id)
        row.is_active = False
        s.add(row)
        s.commit()
    assert password_reset.request_reset(EMAIL, "nb") is None
    wait_for_email_queue(stub_worker)
    assert mail_configured.messages == []
    with pytest.raises(password_reset.ResetRefused):
        password_reset.reset_password(token, NEW_PASSWORD)


def test_reset_requests_are_rate_limited(user, mail_configured, stub_worker, client):
    limit = password_reset.PASSWORD_RESET.limit("account")
    for _ in range(limit):
        ok = client.post("/api/auth/forgot", data={"email": EMAIL}, headers={"origin": HOST})
        assert ok.status_code == 303
    refused = client.post("/api/auth/forgot", data={"email": EMAIL},
                          headers={"origin": HOST, "accept": "text/html"})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert "For mange forsøk" in refused.text
    wait_for_email_queue(stub_worker)
    assert len(mail_configured.to(EMAIL)) == limit
    assert "auth.rate_limited" in audit_kinds()


def test_cross_site_posts_are_refused(user, mail_configured, stub_worker, client):
    response = client.post("/api/auth/forgot", data={"email": EMAIL},
                           headers={"origin": "https://evil.example"})
    assert response.headers["location"] == "/forgot-password?error=error.forbidden"
    wait_for_email_queue(stub_worker)
    assert mail_configured.messages == []


def test_security_alert_mail_goes_through_the_actor(user, mail_configured, stub_worker):
    from dokvault.core import jobs

    jobs.send("send_notification", "security_alert", user.id, "nb", "refresh_token_reuse",
              "198.51.100.4")
    wait_for_email_queue(stub_worker)
    [mail] = mail_configured.wait_for(EMAIL)
    assert mail.subject == "Sikkerhetsvarsel for DokVault-kontoen din"
    assert "198.51.100.4" in mail.text() and "logget ut" in mail.text()


# --- production: Redis broker, a separate `dramatiq workers.email` process ----------


def test_reset_mail_through_redis_and_a_worker_process(production, redis_url, mail_configured,
                                                       configure_dokvault, tmp_path):
    from dramatiq.brokers.redis import RedisBroker

    import workers.email
    from dokvault import db
    from dokvault.core.jobs import rebind
    from dokvault.services.auth import accounts, password_reset

    env = configure_dokvault(**mail_configured.env())
    with db.session() as s:
        accounts.create_user(s, EMAIL, OLD_PASSWORD)
    previous = workers.email.send_notification.broker
    broker = rebind(RedisBroker(url=redis_url))
    worker = servers.WorkerProcess(tmp_path / "worker-email.log", queues=("email",))
    try:
        worker.start(env=env)
        assert password_reset.request_reset(EMAIL, "nb") is None
        [mail] = mail_configured.wait_for(EMAIL, timeout=30)
    finally:
        worker.stop()
        rebind(previous)
        broker.close()
    token = token_from(mail)
    password_reset.reset_password(token, NEW_PASSWORD)
    assert can_sign_in(NEW_PASSWORD)
    assert token not in worker.log()


def test_refresh_token_reuse_revokes_the_family_and_mails_an_alert(user, mail_configured,
                                                                   stub_worker, client):
    """A refresh cookie copied before its rotation comes back through the route: the
    session dies for both holders, the event is audited and the owner gets the alert."""
    from starlette.testclient import TestClient

    from tests.unit.test_tokens import used_long_ago

    client.post("/api/auth/login", data={"email": EMAIL, "password": OLD_PASSWORD},
                headers={"origin": HOST})
    stolen = client.cookies.get("dokvault_refresh")
    assert client.post("/api/auth/refresh", headers={"origin": HOST}).status_code == 200
    used_long_ago(stolen)

    thief = TestClient(client.app, base_url=HOST, follow_redirects=False,
                       client=("203.0.113.9", 50000))
    thief.cookies.set("dokvault_refresh", stolen, path="/api/auth")
    assert thief.post("/api/auth/refresh", headers={"origin": HOST}).status_code == 401
    assert client.post("/api/auth/refresh", headers={"origin": HOST}).status_code == 401
    wait_for_email_queue(stub_worker)
    [mail] = mail_configured.wait_for(EMAIL)
    assert mail.subject == "Sikkerhetsvarsel for DokVault-kontoen din"
    assert "203.0.113.9" in mail.text() and "brukt på nytt" in mail.text()
    assert "auth.refresh_token_reuse" in audit_kinds()
    assert stolen not in mail.text()
