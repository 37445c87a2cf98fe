"""Admins edit the taxonomy: document types, tags (with a colour) and custom fields.

Every function checks, on the server, that the actor is an admin and records each change in
the audit log (names and which attributes changed; never document content). Deleting a
type, tag or field that documents use is allowed: the foreign keys clear the type
(SET NULL) and drop the tag links and field values (CASCADE); the UI shows the count and
asks first. Names are unique ignoring case, so "Faktura" and "faktura" are never two types.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from dokvault import db
from dokvault.ai.types import FieldKind
from dokvault.core import audit
from dokvault.core.audit import Client
from dokvault.core.validation import Checks
from dokvault.models import CustomField, DocumentType, Tag, User
from dokvault.services.access import require_admin
from dokvault.services.intelligence import classification, local_model, taxonomy
from dokvault.services.intelligence.taxonomy_overview import usage_in
from dokvault.services.intelligence.taxonomy_rules import TaxonomyError, check_rule
from dokvault.services.search.query import FILTER_KEYS, RANGE_KEYS

MAX_TYPE_NAME = 128
MAX_TAG_NAME = 64
MAX_DESCRIPTION = 500
MAX_FIELD_KEY = 64
MAX_FIELD_LABEL = 128
FIELD_KEY = re.compile(rf"[a-z][a-z0-9_]{{0,{MAX_FIELD_KEY - 1}}}")
# Search already gives these words a meaning (`type:Faktura`, `added:2026-01`).
RESERVED_KEYS = frozenset((*FILTER_KEYS, *RANGE_KEYS))
# Radix accent colours: what a tag badge can show.
TAG_COLORS = (
    "gray", "gold", "bronze", "brown", "yellow", "amber", "orange", "tomato", "red", "ruby",
    "crimson", "pink", "plum", "purple", "violet", "iris", "indigo", "blue", "cyan", "teal",
    "jade", "green", "grass", "lime", "mint", "sky",
)
FIELD_KINDS = tuple(k.value for k in FieldKind)


# --- validation ------------------------------------------------------------------------------


def _clean_name(value: str, limit: int, missing: str = "error.name_missing") -> str:
    name = " ".join(str(value or "").split())
    if not name:
        raise TaxonomyError(missing)
    if len(name) > limit:
        raise TaxonomyError("error.name_too_long", max=limit)
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise TaxonomyError("error.name_invalid")
    return name


def _clean_description(value: str) -> str:
    text = str(value or "").strip()
    if len(text) > MAX_DESCRIPTION:
        raise TaxonomyError("error.description_too_long", max=MAX_DESCRIPTION)
    return text


def _clean_color(value: str) -> str:
    color = str(value or "gray").strip().lower()
    if color not in TAG_COLORS:
        raise TaxonomyError("error.tag_color_invalid")
    return color


def _clean_key(value: str) -> str:
    key = str(value or "").strip().lower()
    if not key:
        raise TaxonomyError("error.field_key_missing")
    if not FIELD_KEY.fullmatch(key):
        raise TaxonomyError("error.field_key_invalid", max=MAX_FIELD_KEY)
    if key in RESERVED_KEYS:
        raise TaxonomyError("error.field_key_reserved", field=key)
    return key


def _clean_kind(value: str) -> str:
    kind = str(value or FieldKind.TEXT).strip().lower()
    if kind not in FIELD_KINDS:
        raise TaxonomyError("error.field_kind_invalid")
    return kind


def _taken(s: Session, table, column, value: str, item_id: int | None) -> bool:
    """Another row already has this name/key, ignoring case (in Python: SQLite's lower()
    only folds ASCII, and the taxonomy is a few hundred rows at most)."""
    wanted = value.casefold()
    rows = s.exec(select(table.id, column)).all()
    return any(other.casefold() == wanted for row_id, other in rows if row_id != item_id)


def _commit(s: Session, exists_code: str, **values: str) -> None:
    try:
        s.commit()
    except IntegrityError as exc:  # the unique index, when two admins raced
        s.rollback()
        raise TaxonomyError(exists_code, **values) from exc


def _changes(row, values: dict) -> list[str]:
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, values[name])
    return changed


def _get(s: Session, table, item_id: int, missing: str):
    row = s.get(table, int(item_id)) if str(item_id).lstrip("-").isdigit() else None
    if row is None:
        raise TaxonomyError(missing)
    return row


# --- document types and tags -----------------------------------------------------------------


def _label_values(name: str, limit: int, description: str, algorithm: str, match: str,
                  case_sensitive: bool, checks: Checks | None = None) -> dict:
    """The values of a type or tag, every field checked (TaxonomyError for all at once)."""
    checks = checks or Checks(TaxonomyError)
    values = {"name": checks.run("name", _clean_name, name, limit),
              "description": checks.run("description", _clean_description, description)}
    rule = checks.run("match", check_rule, algorithm, match, case_sensitive)
    checks.raise_if_any()
    return {**values, "algorithm": rule.algorithm, "match": rule.match,
            "case_sensitive": rule.case_sensitive}


@dataclass(frozen=True)
class _Kind:
    """What differs between types, tags and fields in create, update and delete."""

    name: str          # "type", "tag", "field": in audit kinds and detail keys
    table: type
    ident: str         # the unique attribute: "name" or "key"
    exists: str        # i18n code when the ident is taken
    placeholder: str   # the code's placeholder for the ident
    missing: str       # i18n code for an unknown id


TYPES = _Kind("type", DocumentType, "name", "error.type_exists", "name", "error.unknown_type")
TAGS = _Kind("tag", Tag, "name", "error.tag_exists", "name", "error.unknown_tag")
FIELDS = _Kind("field", CustomField, "key", "error.field_exists", "field", "error.unknown_field")


def _refuse_taken(s: Session, kind: _Kind, value: str, item_id: int | None) -> None:
    if _taken(s, kind.table, getattr(kind.table, kind.ident), value, item_id):
        raise TaxonomyError(kind.exists, **{kind.placeholder: value})


def _create(kind: _Kind, actor: User, values: dict, client: Client, **audited: str):
    with db.session() as s:
        taxonomy.seed_once(s)  # else the first edit would stop the seed from ever landing
        _refuse_taken(s, kind, values[kind.ident], None)
        row = kind.table(**values)
        s.add(row)
        _commit(s, kind.exists, **{kind.placeholder: values[kind.ident]})
        audit.record(f"admin.{kind.name}_created", actor_id=actor.id, client=client, session=s,
                     **{f"{kind.name}_id": row.id, kind.ident: values[kind.ident]}, **audited)
        return row


def _update(kind: _Kind, actor: User, item_id: int, values: dict, client: Client,
            check: Callable[[Session, object], None] | None = None):
    with db.session() as s:
        row = _get(s, kind.table, item_id, kind.missing)
        _refuse_taken(s, kind, values[kind.ident], row.id)
        if check is not None:
            check(s, row)
        before = getattr(row, kind.ident)
        changed = _changes(row, values)
        renamed = kind.ident in changed
        # Waiting suggestions follow a rename (counted in the audit entry).
        carried = {"suggestions_renamed": classification.rename_in_pending(
            s, kind.name, before, values[kind.ident])} if renamed else {}
        if changed:
            s.add(row)
            _commit(s, kind.exists, **{kind.placeholder: values[kind.ident]})
            audit.record(f"admin.{kind.name}_updated", actor_id=actor.id, client=client, session=s,
                         **{f"{kind.name}_id": row.id, kind.ident: getattr(row, kind.ident),
                            f"previous_{kind.ident}": before}, changed=",".join(changed), **carried)
        reweigh = kind.name == "type" and bool({"match", "algorithm", "case_sensitive"} & set(changed))
        if (renamed and kind.name != "field") or reweigh:
            local_model.retrain_soon()  # the local model learnt the old name, or weighs the rules
        return row


def _delete(kind: _Kind, actor: User, item_id: int, client: Client) -> int:
    with db.session() as s:
        row = _get(s, kind.table, item_id, kind.missing)
        documents = usage_in(s, kind.name, row.id)
        s.delete(row)
        s.commit()
        audit.record(f"admin.{kind.name}_deleted", actor_id=actor.id, client=client, session=s,
                     **{f"{kind.name}_id": item_id, kind.ident: getattr(row, kind.ident)},
                     documents=documents)
    return documents


def create_type(actor: User | None, name: str, description: str = "", algorithm: str = "none",
                match: str = "", case_sensitive: bool = False, client: Client = Client()) -> DocumentType:
    actor = require_admin(actor)
    values = _label_values(name, MAX_TYPE_NAME, description, algorithm, match, case_sensitive)
    return _create(TYPES, actor, values, client, algorithm=values["algorithm"])


def update_type(actor: User | None, type_id: int, name: str, description: str = "",
                algorithm: str = "none", match: str = "", case_sensitive: bool = False,
                client: Client = Client()) -> DocumentType:
    actor = require_admin(actor)
    values = _label_values(name, MAX_TYPE_NAME, description, algorithm, match, case_sensitive)
    return _update(TYPES, actor, type_id, values, client)


def delete_type(actor: User | None, type_id: int, client: Client = Client()) -> int:
    """Delete a type; returns how many documents had it (they are left without a type)."""
    return _delete(TYPES, require_admin(actor), type_id, client)


def create_tag(actor: User | None, name: str, color: str = "gray", description: str = "",
               algorithm: str = "none", match: str = "", case_sensitive: bool = False,
               client: Client = Client()) -> Tag:
    actor = require_admin(actor)
    checks = Checks(TaxonomyError)
    color = checks.run("color", _clean_color, color)
    values = _label_values(name, MAX_TAG_NAME, description, algorithm, match, case_sensitive,
                           checks)
    values["color"] = color
    return _create(TAGS, actor, values, client, algorithm=values["algorithm"])


def update_tag(actor: User | None, tag_id: int, name: str, color: str = "gray", description: str = "",
               algorithm: str = "none", match: str = "", case_sensitive: bool = False,
               client: Client = Client()) -> Tag:
    actor = require_admin(actor)
    checks = Checks(TaxonomyError)
    color = checks.run("color", _clean_color, color)
    values = _label_values(name, MAX_TAG_NAME, description, algorithm, match, case_sensitive,
                           checks)
    values["color"] = color
    return _update(TAGS, actor, tag_id, values, client)


def delete_tag(actor: User | None, tag_id: int, client: Client = Client()) -> int:
    """Delete a tag; returns how many documents carried it (the links go with it)."""
    return _delete(TAGS, require_admin(actor), tag_id, client)


# --- custom fields ---------------------------------------------------------------------------


def _field_values(key: str, label: str, kind: str, description: str) -> dict:
    checks = Checks(TaxonomyError)
    values = {"key": checks.run("key", _clean_key, key),
              "label": checks.run("label", _clean_name, label, MAX_FIELD_LABEL,
                                  "error.field_label_missing"),
              "kind": checks.run("kind", _clean_kind, kind),
              "description": checks.run("description", _clean_description, description)}
    checks.raise_if_any()
    return values


def create_field(actor: User | None, key: str, label: str, kind: str = "text", description: str = "",
                 client: Client = Client()) -> CustomField:
    actor = require_admin(actor)
    values = _field_values(key, label, kind, description)
    return _create(FIELDS, actor, values, client, field_kind=values["kind"])


def update_field(actor: User | None, field_id: int, key: str, label: str, kind: str = "text",
                 description: str = "", client: Client = Client()) -> CustomField:
    """Change a field. Its kind stays while documents have values for it: a value written as
    a date is not an amount, and search compares values by kind."""
    actor = require_admin(actor)
    values = _field_values(key, label, kind, description)

    def kind_kept_while_used(s: Session, row: CustomField) -> None:
        if values["kind"] != row.kind and (used := usage_in(s, "field", row.id)):
            raise TaxonomyError("error.field_kind_in_use", n=used)

    return _update(FIELDS, actor, field_id, values, client, kind_kept_while_used)


def delete_field(actor: User | None, field_id: int, client: Client = Client()) -> int:
    """Delete a field; returns how many documents had a value for it (the values go with it)."""
    return _delete(FIELDS, require_admin(actor), field_id, client)


