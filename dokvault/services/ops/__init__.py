"""Running DokVault: the health of its database, object store and broker, the schedule
of its maintenance jobs, and the sanity check of rows against stored objects."""

from dokvault.services.ops import queue_depth, sanity, schedule
from dokvault.services.ops.health import health

__all__ = ["health", "queue_depth", "sanity", "schedule"]
