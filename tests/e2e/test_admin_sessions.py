"""Sessions and admin pages in the browser: a revoked session loses access at its next
event; an admin changes a role, deactivates a user and finds it all in the audit log."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.e2e.conftest import shot

ADMIN = ("leder@example.no", "Leder-Strandkaien-12")
BROKER = ("megler@example.no", "Megler-Strandkaien-12")


def create_first_admin(page, app) -> None:
    page.goto(f"{app.url}/setup")
    page.fill("#name", "Kontorleder")
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.fill("#password_confirm", ADMIN[1])
    page.click("#create-admin")
    page.wait_for_url(f"{app.url}/")  # the dashboard
    page.goto(f"{app.url}/documents")


def sign_in(page, app, email, password) -> None:
    page.goto(f"{app.url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#sign-in")
    page.wait_for_url(f"{app.url}/")  # the dashboard
    page.goto(f"{app.url}/documents")


def test_revoking_another_session_signs_it_out(page, app, browser):
    create_first_admin(page, app)
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        phone = other.new_page()
        sign_in(phone, app, *ADMIN)

        page.goto(f"{app.url}/account/sessions")
        expect(page.locator(".session-row")).to_have_count(2)
        expect(page.locator("#current-session")).to_have_count(1)
        shot(page, app, "20-sessions")
        page.locator(".revoke-session").click()
        expect(page.locator(".session-row")).to_have_count(1)

        # The other browser loses access at its very next event.
        phone.click("#nav-search")
        phone.wait_for_url(re.compile(r"/login/?$"))
    finally:
        other.close()


def test_admin_manages_users_and_reads_the_audit_log(page, app, browser):
    app.command("create-user", BROKER[0], "--role", "broker", "--name", "Megler",
                "--password", BROKER[1])
    sign_in(page, app, *ADMIN)
    page.click("#nav-admin_users")
    row = page.locator(".user-row", has_text=BROKER[0])
    expect(row).to_contain_text("Megler")
    row.locator(".edit-user").click()  # name, role and office in one form
    page.locator("#user-role").click()
    page.get_by_role("option", name="Kontorleder").click()
    page.click("#user-save")
    expect(page.get_by_text("Lagret.")).to_be_visible()
    expect(row.locator(".user-role")).to_contain_text("Kontorleder")
    row.locator(".deactivate-user").click()
    page.locator(".confirm-action").click()  # a destructive action is confirmed first
    expect(row).to_contain_text("Deaktivert")
    shot(page, app, "21-users")

    # The deactivated broker cannot sign in.
    other = browser.new_context()
    try:
        broker = other.new_page()
        broker.goto(f"{app.url}/login")
        broker.fill("#email", BROKER[0])
        broker.fill("#password", BROKER[1])
        broker.click("#sign-in")
        expect(broker.locator("#form-error")).to_be_visible()
    finally:
        other.close()

    page.click("#nav-admin_audit")
    expect(page.locator(".audit-row", has_text="admin.user_changed")).to_have_count(1)
    expect(page.locator(".audit-row", has_text="endret Megler")).to_contain_text(
        "rolle: Megler → Kontorleder")
    expect(page.locator(".audit-row", has_text="admin.user_deactivated")).to_have_count(1)
    expect(page.locator(".audit-row", has_text="auth.sign_in.failed")).to_have_count(1)
    page.fill("#audit-user", BROKER[0])
    page.click("#audit-filter")
    expect(page.locator(".audit-row", has_text="auth.sign_in.ok")).to_have_count(0)
    expect(page.locator(".audit-row").first).to_contain_text("Megler")
    shot(page, app, "22-audit")

    # Not an admin: the admin pages send a broker home, and the links are not shown.
    app.command("create-user", "ny@example.no", "--password", BROKER[1])
    other = browser.new_context()
    try:
        newcomer = other.new_page()
        sign_in(newcomer, app, "ny@example.no", BROKER[1])
        expect(newcomer.locator("#nav-admin_users")).to_have_count(0)
        newcomer.goto(f"{app.url}/admin/audit")
        newcomer.wait_for_url(f"{app.url}/")
    finally:
        other.close()


def test_admin_runs_the_system_check(page, app):
    """Systemkontroll: the health verdict, and "run now" reports a file no document names
    (embedded: a stray file in the object folder, older than the grace period)."""
    import os

    if app.mode == "embedded":
        stray = app.data_dir / "objects" / "99" / "glemt" / "rest.pdf"
        stray.parent.mkdir(parents=True, exist_ok=True)
        stray.write_bytes(b"%PDF-1.4 left behind")
        old = time.time() - 2 * 3600
        os.utime(stray, (old, old))
    sign_in(page, app, *ADMIN)
    page.click("#nav-admin_system")
    page.wait_for_url(re.compile(r"/admin/system/?$"))
    expect(page.locator("#health-ok")).to_be_visible()
    expect(page.locator("#health-degraded")).to_have_count(0)
    page.click("#sanity-run")
    expect(page.locator("#sanity-summary")).to_contain_text("Sist kontrollert")
    expect(page.locator("#sanity-run")).to_be_enabled()
    if app.mode == "embedded":
        problem = page.locator(".sanity-problem", has_text="99/glemt/rest.pdf")
        expect(problem).to_contain_text("Fil uten dokument")
        assert stray.exists()  # reported, not deleted
    else:
        expect(page.locator("#sanity-clean")).to_be_visible()
    shot(page, app, "23-system-check")


def test_admin_invites_a_user_who_chooses_a_password_from_the_mail(page, app, browser):
    from tests.e2e.test_password_reset import LINK, open_link

    sign_in(page, app, *ADMIN)
    page.click("#nav-admin_users")
    page.fill("#invite-email", "invitert@example.no")
    page.fill("#invite-name", "Invitert Megler")
    page.click("#invite-save")
    expect(page.get_by_text("Invitasjonen er sendt til invitert@example.no")).to_be_visible()
    expect(page.locator(".user-row", has_text="invitert@example.no")).to_contain_text("Megler")

    [mail] = app.mail.wait_for("invitert@example.no", timeout=60)
    assert mail.subject == "Du er invitert til DokVault"
    other = browser.new_context()
    try:
        invitee = other.new_page()
        open_link(invitee, app, LINK.search(mail.text()).group(0))
        invitee.fill("#password", "Invitert-Strandkaien-12")
        invitee.fill("#password_confirm", "Invitert-Strandkaien-12")
        invitee.click("#save-new-password")
        invitee.wait_for_url(re.compile(r"/login"))
        sign_in(invitee, app, "invitert@example.no", "Invitert-Strandkaien-12")
        expect(invitee.locator("#signed-in-as")).to_have_text("invitert@example.no")
    finally:
        other.close()


def cookie(page, name: str) -> dict:
    return next((c for c in page.context.cookies() if c["name"] == name), {})


def expired_copy(app, monkeypatch, access: str) -> str:
    """The same claims as `access` (session, browser fingerprint), expired 20 minutes ago,
    signed with the app's own key (read from its data directory, as the app does)."""
    from datetime import timedelta

    import jwt

    from dokvault.core.caches import reset_caches
    from dokvault.models.base import utcnow
    from dokvault.services.auth import tokens

    monkeypatch.setenv("DOKVAULT_DATA_DIR", str(app.data_dir))
    reset_caches()
    claims = jwt.decode(access, options={"verify_signature": False})
    past = utcnow() - timedelta(minutes=20)
    claims.update(jti="stale-tab", iat=past, nbf=past, exp=past + tokens.ACCESS_LIFETIME)
    token = jwt.encode(claims, tokens.signing_key(), algorithm="ES256")
    reset_caches()
    return token


def test_tokens_in_the_browser_refresh_and_a_stolen_refresh_token_ends_the_session(
        page, app, browser, monkeypatch):
    sign_in(page, app, *ADMIN)
    access, refresh = cookie(page, "dokvault_access"), cookie(page, "dokvault_refresh")
    assert access["httpOnly"] and refresh["httpOnly"] and refresh["path"] == "/api/auth"
    assert "dokvault_access=" not in page.evaluate("document.cookie")
    assert "dokvault_refresh" not in page.evaluate("document.cookie")

    # The page's timer renews the token shortly before it expires (here: now).
    page.context.add_cookies([{**cookie(page, "dokvault_access_exp"), "value": "1"}])
    page.goto(f"{app.url}/account/sessions")
    expect(page.locator("#current-session")).to_have_count(1)
    page.wait_for_function(
        "() => !document.cookie.includes('dokvault_access_exp=1;') "
        "&& !document.cookie.endsWith('dokvault_access_exp=1')", timeout=30_000)
    assert cookie(page, "dokvault_access")["value"] != access["value"]
    assert cookie(page, "dokvault_refresh")["value"] != refresh["value"]

    # A tab opened with an expired access token goes through the refresh route and
    # lands where it was going, still signed in.
    page.context.add_cookies([{**cookie(page, "dokvault_access"),
                               "value": expired_copy(app, monkeypatch, access["value"])}])
    stale_tab = page.context.new_page()
    stale_tab.goto(f"{app.url}/search")
    stale_tab.wait_for_url(re.compile(r"/search/?$"))
    expect(stale_tab.locator("#signed-in-as")).to_have_text(ADMIN[0])
    assert cookie(page, "dokvault_access")["value"] != access["value"]
    stale_tab.close()

    # The first refresh token, copied before it was rotated, comes back from elsewhere:
    # the whole session ends, here too, and the owner is warned by mail.
    thief = browser.new_context()
    try:
        thief.add_cookies([{**refresh, "sameSite": "Strict"}])
        time_to_leave_grace = 11
        page.wait_for_timeout(time_to_leave_grace * 1000)
        replay = thief.request.post(f"{app.url}/api/auth/refresh",
                                    headers={"origin": app.url})
        assert replay.status == 401
    finally:
        thief.close()
    page.click("#nav-search")
    page.wait_for_url(re.compile(r"/login/?"))
    [alert] = app.mail.wait_for(ADMIN[0], timeout=60)
    assert alert.subject == "Sikkerhetsvarsel for DokVault-kontoen din"
    assert refresh["value"] not in alert.text()


def test_an_office_shares_documents_its_owner_shares_with_it(page, app, browser, tmp_path):
    """The admin creates an office and places two users in it; the broker shares a document
    from its page; the colleague finds it in the list; no one else does."""
    broker = ("ny@example.no", BROKER[1])
    colleague = ("invitert@example.no", "Invitert-Strandkaien-12")
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "Salgsoppgave Strandkaien 12.txt").write_text(
        "Salgsoppgave for Strandkaien 12, 4005 Stavanger. Prisantydning kr 4 500 000.")
    app.command("import", str(folder), "--owner", broker[0])

    sign_in(page, app, *ADMIN)
    page.goto(f"{app.url}/admin/offices")
    page.fill("#office-name", "Strandkaien Stavanger")
    page.click("#newoffice-save")
    expect(page.locator(".office-row", has_text="Strandkaien Stavanger")).to_be_visible()
    page.click("#nav-admin_users")
    for email in (broker[0], colleague[0]):
        page.locator(".user-row", has_text=email).locator(".edit-user").click()
        page.locator("#user-office").click()
        page.get_by_role("option", name="Strandkaien Stavanger").click()
        page.click("#user-save")
        expect(page.locator(".user-row", has_text=email).locator(".user-office")) \
            .to_contain_text("Strandkaien Stavanger")
    shot(page, app, "24-offices")

    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
                for _ in range(2)]
    try:
        owner, reader = (c.new_page() for c in contexts)
        sign_in(owner, app, *broker)
        owner.get_by_role("link", name="Salgsoppgave Strandkaien 12.txt").click()
        expect(owner.locator("#share-switch")).to_be_visible()
        sign_in(reader, app, *colleague)
        expect(reader.get_by_role("link", name="Salgsoppgave Strandkaien 12.txt")).to_have_count(0)

        owner.click("#share-switch")
        expect(owner.get_by_text("Delt med Strandkaien Stavanger.")).to_be_visible()
        shot(owner, app, "25-shared")
        reader.reload()
        link = reader.get_by_role("link", name="Salgsoppgave Strandkaien 12.txt")
        expect(link).to_be_visible()
        expect(reader.locator(".shared-badge")).to_have_count(1)
        link.click()
        expect(reader.locator("#shared-by-colleague")).to_be_visible()
        expect(reader.locator("#trash-button")).to_have_count(0)  # reading only
        expect(reader.locator("#share-switch")).to_have_count(0)
        shot(reader, app, "26-shared-colleague")
        download = reader.locator("#download-link").get_attribute("href")

        # Trash is the owner's own: a trashed shared document leaves the office's view.
        owner.click("#trash-button")
        expect(owner.get_by_text("Flyttet til papirkurven.", exact=True)).to_be_visible()
        reader.reload()
        expect(reader.locator("#not-found")).to_be_visible()
        assert reader.evaluate("(url) => fetch(url).then((r) => r.status)", download) == 404
        reader.goto(f"{app.url}/documents")
        expect(reader.locator("#signed-in-as")).to_have_text(colleague[0])
        expect(reader.get_by_role("link", name="Salgsoppgave Strandkaien 12.txt")).to_have_count(0)
        owner.click("#restore-button")
        expect(owner.get_by_text("Gjenopprettet.", exact=True)).to_be_visible()
    finally:
        for context in contexts:
            context.close()


SEND_UNKNOWN_EVENT = """async (token) => {
  // What a stale frontend sends after a deploy: an event for a handler that is gone.
  const origin = location.origin.replace(/^http/, "ws");
  const ws = new WebSocket(`${origin}/_event/?EIO=4&transport=websocket&token=${token}`);
  await new Promise((resolve) => { ws.onmessage = (m) => { if (m.data.startsWith("0")) resolve(); }; });
  ws.send("40/_event,");  // Socket.IO: join Reflex's namespace, then send one event
  await new Promise((resolve) => { ws.onmessage = (m) => { if (m.data.startsWith("40")) resolve(); }; });
  ws.send("42/_event," + JSON.stringify(["event", {
    name: "reflex___state____state.dokvault___state___base____app_state.gone_after_deploy",
    payload: {}, router_data: {pathname: "/", query: {}, asPath: "/"}}]));
  await new Promise((resolve) => setTimeout(resolve, 500));
  ws.close();
}"""


def test_an_event_for_an_unknown_handler_logs_no_credentials(page, app):
    sign_in(page, app, *ADMIN)
    token = page.evaluate("window.sessionStorage.getItem('token')")
    page.evaluate(SEND_UNKNOWN_EVENT, token)
    deadline = time.monotonic() + 20
    while "gone_after_deploy" not in app.log() and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    log = app.log().replace("\n", "")  # Reflex's console wraps long lines
    assert "gone_after_deploy" in log  # the error was logged...
    secrets = [cookie(page, "dokvault_access")["value"], token]
    assert [s for s in secrets if s in log] == []  # ...without the token or the tab's key
    assert "'cookie': '[redacted]'" in log


def test_a_tab_that_changes_hands_carries_nothing_of_the_first_user(page, app, tmp_path):
    """An admin fills every page's state in one tab, signs out; a broker signs in in the
    same tab (the same Reflex client token) and visits every page. Nothing the admin saw
    reaches the broker's browser, in any websocket message."""
    import pyotp

    broker = ("ny@example.no", BROKER[1])
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "Ledernotat 7391.txt").write_text("Fortrolig ledernotat 7391 om budrunden.")
    app.command("import", str(folder), "--owner", ADMIN[0])

    sign_in(page, app, *ADMIN)
    page.goto(f"{app.url}/admin/users")
    expect(page.locator(".user-row", has_text=BROKER[0])).to_be_visible()
    page.goto(f"{app.url}/admin/audit")
    expect(page.locator(".audit-row", has_text="admin.user_deactivated")).to_have_count(1)
    page.goto(f"{app.url}/search?q=ledernotat")
    page.get_by_role("link", name="Ledernotat 7391.txt").first.click()
    expect(page.get_by_text("Fortrolig ledernotat 7391 om budrunden.")).to_be_visible()
    page.goto(f"{app.url}/account/sessions")
    expect(page.locator("#current-session")).to_have_count(1)
    page.goto(f"{app.url}/account/security")
    page.click("#enrol-start")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.fill("#enrol-code", pyotp.TOTP(secret).now())
    page.click("#enrol-confirm")
    expect(page.locator("#backup-codes .backup-code")).to_have_count(10)
    codes = [c.strip() for c in page.locator("#backup-codes .backup-code").all_inner_texts()]
    token = page.evaluate("window.sessionStorage.getItem('token')")
    page.click("#sign-out")
    page.wait_for_url(re.compile(r"/login"))

    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(str(f))))
    sign_in(page, app, *broker)
    assert page.evaluate("window.sessionStorage.getItem('token')") == token  # the same tab
    for path in ("/", "/documents", "/analytics", "/search?q=ledernotat", "/review", "/trash", "/account",
                 "/account/security", "/account/sessions", "/admin/users", "/admin/audit",
                 "/admin/taxonomy", "/admin/ai"):
        page.goto(f"{app.url}{path}")
        expect(page.locator("#signed-in-as")).to_have_text(broker[0])
    page.wait_for_load_state("networkidle")
    shot(page, app, "27-tab-changed-hands")

    received = "\n".join(frames)
    assert broker[0] in received  # the broker's own pages did arrive
    leaks = [marker for marker in (ADMIN[0], BROKER[0], "admin.user_deactivated",
                                   "Ledernotat 7391", "Fortrolig ledernotat", secret, *codes)
             if marker in received]
    assert leaks == []

