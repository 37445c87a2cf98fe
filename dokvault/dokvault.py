"""Assembles the Reflex app: pages, HTTP routes and the start-up work."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import reflex as rx

import workers.embedded  # every actor, and the broker jobs go to (core/jobs.py)
from dokvault import db
from dokvault.api import middleware
from dokvault.api.routes import api
from dokvault.api.upload_guard import guard_uploads
from dokvault.components.token_refresh import token_refresh_script
from dokvault.core.logs import configure_logging
from dokvault.core.private import make_private
from dokvault.extract import tesseract
from dokvault.pages.admin.audit import AuditState
from dokvault.pages.admin.audit_page import audit_page
from dokvault.pages.admin.mail import MailState, mail_page
from dokvault.pages.admin.outbound_hosts import OutboundHostsState, outbound_hosts_page
from dokvault.pages.admin.quotas import QuotasState, quotas_page
from dokvault.pages.admin.security_policy import SecurityPolicyState, security_policy_page
from dokvault.pages.admin.system import SystemState, system_page
from dokvault.pages.admin.users import AdminUsersState
from dokvault.pages.admin.users_page import users_page
from dokvault.pages.analytics.page import analytics_page
from dokvault.pages.analytics.state import AnalyticsState
from dokvault.pages.auth.account import AccountState, account_page
from dokvault.pages.auth.login import LoginState, login_page, setup_page
from dokvault.pages.auth.password_reset import (
    PasswordResetState,
    forgot_password_page,
    reset_password_page,
)
from dokvault.pages.auth.second_factor import TwoFactorLoginState, two_factor_login_page
from dokvault.pages.auth.security import SecurityState, security_page
from dokvault.pages.auth.sessions import SessionsState, sessions_page
from dokvault.pages.documents.detail import DETAIL_LOADS, detail_page
from dokvault.pages.documents.listing import documents_page
from dokvault.pages.documents.listing_state import DocumentsState
from dokvault.pages.documents.trash import TrashState, trash_page
from dokvault.pages.drives.page import drives_page
from dokvault.pages.drives.state import DrivesState
from dokvault.pages.drives.web import WebImportState, web_page
from dokvault.pages.home.page import home_page
from dokvault.pages.home.state import HomeState
from dokvault.pages.intelligence.ai import AISettingsState, ai_page
from dokvault.pages.intelligence.review import ReviewState, review_page
from dokvault.pages.intelligence.taxonomy import TaxonomyAdminState
from dokvault.pages.intelligence.taxonomy_page import taxonomy_page
from dokvault.pages.notify.inbox import InboxState, inbox_page, settings_page
from dokvault.pages.org.assignments import AssignmentsState, assignment_page, assignments_page
from dokvault.pages.org.integrations import IntegrationsState, integrations_page
from dokvault.pages.org.offices import OfficesState, offices_page
from dokvault.pages.org.staff import StaffState, staff_page
from dokvault.pages.org.systems import SystemsState
from dokvault.pages.org.teams import TeamsState, teams_page
from dokvault.pages.search.page import SearchState, search_page
from dokvault.pages.sharing.panel import SharingState
from dokvault.pages.sharing.public import SharedLinkState, shared_link_page
from dokvault.pages.templates.detail import TemplateState, template_page
from dokvault.pages.templates.listing import templates_page
from dokvault.pages.templates.listing_state import TemplatesState
from dokvault.services import documents, drives
from dokvault.services.auth import accounts
from dokvault.services.intelligence import taxonomy
from dokvault.services.ops import schedule
from dokvault.settings import get_settings
from dokvault.state.base import AppState
from dokvault.state.owner import TabOwnerGuard

configure_logging()
log = logging.getLogger("dokvault")


def _start() -> None:
    settings = get_settings()
    make_private()  # before the first file is written
    with db.session() as s:
        accounts.ensure_bootstrap_admin(s)
        taxonomy.seed_once(s)
    documents.clean_temp_files()
    if reason := tesseract.unavailable_reason():
        log.warning("OCR not available (%s): scans and image-only PDF pages will fail with "
                    "'OCR not available: Tesseract is not installed'; install tesseract-ocr "
                    "with its nor and eng data", reason)
    if settings.embedded_workers:
        workers.embedded.start()
        documents.requeue_pending()
        drives.requeue_at_start(workers_died=True)  # the workers lived in the process that stopped
        schedule.start()  # in production the `dokvault scheduler` process fires it


@contextlib.asynccontextmanager
async def lifespan():
    started = time.monotonic()
    await asyncio.to_thread(_start)
    log.info("DokVault ready in %.1f s", time.monotonic() - started)
    yield
    if get_settings().embedded_workers:
        await asyncio.to_thread(schedule.stop)
        await asyncio.to_thread(workers.embedded.stop)


app = rx.App(
    # Our routes first, then the upload length keeper, then the layers that guard every
    # response (dokvault.api.middleware).
    api_transformer=[api, guard_uploads, *middleware.LAYERS],
    head_components=[rx.el.meta(name="referrer", content="same-origin"), token_refresh_script()],
)
app.register_lifespan_task(lifespan)
app.add_middleware(TabOwnerGuard(), index=0)  # before anything reads or sends a tab's state
# Pages behind sign-in: the session is checked first, then the page loads its data.
SIGNED_IN_PAGES = (
    ("/", home_page, HomeState.load),
    ("/documents", documents_page, [DocumentsState.load, SystemState.check_health]),
    ("/analytics", analytics_page, AnalyticsState.load),
    ("/documents/[uid]", detail_page, [*DETAIL_LOADS, SharingState.load_sharing]),
    ("/search", search_page, SearchState.load),
    ("/review", review_page, ReviewState.load),
    ("/trash", trash_page, TrashState.load),
    ("/account", account_page, AccountState.load),
    ("/account/security", security_page, SecurityState.load),
    ("/account/sessions", sessions_page, SessionsState.load),
    ("/admin/users", users_page, AdminUsersState.load),
    ("/admin/audit", audit_page, AuditState.load),
    ("/admin/quotas", quotas_page, QuotasState.load),
    ("/admin/security", security_policy_page, SecurityPolicyState.load),
    ("/admin/outbound-hosts", outbound_hosts_page, OutboundHostsState.load),
    ("/admin/system", system_page, SystemState.load),
    ("/admin/taxonomy", taxonomy_page, TaxonomyAdminState.load),
    ("/admin/ai", ai_page, AISettingsState.load),
    ("/templates", templates_page, TemplatesState.load),
    ("/templates/[uid]", template_page, TemplateState.load),
    # Organisation and notifications (issue 14)
    ("/admin/integrations", integrations_page, [IntegrationsState.load, SystemsState.load]),
    ("/admin/mail", mail_page, MailState.load),
    ("/admin/offices", offices_page, OfficesState.load),
    ("/admin/teams", teams_page, TeamsState.load),
    ("/staff", staff_page, StaffState.load),
    ("/assignments", assignments_page, AssignmentsState.load),
    ("/assignments/[id]", assignment_page, AssignmentsState.load_detail),
    ("/notifications", inbox_page, InboxState.load),
    ("/account/notifications", settings_page, InboxState.load_settings),
    ("/drives", drives_page, DrivesState.load),
    ("/drives/web", web_page, WebImportState.load),
)
PUBLIC_PAGES = (
    ("/login", login_page, LoginState.load_login),
    ("/setup", setup_page, LoginState.load_setup),
    ("/login/2fa", two_factor_login_page, TwoFactorLoginState.load_two_factor),
    ("/forgot-password", forgot_password_page, PasswordResetState.load_forgot),
    ("/reset-password", reset_password_page, PasswordResetState.load_reset),
    ("/s/[link]", shared_link_page, SharedLinkState.load),
)
for route, page, load in SIGNED_IN_PAGES:
    app.add_page(page, route=route, title="DokVault",
                 on_load=[AppState.require_user, *(load if isinstance(load, list) else [load])])
for route, page, load in PUBLIC_PAGES:
    app.add_page(page, route=route, title="DokVault", on_load=load)
