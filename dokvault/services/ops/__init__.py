"""Running DokVault: the health of its database, object store and broker, and the
schedule of its maintenance jobs."""

from dokvault.services.ops import schedule
from dokvault.services.ops.health import health

__all__ = ["health", "schedule"]
