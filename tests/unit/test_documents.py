"""Documents through the service layer on the embedded default (SQLite, object folder,
in-process worker): intake checks, processing, duplicates, trash, scoping, listing."""

from __future__ import annotations

import hashlib
import re
import uuid
from pathlib import Path

import pytest
from sqlmodel import func, select

from dokvault import db
from dokvault.core.caches import reset_caches
from dokvault.core.filenames import UploadRefused
from dokvault.models import Document, DocumentText
from dokvault.services import documents
from dokvault.services.auth import accounts
from tests.samples import (
    ENERGIATTEST,
    KJOPEKONTRAKT,
    SALGSOPPGAVE,
    TAKST,
    make_corrupt_pdf,
    make_docx,
    make_html,
    make_pdf,
    make_text,
)
from tests.unit.helpers import files_under, wait_final

UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def key_pattern(document: Document, ext: str) -> re.Pattern[str]:
    return re.compile(rf"^{document.owner_id}/{document.uid}/{UUID4}{re.escape(ext)}$")


def document_count() -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(Document)).one()


def refused(owner_id: int, path: Path, filename: str | None = None) -> str:
    with pytest.raises(UploadRefused) as info:
        documents.ingest_path(owner_id, path, filename)
    return info.value.code


def assert_nothing_stored(data: Path) -> None:
    assert document_count() == 0
    assert files_under(data / "objects") == []
    assert files_under(data / "tmp") == []


def sample(tmp_path: Path, ext: str) -> tuple[Path, str]:
    """A sample file of the given type and a phrase its extracted text must contain."""
    if ext == ".pdf":
        return make_pdf(tmp_path / "s.pdf", [SALGSOPPGAVE, KJOPEKONTRAKT]), "Strandkaien"
    if ext == ".docx":
        path = make_docx(tmp_path / "s.docx", [ENERGIATTEST], [["Energikarakter", "C"]])
        return path, "Energikarakter"
    if ext == ".html":
        return make_html(tmp_path / "s.html", "Verditakst", [TAKST]), "takstmann"
    return make_text(tmp_path / f"s{ext}", f"# Kjøpekontrakt\n\n{KJOPEKONTRAKT}\n"), "klientkonto"


@pytest.mark.parametrize("ext", [".pdf", ".docx", ".txt", ".md", ".html"])
def test_each_format_becomes_ready(admin, embedded, tmp_path, ext):
    path, phrase = sample(tmp_path, ext)
    human_name = f"Salgsoppgave Strandkaien æøå{ext}"
    stored = documents.ingest_path(admin.id, path, human_name)
    assert stored.name == human_name
    assert stored.size == path.stat().st_size
    assert stored.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()

    document = wait_final(stored.id)
    assert document.status == "ready", document.error
    assert document.error is None
    assert phrase in " ".join(documents.document_text(document).split())
    if ext == ".pdf":
        assert document.page_count == 2

    assert key_pattern(document, ext).match(document.object_key), document.object_key
    assert "Salgsoppgave" not in document.object_key
    object_file = embedded / "objects" / document.object_key
    assert object_file.read_bytes() == path.read_bytes()

    assert document.thumbnail_key and key_pattern(document, ".png").match(document.thumbnail_key)
    thumb = embedded / "objects" / document.thumbnail_key
    assert thumb.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    rows, total = documents.list_documents(admin)
    assert total == 1
    assert rows[0].uid == str(document.uid)
    assert rows[0].status == "ready" and rows[0].has_thumbnail and not rows[0].duplicate
    assert files_under(embedded / "tmp") == []


def test_incoming_file_streams_in_chunks(admin, embedded):
    content = (SALGSOPPGAVE + "\n").encode() * 2000
    incoming = documents.IncomingFile(admin.id, "../../hemmelig/salgsoppgave.txt")
    assert incoming.name == "salgsoppgave.txt"
    for start in range(0, len(content), 4096):
        incoming.write(content[start : start + 4096])
    stored = incoming.finish()
    assert stored.size == len(content)
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert not incoming.path.exists()
    assert wait_final(stored.id).status == "ready"
    assert (embedded / "objects" / stored.object_key).read_bytes() == content
    # Nothing escaped the object folder: outside it there are only the database files.
    outside = [p for p in files_under(embedded) if embedded / "objects" not in p.parents]
    assert all(p.parent == embedded and p.name.startswith("dokvault.db") for p in outside)
    assert not any("salgsoppgave" in str(p) for p in files_under(embedded.parent))
    assert files_under(embedded / "tmp") == []


def test_identical_file_is_flagged_as_duplicate(admin, tmp_path):
    path = make_pdf(tmp_path / "takst.pdf", [TAKST])
    first = documents.ingest_path(admin.id, path, "Takst.pdf")
    second = documents.ingest_path(admin.id, path, "Takst kopi.pdf")
    assert second.duplicate_of_id == first.id
    assert first.duplicate_of_id is None
    assert first.object_key != second.object_key  # each upload keeps its own object

    rows = {row.uid: row for row in documents.list_documents(admin)[0]}
    assert rows[str(first.uid)].duplicate is False
    assert rows[str(second.uid)].duplicate is True
    for document in (first, second):
        assert wait_final(document.id).status == "ready"


def test_trashed_original_is_no_duplicate_source(admin, tmp_path):
    path = make_text(tmp_path / "notat.txt", ENERGIATTEST)
    first = documents.ingest_path(admin.id, path)
    documents.trash_document(admin, str(first.uid))
    again = documents.ingest_path(admin.id, path)
    assert again.duplicate_of_id is None


def test_same_file_from_another_user_is_no_duplicate(admin, broker_user, tmp_path):
    path = make_text(tmp_path / "notat.txt", ENERGIATTEST)
    documents.ingest_path(admin.id, path)
    theirs = documents.ingest_path(broker_user.id, path)
    assert theirs.duplicate_of_id is None


def test_empty_file_is_refused_and_nothing_stored(admin, embedded, tmp_path):
    path = tmp_path / "tom.pdf"
    path.write_bytes(b"")
    assert refused(admin.id, path) == "error.empty_file"
    assert_nothing_stored(embedded)


def test_unknown_type_is_refused(admin, embedded, tmp_path):
    path = make_text(tmp_path / "fil", "MZ innhold")
    for name in ("program.exe", "arkiv.rar", "uten-endelse", "bilde.PSD", "kontrakt.pdf.exe"):
        assert refused(admin.id, path, name) == "error.unsupported_type", name
    # Accepted types, but not this content: a program renamed.
    for name in ("arkiv.zip", "bilde.GIF"):
        assert refused(admin.id, path, name) == "error.type_mismatch", name
    assert_nothing_stored(embedded)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"Dette er bare tekst, ikke en PDF.", "kontrakt.pdf"),
        (b"%PDF-1.7 pretending to be Word", "kontrakt.docx"),
    ],
)
def test_renamed_file_is_a_type_mismatch(admin, embedded, tmp_path, content, name):
    path = tmp_path / "fil"
    path.write_bytes(content)
    assert refused(admin.id, path, name) == "error.type_mismatch"
    assert_nothing_stored(embedded)


def test_upper_case_extension_is_accepted(admin, tmp_path):
    path = make_pdf(tmp_path / "x.pdf", [SALGSOPPGAVE])
    document = documents.ingest_path(admin.id, path, "SALGSOPPGAVE.PDF")
    assert document.ext == ".pdf"
    assert document.object_key.endswith(".pdf")
    assert wait_final(document.id).status == "ready"


@pytest.fixture
def one_megabyte_limit(embedded, monkeypatch):
    monkeypatch.setenv("MAX_UPLOAD_MB", "1")
    reset_caches()
    return embedded


def test_too_large_upload_is_refused_while_streaming(admin, one_megabyte_limit):
    data = one_megabyte_limit
    incoming = documents.IncomingFile(admin.id, "stor.txt")
    assert incoming.path.exists()
    chunk = b"x" * (256 * 1024)
    with pytest.raises(UploadRefused) as info:
        for _ in range(8):  # 2 MB
            incoming.write(chunk)
    assert info.value.code == "error.too_large"
    assert incoming.size <= 1024 * 1024 + len(chunk)  # stopped as soon as it was over
    assert not incoming.path.exists()
    assert_nothing_stored(data)


def test_too_large_file_from_disk_is_refused(admin, one_megabyte_limit, tmp_path):
    path = tmp_path / "stor.txt"
    path.write_bytes(b"y" * (2 * 1024 * 1024))
    assert refused(admin.id, path) == "error.too_large"
    assert_nothing_stored(one_megabyte_limit)


def test_file_of_exactly_the_limit_is_accepted(admin, one_megabyte_limit, tmp_path):
    path = tmp_path / "akkurat.txt"
    path.write_bytes((b"Takst og kontrakt for Strandkaien. " * 40_000)[: 1024 * 1024])
    document = documents.ingest_path(admin.id, path)
    assert document.size == 1024 * 1024
    assert wait_final(document.id).status == "ready"


def test_corrupt_pdf_fails_alone(admin, tmp_path):
    good = documents.ingest_path(admin.id, make_pdf(tmp_path / "hel.pdf", [SALGSOPPGAVE]))
    bad = documents.ingest_path(admin.id, make_corrupt_pdf(tmp_path / "ødelagt.pdf"))
    text = documents.ingest_path(admin.id, make_text(tmp_path / "notat.txt", TAKST))

    failed = wait_final(bad.id)
    assert failed.status == "failed"
    assert failed.error == "error.corrupt_pdf"
    assert failed.thumbnail_key is None
    assert wait_final(good.id).status == "ready"
    assert wait_final(text.id).status == "ready"

    rows = {row.uid: row for row in documents.list_documents(admin)[0]}
    assert rows[str(bad.uid)].status == "failed"
    assert rows[str(bad.uid)].error == "error.corrupt_pdf"
    assert documents.pending_count(admin) == 0


def test_corrupt_docx_fails_at_once(without_worker, tmp_path):
    with db.session() as s:
        user = accounts.create_first_admin(s, "admin@example.no", "correct horse battery")
    path = tmp_path / "søppel.docx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 16)
    stored = documents.ingest_path(user.id, path)
    documents.process_document(stored.id)  # as the worker would, once
    with db.session() as s:
        document = s.get(Document, stored.id)
    assert (document.status, document.error) == ("failed", "error.corrupt_docx")


def test_document_deleted_while_processing_leaves_no_objects(without_worker, tmp_path, monkeypatch):
    from dokvault.extract import thumbnail

    with db.session() as s:
        user = accounts.create_first_admin(s, "admin@example.no", "correct horse battery")
    stored = documents.ingest_path(user.id, make_text(tmp_path / "notat.txt", TAKST))
    render = thumbnail.render

    def render_while_user_deletes(*args):
        documents.trash_document(user, str(stored.uid))
        assert documents.delete_forever(user, str(stored.uid))
        return render(*args)

    monkeypatch.setattr(thumbnail, "render", render_while_user_deletes)
    documents.process_document(stored.id)
    assert files_under(without_worker / "objects") == []


def test_processing_a_finished_document_again_changes_nothing(admin, tmp_path):
    stored = documents.ingest_path(admin.id, make_text(tmp_path / "notat.txt", TAKST))
    before = wait_final(stored.id)
    documents.process_document(stored.id)
    documents.process_document(10_000)  # unknown id
    after = wait_final(stored.id)
    assert (after.attempts, after.thumbnail_key, after.processed_at) == (
        before.attempts,
        before.thumbnail_key,
        before.processed_at,
    )
    assert documents.requeue_pending() == 0


def test_trash_and_restore(admin, tmp_path):
    stored = documents.ingest_path(admin.id, make_text(tmp_path / "notat.txt", SALGSOPPGAVE))
    uid = str(stored.uid)
    wait_final(stored.id)

    assert documents.trash_document(admin, uid) is not None
    assert documents.list_documents(admin) == ([], 0)
    trash, total = documents.list_documents(admin, trashed=True)
    assert [row.uid for row in trash] == [uid] and total == 1
    assert documents.search_documents(admin, "Strandkaien") == ([], 0)
    # Still reachable by uid, e.g. for the trash view.
    assert documents.get_document(admin, uid).deleted_at is not None

    assert documents.restore_document(admin, uid) is not None
    assert [row.uid for row in documents.list_documents(admin)[0]] == [uid]
    assert documents.list_documents(admin, trashed=True) == ([], 0)
    assert documents.search_documents(admin, "Strandkaien")[1] == 1


def test_delete_forever_only_from_trash(admin, embedded, tmp_path):
    stored = documents.ingest_path(admin.id, make_pdf(tmp_path / "a.pdf", [SALGSOPPGAVE]))
    document = wait_final(stored.id)
    uid = str(document.uid)
    keys = [document.object_key, document.thumbnail_key]
    assert all((embedded / "objects" / key).is_file() for key in keys)

    assert documents.delete_forever(admin, uid) is False  # not in the trash
    assert documents.get_document(admin, uid) is not None

    documents.trash_document(admin, uid)
    assert documents.delete_forever(admin, uid) is True
    with db.session() as s:
        assert s.get(Document, document.id) is None
        assert s.get(DocumentText, document.id) is None
    assert not any((embedded / "objects" / key).exists() for key in keys)
    assert files_under(embedded / "objects") == []
    assert documents.list_documents(admin, trashed=True) == ([], 0)
    assert documents.delete_forever(admin, uid) is False  # already gone


def test_delete_forever_of_an_original_releases_its_duplicates(admin, tmp_path):
    path = make_text(tmp_path / "notat.txt", KJOPEKONTRAKT)
    original = documents.ingest_path(admin.id, path)
    copy = documents.ingest_path(admin.id, path)
    wait_final(original.id)
    wait_final(copy.id)
    documents.trash_document(admin, str(original.uid))
    assert documents.delete_forever(admin, str(original.uid))
    remaining = documents.get_document(admin, str(copy.uid))
    assert remaining.duplicate_of_id is None
    assert documents.list_documents(admin)[0][0].duplicate is False


def test_unknown_uids(admin):
    for uid in ("", "ikke-en-uid", "' OR 1=1 --", str(uuid.uuid4())):
        assert documents.get_document(admin, uid) is None
        assert documents.trash_document(admin, uid) is None
        assert documents.restore_document(admin, uid) is None
        assert documents.delete_forever(admin, uid) is False


def test_broker_sees_only_own_documents(admin, broker_user, tmp_path):
    mine = documents.ingest_path(admin.id, make_text(tmp_path / "admin.txt", SALGSOPPGAVE))
    theirs = documents.ingest_path(broker_user.id, make_text(tmp_path / "megler.txt", TAKST))
    wait_final(mine.id)
    wait_final(theirs.id)
    admin_uid, broker_uid = str(mine.uid), str(theirs.uid)

    rows, total = documents.list_documents(broker_user)
    assert [row.uid for row in rows] == [broker_uid] and total == 1
    assert documents.get_document(broker_user, admin_uid) is None
    assert documents.search_documents(broker_user, "Strandkaien") == ([], 0)
    assert documents.pending_count(broker_user) == 0
    assert documents.trash_document(broker_user, admin_uid) is None
    assert documents.get_document(admin, admin_uid).deleted_at is None

    documents.trash_document(admin, admin_uid)
    assert documents.list_documents(broker_user, trashed=True) == ([], 0)
    assert documents.restore_document(broker_user, admin_uid) is None
    assert documents.delete_forever(broker_user, admin_uid) is False
    assert documents.get_document(admin, admin_uid).deleted_at is not None
    documents.restore_document(admin, admin_uid)

    # The admin sees everyone's documents.
    rows, total = documents.list_documents(admin)
    assert {row.uid for row in rows} == {admin_uid, broker_uid} and total == 2
    assert documents.get_document(admin, broker_uid) is not None
    found, _ = documents.search_documents(admin, "takstmann")
    assert [row.uid for row in found] == [broker_uid]
    assert found[0].owner_id == broker_user.id


NAMES = ["c.txt", "a.txt", "e.txt", "b.txt", "d.txt"]


@pytest.fixture
def five_documents(admin, tmp_path):
    for index, name in enumerate(NAMES):
        path = make_text(tmp_path / name, f"Dokument {index}: {TAKST}" + " ekstra" * index)
        documents.ingest_path(admin.id, path)
    return admin


def names(rows) -> list[str]:
    return [row.name for row in rows]


def test_sort_by_name(five_documents):
    user = five_documents
    rows, total = documents.list_documents(user, sort="name", descending=False)
    assert names(rows) == sorted(NAMES) and total == 5
    rows, _ = documents.list_documents(user, sort="name", descending=True)
    assert names(rows) == sorted(NAMES, reverse=True)


def test_sort_by_size_and_default_newest_first(five_documents):
    user = five_documents
    rows, _ = documents.list_documents(user, sort="size", descending=False)
    assert [row.size for row in rows] == sorted(row.size for row in rows)
    assert names(documents.list_documents(user)[0]) == list(reversed(NAMES))


def test_unknown_sort_key_falls_back(five_documents):
    rows, total = documents.list_documents(five_documents, sort="password_hash")  # type: ignore[arg-type]
    assert total == 5 and names(rows) == list(reversed(NAMES))


def test_pagination(five_documents):
    user = five_documents
    pages = [
        documents.list_documents(user, sort="name", descending=False, page=page, page_size=2)
        for page in (1, 2, 3, 4)
    ]
    assert [names(rows) for rows, _ in pages] == [
        ["a.txt", "b.txt"],
        ["c.txt", "d.txt"],
        ["e.txt"],
        [],
    ]
    assert {total for _, total in pages} == {5}
    rows, _ = documents.list_documents(user, sort="name", descending=False, page=0, page_size=2)
    assert names(rows) == ["a.txt", "b.txt"]  # page numbers start at 1


def test_abandoned_upload_files_are_cleaned(admin, embedded):
    import os
    import time

    abandoned = documents.IncomingFile(admin.id, "forlatt.txt")
    abandoned.write(b"halvferdig")
    abandoned._fh.close()  # the browser went away; nobody calls finish() or abort()
    old = time.time() - 2 * 3600
    os.utime(abandoned.path, (old, old))
    active = documents.IncomingFile(admin.id, "aktiv.txt")
    active.write(b"kommer mer")

    assert documents.clean_temp_files(max_age_seconds=3600) == 1
    assert not abandoned.path.exists()
    assert active.path.exists()
    assert documents.clean_temp_files(max_age_seconds=3600) == 0
    active.write(b" og mer")
    document = active.finish()
    assert wait_final(document.id).status == "ready"
    assert files_under(embedded / "tmp") == []


def test_a_folder_a_dead_worker_left_in_the_spool_is_cleaned(embedded):
    import os
    import time

    left = documents.temp_dir() / "att-crashed"
    (left / "attachment-01.pdf").parent.mkdir()
    (left / "attachment-01.pdf").write_bytes(b"%PDF-1.4")
    old = time.time() - 2 * 3600
    os.utime(left, (old, old))
    working = documents.temp_dir() / "att-reading"
    working.mkdir()

    assert documents.clean_temp_files(max_age_seconds=3600) == 1
    assert not left.exists() and working.exists()
