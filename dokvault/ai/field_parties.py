"""Who sells and who buys: the names after a role label (bokmål or nynorsk) or in a
contract's "(heretter kalt selger)" clause.

Several parties are written with commas, semicolons, "og", shares ("(1/2)") and birth dates
("f. 12.03.1980"); the value is every name in the order written, joined by " og ", with the
shares, dates and numbers left out. A name that does not look like one is not taken.
"""

from __future__ import annotations

import re

_SELLER = (r"(?:hjemmelshaver|heimelshavar|selger|seljar|utsteder|oppdragsgiver|oppdragsgjevar)\w*")
_BUYER = r"(?:ny\s+(?:hjemmelshaver|heimelshavar)\w*|kjøper\w*|kjøpar\w*|erverver\w*)"
_BIDDER = r"budgiver\w*"  # in an acceptance the bidder is the buyer, below a named buyer
PARTY = re.compile(
    rf"(?im)^[ \t]*(?:\d+\.\s*)?(?P<role>{_BUYER}|{_SELLER}|{_BIDDER})"
    r"(?:\s*\(e\)|\s*/\s*\w+|\s*\([\w ]{1,20}\))?[ \t]*:[ \t]*(?P<name>[^\n]*)"
)
# A party table's header row: the role heads the first column, the parties are the rows below.
PARTY_TABLE = re.compile(rf"(?im)^[ \t]*\|?[ \t]*(?P<role>{_BUYER}|{_SELLER})(?:\s*\(e\))?[ \t]*\|[^\n]*$")
HERETTER = r"\s*,?\s*\(?\s*(?:heretter|nedenfor)\s+(?:kalt|benevnt)\s+[«\"']?(?P<role>selger|kjøper)"
PARTY_INLINE = re.compile(rf"(?im)(?:\bmellom\s+|^og\s+|^)(?P<name>[A-ZÆØÅ][^\n]{{2,160}}?){HERETTER}")
# "Undertegnede, Kari Dahl og Per Berg, gir med dette Megler AS i oppdrag å selge"
UNDERSIGNED = re.compile(r"\b[Uu]ndertegnede,?\s+(?P<name>[A-ZÆØÅ][^\n]{2,160}?),\s+gir\b"
                         r"[^\n]{0,80}\boppdrag")
NOT_NAME = re.compile(r"\([^)]*\)|[|'`´]"  # shares, birth dates, roles; marks a scan leaves
                       r"|,?\s*\b(?:f\.|født|fnr\.?|fødselsnr\.?|fødselsnummer|org\.?\s?nr\.?)\s*[\d.*\s]*"
                       r"|\b\d+/\d+\b", re.IGNORECASE)
_SEP = re.compile(r"\s*(?:,|;|\bog\b|&|\bsamt\b)\s*")
_PARTICLES = {"v/", "av", "de", "van", "von"}
# Words after a name that say something about it, not part of it: "Kari Lie, andel 1/2".
_TRAILING = re.compile(r"(?:\s+(?:andel|eierandel|del|ektefelle|sambuer|begge|hver|kvar|i fellesskap)\b.*)$",
                       re.IGNORECASE)


def _is_name(part: str) -> bool:
    words = part.split()
    return (1 < len(words) <= 6 and len(part) <= 60 and not re.search(r"\d", part)
            and all(w[0].isupper() or w in _PARTICLES for w in words))


def names(raw: str) -> list[str]:
    """The names in a list of parties, in order; stops at the first part that is not a name."""
    out = []
    for part in _SEP.split(NOT_NAME.sub(" ", raw)):
        part = _TRAILING.sub("", " " + re.sub(r"\s+", " ", part)).strip(" .:;-–")
        if not part:
            continue
        if not _is_name(part):
            break
        out.append(part)
    return out


def _continues(line: str) -> bool:
    """A party list a scan broke over two lines: it ends in a separator or a lone first name."""
    line = NOT_NAME.sub(" ", line).rstrip()
    last = _SEP.split(line)[-1].split()
    return bool(re.search(r"(?:,|;|\bog)$", line)) or len(last) == 1


def name_line(line: str) -> list[str]:
    """The names of a line that is nothing but names (a list under its label, a table row's
    first cell), else []."""
    first = line.strip().strip("|").split("|")[0].strip()
    if not first or ":" in first:
        return []
    listed = names(first)
    return listed if len(" ".join(listed)) >= 0.6 * len(NOT_NAME.sub(" ", first).strip()) else []


def _following_names(text: str, end: int) -> list[str]:
    """Names on the lines right after `end`, each line nothing but names."""
    found = []
    for line in text[end + 1:].split("\n")[:6]:
        if not (listed := name_line(line)):
            break
        found += listed
    return found


def _hits(text: str) -> list[tuple[int, int, str, str]]:
    """(rank, offset, seller|buyer, raw names) of every party statement."""
    hits = []
    for m in PARTY.finditer(text):
        role, raw, end = m["role"].lower(), m["name"], m.end()
        nxt = text[end + 1:text.find("\n", end + 1) if "\n" in text[end + 1:] else len(text)]
        if (not raw.strip() or _continues(raw)) and ":" not in nxt:
            raw, end = f"{raw} {nxt}", end + 1 + len(nxt)
        if names(raw) and (more := _following_names(text, end)):
            raw = ", ".join([raw, *more])  # one party a line below the label
        key = "seller" if re.match(_SELLER, role) and not role.startswith("ny") else "buyer"
        hits.append((1 if re.match(_BIDDER, role) else 0, m.start(), key, raw))
    for m in PARTY_TABLE.finditer(text):
        if more := _following_names(text, m.end()):
            role = m["role"].lower()
            key = "seller" if re.match(_SELLER, role) and not role.startswith("ny") else "buyer"
            hits.append((0, m.start(), key, ", ".join(more)))
    for m in PARTY_INLINE.finditer(text):
        hits.append((0, m.start(), "seller" if m["role"].lower() == "selger" else "buyer", m["name"]))
    hits += [(0, m.start(), "seller", m["name"]) for m in UNDERSIGNED.finditer(text)]
    return sorted(hits)


def parties(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for _, _, key, raw in _hits(text):
        if key not in found and (listed := names(raw)):
            found[key] = " og ".join(listed)
    return found
