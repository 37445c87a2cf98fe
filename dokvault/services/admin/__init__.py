"""Administration: users (roles, activation, invitations) and offices (creating them,
placing people, sharing a document with one). The audit log it reads lives in core."""

from dokvault.services.access import Forbidden
from dokvault.services.admin import offices, users
from dokvault.services.admin.users import (
    UserView,
    delete_user,
    emails_by_id,
    invitation_link,
    invite_user,
    list_users,
    resend_invitation,
    set_active,
    set_role,
    update_user,
)

__all__ = ["Forbidden", "UserView", "delete_user", "emails_by_id", "invitation_link",
           "invite_user", "list_users", "offices", "resend_invitation", "set_active", "set_role",
           "update_user", "users"]
