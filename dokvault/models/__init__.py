"""SQLModel tables, one module per domain. Importing this package registers them all."""

from dokvault.models.accounts import (
    AppSetting,
    BackupCode,
    ExpiringKey,
    RefreshToken,
    Role,
    User,
    UserSession,
)
from dokvault.models.audit import AuditEvent
from dokvault.models.documents import Document, DocumentStatus, DocumentText
from dokvault.models.offices import Office

__all__ = [
    "AppSetting", "AuditEvent", "BackupCode", "Document", "DocumentStatus", "DocumentText",
    "ExpiringKey", "Office", "RefreshToken", "Role", "User", "UserSession",
]
