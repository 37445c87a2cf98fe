"""Assembles the Reflex app: pages, HTTP routes and the start-up work."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import reflex as rx

from dokvault.api.routes import api
from dokvault.logging_setup import configure_logging
from dokvault.pages.account import AccountState, account_page
from dokvault.pages.admin import AdminUsersState, AuditState, audit_page, users_page
from dokvault.pages.detail import DetailState, detail_page
from dokvault.pages.documents import DocumentsState, documents_page
from dokvault.pages.login import LoginState, login_page, setup_page
from dokvault.pages.password_reset import (
    PasswordResetState,
    forgot_password_page,
    reset_password_page,
)
from dokvault.pages.search import SearchState, search_page
from dokvault.pages.sessions import SessionsState, sessions_page
from dokvault.pages.trash import TrashState, trash_page
from dokvault.pages.two_factor import (
    SecurityState,
    TwoFactorLoginState,
    security_page,
    two_factor_login_page,
)
from dokvault.settings import get_settings
from dokvault.state.base import AppState

configure_logging()
log = logging.getLogger("dokvault")


def _start() -> None:
    from dokvault import db
    from dokvault.services import accounts, documents

    settings = get_settings()
    with db.session() as s:
        accounts.ensure_bootstrap_admin(s)
    documents.clean_temp_files()
    if settings.embedded_workers:
        import workers.embedded

        workers.embedded.start()
        documents.requeue_pending()


@contextlib.asynccontextmanager
async def lifespan():
    started = time.monotonic()
    await asyncio.to_thread(_start)
    log.info("DokVault ready in %.1f s", time.monotonic() - started)
    yield
    if get_settings().embedded_workers:
        import workers.embedded

        await asyncio.to_thread(workers.embedded.stop)


app = rx.App(
    api_transformer=api,
    head_components=[rx.el.meta(name="referrer", content="same-origin")],
)
app.register_lifespan_task(lifespan)
app.add_page(documents_page, route="/", title="DokVault",
             on_load=[AppState.require_user, DocumentsState.load])
app.add_page(detail_page, route="/documents/[uid]", title="DokVault",
             on_load=[AppState.require_user, DetailState.load])
app.add_page(search_page, route="/search", title="DokVault",
             on_load=[AppState.require_user, SearchState.load])
app.add_page(trash_page, route="/trash", title="DokVault",
             on_load=[AppState.require_user, TrashState.load])
app.add_page(sessions_page, route="/account/sessions", title="DokVault",
             on_load=[AppState.require_user, SessionsState.load])
app.add_page(users_page, route="/admin/users", title="DokVault",
             on_load=[AppState.require_user, AdminUsersState.load])
app.add_page(audit_page, route="/admin/audit", title="DokVault",
             on_load=[AppState.require_user, AuditState.load])
app.add_page(account_page, route="/account", title="DokVault",
             on_load=[AppState.require_user, AccountState.load])
app.add_page(login_page, route="/login", title="DokVault", on_load=LoginState.load_login)
app.add_page(setup_page, route="/setup", title="DokVault", on_load=LoginState.load_setup)
app.add_page(forgot_password_page, route="/forgot-password", title="DokVault",
             on_load=PasswordResetState.load_forgot)
app.add_page(reset_password_page, route="/reset-password", title="DokVault",
             on_load=PasswordResetState.load_reset)
app.add_page(two_factor_login_page, route="/login/2fa", title="DokVault",
             on_load=TwoFactorLoginState.load_two_factor)
app.add_page(security_page, route="/account/security", title="DokVault",
             on_load=[AppState.require_user, SecurityState.load])
