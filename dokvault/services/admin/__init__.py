"""Administration: users (roles, activation, invitations), offices (creating them,
placing people, sharing a document with one) and the internal hosts the outbound guard
allows. The audit log it reads lives in core."""

from dokvault.services.access import Forbidden
from dokvault.services.admin import offices, outbound_hosts, users
from dokvault.services.admin.users import (
    UserView,
    create_invited,
    delete_user,
    emails_by_id,
    invitation_link,
    invite_user,
    list_users,
    mail_delivers,
    resend_invitation,
    set_active,
    set_password_link,
    set_role,
    update_user,
)

__all__ = ["Forbidden", "UserView", "create_invited", "delete_user", "emails_by_id",
           "invitation_link", "invite_user", "list_users", "mail_delivers", "offices", "outbound_hosts",
           "resend_invitation", "set_active", "set_password_link", "set_role", "update_user",
           "users"]
