# ruff: noqa: E501  (Norwegian data tables read better unwrapped)
"""What the held-out writers share: one sale (`Sale`) drawn from names, places and offices of
their own, and the small ways of writing its parts. Labels follow tests/eval/writers/common.py
exactly (address without unit, " og "-joined parties, ISO dates, whole kroner)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tests.eval.writers.common import Doc, Labels, Person, finish

FIRST = ("Ingrid", "Sigurd", "Astrid", "Eirik", "Solveig", "Halvard", "Tone", "Øyvind", "Gunhild", "Torleif",
         "Marit", "Vegard", "Hanne", "Jostein", "Liv", "Arnfinn", "Kari", "Stian", "Randi", "Ola",
         "Synnøve", "Trygve", "Birgitte", "Espen", "Oddny", "Kristoffer", "Aud", "Lars Petter", "Mona", "Yusuf",
         "Katarzyna", "Tran", "Aleksander", "Guro", "Helge", "Ane Marie")
LAST = ("Rønneberg", "Tjelta", "Haugland", "Myklebust", "Sæther", "Brekke", "Vatne", "Grimstad", "Aasen", "Nygård",
        "Skjerve", "Lien", "Bjørkli", "Sandvik", "Holmefjord", "Fosse", "Kleppe", "Rød", "Aune", "Stokke",
        "Hovland", "Vik", "Nilsen-Lund", "Øvrebø", "Nguyen", "Kowalski", "Thorsen", "Helland")
# (postcode, place, municipality)
TOWNS = (("6800", "Førde", "Sunnfjord"), ("6100", "Volda", "Volda"), ("5700", "Voss", "Voss"), ("6002", "Ålesund", "Ålesund"),
         ("5501", "Haugesund", "Haugesund"), ("1606", "Fredrikstad", "Fredrikstad"), ("3015", "Drammen", "Drammen"),
         ("2317", "Hamar", "Hamar"), ("8006", "Bodø", "Bodø"), ("9008", "Tromsø", "Tromsø"), ("5035", "Bergen", "Bergen"),
         ("0458", "Oslo", "Oslo"), ("1185", "Oslo", "Oslo"), ("4307", "Sandnes", "Sandnes"), ("3510", "Hønefoss", "Ringerike"),
         ("6856", "Sogndal", "Sogndal"), ("4885", "Grimstad", "Grimstad"), ("7500", "Stjørdal", "Stjørdal"))
HILLS = (("3570", "Ål", "Ål"), ("2680", "Vågå", "Vågå"), ("5745", "Aurland", "Aurland"), ("3370", "Vikersund", "Modum"),
         ("2665", "Lesja", "Lesja"), ("6763", "Hornindal", "Volda"))
STREETS = ("Kyrkjevegen", "Bakkegata", "Lønneveien", "Strandvegen", "Nedre Åsveg", "Prestegardsvegen", "Thomas Heftyes gate",
           "Granbakken", "Elvelia", "Skuleplassen", "Hamnegata", "Solbergtunet", "Kong Oscars gate", "Fjordgløtt")
CABIN_STREETS = ("Fjellgardsvegen", "Heimstølen", "Vardevegen", "Tjernlia")
BUSINESS_STREETS = ("Havnelageret", "Sagvegen", "Mekanikerveien")
# (firm, street, postcode place, phone prefix)
OFFICES = (("Heimbu Eigedomsmekling AS", "Storgata 4", "6800 Førde", "57"), ("Møremegleren AS", "Keiser Wilhelms gate 22", "6003 Ålesund", "70"),
           ("Bølgen & Berg Eiendomsmegling", "Drammensveien 130", "0277 Oslo", "22"), ("Nordlys Bolig AS", "Sjøgata 17", "8006 Bodø", "75"),
           ("Vossamekling AS", "Vangsgata 31", "5700 Voss", "56"), ("Glommen Eiendom AS", "Nygaardsgata 9", "1607 Fredrikstad", "69"))
BANKS = ("Sparebanken Møre", "Sogn og Fjordane Sparebank", "Haugesund Sparebank", "Voss Sparebank", "Sbanken ASA", "Bien Sparebank ASA")
TAKSTFOLK = ("Fjordtakst AS", "Byggmester og takstmann Leif Rognaldsen", "Teknisk Boligvurdering Nord AS", "Takstsenteret Innlandet")
# (kind, bokmål words, nynorsk words, tags)
KINDS = (("enebolig", ("enebolig",), ("einebustad",), ("Bolig",)),
         ("leilighet", ("eierseksjon", "leilighet"), ("eigarseksjon", "leilegheit"), ("Bolig",)),
         ("borettslag", ("andelsleilighet i borettslag",), ("andelsbustad i burettslag",), ("Bolig", "Borettslag")),
         ("hytte", ("hytte", "fritidsbolig"), ("hytte", "fritidsbustad"), ("Fritidsbolig",)),
         ("naering", ("næringseiendom",), ("næringseigedom",), ("Næring",)),
         ("tomt", ("ubebygd tomt",), ("ubebygd tomt",), ("Tomt",)))
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember")


class Sale(Labels):
    """One property sale; every held-out writer draws its documents from one of these."""

    def __init__(self, r: random.Random, lang: str = "nb"):
        self.r, self.lang = r, lang
        self.kind, nb, nn, self.kind_tags = r.choices(KINDS, weights=(30, 30, 10, 12, 6, 8))[0]
        self.kind_word = r.choice(nn if lang == "nn" else nb)
        self.post, self.place, self.municipality = r.choice(HILLS if self.kind == "hytte" else TOWNS)
        self.street = r.choice({"hytte": CABIN_STREETS, "naering": BUSINESS_STREETS}.get(self.kind, STREETS))
        self.number = f"{r.randint(2, 98)}{r.choice(['', '', '', 'A', ' C'])}"
        self.unit = (r.choice(["H0{}", "leil. nr. {}", "bolig {}", "snr. {}"]).format(r.choice([102, 201, 305, 411]))
                     if self.kind in ("leilighet", "borettslag") and r.random() < 0.5 else "")
        self.gnr, self.bnr = r.randint(3, 310), r.randint(10, 1900)
        self.snr = r.randint(2, 30) if self.kind == "leilighet" and r.random() < 0.6 else 0
        self.sellers = persons(r, r.choice([1, 1, 2, 2, 3]))
        self.buyers = persons(r, r.choice([1, 2, 2]))
        base = {"hytte": 2_400_000, "naering": 11_000_000, "tomt": 1_300_000}.get(self.kind, 3_900_000)
        self.asking = round(base * r.uniform(0.7, 1.7), -4)
        self.accepted = round(self.asking * r.uniform(0.96, 1.07), -3)
        self.market = round(self.asking * r.uniform(0.97, 1.03), -4)
        self.firm, self.firm_street, self.firm_place, self.prefix = r.choice(OFFICES)
        self.agent = f"{r.choice(FIRST)} {r.choice(LAST)}"
        self.bank, self.takst = r.choice(BANKS), r.choice(TAKSTFOLK)
        self.doc_date = date(2025, 2, 1) + timedelta(days=r.randint(0, 560))
        self.contract_date = self.doc_date + timedelta(days=r.randint(1, 10))
        self.takeover = self.contract_date + timedelta(days=r.randint(35, 110))

    def phone(self) -> str:
        return f"{self.prefix} {self.r.randint(10, 99)} {self.r.randint(10, 99)} {self.r.randint(10, 99)}"

    # labels, under the names these writers use
    addr_label, gnr_label, names = Labels.address_label, Labels.gnr_bnr_label, staticmethod(Labels.names_label)

    def doc(self, doc_type: str, lines: list[str], fields: dict, *tags: str) -> Doc:
        return finish(self, doc_type, lines, fields, *tags)


def persons(r: random.Random, n: int) -> list[Person]:
    family = r.choice(LAST)
    shares = {1: ["100 %"], 2: ["50 %", "50 %"], 3: ["50 %", "25 %", "25 %"]}[n]
    return [Person(f"{r.choice(FIRST)} {family if i and r.random() < 0.6 else r.choice(LAST)}",
                   date(1950, 1, 1) + timedelta(days=r.randint(0, 18000)), shares[i]) for i in range(n)]


def dato(v: date, style: int) -> str:
    """Dates as Norwegian offices write them, with and without leading zeros or month names."""
    return (f"{v:%d.%m.%Y}", f"{v.day}. {MONTHS[v.month - 1]} {v.year}", f"{v.day:02d}/{v.month:02d}/{v.year}",
            f"{v.day}.{v.month:02d}.{v.year}", f"{v.day}. {short(MONTHS[v.month - 1])} {v.year}")[style % 5]


def short(month: str) -> str:
    """"sep.", "des.", but "mai" and "juni" as they are."""
    return month if len(month) <= 4 else month[:3] + "."


def kr(n: float, style: int) -> str:
    """Amounts: space or dot grouping, ",-" or ",00", "kr"/"NOK" before or after, or bare."""
    s = f"{int(n):,}".replace(",", " ")
    return (f"kr {s},-", f"{s} kr", f"NOK {s.replace(' ', '.')}", f"kr. {s.replace(' ', '.')},00", s,
            f"{s},-", f"{s} NOK")[style % 7]


def where(s: Sale, style: int) -> tuple[str, str]:
    """The property's address as written, and its label: one line, two lines, unit, no postcode."""
    unit = s.unit
    texts = (f"{s.street} {s.number}, {s.post} {s.place}",
             f"{s.street} {s.number}\n{s.post} {s.place}",
             f"{s.street} {s.number} {unit}, {s.post} {s.place}" if unit else f"{s.street} {s.number} - {s.post} {s.place}",
             f"{s.street} {s.number}, {s.place}",
             f"{s.street} {s.number}{', ' + unit if unit else ''}\n{s.post}\n{s.place}")
    return texts[style % 5], s.addr_label(style % 5 != 3)


def who(ps: list[Person], style: int) -> str:
    """Parties as deeds and letters list them: "og", "&", commas, shares, birth dates, lines."""
    if style == 0:
        parts = [p.name for p in ps]
    elif style == 1:
        parts = [f"{p.name} – {p.share}" for p in ps]
    elif style == 2:
        parts = [f"{p.name}, født {p.born:%d.%m.%Y}" for p in ps]
    elif style == 3:
        parts = [f"{p.name} ({p.born:%d%m%y})" for p in ps]
    else:
        return "\n".join(f"{p.name}" for p in ps)
    if len(parts) == 1:
        return parts[0]
    joiner = " & " if style == 0 and len(parts) == 2 else " og "
    return ", ".join(parts[:-1]) + joiner + parts[-1]


def matrikkel(s: Sale, style: int) -> str:
    """Cadastral numbers as written: gnr./bnr., "Gnr 12 Bnr 34", slashes, nynorsk words."""
    snr = f" snr. {s.snr}" if s.snr else ""
    return (f"gnr. {s.gnr}, bnr. {s.bnr}{snr}", f"Gnr {s.gnr} Bnr {s.bnr}{' Snr ' + str(s.snr) if s.snr else ''}",
            f"{s.gnr}/{s.bnr}{'/0/' + str(s.snr) if s.snr else ''}", f"gardsnr. {s.gnr}, bruksnr. {s.bnr}{', seksjonsnr. ' + str(s.snr) if s.snr else ''}")[style % 4]


def home_of(s: Sale, p: Person) -> str:
    """A party's own current address (never the property's)."""
    post, place, _ = s.r.choice(TOWNS)
    return f"{p.name}\n{s.r.choice(STREETS)} {s.r.randint(1, 60)}\n{post} {place}"


__all__ = ["Doc", "Sale", "dato", "home_of", "kr", "matrikkel", "where", "who"]
