"""SQLModel tables, one module per domain. Importing this package registers them all."""

from dokvault.models.accounts import Role, User, UserSession
from dokvault.models.documents import Document, DocumentStatus, DocumentText

__all__ = ["Document", "DocumentStatus", "DocumentText", "Role", "User", "UserSession"]
