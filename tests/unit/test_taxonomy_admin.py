"""Admins edit the taxonomy (types, tags, custom fields): validation, rights, the audit log,
deleting what documents use, the rule tester; and the /admin/taxonomy page's handlers called
as Reflex calls them (an admin's browser, and a broker's hand-made events)."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlmodel import select

from dokvault import db
from dokvault.ai.taxonomy_seed import DOCUMENT_TYPES, FIELDS, TAGS
from dokvault.core import audit
from dokvault.models import CustomField, Document, DocumentFieldValue, DocumentTag, DocumentType, Role, Tag
from dokvault.services.access import Forbidden
from dokvault.services.auth import accounts
from dokvault.services.intelligence import taxonomy, taxonomy_admin, taxonomy_overview, taxonomy_rules
from dokvault.services.intelligence.taxonomy_rules import TaxonomyError
from tests.unit.helpers import access_token, handled, page_state


@pytest.fixture
def broker(admin):
    with db.session() as s:
        return accounts.create_user(s, "megler@example.no", "megler passord 2024", Role.BROKER)


def type_id(name: str) -> int:
    with db.session() as s:
        taxonomy.seed_once(s)
        return s.exec(select(DocumentType.id).where(DocumentType.name == name)).one()


def tag_id(name: str) -> int:
    with db.session() as s:
        taxonomy.seed_once(s)
        return s.exec(select(Tag.id).where(Tag.name == name)).one()


def field_id(key: str) -> int:
    with db.session() as s:
        taxonomy.seed_once(s)
        return s.exec(select(CustomField.id).where(CustomField.key == key)).one()


def document(owner, name: str, type_name: str | None = None, tags: tuple[str, ...] = (),
             values: dict[str, str] | None = None) -> int:
    """A stored document row with a type, tags and field values, as the classifier leaves it."""
    with db.session() as s:
        row = Document(owner_id=owner.id, name=name, sha256=hashlib.sha256(name.encode()).hexdigest(),
                       object_key=f"objects/{name}", status="ready",
                       document_type_id=type_id(type_name) if type_name else None)
        s.add(row)
        s.commit()
        for tag in tags:
            s.add(DocumentTag(document_id=row.id, tag_id=tag_id(tag)))
        for key, value in (values or {}).items():
            s.add(DocumentFieldValue(document_id=row.id, field_id=field_id(key), value=value))
        s.commit()
        return row.id


def events(kind: str) -> list[dict]:
    return [json.loads(e.detail or "{}") for e in audit.search_events(kind=kind, page_size=200)[0]]


def code_of(call) -> TaxonomyError:
    with pytest.raises(TaxonomyError) as caught:
        call()
    return caught.value


# --- the services ----------------------------------------------------------------------------


def test_overview_shows_the_seeded_taxonomy_with_usage(admin):
    document(admin, "kontrakt.pdf", "Kjøpekontrakt", ("Bolig", "Signert"), {"address": "Strandkaien 1"})
    document(admin, "kontrakt2.pdf", "Kjøpekontrakt", ("Bolig",))
    view = taxonomy_overview.overview(admin)
    assert sorted(t.name for t in view.types) == sorted(t.name for t in DOCUMENT_TYPES)
    assert sorted(t.name for t in view.tags) == sorted(t.name for t in TAGS)
    assert [f.key for f in view.fields] == [f.key for f in FIELDS]
    counts = {t.name: t.documents for t in view.types}
    assert counts["Kjøpekontrakt"] == 2 and counts["Faktura"] == 0
    assert {t.name: t.documents for t in view.tags}["Bolig"] == 2
    assert {f.key: f.documents for f in view.fields}["address"] == 1
    assert taxonomy_overview.usage(admin, "tag", tag_id("Signert")) == 1


def test_the_first_edit_still_gets_the_seed(admin):
    # Nothing has read the taxonomy yet: an admin's first new type must not stop the seed.
    taxonomy_admin.create_type(admin, "Leiekontrakt", "Utleie av bolig", "any", "leiekontrakt husleie")
    names = taxonomy.load().type_names()
    assert "Leiekontrakt" in names and "Faktura" in names and len(names) == len(DOCUMENT_TYPES) + 1


def test_create_and_update_a_type_with_a_rule(admin):
    created = taxonomy_admin.create_type(admin, "  Leie\tkontrakt ", "Utleie", "regex",
                                         r"\bleiekontrakt\w*", case_sensitive=False)
    assert created.name == "Leie kontrakt"  # white space tidied
    label = next(t for t in taxonomy.load().types if t.name == "Leie kontrakt")
    assert label.algorithm == "regex" and label.match == r"\bleiekontrakt\w*"

    taxonomy_admin.update_type(admin, created.id, "Leiekontrakt", "Utleie av bolig", "any",
                               'leiekontrakt "leie av bolig"', True)
    with db.session() as s:
        row = s.get(DocumentType, created.id)
    assert (row.name, row.algorithm, row.case_sensitive) == ("Leiekontrakt", "any", True)
    (updated,) = events("admin.type_updated")
    assert updated["previous_name"] == "Leie kontrakt" and updated["name"] == "Leiekontrakt"
    assert set(updated["changed"].split(",")) == {"name", "description", "algorithm", "match",
                                                  "case_sensitive"}
    # Saving the same values again changes nothing and records nothing.
    taxonomy_admin.update_type(admin, created.id, "Leiekontrakt", "Utleie av bolig", "any",
                               'leiekontrakt "leie av bolig"', True)
    assert len(events("admin.type_updated")) == 1
    assert events("admin.type_created")[0]["name"] == "Leie kontrakt"


@pytest.mark.parametrize(("args", "code"), [
    (("",), "error.name_missing"),
    (("   ",), "error.name_missing"),
    (("x" * 129,), "error.name_too_long"),
    (("Faktura\x00",), "error.name_invalid"),
    (("faktura",), "error.type_exists"),          # the seeded "Faktura", in another case
    (("Ny", "d" * 501), "error.description_too_long"),
    (("Ny", "", "sometimes", "x"), "error.algorithm_invalid"),
    (("Ny", "", "any", "   "), "error.match_missing"),
    (("Ny", "", "exact", " \n "), "error.match_missing"),
    (("Ny", "", "fuzzy", "?!."), "error.match_missing"),
    (("Ny", "", "any", "w " * 501), "error.match_too_long"),
    (("Ny", "", "regex", "(unclosed"), "error.regex_invalid"),
    (("Ny", "", "regex", "[z-a]"), "error.regex_invalid"),
])
def test_bad_types_are_refused_with_a_clear_code(admin, args, code):
    error = code_of(lambda: taxonomy_admin.create_type(admin, *args))
    assert error.code == code
    assert len(taxonomy.load().types) == len(DOCUMENT_TYPES)  # nothing was written
    assert events("admin.type_created") == []


def test_a_bad_regex_names_the_problem(admin):
    error = code_of(lambda: taxonomy_admin.create_type(admin, "Ny", "", "regex", "(unclosed"))
    assert "missing )" in error.values["detail"]
    import dokvault.pages.intelligence.taxonomy  # noqa: F401 (registers the page's texts)
    from dokvault.i18n import translate

    message = translate("en", error.code, **error.values)
    assert message.startswith("The regular expression does not work: missing )")
    # A switched-off rule keeps its text unchecked (an admin may be halfway through writing it).
    assert taxonomy_admin.create_type(admin, "Utkast til regel", "", "none", "(unclosed").match == "(unclosed"


def test_renaming_onto_another_name_is_refused(admin):
    faktura = type_id("Faktura")
    assert code_of(lambda: taxonomy_admin.update_type(admin, faktura, "SKJØTE")).code == "error.type_exists"
    assert code_of(lambda: taxonomy_admin.update_type(admin, 99999, "X")).code == "error.unknown_type"
    with db.session() as s:
        assert s.get(DocumentType, faktura).name == "Faktura"


def test_deleting_a_type_in_use_leaves_its_documents_without_a_type(admin):
    first = document(admin, "a.pdf", "Faktura")
    document(admin, "b.pdf", "Faktura")
    other = document(admin, "c.pdf", "Skjøte")
    assert taxonomy_admin.delete_type(admin, type_id("Faktura")) == 2
    with db.session() as s:
        assert s.get(Document, first).document_type_id is None  # SET NULL, document kept
        assert s.get(Document, other).document_type_id == type_id("Skjøte")
    assert "Faktura" not in taxonomy.load().type_names()
    assert events("admin.type_deleted") == [{"type_id": events("admin.type_deleted")[0]["type_id"],
                                             "name": "Faktura", "documents": 2}]


def test_tags_have_a_colour_and_lose_their_links_when_deleted(admin):
    rule = ("Viktig kunde", "exact", "VIP-kunde", True)
    tag = taxonomy_admin.create_tag(admin, "Prioritert", "crimson", *rule)
    assert (tag.color, tag.case_sensitive) == ("crimson", True)
    assert code_of(lambda: taxonomy_admin.create_tag(admin, "Rosa", "red!")).code == "error.tag_color_invalid"
    assert code_of(lambda: taxonomy_admin.create_tag(admin, "x" * 65)).code == "error.name_too_long"
    assert code_of(lambda: taxonomy_admin.create_tag(admin, "bolig")).code == "error.tag_exists"
    taxonomy_admin.update_tag(admin, tag.id, "Prioritert", "amber", *rule)
    assert events("admin.tag_updated")[0]["changed"] == "color"

    doc = document(admin, "vip.pdf", "Faktura", ("Prioritert", "Bolig"))
    assert taxonomy_admin.delete_tag(admin, tag.id) == 1
    with db.session() as s:
        left = s.exec(select(DocumentTag.tag_id).where(DocumentTag.document_id == doc)).all()
        assert left == [tag_id("Bolig")] and s.get(Document, doc) is not None
    assert events("admin.tag_deleted")[0]["documents"] == 1


@pytest.mark.parametrize(("key", "code"), [
    ("", "error.field_key_missing"),
    ("1st_owner", "error.field_key_invalid"),
    ("gnr-bnr", "error.field_key_invalid"),
    ("adresse med mellomrom", "error.field_key_invalid"),
    ("æøå", "error.field_key_invalid"),
    ("k" * 65, "error.field_key_invalid"),
    ("type", "error.field_key_reserved"),
    ("created", "error.field_key_reserved"),
    ("ADDRESS", "error.field_exists"),  # lower-cased first: the seeded `address`
])
def test_field_keys_are_slugs_unique_and_not_search_words(admin, key, code):
    assert code_of(lambda: taxonomy_admin.create_field(admin, key, "Noe")).code == code


def test_fields_are_created_edited_and_deleted(admin):
    field = taxonomy_admin.create_field(admin, " Fellesgjeld ", "Fellesgjeld", "money", "Andel fellesgjeld")
    assert (field.key, field.kind) == ("fellesgjeld", "money")
    assert code_of(lambda: taxonomy_admin.create_field(admin, "x_1", "")).code == "error.field_label_missing"
    error = code_of(lambda: taxonomy_admin.create_field(admin, "x_1", "X", "real"))
    assert error.code == "error.field_kind_invalid"
    assert "fellesgjeld" in [f.key for f in taxonomy.load().fields]

    # The kind changes freely while no document has a value ...
    taxonomy_admin.update_field(admin, field.id, "fellesgjeld", "Fellesgjeld", "integer")
    doc = document(admin, "salgsoppgave.pdf", "Salgsoppgave", values={"fellesgjeld": "250000"})
    # ... and not once one has: the stored values were written for the old kind.
    error = code_of(lambda: taxonomy_admin.update_field(admin, field.id, "fellesgjeld", "Felles", "date"))
    assert (error.code, error.values) == ("error.field_kind_in_use", {"n": 1})
    taxonomy_admin.update_field(admin, field.id, "felles_gjeld", "Andel fellesgjeld", "integer")
    renamed = events("admin.field_updated")[0]  # newest first
    assert (renamed["previous_key"], renamed["key"], renamed["changed"]) == ("fellesgjeld", "felles_gjeld",
                                                                             "key,label")
    error = code_of(lambda: taxonomy_admin.update_field(admin, field.id, "address", "X"))
    assert (error.code, error.values) == ("error.field_exists", {"field": "address"})

    assert taxonomy_admin.delete_field(admin, field.id) == 1
    with db.session() as s:
        assert s.exec(select(DocumentFieldValue).where(DocumentFieldValue.document_id == doc)).all() == []
        assert s.get(Document, doc) is not None
    assert code_of(lambda: taxonomy_admin.delete_field(admin, field.id)).code == "error.unknown_field"


def test_a_broker_changes_nothing_and_is_audited(broker, admin):
    faktura, bolig, address = type_id("Faktura"), tag_id("Bolig"), field_id("address")
    calls = [
        lambda: taxonomy_overview.overview(broker),
        lambda: taxonomy_overview.usage(broker, "type", faktura),
        lambda: taxonomy_admin.create_type(broker, "Megler sin type"),
        lambda: taxonomy_admin.update_type(broker, faktura, "Regning"),
        lambda: taxonomy_admin.delete_type(broker, faktura),
        lambda: taxonomy_admin.create_tag(broker, "Megler sin etikett"),
        lambda: taxonomy_admin.update_tag(broker, bolig, "Hus"),
        lambda: taxonomy_admin.delete_tag(broker, bolig),
        lambda: taxonomy_admin.create_field(broker, "megler_felt", "Felt"),
        lambda: taxonomy_admin.update_field(broker, address, "adresse", "Adresse"),
        lambda: taxonomy_admin.delete_field(broker, address),
        lambda: taxonomy_admin.create_type(None, "Anonym type"),
    ]
    for call in calls:
        with pytest.raises(Forbidden):
            call()
    assert audit.search_events(kind="admin.refused")[1] == len(calls)
    current = taxonomy.load()
    assert "Faktura" in current.type_names() and "Bolig" in current.tag_names()
    assert "address" in [f.key for f in current.fields] and len(current.types) == len(DOCUMENT_TYPES)


def test_the_rule_tester(admin):
    sample = "KJØPEKONTRAKT\nSelger og kjøper avtaler salg av enebolig i Bergen. Signert med BankID."
    result = taxonomy_rules.test_rule("any", "kjøpekontrakt skjøte", False, sample)
    assert result.matched and result.position == 0 and "KJØPEKONTRAKT" in result.reason
    assert "Kjøpekontrakt" in result.types and {"Bolig", "Signert"} <= set(result.tags)
    assert not taxonomy_rules.test_rule("any", "kjøpekontrakt", True, sample).matched  # case-sensitive
    assert not taxonomy_rules.test_rule("all", "kjøpekontrakt hytte", False, sample).matched
    hit = taxonomy_rules.test_rule("regex", r"enebolig\s+i\s+(\w+)", False, sample)
    assert hit.matched and "Bergen" in hit.snippet
    assert taxonomy_rules.test_rule("fuzzy", "kjøpekontrakten", False, sample).matched
    assert not taxonomy_rules.test_rule("none", "enebolig", False, sample).matched  # switched off
    error = code_of(lambda: taxonomy_rules.test_rule("regex", "*oops", False, sample))
    assert error.code == "error.regex_invalid" and "nothing to repeat" in error.values["detail"]
    assert taxonomy_rules.test_rule("any", "faktura", False, "").types == []


# --- the page's handlers ---------------------------------------------------------------------


def page(user):
    from dokvault.pages.intelligence.taxonomy import TaxonomyAdminState

    with db.session() as s:
        session_id = accounts.open_session(s, user, "pytest-browser")
    return page_state(TaxonomyAdminState, access_token(user.id, session_id))


def call(state, name: str, *args):
    from dokvault.pages.intelligence.taxonomy import TaxonomyAdminState

    return handled(TaxonomyAdminState.event_handlers[name].fn(state, *args))


def test_an_admin_edits_through_the_page(admin):
    state = page(admin)
    call(state, "load")
    assert {t["name"] for t in state.types} == {t.name for t in DOCUMENT_TYPES}
    assert len(state.tags) == len(TAGS) and len(state.fields) == len(FIELDS)

    call(state, "open_new", "tag")
    assert state.dialog_open and state.edit_kind == "tag" and state.edit["color"] == "gray"
    call(state, "save", {"name": "Prioritert", "color": "crimson", "description": "",
                         "algorithm": "regex", "match": "(vip", "case_sensitive": "on"})
    assert state.dialog_open and state.errors.get("item.match", "").startswith(
        "Det regulære uttrykket virker ikke")
    call(state, "save", {"name": "Prioritert", "color": "crimson", "description": "",
                         "algorithm": "regex", "match": r"\bvip\b", "case_sensitive": "on"})
    assert not state.dialog_open and state.errors == {}
    row = next(t for t in state.tags if t["name"] == "Prioritert")
    assert row["color"] == "crimson" and row["case_sensitive"] is True
    assert events("admin.tag_created")[0]["name"] == "Prioritert"

    call(state, "open_edit", "type", type_id("Faktura"))
    assert state.edit["name"] == "Faktura" and state.edit_id == type_id("Faktura")
    call(state, "save", {"name": "Faktura", "description": "Regninger", "algorithm": "any",
                         "match": "faktura kid"})  # the box unticked: no case_sensitive at all
    assert next(t for t in state.types if t["name"] == "Faktura")["description"] == "Regninger"

    document(admin, "faktura.pdf", "Faktura")
    call(state, "ask_delete", "type", type_id("Faktura"))
    assert state.delete_open and (state.delete_name, state.delete_count) == ("Faktura", 1)
    call(state, "confirm_delete")
    assert not state.delete_open and "Faktura" not in [t["name"] for t in state.types]

    call(state, "open_new", "field")
    call(state, "save", {"key": "type", "label": "Type", "kind": "text", "description": ""})
    assert "betyr allerede noe i søk" in state.errors.get("item.key", "")

    call(state, "run_test", {"algorithm": "any", "match": "skjøte", "sample": "Skjøte for Storgata 5",
                             "case_sensitive": False})
    assert state.test_done and state.test_matched and state.test_types == ["Skjøte"]
    call(state, "run_test", {"algorithm": "regex", "match": "(", "sample": "x"})
    assert not state.test_matched and state.test_error.startswith("Det regulære uttrykket virker ikke")


def test_a_broker_calling_the_handlers_gets_nothing(broker, admin):
    state = page(broker)
    faktura = type_id("Faktura")
    calls = [("load",), ("open_new", "type"), ("open_edit", "type", faktura), ("dialog_changed", True),
             ("save", {"name": "Broker type", "algorithm": "none"}), ("ask_delete", "type", faktura),
             ("cancel_delete",), ("confirm_delete",),
             ("run_test", {"algorithm": "any", "match": "x", "sample": "x"})]
    for name, *args in calls:
        call(state, name, *args)
    assert state.types == [] and state.tags == [] and state.fields == [] and state.edit == {}
    assert not state.dialog_open and not state.delete_open and not state.test_done
    refused = [json.loads(e.detail)["action"] for e in audit.search_events(kind="admin.refused")[0]]
    assert len(refused) == len(calls) and "TaxonomyAdminState.confirm_delete" in refused
    assert "Broker type" not in taxonomy.load().type_names()

    # Even with a delete target planted in its state, the broker's confirm deletes nothing.
    state.delete_kind, state.delete_id = "type", faktura
    call(state, "confirm_delete")
    assert "Faktura" in taxonomy.load().type_names()


def test_a_signed_out_tab_is_sent_to_sign_in(admin):
    from dokvault.pages.intelligence.taxonomy import TaxonomyAdminState

    state = page_state(TaxonomyAdminState, None)
    call(state, "open_new", "type")
    assert not state.dialog_open and state.edit == {}


def test_the_page_compiles():
    from dokvault.pages.intelligence.taxonomy_page import taxonomy_page

    taxonomy_page()


def test_the_rule_tester_reports_a_regex_that_runs_out_of_time(admin):
    error = code_of(lambda: taxonomy_rules.test_rule("regex", r"(a|aa)+$", False, "a" * 40 + "b"))
    assert error.code == "error.regex_too_slow" and error.values["ms"] == 250
    assert taxonomy_rules.test_rule("regex", r"(a|aa)+$", False, "aaa").matched
