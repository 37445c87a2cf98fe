"""OneDrive through msal and Graph against local Entra + OneDrive fakes over TLS: connecting
(consent with PKCE, a checked state), browsing by @odata.nextLink, importing through the
302 to a download URL, exporting in upload-session chunks of 10 MiB (a multiple of 320 KiB)
with no token on the upload URL, an interrupted upload resumed from nextExpectedRanges, a name
taken at commit (409), a throttled call (429 + Retry-After), an expired token refreshed and
sealed again, a revoked one asking to reconnect."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.drives.onedrive import CHUNK
from dokvault.drives.types import DriveError
from dokvault.models import DriveConnection, DriveTransfer, DriveTransferItem, Role
from dokvault.services import documents, drives
from dokvault.services.auth import accounts
from dokvault.services.drives import connections, credentials, oauth
from tests.fakes.microsoft import MicrosoftFake
from tests.fakes.onedrive import OneDriveGraph

SIZE = 2 * CHUNK + 70_001  # three chunks, the last not a multiple of 320 KiB


@pytest.fixture
def user(embedded):
    with db.session() as s:
        return accounts.create_user(s, "megler@example.no", "megler passord 2024", Role.BROKER)


@pytest.fixture
def ms(tmp_path, clean_env, monkeypatch):
    from dokvault.core.caches import reset_caches

    with MicrosoftFake(tmp_path / "ms") as fake:
        fake.graph = fake.add(OneDriveGraph())
        # The hosts Teams and mail use too (MICROSOFT_LOGIN_URL, MICROSOFT_GRAPH_URL), allowed
        # as the operator's; the fake's CA trusted as OUTBOUND_CA_FILE.
        for name, value in {**fake.settings(), **fake.onedrive(),
                            "BACKEND_URL": "https://dokvault.example"}.items():
            monkeypatch.setenv(name, value)
        # The machine's CA bundle variable must not decide what msal trusts: the guarded
        # session reads no environment.
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/ca.pem")
        reset_caches()
        yield fake


def connect(user, ms: MicrosoftFake) -> int:
    back = parse_qs(urlsplit(ms.entra.authorize(oauth.start(user, "onedrive"))).query)
    return oauth.finish(user, "onedrive", back["code"][0], back["state"][0])


def items(uid: str) -> dict[str, DriveTransferItem]:
    with db.session() as s:
        transfer = s.exec(select(DriveTransfer).where(DriveTransfer.uid == uuid.UUID(uid))).one()
        return {i.name: i for i in s.exec(select(DriveTransferItem)
                                          .where(DriveTransferItem.transfer_id == transfer.id)).all()}


def finish(broker) -> None:
    for _ in range(2):
        broker.join("integrations", fail_fast=True)
        broker.join("documents", fail_fast=True)


def open_drive(connection_id: int):
    with db.session() as s:
        return connections.open_drive(s.get(DriveConnection, connection_id))


def test_connecting_with_pkce_and_a_checked_state_seals_the_tokens(user, ms):
    consent = oauth.start(user, "onedrive")
    query = parse_qs(urlsplit(consent).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == ["https://dokvault.example/api/cloud/onedrive/callback"]
    back = parse_qs(urlsplit(ms.entra.authorize(consent)).query)
    with pytest.raises(oauth.OAuthRefused):
        oauth.finish(user, "onedrive", back["code"][0], oauth._seal_state(user, "google", "x"))
    connection_id = oauth.finish(user, "onedrive", back["code"][0], back["state"][0])
    with db.session() as s:
        row = s.get(DriveConnection, connection_id)
    assert row.label == "megler@kontor.example"
    secret = credentials.unseal(user.id, "onedrive", row.secret)
    assert secret["access_token"] and secret["refresh_token"] and secret["expires_at"] > 0
    assert secret["refresh_token"] not in row.secret


def test_browse_import_and_export_in_upload_session_chunks(user, ms, stub_worker):
    folder = ms.graph.add("Oppdrag", folder=True)
    for i in range(3):
        ms.graph.add(f"Salgsoppgave {i}.txt", f"Salgsoppgave nummer {i} med prisantydning.".encode(), folder)
    connection_id = connect(user, ms)
    names, token = [], None
    while True:
        page = drives.browse(user, connection_id, folder, token)
        names += [e.name for e in page.entries]
        if not (token := page.next_token):
            break
    assert names == [f"Salgsoppgave {i}.txt" for i in range(3)]
    uid = drives.import_folder(user, connection_id, folder, "Oppdrag")
    finish(stub_worker)
    assert {r.status for r in items(uid).values()} == {"done"}
    assert documents.search_documents(user, "prisantydning")[1] == 3

    target = ms.graph.add("Eksport", folder=True)
    ms.graph.add("Stor fil.txt", b"already there", target)
    big = documents.ingest_stream(user.id, "Stor fil.txt", [b"y" * SIZE])
    uid = drives.export_documents(user, connection_id, target, "Eksport", [str(big.uid)])
    finish(stub_worker)
    assert items(uid)["Stor fil.txt"].target_name == "Stor fil (2).txt"
    written = {i.name: i for i in ms.graph.children(target)}
    assert len(written["Stor fil (2).txt"].data) == SIZE
    assert [length for _, length in ms.graph.chunks] == [CHUNK, CHUNK, SIZE - 2 * CHUNK]
    assert CHUNK % (320 * 1024) == 0 and ms.graph.violations == []


def test_an_interrupted_upload_resumes_from_next_expected_ranges(user, ms):
    connection_id = connect(user, ms)
    drive = open_drive(connection_id)
    ms.graph.interrupt_next_chunk()  # the first chunk arrives, its answer never does
    import io

    entry = drive.write("root", "Avbrutt.bin", io.BytesIO(b"z" * SIZE), SIZE)
    drive.close()
    assert ms.graph.items[entry.id].data == b"z" * SIZE
    starts = [start for start, _ in ms.graph.chunks]
    assert starts == [0, CHUNK, 2 * CHUNK]  # nothing sent twice: resumed where the session stood


def test_a_name_taken_at_commit_and_a_throttled_call(user, ms):
    import io

    connection_id = connect(user, ms)
    ms.graph.add("Kontrakt.txt", b"first")
    drive = open_drive(connection_id)
    with pytest.raises(DriveError) as caught:
        drive.write("root", "Kontrakt.txt", io.BytesIO(b"second"), 6)
    assert caught.value.code == "error.drive_name_taken"
    ms.inject("", 429, code="activityLimitReached", retry_after="1")
    assert [e.name for e in drive.list("root").entries] == ["Kontrakt.txt"]  # waited, then answered
    for _ in range(3):
        ms.inject("", 429, code="activityLimitReached", retry_after="0")
    with pytest.raises(DriveError) as caught:
        drive.list("root")
    assert caught.value.code == "error.drive_rate_limited"
    ms.inject("", 507, code="quotaLimitReached")  # the drive is full
    with pytest.raises(DriveError) as caught:
        drive.write("root", "Ny.txt", io.BytesIO(b"tekst"), 5)
    assert caught.value.code == "error.drive_quota"
    assert drive.legal_name('Rapport: "mai" <utkast>?.txt') == "Rapport_ _mai_ _utkast__.txt"
    drive.close()


def test_an_expired_token_is_refreshed_and_a_revoked_one_asks_to_reconnect(user, ms):
    connection_id = connect(user, ms)
    with db.session() as s:
        before = s.get(DriveConnection, connection_id).secret
    ms.entra.expire_access_tokens()
    assert drives.browse(user, connection_id, None).entries == []
    with db.session() as s:
        after = s.get(DriveConnection, connection_id).secret
    assert after != before
    assert credentials.unseal(user.id, "onedrive", after)["access_token"] != \
        credentials.unseal(user.id, "onedrive", before)["access_token"]
    ms.entra.revoke_all()
    with pytest.raises(DriveError) as caught:
        drives.browse(user, connection_id, None)
    assert caught.value.code == "error.drive_reconnect"
    assert drives.list_connections(user)[0].status == "reconnect"
