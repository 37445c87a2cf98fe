"""Where the property is: its address, municipality and cadastral number (gnr/bnr).

Rules read a flattened text (see field_layout), so a value in a table cell or on the line
below its label reads as `Label: value`. An address is taken only where the text gives it
for the property: after an address label, or in a sentence; an address alone on its line
with no label is a letterhead or a recipient's block and is passed over.
"""

from __future__ import annotations

import re

_G = r"g(?:\.\s?nr|nr|årdsnr|ardsnr|årdsnummer|ardsnummer)"
_B = r"b(?:\.\s?nr|nr|ruksnr|ruksnummer)"
GNR_BNR = re.compile(
    rf"\b{_G}\.?\s*:?\s*(?P<g>\d{{1,4}})\s*[,/]?\s*(?:og\s+)?"
    rf"{_B}\.?\s*:?\s*(?P<b>\d{{1,5}})"
    r"(?:\s*[,/]?\s*f(?:nr|estenr|estenummer)\.?\s*:?\s*(?P<f>\d{1,4}))?"
    r"(?:\s*[,/]?\s*s(?:nr|eksjonsnr|eksjonsnummer)\.?\s*:?\s*(?P<s>\d{1,4}))?"
    rf"|\b{_G}\.?\s*/\s*{_B}\.?\s*:?\s*(?P<g2>\d{{1,4}})\s*/\s*(?P<b2>\d{{1,5}})"
    r"(?:\s*/\s*(?P<f2>\d{1,4}))?(?:\s*/\s*(?P<s2>\d{1,4}))?"
    # "Gnr 12/34", "Matrikkel: 0301-12/34", "Matr.nr. 12/34/0/5"
    rf"|\b(?:{_G}|matr(?:ikkel)?\.?\s?(?:nr|nummer)?)\.?\s*:?\s*(?:\d{{4}}\s*[-–]\s*)?"
    r"(?P<g3>\d{1,4})\s*/\s*(?P<b3>\d{1,5})(?:\s*/\s*(?P<f3>\d{1,4}))?(?:\s*/\s*(?P<s3>\d{1,4}))?",
    re.IGNORECASE,
)
_WORD = r"[A-ZÆØÅ][a-zæøåéü]+"
# Lower-case words join a street name only when they are street nouns ("Kongens gate").
_STREET_NOUN = r"(?:gate|gata|gaten|vei|veien|veg|vegen|plass|allé|torg|bakke|brygge|kai|terrasse|stræde)"
# A flat or section inside the building: left out of the address.
_UNIT = (r"(?:,?[ \t]*(?:leil(?:ighet|egheit)?\.?(?:[ \t]*nr\.?)?|lgh\.?|seksjon|bolig|bustad|snr\.?)"
         r"[ \t]*\d{1,4}|,?[ \t]*[HUKL]0\d{3}|,?[ \t]*\d{1,2}\.?[ \t]*(?:etg|etasje|et|høgda)\.?)+")
_PLACE = r"[A-ZÆØÅ][A-ZÆØÅa-zæøå]+(?:[ -][A-ZÆØÅ][a-zæøå]+)?(?: [A-Z](?![\w]))?"
ADDRESS = re.compile(
    rf"(?<![\wæøåÆØÅ])(?P<street>{_WORD}(?:[ -](?:{_WORD}|{_STREET_NOUN})){{0,3}}\.?)"
    r"[ \u00a0](?P<no>\d{1,4}(?:[ ]?[A-Za-z](?![\wæøå]))?)"
    rf"(?P<unit>{_UNIT})?"
    r"(?:,?[ \u00a0]*(?:[-–][ \t]*)?\n?[ \t]*(?P<post>\d{4})(?:[ \u00a0]|[ \t]*\n[ \t]*)|,[ \t]*)"
    rf"(?P<place>{_PLACE})(?![\wæøåÆØÅ-])",
    re.MULTILINE,
)
# "Storgata 5 i Bergen": the street and number, then the place after "i" (no postcode).
ADDRESS_IN = re.compile(
    rf"(?<![\wæøåÆØÅ])(?P<street>{_WORD}(?:[ -](?:{_WORD}|{_STREET_NOUN})){{0,3}}\.?)"
    r"[ \u00a0](?P<no>\d{1,4}(?:[ ]?[A-Za-z](?![\wæøå]))?)(?P<unit>" + _UNIT + r")?"
    rf"[ \t]+i[ \t]+(?P<place>{_PLACE})(?![\wæøåÆØÅ-])(?![ \t]+kommune)")
MUNICIPALITY = re.compile(
    rf"\b(?P<a>{_WORD}(?:(?:[ -]| og ){_WORD})?)\s+kommune\b"
    r"|\b[Kk]ommune(?:nr\.?)?\s*:\s*(?:\d{4}\s+)?(?P<b>[A-ZÆØÅ][A-Za-zæøåÆØÅ]+(?:[ -][A-Za-zæøåÆØÅ]+){0,2})"
)
# Capitalised words that start a sentence or a label, never a street name.
NOT_STREET = {
    "adresse", "eiendom", "eiendommen", "gjelder", "objekt", "salgsobjekt", "befaring", "befaringsadresse",
    "leieobjekt", "forsikringssted", "boligen", "leiligheten", "hytta", "tomten", "velkommen", "til", "i",
    "på", "se", "prosjekt", "beliggende", "kjøp", "salg", "ny", "nytt", "vedrørende", "angående", "ad",
    "eigedom", "eigedomen", "visning", "oppdrag", "vedk",
}
LABEL_ADDRESS = re.compile(
    r"(adress[ae]\w*(?: til \w+)?|eiendom(?:men)?s? ?(?:adresse)?|eigedom(?:en)?|gjelder(?: oppdrag)?"
    r"|salgsobjekt|oppdragsobjekt|objekt|beliggende|beliggenhet|oppdraget gjelder|oppdrag|vedrørende"
    r"|befaring av|visning)\b[^\n]{0,50}$", re.IGNORECASE)
NOT_PROPERTY = re.compile(r"(besøksadresse|postadresse|kontoradresse|avsender|postboks|org\.? ?nr"
                          r"|kunde)[^\n]{0,40}$|\bAS\b[ \t,·|:–-]{0,4}$", re.IGNORECASE)


def gnr_bnr(text: str) -> str | None:
    m = GNR_BNR.search(text)
    if not m:
        return None
    g, b, f, s = next((m[f"g{n}"], m[f"b{n}"], m[f"f{n}"], m[f"s{n}"]) for n in ("", "2", "3") if m[f"g{n}"])
    parts = [str(int(g)), str(int(b))]
    if f or s:
        parts.append(str(int(f or 0)))
    if s:
        parts.append(str(int(s)))
    return "/".join(parts)


def address(text: str) -> str | None:
    """The property's address: labelled first, else the first one stated in a sentence."""
    candidates = []
    for m in ADDRESS.finditer(text):
        words = m["street"].split(" ")
        while len(words) > 1 and words[0].lower().strip(".") in NOT_STREET:  # "Eiendommen Strandkaien 1"
            words.pop(0)
        street = " ".join(words)
        start = m.start("street") + len(m["street"]) - len(street)
        line_start = text.rfind("\n", 0, start) + 1
        before = text[max(line_start, start - 60):start]
        if NOT_PROPERTY.search(before):
            continue
        labelled = LABEL_ADDRESS.search(before) is not None
        if not labelled and (not before.strip() or not m["post"]):
            continue  # a letterhead or recipient block, or no postcode to tell it is an address
        place = f"{m['post']} {m['place']}" if m["post"] else m["place"]
        value = f"{street} {m['no']}, {place}"
        candidates.append((0 if labelled else 1, m.start(), value))
    return min(candidates)[2] if candidates else None


def municipality(text: str) -> str | None:
    m = MUNICIPALITY.search(text)
    if not m:
        return None
    name = (m["a"] or m["b"]).strip()
    return name.title().replace(" Og ", " og ") if name.isupper() else name
