"""The catalogue of UI texts in Norwegian bokmål (default) and English, and looking
them up. The texts themselves live beside it, one module per domain."""

from __future__ import annotations

LANGUAGES = ("nb", "en")

MESSAGES: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}


def translate(lang: str, key: str, **values) -> str:
    table = MESSAGES.get(lang, MESSAGES["nb"])
    text = table.get(key) or MESSAGES["nb"].get(key) or key
    return text.format(**values) if values else text


def _shown(lang: str, value, values: dict):
    """A notice's value as its text shows it: an error code in words, a count grouped."""
    if isinstance(value, str) and value.startswith("error."):
        return translate(lang, value, **values)
    if isinstance(value, int) and value >= 10_000:
        return f"{value:,}".replace(",", "\u00a0" if lang == "nb" else ",")
    return value


def translate_notice(lang: str, notice: dict) -> str:
    """A document's notice ({"code": "notice.…", **values}, see dokvault.extract) in words."""
    values = {k: v for k, v in notice.items() if k != "code"}
    try:
        return translate(lang, str(notice.get("code", "")),
                         **{k: _shown(lang, v, values) for k, v in values.items()})
    except (KeyError, IndexError, ValueError):  # a notice stored before its text changed
        return translate(lang, str(notice.get("code", "")))


def register(texts: dict[str, dict[str, str]]) -> None:
    """Add texts (keyed by language) to the catalogue."""
    for lang, table in texts.items():
        clash = set(table) & set(MESSAGES[lang])
        if any(MESSAGES[lang][k] != table[k] for k in clash):
            raise ValueError(f"text keys defined twice: {sorted(clash)}")
        MESSAGES[lang].update(table)
