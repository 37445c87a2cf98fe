"""The integrations page's outside systems (services/ops/systems.py) against real parts: the
status of each (configured or what is missing, secrets only as "set"), and a connection test
that really contacts it - the SMTP test server, the Microsoft fake (Graph mail, Teams), the
Google and Entra token endpoints, Firecrawl's, a WebDAV share and HIBP's range API - each
audited and remembered. And the mail page's test mail, sent at once, with its errors."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.core.caches import reset_caches
from dokvault.core.validation import Invalid
from dokvault.models import AuditEvent, Role
from dokvault.services.access import Forbidden
from dokvault.services.auth import accounts
from dokvault.services.ops import mail_test, systems
from tests import servers
from tests.fakes.firecrawl import API_KEY, FirecrawlFake
from tests.fakes.google_drive import CLIENT_ID, CLIENT_SECRET, GoogleFake
from tests.fakes.microsoft import MicrosoftFake, TeamsGraph
from tests.webdav_server import DavServer


def env(monkeypatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    reset_caches()


def run_test(admin, key: str) -> systems.TestResult:
    return asyncio.run(systems.test(admin, key))


def audited(kind: str) -> list[dict]:
    with db.session() as s:
        return [json.loads(e.detail) for e in s.exec(select(AuditEvent).where(AuditEvent.kind == kind)
                                         .order_by(AuditEvent.id)).all()]


def status(admin, key: str) -> systems.System:
    return next(s for s in systems.overview(admin) if s.key == key)


def shown(system: systems.System) -> str:
    return json.dumps(system.settings)


def test_with_nothing_configured_each_says_what_is_missing_and_tests_nothing(admin):
    every = {s.key: s for s in systems.overview(admin)}
    assert list(every) == list(systems.SYSTEMS)
    assert every["vitec"].missing == ["VITEC_HUB_PRODUCT_LOGIN", "VITEC_HUB_ACCESS_KEY",
                                      "VITEC_INSTALLATION_ID"]
    assert every["firecrawl"].missing == ["FIRECRAWL_API_KEY"]
    assert every["share"].missing == ["WEBDAV_URL"]
    assert every["google"].missing == ["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"]
    assert every["mail"].note == "integrations.mail_log" and not every["mail"].testable
    assert every["ai"].configured and every["ai"].note == "integrations.ai_local"
    result = run_test(admin, "firecrawl")
    assert (result.ok, result.code) == (False, "integrations.not_testable")
    assert audited("admin.integration_tested")[-1]["system"] == "firecrawl"
    with db.session() as s:
        broker = accounts.create_user(s, "megler@example.no", "megler passord 2024", Role.BROKER)
    with pytest.raises(Forbidden):
        systems.overview(broker)
    with pytest.raises(Forbidden):
        asyncio.run(systems.test(broker, "hibp"))


def test_smtp_is_tested_up_to_noop_and_a_test_mail_leaves(admin, tmp_path, monkeypatch):
    with servers.SmtpCapture(tmp_path / "smtp") as smtp:
        env(monkeypatch, **smtp.env())
        mail = status(admin, "mail")
        assert mail.configured and mail.testable and mail.note == ""
        assert smtp.password not in shown(mail) and "integrations.secret_set" in shown(mail)
        result = run_test(admin, "mail")
        assert result.ok, result
        assert smtp.messages == [] and smtp.auth_attempts[-1][1] is True  # logged in, nothing sent
        assert status(admin, "mail").tested["ok"] is True

        with pytest.raises(Invalid) as bad:
            mail_test.send_test(admin, "ikke en adresse")
        assert (bad.value.field, bad.value.code) == ("to", "error.mail_to_invalid")
        with pytest.raises(Invalid) as empty:
            mail_test.send_test(admin, "  ")
        assert empty.value.code == "error.mail_to_missing"
        assert mail_test.send_test(admin, "Kari@Example.no") == "kari@example.no"
        sent = smtp.wait_for("kari@example.no")[0]
        assert sent.subject == "Test-e-post fra DokVault" and sent.tls
        assert audited("admin.mail_test_sent")[-1] == {"transport": "smtp", "to_domain": "example.no",
                                                       "ok": True}

        env(monkeypatch, SMTP_PASSWORD="not-the-password")
        result = run_test(admin, "mail")
        assert not result.ok and result.code == "integrations.mail_failed"
        with pytest.raises(Invalid) as refused:
            mail_test.send_test(admin, "kari@example.no")
        assert refused.value.code == "error.mail_failed" and "refused the SMTP login" in \
            refused.value.values["reason"]
        entries = audited("admin.mail_test_sent") + audited("admin.integration_tested")
        assert "not-the-password" not in json.dumps(entries)


def test_on_the_log_transport_no_test_mail_pretends_to_leave(admin):
    assert not mail_test.transport(admin).delivers
    with pytest.raises(Invalid) as caught:
        mail_test.send_test(admin, "kari@example.no")
    assert caught.value.code == "error.mail_log_only"


def test_graph_mail_and_teams_are_tested_against_the_microsoft_fake(admin, tmp_path, monkeypatch):
    with MicrosoftFake(tmp_path / "microsoft") as fake:
        graph = fake.add(TeamsGraph())
        graph.teams = [graph.team("Proaktiv Bergen"), graph.team("Oppgjør")]
        env(monkeypatch, MAIL_TRANSPORT="graph", **fake.settings(), **fake.organisation())
        assert status(admin, "mail").settings[1] == ("MICROSOFT_SENDER_EMAIL", "dokvault@example.no")
        assert run_test(admin, "mail").ok
        assert graph.mails == []  # a token, nothing sent
        result = run_test(admin, "teams")
        assert (result.ok, result.values) == (True, {"n": 2})
        assert mail_test.send_test(admin, "kari@example.no")
        assert [m["message"]["subject"] for m in graph.mails] == ["Test-e-post fra DokVault"]

        env(monkeypatch, MICROSOFT_CLIENT_SECRET="wrong-secret")
        result = run_test(admin, "teams")
        assert (result.ok, result.code) == (False, "microsoft.bad_credentials")
        assert "wrong-secret" not in json.dumps(audited("admin.integration_tested"))


def test_the_oauth_apps_are_asked_at_their_token_endpoints(admin, tmp_path, monkeypatch):
    with GoogleFake(tmp_path / "google") as google:
        env(monkeypatch, GOOGLE_CLIENT_ID=CLIENT_ID, GOOGLE_CLIENT_SECRET=CLIENT_SECRET,
            GOOGLE_TOKEN_URI=f"{google.url}/token", OUTBOUND_CA_FILE=str(google.cert))
        assert status(admin, "google").configured and CLIENT_SECRET not in shown(status(admin, "google"))
        assert run_test(admin, "google").ok
        env(monkeypatch, GOOGLE_CLIENT_SECRET="wrong")
        assert run_test(admin, "google").code == "error.oauth_app_refused"
    with MicrosoftFake(tmp_path / "ms") as fake:
        env(monkeypatch, **fake.settings(), **fake.onedrive())
        assert run_test(admin, "onedrive").ok
        env(monkeypatch, ONEDRIVE_CLIENT_SECRET="wrong")
        assert run_test(admin, "onedrive").code == "error.oauth_app_refused"
    env(monkeypatch, GOOGLE_CLIENT_SECRET=CLIENT_SECRET)  # the fake is gone: unreachable
    assert run_test(admin, "google").code == "error.oauth_app_unreachable"


def test_firecrawl_the_share_and_hibp_answer_for_real(admin, tmp_path, monkeypatch, hibp_fake):
    with FirecrawlFake() as firecrawl:
        env(monkeypatch, FIRECRAWL_API_KEY=API_KEY, FIRECRAWL_API_URL=firecrawl.url)
        result = run_test(admin, "firecrawl")
        assert (result.ok, result.values) == (True, {"n": 500})
        assert firecrawl.requests[-1][:2] == ("GET", "/v2/team/credit-usage")
        env(monkeypatch, FIRECRAWL_API_KEY="fc-wrong")
        assert run_test(admin, "firecrawl").code == "error.web_key"
    with DavServer(tmp_path / "share", auth="digest", user="kontor", password="delt-passord") as dav:
        env(monkeypatch, WEBDAV_URL=dav.url, WEBDAV_USERNAME="kontor", WEBDAV_PASSWORD="delt-passord")
        assert "delt-passord" not in shown(status(admin, "share"))
        assert run_test(admin, "share").ok
        assert status(admin, "share").last_used is not None
        env(monkeypatch, WEBDAV_PASSWORD="feil")
        assert not run_test(admin, "share").ok
    hibp_fake.add("sommer2024")
    result = run_test(admin, "hibp")
    assert result.ok and result.code == "integrations.hibp_ok"
    hibp_fake.go_down()
    assert run_test(admin, "hibp").code == "integrations.hibp_failed"
    outcomes = [(e["system"], e["ok"]) for e in audited("admin.integration_tested")]
    assert outcomes == [("firecrawl", True), ("firecrawl", False), ("share", True), ("share", False),
                        ("hibp", True), ("hibp", False)]
