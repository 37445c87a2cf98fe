"""The sharing card, the public link page and the template editor, called as Reflex calls
them (no browser): a double click's second event finds the work done and says nothing;
the link page shows nothing before the password."""

from __future__ import annotations

import dataclasses

from reflex.istate.data import ReflexURL
from sqlmodel import func, select

from dokvault import db
from dokvault.models import ShareLink, Template
from dokvault.services import documents
from dokvault.services.sharing import links
from tests.samples import make_text
from tests.unit.helpers import handled, wait_final
from tests.unit.test_idempotent_pages import _page
from tests.unit.test_search_filters import _user


def _at(state, path: str):
    """The state as the page at `path` sees it."""
    root = state
    while root.parent_state is not None:
        root = root.parent_state
    root.router = dataclasses.replace(root.router, url=ReflexURL(f"http://localhost:3000{path}"))
    return state


def _call(state, name: str, *args):
    return handled(type(state).event_handlers[name].fn(state, *args))


def _count(model) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_the_sharing_card_acts_once_per_double_click(admin, tmp_path):
    from dokvault.pages.sharing.panel import SharingState

    kari = _user("kari@example.no", "Kari Nordmann", None)
    per = _user("per@example.no", "Per Berg", None)
    doc = wait_final(documents.ingest_path(kari.id, make_text(tmp_path / "d.txt", "tekst")).id)
    state = _at(_page(SharingState, kari), f"/documents/{doc.uid}")
    _call(state, "load_sharing")
    assert state.owner_view
    people = [p["label"] for p in state.people]
    assert "Per Berg (per@example.no)" in people and "Kari Nordmann (kari@example.no)" not in people

    _call(state, "choose_person", str(per.id))
    assert "success" in str(_call(state, "share_with_person"))
    assert _call(state, "share_with_person") is None  # not "choose a person", not an error
    assert len(state.shares) == 1 and not state.sharing

    form = {"days": "3", "password": "", "max_downloads": "2"}
    assert "success" in str(_call(state, "make_link", form))
    assert _call(state, "make_link", form) is None
    assert _count(ShareLink) == 1 and state.new_link.startswith("http://localhost:3000/s/")
    link_uid = state.links[0]["uid"]
    assert "success" in str(_call(state, "revoke", link_uid))
    assert _call(state, "revoke", link_uid) is None
    assert state.links[0]["status"] == "revoked"
    assert "error" in str(_call(state, "make_link", {"days": "365"}))  # past SHARE_LINK_MAX_DAYS

    # Per, who it was shared with, gets no card: who shared it instead.
    reader = _at(_page(SharingState, per), f"/documents/{doc.uid}")
    _call(reader, "load_sharing")
    assert not reader.owner_view and reader.shared_by == "Kari Nordmann"
    assert reader.links == [] and reader.accesses == []


def test_the_link_page_shows_nothing_before_the_password(admin, tmp_path):
    from dokvault.pages.sharing.public import SharedLinkState

    kari = _user("kari@example.no", "Kari Nordmann", None)
    doc = wait_final(documents.ingest_path(kari.id, make_text(tmp_path / "Brev.txt", "hei")).id)
    url = links.create_link(kari, str(doc.uid), days=1, password="Hemmelig 2026").url
    page = _at(_page(SharedLinkState, kari), url.removeprefix("http://localhost:3000"))
    _call(page, "load")
    assert (page.status, page.name, page.grant) == ("password", "", "")
    _call(page, "unlock", {"password": "feil"})
    assert (page.status, page.error_key, page.name) == ("password", "share.wrong_password", "")
    _call(page, "unlock", {"password": "Hemmelig 2026"})
    assert (page.status, page.name) == ("ok", "Brev.txt") and page.grant
    assert not page.unlocking
    [first, *_] = links.list_accesses(kari, str(doc.uid))
    assert (first.outcome, first.who) == ("unlocked", "kari@example.no")  # signed in: named


def test_a_new_template_saved_twice_is_one_template(admin):
    from dokvault.pages.templates.detail import TemplateState

    state = _at(_page(TemplateState, admin), "/templates/new")
    _call(state, "load")
    assert state.editing and state.office_choices[0]["id"] == "org"
    form = {"title": "Visningsliste", "category": "Sjekkliste", "office": "org",
            "html": "<ul><li>Nøkler</li></ul><script>alert(1)</script>"}
    first = str(_call(state, "save", form))
    assert "/templates/" in first and "warning" in first  # made, and the script taken out
    assert _call(state, "save", form) is None
    assert _count(Template) == 1
    with db.session() as s:
        assert "<script" not in s.exec(select(Template.html)).one()
