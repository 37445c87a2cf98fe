"""Microsoft 365 through the real clients (msal for the token, httpx for Graph) against the
local Entra + Graph fake over TLS: the token cached until it expires, Teams and members
followed through @odata.nextLink, the Teams sync and its office mapping, and Graph sendMail
as a mail transport (attachments, 429 and 5xx retried)."""

from __future__ import annotations

import asyncio
import base64

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.core import audit, net
from dokvault.core.caches import reset_caches
from dokvault.integrations import mail
from dokvault.integrations import microsoft as microsoft_adapter
from dokvault.integrations.mail import MailMessage
from dokvault.integrations.microsoft import Attachment, GraphClient, GraphError
from dokvault.models import Employee, Role, Team, TeamMember
from dokvault.services import notify, org
from dokvault.services.admin import offices
from dokvault.services.auth import accounts
from tests.fakes.microsoft import MicrosoftFake, TeamsGraph

SENDER = "dokvault@example.no"


@pytest.fixture
def microsoft(tmp_path, clean_env, monkeypatch):
    """The Microsoft fake at MICROSOFT_LOGIN_URL / MICROSOFT_GRAPH_URL (allowed as the
    operator's hosts, its CA as OUTBOUND_CA_FILE), with the organisation's app registered."""
    with MicrosoftFake(tmp_path / "microsoft") as fake:
        for name, value in {**fake.settings(), **fake.organisation(SENDER)}.items():
            monkeypatch.setenv(name, value)
        reset_caches()
        yield fake


@pytest.fixture
def microsoft_fake(microsoft):
    """Its Teams and mail."""
    graph = microsoft.add(TeamsGraph())
    kari = graph.user("Kari Nordmann", "Kari.Nordmann@example.no", "Megler")
    graph.teams = [
        graph.team("Proaktiv Bergen", [kari, graph.user("Ola Hansen", "ola@example.no"),
                                       graph.user("Per Berg", "per@example.no")]),
        graph.team("Proaktiv Stavanger", [graph.user("Siri Lunde", "siri@example.no")]),
        graph.team("Ledergruppen", [kari]),
        graph.team("Markedsføring"),
        graph.team("Oppgjør", [graph.user("Tor Aas", "tor@example.no")]),
    ]
    return graph


def _credentials():
    return microsoft_adapter.configured_credentials()


def test_msal_gets_a_token_over_tls_and_keeps_it_until_it_expires(microsoft):
    credentials = _credentials()
    assert credentials.allow == (net.host_port(microsoft.url),)  # the operator's hosts
    first = microsoft_adapter.acquire_token(credentials)
    second = microsoft_adapter.acquire_token(credentials)
    assert first == second and microsoft.entra.token_requests == 1


def test_a_wrong_secret_is_said_in_words(microsoft, monkeypatch):
    monkeypatch.setenv("MICROSOFT_CLIENT_SECRET", "not-the-secret")
    reset_caches()
    with pytest.raises(GraphError) as caught:
        microsoft_adapter.acquire_token(_credentials())
    assert caught.value.code == "microsoft.bad_credentials"
    assert "not-the-secret" not in caught.value.detail


def test_msal_trusts_the_operators_ca_and_no_environment_variable(microsoft, monkeypatch):
    """Without OUTBOUND_CA_FILE the fake's self-signed certificate is refused (certifi's CAs
    only; REQUESTS_CA_BUNDLE and SSL_CERT_FILE, pointing at it, are not read)."""
    monkeypatch.delenv("OUTBOUND_CA_FILE")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(microsoft.ca))
    monkeypatch.setenv("SSL_CERT_FILE", str(microsoft.ca))
    reset_caches()
    with pytest.raises(GraphError) as caught:
        microsoft_adapter.acquire_token(_credentials())
    assert caught.value.code == "microsoft.unreachable" and microsoft.entra.token_requests == 0


def test_graph_pages_are_followed_to_the_end(microsoft, microsoft_fake):
    async def read():
        async with GraphClient(_credentials()) as graph:
            teams = [t async for t in graph.teams()]
            return teams, await graph.members(teams[0]["id"])

    teams, members = asyncio.run(read())
    assert [t["displayName"] for t in teams] == [t["displayName"] for t in microsoft_fake.teams]
    assert len(members) == 3  # two pages of two and one
    assert sum(1 for m, p in microsoft.requests if p == "/v1.0/groups") == 3


def test_without_settings_nothing_is_called_and_the_page_can_say_what_is_missing(clean_env):
    assert microsoft_adapter.missing_settings() == ["MICROSOFT_TENANT_ID", "MICROSOFT_CLIENT_ID",
                                            "MICROSOFT_CLIENT_SECRET"]
    assert microsoft_adapter.configured_credentials() is None


def test_the_teams_sync_stores_teams_and_links_members(microsoft_fake, admin):
    with db.session() as s:
        kari = accounts.create_user(s, "kari.nordmann@example.no", "megler passord 2024", Role.BROKER)
        s.add(Employee(vitec_id="OLHA", name="Ola Hansen", email="ola@example.no"))
        s.commit()
    run, _ = org.runs.request("teams", send=False)
    done = org.run_sync("teams", run.id).run
    assert done.status == "done" and done.errors == []
    assert done.counts["teams"]["created"] == 5 and done.counts["members"]["created"] == 6
    with db.session() as s:
        bergen = s.exec(select(Team).where(Team.name == "Proaktiv Bergen")).one()
        members = {m.email: m for m in s.exec(select(TeamMember).where(TeamMember.team_id == bergen.id))}
    assert set(members) == {"kari.nordmann@example.no", "ola@example.no", "per@example.no"}
    assert members["kari.nordmann@example.no"].user_id == kari.id  # any case
    assert members["ola@example.no"].employee_id is not None
    # A team gone from Graph is inactive after the next run; a member gone is removed.
    microsoft_fake.teams = [t for t in microsoft_fake.teams if t["displayName"] != "Markedsføring"]
    microsoft_fake.teams[0]["members"].pop()
    run, _ = org.runs.request("teams", send=False)
    again = org.run_sync("teams", run.id).run
    assert again.counts["teams"]["deactivated"] == 1 and again.counts["members"]["deactivated"] == 1
    views = {t.name: t for t in org.teams.list_teams(admin)}
    assert not views["Markedsføring"].active and views["Proaktiv Bergen"].members == 2
    assert views["Proaktiv Bergen"].linked == 1


def test_a_team_is_mapped_to_an_office_by_an_admin_only(microsoft_fake, admin):
    run, _ = org.runs.request("teams", send=False)
    org.run_sync("teams", run.id)
    bergen = offices.create_office(admin, "Bergen")
    team = next(t for t in org.teams.list_teams(admin) if t.name == "Proaktiv Bergen")
    assert org.teams.map_to_office(admin, team.id, bergen.id)
    assert not org.teams.map_to_office(admin, team.id, bergen.id)  # a double click: once
    assert next(t for t in org.teams.list_teams(admin) if t.id == team.id).office_id == str(bergen.id)
    assert [e.kind for e in audit.search_events(kind="admin.team_mapped")[0]] == ["admin.team_mapped"]
    with db.session() as s:
        broker = accounts.create_user(s, "megler@example.no", "megler passord 2024", Role.BROKER)
    with pytest.raises(offices.Forbidden):
        org.teams.map_to_office(broker, team.id, None)


def test_graph_mail_sends_with_attachments_and_rides_out_429_and_5xx(microsoft, microsoft_fake, admin,
                                                                     monkeypatch):
    monkeypatch.setenv("MAIL_TRANSPORT", "graph")
    reset_caches()
    assert mail.delivers() and mail.get_transport().name == "graph"
    microsoft.inject("sendMail", 429, retry_after="1")
    microsoft.inject("sendMail", 503)
    mail.get_transport().send(MailMessage(
        to="kari@example.no", subject="Signert dokument", text="Hei", html="<p>Hei</p>",
        attachments=(Attachment("kontrakt.pdf", "application/pdf", b"%PDF-1.4 test"),)))
    assert len(microsoft_fake.mails) == 1
    sent = microsoft_fake.mails[0]
    assert sent["sender"] == SENDER and sent["saveToSentItems"] is True
    message = sent["message"]
    assert message["toRecipients"] == [{"emailAddress": {"address": "kari@example.no"}}]
    assert message["body"] == {"contentType": "HTML", "content": "<p>Hei</p>"}
    assert base64.b64decode(message["attachments"][0]["contentBytes"]) == b"%PDF-1.4 test"
    # Existing mails go through it unchanged: an invitation.
    notify.deliver("invitation", admin.id, "en")
    assert microsoft_fake.mails[-1]["message"]["subject"] == "You are invited to DokVault"


def test_a_refused_graph_mail_is_a_mail_error(microsoft, microsoft_fake, monkeypatch):
    monkeypatch.setenv("MAIL_TRANSPORT", "graph")
    reset_caches()
    microsoft.inject("sendMail", 403, times=5)
    with pytest.raises(mail.MailError):
        mail.get_transport().send(MailMessage(to="kari@example.no", subject="x", text="x"))
