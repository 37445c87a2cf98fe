"""Quotas per user and per office, in bytes and in documents: set by admins (validated,
audited with before and after), checked on the server in the one intake path - browser
uploads, `dokvault import` and mail attachments alike - and planned on a multi-file
upload's declared sizes before anything is read."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.core import audit
from dokvault.core.filenames import UploadRefused
from dokvault.core.validation import Invalid
from dokvault.i18n import translate
from dokvault.models import Document
from dokvault.services import documents
from dokvault.services.access import Forbidden
from dokvault.services.admin import offices
from dokvault.services.documents import quotas
from dokvault.services.documents.uploads import UploadReceiver
from tests.samples import make_text
from tests.unit.helpers import access_token, handled, page_state, upload_at_once
from tests.unit.test_uploads import PIECE, multipart, stream_upload

KB = 1024


def t(key: str, **values) -> str:
    return translate("nb", key, **values)


def stored(owner_id: int) -> list[str]:
    with db.session() as s:
        return sorted(s.exec(select(Document.name).where(Document.owner_id == owner_id)).all())


def events(kind: str) -> list[dict]:
    return [json.loads(e.detail) for e in audit.search_events(kind=kind)[0]]


def test_the_default_is_unlimited(admin, tmp_path):
    usage = quotas.usage_of_user(admin.id)
    assert usage.unlimited and usage.refusal(10 ** 15) is None
    documents.ingest_path(admin.id, make_text(tmp_path / "a.txt", "tekst " * 100))
    usage = quotas.usage_of_user(admin.id)
    assert (usage.documents_used, usage.bytes_used) == (1, 600) and usage.unlimited


def test_an_admin_sets_a_quota_in_words_and_it_is_audited(admin, broker_user):
    usage = quotas.set_quota(admin, "user", broker_user.id, "1,5 GB", "2 000")
    assert usage.max_bytes == int(1.5 * 1024 ** 3) and usage.max_documents == 2000
    quotas.set_quota(admin, "user", broker_user.id, "2 GB", "2000")
    quotas.set_quota(admin, "user", broker_user.id, "", "")  # removed: unlimited again
    assert quotas.usage_of_user(broker_user.id).unlimited
    changes = events("admin.quota_changed")  # newest first
    assert changes[0]["before"] == {"max_bytes": 2 * 1024 ** 3, "max_documents": 2000}
    assert changes[0]["after"] == {"max_bytes": None, "max_documents": None}
    assert changes[1] == {"scope": "user", "office_id": None,
                          "before": {"max_bytes": int(1.5 * 1024 ** 3)},
                          "after": {"max_bytes": 2 * 1024 ** 3}}  # only what changed


@pytest.mark.parametrize(("max_bytes", "max_documents", "errors"), [
    ("ti gigabyte", "", {"max_bytes": "error.quota_bytes_invalid"}),
    ("0 MB", "", {"max_bytes": "error.quota_bytes_range"}),
    ("2 PB", "", {"max_bytes": "error.quota_bytes_range"}),
    ("", "mange", {"max_documents": "error.quota_documents_invalid"}),
    ("abc", "0", {"max_bytes": "error.quota_bytes_invalid",
                  "max_documents": "error.quota_documents_range"}),  # both at once
])
def test_bad_limits_are_refused_beside_their_field(admin, broker_user, max_bytes, max_documents,
                                                    errors):
    with pytest.raises(Invalid) as refused:
        quotas.set_quota(admin, "user", broker_user.id, max_bytes, max_documents)
    assert {k: e.code for k, e in refused.value.errors.items()} == errors
    assert quotas.usage_of_user(broker_user.id).unlimited
    assert events("admin.quota_changed") == []


def test_only_admins_set_quotas(admin, broker_user):
    with pytest.raises(Forbidden):
        quotas.set_quota(broker_user, "user", broker_user.id, "", "")
    with pytest.raises(Forbidden):
        quotas.usages(broker_user)


def test_an_upload_over_the_user_quota_is_refused_and_audited(admin, broker_user, tmp_path):
    quotas.set_quota(admin, "user", broker_user.id, "1 KB", "")
    documents.ingest_path(broker_user.id, make_text(tmp_path / "a.txt", "x" * 700))
    with pytest.raises(UploadRefused) as refused:
        documents.ingest_path(broker_user.id, make_text(tmp_path / "b.txt", "y" * 700))
    assert refused.value.code == "error.quota_user_bytes"
    message = t(refused.value.code, **refused.value.values)
    assert "700 B av 1.0 KB er brukt" in message and "filen er 700 B" in message
    assert stored(broker_user.id) == ["a.txt"]
    (hit,) = events("quota.exceeded")
    assert (hit["scope"], hit["limit"], hit["size"], hit["max_bytes"]) == ("user", "bytes", 700, 1024)
    assert audit.search_events(kind="quota.exceeded")[0][0].target_user_id == broker_user.id
    assert documents.ingest_path(admin.id, make_text(tmp_path / "c.txt", "z" * 700))  # others free


def test_a_document_count_quota(admin, broker_user, tmp_path):
    quotas.set_quota(admin, "user", broker_user.id, "", "2")
    for name in ("a.txt", "b.txt"):
        documents.ingest_path(broker_user.id, make_text(tmp_path / name, "tekst"))
    with pytest.raises(UploadRefused) as refused:
        documents.ingest_path(broker_user.id, make_text(tmp_path / "c.txt", "tekst"))
    assert refused.value.code == "error.quota_user_documents"
    assert "kvoten på 2 dokumenter" in t(refused.value.code, **refused.value.values)


def test_an_office_quota_counts_everyone_in_the_office(admin, broker_user, tmp_path):
    office = offices.create_office(admin, "Bergen")
    offices.assign_user(admin, broker_user.id, office.id)
    offices.assign_user(admin, admin.id, office.id)
    quotas.set_quota(admin, "office", office.id, "", "1")
    documents.ingest_path(admin.id, make_text(tmp_path / "a.txt", "tekst"))
    with pytest.raises(UploadRefused) as refused:
        documents.ingest_path(broker_user.id, make_text(tmp_path / "b.txt", "tekst"))
    assert refused.value.code == "error.quota_office_documents"
    assert "Kontoret Bergen" in t(refused.value.code, **refused.value.values)
    usage = quotas.usage_of_office(office.id)
    assert (usage.documents_used, usage.max_documents, usage.name) == (1, 1, "Bergen")


def test_concurrent_uploads_cannot_pass_a_quota_together(admin, broker_user, tmp_path):
    quotas.set_quota(admin, "user", broker_user.id, "", "3")
    paths = [make_text(tmp_path / f"{i}.txt", f"tekst nummer {i}") for i in range(8)]
    outcomes = upload_at_once(broker_user.id, paths)
    assert sorted(outcomes) == ["refused"] * 5 + ["stored"] * 3
    assert len(stored(broker_user.id)) == 3


def test_a_multi_file_upload_takes_what_fits_and_refuses_the_rest_before_reading(admin, broker_user):
    quotas.set_quota(admin, "user", broker_user.id, f"{5 * PIECE // KB} KB", "")
    files = [("en.txt", 2 * PIECE), ("to.txt", 2 * PIECE), ("tre.txt", 2 * PIECE)]
    receiver = UploadReceiver(broker_user.id, [[n, s] for n, s in files], t)
    assert receiver.refused_before_reading(None) is False
    assert [r["state"] for r in receiver.progress] == ["waiting", "waiting", "refused"]
    assert "Lagringskvoten din er full" in receiver.progress[2]["message"]
    read, total, ended = handled(stream_upload(receiver, multipart(files)))  # a loop of its own
    assert ended is None
    assert [r["state"] for r in receiver.progress] == ["stored", "stored", "refused"]
    assert stored(broker_user.id) == ["en.txt", "to.txt"]
    (hit,) = events("quota.exceeded")  # one entry for the request
    assert hit["files"] == 1 and hit["size"] == 6 * PIECE


def test_an_upload_that_cannot_fit_at_all_is_not_read(admin, broker_user):
    quotas.set_quota(admin, "user", broker_user.id, "1 KB", "")
    receiver = UploadReceiver(broker_user.id, [["a.txt", 5 * KB], ["b.txt", 5 * KB]], t)
    assert receiver.refused_before_reading(None) is True  # the page then reads nothing
    assert {r["state"] for r in receiver.progress} == {"refused"}


def test_a_file_that_lied_about_its_size_is_caught_by_the_intake(admin, broker_user):
    quotas.set_quota(admin, "user", broker_user.id, "100 KB", "")
    files = [("stor.txt", 4 * PIECE)]  # 256 KB, declared as 1 KB
    receiver = UploadReceiver(broker_user.id, [["stor.txt", KB]], t)
    assert receiver.refused_before_reading(None) is False
    handled(stream_upload(receiver, multipart(files)))
    assert receiver.progress[0]["state"] == "refused"
    assert "Lagringskvoten din er full" in receiver.progress[0]["message"]
    assert stored(broker_user.id) == []


def test_attachments_of_a_mail_pass_the_quota_too(admin, broker_user, tmp_path):
    from tests.unit.helpers import wait_final, wait_until

    mail = tmp_path / "brev.eml"
    mail.write_text(
        "From: a@example.no\nTo: b@example.no\nSubject: Vedlegg\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: text/plain\n\nHei\n'
        '--B\nContent-Type: text/plain\nContent-Disposition: attachment; filename="vedlegg.txt"'
        "\n\nInnhold i vedlegget\n--B--\n")
    quotas.set_quota(admin, "user", broker_user.id, "", "1")
    parent = wait_final(documents.ingest_path(broker_user.id, mail).id)

    def refused_notices():  # the attachments are taken after the mail is ready
        with db.session() as s:
            row = s.get(Document, parent.id)
        return [n for n in row.notices if n["code"] == "notice.attachment_refused"]

    (notice,) = wait_until(refused_notices, what="the attachment's notice")
    assert stored(broker_user.id) == ["brev.eml"]
    assert notice["reason"] == "error.quota_user_documents"
    assert events("document.uploaded")[0]["via"] == "import"


def test_the_quotas_page_shows_the_error_beside_the_field_and_saves(admin, broker_user):
    from dokvault.pages.admin.quotas import QuotasState
    from dokvault.services.auth import accounts

    with db.session() as s:
        session_id = accounts.open_session(s, admin, "pytest-browser")
    state = page_state(QuotasState, access_token(admin.id, session_id))

    def call(name, *args):
        return handled(QuotasState.event_handlers[name].fn(state, *args))

    call("load")
    assert {r["name"] for r in state.users} == {"admin@example.no", "megler@example.no"}
    call("open_edit", "user", broker_user.id)
    assert state.edit_open and state.edit["name"] == "megler@example.no"
    assert call("save", {"max_bytes": "mye", "max_documents": "10"}) is None
    assert state.errors == {"quota.max_bytes": t("error.quota_bytes_invalid")}
    assert state.edit_open and quotas.usage_of_user(broker_user.id).unlimited
    answer = call("save", {"max_bytes": "10 MB", "max_documents": "10"})
    assert "success" in str(answer) and state.errors == {} and not state.edit_open
    row = next(r for r in state.users if r["id"] == broker_user.id)
    assert (row["max_bytes"], row["max_documents"]) == ("10.0 MB", "10")
