"""Google Drive through google-api-python-client, google-auth and google-auth-oauthlib against
a local Drive v3 + OAuth fake over TLS: connecting with PKCE and a checked state, browsing page
by page, importing (ranged alt=media downloads) and exporting (multipart and resumable uploads),
an expired access token refreshed and sealed again, a revoked one asking to reconnect, 403 rate
limits, and removal revoking the token."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.drives.types import DriveError
from dokvault.models import DriveConnection, DriveTransfer, DriveTransferItem, Role
from dokvault.services import documents, drives
from dokvault.services.auth import accounts
from dokvault.services.drives import connections, credentials, oauth
from tests.fakes.google_drive import CLIENT_ID, CLIENT_SECRET, GoogleFake

BIG = 12 * 1024 * 1024 + 123  # more than one 8 MiB chunk, and over the multipart size


@pytest.fixture
def user(embedded):
    with db.session() as s:
        return accounts.create_user(s, "megler@example.no", "megler passord 2024", Role.BROKER)


@pytest.fixture
def other(embedded):
    with db.session() as s:
        return accounts.create_user(s, "annen@example.no", "annen megler 2024!", Role.BROKER)


@pytest.fixture
def google(tmp_path, clean_env, monkeypatch):
    from dokvault.core.caches import reset_caches

    with GoogleFake(tmp_path / "google") as fake:
        for name, value in {
            "GOOGLE_CLIENT_ID": CLIENT_ID,
            "GOOGLE_CLIENT_SECRET": CLIENT_SECRET,
            "GOOGLE_AUTH_URI": f"{fake.url}/o/oauth2/auth",
            "GOOGLE_TOKEN_URI": f"{fake.url}/token",
            "GOOGLE_REVOKE_URI": f"{fake.url}/revoke",
            "GOOGLE_DRIVE_URL": f"{fake.url}/",
            "OUTBOUND_CA_FILE": str(fake.cert),
            "BACKEND_URL": "https://dokvault.example",
        }.items():
            monkeypatch.setenv(name, value)
        reset_caches()
        yield fake


def connect(user, google: GoogleFake) -> int:
    consent = oauth.start(user, "google")
    back = parse_qs(urlsplit(google.authorize(consent)).query)
    return oauth.finish(user, "google", back["code"][0], back["state"][0])


def items(uid: str) -> dict[str, DriveTransferItem]:
    with db.session() as s:
        transfer = s.exec(select(DriveTransfer).where(DriveTransfer.uid == uuid.UUID(uid))).one()
        return {
            i.name: i
            for i in s.exec(
                select(DriveTransferItem).where(DriveTransferItem.transfer_id == transfer.id)
            ).all()
        }


def finish(broker) -> None:
    for _ in range(2):
        broker.join("integrations", fail_fast=True)
        broker.join("documents", fail_fast=True)


def test_connecting_checks_the_state_and_seals_the_tokens(user, other, google):
    consent = oauth.start(user, "google")
    query = parse_qs(urlsplit(consent).query)
    assert query["redirect_uri"] == ["https://dokvault.example/api/cloud/google/callback"]
    assert query["code_challenge_method"] == ["S256"] and query["scope"][0].endswith("/auth/drive.file")
    back = parse_qs(urlsplit(google.authorize(consent)).query)
    code, state = back["code"][0], back["state"][0]
    with pytest.raises(oauth.OAuthRefused):
        oauth.finish(other, "google", code, state)  # another person's state
    with pytest.raises(oauth.OAuthRefused):
        oauth.finish(user, "google", code, state[:-4] + "AAAA")  # tampered
    connection_id = oauth.finish(user, "google", code, state)
    with pytest.raises(oauth.OAuthRefused):
        oauth.finish(user, "google", code, state)  # a state is used once
    with db.session() as s:
        row = s.get(DriveConnection, connection_id)
    assert row.label == "megler@gmail.example" and row.status == "ok"
    secret = credentials.unseal(user.id, "google", row.secret)
    assert secret["access_token"].startswith("ya29.") and secret["refresh_token"].startswith("1//")
    assert secret["access_token"] not in row.secret and secret["refresh_token"] not in row.secret


def test_browsing_follows_page_tokens(user, google):
    folder = google.add_folder("Oppdrag Storgata")
    for i in range(5):
        google.add_file(f"Dokument {i}.txt", f"tekst {i}".encode(), folder)
    connection_id = connect(user, google)
    assert [e.name for e in drives.browse(user, connection_id, None).entries] == ["Oppdrag Storgata"]
    names, token = [], None
    while True:
        page = drives.browse(user, connection_id, folder, token)
        names += [e.name for e in page.entries]
        if not (token := page.next_token):
            break
    assert names == [f"Dokument {i}.txt" for i in range(5)]


def test_import_downloads_in_ranges_and_export_uploads_multipart_and_resumable(user, google, stub_worker):
    folder = google.add_folder("Import")
    small = google.add_file("Kjøpekontrakt.txt", "Kjøpekontrakt med kjøpesum kr 3 000 000.".encode(), folder)
    big = google.add_file("Stor.txt", b"Linje med tekst.\n" * (BIG // 17), folder)
    connection_id = connect(user, google)
    uid = drives.import_folder(user, connection_id, folder, "Import")
    finish(stub_worker)
    result = items(uid)
    assert {n: r.status for n, r in result.items()} == {"Kjøpekontrakt.txt": "done", "Stor.txt": "done"}
    assert result["Stor.txt"].bytes_done == len(google.files[big].data)
    assert documents.search_documents(user, "kjøpesum")[1] == 1
    assert google.files[small].data  # untouched

    target = google.add_folder("Eksport")
    google.add_file("Notat.txt", b"already there", target)
    notat = documents.ingest_stream(user.id, "Notat.txt", [b"et notat"])
    large = documents.ingest_stream(user.id, "Stor eksport.txt", [b"x" * BIG])
    uid = drives.export_documents(user, connection_id, target, "Eksport", [str(notat.uid), str(large.uid)])
    finish(stub_worker)
    result = items(uid)
    assert result["Notat.txt"].target_name == "Notat (2).txt"
    written = {f.name: f for f in google.children(target)}
    assert written["Notat (2).txt"].data == b"et notat" and len(written["Stor eksport.txt"].data) == BIG
    paths = [p for _, p in google.requests]
    assert paths.count("/upload/drive/v3/files") >= 3  # one multipart; a resumable start and its chunks


def test_an_expired_access_token_is_refreshed_and_sealed_again(user, google):
    connection_id = connect(user, google)
    with db.session() as s:
        before = s.get(DriveConnection, connection_id).secret
    google.expire_access_tokens()
    drives.browse(user, connection_id, None)
    with db.session() as s:
        row = s.get(DriveConnection, connection_id)
    assert row.secret != before and row.status == "ok"
    assert (
        credentials.unseal(user.id, "google", row.secret)["access_token"]
        != credentials.unseal(user.id, "google", before)["access_token"]
    )


def test_a_revoked_token_asks_to_reconnect(user, google):
    connection_id = connect(user, google)
    google.revoke_all()
    with pytest.raises(DriveError) as caught:
        drives.browse(user, connection_id, None)
    assert caught.value.code == "error.drive_reconnect"
    assert drives.list_connections(user)[0].status == "reconnect"


def test_rate_limits_are_retried_then_reported(user, google):
    connection_id = connect(user, google)
    google.rate_limit_next(1)
    assert drives.browse(user, connection_id, None).entries == []  # the client's retry got through
    google.rate_limit_next(10)
    with pytest.raises(DriveError) as caught:
        drives.browse(user, connection_id, None)
    assert caught.value.code == "error.drive_rate_limited" and caught.value.retry


def test_native_documents_are_read_as_pdf_and_removal_revokes(user, google):
    doc = google.add_file("Referat", b"", mime="application/vnd.google-apps.document")
    connection_id = connect(user, google)
    (entry,) = drives.browse(user, connection_id, None).entries
    assert entry.name == "Referat.pdf"
    with db.session() as s:
        row = s.get(DriveConnection, connection_id)
    drive = connections.open_drive(row)
    assert b"".join(drive.read(doc)).startswith(b"%PDF")
    drive.close()
    drives.remove_connection(user, connection_id)
    assert ("POST", "/revoke") in google.requests
    assert drives.list_connections(user) == []


def test_the_oauth_routes_go_round_trip_for_the_signed_in_person_only(admin, google):
    """/start sends the person to consent; the provider's redirect to /callback (which a
    browser makes without the SameSite=Strict cookie) continues same-site to /finish, where
    the person is known again, the state checked and the drive connected."""
    from html import unescape

    from starlette.testclient import TestClient

    from dokvault.api.routes import api

    host = "http://localhost:3000"
    client = TestClient(api, base_url=host, follow_redirects=False)
    assert client.get("/api/cloud/google/start").headers["location"].startswith("/login")
    client.post("/api/auth/login", data={"email": "admin@example.no", "password": "correct horse battery"},
                headers={"origin": host})
    consent = client.get("/api/cloud/google/start").headers["location"]
    assert consent.startswith(f"{google.url}/o/oauth2/auth?")
    back = urlsplit(google.authorize(consent))
    cookies = dict(client.cookies)
    client.cookies.clear()  # the provider's redirect: no SameSite=Strict cookie comes along
    hop = client.get(f"{back.path}?{back.query}")
    assert hop.status_code == 200 and "set-cookie" not in hop.headers
    finish_url = unescape(hop.text.split('url=', 1)[1].split('"', 1)[0])
    assert finish_url.startswith("/api/cloud/google/finish?")
    assert client.get(finish_url).headers["location"].startswith("/login")  # not signed in: nothing
    client.cookies.update(cookies)
    done = client.get(finish_url)
    assert done.headers["location"] == "/drives?connected=google"
    with db.session() as s:
        (row,) = s.exec(select(DriveConnection)).all()
    assert row.kind == "google" and row.label == "megler@gmail.example"
    assert client.get(finish_url).headers["location"].startswith("/drives?error=")  # a state works once
