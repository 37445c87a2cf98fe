"""The home dashboard's widgets: per person and per office, each figure equal to the
total of the document list its link opens, the retry of failed documents, and the
fingerprint a page polls to update without a reload."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import update
from sqlmodel import col

from dokvault import db
from dokvault.models import Classification, Document
from dokvault.models.base import utcnow
from dokvault.services import documents
from dokvault.services.analytics import Scope, dashboard
from dokvault.services.documents import ListFilter
from dokvault.services.intelligence import review
from tests import analytics_data


@pytest.fixture
def firm(admin, without_worker):
    return analytics_data.build(admin)


def listed(user, url: str) -> int:
    """The total of the document list at `url`, as its page asks for it."""
    parts = urlsplit(url)
    assert parts.path == "/documents"
    return documents.list_documents(user, filters=ListFilter.from_params(dict(parse_qsl(parts.query))))[1]


def test_a_brokers_own_dashboard_and_the_lists_behind_it(firm):
    board = dashboard.load(firm.kari, Scope("me"))
    assert [r.name for r in board.recent] == ["kari3.pdf", "kari2.pdf", "kari1.pdf"]  # not the trash
    assert (board.failed_total, board.retryable, board.in_progress_total) == (1, 1, 0)
    assert [r.name for r in board.failed] == ["kari3.pdf"]
    assert (board.stored_bytes, board.stored_count) == (3000, 3)
    assert board.quota is not None and board.quota.unlimited  # no quota set: unlimited
    assert (board.review_total, [i.name for i in board.review]) == (1, ["kari2.pdf"])
    assert board.links["review"] == "/review?owner=me"
    assert listed(firm.kari, board.links["failed"]) == 1
    assert listed(firm.kari, board.links["recent"]) == board.stored_count
    assert listed(firm.kari, board.links["in_progress"]) == 0
    # Ola's own: Kari's shared takst is visible to him, but not his.
    assert dashboard.load(firm.ola, Scope("me")).stored_count == 2


def test_an_office_for_its_manager_and_admins_but_not_for_a_broker(firm):
    office = Scope("office", firm.strandkaien)
    assert dashboard.parse_scope(firm.ola, office.params()) == Scope("me")  # a broker: own only
    assert dashboard.parse_scope(firm.mona, office.params()) == office
    assert dashboard.parse_scope(firm.mona, {"scope": "office", "office": str(firm.sentrum)}) == Scope("me")
    assert dashboard.parse_scope(firm.admin, {"scope": "all"}) == Scope("all")
    assert [c.label for c in dashboard.choices(firm.admin)] == [
        "dashboard.scope.me", "dashboard.scope.all", "Sentrum", "Strandkaien"]
    board = dashboard.load(firm.admin, office)
    assert (board.failed_total, board.in_progress_total) == (1, 1)
    assert (board.stored_bytes, board.stored_count) == (7000, 5)
    for key, figure in (("failed", 1), ("in_progress", 1), ("recent", 5)):
        assert listed(firm.admin, board.links[key]) == figure
    assert board.links["failed"] == f"/documents?status=failed&office={firm.strandkaien}"
    whole = dashboard.load(firm.admin, Scope("all"))
    assert whole.stored_count == 7 and whole.review_total == 1
    # A suggestion on a trashed document waits for no one (the admin's count leaves the
    # trash out without a join; the review page's list does so with one).
    with db.session() as s:
        s.add(Classification(document_id=firm.docs["kari_trash"], provider="local", confidence=0.1))
        s.commit()
    assert dashboard.load(firm.admin, Scope("all")).review_total == 1
    assert review.pending(firm.admin)[1] == 1 == len(review.pending(firm.admin)[0])


def test_this_weeks_documents_by_type_link_to_their_list(firm):
    now = utcnow()
    with db.session() as s:
        s.execute(update(Document).where(col(Document.id).in_(
            [firm.docs["kari1"], firm.docs["kari2"], firm.docs["per1"]])).values(created_at=now))
        s.commit()
    board = dashboard.load(firm.admin, Scope("all"))
    assert [(c.name, c.count) for c in board.week] == [("Takst/Verdivurdering", 2),
                                                      ("dashboard.no_type", 1)]
    assert board.week_total == 3
    for item in board.week:
        assert listed(firm.admin, item.url) == item.count
    assert "type=none" in board.week[1].url


def test_retrying_the_failed_documents_of_a_scope(firm):
    assert dashboard.failed_to_retry(firm.ola, Scope("me")) == []
    uids = dashboard.failed_to_retry(firm.kari, Scope("me"))
    result = documents.retry_documents(firm.kari, uids)
    assert (result.sent, result.refused) == (1, 0)
    board = dashboard.load(firm.kari, Scope("me"))
    assert (board.failed_total, board.in_progress_total) == (0, 1)


def test_the_fingerprint_changes_when_something_of_mine_does(firm):
    mine = dashboard.fingerprint(firm.kari, Scope("me"))
    assert dashboard.fingerprint(firm.kari, Scope("me")) == mine  # nothing changed
    with db.session() as s:  # someone else's document: Kari's dashboard stays as it is
        s.execute(update(Document).where(col(Document.id) == firm.docs["per1"])
                  .values(status="processing", updated_at=utcnow()))
        s.commit()
    assert dashboard.fingerprint(firm.kari, Scope("me")) == mine
    documents.retry_documents(firm.kari, dashboard.failed_to_retry(firm.kari, Scope("me")))
    assert dashboard.fingerprint(firm.kari, Scope("me")) != mine


def test_storage_is_shown_against_the_persons_or_the_offices_quota(firm):
    from dokvault.services.documents import quotas

    # Kari stores 3 documents and her trashed one: the quota counts the trash too.
    usage = dashboard.load(firm.kari, Scope("me")).quota
    assert (usage.scope, usage.unlimited, usage.bytes_used, usage.documents_used) == ("user", True, 8000, 4)
    quotas.set_quota(firm.admin, quotas.USER, firm.kari.id, "10 kB", "5")
    quotas.set_quota(firm.admin, quotas.OFFICE, firm.strandkaien, "", "100")
    usage = dashboard.load(firm.kari, Scope("me")).quota
    assert (usage.max_bytes, usage.max_documents, usage.bytes_percent, usage.documents_percent) == \
        (10_240, 5, 78, 80)  # a kB is 1024 bytes
    office = dashboard.load(firm.mona, Scope("office", firm.strandkaien)).quota
    assert (office.scope, office.max_bytes, office.max_documents) == ("office", None, 100)
    assert dashboard.load(firm.admin, Scope("all")).quota is None  # the firm has no quota
