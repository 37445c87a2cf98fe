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
from dokvault.integrations import mail, microsoft
from dokvault.integrations.mail import MailMessage
from dokvault.integrations.microsoft import Attachment, GraphClient, GraphError
from dokvault.models import Employee, Role, Team, TeamMember
from dokvault.services import notify, org
from dokvault.services.admin import offices
from dokvault.services.auth import accounts
from tests.fakes.microsoft import MicrosoftFake


@pytest.fixture
def microsoft_fake(tmp_path, allow_outbound, monkeypatch):
    with MicrosoftFake(tmp_path / "microsoft") as fake:
        allow_outbound(net.host_port(fake.url))
        for name, value in fake.settings().items():
            monkeypatch.setenv(name, value)
        reset_caches()
        kari = fake.user("Kari Nordmann", "Kari.Nordmann@example.no", "Megler")
        fake.teams = [
            fake.team("Proaktiv Bergen", [kari, fake.user("Ola Hansen", "ola@example.no"),
                                          fake.user("Per Berg", "per@example.no")]),
            fake.team("Proaktiv Stavanger", [fake.user("Siri Lunde", "siri@example.no")]),
            fake.team("Ledergruppen", [kari]),
            fake.team("Markedsføring"),
            fake.team("Oppgjør", [fake.user("Tor Aas", "tor@example.no")]),
        ]
        yield fake


def _credentials():
    return microsoft.configured_credentials()


def test_msal_gets_a_token_over_tls_and_keeps_it_until_it_expires(microsoft_fake):
    first = microsoft.acquire_token(_credentials(), (net.host_port(microsoft_fake.url),))
    second = microsoft.acquire_token(_credentials(), (net.host_port(microsoft_fake.url),))
    assert first == second and microsoft_fake.token_requests == 1


def test_a_wrong_secret_is_said_in_words(microsoft_fake, monkeypatch):
    monkeypatch.setenv("MICROSOFT_CLIENT_SECRET", "not-the-secret")
    reset_caches()
    with pytest.raises(GraphError) as caught:
        microsoft.acquire_token(_credentials(), (net.host_port(microsoft_fake.url),))
    assert caught.value.code == "microsoft.bad_credentials"
    assert "not-the-secret" not in caught.value.detail


def test_graph_pages_are_followed_to_the_end(microsoft_fake):
    async def read():
        async with GraphClient(_credentials(), allow=[net.host_port(microsoft_fake.url)]) as graph:
            teams = [t async for t in graph.teams()]
            return teams, await graph.members(teams[0]["id"])

    teams, members = asyncio.run(read())
    assert [t["displayName"] for t in teams] == [t["displayName"] for t in microsoft_fake.teams]
    assert len(members) == 3  # two pages of two and one
    assert sum(1 for m, p in microsoft_fake.requests if p == "/v1.0/groups") == 3


def test_without_settings_nothing_is_called_and_the_page_can_say_what_is_missing(clean_env):
    assert microsoft.missing_settings() == ["MICROSOFT_TENANT_ID", "MICROSOFT_CLIENT_ID",
                                            "MICROSOFT_CLIENT_SECRET"]
    assert microsoft.configured_credentials() is None


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


def test_graph_mail_sends_with_attachments_and_rides_out_429_and_5xx(microsoft_fake, admin, monkeypatch):
    monkeypatch.setenv("MAIL_TRANSPORT", "graph")
    reset_caches()
    assert mail.delivers() and mail.get_transport().name == "graph"
    microsoft_fake.inject("sendMail", 429, retry_after="1")
    microsoft_fake.inject("sendMail", 503)
    mail.get_transport().send(MailMessage(
        to="kari@example.no", subject="Signert dokument", text="Hei", html="<p>Hei</p>",
        attachments=(Attachment("kontrakt.pdf", "application/pdf", b"%PDF-1.4 test"),)))
    assert len(microsoft_fake.mails) == 1
    sent = microsoft_fake.mails[0]
    assert sent["sender"] == microsoft_fake.sender and sent["saveToSentItems"] is True
    message = sent["message"]
    assert message["toRecipients"] == [{"emailAddress": {"address": "kari@example.no"}}]
    assert message["body"] == {"contentType": "HTML", "content": "<p>Hei</p>"}
    assert base64.b64decode(message["attachments"][0]["contentBytes"]) == b"%PDF-1.4 test"
    # Existing mails go through it unchanged: an invitation.
    notify.deliver("invitation", admin.id, "en")
    assert microsoft_fake.mails[-1]["message"]["subject"] == "You are invited to DokVault"


def test_a_refused_graph_mail_is_a_mail_error(microsoft_fake, monkeypatch):
    monkeypatch.setenv("MAIL_TRANSPORT", "graph")
    reset_caches()
    microsoft_fake.inject("sendMail", 403, times=5)
    with pytest.raises(mail.MailError):
        mail.get_transport().send(MailMessage(to="kari@example.no", subject="x", text="x"))
