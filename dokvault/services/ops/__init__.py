"""Running DokVault: the health of its database, object store and broker."""

from dokvault.services.ops.health import health

__all__ = ["health"]
