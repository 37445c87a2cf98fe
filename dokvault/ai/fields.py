"""Custom fields read from Norwegian brokerage text with rules, bokmål and nynorsk.

Only what the text states in a recognisable form is filled in: a price needs a label
(«Kjøpesum», «Prisantydning», «Markedsverdi»), a takeover date needs «overtakelse» before
it. Anything else is left empty for a person (or an LLM provider) rather than guessed.
Values use the forms of `FieldKind`: dates as yyyy-mm-dd, money as a plain number.

The layout is made plain first (field_layout.flatten: table cells, a value below its label),
then each topic has its module: field_places, field_parties, field_money, field_dates.
"""

from __future__ import annotations

from collections.abc import Iterable

from dokvault.ai.field_dates import DATE_LABELS, dates, labelled_date
from dokvault.ai.field_layout import dehyphenate, flatten
from dokvault.ai.field_money import amount, amounts, price
from dokvault.ai.field_parties import parties
from dokvault.ai.field_places import address, gnr_bnr, municipality
from dokvault.ai.types import FieldSpec

__all__ = ["amounts", "dates", "dehyphenate", "extract_fields"]


def extract_fields(text: str, specs: Iterable[FieldSpec]) -> dict[str, str]:
    """Values for the fields of `specs` that the text states plainly; the others are left out."""
    text = flatten(text)
    wanted = {spec.key for spec in specs}
    out: dict[str, str] = {}
    if "gnr_bnr" in wanted and (value := gnr_bnr(text)):
        out["gnr_bnr"] = value
    if "address" in wanted and (value := address(text)):
        out["address"] = value
    if "municipality" in wanted and (value := municipality(text)):
        out["municipality"] = value
    if wanted & {"seller", "buyer"}:
        out.update({k: v for k, v in parties(text).items() if k in wanted})
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
    return out
