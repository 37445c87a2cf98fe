"""Where a field's value stands, as features a model can learn from corrections.

Every value a field could take in a document is a candidate: each address, amount, date,
gnr/bnr, municipality or list of names the text holds, whatever the label before it. A
candidate is described by what surrounds it - the label words before it on its line (and
their character 4-grams, so "seljarar" and "seljar" meet), the line above, the words after
it, the kind of line (table row, `label: value`, prose), its order among the candidates,
where it stands on the page, and whether the rules chose it. dokvault/ai/field_model.py
learns from confirmed documents which candidates people kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dokvault.ai.field_dates import dates
from dokvault.ai.field_money import GROUPED, amounts, money
from dokvault.ai.field_names import name_candidates
from dokvault.ai.field_page import Place
from dokvault.ai.field_parties import PARTY_INLINE, UNDERSIGNED, name_line, names
from dokvault.ai.field_places import ADDRESS, ADDRESS_IN, GNR_BNR, MUNICIPALITY, NOT_STREET, gnr_bnr
from dokvault.core import norwegian

DATE_KEYS = {"document_date", "contract_date", "takeover_date"}
MONEY_KEYS = {"price", "amount"}
PARTY_KEYS = {"seller", "buyer"}
# Words that say who a party is, whatever the form's labels: what its nearest one is, before
# and after a candidate (in the same sentence), is a feature of every candidate.
ROLES = (
    ("seller", re.compile(r"(?:selger|seljar|selgjar|hjemmelshaver|heimelshavar|hjemmel|heimel|eier|eigar"
                          r"|oppdragsgiver|oppdragsgjevar|rekvirent|avhender|utsteder|pantsetter|pantsetjar)\w*"
                          r"|undertegnede|underteikna", re.IGNORECASE)),
    ("buyer", re.compile(r"(?:kjøper|kjøpar|erverver|budgiver|bodgjevar|budgjevar|tilbyder|mottaker)\w*",
                         re.IGNORECASE)),
    ("sell", re.compile(r"\b(?:selge|selje|sel|selger|overdrar|overdreg|overlater|aksepterer)\b",
                        re.IGNORECASE)),
    ("buy", re.compile(r"\b(?:kjøpe|kjøpt|kjøpte|kjøper|kjøpar|kjøpes|bud|budet|bodet)\b", re.IGNORECASE)),
)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n\s*\n")
ROLE_WINDOW = 80
_LABELLED = re.compile(r"^[ \t]*(?P<label>[^:\n|]{1,60}):[ \t]*(?P<value>\S[^\n]*)$", re.MULTILINE)
_CELL_ROW = re.compile(r"^[^\n|]*\|")


@dataclass(frozen=True)
class Candidate:
    value: str
    start: int  # offset in the flattened text


@dataclass(frozen=True)
class Reading:
    """A flattened text, where its lines start, and the place of each line (or None)."""

    text: str
    starts: list[int]
    places: list[Place | None]

    def line_of(self, offset: int) -> int:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo


def reading(text: str, places: list[Place | None]) -> Reading:
    starts, at = [], 0
    for line in text.split("\n"):
        starts.append(at)
        at += len(line) + 1
    return Reading(text, starts, places)


def _addresses(text: str) -> list[Candidate]:
    """Every street address: with postcode and place, with the place after a comma, a dash or
    a line break, or after "i" ("Storgata 5 i Bergen")."""
    out = []
    for m in [*ADDRESS.finditer(text), *ADDRESS_IN.finditer(text)]:
        words = m["street"].split(" ")
        while len(words) > 1 and words[0].lower().strip(".") in NOT_STREET:
            words.pop(0)
        street = " ".join(words)
        post = m.groupdict().get("post")
        place = f"{post} {m['place']}" if post else m["place"]
        out.append(Candidate(f"{street} {m['no']}, {place}", m.end("street") - len(street)))
    return out


def _municipalities(text: str) -> list[Candidate]:
    out = [Candidate((m["a"] or m["b"]).strip(), m.start()) for m in MUNICIPALITY.finditer(text)]
    return out + [Candidate(m["place"], m.start("place")) for m in ADDRESS.finditer(text)]


def _parties(text: str) -> list[Candidate]:
    out = []
    for m in _LABELLED.finditer(text):
        if listed := names(m["value"]):
            out.append(Candidate(" og ".join(listed), m.start("value")))
    for pattern in (PARTY_INLINE, UNDERSIGNED):
        for m in pattern.finditer(text):
            if listed := names(m["name"]):
                out.append(Candidate(" og ".join(listed), m.start("name")))
    at, run, run_start = 0, [], 0
    for line in text.split("\n"):  # lines of names alone (below a heading, a table's rows), and runs of them
        if listed := name_line(line):
            out.append(Candidate(" og ".join(listed), at))
            run, run_start = ([*run, *listed], run_start) if run else (listed, at)
            if len(run) > len(listed):
                out.append(Candidate(" og ".join(run), run_start))
        else:
            run = []
        at += len(line) + 1
    return out + [Candidate(value, offset) for offset, value in name_candidates(text)]


def _money(text: str) -> list[Candidate]:
    out = [Candidate(value, offset) for offset, value in amounts(text)]
    seen = {c.start for c in out}
    for m in GROUPED.finditer(text):
        if m.start("a") not in seen and (value := money(m["a"], m["ac"])) is not None:
            out.append(Candidate(value, m.start("a")))
    return out


def candidates(text: str, key: str) -> list[Candidate]:
    """Every value `key` could take in the flattened `text`, in text order, each value once
    per offset."""
    if key == "address":
        found = _addresses(text)
    elif key == "municipality":
        found = _municipalities(text)
    elif key == "gnr_bnr":
        found = [Candidate(v, m.start()) for m in GNR_BNR.finditer(text) if (v := gnr_bnr(m[0]))]
    elif key in PARTY_KEYS:
        found = _parties(text)
    elif key in MONEY_KEYS:
        found = _money(text)
    elif key in DATE_KEYS:
        found = [Candidate(value, offset) for offset, value in dates(text)]
    else:
        found = []
    unique = {(c.start, c.value.casefold()): c for c in found if c.value}
    return sorted(unique.values(), key=lambda c: c.start)


def _terms(text: str, limit: int) -> list[str]:
    words = [w for w in norwegian.WORD.findall(text) if w.isalpha()]
    return [norwegian.term(w) for w in words[-limit:]]


def _grams(words: list[str]) -> list[str]:
    out = []
    for word in words:
        padded = f"<{word.lower()}>"
        out += [padded[i:i + 4] for i in range(max(1, len(padded) - 3))]
    return out


def _roles(text: str, start: int, end: int) -> list[str]:
    """The nearest role words before and after the span, within its sentence."""
    before = text[max(0, start - ROLE_WINDOW):start]
    cut = list(_SENTENCE_END.finditer(before))
    before = before[cut[-1].end():] if cut else before
    after = text[end:end + ROLE_WINDOW]
    cut_after = _SENTENCE_END.search(after)
    after = after[:cut_after.start()] if cut_after else after
    out = []
    for name, pattern in ROLES:
        if found := list(pattern.finditer(before)):
            out.append(f"rb:{name}:{_bucket(len(before) - found[-1].end(), (2, 12, 40))}")
        if found_after := pattern.search(after):
            out.append(f"ra:{name}:{_bucket(found_after.start(), (2, 12, 40))}")
    return out


def _bucket(n: int, edges: tuple[int, ...]) -> int:
    return next((i for i, edge in enumerate(edges) if n <= edge), len(edges))


def features(doc: Reading, found: list[Candidate], index: int, rule_value: str | None) -> list[str]:
    """What stands around candidate `index` of `found` (see the module docstring)."""
    cand = found[index]
    text, n = doc.text, doc.line_of(cand.start)
    line_start = doc.starts[n]
    line_end = text.find("\n", cand.start)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    before = text[line_start:cand.start]
    after = text[cand.start + len(cand.value):line_end] if cand.value in line else ""
    label = before.rsplit("|", 1)[-1]
    out = ["bias"]
    label_words = [w for w in norwegian.WORD.findall(label) if w.isalpha()][-4:]
    out += [f"l:{t}" for t in _terms(label, 4)] + [f"lg:{g}" for g in _grams(label_words)]
    if label_words:
        out.append(f"l1:{norwegian.term(label_words[-1])}")
    else:
        out.append("l:none")
    if n > 0:
        above = text[doc.starts[n - 1]:line_start - 1]
        out += [f"p:{t}" for t in _terms(above, 3)]
    out += [f"a:{t}" for t in _terms(after[:40], 3)[:3]]
    out += _roles(text, cand.start, cand.start + len(cand.value))
    out.append("kind:row" if line.lstrip().startswith("|") or _CELL_ROW.match(line)
               else "kind:kv" if ":" in before else "kind:prose" if len(line) > 80 else "kind:line")
    out.append(f"line:{_bucket(n, (0, 2, 5, 10, 20, 40))}")
    same = [i for i, c in enumerate(found) if c.value.casefold() == cand.value.casefold()]
    out += [f"order:{_bucket(index, (0, 1, 2, 4))}", f"last:{index == len(found) - 1}",
            f"repeats:{_bucket(len(same), (1, 2, 3))}", f"first_of_value:{same[0] == index}"]
    if rule_value is not None:
        out.append("rule" if cand.value.casefold() == rule_value.casefold() else "not_rule")
    else:
        out.append("rule:none")
    place = doc.places[n] if n < len(doc.places) else None
    if place is not None:
        out += [f"page:{min(place.page, 3)}", f"y:{min(place.top // 100, 9)}",
                f"x:{min(place.left // 125, 7)}", f"py:{min(place.page, 3)}:{min(place.top // 50, 19)}"]
    digits = re.sub(r"\D", "", cand.value)
    if digits and cand.value.replace(".", "").isdigit():
        out.append(f"mag:{len(digits.split('.')[0])}")
    return out
