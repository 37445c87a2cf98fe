"""The templates hub: HTML sanitised on save (nothing that runs or reaches out survives),
every save a version (view and restore), search, categories and offices, who may edit;
the preview under a CSP of its own; the public POST /api/sanitize."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from dokvault.core import audit
from dokvault.models import Role
from dokvault.services.access import Forbidden
from dokvault.services.admin import offices
from dokvault.services.templates import hub, sanitize
from tests.unit.test_api import HOST, sign_in
from tests.unit.test_search_filters import _user

HOSTILE = (
    '<h1 onclick="steal()">Oppdragsbekreftelse</h1>'
    "<script>document.title = 'pwned'</script>"
    '<p style="color: red; background: url(https://evil.example/leak)">Kjære kjøper,</p>'
    '<img src="x" onerror="document.title=\'pwned\'">'
    '<img src="https://tracker.example/pixel.gif" alt="sporing">'
    '<a href="javascript:alert(1)">klikk</a> <a href="data:text/html,hei">data</a>'
    '<a href="https://www.proaktiv.no/">Proaktiv</a> <a href="mailto:post@example.no">post</a>'
    "<iframe src=\"https://evil.example\"></iframe><style>body{background:url(//evil)}</style>"
    '<form action="https://evil.example"><input name="pw"></form>'
    '<svg onload="alert(1)"><circle/></svg>'
    '<table><tr><td colspan="2">Prisantydning</td></tr></table>'
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="logo">'
)


def test_the_sanitiser_keeps_letters_and_drops_everything_that_runs_or_reaches_out():
    clean = sanitize.sanitize(HOSTILE)
    for gone in ("<script", "onclick", "onerror", "onload", "javascript:", "data:text", "url(",
                 "evil.example", "tracker.example", "<iframe", "<style", "<form", "<input",
                 "<svg", "pwned"):
        assert gone not in clean, gone
    for kept in ("<h1>Oppdragsbekreftelse</h1>", '<p style="color:red">Kjære kjøper,</p>',
                 '<a href="https://www.proaktiv.no/" rel="noopener noreferrer">Proaktiv</a>',
                 'href="mailto:post@example.no"', '<td colspan="2">Prisantydning</td>',
                 'src="data:image/png;base64,iVBORw0KGgo="'):
        assert kept in clean, kept
    assert sanitize.sanitize(clean) == clean  # stable
    with pytest.raises(sanitize.TooLarge):
        sanitize.sanitize("x" * (sanitize.MAX_HTML + 1))


@pytest.fixture
def hub_people(admin):
    strandkaien = offices.create_office(admin, "Strandkaien Stavanger")
    sentrum = offices.create_office(admin, "Sentrum Bergen")
    manager = _user("leder@example.no", "Lise Leder", strandkaien.id, Role.OFFICE_MANAGER)
    broker = _user("kari@example.no", "Kari Nordmann", strandkaien.id)
    return admin, manager, broker, strandkaien, sentrum


def test_every_save_is_a_version_and_an_old_one_can_come_back(hub_people):
    admin, manager, broker, strandkaien, _ = hub_people
    first = hub.save_template(admin, None, title="Oppdragsbekreftelse", category="Brev",
                              office_id=None, html=HOSTILE)
    assert (first.version, first.changed, first.cleaned) == (1, True, True)
    detail = hub.get_template(broker, first.uid)
    assert "<script" not in detail.html and "onerror" not in detail.html
    again = hub.save_template(admin, first.uid, title="Oppdragsbekreftelse", category="Brev",
                              office_id=None, html=HOSTILE)
    assert (again.version, again.changed) == (1, False)  # the same again: no new version
    second = hub.save_template(admin, first.uid, title="Oppdragsbekreftelse", category="Brev",
                               office_id=None, html="<p>Ny tekst</p>")
    assert (second.version, second.cleaned) == (2, False)
    assert hub.version_html(first.uid, 1) == detail.html
    assert hub.version_html(first.uid) == "<p>Ny tekst</p>"

    restored = hub.restore_version(admin, first.uid, 1)
    assert restored.version == 3
    detail = hub.get_template(broker, first.uid)
    assert detail.html == hub.version_html(first.uid, 1)
    assert [(v.version, v.restored_from) for v in detail.versions] == [(3, 1), (2, 0), (1, 0)]
    assert hub.restore_version(admin, first.uid, 1).changed is False  # a double click
    kinds = [e.kind for e in audit.search_events(kind="template.")[0]]
    assert kinds.count("template.created") == 1 and kinds.count("template.saved") == 1
    assert kinds.count("template.restored") == 1


def test_office_managers_edit_their_office_and_brokers_only_read(hub_people):
    admin, manager, broker, strandkaien, sentrum = hub_people
    theirs = hub.save_template(manager, None, title="Visningsliste", category="Sjekkliste",
                               office_id=strandkaien.id, html="<ul><li>Nøkler</li></ul>")
    org = hub.save_template(admin, None, title="Standard kontrakt", category="Brev",
                            office_id=None, html="<p>Hei</p>")
    other = hub.save_template(admin, None, title="Bergen-brev", category="Brev",
                              office_id=sentrum.id, html="<p>Hei</p>")
    for uid, allowed in ((theirs.uid, True), (org.uid, False), (other.uid, False)):
        assert hub.get_template(manager, uid).can_edit is allowed
        assert hub.get_template(broker, uid).can_edit is False  # everyone reads
    for office_id in (None, sentrum.id):  # not organisation-wide, not another office
        with pytest.raises(Forbidden):
            hub.save_template(manager, None, title="x", category="", office_id=office_id, html="")
    with pytest.raises(Forbidden):  # nor move their template out of their office
        hub.save_template(manager, theirs.uid, title="x", category="", office_id=None, html="")
    with pytest.raises(Forbidden):
        hub.save_template(broker, theirs.uid, title="x", category="", office_id=strandkaien.id,
                          html="")
    with pytest.raises(Forbidden):
        hub.delete_template(manager, org.uid)
    with pytest.raises(Forbidden, match="error.template_title_missing"):
        hub.save_template(admin, None, title="  ", category="", office_id=None, html="<p>x</p>")
    assert hub.delete_template(manager, theirs.uid) is True
    assert hub.get_template(broker, theirs.uid) is None
    assert hub.delete_template(manager, theirs.uid) is False
    assert any(e.kind == "template.refused" for e in audit.search_events()[0])


def test_search_categories_and_offices(hub_people):
    admin, manager, broker, strandkaien, _ = hub_people
    hub.save_template(admin, None, title="Oppdragsbekreftelse", category="Brev", office_id=None,
                      html="<p>Kjære <b>kjøper</b>, takk for oppdraget.</p>")
    hub.save_template(manager, None, title="Visningsliste", category="Sjekkliste",
                      office_id=strandkaien.id, html="<ul><li>Nøkler</li><li>Lys</li></ul>")

    def titles(**filters):
        return [t.title for t in hub.list_templates(broker, **filters)]

    assert titles() == ["Oppdragsbekreftelse", "Visningsliste"]
    assert titles(query="KJØPER takk") == ["Oppdragsbekreftelse"]  # words, any case
    assert titles(query="nøkler lys") == ["Visningsliste"]
    assert titles(query="sjekkliste") == ["Visningsliste"]
    assert titles(query="50%") == []
    assert titles(category="Brev") == ["Oppdragsbekreftelse"]
    assert titles(office="org") == ["Oppdragsbekreftelse"]
    assert titles(office=str(strandkaien.id)) == ["Visningsliste"]
    assert hub.categories() == ["Brev", "Sjekkliste"]


@pytest.fixture
def client(embedded):
    from dokvault.api.routes import api

    return TestClient(api, base_url=HOST, follow_redirects=False)


def test_the_preview_runs_nothing_and_only_dokvault_may_frame_it(hub_people, client):
    admin = hub_people[0]
    saved = hub.save_template(admin, None, title="Brev", category="", office_id=None, html=HOSTILE)
    url = f"/api/templates/{saved.uid}/preview"
    assert client.get(url).status_code == 401
    sign_in(client)
    response = client.get(url)
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    for rule in ("default-src 'none'", "sandbox", "img-src data:", "frame-ancestors 'self'"):
        assert rule in policy
    assert "script-src" not in policy and response.headers["x-frame-options"] == "SAMEORIGIN"
    assert "<script" not in response.text and "Oppdragsbekreftelse" in response.text
    assert client.get(f"{url}?version=7").status_code == 404
    assert client.get("/api/templates/00000000-0000-4000-8000-000000000000/preview").status_code == 404


def test_the_public_sanitize_route(client):
    response = client.post("/api/sanitize", json={"html": HOSTILE})
    assert response.status_code == 200 and response.json()["html"] == sanitize.sanitize(HOSTILE)
    raw = client.post("/api/sanitize", content='<b onmouseover="x()">fet</b>',
                      headers={"content-type": "text/html"})
    assert raw.text == "<b>fet</b>" and "sandbox" in raw.headers["content-security-policy"]
    assert client.post("/api/sanitize", json={"tekst": "x"}).status_code == 400
    assert client.post("/api/sanitize", content=b"x" * (sanitize.MAX_HTML * 4 + 2048),
                       headers={"content-type": "text/html"}).status_code == 413
    for _ in range(hub.PUBLIC_SANITIZE.limit("ip") - 2):  # two were counted above
        client.post("/api/sanitize", json={"html": "<p>x</p>"})
    limited = client.post("/api/sanitize", json={"html": "<p>x</p>"})
    assert limited.status_code == 429 and "retry-after" in limited.headers
