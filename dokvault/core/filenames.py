"""Client-supplied file names: keep the human name, drop anything that could be a path."""

from __future__ import annotations

import unicodedata

MAX_NAME = 200


class UploadRefused(ValueError):
    """An upload that is refused before it is stored; `code` is an i18n key, `values`
    fill its placeholders."""

    def __init__(self, code: str, name: str = "", **values: str | int):
        super().__init__(code)
        self.code = code
        self.name = name
        self.values = values


def clean_filename(raw: str) -> str:
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Control and format characters (newlines, RTL overrides, NUL) never reach a page or a log.
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    name = " ".join(name.split()).strip(" .")
    if not name:
        raise UploadRefused("error.bad_filename", raw[:80])
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:MAX_NAME]
    return name
