"""Templates from the organisation's network share (WEBDAV_URL, the drive everyone may
browse: services/drives): an admin or office manager picks HTML files there and each
becomes a template, sanitised like every other (hub.save_template), named from its file,
in the category and office chosen. The template remembers its file (Template.source), so
importing the same file again into the same office saves a new version of that template
when the file changed, and nothing when it did not: never a second template.

Off when the share is not configured. Only files the server listed are read, each up to
MAX_BYTES; a file that cannot be read or is too large is reported with its reason and the
others go on."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from dokvault.core import audit, leases, net
from dokvault.core.audit import Client
from dokvault.drives.types import DriveError, Entry, Page
from dokvault.extract.text import text_of
from dokvault.models import User
from dokvault.services.access import Forbidden
from dokvault.services.drives import actions, connections
from dokvault.services.templates import hub
from dokvault.services.templates.sanitize import MAX_HTML

log = logging.getLogger(__name__)

HTML_EXTENSIONS = (".html", ".htm")
MAX_FILES = 50  # files one import takes at most
MAX_BYTES = 4 * MAX_HTML  # bytes read of one file: MAX_HTML characters of any UTF-8


@dataclass
class ImportOutcome:
    """Titles of the templates made, saved again (a changed file) and left as they were,
    and the files that could not be imported: (name, i18n key)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def is_html(name: str) -> bool:
    return name.lower().endswith(HTML_EXTENSIONS)


def available(user: User) -> bool:
    """Whether this person is offered the import: the share is configured and they may
    make templates (admins, office managers)."""
    return connections.share_configured() and hub.may_create(user)


def _share_id(user: User) -> int:
    row = connections.share_connection() if available(user) else None
    if row is None:
        raise Forbidden("error.template_import_off")
    return row.id


def browse(user: User, folder_id: str | None, page_token: str | None = None) -> Page:
    """One page of a folder of the share (its root when None): its folders and HTML files.
    Raises Forbidden, DriveError, OutboundRefused."""
    page = actions.browse(user, _share_id(user), folder_id, page_token)
    return Page([e for e in page.entries if e.is_folder or is_html(e.name)], page.next_token)


def title_of(name: str) -> str:
    """A template's title from its file name: "Oppdragsbekreftelse_utleie.html" reads
    "Oppdragsbekreftelse utleie"."""
    stem = name.rsplit("/", 1)[-1]
    for extension in HTML_EXTENSIONS:
        if stem.lower().endswith(extension):
            stem = stem[: -len(extension)]
    return " ".join(stem.replace("_", " ").split()) or name


def _read(drive, entry: Entry) -> str:
    """The file's text, read as it streams and no further than MAX_BYTES. Raises
    Forbidden("error.template_too_large") past it, DriveError when the share fails."""
    data = bytearray()
    chunks = drive.read(entry.id)
    try:
        for chunk in chunks:
            data += chunk
            if len(data) > MAX_BYTES:
                raise Forbidden("error.template_too_large")
    finally:
        getattr(chunks, "close", lambda: None)()  # the response closes with its iterator
    return text_of(bytes(data))


def import_files(user: User, entries: list[Entry], *, category: str, office_id: int | None,
                 client: Client = Client()) -> ImportOutcome:
    """Each chosen HTML file (entries from a listing the server made) as a template of
    `office_id` (None: the organisation's) in `category`. Raises Forbidden when the person
    may not (the share off, not theirs to edit, an import of theirs running)."""
    share_id = _share_id(user)
    if not hub.may_edit(user, office_id):
        audit.record("template.refused", actor_id=user.id, client=client, office_id=office_id)
        raise Forbidden()
    files = [e for e in entries if not e.is_folder and is_html(e.name)][:MAX_FILES]
    if not files:
        raise Forbidden("error.template_import_none")
    outcome = ImportOutcome()
    with leases.held(f"template-import:{user.id}", ttl=60) as mine:
        if not mine:  # the same person's other click, still importing
            raise Forbidden("error.template_import_running")
        row = connections.get_connection(user, share_id)
        try:
            drive = connections.open_drive(row)
        except (DriveError, net.OutboundRefused) as exc:
            connections.note_outcome(row.id, exc)
            raise Forbidden(exc.code) from exc
        try:
            for entry in files:
                _import_one(user, drive, entry, category, office_id, client, outcome)
        finally:
            drive.close()
    audit.record("template.imported", actor_id=user.id, client=client, office_id=office_id,
                 created=len(outcome.created), updated=len(outcome.updated),
                 unchanged=len(outcome.unchanged), failed=len(outcome.failed))
    log.info("templates imported from the share by user=%s: %s new, %s new versions, %s "
             "unchanged, %s failed", user.id, len(outcome.created), len(outcome.updated),
             len(outcome.unchanged), len(outcome.failed))
    return outcome


def _import_one(user: User, drive, entry: Entry, category: str, office_id: int | None,
                client: Client, outcome: ImportOutcome) -> None:
    try:
        html = _read(drive, entry)
        known = hub.imported_from(entry.id, office_id)
        if known is None:
            hub.save_template(user, None, title=title_of(entry.name), category=category,
                              office_id=office_id, html=html, client=client, source=entry.id)
            outcome.created.append(title_of(entry.name))
            return
        # Again: the file's new content as a new version; the title and category people
        # may have given it meanwhile are kept.
        saved = hub.save_template(user, known.uid, title=known.title, category=known.category,
                                  office_id=known.office_id, html=html, client=client)
        (outcome.updated if saved.changed else outcome.unchanged).append(known.title)
    except DriveError as exc:
        log.info("template import of %r failed: %s", entry.name, exc.code)
        outcome.failed.append((entry.name, exc.code))
    except Forbidden as exc:
        outcome.failed.append((entry.name, exc.code))
