"""The audit log in the browser, on the embedded default and on production servers:
entries in words with the names of people, documents and offices, filters, paging and the
raw record; then the day's export written to the object store (the local folder, or S3)
with the right rows and a SHA-256 manifest, listed on the page and downloaded from it."""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import shot

ADMIN = ("revisor@example.no", "Revisor-Strandkaien-12")
BROKER = ("per.olsen@example.no", "Per-Olsen-Strandkaien-12")


def sign_in(page, app, email: str, password: str) -> None:
    page.goto(f"{app.url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#sign-in")
    expect(page.locator("#signed-in-as")).to_have_text(email)


def stored_object(app, key: str) -> bytes:
    """An object as the store holds it: a file in the data folder, or an S3 object."""
    if app.mode == "embedded":
        return (app.data_dir / "objects" / key).read_bytes()
    from minio import Minio

    env = app.env
    client = Minio(env["MINIO_ENDPOINT"], access_key=env["MINIO_ACCESS_KEY"],
                   secret_key=env["MINIO_SECRET_KEY"], secure=False)
    response = client.get_object(env["MINIO_BUCKET"], key)
    try:
        return response.read()
    finally:
        response.close()
        response.release_conn()


def test_the_log_in_words_and_its_export(page, app, tmp_path):
    for (email, password), role, name in ((ADMIN, "admin", "Revisor"), (BROKER, "broker", "Per Olsen")):
        try:
            app.command("create-user", email, "--role", role, "--name", name, "--password", password)
        except subprocess.CalledProcessError as exc:
            assert "already in use" in exc.stdout, exc.stdout
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "Kjøpekontrakt Storgata 12B.txt").write_text("Kjøpekontrakt for Storgata 12B.")
    app.command("import", str(folder), "--owner", BROKER[0])

    # Per places himself nowhere: the admin puts him in Bergen, and he shares his contract.
    sign_in(page, app, *ADMIN)
    page.goto(f"{app.url}/admin/offices")
    page.fill("#office-name", "Bergen")
    page.click("#newoffice-save")
    expect(page.locator(".office-row", has_text="Bergen")).to_be_visible()
    page.goto(f"{app.url}/admin/users")
    page.locator(".user-row", has_text=BROKER[0]).locator(".edit-user").click()
    page.locator("#user-office").click()
    page.get_by_role("option", name="Bergen").click()
    page.click("#user-save")
    expect(page.locator(".user-row", has_text=BROKER[0]).locator(".user-office")).to_contain_text(
        "Bergen")
    other = page.context.browser.new_context(viewport={"width": 1280, "height": 900},
                                             locale="nb-NO")
    try:
        per = other.new_page()
        sign_in(per, app, *BROKER)
        per.click("#nav-documents")
        # In the list (the dashboard, still shown for a moment, links the contract twice).
        per.locator(".document-row").get_by_role("link", name="Kjøpekontrakt Storgata 12B.txt").click()
        per.click("#share-switch")
        expect(per.get_by_text("Delt med Bergen.")).to_be_visible()
        href = per.locator("#download-link").get_attribute("href")
        assert per.evaluate("(url) => fetch(url, {redirect: 'manual'}).then((r) => r.type)", href)
    finally:
        other.close()

    # The log tells it in words, with names, newest first.
    page.goto(f"{app.url}/admin/audit")
    shared = page.locator(".audit-row", has_text="delte")
    expect(shared).to_contain_text("Per Olsen delte Kjøpekontrakt Storgata 12B.txt med Bergen")
    expect(shared.locator(".audit-document")).to_have_text("Kjøpekontrakt Storgata 12B.txt")
    expect(page.locator(".audit-row", has_text="lastet opp Kjøpekontrakt")).to_have_count(1)
    expect(page.locator(".audit-row", has_text="Revisor endret Per Olsen")).to_contain_text(
        "kontor: – → Bergen")
    shot(page, app, "70-audit")

    # Filters: a person (as actor or target), then only this document's entries.
    page.fill("#audit-user", "Per Olsen")
    page.click("#audit-filter")
    expect(page.locator(".audit-row", has_text="Revisor logget inn")).to_have_count(0)
    expect(page.locator(".audit-row", has_text="Revisor endret Per Olsen")).to_have_count(1)
    page.fill("#audit-user", "")
    page.click("#audit-filter")
    shared.locator(".audit-only-document").click()
    expect(page.locator("#audit-document-filter")).to_contain_text("Kjøpekontrakt Storgata 12B")
    # uploaded, classified, shared, downloaded
    expect(page.locator(".audit-row")).to_have_count(4)
    expect(page.locator(".audit-row", has_text="Klassifisereren (local) fylte inn")).to_have_count(1)
    page.locator("#audit-kind").click()
    page.get_by_role("option", name="Dokumenter").click()
    expect(page.locator(".audit-row").first).to_contain_text("Per Olsen")
    page.locator(".audit-row", has_text="delte").locator(".audit-raw").click()
    raw = json.loads(page.locator("#audit-raw-record").inner_text())
    assert raw["kind"] == "document.shared" and raw["created_at"].endswith("Z")
    assert isinstance(raw["document_id"], int) and raw["detail"]["office_id"]
    page.click("#audit-raw-close")
    page.click("#audit-clear-document")
    page.set_viewport_size({"width": 375, "height": 800})
    shot(page, app, "70-audit-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The day's export: the nightly job's work, run now for today.
    today = datetime.now(UTC).date()
    out = app.command("export-audit", "--day", today.isoformat()).stdout
    assert f"{today}:" in out
    base = f"audit/{today:%Y}/{today:%m}/{today:%d}"
    jsonl = stored_object(app, f"{base}.jsonl")
    table = stored_object(app, f"{base}.csv")
    manifest = json.loads(stored_object(app, f"{base}.manifest.json"))
    records = [json.loads(line) for line in jsonl.decode().splitlines()]
    kinds = [r["kind"] for r in records]
    assert {"document.uploaded", "document.shared", "admin.user_changed", "auth.sign_in.ok"} \
        <= set(kinds)
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    assert len(table.decode().splitlines()) == len(records) + 1
    assert manifest["rows"] == len(records) and manifest["day"] == today.isoformat()
    assert manifest["files"][f"{today:%d}.jsonl"]["sha256"] == hashlib.sha256(jsonl).hexdigest()
    assert manifest["files"][f"{today:%d}.csv"]["sha256"] == hashlib.sha256(table).hexdigest()
    assert "Kjøpekontrakt" not in jsonl.decode()  # ids, never names or content

    page.reload()
    row = page.locator(".audit-export-row", has_text=today.isoformat())
    expect(row).to_contain_text(str(len(records)))
    with page.expect_download() as download:
        row.locator(".audit-export-jsonl").click()
    assert download.value.suggested_filename == f"audit-{today.isoformat()}.jsonl"
    assert Path(download.value.path()).read_bytes() == jsonl
    shot(page, app, "71-audit-exports")
