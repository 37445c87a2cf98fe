"""Running DokVault: the health of its database, object store and broker, the schedule
of its maintenance jobs, the sanity check of rows against stored objects, and the audit
log's daily export and retention."""

from dokvault.services.ops import audit_export, queue_depth, sanity, schedule
from dokvault.services.ops.health import health

__all__ = ["audit_export", "health", "queue_depth", "sanity", "schedule"]
