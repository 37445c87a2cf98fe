"""Custom fields read from Norwegian brokerage text with regular expressions.

Only what the text states in a recognisable form is filled in: a price needs a label
(«Kjøpesum», «Prisantydning», «Markedsverdi»), a takeover date needs «overtakelse» before
it. Anything else is left empty for a person (or an LLM provider) rather than guessed.
Values use the forms of `FieldKind`: dates as yyyy-mm-dd, money as a plain number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from dokvault.ai.types import FieldSpec

MONTHS = {
    name: number for number, names in enumerate((
        ("januar", "jan"), ("februar", "feb"), ("mars", "mar"), ("april", "apr"), ("mai",),
        ("juni", "jun"), ("juli", "jul"), ("august", "aug"), ("september", "sep", "sept"),
        ("oktober", "okt"), ("november", "nov"), ("desember", "des"),
    ), start=1) for name in names
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})(?!\d)"
    r"|(?<!\d)(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?!\d)"
    rf"|(?<!\d)(?P<nd>\d{{1,2}})\.?\s+(?P<nm>{_MONTH_NAMES})\.?\s+(?P<ny>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
# 4 500 000 / 4.500.000 / 4500000, then ,50 or ,- ; before or after "kr"/"NOK".
_NUMBER = r"\d{1,3}(?:[ \u00a0.]\d{3})+(?!\d)|\d+"
_CENTS = r"(?:,(?P<{0}>\d{{2}})(?!\d)|,-+)?"
AMOUNT = re.compile(
    rf"(?:\bkr\.?|\bnok)[ \u00a0]*(?P<a>{_NUMBER}){_CENTS.format('ac')}"
    rf"|(?<![\d,.])(?P<b>{_NUMBER}){_CENTS.format('bc')}[ \u00a0]*(?:kr\b|nok\b)",
    re.IGNORECASE,
)
GNR_BNR = re.compile(
    r"\bg(?:nr|årdsnr|årdsnummer)\.?\s*:?\s*(?P<g>\d{1,4})\s*[,/]?\s*(?:og\s+)?"
    r"b(?:nr|ruksnr|ruksnummer)\.?\s*:?\s*(?P<b>\d{1,5})"
    r"(?:\s*[,/]?\s*f(?:nr|estenr|estenummer)\.?\s*:?\s*(?P<f>\d{1,4}))?"
    r"(?:\s*[,/]?\s*s(?:nr|eksjonsnr|eksjonsnummer)\.?\s*:?\s*(?P<s>\d{1,4}))?"
    r"|\bgnr\.?\s*/\s*bnr\.?\s*:?\s*(?P<g2>\d{1,4})\s*/\s*(?P<b2>\d{1,5})"
    r"(?:\s*/\s*(?P<f2>\d{1,4}))?(?:\s*/\s*(?P<s2>\d{1,4}))?",
    re.IGNORECASE,
)
_WORD = r"[A-ZÆØÅ][a-zæøåéü]+"
# Lower-case words join a street name only when they are street nouns ("Kongens gate").
_STREET_NOUN = r"(?:gate|gata|gaten|vei|veien|veg|vegen|plass|allé|torg|bakke|brygge|kai|terrasse|stræde)"
ADDRESS = re.compile(
    rf"(?P<street>{_WORD}(?:[ -](?:{_WORD}|{_STREET_NOUN})){{0,3}}\.?)"
    r"[ \u00a0](?P<no>\d{1,4}(?:[ ]?[A-Za-z])?)"
    r",?[ \u00a0]+(?P<post>\d{4})[ \u00a0](?P<place>[A-ZÆØÅ][A-ZÆØÅa-zæøå]+(?:[ -][A-ZÆØÅ][a-zæøå]+)?"
    r"(?: [A-Z](?![\w]))?)"
)
MUNICIPALITY = re.compile(
    rf"\b(?P<a>{_WORD}(?:(?:[ -]| og ){_WORD})?)\s+kommune\b"
    r"|\b[Kk]ommune(?:nr\.?)?\s*:\s*(?:\d{4}\s+)?(?P<b>[A-ZÆØÅ][A-Za-zæøåÆØÅ]+(?:[ -][A-Za-zæøåÆØÅ]+){0,2})"
)
PARTY = re.compile(
    r"(?im)^[ \t]*(?:\d+\.\s*)?(?P<role>ny\s+hjemmelshaver|selger(?:e|en|ne)?|hjemmelshaver(?:e|en)?"
    r"|utsteder(?:e|en)?|oppdragsgiver(?:e|en)?|kjøper(?:e|en|ne)?|erverver(?:e|en)?)"
    r"(?:\s*\(e\)|\s*/\s*\w+|\s*\([\w ]{1,20}\))?[ \t]*:[ \t]*(?P<name>[^\n]+)"
)
PARTY_INLINE = re.compile(
    r"(?P<name>[A-ZÆØÅ][\w.\- ]{2,60}?)\s*,?\s*\(?\s*(?:heretter|nedenfor)\s+(?:kalt|benevnt)\s+[«\"']?"
    r"(?P<role>selger|kjøper)",
)
# Capitalised words that start a sentence or a label, never a street name.
NOT_STREET = {
    "adresse", "eiendom", "eiendommen", "gjelder", "objekt", "salgsobjekt", "befaring", "befaringsadresse",
    "leieobjekt", "forsikringssted", "boligen", "leiligheten", "hytta", "tomten", "velkommen", "til", "i",
    "på", "se", "prosjekt", "beliggende", "kjøp", "salg", "ny", "nytt", "vedrørende", "angående", "ad",
}
HYPHEN_BREAK = re.compile(r"(?<=[a-zæøå])-[ \t]*\n[ \t]*(?=[a-zæøå])")
SELLER_ROLES = ("selger", "hjemmelshaver", "utsteder", "oppdragsgiver")

# «Totalpris» includes costs and «vederlag» mid-line is often the broker's fee: not the price.
LABEL_PRICE = re.compile(
    r"(kjøpesum\w*|prisantydning\w*|markedsverdi\w*|salgssum\w*|salgsverdi\w*|avtalt pris"
    r"|verdi(?:en)? (?:settes|vurderes|anslås) til|(?:^|\n)[ \t]*vederlag)[^\n\d]{0,40}$", re.IGNORECASE)
LABEL_AMOUNT = re.compile(
    r"(å betale|til betaling|til utbetaling|sum inkl\.? ?mva\.?|totalt inkl\.? ?mva\.?|fakturabeløp"
    r"|beløp å betale|restbeløp|skyldig beløp|beløpsgrense|begrenset oppad til|(?:^|\n)[ \t]*beløp)"
    r"[^\n\d]{0,40}$", re.IGNORECASE)
LABEL_TAKEOVER = re.compile(r"(overtakels\w*|overtagels\w*|overtas|overta|overlevering\w*)[^\n\d]{0,40}$",
                            re.IGNORECASE)
LABEL_CONTRACT = re.compile(
    r"(kontraktsdato|kontraktsmøte|kontrakt\w*\s+(?:er\s+)?(?:datert|inngått|signert|underskrevet)"
    r"(?:\s+den)?)[^\n\d]{0,20}$", re.IGNORECASE)
LABEL_DOCUMENT = re.compile(
    r"(?:^|\n)[ \t]*(?:dato|fakturadato|utskriftsdato|utstedt|sendt|sent|date|datert)[ \t]*:?[ \t]*"
    r"(?:(?:man|tirs|ons|tors|fre|lør|søn)dag,?[ \t]+)?$"
    r"|\b[A-ZÆØÅ][a-zæøå]+(?: [A-ZÆØÅ])?,[ \t]*(?:den[ \t]+)?$", re.IGNORECASE)
LABEL_ADDRESS = re.compile(
    r"(adresse|eiendom(?:men)?|gjelder|salgsobjekt|objekt|beliggende|oppdraget gjelder|vedrørende"
    r"|befaring av)\b[^\n]{0,50}$", re.IGNORECASE)
NOT_PROPERTY = re.compile(r"(besøksadresse|postadresse|kontoradresse|avsender|postboks|\bAS\b|org\.? ?nr)"
                          r"[^\n]{0,40}$", re.IGNORECASE)


def _money(whole: str, cents: str | None) -> str | None:
    digits = re.sub(r"[ \u00a0.]", "", whole)
    if not digits or len(digits) > 12:
        return None
    value = str(int(digits))
    return f"{value}.{cents}" if cents and cents != "00" else value


def amounts(text: str) -> list[tuple[int, str]]:
    """(offset, value) of every amount in kroner."""
    out = []
    for m in AMOUNT.finditer(text):
        whole, cents = (m["a"], m["ac"]) if m["a"] else (m["b"], m["bc"])
        if (value := _money(whole, cents)) is not None:
            out.append((m.start(), value))
    return out


def dates(text: str) -> list[tuple[int, str]]:
    """(offset, yyyy-mm-dd) of every valid date."""
    out = []
    for m in DATE.finditer(text):
        if m["d"]:
            y, mo, d = m["y"], m["m"], m["d"]
        elif m["iy"]:
            y, mo, d = m["iy"], m["im"], m["id"]
        else:
            y, mo, d = m["ny"], MONTHS[m["nm"].lower()], m["nd"]
        try:
            out.append((m.start(), date(int(y), int(mo), int(d)).isoformat()))
        except ValueError:
            continue
    return out


def _labelled(text: str, found: list[tuple[int, str]], label: re.Pattern[str],
              last: bool = False) -> str | None:
    """The first (or last) value whose preceding 60 characters end in `label`."""
    hits = [value for offset, value in found if label.search(text[max(0, offset - 60):offset])]
    if not hits:
        return None
    return hits[-1] if last else hits[0]


def gnr_bnr(text: str) -> str | None:
    m = GNR_BNR.search(text)
    if not m:
        return None
    g, b, f, s = (m["g"], m["b"], m["f"], m["s"]) if m["g"] else (m["g2"], m["b2"], m["f2"], m["s2"])
    parts = [str(int(g)), str(int(b))]
    if f or s:
        parts.append(str(int(f or 0)))
    if s:
        parts.append(str(int(s)))
    return "/".join(parts)


def address(text: str) -> str | None:
    candidates = []
    for m in ADDRESS.finditer(text):
        words = m["street"].split(" ")
        while len(words) > 1 and words[0].lower() in NOT_STREET:  # "Eiendommen Strandkaien 1"
            words.pop(0)
        street = " ".join(words)
        start = m.start("street") + len(m["street"]) - len(street)
        before = text[max(0, start - 60):start]
        if NOT_PROPERTY.search(before):
            continue
        value = f"{street} {m['no']}, {m['post']} {m['place']}"
        candidates.append((0 if LABEL_ADDRESS.search(before) else 1, m.start(), value))
    return min(candidates)[2] if candidates else None


def municipality(text: str) -> str | None:
    m = MUNICIPALITY.search(text)
    if not m:
        return None
    name = (m["a"] or m["b"]).strip()
    return name.title().replace(" Og ", " og ") if name.isupper() else name


def _clean_name(raw: str) -> str | None:
    raw = re.sub(r"[|'`´]", "", raw)  # marks a scan leaves inside a line
    name = re.split(r",|\(|\s{2,}|\t|\bf\.\s?\d|\bfødsels|\bfnr\b|\borg\.?\s?nr|\d", raw)[0].strip(" .:;-")
    words = name.split()
    if not 2 <= len(words) <= 10 or len(name) > 80:
        return None
    if not all(w[0].isupper() or w in ("og", "&", "v/", "av", "de", "van", "von") for w in words):
        return None
    return name


def parties(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    hits = [(m.start(), m["role"].lower(), m["name"]) for m in PARTY.finditer(text)]
    hits += [(m.start(), m["role"].lower(), m["name"]) for m in PARTY_INLINE.finditer(text)]
    for _, role, raw in sorted(hits):
        key = "seller" if role.startswith(SELLER_ROLES) else "buyer"  # "ny hjemmelshaver" = the buyer
        if key not in found and (name := _clean_name(raw)):
            found[key] = name
    return found


def dehyphenate(text: str) -> str:
    """Join words a scan broke over two lines ("kjøpe-\nsummen")."""
    return HYPHEN_BREAK.sub("", text)


def extract_fields(text: str, specs: Iterable[FieldSpec]) -> dict[str, str]:
    """Values for the fields of `specs` that the text states plainly; the others are left out."""
    text = dehyphenate(text)
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
        if "price" in wanted and (value := _labelled(text, money, LABEL_PRICE)):
            out["price"] = value
        if "amount" in wanted and (value := _labelled(text, money, LABEL_AMOUNT, last=True)):
            out["amount"] = value
    if wanted & {"document_date", "contract_date", "takeover_date"}:
        found = dates(text)
        for key, label in (("takeover_date", LABEL_TAKEOVER), ("contract_date", LABEL_CONTRACT),
                           ("document_date", LABEL_DOCUMENT)):
            if key in wanted and (value := _labelled(text, found, label)):
                out[key] = value
    return out
