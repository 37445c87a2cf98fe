# ruff: noqa: E501  (Norwegian prose and data; wrapping it would only hurt reading)
"""What every writer shares: one property sale (`Case`), the ways to write its parts, and
`Doc`, the labelled result.

Labels are what a careful person fills in from the text, in `FieldKind` form:
- address: "Street 12 B, 0152 Oslo"; a unit ("leil. 302", "H0304") is left out, and with no
  postcode in the text it is "Street 12 B, Oslo".
- seller / buyer: every party's name joined by " og " in the order written, shares, birth
  dates and organisation numbers left out.
- price: the agreed price where there is one (accepted bid, kjøpesum), else the asking
  price or the appraised market value; amount: what is to be paid or paid out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from tests.eval.generate import APPRAISERS, BANKS, FIRMS, FIRST, LAST, MOUNTAIN, PLACES, STREETS

# The writers' kit: every writer module takes these with `from tests.eval.writers.common import *`.
__all__ = ["Case", "Doc", "Labels", "Person", "address", "address_has_post", "d", "finish", "kv", "letterhead", "money",
           "parties", "pick", "recipient", "signed"]

CABIN_STREETS = ("Stølsvegen", "Fjellstua", "Hyttegrenda", "Setervegen", "Skarvvegen", "Løypevegen")
BUSINESS_STREETS = ("Industriveien", "Verkstedveien", "Næringsveien", "Lagerveien")
# (kind, words a bokmål text names it with, nynorsk words, tags)
KINDS = (
    ("enebolig", ("enebolig", "frittliggende enebolig"), ("einebustad", "frittliggjande einebustad"), ("Bolig",)),
    ("leilighet", ("selveierleilighet", "3-roms leilighet"), ("sjølveigarleilegheit", "3-roms leilegheit"), ("Bolig",)),
    ("borettslag", ("andelsleilighet i borettslag",), ("andelsleilegheit i burettslag",), ("Bolig", "Borettslag")),
    ("hytte", ("hytte", "fritidsbolig"), ("hytte", "fritidsbustad"), ("Fritidsbolig",)),
    ("naering", ("næringseiendom", "næringslokaler"), ("næringseigedom", "næringslokale"), ("Næring",)),
    ("tomt", ("ubebygd tomt", "byggetomt"), ("ubebygd tomt", "byggjetomt"), ("Tomt",)),
)
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember")


@dataclass
class Doc:
    text: str
    type: str
    fields: dict[str, str]
    tags: list[str] = field(default_factory=list)


class Labels:
    """A sale's labels in `FieldKind` form (shared by the honest `Case` and the held-out `Sale`)."""

    lang: str
    street: str
    number: str
    post: str
    place: str
    gnr: int
    bnr: int
    snr: int

    def w(self, nb: str, nn: str) -> str:
        """The bokmål or the nynorsk word, as the writer writes."""
        return nn if self.lang == "nn" else nb

    def address_label(self, with_post: bool = True) -> str:
        return f"{self.street} {self.number}, {self.post} {self.place}" if with_post else f"{self.street} {self.number}, {self.place}"

    def gnr_bnr_label(self) -> str:
        return f"{self.gnr}/{self.bnr}/0/{self.snr}" if self.snr else f"{self.gnr}/{self.bnr}"

    @staticmethod
    def names_label(persons: list[Person]) -> str:
        return " og ".join(p.name for p in persons)


class Case(Labels):
    """One sale: property, parties, numbers and dates shared by the documents about it."""

    def __init__(self, r: random.Random, lang: str = "nb", kind: str | None = None):
        self.r, self.lang = r, lang
        weights = (30, 30, 10, 12, 8, 10)
        self.kind, nb_words, nn_words, self.kind_tags = (
            next(k for k in KINDS if k[0] == kind) if kind else r.choices(KINDS, weights=weights)[0])
        self.kind_word = r.choice(nn_words if lang == "nn" else nb_words)
        post, self.place, self.municipality = r.choice(MOUNTAIN if self.kind == "hytte" else PLACES)
        self.post = post
        streets = {"hytte": CABIN_STREETS, "naering": BUSINESS_STREETS}.get(self.kind, STREETS)
        self.street = r.choice(streets)
        self.number = f"{r.randint(1, 160)}{r.choice(['', '', '', ' A', ' B'])}"
        self.unit = (r.choice(["leil. {}", "H0{}", "leilighet {}", "seksjon {}"]).format(r.choice([101, 203, 302, 304, 412]))
                     if self.kind in ("leilighet", "borettslag") and r.random() < 0.6 else "")
        self.gnr, self.bnr = r.randint(1, 420), r.randint(1, 2400)
        self.snr = r.randint(1, 40) if self.kind == "leilighet" and r.random() < 0.5 else 0
        self.sellers = people(r, r.choice([1, 1, 2, 2, 3]))
        self.buyers = people(r, r.choice([1, 1, 2, 2]))
        base = {"hytte": 2_900_000, "naering": 14_000_000, "tomt": 1_800_000}.get(self.kind, 4_200_000)
        self.asking = round(base * r.uniform(0.6, 1.8), -4)
        self.accepted = round(self.asking * r.uniform(0.95, 1.08), -4)
        self.firm, self.firm_address = r.choice(FIRMS)
        self.broker = f"{r.choice(FIRST)} {r.choice(LAST)}"
        self.bank = r.choice(BANKS)
        self.appraiser = r.choice(APPRAISERS)
        self.doc_date = date(2025, 1, 1) + timedelta(days=r.randint(0, 600))
        self.contract_date = self.doc_date + timedelta(days=r.randint(0, 14))
        self.takeover = self.contract_date + timedelta(days=r.randint(30, 120))



@dataclass
class Person:
    name: str
    born: date
    share: str


def people(r: random.Random, n: int) -> list[Person]:
    last = r.choice(LAST)
    shares = {1: ["1/1"], 2: ["1/2", "1/2"], 3: ["1/2", "1/4", "1/4"]}[n]
    return [Person(f"{r.choice(FIRST)} {last if i and r.random() < 0.5 else r.choice(LAST)}",
                   date(1945, 1, 1) + timedelta(days=r.randint(0, 20000)), shares[i]) for i in range(n)]


def d(value: date, style: int) -> str:
    """A date written one of the ways Norwegian documents do."""
    return (f"{value:%d.%m.%Y}", f"{value.day}. {MONTHS[value.month - 1]} {value.year}", value.isoformat(),
            f"{value.day}.{value.month}.{value.year}")[style % 4]


def money(n: float, style: int) -> str:
    """An amount with or without "kr"; style 4 and 5 have no currency at all."""
    s = f"{int(n):,}".replace(",", " ")
    return (f"kr {s}", f"{s},-", f"kr {s.replace(' ', '.')},-", f"NOK {s}", s, f"{s},00")[style % 6]


def address(c: Case, style: int) -> str:
    """The property's address: one line, broken after the number, with a unit, or without postcode."""
    unit = c.unit
    if style == 0:
        return f"{c.street} {c.number}, {c.post} {c.place}"
    if style == 1:
        return f"{c.street} {c.number}\n{c.post} {c.place}"
    if style == 2:
        return f"{c.street} {c.number}, {unit + ', ' if unit else ''}{c.post} {c.place}"
    if style == 3:
        return f"{c.street} {c.number} {unit + ' ' if unit else ''}{c.post}\n{c.place}"
    return f"{c.street} {c.number}, {c.place}"


def address_has_post(style: int) -> bool:
    return style != 4


def parties(persons: list[Person], style: int) -> str:
    """Several parties the ways deeds and contracts list them: commas, "og", shares, birth dates."""
    if style == 0:
        parts = [p.name for p in persons]
    elif style == 1:
        parts = [f"{p.name} ({p.share})" for p in persons]
    elif style == 2:
        parts = [f"{p.name} (f. {p.born:%d.%m.%Y})" for p in persons]
    else:
        parts = [f"{p.name}, f. {p.born:%d.%m.%Y}" for p in persons]
    if len(parts) == 1:
        return parts[0]
    sep = "; " if style == 3 else ", "
    return sep.join(parts[:-1]) + " og " + parts[-1]


def kv(label: str, value: str, layout: str) -> str:
    """A label and its value as a form, a table or a line of prose shows them."""
    if layout == "line":
        return f"{label}: {value}"
    if layout == "below":
        return f"{label}\n{value}"
    if layout == "table":
        return f"| {label} | {value.replace(chr(10), ' ')} |"
    if layout == "dots":
        return f"{label} {'.' * max(3, 24 - len(label))} {value}"
    return f"{label}\t{value}"


def letterhead(c: Case, style: int) -> str:
    """The broker's own name and address at the top; never the property's."""
    name, addr = c.firm, c.firm_address
    street, place = addr.split(", ")
    return (f"{name}\n{street}\n{place}\nTlf. 55 {c.r.randint(10, 99)} {c.r.randint(10, 99)} {c.r.randint(10, 99)}",
            f"{name} · {addr} · Org.nr. 9{c.r.randint(10000000, 99999999)}",
            f"{name.upper()}\n{street}, {place}\nwww.{name.split()[0].lower()}.no")[style % 3]


def recipient(c: Case, person: Person) -> str:
    """A recipient block: the person at their current home, which is not the property."""
    post, place, _ = c.r.choice(PLACES)
    return f"{person.name}\n{c.r.choice(STREETS)} {c.r.randint(1, 90)}\n{post} {place}"


def pick(r: random.Random, *options: str) -> str:
    return r.choice(options)


def finish(c: Case, doc_type: str, lines: list[str], fields: dict[str, str], *tags: str) -> Doc:
    """The document: its kind's tags when the text names the kind, plus the writer's own."""
    text = "\n".join(line for line in lines if line is not None)
    kind_tags = list(c.kind_tags) if c.kind_word in text else []
    return Doc(text, doc_type, {k: v for k, v in fields.items() if v}, sorted(set(kind_tags) | set(tags)))


def signed(c: Case) -> tuple[str, tuple[str, ...]]:
    """A signature line, half the time an electronic one (tag Signert)."""
    if c.r.random() < 0.5:
        return c.w("Dokumentet er signert elektronisk med BankID.", "Dokumentet er signert elektronisk med BankID."), ("Signert",)
    return "Underskrift: ______________________", ()
