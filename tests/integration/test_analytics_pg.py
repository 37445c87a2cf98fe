"""The analytics aggregates and the dashboard on PostgreSQL (the DML role, migrated by the
DDL role): the same figures as on SQLite, from `AT TIME ZONE` and `percentile_disc`
instead of SQLite's offsets and window functions."""

from __future__ import annotations

import dramatiq
import pytest
from dramatiq.brokers.redis import RedisBroker
from sqlmodel import select

from dokvault import db
from dokvault.models import QueueSample
from dokvault.services import analytics, documents
from dokvault.services.analytics import Scope, dashboard
from dokvault.services.ops import queue_depth
from tests import analytics_data
from tests.unit.test_analytics import check_every_view, check_roll_up

pytestmark = pytest.mark.integration


@pytest.fixture
def firm(pg_admin):
    analytics.forget()
    yield analytics_data.build(pg_admin)
    analytics.forget()


def test_every_view_gives_the_figures_it_gives_on_sqlite(firm):
    check_every_view(firm)


def test_the_dashboard_on_postgresql(firm):
    board = dashboard.load(firm.admin, Scope("office", firm.strandkaien))
    assert (board.failed_total, board.in_progress_total, board.stored_bytes) == (1, 1, 7000)
    assert board.links["failed"] == f"/documents?status=failed&office={firm.strandkaien}"
    assert dashboard.load(firm.kari, Scope("me")).review_total == 1
    # Without Redis the queue depth is the database's: Ola's document being read.
    assert queue_depth.depths()["documents"] == 1
    before = dashboard.fingerprint(firm.kari, Scope("me"))
    documents.retry_documents(firm.kari, dashboard.failed_to_retry(firm.kari, Scope("me")))
    assert dashboard.fingerprint(firm.kari, Scope("me")) != before


def test_queue_depth_is_read_from_the_redis_broker(pg_admin, redis_url, configure_dokvault):
    configure_dokvault(redis_url=redis_url)
    broker = RedisBroker(url=redis_url)
    try:
        for i in range(3):
            broker.enqueue(dramatiq.Message(queue_name="documents", actor_name="process_document",
                                            args=(i,), kwargs={}, options={}))
        # A retry waiting for its time sits in the delay queue: it waits all the same.
        broker.enqueue(dramatiq.Message(queue_name="ai", actor_name="classify_document", args=(1,),
                                        kwargs={}, options={}), delay=60_000)
        assert queue_depth.sample() == {"documents": 3, "ai": 1, "email": 0, "integrations": 0,
                                        "maintenance": 0}
    finally:
        broker.close()
    with db.session() as s:
        assert dict(s.exec(select(QueueSample.queue, QueueSample.depth)).all())["documents"] == 3


def test_old_queue_samples_are_rolled_up_on_postgresql(pg_admin):
    check_roll_up(pg_admin)
