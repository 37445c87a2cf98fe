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
from dokvault.models.drives import (
    DriveConnection,
    DriveImportedVersion,
    DriveSync,
    DriveTransfer,
    DriveTransferItem,
    WebImport,
    WebPage,
)
from dokvault.models.metrics import QueueSample, StageTiming
from dokvault.models.notify import Notification, NotificationSettings
from dokvault.models.offices import Office, OfficeSource
from dokvault.models.ops import SanityReport
from dokvault.models.org import (
    Assignment,
    DocumentAssignment,
    Employee,
    Picture,
    SyncRun,
    Team,
    TeamMember,
)
from dokvault.models.quotas import Quota
from dokvault.models.sharing import DocumentShare, ShareAccess, ShareLink
from dokvault.models.taxonomy import (
    Classification,
    CustomField,
    DocumentFieldValue,
    DocumentTag,
    DocumentType,
    ReviewRecord,
    Tag,
)
from dokvault.models.templates import Template, TemplateVersion

__all__ = [
    "AppSetting", "AuditEvent", "BackupCode", "Classification", "CustomField", "Document",
    "DocumentFieldValue", "DocumentStatus", "DocumentTag", "DocumentText", "DocumentType",
    "ExpiringKey", "Office", "RefreshToken", "ReviewRecord", "Role", "SanityReport", "Tag",
    "User",
    "UserSession",
    # sharing and the templates hub
    "DocumentShare", "ShareAccess", "ShareLink", "Template", "TemplateVersion",
    # Organisation and notifications (issue 14)
    "Assignment", "DocumentAssignment", "Employee", "Notification", "NotificationSettings",
    "OfficeSource", "Picture", "SyncRun", "Team", "TeamMember",
    "DriveConnection", "DriveImportedVersion", "DriveSync", "DriveTransfer", "DriveTransferItem",
    "WebImport", "WebPage",
    "QueueSample", "StageTiming",
    "AuditExport", "Quota",
]
