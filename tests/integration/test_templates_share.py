"""Templates imported from the organisation's network share, a real WebDAV server (WsgiDAV,
Digest as the share usually asks): HTML files listed (nothing else), each a sanitised
template named from its file; a changed file imported again is a new version of the same
template, an unchanged one nothing new; a file too large or gone is reported while the
others are imported; who may import, into which office; off when the share is not set."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from dokvault import db
from dokvault.core import audit
from dokvault.core.caches import reset_caches
from dokvault.models import Template, TemplateVersion
from dokvault.services.access import Forbidden
from dokvault.services.templates import hub, imports
from tests.unit.test_templates import hub_people  # noqa: F401 (a fixture)
from tests.webdav_server import DavServer

LETTER = ("<h1>Oppdragsbekreftelse</h1><p>Kjære selger, takk for oppdraget.</p>"
          "<script>document.title = 'pwned'</script><img src=x onerror=alert(1)>")


@pytest.fixture
def share_root(tmp_path) -> Path:
    root = tmp_path / "share"
    folder = root / "Maler æøå"
    folder.mkdir(parents=True)
    (folder / "Oppdragsbekreftelse_salg.html").write_text(LETTER, encoding="utf-8")
    (folder / "Sjekkliste visning.htm").write_bytes(
        "<ul><li>Nøkler</li><li>Visningsliste</li></ul>".encode("cp1252"))  # an older tool's
    (folder / "Prisliste.pdf").write_bytes(b"%PDF-1.4 not a template")
    (folder / "Arkiv").mkdir()
    return root


@pytest.fixture
def share(share_root, embedded, monkeypatch):
    """The share as the operator configures it (WEBDAV_*): Digest, its host allowed as theirs."""
    with DavServer(share_root, auth="digest", user="kontor", password="delt-passord-æøå") as dav:
        monkeypatch.setenv("WEBDAV_URL", dav.url)
        monkeypatch.setenv("WEBDAV_USERNAME", "kontor")
        monkeypatch.setenv("WEBDAV_PASSWORD", "delt-passord-æøå")
        reset_caches()
        yield dav


@pytest.fixture
def people(hub_people):  # noqa: F811 (the fixture imported above)
    """The templates tests' admin, office manager and broker (Strandkaien), and Sentrum."""
    return hub_people


def folder(user) -> list:
    root = imports.browse(user, None).entries
    assert [e.name for e in root] == ["Maler æøå"]
    return imports.browse(user, root[0].id).entries


def templates() -> list[Template]:
    with db.session() as s:
        return list(s.exec(select(Template).order_by(col(Template.id))).all())


def test_html_files_become_sanitised_templates_and_a_changed_file_a_new_version(share, share_root, people):
    admin, manager, broker, strandkaien, _ = people
    assert imports.available(manager) and imports.available(admin) and not imports.available(broker)
    listed = folder(manager)
    assert [e.name for e in listed] == ["Arkiv", "Oppdragsbekreftelse_salg.html", "Sjekkliste visning.htm"]

    outcome = imports.import_files(manager, listed, category="Brev", office_id=strandkaien.id)
    assert outcome.created == ["Oppdragsbekreftelse salg", "Sjekkliste visning"] and not outcome.failed
    letter, checklist = templates()
    assert (letter.title, letter.category, letter.office_id, letter.version) == \
        ("Oppdragsbekreftelse salg", "Brev", strandkaien.id, 1)
    assert "<script" not in letter.html and "onerror" not in letter.html and "pwned" not in letter.html
    assert "<h1>Oppdragsbekreftelse</h1>" in letter.html
    assert "Nøkler" in checklist.html  # cp1252 read as such
    assert letter.source == "/Maler æøå/Oppdragsbekreftelse_salg.html"
    assert [r.title for r in hub.list_templates(broker, "visningsliste")] == ["Sjekkliste visning"]

    # Renamed here meanwhile; then the file changes on the share and is imported again.
    hub.save_template(manager, str(letter.uid), title="Oppdragsbekreftelse (salg)", category="Brev",
                      office_id=strandkaien.id, html=letter.html)
    (share_root / "Maler æøå" / "Oppdragsbekreftelse_salg.html").write_text(
        "<h1>Oppdragsbekreftelse</h1><p>Ny tekst fra fellesdisken.</p>", encoding="utf-8")
    again = imports.import_files(manager, folder(manager), category="Annet", office_id=strandkaien.id)
    assert again.created == [] and again.updated == ["Oppdragsbekreftelse (salg)"]
    assert again.unchanged == ["Sjekkliste visning"]
    letter, checklist = templates()  # still two: no duplicate
    assert (letter.title, letter.category, letter.version) == ("Oppdragsbekreftelse (salg)", "Brev", 3)
    assert "Ny tekst fra fellesdisken." in letter.html and checklist.version == 1
    with db.session() as s:
        assert len(s.exec(select(TemplateVersion).where(TemplateVersion.template_id == letter.id)).all()) == 3

    # The same file into another office (by an admin) is that office's own template.
    other = imports.import_files(admin, folder(admin)[1:2], category="Brev", office_id=None)
    assert other.created == ["Oppdragsbekreftelse salg"] and len(templates()) == 3
    kinds = [e.kind for e in audit.search_events(kind="template.imported")[0]]
    assert kinds == ["template.imported"] * 3


def test_who_may_import_where_and_what_is_reported(share, share_root, people, monkeypatch):
    admin, manager, broker, strandkaien, sentrum = people
    listed = folder(manager)
    with pytest.raises(Forbidden):
        imports.browse(broker, None)  # brokers read templates, they do not make them
    with pytest.raises(Forbidden):
        imports.import_files(broker, listed, category="Brev", office_id=strandkaien.id)
    with pytest.raises(Forbidden):  # an office manager imports into their own office only
        imports.import_files(manager, listed, category="Brev", office_id=sentrum.id)
    with pytest.raises(Forbidden, match="error.template_import_none"):
        imports.import_files(manager, [e for e in listed if e.is_folder], category="",
                             office_id=strandkaien.id)

    # A file grown past the limit and one removed since the listing: reported, the rest imported.
    monkeypatch.setattr(imports, "MAX_BYTES", 40)
    (share_root / "Maler æøå" / "Sjekkliste visning.htm").unlink()
    outcome = imports.import_files(manager, listed, category="Brev", office_id=strandkaien.id)
    assert outcome.created == []
    assert dict(outcome.failed) == {"Oppdragsbekreftelse_salg.html": "error.template_too_large",
                                    "Sjekkliste visning.htm": "error.drive_not_found"}
    assert templates() == []


def test_off_when_the_share_is_not_configured(people):
    admin, manager, *_ = people
    assert not imports.available(admin)
    with pytest.raises(Forbidden, match="error.template_import_off"):
        imports.browse(admin, None)


def test_titles_come_from_file_names():
    assert imports.title_of("/Maler/Oppdragsbekreftelse_utleie.HTML") == "Oppdragsbekreftelse utleie"
    assert imports.title_of("Sjekkliste  visning.htm") == "Sjekkliste visning"
    assert imports.title_of(".html") == ".html"
