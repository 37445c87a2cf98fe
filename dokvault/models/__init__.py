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
from dokvault.models.audit import AuditEvent, AuditExport
from dokvault.models.documents import Document, DocumentStatus, DocumentText
from dokvault.models.offices import Office
from dokvault.models.ops import SanityReport
from dokvault.models.quotas import Quota
from dokvault.models.taxonomy import (
    Classification,
    CustomField,
    DocumentFieldValue,
    DocumentTag,
    DocumentType,
    ReviewRecord,
    Tag,
)

__all__ = [
    "AppSetting", "AuditEvent", "BackupCode", "Classification", "CustomField", "Document",
    "DocumentFieldValue", "DocumentStatus", "DocumentTag", "DocumentText", "DocumentType",
    "ExpiringKey", "Office", "RefreshToken", "ReviewRecord", "Role", "SanityReport", "Tag",
    "User",
    "UserSession",
    "AuditExport", "Quota",
]
