"""The organisation as Vitec Megler and Microsoft 365 know it: sync runs (runs.py, generic:
Vitec, Teams, later drives), the Vitec sync (vitec_sync.py, vitec_estates.py), Teams
(teams.py), staff (staff.py), assignments and their documents (assignments.py), pictures.
Offices themselves are administered in services/admin/offices.py."""

from dokvault.services import notify
from dokvault.services.org import (
    assignments,
    pictures,
    runs,
    staff,
    teams,
    vitec_estates,
    vitec_sync,
)
from dokvault.services.org.runs import Progress, SyncFailed
from dokvault.settings import get_settings

SYNCS = {"vitec": vitec_sync.run, "teams": teams.run}


def missing_settings(kind: str) -> list[str]:
    """What is still to be set before a sync of `kind` can run."""
    return vitec_sync.missing_settings() if kind == "vitec" else teams.missing_settings()


def setup_status() -> dict[str, dict]:
    """What the integrations page says about each: what is missing, where it points (never
    a secret)."""
    settings = get_settings()
    return {
        "vitec": {"missing": missing_settings("vitec"), "url": vitec_sync.base_url(),
                  "installation": settings.vitec_installation_id},
        "teams": {"missing": missing_settings("teams"), "sender": settings.microsoft_sender_email},
    }


def run_sync(kind: str, run_id: int | None = None) -> runs.Outcome | None:
    """The actor's work: the queued run `run_id`, or (from the schedule, `run_id` None) a
    nightly run when the integration is configured and none is under way. Admins hear of
    a run that ended with errors (services/notify)."""
    if run_id is None:
        if missing_settings(kind):
            return None
        run, new = runs.request(kind, trigger="schedule", full=False, send=False)
        if not new:
            return None
        run_id = run.id
    return runs.execute(run_id, SYNCS[kind], finished=notify.sync_failed)


__all__ = ["Progress", "SYNCS", "SyncFailed", "assignments", "missing_settings", "pictures",
           "run_sync", "runs", "setup_status", "staff", "teams", "vitec_estates", "vitec_sync"]
