"""Turn a provider's answer into a `Suggestion` that only holds names from the taxonomy.

Decisions: a document type outside the taxonomy (after forgiving case and spacing) means the
provider ignored the schema, so the whole answer is distrusted and `ProviderError` is raised
(the caller falls back to `local`). A tag outside the taxonomy is not applied but kept as a
proposal in `new_tags`, which a human reviews. Field values are coerced to their kind (dates
to ISO, money to a plain number) or dropped; confidences are clamped to 0–1; the summary is
cut to two sentences.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from dokvault.ai.types import FieldKind, FieldSpec, ProviderError, Suggestion, Taxonomy

log = logging.getLogger(__name__)

MAX_NEW_TAGS = 3
MAX_TOPICS = 8
MAX_LABEL_CHARS = 40
MAX_TITLE_CHARS = 200
MAX_FIELD_CHARS = 300
MAX_SUMMARY_CHARS = 600


def parse_json(raw: object, provider: str) -> dict:
    """The answer as a JSON object, or ProviderError."""
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise ProviderError(provider, "malformed JSON in the answer") from None
    if not isinstance(raw, dict):
        raise ProviderError(provider, "the answer is not a JSON object")
    return raw


def _squeeze(value: object, limit: int) -> str:
    return " ".join(str(value).split())[:limit] if value is not None else ""


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def confidence(value: object) -> float:
    """0–1. From 2 to 100 it is read as a percentage (85 → 0.85); a slight overshoot (1.2) is
    clamped to 1; anything unusable counts as 0."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    if number != number:  # NaN
        return 0.0
    if 2.0 <= number <= 100.0:
        number /= 100.0
    return min(max(number, 0.0), 1.0)


MONTHS = {"januar": 1, "februar": 2, "mars": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
          "august": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12,
          "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
          "okt": 10, "nov": 11, "des": 12}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
_WORD_DATE = re.compile(r"(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{4})")


def as_date(value: str) -> str | None:
    """ISO yyyy-mm-dd from ISO, d.m.yyyy (Norwegian order) or '3. mars 2026'."""
    text = value.strip().lower()
    try:
        if m := _ISO.search(text):
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        if m := _NUMERIC_DATE.search(text):
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        if (m := _WORD_DATE.search(text)) and m[2] in MONTHS:
            return date(int(m[3]), MONTHS[m[2]], int(m[1])).isoformat()
    except ValueError:  # 31.02.2026
        return None
    return None


_CURRENCY = re.compile(r"nok|kr\.?|,-|\.-|[\s\u00a0']", re.IGNORECASE)


def as_money(value: str) -> str | None:
    """A plain number string: 'kr 4 500 000,-' → '4500000', '1.234,50' → '1234.50'."""
    text = _CURRENCY.sub("", value)
    if not re.fullmatch(r"-?[\d.,]+", text) or not re.search(r"\d", text):
        return None
    last = max(text.rfind("."), text.rfind(","))
    decimals = len(text) - last - 1
    # The last separator is a decimal point if it is followed by one or two digits, or if
    # the other kind of separator comes before it; otherwise all separators group thousands.
    if last >= 0 and (decimals in (1, 2) or (text.count(".") and text.count(","))):
        text = re.sub(r"[.,]", "", text[:last]) + "." + text[last + 1:]
    else:
        text = re.sub(r"[.,]", "", text)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return f"{amount:f}" if amount != amount.to_integral_value() else str(int(amount))


def as_integer(value: str) -> str | None:
    digits = re.sub(r"[\s\u00a0.,]", "", value)
    return str(int(digits)) if re.fullmatch(r"-?\d+", digits) else None


COERCE = {
    FieldKind.TEXT: lambda v: _squeeze(v, MAX_FIELD_CHARS) or None,
    FieldKind.DATE: as_date,
    FieldKind.MONEY: as_money,
    FieldKind.INTEGER: as_integer,
}

_GNR_BNR = re.compile(r"(?:g(?:nr|årdsnr)\.?\s*)?(\d{1,4})(?:\s*[/,]\s*|\s+)"
                      r"(?:b(?:nr|ruksnr)\.?\s*)?(\d{1,5})(?:\s*/\s*(\d{1,4}))?"
                      r"(?:\s*/\s*(\d{1,4}))?", re.IGNORECASE)


def as_gnr_bnr(value: str) -> str | None:
    """gnr/bnr[/fnr[/snr]] from "12/34", "12 / 34 / 0 / 5" or "gnr 12 bnr 34", leading
    zeros dropped; None for anything else."""
    m = _GNR_BNR.fullmatch(value.strip())
    if not m:
        return None
    parts = [str(int(p)) for p in m.groups() if p is not None]
    return "/".join(parts)


# What a person typed that a field of its kind cannot hold: the i18n key saying how to write it.
FIELD_ERRORS = {FieldKind.TEXT: "field_error.text", FieldKind.DATE: "field_error.date",
                FieldKind.MONEY: "field_error.money", FieldKind.INTEGER: "field_error.integer"}
GNR_BNR_ERROR = "field_error.gnr_bnr"


def typed_value(spec: FieldSpec, value: str) -> tuple[str | None, str | None]:
    """A value a person typed for `spec`, in the field's form (dates ISO, money a plain
    number, gnr/bnr as 12/34), or the key of the error to show beside the field. An empty
    value clears the field: (None, None)."""
    value = " ".join(str(value).split())
    if not value:
        return None, None
    if spec.kind == FieldKind.TEXT and len(value) > MAX_FIELD_CHARS:
        return None, FIELD_ERRORS[FieldKind.TEXT]
    if spec.key == "gnr_bnr":
        found = as_gnr_bnr(value)
        return (found, None) if found else (None, GNR_BNR_ERROR)
    if spec.kind == FieldKind.DATE and not re.fullmatch(r"[\w .,/-]{6,30}", value):
        return None, FIELD_ERRORS[FieldKind.DATE]
    found = COERCE[spec.kind](value)
    return (found, None) if found else (None, FIELD_ERRORS[spec.kind])

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ\"«(])")


def two_sentences(text: object) -> str | None:
    sentences = _SENTENCE_END.split(_squeeze(text, 4 * MAX_SUMMARY_CHARS))
    return " ".join(sentences[:2])[:MAX_SUMMARY_CHARS] or None


def _strings(value: object) -> list:
    return value if isinstance(value, list) else []


def _unique(names: Iterable[str]) -> list[str]:
    """First spelling of each name, ignoring case and spacing."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(_key(name), name)
    return list(seen.values())


def suggestion(data: dict, taxonomy: Taxonomy, provider: str) -> Suggestion:
    types = {_key(n): n for n in taxonomy.type_names()}
    tags = {_key(n): n for n in taxonomy.tag_names()}

    raw_type = data.get("document_type")
    document_type = types.get(_key(str(raw_type))) if raw_type not in (None, "") else None
    if raw_type not in (None, "") and document_type is None:
        raise ProviderError(provider, f"document type outside the taxonomy: {_squeeze(raw_type, 60)!r}")

    chosen: dict[str, float] = {}
    proposals: list[str] = []
    for item in _strings(data.get("tags")):
        name, conf = (item.get("name"), item.get("confidence")) if isinstance(item, dict) else (item, 1.0)
        name = _squeeze(name, MAX_LABEL_CHARS)
        if _key(name) in tags:
            chosen.setdefault(tags[_key(name)], confidence(conf))
        elif name:
            proposals.append(name)
    for name in _strings(data.get("new_tags")):
        name = _squeeze(name, MAX_LABEL_CHARS)
        if _key(name) in tags:  # "proposed" but already exists: just apply it
            chosen.setdefault(tags[_key(name)], 0.5)
        elif name:
            proposals.append(name)
    if proposals:
        log.info("%s proposed %d tag(s) outside the taxonomy; kept as new_tags", provider, len(proposals))
    new_tags = _unique(proposals)[:MAX_NEW_TAGS]

    fields: dict[str, str] = {}
    raw_fields = data.get("fields") if isinstance(data.get("fields"), dict) else {}
    for spec in taxonomy.fields:
        value = raw_fields.get(spec.key)
        if value is None or isinstance(value, dict | list) or str(value).strip() == "":
            continue
        coerced = COERCE[spec.kind](str(value))
        if coerced is None:
            log.info("%s gave an unusable %s for field %s; dropped", provider, spec.kind, spec.key)
        else:
            fields[spec.key] = coerced

    return Suggestion(
        document_type=document_type,
        type_confidence=confidence(data.get("type_confidence")) if document_type else 0.0,
        tags=list(chosen), tag_confidence=chosen, new_tags=new_tags, fields=fields,
        title=_squeeze(data.get("title"), MAX_TITLE_CHARS) or None,
        summary=two_sentences(data.get("summary")),
        provider=provider,
    )


def topics(data: dict) -> list[str]:
    names = (_squeeze(t, MAX_LABEL_CHARS) for t in _strings(data.get("topics")) if isinstance(t, str))
    return _unique(n for n in names if n)[:MAX_TOPICS]
