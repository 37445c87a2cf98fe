"""Client-supplied file names become harmless bare names."""

from __future__ import annotations

import unicodedata

import pytest

from dokvault.core.filenames import MAX_NAME, UploadRefused, clean_filename


def assert_bare(name: str) -> None:
    assert name
    assert "/" not in name and "\\" not in name
    assert name not in (".", "..")
    assert not name.startswith((".", " ")) and not name.endswith((".", " "))
    assert all(unicodedata.category(ch) not in ("Cc", "Cf", "Cs") for ch in name)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("/etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("C:\\Windows\\evil.pdf", "evil.pdf"),
        ("\\\\server\\share\\kontrakt.docx", "kontrakt.docx"),
        ("mappe/undermappe/Takst.pdf", "Takst.pdf"),
        ("./skjult/../salgsoppgave.pdf", "salgsoppgave.pdf"),
    ],
)
def test_paths_become_bare_names(raw, expected):
    name = clean_filename(raw)
    assert name == expected
    assert_bare(name)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("kontrakt\n.pdf", "kontrakt.pdf"),
        ("kontrakt\r\nSet-Cookie: x.pdf", "kontraktSet-Cookie: x.pdf"),
        ("kontr\x00akt.pdf", "kontrakt.pdf"),
        ("\x1b[31mrød\x1b[0m.txt", "[31mrød[0m.txt"),
        ("tab\there.txt", "tabhere.txt"),
        ("\x7fdel.txt", "del.txt"),
        # RTL override: "faktura\u202efdp.exe" shows as "fakturaexe.pdf" in a browser.
        ("faktura\u202efdp.exe", "fakturafdp.exe"),
        ("zero\u200bwidth.pdf", "zerowidth.pdf"),
        ("\ufeffbom.txt", "bom.txt"),
    ],
)
def test_control_and_format_characters_are_dropped(raw, expected):
    name = clean_filename(raw)
    assert name == expected
    assert_bare(name)


def test_rtl_override_cannot_disguise_the_extension():
    name = clean_filename("faktura\u202efdp.exe")
    assert "\u202e" not in name
    assert name.endswith(".exe")


@pytest.mark.parametrize(
    "raw", ["", ".", "..", "...", " . . ", "../..", "/", "C:\\", "\x00\n\u202e"]
)
def test_names_with_nothing_left_are_refused(raw):
    with pytest.raises(UploadRefused) as info:
        clean_filename(raw)
    assert info.value.code == "error.bad_filename"


def test_whitespace_is_collapsed_and_trimmed():
    assert clean_filename("  Salgs   oppgave  2024 .pdf  ") == "Salgs oppgave 2024 .pdf"
    assert clean_filename("...skjult.pdf") == "skjult.pdf"


def test_very_long_name_keeps_its_extension():
    name = clean_filename("Kjøpekontrakt " + "x" * 500 + ".pdf")
    assert len(name) == MAX_NAME
    assert name.endswith(".pdf")
    assert name.startswith("Kjøpekontrakt x")


def test_very_long_name_with_long_extension_is_cut():
    name = clean_filename("a" * 300 + "." + "b" * 50)
    assert len(name) == MAX_NAME


def test_unicode_is_nfc_normalised():
    nfc = "Kjøpekontrakt æøå.pdf"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc  # å decomposes into a + combining ring
    assert clean_filename(nfd) == nfc
    assert clean_filename(nfc) == nfc
    assert unicodedata.is_normalized("NFC", clean_filename(nfd))
