"""ZIP archives: each file inside that DokVault reads is written out as a document of its
own (the pipeline links it to the archive), within bounds; the archive lists its files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from dokvault.extract import ExtractionError, extract, zip_archive
from tests.samples import KJOPEKONTRAKT, TAKST, make_pdf


def make_zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def contract_zip(tmp_path: Path) -> Path:
    return make_zip(tmp_path / "Strandkaien 12.zip", {
        "Kontrakter/Kjøpekontrakt.pdf": make_pdf(tmp_path / "k.pdf", [KJOPEKONTRAKT]).read_bytes(),
        "takst.txt": TAKST.encode(),
        "Kontrakter/": b"",
        "program.exe": b"MZ\x90\x00",
        "__MACOSX/Kontrakter/._Kjøpekontrakt.pdf": b"\x00\x05\x16\x07",
        ".DS_Store": b"\x00\x00\x00\x01Bud1",
    })


def test_each_readable_file_is_written_and_the_archive_lists_its_files(tmp_path):
    out = tmp_path / "ut"
    out.mkdir()
    result = extract(contract_zip(tmp_path), ".zip", attachments_dir=out)
    assert result.text.splitlines() == ["Kjøpekontrakt.pdf", "takst.txt", "program.exe"]
    assert [a.name for a in result.attachments] == ["Kjøpekontrakt.pdf", "takst.txt"]
    pdf, txt = result.attachments
    assert pdf.content_type == "application/pdf" and txt.path.read_text() == TAKST
    assert all(a.path.parent == out for a in result.attachments)  # no folder of the archive's
    assert sorted(p.name for p in out.iterdir()) == sorted(a.path.name for a in result.attachments)
    assert result.notices == []


def test_without_a_folder_files_are_only_listed(tmp_path):
    result = extract(contract_zip(tmp_path), ".zip")
    assert "takst.txt" in result.text and result.attachments == []


def test_hostile_names_stay_inside_the_folder(tmp_path):
    out = tmp_path / "ut"
    out.mkdir()
    path = make_zip(tmp_path / "slem.zip", {"../../etc/passwd.txt": b"rot", "a\\..\\b.txt": b"b"})
    result = extract(path, ".zip", attachments_dir=out)
    assert [a.name for a in result.attachments] == ["passwd.txt", "b.txt"]
    assert all(a.path.parent == out for a in result.attachments)


def mark_encrypted(path: Path, name: str) -> None:
    """Set the entry's encrypted flag (zipfile writes none), in its local header and in the
    central directory."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        data[archive.getinfo(name).header_offset + 6] |= 0x1
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        if data[at + 46:at + 46 + len(name.encode())] == name.encode():
            data[at + 8] |= 0x1
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def test_files_past_the_limit_encrypted_or_over_the_upload_size_are_not_written(tmp_path, monkeypatch):
    monkeypatch.setattr(zip_archive, "MAX_FILES", 2)
    path = tmp_path / "mange.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(4):
            archive.writestr(f"fil-{number}.txt", f"tekst {number}")
        archive.writestr("hemmelig.txt", b"kryptert")
    mark_encrypted(path, "hemmelig.txt")  # never read: zipfile would want the password
    out = tmp_path / "ut"
    out.mkdir()
    result = extract(path, ".zip", attachments_dir=out)
    assert [a.name for a in result.attachments] == ["fil-0.txt", "fil-1.txt"]
    codes = [(n["code"], n.get("reason")) for n in result.notices]
    assert codes == [("notice.attachment_refused", "error.encrypted_entry"),
                     ("notice.archive_over_limit", None)]
    assert result.notices[-1]["n"] == 2 and len(list(out.iterdir())) == 2


def test_a_file_over_the_upload_limit_is_not_written(tmp_path, monkeypatch):
    from dokvault.settings import get_settings

    monkeypatch.setattr(get_settings(), "max_upload_mb", 1)
    out = tmp_path / "ut"
    out.mkdir()
    path = make_zip(tmp_path / "stor.zip", {"stor.txt": b"a" * (2 * 1024 * 1024), "liten.txt": b"b"})
    result = extract(path, ".zip", attachments_dir=out)
    assert [a.name for a in result.attachments] == ["liten.txt"]
    assert result.notices[0]["reason"] == "error.too_large"


def test_a_damaged_zip_is_refused(tmp_path):
    path = tmp_path / "skadet.zip"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ExtractionError) as refused:
        extract(path, ".zip")
    assert refused.value.code == "error.corrupt_zip"
