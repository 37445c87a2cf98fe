"""A real double click acts once: on accept-all in review (the next document is not
accepted too) and on trash (the document stays in the trash, trashed once)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import RunningApp, running_app, shot
from tests.e2e.test_admin_sessions import ADMIN, create_first_admin
from tests.samples import ENERGIATTEST, KJOPEKONTRAKT


@pytest.fixture(scope="module")
def app(tmp_path_factory, hibp_server) -> Iterator[RunningApp]:
    with running_app("embedded", tmp_path_factory, hibp_server) as running:
        yield running


def test_double_clicks_act_once(page, app, tmp_path):
    create_first_admin(page, app)
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "kontrakt.txt").write_text(KJOPEKONTRAKT)
    (folder / "energi.txt").write_text(ENERGIATTEST)
    app.command("import", str(folder), "--owner", ADMIN[0])

    page.click("#nav-review")
    expect(page.locator("#review-waiting")).to_have_text("2 venter")
    page.dblclick("#review-accept")
    expect(page.locator("#review-waiting")).to_have_text("1 venter")
    # Events of one tab are handled in order: after a reload both clicks have been.
    page.reload()
    expect(page.locator("#review-waiting")).to_have_text("1 venter")
    expect(page.locator(".review-item")).to_have_count(1)
    shot(page, app, "40-review-double-click")

    page.click("#nav-documents")
    page.locator(".document-row").first.get_by_role("link").click()
    page.dblclick("#trash-button")
    expect(page.locator("#in-trash")).to_be_visible()
    page.reload()
    expect(page.locator("#in-trash")).to_be_visible()  # the second click did not restore it
    shot(page, app, "41-trash-double-click")
    page.click("#nav-trash")
    expect(page.locator(".trash-row")).to_have_count(1)
