"""The `maintenance` queue: what the scheduler fires (dokvault.services.ops.schedule)."""

import dramatiq

import workers  # noqa: F401  (broker first)
from dokvault.core import keystore, metrics
from dokvault.core.jobs import queue_of
from dokvault.services import documents, notify, ops


@dramatiq.actor(queue_name=queue_of("clean_temp_files"), max_retries=0, time_limit=10 * 60 * 1000)
def clean_temp_files() -> None:
    documents.clean_temp_files()


@dramatiq.actor(queue_name=queue_of("requeue_stuck"), max_retries=0, time_limit=10 * 60 * 1000)
def requeue_stuck() -> None:
    documents.requeue_stuck()


@dramatiq.actor(queue_name=queue_of("purge_expired_keys"), max_retries=0, time_limit=10 * 60 * 1000)
def purge_expired_keys() -> None:
    keystore.purge_expired()


@dramatiq.actor(queue_name=queue_of("check_sanity"), max_retries=0, time_limit=6 * 60 * 60 * 1000)
def check_sanity(report_id: int | None = None) -> None:
    ops.sanity.run(report_id)


@dramatiq.actor(queue_name=queue_of("review_digest"), max_retries=0, time_limit=10 * 60 * 1000)
def review_digest() -> None:
    notify.review_digest()


@dramatiq.actor(queue_name=queue_of("sample_queue_depth"), max_retries=0, time_limit=60 * 1000)
def sample_queue_depth() -> None:
    ops.queue_depth.sample()


@dramatiq.actor(queue_name=queue_of("trim_metrics"), max_retries=0, time_limit=10 * 60 * 1000)
def trim_metrics() -> None:
    metrics.trim()


@dramatiq.actor(queue_name=queue_of("export_audit_log"), max_retries=3, min_backoff=60_000,
                time_limit=2 * 60 * 60 * 1000)
def export_audit_log() -> None:
    ops.audit_export.run_daily()
