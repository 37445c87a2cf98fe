"""The admin forms in the browser, on the embedded default and on production servers:
each form refuses bad input with the error beside the field, saves good input with a toast,
asks before a destructive action; a quota set on /admin/quotas refuses an upload over it,
and the security policy is enforced on the account page. Pages are opened by their URL."""

from __future__ import annotations

import re
import subprocess
import time

from playwright.sync_api import expect

from tests.e2e.conftest import shot

ADMIN = ("sjef@example.no", "Sjefen-Strandkaien-12")
BROKER = ("per.olsen@example.no", "Per-Olsen-Strandkaien-12")


def sign_in(page, app, email: str, password: str) -> None:
    page.goto(f"{app.url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#sign-in")
    expect(page.locator("#signed-in-as")).to_have_text(email)


def toast(page, text: str):
    return page.locator("[data-sonner-toast]", has_text=text)


def phone_shot(page, app, name: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    shot(page, app, f"{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})


def people(app) -> None:
    """The admin and the broker of these journeys (made once per app)."""
    for (email, password), role, name in ((ADMIN, "admin", "Sjefen"), (BROKER, "broker", "Per Olsen")):
        try:
            app.command("create-user", email, "--role", role, "--name", name, "--password", password)
        except subprocess.CalledProcessError as exc:
            assert "already" in exc.stdout + exc.stderr or "i bruk" in exc.stdout + exc.stderr, exc


def test_users_quotas_and_the_security_policy(page, app, tmp_path):
    people(app)
    sign_in(page, app, *ADMIN)

    # --- users: invite (bad, taken, good), the pending invitation, edit, delete -----------
    page.goto(f"{app.url}/admin/users")
    page.fill("#invite-email", "ny@megler")  # the browser takes it; the server does not
    page.click("#invite-save")
    expect(page.locator("#invite-email-error")).to_have_text("Skriv en gyldig e-postadresse.")
    page.fill("#invite-email", BROKER[0])
    page.click("#invite-save")
    expect(page.locator("#invite-email-error")).to_contain_text("allerede i bruk")
    page.fill("#invite-email", "ny.megler@example.no")
    page.fill("#invite-name", "Ny Megler")
    page.click("#invite-save")
    expect(toast(page, "Invitasjonen er sendt til ny.megler@example.no")).to_be_visible()
    expect(page.locator("#invite-email-error")).to_have_count(0)
    expect(page.locator("#invite-email")).to_have_value("")  # emptied after the success
    invited = page.locator(".user-row", has_text="ny.megler@example.no")
    expect(invited.locator(".pending-badge")).to_have_text("Invitert")
    invited.locator(".copy-invitation-link").click()
    expect(page.locator("#invitation-link")).to_have_value(
        re.compile(re.escape(app.url) + r"/reset-password\?token=.+"))
    page.click("#close-link")
    expect(page.locator("#invitation-link")).to_have_count(0)
    invited.locator(".resend-invitation").click()
    expect(toast(page, "Invitasjonen er sendt på nytt til ny.megler@example.no")).to_be_visible()
    mails = app.mail.wait_for("ny.megler@example.no", count=2, timeout=60)
    assert len(mails) == 2

    broker = page.locator(".user-row", has_text=BROKER[0])
    broker.locator(".edit-user").click()
    page.fill("#user-name", "P" * 201)
    page.click("#user-save")
    expect(page.locator("#user-name-error")).to_contain_text("høyst 200 tegn")
    page.fill("#user-name", "Per Olsen")
    page.locator("#user-role").click()
    page.get_by_role("option", name="Kontorleder").click()
    page.click("#user-save")
    expect(toast(page, "Lagret.")).to_be_visible()
    expect(broker.locator(".user-role")).to_contain_text("Kontorleder")
    shot(page, app, "60-users")
    phone_shot(page, app, "60-users")

    invited.locator(".delete-user").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("Slette ny.megler@example.no?")
    page.locator(".confirm-cancel").click()  # nothing happens without the confirmation
    expect(invited).to_have_count(1)
    invited.locator(".delete-user").click()
    page.locator(".confirm-action").click()
    expect(toast(page, "ny.megler@example.no er slettet.")).to_be_visible()
    expect(page.locator(".user-row", has_text="ny.megler@example.no")).to_have_count(0)

    # --- quotas: bad and good input, then an upload over the quota is refused ------------
    page.goto(f"{app.url}/admin/quotas")
    row = page.locator("#quota-users .quota-row", has_text="Per Olsen")
    expect(row.locator(".quota-bytes")).to_have_text("Ubegrenset")
    row.locator(".edit-quota").click()
    page.fill("#quota-max-bytes", "ti gigabyte")
    page.click("#quota-save")
    expect(page.locator("#quota-max-bytes-error")).to_contain_text("Skriv en størrelse")
    page.fill("#quota-max-bytes", "20 KB")
    page.fill("#quota-max-documents", "50")
    page.click("#quota-save")
    expect(toast(page, "Kvoten for Per Olsen er lagret.")).to_be_visible()
    expect(row.locator(".quota-bytes")).to_have_text("20.0 KB")
    shot(page, app, "61-quotas")
    phone_shot(page, app, "61-quotas")

    big = tmp_path / "Takst Storgata 12B.txt"
    big.write_text("Takst for Storgata 12B. " * 1500)  # 36 KB: over the 20 KB
    small = tmp_path / "Notat.txt"
    small.write_text("Visning torsdag.")
    other = page.context.browser.new_context(viewport={"width": 1280, "height": 900},
                                             locale="nb-NO")
    try:
        per = other.new_page()
        sign_in(per, app, *BROKER)
        per.click("#nav-documents")  # wherever the document list lives
        per.set_input_files("#documents input[type=file]", [str(small), str(big)])
        per.click("#upload-button")
        refused = per.locator(".upload-row", has_text="Takst Storgata 12B.txt")
        expect(refused).to_contain_text("Lagringskvoten din er full")
        expect(per.locator(".upload-row", has_text="Notat.txt")).to_contain_text("Lagret")
        shot(per, app, "62-quota-refused")
    finally:
        other.close()
    page.goto(f"{app.url}/admin/users")
    expect(page.locator(".user-row", has_text=BROKER[0]).locator(".user-usage")).to_contain_text(
        "16 B / 20.0 KB")

    # --- the security policy: bad input, then a rule the account page enforces -----------
    page.goto(f"{app.url}/admin/security")
    page.fill("#policy-session-hours", "0")
    page.click("#policy-save")
    expect(page.locator("#policy-session-hours-error")).to_have_text("Velg et tall fra 1 til 2160.")
    page.fill("#policy-session-hours", "12")
    page.fill("#policy-password-min-length", "16")
    page.click("#policy-password_mixed")
    page.click("#policy-save")
    expect(toast(page, "Sikkerhetsreglene er lagret.")).to_be_visible()
    shot(page, app, "63-security-policy")
    phone_shot(page, app, "63-security-policy")
    page.goto(f"{app.url}/account")
    expect(page.locator("#new_password")).to_have_attribute("minlength", "16")
    page.fill("#current_password", ADMIN[1])
    page.fill("#new_password", "bareenlangsetningutentallellertegn")
    page.fill("#new_password_confirm", "bareenlangsetningutentallellertegn")
    page.locator("#new_password_confirm").press("Enter")
    expect(toast(page, "både bokstaver og tall")).to_be_visible()


def test_the_ai_provider_and_taxonomy_forms(page, app, tmp_path):
    people(app)
    sign_in(page, app, *ADMIN)

    # --- AI provider: the error beside the address, a saved key removed after confirming --
    page.goto(f"{app.url}/admin/ai")
    page.click("#ai-provider")
    page.click("#ai-provider-openai")
    page.fill("#ai-base-url", "ftp://llm.example.no/v1")
    page.fill("#ai-api-key", "sk-proj-e2e-0123456789abcdef")
    page.click("#ai-save")
    expect(page.locator("#ai-base-url-error")).to_have_text(
        "Adressen må begynne med http:// eller https://.")
    expect(page.locator("#ai-active-provider")).to_contain_text("Lokal")  # nothing saved
    page.fill("#ai-base-url", "")
    page.fill("#ai-api-key", "sk-proj-e2e-0123456789abcdef")
    page.click("#ai-save")
    expect(toast(page, "Lagret.")).to_be_visible()
    expect(page.locator("#ai-key-stored")).to_be_visible()
    expect(page.locator("#ai-base-url-error")).to_have_count(0)
    page.click("#ai-clear-key")
    page.click("#confirm-ai-clear-key")
    expect(toast(page, "Den lagrede nøkkelen er fjernet.")).to_be_visible()
    expect(page.locator("#ai-key-none")).to_be_visible()
    shot(page, app, "64-ai-provider")

    # --- taxonomy: a bad rule beside its field, then a rule applied to stored documents --
    folder = tmp_path / "import"
    folder.mkdir()
    for i in range(3):
        (folder / f"Leie {i}.txt").write_text(f"Leieavtale for hybel nummer {i} i Storgata.")
    app.command("import", str(folder), "--owner", ADMIN[0])
    page.goto(f"{app.url}/admin/taxonomy")
    page.click("#add-type")
    page.fill("#item-name", "Leieavtale")
    page.locator("#item-algorithm").click()
    page.get_by_role("option", name="Regulært uttrykk").click()
    page.fill("#item-match", "(leie")
    page.click("#item-save")
    expect(page.locator("#item-match-error")).to_contain_text("Det regulære uttrykket virker ikke")
    page.fill("#item-match", "leieavtale")
    page.click("#item-save")
    expect(toast(page, "Lagret.")).to_be_visible()
    row = page.locator(".type-row", has=page.locator(".row-name", has_text=re.compile("^Leieavtale$")))
    row.locator(".apply-type").click()
    expect(page.locator("#apply-changing")).to_have_text("3 dokumenter endres.")
    shot(page, app, "65-taxonomy-apply")
    page.click("#apply-confirm")
    expect(toast(page, "brukes nå på 3 dokumenter")).to_be_visible()
    # The job (the `ai` queue, a worker process in production) gives the type to the three:
    # the page shows the count when loaded again.
    count = page.locator(".type-row", has=page.locator(".row-name", has_text=re.compile(
        "^Leieavtale$"))).locator(".row-documents")
    deadline = time.monotonic() + 90
    while True:
        page.reload()
        expect(count).to_have_text(re.compile(r"^\d+$"))
        if count.inner_text() == "3" or time.monotonic() > deadline:
            break
    expect(count).to_have_text("3")


class HeldBack:
    """The app's messages to the page held back, once armed, from the first about `marker`
    (a state's name) after the page's on_load handlers have started, until the page shows an
    open select or its loading spinner: the page's data is still on its way when a person
    opens a select."""

    LOADING = '"is_hydrated_rx_state_":false'  # the on_load handlers have started
    # Checked again and again: the page may already show its spinner when the holding starts.
    WATCH = """setInterval(() => {
        if (document.querySelector('[role=listbox], #content .rt-Spinner')) window.releaseState();
    }, 50);"""

    def __init__(self, page, marker: str):
        self.marker, self.route, self.held = marker, None, []
        self.armed = self.loading = self.holding = False
        page.expose_function("releaseState", self.release)
        page.add_init_script(self.WATCH)
        page.route_web_socket(re.compile(r"/_event"), self._connect)

    def arm(self) -> None:
        self.armed, self.loading = True, False

    def _connect(self, route) -> None:
        self.route = route
        route.connect_to_server().on_message(self._from_app)

    def _from_app(self, message) -> None:
        text = str(message)
        if self.armed and self.loading and self.marker in text:
            self.armed, self.holding = False, True
        self.loading = self.loading or self.LOADING in text
        if self.holding:
            self.held.append(message)
        else:
            self.route.send(message)

    def release(self) -> None:
        if not self.holding:
            return
        self.holding, held, self.held = False, self.held, []
        for message in held:
            self.route.send(message)


def test_a_select_opened_before_the_page_has_its_data_stays_open(page, app):
    """A select opened as soon as it shows, before the page's data has arrived, stays open
    when the data lands and takes the pick: opened by its URL and through the side bar.
    Each time the page still holds a provider picked but not saved (Ollama), which the
    data replaces with the one in use."""
    people(app)
    held = HeldBack(page, "ai_settings_state")
    sign_in(page, app, *ADMIN)
    provider = page.locator("#ai-provider")
    page.goto(f"{app.url}/admin/ai")
    provider.click()
    page.click("#ai-provider-ollama")
    arrivals = {"by its URL": lambda: page.goto(f"{app.url}/admin/ai", wait_until="commit"),
                "through the side bar": lambda: page.click("#nav-admin_ai")}
    for how, arrive in arrivals.items():
        expect(provider, how).to_have_text("Ollama")
        page.click("#nav-home")
        expect(provider).to_have_count(0)
        held.arm()
        arrive()
        provider.click()  # as soon as it shows: no waiting for the data
        expect(provider, how).not_to_have_text("Ollama")  # the data is in
        expect(page.get_by_role("listbox"), how).to_be_visible()
        page.click("#ai-provider-ollama")
        expect(page.locator("#ai-base-url"), how).to_be_visible()


def test_the_allowed_internal_hosts_form(page, app):
    people(app)
    sign_in(page, app, *ADMIN)
    page.locator("#nav-admin_outbound_hosts").click()  # reached from the admin navigation
    page.wait_for_url(lambda url: url.endswith("/admin/outbound-hosts"))
    expect(page.get_by_role("heading", name="Tillatte interne verter")).to_be_visible()

    # A scheme, a wildcard, a network and this machine itself are refused beside the field.
    for typed, error in (("https://nextcloud.kontor.lan", "uten https://"),
                         ("*.kontor.lan", "ville slippe gjennom for mye"),
                         ("10.0.0.0/8", "ville slippe gjennom for mye"),
                         ("127.0.0.1", "denne maskinen selv")):
        page.fill("#hosts-hosts", f"nextcloud.kontor.lan\n{typed}")
        page.click("#hosts-save")
        expect(page.locator("#hosts-hosts-error")).to_contain_text(error)
    shot(page, app, "66-outbound-hosts-refused")

    page.fill("#hosts-hosts", "Nextcloud.Kontor.LAN\n10.20.0.15:8080\nnextcloud.kontor.lan")
    page.click("#hosts-save")
    expect(toast(page, "De tillatte vertene er lagret.")).to_be_visible()
    expect(page.locator("#hosts-hosts-error")).to_have_count(0)
    expect(page.locator("#hosts-hosts")).to_have_value("nextcloud.kontor.lan\n10.20.0.15:8080")
    page.reload()  # stored, not only shown
    expect(page.locator("#hosts-hosts")).to_have_value("nextcloud.kontor.lan\n10.20.0.15:8080")
    shot(page, app, "67-outbound-hosts")

    page.goto(f"{app.url}/admin/audit")
    expect(page.locator("body")).to_contain_text("endret de tillatte interne vertene")


def test_integrations_and_the_mail_transport(page, app):
    """Every outside system on /admin/integrations with its status, its settings (no secret)
    and a Test that really contacts it (the app's SMTP server, the HIBP fake); the mail page
    refuses a bad address beside its field and sends a good one at once; both audited."""
    people(app)
    sign_in(page, app, *ADMIN)
    page.goto(f"{app.url}/admin/integrations")
    mail = page.locator("#system-mail")
    expect(mail).to_have_attribute("data-configured", "true")
    expect(page.locator("#mail-settings")).to_contain_text("satt (vises ikke)")
    assert app.mail.password not in page.content()  # the SMTP password never reaches the browser
    for key, missing in (("firecrawl", "FIRECRAWL_API_KEY"), ("share", "WEBDAV_URL"),
                         ("google", "GOOGLE_CLIENT_ID"), ("vitec", "VITEC_INSTALLATION_ID")):
        card = page.locator(f"#system-{key}")
        expect(card).to_have_attribute("data-configured", "false")
        expect(card.locator(".system-missing")).to_contain_text(missing)
        expect(page.locator(f"#{key}-test")).to_have_count(0)  # nothing to contact: no button
    page.click("#mail-test")
    expect(page.locator("#mail-test-result")).to_have_attribute("data-ok", "true", timeout=30_000)
    expect(page.locator("#mail-test-result")).to_contain_text("Ingen e-post ble sendt")
    page.click("#hibp-test")
    expect(page.locator("#hibp-test-result")).to_have_attribute("data-ok", "true")
    expect(page.locator("#hibp-last-test")).to_contain_text("Virker")
    shot(page, app, "66-integrations")
    phone_shot(page, app, "66-integrations")

    # --- the mail transport: a bad address, then a test mail that arrives ---------------
    page.locator("#system-mail .system-link").click()
    page.wait_for_url(f"{app.url}/admin/mail")
    expect(page.locator("#mail-transport")).to_have_attribute("data-transport", "smtp")
    expect(page.locator("#mail-log-note")).to_have_count(0)
    expect(page.locator("#mailtest-to")).to_have_value(ADMIN[0])
    page.fill("#mailtest-to", "ikke-en-adresse")
    page.click("#mailtest-save")
    expect(page.locator("#mailtest-to-error")).to_have_text("Dette er ikke en e-postadresse.")
    page.fill("#mailtest-to", "kari.test@example.no")
    page.click("#mailtest-save")
    expect(toast(page, "Test-e-posten er sendt til kari.test@example.no.")).to_be_visible()
    expect(page.locator("#mailtest-to-error")).to_have_count(0)
    assert app.mail.wait_for("kari.test@example.no")[0].subject == "Test-e-post fra DokVault"
    shot(page, app, "67-mail-transport")

    # --- both are in the audit log, in words ----------------------------------------------
    page.goto(f"{app.url}/admin/audit")
    expect(page.get_by_text("Sjefen sendte en test-e-post via smtp")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Sjefen testet forbindelsen til hibp"))).to_be_visible()


def test_offices_in_the_admin_form_pattern(page, app):
    """Create (an empty and a taken name refused beside the field), rename in a dialog,
    deactivate after confirming, merge after choosing the target (refused without one);
    each with a toast and an audit entry."""
    people(app)
    sign_in(page, app, *ADMIN)
    page.goto(f"{app.url}/admin/users")
    page.click("#offices-link")
    page.wait_for_url(f"{app.url}/admin/offices")
    page.click("#newoffice-save")
    expect(page.locator("#newoffice-name-error")).to_have_text("Skriv inn et navn på kontoret.")
    for name in ("Bergen sentrum", "Fana"):
        page.fill("#office-name", name)
        page.click("#newoffice-save")
        expect(page.locator(".office-row", has_text=name)).to_be_visible()
    page.fill("#office-name", "Fana")
    page.click("#newoffice-save")
    expect(page.locator("#newoffice-name-error")).to_contain_text("finnes")

    row = page.locator(".office-row", has_text="Bergen sentrum")
    row.locator(".office-rename").click()
    page.fill("#office-rename-name", "Fana")
    page.click("#office-save")
    expect(page.locator("#office-name-error")).to_contain_text("finnes")
    page.fill("#office-rename-name", "Bergen Torget")
    page.click("#office-save")
    expect(toast(page, "Kontoret heter nå Bergen Torget.")).to_be_visible()
    row = page.locator(".office-row", has_text="Bergen Torget")

    row.locator(".office-deactivate").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("Deaktivere Bergen Torget?")
    page.get_by_role("alertdialog").locator(".confirm-action").click()
    expect(toast(page, "Kontoret er deaktivert.")).to_be_visible()
    expect(row).to_contain_text("Deaktivert")

    row.locator(".office-merge").click()
    page.click("#merge-save")
    expect(page.locator("#merge-target-error")).to_have_text("Velg kontoret det skal slås sammen med.")
    shot(page, app, "68-offices-merge")
    page.locator("#merge-target").click()
    page.get_by_role("option", name="Fana").click()
    page.click("#merge-save")
    expect(toast(page, "Bergen Torget er slått sammen med Fana.")).to_be_visible()
    expect(page.locator(".office-row", has_text="Bergen Torget")).to_have_count(0)
    shot(page, app, "69-offices")
    page.goto(f"{app.url}/admin/audit")
    expect(page.get_by_text("Sjefen slo sammen Bergen Torget med Fana")).to_be_visible()
