"""Correcting a document's type, tags and fields on its own page (issue 17: "a field
corrected in review or on the detail page trains a model"): as the page calls it (the
editor's state, no browser), checked per field kind on the server, recorded as a review
decision is, audited as a metadata change, once for a double click, refused to who may
only read; and through the real retrain path the next document of that layout is right."""

from __future__ import annotations

import dataclasses

from reflex.istate.data import ReflexURL
from sqlmodel import select

from dokvault import db
from dokvault.core import audit
from dokvault.models import AppSetting, Classification, ReviewRecord
from dokvault.services import documents
from dokvault.services.auth import accounts
from dokvault.services.intelligence import corrections, local_model, review
from dokvault.services.intelligence.corrections import Correction
from tests.samples import make_text
from tests.unit.helpers import access_token, handled, page_state, wait_final
from tests.unit.test_field_learning import PEOPLE, form, suggested_fields
from tests.unit.test_review import wait_classified


def _editor(user, uid: str):
    from dokvault.pages.documents.detail_fields import FieldEditState

    with db.session() as s:
        session_id = accounts.open_session(s, user, "pytest-browser")
    state = page_state(FieldEditState, access_token(user.id, session_id))
    root = state
    while root.parent_state is not None:
        root = root.parent_state
    root.router = dataclasses.replace(root.router, url=ReflexURL(f"http://localhost:3000/documents/{uid}"))
    _call(state.parent_state, "load")
    return state


def _call(state, name: str, *args):
    return handled(type(state).event_handlers[name].fn(state, *args))


def _records(document_id: int) -> dict[str, ReviewRecord]:
    with db.session() as s:
        rows = s.exec(select(ReviewRecord).where(ReviewRecord.document_id == document_id)
                      .order_by(ReviewRecord.id)).all()
    return {r.field: r for r in rows}


def _kind(kind: str) -> int:
    return audit.search_events(kind=kind)[1]


def test_the_page_checks_each_field_by_its_kind_and_saves_nothing_until_all_fit(admin, tmp_path):
    doc = wait_final(documents.ingest_path(admin.id, make_text(tmp_path / "notat.txt", "Et kort notat.")).id)
    wait_classified(doc.id)
    state = _editor(admin, str(doc.uid))
    _call(state, "start_edit")
    assert state.edit_uid == str(doc.uid) and "Kjøpekontrakt" in state.type_options
    _call(state, "choose_type", "Kjøpekontrakt")
    _call(state, "set_value", "contract_date", "31.02.2026")
    _call(state, "set_value", "price", "fire millioner")
    _call(state, "set_value", "gnr_bnr", "12")
    _call(state, "set_value", "seller", "Kari Nordmann")
    said = str(_call(state, "save"))
    assert "error" in said and state.edit_uid == str(doc.uid)  # the editor stays open
    assert state.errors == {"contract_date": "field_error.date", "price": "field_error.money",
                            "gnr_bnr": "field_error.gnr_bnr"}
    current = review.current_values(documents.get_document(admin, str(doc.uid)))
    assert "seller" not in current.fields and current.document_type != "Kjøpekontrakt"
    assert review.is_unconfirmed(doc.id) and _kind("document.metadata_changed") == 0

    _call(state, "set_value", "contract_date", "15.03.2026")
    assert "contract_date" not in state.errors  # typing again clears the field's note
    _call(state, "set_value", "price", "kr 4 500 000,-")
    _call(state, "set_value", "gnr_bnr", "gnr. 12 bnr. 034")
    assert "success" in str(_call(state, "save"))
    assert state.edit_uid == "" and state.errors == {}
    current = review.current_values(documents.get_document(admin, str(doc.uid)))
    assert current.document_type == "Kjøpekontrakt"
    assert {k: current.fields.get(k) for k in ("contract_date", "price", "gnr_bnr", "seller")} == \
        {"contract_date": "2026-03-15", "price": "4500000", "gnr_bnr": "12/34", "seller": "Kari Nordmann"}
    shown = {f["key"]: f["value"] for f in state.meta["fields"]}
    assert shown["contract_date"] == "15.03.2026" and shown["price"] == "kr 4\u00a0500\u00a0000"

    # Recorded as a review: confirmed, each field against the suggestion; audited once.
    assert not review.is_unconfirmed(doc.id)
    records = _records(doc.id)
    assert not records["type"].accepted and records["type"].final == "Kjøpekontrakt"
    assert not records["field:price"].accepted and records["field:price"].final == "4500000"
    assert _kind("document.metadata_changed") == 1
    [event], _ = audit.search_events(kind="document.metadata_changed")
    assert "field:price" in event.detail and "4500000" not in event.detail  # names, never values

    # The second click of a double click finds the editor closed: nothing more.
    assert _call(state, "save") is None
    assert _kind("document.metadata_changed") == 1 and len(_records(doc.id)) == len(records)


def test_a_reviewed_document_corrected_again_brings_its_records_up_to_date(admin, tmp_path):
    doc = wait_final(documents.ingest_path(admin.id, form(tmp_path, 0)).id)
    suggested = suggested_fields(doc.id)
    assert review.accept_all(admin, str(doc.uid))
    before = _records(doc.id)
    assert all(r.accepted for r in before.values())

    typed = {**suggested, "seller": "Kari Nordmann"}
    outcome = corrections.correct(admin, str(doc.uid), Correction("Kjøpekontrakt", [], typed))
    assert outcome.saved and "field:seller" in outcome.changed
    after = _records(doc.id)
    assert not after["field:seller"].accepted and after["field:seller"].final == "Kari Nordmann"
    assert after["field:seller"].suggested == suggested.get("seller", "")
    assert len(after) == len(before) + ("field:seller" not in before)
    assert local_model._confirmed_labels()[doc.id].corrected == ("seller",)
    # The same correction again (a second tab, a double click) changes and records nothing.
    again = corrections.correct(admin, str(doc.uid), Correction("Kjøpekontrakt", [], typed))
    assert again.saved and again.changed == [] and _kind("document.metadata_changed") == 1


def test_who_may_only_read_cannot_correct(admin, broker_user, tmp_path):
    doc = wait_final(documents.ingest_path(admin.id, make_text(tmp_path / "a.txt", "Notat.")).id)
    wait_classified(doc.id)
    outcome = corrections.correct(broker_user, str(doc.uid), Correction("Annet", [], {}))
    assert outcome.forbidden and not outcome.saved
    assert review.is_unconfirmed(doc.id) and _kind("document.metadata_changed") == 0


def test_a_document_without_a_suggestion_gets_a_manual_one_and_is_learnt_from(admin, tmp_path):
    doc = wait_final(documents.ingest_path(admin.id, make_text(tmp_path / "b.txt", "Salgsoppgave.")).id)
    wait_classified(doc.id)
    with db.session() as s:  # as a document read before the classifier existed
        s.delete(s.exec(select(Classification).where(Classification.document_id == doc.id)).one())
        s.commit()
    outcome = corrections.correct(admin, str(doc.uid), Correction("Salgsoppgave", ["Bolig"], {}))
    assert outcome.saved and outcome.changed
    with db.session() as s:
        row = s.exec(select(Classification).where(Classification.document_id == doc.id)).one()
    assert row.provider == review.MANUAL and row.reviewed_at is not None
    assert local_model._confirmed_labels()[doc.id].type == "Salgsoppgave"
    assert all(a.provider != review.MANUAL for a in review.accuracy())  # not a classifier's accuracy


def test_a_correction_on_the_page_makes_the_next_document_of_that_layout_right(admin, tmp_path):
    first = wait_final(documents.ingest_path(admin.id, form(tmp_path, 0)).id)
    before = suggested_fields(first.id)
    assert before.get("seller") != "Kari Nordmann" and before.get("price") != "3450000"

    state = _editor(admin, str(first.uid))
    _call(state, "start_edit")
    _call(state, "choose_type", "Kjøpekontrakt")
    for key, value in (("seller", "Kari Nordmann"), ("buyer", "Ola Dunk"), ("price", "3 450 000")):
        _call(state, "set_value", key, value)
    assert "success" in str(_call(state, "save"))

    # The correction queued a training on the `ai` queue; wait for the model it stores.
    def trained():
        with db.session() as s:
            setting = s.get(AppSetting, local_model.MODEL_VERSION)
        bundle = local_model.local_provider().bundle
        return setting is not None and bundle is not None and bundle.fingerprint == setting.value \
            and bundle.fields is not None and bundle
    from tests.unit.helpers import wait_until
    bundle = wait_until(trained, timeout=60, what="a model trained on the correction")
    assert {"seller", "buyer", "price"} <= set(bundle.fields.keys)

    for n in (1, 2):
        seller, buyer, price, _ = PEOPLE[n]
        doc = wait_final(documents.ingest_path(admin.id, form(tmp_path, n)).id)
        fields = suggested_fields(doc.id)
        assert (fields.get("seller"), fields.get("buyer"), fields.get("price")) == \
            (seller, buyer, price.replace(" ", ""))
