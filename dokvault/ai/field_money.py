"""Money: the property's price and the amount to be paid or paid out, as plain numbers.

An amount counts only after a label that names it. With "kr"/"NOK"/"kroner" (or ",-") it may
stand in a sentence after the label; without a currency it must be the label's whole value
(`Kjøpesum: 3 700 000`, a table cell or the line below). A fee, a percentage or a minimum
after the label ("Vederlag: provisjon 1,5 % av salgssum, minimum kr 45 000") is not a price.
The agreed price wins over the asking price: an accepted bid, then kjøpesum / salgssum, then
prisantydning or an appraised value.
"""

from __future__ import annotations

import re

# 4 500 000 / 4.500.000 / 4500000, then ,50 or ,- ; before or after "kr"/"NOK".
_NUMBER = r"\d{1,3}(?:[ \u00a0.]\d{3})+(?!\d)|\d+"
_CENTS = r"(?:,(?P<{0}>\d{{2}})(?!\d)|,-+)?"
AMOUNT = re.compile(
    rf"(?:\bkr\.?|\bnok)[ \u00a0]*(?P<a>{_NUMBER}){_CENTS.format('ac')}"
    rf"|(?<![\d,.])(?P<b>{_NUMBER}){_CENTS.format('bc')}[ \u00a0]*(?:kr\b|kroner\b|nok\b)"
    rf"|(?<![\d,.])(?P<c>\d{{1,3}}(?:[ \u00a0.]\d{{3}})+),-",
    re.IGNORECASE,
)
# A label's whole value: an optional currency, the number, optional cents or ",-", the amount in
# words in parentheses, and nothing else.
BARE = re.compile(
    rf"(?im):[ \t]*-?[ \t]*(?:kr\.?|nok)?[ \t\u00a0]*(?P<a>{_NUMBER}){_CENTS.format('ac')}"
    r"[ \t\u00a0]*(?:kr\.?|kroner|nok)?[ \t]*(?:\([^()\n\d]*\))?[ \t]*[|'.]?[ \t]*$")
_FEE = re.compile(r"%|provisjon|honorar|minimum|gebyr|omkostning|per måned|pr\.? mnd", re.IGNORECASE)
_LEAD = r"(?:^|\n)[ \t]*"
PRICE_LABELS = (  # best first
    re.compile(rf"({_LEAD}(?:kjøpesum\w*|salgssum\w*|salssum\w*|avtalt pris|vederlag)"
               r"|\bkjøpesum\w*|\bsalgssum\w*|\bavtalt pris)[^\n\d]{0,40}$", re.IGNORECASE),
    re.compile(r"(prisantydning\w*|prisantyding\w*|markedsverdi\w*|marknadsverdi\w*|salgsverdi\w*"
               r"|verdi(?:en)? (?:settes|vurderes|anslås|fastsettes) til|\bpris\b)[^\n\d]{0,40}$",
               re.IGNORECASE),
)
LABEL_AMOUNT = re.compile(
    r"(å betale|til betaling|til utbetaling|netto til \w+|sum inkl\.? ?mva\.?|totalt inkl\.? ?mva\.?"
    r"|fakturabeløp|beløp å betale|restbeløp|skyldig beløp|beløpsgrense|begrenset oppad til"
    r"|pantesikkerhe\w*,? beløp|(?:^|\n)[ \t]*beløp)[^\n\d]{0,40}$", re.IGNORECASE)
# A bid journal's or an acceptance's accepted bid: the agreed price.
ACCEPTED_LINE = re.compile(r"(?im)^[^\n]*\bakseptert\b[^\n]*$"
                           r"|\baksepterer\b[^\n]{0,60}?\bbud\w*\s+på\s+[^\n]+")
GROUPED = re.compile(rf"(?<![\d.,:])(?P<a>\d{{1,3}}(?:[ \u00a0.]\d{{3}})+)(?![\d.]\d){_CENTS.format('ac')}")


def money(whole: str, cents: str | None) -> str | None:
    digits = re.sub(r"[ \u00a0.]", "", whole)
    if not digits or len(digits) > 12:
        return None
    value = str(int(digits))
    return f"{value}.{cents}" if cents and cents != "00" else value


def amounts(text: str) -> list[tuple[int, str]]:
    """(offset, value) of every amount in kroner: with a currency, or a label's whole value."""
    out = []
    for m in AMOUNT.finditer(text):
        whole, cents = (m["a"], m["ac"]) if m["a"] else (m["b"], m["bc"]) if m["b"] else (m["c"], None)
        if (value := money(whole, cents)) is not None:
            out.append((m.start(), value))
    for m in BARE.finditer(text):
        if (value := money(m["a"], m["ac"])) is not None and not any(o >= m.start() and o < m.end()
                                                                     for o, _ in out):
            out.append((m.start("a"), value))
    return sorted(out)


def labelled(text: str, found: list[tuple[int, str]], label: re.Pattern[str],
             last: bool = False) -> str | None:
    """The first (or last) value whose preceding 60 characters end in `label`, not a fee."""
    hits = []
    for offset, value in found:
        before = text[max(0, offset - 60):offset]
        m = label.search(before)
        if m and not _FEE.search(before[m.end(1):]) and not re.search(r"\bav\s*$", before[:m.start(1)]):
            hits.append(value)
    if not hits:
        return None
    return hits[-1] if last else hits[0]


def accepted_bid(text: str) -> str | None:
    """The last amount on a line that says the bid was accepted."""
    for m in ACCEPTED_LINE.finditer(text):
        line = m[0]
        found = [(x.start(), money(x["a"], x["ac"])) for x in GROUPED.finditer(line)]
        if found:
            return found[-1][1]
    return None


def price(text: str, found: list[tuple[int, str]]) -> str | None:
    if value := accepted_bid(text):
        return value
    for label in PRICE_LABELS:
        if value := labelled(text, found, label):
            return value
    return None


def amount(text: str, found: list[tuple[int, str]]) -> str | None:
    return labelled(text, found, LABEL_AMOUNT, last=True)
