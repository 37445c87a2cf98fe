"""The `integrations` queue: syncs with Vitec Megler and Microsoft 365 (services/org), cloud
drives (transfers, folders kept in sync) and web import. Ids in, one service call; each is
idempotent (the database says what is left to do); one sync run of a kind at a time."""

import dramatiq

import workers  # noqa: F401  (broker first)
from dokvault.core.jobs import queue_of
from dokvault.services import drives, org

HOURS = 60 * 60 * 1000
# A sync run is its own retry (a failed page is recorded, the next run picks up); 1 hour at most.
LIMIT_MS = 1 * HOURS


# A transfer moves files for at most ten minutes a message (then sends itself again), but one
# large file (a GiB) is not cut short.
@dramatiq.actor(queue_name=queue_of("run_drive_transfer"), max_retries=3, min_backoff=5000,
                time_limit=3 * HOURS)
def run_drive_transfer(transfer_id: int) -> None:
    drives.run_transfer(transfer_id)


@dramatiq.actor(queue_name=queue_of("sync_drives"), max_retries=0, time_limit=10 * 60 * 1000)
def sync_drives() -> None:
    drives.sync_tick()


@dramatiq.actor(queue_name=queue_of("sync_drive_folder"), max_retries=2, min_backoff=10000,
                time_limit=30 * 60 * 1000)
def sync_drive_folder(sync_id: int) -> None:
    drives.sync_folder(sync_id)


@dramatiq.actor(queue_name=queue_of("run_web_import"), max_retries=2, min_backoff=5000,
                time_limit=1 * HOURS)
def run_web_import(web_import_id: int) -> None:
    drives.run_web_import(web_import_id)


@dramatiq.actor(queue_name=queue_of("sync_vitec"), max_retries=0, time_limit=LIMIT_MS)
def sync_vitec(run_id: int | None = None) -> None:
    org.run_sync("vitec", run_id)


@dramatiq.actor(queue_name=queue_of("sync_teams"), max_retries=0, time_limit=LIMIT_MS)
def sync_teams(run_id: int | None = None) -> None:
    org.run_sync("teams", run_id)
