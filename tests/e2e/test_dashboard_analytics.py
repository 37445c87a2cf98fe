"""The home dashboard and the analytics views in the browser, on the embedded default and
on production: every chart empty (and saying why), then with data from real uploads,
readings, a review and sign-ins; the dashboard's figures, their links and its update
without a reload; the filters in the URL; a CSV export that matches the chart's table."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import expect

from tests import samples
from tests.e2e.conftest import ROOT, shot
from tests.e2e.test_admin_sessions import ADMIN, create_first_admin, sign_in
from tests.unit.test_ocr import save, scan

CHARTS = ("documents_by_type", "documents_by_office", "documents_by_user", "storage_by_office",
          "storage_by_type", "processing", "queue_depth", "acceptance_by_provider",
          "acceptance_by_field", "sign_ins", "sync_history")
BROKEN = "ødelagt.pdf"


def import_files(app, folder: Path) -> None:
    app.command("import", str(folder), "--owner", ADMIN[0])


def sample_queues(app) -> None:
    """What the scheduled `sample_queue_depth` job does, once, against the app's servers."""
    subprocess.run([sys.executable, "-c", "from dokvault.services.ops import queue_depth; "
                    "queue_depth.sample()"], cwd=ROOT, env=app.env, check=True, timeout=60)


def record_syncs(app) -> None:
    """Two finished Vitec runs, one of them with errors, as the sync actor leaves them."""
    subprocess.run([sys.executable, "-c", """
from dokvault import db
from dokvault.models import SyncRun
from dokvault.models.base import utcnow
with db.session() as s:
    s.add(SyncRun(kind="vitec", status="done", started_at=utcnow(), finished_at=utcnow()))
    s.add(SyncRun(kind="vitec", status="done", errors=[{"what": "employee", "error": "x"}],
                  started_at=utcnow(), finished_at=utcnow()))
    s.commit()
"""], cwd=ROOT, env=app.env, check=True, timeout=60)


def stat(page, key: str):
    return page.locator(f"#stat-{key} .stat-value")


def sign_in_again(page, app) -> None:
    """A failed sign-in and a good one, for the sign-in chart."""
    page.click("#sign-out")
    page.wait_for_url(re.compile(r"/login"))
    page.fill("#email", ADMIN[0])
    page.fill("#password", "ikke passordet mitt")
    page.click("#sign-in")
    page.wait_for_url(re.compile(r"error=login\.invalid"))
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.click("#sign-in")
    page.wait_for_url(f"{app.url}/")  # sign-in lands on the dashboard


def table_rows(page, name: str) -> list[list[str]]:
    page.click(f"#view-table-{name}")
    table = page.locator(f"#table-{name}")
    expect(table).to_be_visible()
    rows = []
    for row in table.locator("tbody tr").all():
        rows.append([c.strip() for c in row.locator("th, td").all_inner_texts()])
    page.click(f"#view-chart-{name}")
    return rows


def test_dashboard_and_analytics_empty_then_with_data(page, app, tmp_path):
    create_first_admin(page, app)

    # Empty: the dashboard says so, and every chart of a long-past range says why.
    page.goto(f"{app.url}/")
    expect(stat(page, "failed")).to_have_text("0")
    expect(page.locator("#recent")).to_contain_text("Ingen dokumenter ennå")
    expect(page.locator("#unread-none")).to_contain_text("Ingen uleste varsler")
    expect(page.locator("#unread-count")).to_have_text("0")
    expect(page.locator("#storage-quota")).to_have_attribute("data-unlimited", "true")
    expect(page.locator("#storage-quota")).to_have_text("Kvote: ubegrenset")
    shot(page, app, "60-dashboard-empty")
    page.goto(f"{app.url}/analytics?from=2020-01-01&to=2020-03-31&bucket=month")
    for name in CHARTS:
        card = page.locator(f"#chart-{name}")
        expect(card).to_have_attribute("data-empty", "true")
        expect(card.locator(".chart-empty")).not_to_have_text("")
    expect(page.locator("#chart-processing .chart-empty")).to_contain_text("Ingen målinger i perioden")
    expect(page.locator("#chart-documents_by_type .chart-empty")).to_contain_text(
        "Ingen dokumenter ble lagt til")
    shot(page, app, "61-analytics-empty")

    # Data: files read for real (a scan for OCR, a broken PDF that fails), a review, sign-ins,
    # a queue sample.
    folder = tmp_path / "import"
    folder.mkdir()
    samples.make_text(folder / "takst.txt", samples.TAKST)
    samples.make_text(folder / "kontrakt.txt", samples.KJOPEKONTRAKT)
    save(scan(), folder / "skannet.png")
    (folder / BROKEN).write_bytes(b"%PDF-1.4\n" + b"\x00ikke en pdf" * 50)
    import_files(app, folder)
    page.goto(f"{app.url}/")
    expect(stat(page, "failed")).to_have_text("1", timeout=60_000)
    expect(page.locator(".recent-row")).to_have_count(4)
    expect(stat(page, "in_progress")).to_have_text("0", timeout=120_000)  # the scan is read
    expect(stat(page, "review")).to_have_text("3", timeout=60_000)  # three got suggestions
    expect(page.locator("#week .recharts-wrapper")).to_be_visible()
    expect(page.locator("#week-total")).to_have_text("4")
    # The broken PDF told its owner: the unread widget lists it and links to the list.
    expect(page.locator("#unread-count")).to_have_text("1", timeout=30_000)
    expect(page.locator(".unread-item")).to_contain_text(BROKEN)
    shot(page, app, "62-dashboard")
    page.locator(".unread-item a").first.click()
    page.wait_for_url(f"{app.url}/notifications")
    expect(page.locator(".notification")).to_have_count(1)
    page.click("#mark-all-read")
    page.goto(f"{app.url}/")
    expect(page.locator("#unread-count")).to_have_text("0")

    # It updates without a reload when something of mine changes.
    more = tmp_path / "more"
    more.mkdir()
    samples.make_text(more / "energiattest.txt", samples.ENERGIATTEST)
    import_files(app, more)
    expect(page.locator(".recent-row")).to_have_count(5, timeout=30_000)
    expect(page.locator("#week-total")).to_have_text("5")

    # Each figure links to the list behind it, filtered the same way.
    page.click("#stat-failed")
    page.wait_for_url(re.compile(r"/documents\?status=failed&owner=me$"))
    expect(page.locator(".document-row")).to_have_count(1)
    expect(page.locator(".document-row")).to_contain_text(BROKEN)
    expect(page.locator("#list-filters")).to_contain_text("Feilet")
    page.click("#clear-filters")
    page.wait_for_url(f"{app.url}/documents")
    expect(page.locator(".document-row")).to_have_count(5)
    page.goto(f"{app.url}/")
    typed = page.locator(".week-type[href*='type=']:not([href*='type=none'])").first
    type_name = typed.inner_text().split(" · ")[0].strip()
    type_count = int(typed.get_attribute("data-count"))
    typed.click()
    page.wait_for_url(re.compile(r"/documents\?owner=me&type=\d+&from=\d{4}-\d\d-\d\d$"))
    expect(page.locator("#list-filters .filter-chip")).to_have_count(3)
    expect(page.locator(".document-row")).to_have_count(type_count)

    # The failed document is sent again from the dashboard, and fails again (it is broken).
    page.goto(f"{app.url}/")
    page.click("#retry-dashboard")
    expect(page.get_by_text("1 dokumenter leses på nytt.")).to_be_visible()
    expect(stat(page, "failed")).to_have_text("1", timeout=60_000)

    # A review, sign-ins and a queue sample.
    page.click("#stat-review")
    page.wait_for_url(re.compile(r"/review\?owner=me$"))
    expect(page.locator("#review-waiting")).to_have_text(re.compile(r"\d venter"))
    page.click("#review-accept")
    expect(page.locator("#review-waiting")).not_to_have_text("4 venter")
    sign_in_again(page, app)
    sample_queues(app)
    record_syncs(app)

    # Every chart draws, with its table and CSV.
    page.goto(f"{app.url}/analytics")
    for name in CHARTS:
        card = page.locator(f"#chart-{name}")
        expect(card).to_have_attribute("data-empty", "false", timeout=20_000)
        expect(card.locator(".recharts-wrapper")).to_be_visible()
    expect(page.locator("#stage-select")).to_be_visible()
    shot(page, app, "63-analytics")
    assert table_rows(page, "sync_history")[-1][1:] == ["1", "1"]  # without and with errors

    # The language switch redraws the charts' series names and tables in English, and back.
    legend = page.locator("#chart-sync_history .recharts-legend-wrapper")
    expect(legend).to_contain_text("Med feil")
    page.click("#toggle-language")
    expect(legend).to_contain_text("With errors")
    expect(page.locator("#chart-documents_by_type")).to_contain_text("Documents")
    page.click("#view-table-sync_history")
    expect(page.locator("#table-sync_history thead")).to_contain_text("Without errors")
    shot(page, app, "63-analytics-english")
    page.click("#view-chart-sync_history")
    page.click("#toggle-language")
    expect(legend).to_contain_text("Uten feil")

    # The CSV export has the numbers of the chart's table.
    with page.expect_download() as downloaded:
        page.click("#csv-documents_by_type")
    exported = list(csv.reader(io.StringIO(Path(downloaded.value.path()).read_text())))
    assert exported[0][0] == "Periode" and len(exported[0]) > 1
    shown = table_rows(page, "documents_by_type")
    assert [row[1:] for row in exported[1:]] == [row[1:] for row in shown]
    assert sum(int(v) for row in exported[1:] for v in row[1:]) == 5
    expect(page.locator("#kpi-documents .kpi-value")).to_have_text("5")

    # Filters live in the URL: a preset, a type; a reload keeps them.
    page.click(".preset-30")
    page.wait_for_url(re.compile(r"/analytics\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d&bucket=day$"))
    page.locator("#filter-type").click()
    page.get_by_role("option", name=type_name, exact=True).click()
    page.wait_for_url(re.compile(r"bucket=day&type=\d+$"))
    page.reload()
    expect(page.locator("#filter-type")).to_have_text(type_name)
    expect(page.locator("#kpi-documents .kpi-value")).to_have_text(str(type_count))
    shot(page, app, "64-analytics-filtered")

    # On a phone: nothing wider than the screen.
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ("/", "/analytics"):
        page.goto(f"{app.url}{path}")
        expect(page.locator("#stat-review, #chart-documents_by_type .recharts-wrapper").first).to_be_visible()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 376, f"{path} is {wide} px wide on a phone"
        shot(page, app, "65-phone" + path.replace("/", "-").rstrip("-"))


def test_storage_against_a_quota_on_the_dashboard(page, app):
    """(After the test above.) With a quota set on /admin/quotas, the storage widget shows
    what counts against it (the trash too) and of what limit; bad input is refused beside
    its field."""
    sign_in(page, app, *ADMIN)
    page.goto(f"{app.url}/admin/quotas")
    row = page.locator("#quota-users .quota-row", has_text="Kontorleder")
    row.locator(".edit-quota").click()
    page.fill("#quota-max-documents", "null")
    page.click("#quota-save")
    expect(page.locator("#quota-max-documents-error")).to_be_visible()
    page.fill("#quota-max-bytes", "10 GB")
    page.fill("#quota-max-documents", "40")
    page.click("#quota-save")
    expect(row.locator(".quota-bytes")).to_have_text("10.0 GB")
    page.goto(f"{app.url}/")
    quota = page.locator("#storage-quota")
    expect(quota).to_have_attribute("data-unlimited", "false")
    expect(page.locator("#quota-bytes")).to_contain_text("av 10.0 GB")
    expect(page.locator("#quota-documents")).to_have_text("Kvote: 5 av 40 dokumenter")
    shot(page, app, "66-dashboard-quota")
    page.click("#stat-storage")
    page.wait_for_url(re.compile(r"/documents\?owner=me&sort=size$"))
