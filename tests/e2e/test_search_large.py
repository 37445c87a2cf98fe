"""A result larger than one page in the browser: "Vis flere" adds the next pages, and on
PostgreSQL a result above SEARCH_EXACT_LIMIT (20 here, instead of 10 000) is counted on
the sample and shown as an estimate, with its counts per type marked "≈"."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import RunningApp, running_app, shot
from tests.e2e.test_admin_sessions import ADMIN, create_first_admin

DOCUMENTS = 70  # ids 1..70: 32 and 64 are in the sample, so about 64 are estimated


@pytest.fixture(scope="module", params=["embedded", "production"])
def app(request, tmp_path_factory, hibp_server) -> Iterator[RunningApp]:
    settings = {"SEARCH_EXACT_LIMIT": "20"}
    with running_app(request.param, tmp_path_factory, hibp_server, settings) as running:
        yield running


def test_a_large_result_shows_more_and_an_estimate(page, app, tmp_path):
    create_first_admin(page, app)
    folder = tmp_path / "visninger"
    folder.mkdir()
    for i in range(DOCUMENTS):
        (folder / f"Visning {i:02d}.txt").write_text(
            f"Visningsrapport nummer {i} for Strandkaien {i}. Visning av boligen med tre soverom.")
    app.command("import", str(folder), "--owner", ADMIN[0])

    page.click("#nav-search")
    page.fill("#search-input", "visning")
    page.click("#search-button")
    results = page.locator(".search-result")
    expect(results).to_have_count(50)
    count = page.locator("#search-count")
    if app.mode == "production":
        expect(count).to_have_text("Omtrent 64 treff")
        expect(count).to_have_attribute("data-approximate", "true")
        expect(page.locator("#facets .facet-count").first).to_have_text(re.compile(r"^≈ \d+"))
    else:  # SQLite counts every match: its results are never that large
        expect(count).to_have_text(f"{DOCUMENTS} treff")
    shot(page, app, "36-search-large")

    page.click("#search-more")
    expect(results).to_have_count(DOCUMENTS)
    expect(page.locator("#search-more")).to_have_count(0)
    names = results.locator(".result-link").all_inner_texts()
    assert len(set(names)) == DOCUMENTS  # every document once

    page.fill("#search-input", '"tre soverom" Strandkaien')  # a phrase, and a new search from page one
    page.click("#search-button")
    expect(results).to_have_count(50)
    expect(page.locator("#search-more")).to_be_visible()
