"""The `integrations` queue: syncs with Vitec Megler and Microsoft 365 (services/org). A run
id in (None from the schedule: a nightly run when configured); one run of a kind at a time."""

import dramatiq

import workers  # noqa: F401  (broker first)
from dokvault.core.jobs import queue_of
from dokvault.services import org

# A run is its own retry (a failed page is recorded, the next run picks up); 1 hour at most.
LIMIT_MS = 60 * 60 * 1000


@dramatiq.actor(queue_name=queue_of("sync_vitec"), max_retries=0, time_limit=LIMIT_MS)
def sync_vitec(run_id: int | None = None) -> None:
    org.run_sync("vitec", run_id)


@dramatiq.actor(queue_name=queue_of("sync_teams"), max_retries=0, time_limit=LIMIT_MS)
def sync_teams(run_id: int | None = None) -> None:
    org.run_sync("teams", run_id)
