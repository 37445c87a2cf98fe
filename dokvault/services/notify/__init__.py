"""Telling people: the mails DokVault sends (password reset, invitation, security alert),
rendered in the recipient's language and delivered by the `email` worker."""

from dokvault.services.notify import notifications
from dokvault.services.notify.notifications import KINDS, deliver

__all__ = ["KINDS", "deliver", "notifications"]
