"""/admin/users: invite people, edit their name, role and office, see their storage against
their quota, deactivate, reset their second factor, delete; a pending invitation can be
sent again or its link copied. Every form follows the admin form pattern (state/forms.py);
the page itself is users_page.py."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import reflex as rx

from dokvault.core.sizes import human_size
from dokvault.models import Role, User
from dokvault.services import admin
from dokvault.services.admin import offices
from dokvault.services.auth import two_factor
from dokvault.services.documents import quotas
from dokvault.state import busy
from dokvault.state.base import AppState
from dokvault.state.busy import while_busy
from dokvault.state.forms import AdminForm
from dokvault.state.guards import admin_only

ROLES = [r.value for r in Role]
NO_OFFICE = "none"  # a select item cannot have an empty value


def usage_view(usage: quotas.Usage | None) -> dict[str, Any]:
    """A user's or an office's storage for the tables: used, limit, share of the limit."""
    if usage is None:
        return {"usage_used": "", "usage_limit": "", "usage_percent": 0, "usage_documents": "",
                "usage_limited": False}
    return {
        "usage_used": human_size(usage.bytes_used),
        "usage_limit": human_size(usage.max_bytes) if usage.max_bytes is not None else "",
        "usage_percent": max(usage.bytes_percent, usage.documents_percent),
        "usage_documents": str(usage.documents_used)
        + (f" / {usage.max_documents}" if usage.max_documents is not None else ""),
        "usage_limited": not usage.unlimited,
    }


class AdminUsersState(AdminForm, AppState):
    users: list[dict[str, Any]] = []
    offices: list[dict[str, Any]] = []
    # While an invitation or an (de)activation runs: its buttons take no more clicks.
    inviting: bool = False
    activating: bool = False
    invite_version: int = 0  # a new number empties the invitation form (after a success)
    # The edit dialog: open, and the user's values when it opened.
    edit_open: bool = False
    edit: dict[str, Any] = {}
    # A set-password link, shown for copying until the dialog closes: a pending invitation's
    # (copied on request, or at once where DokVault sends no mail), or a reset link.
    link: str = ""
    link_email: str = ""
    link_is_reset: bool = False
    mail_leaves: bool = True  # else invitations and resets are links an admin hands on
    # The invitation this tab sent last ("<fingerprint>@<time>"): the same form again at
    # once is its double click, not someone else's address taken.
    _invited: str = ""

    def _reload(self, actor) -> None:
        by_user = {u.subject_id: u for u in quotas.usages(actor)[0]}
        self.offices = [{"id": str(o.id), "name": o.name, "members": o.members}
                        for o in offices.list_offices()]
        names = {o["id"]: o["name"] for o in self.offices}
        self.users = [{**asdict(u), **usage_view(by_user.get(u.id)),
                       "office_name": names.get(u.office_id, "")}
                      for u in admin.list_users(actor)]

    def _refused(self, exc: admin.Forbidden):
        return rx.toast.error(self._t(exc.code))

    @rx.event
    @admin_only
    def load(self, *, user: User):
        self._reload(user)
        self.mail_leaves = admin.mail_delivers()
        self.edit_open, self.link = False, ""
        return None

    # --- invite ---------------------------------------------------------------------------

    @rx.event
    @admin_only
    @while_busy("inviting")
    def invite(self, form: dict, *, user: User):
        email = str(form.get("email", ""))[:320]
        sent = busy.fingerprint(email.strip().lower())
        if busy.is_repeat(self._invited, sent):
            return None  # invited a moment ago from this tab: one account, one message

        self.mail_leaves = admin.mail_delivers()

        def invite_now():
            invited = admin.invite_user(user, email, str(form.get("name", ""))[:400],
                                        str(form.get("role") or "broker"), self.lang,
                                        self._client())
            self._invited = busy.stamp(sent)
            return invited

        def sent(invited):
            self.invite_version += 1
            self._reload(user)
            if not self.mail_leaves:  # no mail went: the link to hand on, said so
                self.link = admin.invitation_link(user, invited.id, self._client())
                self.link_email, self.link_is_reset = invited.email, False

        # Where no mail leaves, the toast says the account is made, not that a mail went.
        return self._submit("invite", invite_now,
                            "admin.invited" if self.mail_leaves else "users.invited_no_mail",
                            then=sent,
                            email=email.strip().lower())

    # --- edit -----------------------------------------------------------------------------

    @rx.event
    @admin_only
    def open_edit(self, user_id: int, *, user: User):
        self._reload(user)  # edit what is stored now, not what the page showed
        row = next((u for u in self.users if u["id"] == int(user_id)), None)
        if row is None:
            return rx.toast.error(self._t("error.unknown_user"))
        self._clear("user")
        self.edit = {"id": row["id"], "email": row["email"], "name": row["name"],
                     "role": row["role"], "office_id": row["office_id"] or NO_OFFICE,
                     "is_self": row["is_self"]}
        self.edit_open = True
        return None

    @rx.event
    @admin_only
    def edit_changed(self, is_open: bool, *, user: User):
        self.edit_open = bool(is_open) and self.edit_open  # it only ever closes from here
        return None

    @rx.event
    @admin_only
    @while_busy("saving")
    def save_user(self, form: dict, *, user: User):
        if not self.edit_open:
            return None  # the first click saved and closed the dialog: this is its second
        office = str(form.get("office_id") or "")

        def close(_):
            self.edit_open = False
            self._reload(user)

        return self._submit(
            "user", lambda: admin.update_user(
                user, int(self.edit["id"]), str(form.get("name", ""))[:400],
                str(form.get("role") or self.edit.get("role", "")),
                "" if office == NO_OFFICE else office, self._client()),
            "admin.saved", then=close)

    # --- actions on a row -----------------------------------------------------------------

    @rx.event
    @admin_only
    @while_busy("activating")
    def set_active(self, user_id: int, active: bool, *, user: User):
        try:
            changed = admin.set_active(user, int(user_id), bool(active), self._client())
        except admin.Forbidden as exc:
            return self._refused(exc)
        self._reload(user)
        return rx.toast.success(self._t("admin.saved")) if changed else None

    @rx.event
    @admin_only
    def reset_two_factor(self, user_id: int, *, user: User):
        try:
            two_factor.admin_reset(user, int(user_id), self._client())
        except two_factor.TwoFactorError as exc:
            return rx.toast.error(self._t(exc.code))
        self._reload(user)
        return rx.toast.success(self._t("admin.reset_2fa_done"))

    @rx.event
    @admin_only
    @while_busy("saving")
    def delete_user(self, user_id: int, *, user: User):
        try:
            email = admin.delete_user(user, int(user_id), self._client())
        except admin.Forbidden as exc:
            self._reload(user)
            if exc.code == "error.unknown_user":
                return None  # gone already (the first click of a double click): nothing to say
            return self._refused(exc)
        self._reload(user)
        return rx.toast.success(self._t("users.deleted", email=email))

    @rx.event
    @admin_only
    def resend_invitation(self, user_id: int, *, user: User):
        try:
            invited = admin.resend_invitation(user, int(user_id), self.lang, self._client())
        except admin.Forbidden as exc:
            return self._refused(exc)
        return rx.toast.success(self._t("users.resent", email=invited.email))

    @rx.event
    @admin_only
    def show_link(self, user_id: int, *, user: User):
        try:
            self.link = admin.invitation_link(user, int(user_id), self._client())
        except admin.Forbidden as exc:
            return self._refused(exc)
        self.link_email = next((u["email"] for u in self.users if u["id"] == int(user_id)), "")
        self.link_is_reset = False
        return None

    @rx.event
    @admin_only
    def make_reset_link(self, user_id: int, *, user: User):
        """A set-password link (an hour) to hand on, where DokVault sends no mail."""
        try:
            self.link = admin.set_password_link(user, int(user_id), False, self._client())
        except admin.Forbidden as exc:
            return self._refused(exc)
        self.link_email = next((u["email"] for u in self.users if u["id"] == int(user_id)), "")
        self.link_is_reset = True
        return None

    @rx.event
    def copy_link(self):
        if not self.link:
            return None
        return [rx.set_clipboard(self.link), rx.toast.success(self._t("users.link_copied"))]

    @rx.event
    def close_link(self, is_open: bool = False):
        if not is_open:
            self.link, self.link_email = "", ""  # the link leaves the page with the dialog
