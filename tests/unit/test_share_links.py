"""Share links: made by the owner with an expiry, an optional password and a download
limit; opened by anyone who has them; refused plainly (and rate-limited, and audited) once
expired, revoked, used up or guessed at; every use recorded for the owner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from starlette.testclient import TestClient

from dokvault import db
from dokvault.core import audit
from dokvault.core.audit import Client
from dokvault.models import ShareLink
from dokvault.services import documents
from dokvault.services.access import Forbidden
from dokvault.services.sharing import links
from tests import samples
from tests.unit.helpers import wait_final
from tests.unit.test_search_filters import _user

HOST = "http://localhost:3000"
VISITOR = Client(ip="203.0.113.7", user_agent="Mottaker/1.0")


@pytest.fixture
def owned(admin, tmp_path):
    """Kari's sales brief, read and stored (its file and thumbnail in the object store)."""
    kari = _user("kari@example.no", "Kari Nordmann", None)
    pdf = samples.make_pdf(tmp_path / "Salgsoppgave Storgata 12B.pdf", [samples.SALGSOPPGAVE])
    document = wait_final(documents.ingest_path(kari.id, pdf).id)
    return kari, str(document.uid), pdf.read_bytes()


@pytest.fixture
def client(embedded):
    from dokvault.api.routes import api

    return TestClient(api, base_url=HOST, follow_redirects=False)


def token_of(url: str) -> str:
    assert url.startswith(f"{HOST}/s/")
    return url.rsplit("/", 1)[-1]


def expire(link_uid: str) -> None:
    """The link's expiry moved into the past, as time would."""
    with db.session() as s:
        s.exec(update(ShareLink).where(ShareLink.uid == documents.library.parse_uid(link_uid))
               .values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
        s.commit()


def test_a_link_without_password_shows_the_document_and_counts_downloads(owned, client):
    kari, uid, content = owned
    made = links.create_link(kari, uid, days=7, max_downloads=2)
    token = token_of(made.url)
    with db.session() as s:
        stored = s.get(ShareLink, 1)
    assert token not in (stored.token_hash, stored.token_sealed)  # never stored in the clear

    view = links.open_link(token, VISITOR)
    assert (view.status, view.name) == ("ok", "Salgsoppgave Storgata 12B.pdf")
    assert view.has_thumbnail
    thumb = client.get(f"/api/share/{token}/thumbnail")
    assert thumb.status_code == 200 and thumb.content.startswith(b"\x89PNG")
    for _ in range(2):
        response = client.get(f"/api/share/{token}/download")
        assert response.status_code == 200 and response.content == content
    used_up = client.get(f"/api/share/{token}/download", headers={"accept": "text/html"})
    assert used_up.status_code == 410 and "brukt opp" in used_up.text
    assert links.open_link(token, VISITOR).status == links.EXHAUSTED

    [row] = links.list_links(kari, uid)
    assert (row.downloads, row.max_downloads, row.status, row.url) == (2, 2, "exhausted", made.url)
    outcomes = [a.outcome for a in links.list_accesses(kari, uid)]
    assert outcomes == ["exhausted", "exhausted", "downloaded", "downloaded", "viewed"]
    kinds = [e.kind for e in audit.search_events(kind="share_link")[0]]
    assert kinds.count("share_link.accessed") == 5


def test_a_password_link_opens_with_the_right_password_until_it_expires(owned, client):
    kari, uid, content = owned
    made = links.create_link(kari, uid, days=1, password="Hemmelig 2026")
    token = token_of(made.url)
    with db.session() as s:
        assert s.get(ShareLink, 1).password_hash.startswith("$argon2id$")

    asked = links.open_link(token, VISITOR)
    assert (asked.status, asked.name) == ("password", "")  # nothing shown before the password
    assert client.get(f"/api/share/{token}/download").status_code == 403
    assert client.get(f"/api/share/{token}/thumbnail").status_code == 404
    wrong = links.unlock(token, "feil passord", VISITOR)
    assert (wrong.status, wrong.error, wrong.name) == ("password", "share.wrong_password", "")
    right = links.unlock(token, "Hemmelig 2026", VISITOR)
    assert right.status == "ok" and right.name == "Salgsoppgave Storgata 12B.pdf" and right.grant
    assert client.get(f"/api/share/{token}/download?grant=1.forged").status_code == 403
    response = client.get(f"/api/share/{token}/download?grant={right.grant}")
    assert response.status_code == 200 and response.content == content
    assert response.headers["content-disposition"].startswith("attachment")

    expire(made.uid)
    assert links.open_link(token, VISITOR).status == links.EXPIRED
    assert links.unlock(token, "Hemmelig 2026", VISITOR).status == links.EXPIRED
    gone = client.get(f"/api/share/{token}/download?grant={right.grant}")
    assert gone.status_code == 410 and "utløpt" in gone.text
    outcomes = [a.outcome for a in links.list_accesses(kari, uid)]
    assert outcomes == ["expired", "expired", "expired", "downloaded", "unlocked", "wrong_password"]
    [access] = [a for a in links.list_accesses(kari, uid) if a.outcome == "wrong_password"]
    assert (access.ip, access.succeeded, access.who) == ("203.0.113.7", False, "")


def test_revoke_unknown_and_trashed_links_are_refused(owned):
    kari, uid, content = owned
    made = links.create_link(kari, uid, days=7)
    token = token_of(made.url)
    assert links.revoke_link(kari, uid, made.uid) is True
    assert links.revoke_link(kari, uid, made.uid) is False  # a double click
    assert links.open_link(token, VISITOR).status == links.REVOKED
    assert links.open_link("not-a-link", VISITOR).status == links.UNKNOWN
    other = links.create_link(kari, uid, days=7)
    documents.trash_document(kari, uid)
    assert links.open_link(token_of(other.url), VISITOR).status == links.UNAVAILABLE
    with pytest.raises(Forbidden, match="error.share_trashed"):
        links.create_link(kari, uid, days=7)
    kinds = [e.kind for e in audit.search_events()[0]]
    assert "share_link.refused" in kinds and kinds.count("document.shared_link") == 2
    assert kinds.count("document.share_revoked") == 1


def test_bad_link_settings_and_strangers_are_refused(owned):
    kari, uid, content = owned
    solo = _user("solo@example.no", "Solveig Li", None)
    for kwargs, code in (({"days": 0}, "error.share_days"), ({"days": 91}, "error.share_days"),
                         ({"days": 7, "password": "kort"}, "error.share_password_length"),
                         ({"days": 7, "max_downloads": 0}, "error.share_max_downloads")):
        with pytest.raises(Forbidden, match=code):
            links.create_link(kari, uid, **kwargs)
    with pytest.raises(Forbidden):
        links.create_link(solo, uid, days=7)  # not hers
    with pytest.raises(Forbidden):
        links.list_accesses(solo, uid)


def test_guessing_passwords_and_links_is_rate_limited(owned):
    kari, uid, content = owned
    token = token_of(links.create_link(kari, uid, days=7, password="Hemmelig 2026").url)
    for _ in range(links.PASSWORD.limit("link")):
        assert links.unlock(token, "gjetning", VISITOR).error == "share.wrong_password"
    limited = links.unlock(token, "Hemmelig 2026", VISITOR)  # even the right one, now
    assert limited.status == links.LIMITED and limited.retry_minutes >= 1
    stranger = Client(ip="198.51.100.1")
    for _ in range(links.REFUSED.limit("ip")):
        assert links.open_link("gjettet-lenke", stranger).status == links.UNKNOWN
    assert links.open_link("gjettet-lenke", stranger).status == links.LIMITED
    assert links.open_link(token, VISITOR).status == "password"  # others are not held up


def test_a_signed_in_visitor_is_named_in_the_access_list(owned):
    kari, uid, _ = owned
    per = _user("per@example.no", "Per Berg", None)
    token = token_of(links.create_link(kari, uid, days=7).url)
    links.open_link(token, VISITOR, viewer_id=per.id)
    [access] = links.list_accesses(kari, uid)
    assert (access.who, access.outcome, access.succeeded) == ("per@example.no", "viewed", True)
