"""Dates a document states, as yyyy-mm-dd: its own date, the contract date and the takeover.

A date counts only after a label that names it («Dato», «Overtakelse», «Kontraktsdato», a
place and a comma before a letter's date). Dates of other things (inspection, due date,
birth) have their own words and are not taken for the document's date.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: number for number, names in enumerate((
        ("januar", "jan"), ("februar", "feb"), ("mars", "mar"), ("april", "apr"), ("mai",),
        ("juni", "jun"), ("juli", "jul"), ("august", "aug"), ("september", "sep", "sept"),
        ("oktober", "okt"), ("november", "nov"), ("desember", "des"),
    ), start=1) for name in names
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE = re.compile(
    r"(?<![\d.,/-])(?P<d>\d{1,2})(?P<sep>[./-])\s?(?P<m>\d{1,2})(?P=sep)\s?(?P<y>\d{4}|\d{2})(?![\d,]|\.\d)"
    r"|(?<!\d)(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?!\d)"
    rf"|(?<!\d)(?P<nd>\d{{1,2}})\.?\s+(?P<nm>{_MONTH_NAMES})\.?\s+(?P<ny>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
LABEL_TAKEOVER = re.compile(r"(overtakels\w*|overtagels\w*|overtaking\w*|overtas|overta|overteke\w*|overtek"
                            r"|overlevering\w*)"
                            r"[^\n\d]{0,40}$", re.IGNORECASE)
LABEL_CONTRACT = re.compile(
    r"(kontraktsdato|kontraktsmøte|(?:kontrakt|avtale)\w*\s+(?:er\s+)?(?:datert|inngått|signert|underskrevet"
    r"|underskriven|underteikna|skriven under)"
    r"(?:\s+den)?)[^\n\d]{0,20}$", re.IGNORECASE)
LABEL_DOCUMENT = re.compile(
    r"(?:^|\n)[ \t]*(?:dato|fakturadato|utskriftsdato|rapportdato|utfylt dato|utferda|utferdiget|utstedt"
    r"|sendt|sent|date|datert|(?:sted|stad) og dato)[ \t]*:?[ \t]*"
    r"(?:(?:man|tirs|ons|tors|fre|lør|søn)dag,?[ \t]+)?$"
    r"|\b[A-ZÆØÅ][a-zæøå]+(?: [A-ZÆØÅ])?,[ \t]*(?:den[ \t]+)?$", re.IGNORECASE)


def dates(text: str) -> list[tuple[int, str]]:
    """(offset, yyyy-mm-dd) of every valid date."""
    out = []
    for m in DATE.finditer(text):
        if m["d"]:
            y, mo, d = m["y"], m["m"], m["d"]
            if len(y) == 2:  # 12.03.25: this century, as Norwegian forms mean it
                y = f"20{y}"
        elif m["iy"]:
            y, mo, d = m["iy"], m["im"], m["id"]
        else:
            y, mo, d = m["ny"], MONTHS[m["nm"].lower()], m["nd"]
        try:
            out.append((m.start(), date(int(y), int(mo), int(d)).isoformat()))
        except ValueError:
            continue
    return out


def labelled_date(text: str, found: list[tuple[int, str]], label: re.Pattern[str]) -> str | None:
    """The first date whose preceding 60 characters end in `label`."""
    return next((value for offset, value in found if label.search(text[max(0, offset - 60):offset])), None)


DATE_LABELS = (("takeover_date", LABEL_TAKEOVER), ("contract_date", LABEL_CONTRACT),
               ("document_date", LABEL_DOCUMENT))


def heading_date(text: str, lines: int = 6) -> str | None:
    """A date that is a whole line among the first `lines` (a letter's or a notice's date
    under its heading)."""
    for line in text.split("\n")[:lines]:
        found = dates(line)
        if len(found) == 1 and DATE.fullmatch(line.strip(" \t,.")):
            return found[0][1]
    return None
