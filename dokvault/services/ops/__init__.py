"""Running DokVault: the health of its database, object store and broker, the schedule
of its maintenance jobs, the sanity check of rows against stored objects, and the audit
log's daily export and retention, and the outside systems it talks to (their status and
connection tests, systems.py; the mail transport's test mail, mail_test.py)."""

from dokvault.services.ops import audit_export, mail_test, queue_depth, sanity, schedule, systems
from dokvault.services.ops.health import health

__all__ = ["audit_export", "health", "mail_test", "queue_depth", "sanity", "schedule", "systems"]
