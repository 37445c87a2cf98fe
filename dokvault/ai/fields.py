"""Custom fields read from Norwegian brokerage text with rules, bokmål and nynorsk, and
from what people corrected before.

Only what the text states in a recognisable form is filled in: a price needs a label
(«Kjøpesum», «Prisantydning», «Markedsverdi»), a takeover date needs «overtakelse» before
it. Anything else is left empty for a person (or an LLM provider) rather than guessed.
Values use the forms of `FieldKind`: dates as yyyy-mm-dd, money as a plain number.

The layout is made plain first: the file's own lines and table cells where the reader kept
them (field_page: PDF text positions, DOCX/ODT tables), then field_layout.flatten (a
value below its label, dot leaders, tabs). Each topic has its module: field_places,
field_parties, field_money, field_dates. A field model trained on confirmed documents
(field_model) then picks, per field, the candidate value it is sure of; where it is not,
the rules' value stands.
"""

from __future__ import annotations

from collections.abc import Iterable

from dokvault.ai.field_dates import DATE_LABELS, dates, heading_date, labelled_date
from dokvault.ai.field_layout import dehyphenate, flatten_lines
from dokvault.ai.field_learn import Reading, reading
from dokvault.ai.field_model import FieldModel
from dokvault.ai.field_money import amount, amounts, price
from dokvault.ai.field_names import prose_parties
from dokvault.ai.field_page import reading_text
from dokvault.ai.field_parties import parties
from dokvault.ai.field_places import address, gnr_bnr, municipality
from dokvault.ai.types import FieldSpec
from dokvault.extract.layout import Layout

__all__ = ["amounts", "dates", "dehyphenate", "extract_fields", "prepare", "rule_fields"]


def prepare(text: str, layout: Layout | None = None) -> Reading:
    """The flattened text the rules and the model read, with each line's place."""
    body, places = reading_text(text, layout)
    lines = flatten_lines(dehyphenate(body))
    return reading("\n".join(line for line, _ in lines),
                   [places[i] if i < len(places) else None for _, i in lines])


def rule_fields(text: str, wanted: set[str]) -> dict[str, str]:
    """What the rules read in a flattened text, for the fields in `wanted`."""
    out: dict[str, str] = {}
    if "gnr_bnr" in wanted and (value := gnr_bnr(text)):
        out["gnr_bnr"] = value
    if "address" in wanted and (value := address(text)):
        out["address"] = value
    if "municipality" in wanted and (value := municipality(text)):
        out["municipality"] = value
    if wanted & {"seller", "buyer"}:
        out.update({k: v for k, v in parties(text).items() if k in wanted})
        if not wanted & {"seller", "buyer"} <= set(out):  # a party no label names: read the sentences
            out.update({k: v for k, v in prose_parties(text).items() if k in wanted and k not in out})
    if wanted & {"price", "amount"}:
        money = amounts(text)
        if "price" in wanted and (value := price(text, money)):
            out["price"] = value
        if "amount" in wanted and (value := amount(text, money)):
            out["amount"] = value
    if wanted & {key for key, _ in DATE_LABELS}:
        found = dates(text)
        for key, label in DATE_LABELS:
            if key in wanted and (value := labelled_date(text, found, label)):
                out[key] = value
        if "document_date" in wanted and "document_date" not in out and (value := heading_date(text)):
            out["document_date"] = value
    return out


def extract_fields(text: str, specs: Iterable[FieldSpec], layout: Layout | None = None,
                   model: FieldModel | None = None) -> dict[str, str]:
    """Values for the fields of `specs` that the text states plainly; the others are left out."""
    doc = prepare(text, layout)
    wanted = {spec.key for spec in specs}
    out = rule_fields(doc.text, wanted)
    if model is not None:
        for key in sorted(wanted & set(model.keys)):
            if (value := model.choose(doc, key, out.get(key))) is not None:
                out[key] = value
    return out
