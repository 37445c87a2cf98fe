"""ZIP archives: every file inside that DokVault reads becomes a document of its own, with
the archive as its parent, the way an e-mail's attachments do (services/documents/
attachments.py stores them, and bounds how deep archives in archives and mails go and how
many documents one upload makes). The archive's own text is the list of what it holds.

Bounds: the central directory is checked before a byte is inflated (archive.py: entries,
each entry's and the total inflated size, compression ratio); at most MAX_FILES files are
written, each streamed to disk a piece at a time (zipfile never returns more than an
entry declares), and a file over the upload limit is not written at all. Encrypted
entries, folders and the hidden files of desktop tools (__MACOSX, .DS_Store) are passed
over.
"""

from __future__ import annotations

import logging
import shutil
import zipfile
from pathlib import Path, PurePosixPath

from dokvault.core.filenames import UploadRefused, clean_filename
from dokvault.extract.archive import open_container
from dokvault.extract.formats import content_type_for, extension_of, is_supported
from dokvault.extract.types import Attachment, Extracted, notice
from dokvault.settings import get_settings

log = logging.getLogger(__name__)
MAX_FILES = 100  # as many as one upload may make documents (attachments.MAX_DOCUMENTS)
_CHUNK = 1024 * 1024


def _name(info: zipfile.ZipInfo) -> str | None:
    """The entry's file name without its folders, cleaned; None for what is not a file of
    the person's own."""
    path = PurePosixPath(info.filename.replace("\\", "/"))
    if info.is_dir() or path.name.startswith(".") or "__MACOSX" in path.parts:
        return None
    try:
        return clean_filename(path.name)
    except UploadRefused:
        return None


def _write(archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path) -> None:
    with archive.open(info) as src, dest.open("xb") as out:
        shutil.copyfileobj(src, out, _CHUNK)


def extract(path: Path, attachments_dir: Path | None = None) -> Extracted:
    """The archive's list of files as its text; its readable files written into
    `attachments_dir` (none without it)."""
    max_bytes = get_settings().max_upload_bytes
    names: list[str] = []
    attachments: list[Attachment] = []
    notices = []
    over = 0
    with open_container(path, "error.corrupt_zip") as archive:
        for info in archive.infolist():
            name = _name(info)
            if name is None:
                continue
            names.append(name)
            if attachments_dir is None or not is_supported(name):
                continue
            if info.flag_bits & 0x1:
                notices.append(notice("notice.attachment_refused", name=name,
                                      reason="error.encrypted_entry"))
                continue
            if info.file_size > max_bytes:
                notices.append(notice("notice.attachment_refused", name=name,
                                      reason="error.too_large", mb=max_bytes // 2**20))
                continue
            if len(attachments) >= MAX_FILES:
                over += 1
                continue
            dest = attachments_dir / f"entry-{len(attachments) + 1:03d}{extension_of(name)}"
            try:
                _write(archive, info, dest)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # a damaged entry
                log.warning("zip entry not read: %s: %s", type(exc).__name__, str(exc)[:200])
                dest.unlink(missing_ok=True)
                notices.append(notice("notice.attachment_refused", name=name,
                                      reason="error.corrupt_zip"))
                continue
            attachments.append(Attachment(name=name, path=dest,
                                          content_type=content_type_for(extension_of(name))))
    if over:
        log.warning("zip: %s files over the limit of %s not imported", over, MAX_FILES)
        notices.append(notice("notice.archive_over_limit", n=over, limit=MAX_FILES))
    return Extracted(text="\n".join(names), attachments=attachments, notices=notices)
