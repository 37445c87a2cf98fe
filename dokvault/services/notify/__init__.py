"""Telling people: one `notify` every event goes through (events.py: the in-app entry and,
by each person's choice, a mail), the in-app list and its settings (inbox.py), and the
account mails (password reset, invitation, security alert) rendered in the recipient's
language from templates (notifications.py, rendering.py) and sent by the `email` worker
through the configured mail transport."""

from dokvault.services.notify import events, inbox, notifications, rendering
from dokvault.services.notify.events import (
    ALWAYS_MAILED,
    KINDS,
    notify,
    office_members,
    processing_failed,
    review_digest,
    security_alert,
    share_received,
    sync_failed,
)
from dokvault.services.notify.inbox import (
    Choices,
    Entry,
    choices,
    mail_notification,
    mark_all_read,
    mark_read,
    recent,
    set_language,
    set_mailed,
    unread_count,
)
from dokvault.services.notify.notifications import deliver

__all__ = [
    "ALWAYS_MAILED", "KINDS", "Choices", "Entry", "choices", "deliver", "events", "inbox",
    "mail_notification", "mark_all_read", "mark_read", "notifications", "notify",
    "office_members", "processing_failed", "recent", "rendering", "review_digest",
    "security_alert", "set_language", "set_mailed", "share_received", "sync_failed",
    "unread_count",
]
