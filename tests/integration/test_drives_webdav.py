"""Cloud drives against a real WebDAV server (WsgiDAV): connecting with Basic and Digest,
credentials sealed at rest, browsing non-ASCII folders page by page, importing a folder
through the documents' intake into search, a drive that goes away mid-import, exports with
clashing and illegal names (and to a Digest server, a few files at once), folders kept in
sync (never the same version twice), the server that answers PROPFIND only at its root, and
the organisation's network share."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import threading
import uuid
from pathlib import Path

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.core import net
from dokvault.drives.types import DriveError
from dokvault.models import Document, DriveConnection, DriveTransfer, DriveTransferItem, Role
from dokvault.services import documents, drives
from dokvault.services.auth import accounts
from dokvault.services.drives import connections, credentials
from tests.webdav_server import PASSWORD, USER, DavServer

CONTRACT = "Kjøpekontrakt for eiendommen i Storgata 5. Kjøpesum kr 4 500 000. Overtakelse 1.3.2027."


def tree(root: Path) -> Path:
    folder = root / "Kontrakter æøå"
    (folder / "Under mappe").mkdir(parents=True)
    (folder / "Kjøpekontrakt Storgata 5.txt").write_text(CONTRACT)
    (folder / "Takst Bjørkeveien.txt").write_text("Takst for Bjørkeveien 12: verdi kr 3 200 000.")
    (folder / "Under mappe" / "Notat #1 50%.md").write_text("# Notat\n\nVisning på lørdag.")
    (folder / "program.exe").write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    (root / "Løs fil.txt").write_text("En løs fil i roten.")
    return folder


@pytest.fixture
def user(embedded):
    with db.session() as s:
        return accounts.create_user(s, "megler@example.no", "megler passord 2024", Role.BROKER)


@pytest.fixture
def dav_root(tmp_path) -> Path:
    root = tmp_path / "dav"
    tree(root)
    return root


@pytest.fixture
def dav(dav_root, allow_outbound):
    with DavServer(dav_root, auth="basic") as server:
        allow_outbound(server.host)
        yield server


def finish(broker) -> None:
    """Every job done: transfers, then the reading of what they brought in."""
    for _ in range(3):
        broker.join("integrations", fail_fast=True)
        broker.join("documents", fail_fast=True)


def connect(user, dav: DavServer, kind: str = "webdav") -> int:
    view = drives.connect_with_password(user, kind, dav.url, USER, PASSWORD)
    return view.id


def items(transfer_uid: str) -> dict[str, DriveTransferItem]:
    with db.session() as s:
        transfer = s.exec(select(DriveTransfer).where(DriveTransfer.uid == uuid.UUID(transfer_uid))).one()
        rows = s.exec(select(DriveTransferItem).where(DriveTransferItem.transfer_id == transfer.id)).all()
    return {r.name: r for r in rows}


def test_connecting_seals_the_password_and_browses_non_ascii_folders_page_by_page(user, dav):
    connection_id = connect(user, dav)
    with db.session() as s:
        row = s.get(DriveConnection, connection_id)
    assert PASSWORD not in row.secret and PASSWORD.encode().hex() not in row.secret
    assert row.options["auth"] == "basic"
    root = drives.browse(user, connection_id, None)
    assert [(e.name, e.is_folder) for e in root.entries] == [("Kontrakter æøå", True), ("Løs fil.txt", False)]
    folder = drives.browse(user, connection_id, "/Kontrakter æøå/")
    assert [e.name for e in folder.entries] == ["Under mappe", "Kjøpekontrakt Storgata 5.txt",
                                                "program.exe", "Takst Bjørkeveien.txt"]
    first = drives.actions.browse(user, connection_id, "/Kontrakter æøå/", None)
    paged = connections.open_drive(row).list("/Kontrakter æøå/", None, page_size=3)
    assert len(paged.entries) == 3 and paged.next_token == "3"
    rest = connections.open_drive(row).list("/Kontrakter æøå/", paged.next_token, page_size=3)
    assert [e.name for e in rest.entries] == ["Takst Bjørkeveien.txt"] and rest.next_token is None
    assert first.entries[1].version  # an ETag: what sync compares


def test_digest_is_found_and_a_wrong_password_is_refused_clearly(user, dav_root, allow_outbound):
    with DavServer(dav_root, auth="digest") as dav:
        allow_outbound(dav.host)
        connection_id = connect(user, dav)
        with db.session() as s:
            assert s.get(DriveConnection, connection_id).options["auth"] == "digest"
        assert drives.test_connection(user, connection_id) == ""
        with pytest.raises(DriveError) as caught:
            drives.connect_with_password(user, "webdav", dav.url, USER, "feil passord")
        assert caught.value.code == "error.drive_reconnect"


def test_a_stored_credential_cannot_be_read_without_cloud_creds_key(user, dav, monkeypatch):
    from dokvault.core.caches import reset_caches

    monkeypatch.setenv("CLOUD_CREDS_KEY", secrets.token_hex(32))
    reset_caches()
    connection_id = connect(user, dav)
    with db.session() as s:
        row = s.get(DriveConnection, connection_id)
    assert credentials.unseal(user.id, row.kind, row.secret) == {"password": PASSWORD}
    # The database alone: another key (or the generated one) opens nothing.
    monkeypatch.setenv("CLOUD_CREDS_KEY", secrets.token_hex(32))
    reset_caches()
    assert credentials.unseal(user.id, row.kind, row.secret) is None
    assert drives.test_connection(user, connection_id) == "error.drive_reconnect"
    with db.session() as s:
        assert s.get(DriveConnection, connection_id).status == "reconnect"
    # Copied to another user's row, the sealed value does not open under their key either.
    monkeypatch.delenv("CLOUD_CREDS_KEY")
    reset_caches()
    assert credentials.unseal(user.id + 1, row.kind, row.secret) is None
    # Production without CLOUD_CREDS_KEY: no connection can be made.
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    reset_caches()
    assert not credentials.available()


def test_a_folder_is_imported_through_the_intake_and_found_by_search(user, dav, stub_worker):
    connection_id = connect(user, dav)
    uid = drives.import_folder(user, connection_id, "/Kontrakter æøå/", "Kontrakter æøå")
    finish(stub_worker)
    result = items(uid)
    assert {n: r.status for n, r in result.items()} == {
        "Kjøpekontrakt Storgata 5.txt": "done", "Takst Bjørkeveien.txt": "done",
        "Notat #1 50%.md": "done", "program.exe": "failed"}
    assert result["program.exe"].error_code == "error.unsupported_type"
    rows, total = documents.search_documents(user, "Storgata kjøpesum")
    assert total == 1 and rows[0].name == "Kjøpekontrakt Storgata 5.txt"
    with db.session() as s:
        doc = s.get(Document, result["Notat #1 50%.md"].document_id)
    assert doc.status == "ready" and doc.owner_id == user.id
    # The same files again: nothing new is made (each version came in once).
    again = drives.import_folder(user, connection_id, "/Kontrakter æøå/", "Kontrakter æøå")
    finish(stub_worker)
    assert {r.status for n, r in items(again).items() if n != "program.exe"} == {"skipped"}
    with db.session() as s:
        assert len(s.exec(select(Document).where(Document.owner_id == user.id)).all()) == 3


def test_a_file_that_goes_away_mid_import_is_listed_and_retried_while_the_rest_come_in(
        user, dav, dav_root, stub_worker):
    connection_id = connect(user, dav)
    page = drives.browse(user, connection_id, "/Kontrakter æøå/")
    chosen = [e for e in page.entries if e.name.endswith(".txt")]
    gone = dav_root / "Kontrakter æøå" / "Takst Bjørkeveien.txt"
    kept = gone.read_bytes()
    gone.unlink()  # listed, then gone before the worker fetches it
    uid = drives.import_files(user, connection_id, chosen, "Kontrakter æøå")
    finish(stub_worker)
    result = items(uid)
    assert result["Kjøpekontrakt Storgata 5.txt"].status == "done"
    assert (result["Takst Bjørkeveien.txt"].status, result["Takst Bjørkeveien.txt"].error_code) == \
        ("failed", "error.drive_not_found")
    gone.write_bytes(kept)
    assert drives.retry_failed(user, uid) == 1
    finish(stub_worker)
    assert items(uid)["Takst Bjørkeveien.txt"].status == "done"


def test_a_drive_that_goes_down_fails_the_rest_with_a_reason_and_comes_back(user, dav, stub_worker):
    connection_id = connect(user, dav)
    page = drives.browse(user, connection_id, "/Kontrakter æøå/")
    files = [e for e in page.entries if e.name.endswith(".txt")]
    dav.go_down()
    uid = drives.import_files(user, connection_id, files)
    finish(stub_worker)
    assert {r.error_code for r in items(uid).values()} == {"error.drive_unreachable"}
    with db.session() as s:
        assert s.get(DriveConnection, connection_id).status == "error"
    dav.come_back()
    drives.retry_failed(user, uid)
    finish(stub_worker)
    assert sorted(r.status for r in items(uid).values()) == ["done", "done"]


def test_export_numbers_clashing_names_and_replaces_illegal_characters(user, dav, dav_root, stub_worker):
    connection_id = connect(user, dav)
    (dav_root / "Eksport").mkdir()
    (dav_root / "Eksport" / "Kontrakt.txt").write_text("already there")
    stored = [documents.ingest_stream(user.id, name, [text.encode()]) for name, text in
              (("Kontrakt.txt", "første"), ("Rapport: mai?.txt", "andre"))]
    uid = drives.export_documents(user, connection_id, "/Eksport/", "Eksport", [str(d.uid) for d in stored])
    finish(stub_worker)
    result = items(uid)
    assert result["Kontrakt.txt"].target_name == "Kontrakt (2).txt"
    assert result["Rapport: mai?.txt"].target_name == "Rapport_ mai_.txt"
    assert (dav_root / "Eksport" / "Kontrakt (2).txt").read_text() == "første"
    assert (dav_root / "Eksport" / "Kontrakt.txt").read_text() == "already there"
    assert (dav_root / "Eksport" / "Rapport_ mai_.txt").read_text() == "andre"


def test_an_export_writes_files_at_once_and_never_two_under_one_name(user, dav, dav_root, stub_worker,
                                                                     monkeypatch):
    from dokvault.drives.webdav import WebDAVDrive

    connection_id = connect(user, dav)
    (dav_root / "Samme navn").mkdir()
    stored = [documents.ingest_stream(user.id, "Kontrakt.txt", [f"versjon {i}".encode()]) for i in range(6)]
    together = threading.Barrier(2, timeout=10)  # the first two writes meet: they run at once
    real_write = WebDAVDrive.write

    def write(drive, *args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            together.wait()
        return real_write(drive, *args, **kwargs)

    monkeypatch.setattr(WebDAVDrive, "write", write)
    uid = drives.export_documents(user, connection_id, "/Samme navn/", "Samme navn",
                                  [str(d.uid) for d in stored])
    finish(stub_worker)
    assert not together.broken
    with db.session() as s:
        transfer_id = s.exec(select(DriveTransfer.id).where(DriveTransfer.uid == uuid.UUID(uid))).one()
        written = {r.document_id: r.target_name for r in s.exec(select(DriveTransferItem).where(
            DriveTransferItem.transfer_id == transfer_id, DriveTransferItem.status == "done")).all()}
    assert sorted(written.values()) == ["Kontrakt (2).txt", "Kontrakt (3).txt", "Kontrakt (4).txt",
                                        "Kontrakt (5).txt", "Kontrakt (6).txt", "Kontrakt.txt"]
    for i, document in enumerate(stored):
        assert (dav_root / "Samme navn" / written[document.id]).read_text() == f"versjon {i}"


def test_an_export_to_a_digest_server_writes_each_file_from_the_threads_it_uses(
        user, dav_root, allow_outbound, stub_worker):
    # Each thread's first request goes without the Digest challenge (requests keeps it per
    # thread): its 401 must not come on a PUT, whose body would be sent again from its end.
    with DavServer(dav_root, auth="digest") as dav:
        allow_outbound(dav.host)
        connection_id = connect(user, dav)
        (dav_root / "Til digest").mkdir()
        stored = [documents.ingest_stream(user.id, f"Notat {n} æøå.txt", [f"notat {n}".encode()])
                  for n in range(5)]
        uid = drives.export_documents(user, connection_id, "/Til digest/", "Til digest",
                                      [str(d.uid) for d in stored])
        finish(stub_worker)
    assert {name: row.status for name, row in items(uid).items()} == {
        f"Notat {n} æøå.txt": "done" for n in range(5)}
    for n in range(5):
        assert (dav_root / "Til digest" / f"Notat {n} æøå.txt").read_text() == f"notat {n}"


def test_a_folder_in_sync_brings_each_new_or_changed_version_once(user, dav, dav_root, stub_worker):
    connection_id = connect(user, dav)
    sync_id = drives.keep_in_sync(user, connection_id, "/Kontrakter æøå/Under mappe/", "Under mappe")
    assert drives.keep_in_sync(user, connection_id, "/Kontrakter æøå/Under mappe/", "Under mappe") == sync_id
    finish(stub_worker)

    def count() -> int:
        with db.session() as s:
            return len(s.exec(select(Document).where(Document.owner_id == user.id)).all())

    assert count() == 1
    assert drives.sync_folder(sync_id) == 0  # nothing new: nothing fetched again
    (dav_root / "Kontrakter æøå" / "Under mappe" / "Ny.txt").write_text("Ny fil med ordet fuglekasse.")
    assert drives.sync_folder(sync_id) == 1
    finish(stub_worker)
    assert drives.sync_folder(sync_id) == 0
    finish(stub_worker)
    assert count() == 2
    (dav_root / "Kontrakter æøå" / "Under mappe" / "Ny.txt").write_text("Endret fil med ordet fuglebrett.")
    assert drives.sync_folder(sync_id) == 1
    finish(stub_worker)
    assert count() == 3
    assert documents.search_documents(user, "fuglebrett")[1] == 1


def test_a_server_that_answers_propfind_only_at_its_root(user, dav_root, allow_outbound, stub_worker):
    with DavServer(dav_root, auth="digest", root_only=True) as dav:
        allow_outbound(dav.host)
        connection_id = connect(user, dav)
        folder = drives.browse(user, connection_id, "/Kontrakter æøå/Under mappe/")
        assert [e.name for e in folder.entries] == ["Notat #1 50%.md"]
        with db.session() as s:
            assert s.get(DriveConnection, connection_id).options["root_only"] is True
        uid = drives.import_folder(user, connection_id, "/Kontrakter æøå/", "Kontrakter æøå")
        finish(stub_worker)
        assert sorted(r.status for r in items(uid).values()) == ["done", "done", "done", "failed"]


def test_the_network_share_is_everyones_to_browse_and_import_and_off_unconfigured(
        user, dav_root, allow_outbound, monkeypatch, stub_worker):
    from dokvault.core.caches import reset_caches

    assert not any(c.shared for c in drives.list_connections(user))
    with DavServer(dav_root, auth="digest", user="kontor", password="delt-passord") as dav:
        # The operator configures the share; its host needs no allow-list entry of its own.
        monkeypatch.setenv("WEBDAV_URL", dav.url)
        monkeypatch.setenv("WEBDAV_USERNAME", "kontor")
        monkeypatch.setenv("WEBDAV_PASSWORD", "delt-passord")
        reset_caches()
        share = next(c for c in drives.list_connections(user) if c.shared)
        assert [e.name for e in drives.browse(user, share.id, None).entries][0] == "Kontrakter æøå"
        uid = drives.import_files(user, share.id, drives.browse(user, share.id, None).entries)
        finish(stub_worker)
        assert [r.status for r in items(uid).values()] == ["done"]
        with db.session() as s:
            assert s.get(DriveConnection, share.id).options["auth"] == "digest"  # found at first use
        with pytest.raises(drives.connections.Forbidden):
            drives.remove_connection(user, share.id)
        with pytest.raises(drives.connections.Forbidden):
            drives.export_documents(user, share.id, "/", "", [])


def test_a_typed_address_to_an_internal_host_is_refused(user, dav):
    os.environ.pop("OUTBOUND_ALLOWED_HOSTS", None)
    from dokvault.core.caches import reset_caches

    reset_caches()
    for url in ("http://127.0.0.1:8080/dav/", "https://[::1]/", "https://169.254.169.254/",
                "https://10.0.0.1/", "file:///etc/passwd", "gopher://example.com/"):
        with pytest.raises((net.OutboundRefused, drives.DriveInputError)):
            drives.connect_with_password(user, "webdav", url, USER, PASSWORD)
    with db.session() as s:
        assert s.exec(select(DriveConnection)).all() == []


def test_removing_a_connection_forgets_it(user, dav):
    connection_id = connect(user, dav)
    drives.remove_connection(user, connection_id)
    assert drives.list_connections(user) == []
    shutil.rmtree(dav.root / "Kontrakter æøå")


def test_another_person_can_use_nothing_of_a_connection_or_its_transfers(user, dav, stub_worker):
    from dokvault.core import audit

    with db.session() as s:
        other = accounts.create_user(s, "annen@example.no", "annen megler 2024!", Role.BROKER)
    connection_id = connect(user, dav)
    uid = drives.import_folder(user, connection_id, "/Kontrakter æøå/", "Kontrakter æøå")
    finish(stub_worker)
    sync_id = drives.keep_in_sync(user, connection_id, "/Kontrakter æøå/", "Kontrakter æøå")
    mine = documents.ingest_stream(user.id, "Privat.txt", [b"privat innhold"])
    refused = drives.connections.Forbidden
    for attempt in (lambda: drives.browse(other, connection_id, None),
                    lambda: drives.import_folder(other, connection_id, "/", "/"),
                    lambda: drives.test_connection(other, connection_id),
                    lambda: drives.remove_connection(other, connection_id),
                    lambda: drives.keep_in_sync(other, connection_id, "/", "/"),
                    lambda: drives.retry_failed(other, uid),
                    lambda: drives.actions.cancel(other, uid),
                    lambda: drives.sync_now(other, sync_id),
                    lambda: drives.stop_sync(other, sync_id)):
        with pytest.raises(refused):
            attempt()
    assert drives.recent_transfers(other) == [] and drives.list_syncs(other) == []
    # Their own drive cannot carry off a document they may not read.
    theirs = drives.connect_with_password(other, "webdav", dav.url, USER, PASSWORD).id
    with pytest.raises(refused):
        drives.export_documents(other, theirs, "/", "/", [str(mine.uid)])
    assert drives.actions.exportable(other, [str(mine.uid), "not-a-uid"]) == []  # the dialog counts 0
    assert [d.id for d in drives.actions.exportable(user, [str(mine.uid)])] == [mine.id]
    with pytest.raises(refused):
        drives.actions.transfer_view(other, uid)  # the export dialog's progress: theirs only
    assert drives.actions.transfer_view(user, uid).uid == uid
    events, total = audit.search_events(kind="drive.refused")
    assert total >= 5 and {e.actor_id for e in events} == {other.id}


def test_nextcloud_is_reached_at_its_dav_files_path(user, tmp_path, allow_outbound, stub_worker):
    root = tmp_path / "nextcloud"
    home = root / "remote.php" / "dav" / "files" / USER
    (home / "Oppdrag Åsveien").mkdir(parents=True)
    (home / "Oppdrag Åsveien" / "Salgsoppgave.txt").write_text("Salgsoppgave, Åsveien 3, prisantydning.")
    with DavServer(root, auth="basic") as dav:
        allow_outbound(dav.host)
        view = drives.connect_with_password(user, "nextcloud", dav.url.rstrip("/"), USER, PASSWORD)
        with db.session() as s:
            row = s.get(DriveConnection, view.id)
        assert row.server_url == f"{dav.url}remote.php/dav/files/{USER}/"
        assert [e.name for e in drives.browse(user, view.id, None).entries] == ["Oppdrag Åsveien"]
        uid = drives.import_folder(user, view.id, "/Oppdrag Åsveien/", "Oppdrag Åsveien")
        finish(stub_worker)
        assert [r.status for r in items(uid).values()] == ["done"]
        assert documents.search_documents(user, "prisantydning Åsveien")[1] == 1


def stranded(user, connection_id: int, direction: str, entries: list[tuple], *, heartbeat_age_s: int = 5,
             folder_id: str = "") -> int:
    """A transfer as a process that died mid-way leaves it in the database: running, its
    heartbeat `heartbeat_age_s` old, its files in the states given, and its message gone
    with the process. Entries: (name, remote id, status, document id, target name)."""
    from datetime import timedelta

    from dokvault.models.base import utcnow

    with db.session() as s:
        transfer = DriveTransfer(owner_id=user.id, connection_id=connection_id, direction=direction,
                                 folder_id=folder_id, status="running",
                                 heartbeat_at=utcnow() - timedelta(seconds=heartbeat_age_s))
        s.add(transfer)
        s.flush()
        for name, remote_id, status, document_id, target in entries:
            s.add(DriveTransferItem(transfer_id=transfer.id, name=name, remote_id=remote_id, status=status,
                                    document_id=document_id, target_name=target,
                                    version="v1" if direction == "import" else ""))
        s.commit()
        return transfer.id


def test_a_transfer_stranded_by_a_restart_is_sent_again_and_finishes_without_importing_twice(
        user, dav, stub_worker):
    from dokvault.services.drives import rows, transfers

    connection_id = connect(user, dav)
    folder = "/Kontrakter æøå/"
    listed = {e.name: e for e in drives.browse(user, connection_id, folder).entries}
    # The dead worker had imported the contract (its document and its row committed together)
    # and was reading the valuation when the process stopped.
    contract = listed["Kjøpekontrakt Storgata 5.txt"]
    done_doc = documents.ingest_stream(user.id, contract.name, [CONTRACT.encode()])
    transfer_id = stranded(user, connection_id, "import", [
        (contract.name, contract.id, "done", done_doc.id, None),
        ("Takst Bjørkeveien.txt", listed["Takst Bjørkeveien.txt"].id, "running", None, None),
    ])
    finish(stub_worker)
    assert transfers.requeue_stale() == 0  # its heartbeat is fresh: the sweep would wait two minutes
    # The app starts again (the embedded default: the workers died with it).
    assert drives.requeue_at_start(workers_died=True) == 1
    finish(stub_worker)
    with db.session() as s:
        transfer = s.get(DriveTransfer, transfer_id)
        rows_ = s.exec(select(DriveTransferItem).where(DriveTransferItem.transfer_id == transfer_id)).all()
        names = sorted(d.name for d in s.exec(select(Document).where(Document.owner_id == user.id)).all())
    assert transfer.status == "done" and {r.status for r in rows_} == {"done"}
    assert names == ["Kjøpekontrakt Storgata 5.txt", "Takst Bjørkeveien.txt"]  # the contract once
    # Another restart, and a message delivered twice: nothing is sent, nothing comes in again.
    assert drives.requeue_at_start(workers_died=True) == 0
    drives.run_transfer(transfer_id)
    finish(stub_worker)
    with db.session() as s:
        assert len(s.exec(select(Document).where(Document.owner_id == user.id)).all()) == 2
    # A transfer is moved by one worker at a time: the second claim is refused.
    other = stranded(user, connection_id, "import", [], heartbeat_age_s=600)
    assert rows.claim(DriveTransfer, other, transfers.STALE)
    assert not rows.claim(DriveTransfer, other, transfers.STALE)


def test_at_a_worker_start_only_transfers_whose_worker_went_silent_are_sent_again(user, dav, stub_worker):
    connection_id = connect(user, dav)
    file_id = drives.browse(user, connection_id, "/").entries[1].id  # Løs fil.txt
    beating = stranded(user, connection_id, "import", [("Løs fil.txt", file_id, "pending", None, None)])
    silent = stranded(user, connection_id, "import", [("Løs fil.txt", file_id, "pending", None, None)],
                      heartbeat_age_s=600)
    # Production: other worker processes may still be moving the one whose heartbeat beats.
    assert drives.requeue_at_start(workers_died=False) == 1
    finish(stub_worker)
    with db.session() as s:
        assert s.get(DriveTransfer, silent).status == "done"
        assert s.get(DriveTransfer, beating).status == "running"
        assert len(s.exec(select(Document).where(Document.owner_id == user.id)).all()) == 1


def test_an_export_stranded_after_its_write_is_not_written_twice(user, dav, dav_root, stub_worker):
    connection_id = connect(user, dav)
    document = documents.ingest_stream(user.id, "Kontrakt.txt", [CONTRACT.encode()])
    (dav_root / "Eksport").mkdir()
    # The dead worker had written the file (the name it chose was recorded first), not its end.
    (dav_root / "Eksport" / "Kontrakt.txt").write_text(CONTRACT)
    transfer_id = stranded(user, connection_id, "export", [
        ("Kontrakt.txt", "", "running", document.id, "Kontrakt.txt")], folder_id="/Eksport/")
    assert drives.requeue_at_start(workers_died=True) == 1
    finish(stub_worker)
    with db.session() as s:
        item = s.exec(select(DriveTransferItem).where(DriveTransferItem.transfer_id == transfer_id)).one()
    assert item.status == "done" and item.target_name == "Kontrakt.txt"
    assert sorted(p.name for p in (dav_root / "Eksport").iterdir()) == ["Kontrakt.txt"]
