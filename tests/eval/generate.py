# ruff: noqa: E501  (the templates are Norwegian prose; wrapping them would only hurt reading)
"""Labelled Norwegian brokerage documents, generated deterministically.

    python tests/eval/generate.py                # rewrite tests/eval/documents.jsonl (the eval set)
    python tests/eval/generate.py --train 500    # a training pool as JSON lines on stdout

The evaluation set (committed as documents.jsonl) and the training pool come from the
same templates but never share a document: the pool uses another seed, drops the last
phrasing of every choice with three or more alternatives (so the eval set holds wordings
the model never trained on), adds a few wordings of its own, and skips any text that is
also in the eval set.

Each document: {"id", "text", "type", "tags", "fields"}. `tags` holds only what the text
shows (a tag for the property kind only when the kind is named). `fields` holds the values
a person would fill in from what the text states with a label, in `FieldKind` form.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL_PATH = HERE / "documents.jsonl"
EVAL_SEED = 20260404
TRAIN_SEED = 19051814
PER_TYPE = 12

FIRST = ["Kari", "Ola", "Ingrid", "Lars", "Marte", "Henrik", "Sofie", "Jonas", "Ida", "Emil", "Nora", "Magnus", "Thea", "Sindre", "Hanne", "Øystein", "Åse", "Bjørn", "Solveig", "Torbjørn", "Ragnhild", "Eirik", "Sigrid", "Håkon", "Maja", "Vegard", "Line", "Trond", "Silje", "Kristoffer", "Aisha", "Mohammed", "Piotr", "Agnieszka", "Linh", "Tuan", "Fatima", "Omar", "Astrid", "Per", "Anne", "Knut", "Berit", "Geir", "Tone", "Mari", "Anders", "Camilla", "Stian", "Elin", "Runar", "Gunn", "Jørgen", "Kjersti", "Ahmed", "Leila", "Dag", "Randi"]
LAST = ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen", "Lund", "Sørensen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg", "Svendsen", "Eide", "Knutsen", "Martinsen", "Bakken", "Mathisen", "Lie", "Amundsen", "Nguyen", "Rasmussen", "Ali", "Lunde", "Solheim", "Berge", "Moe", "Nygård", "Bakke", "Kowalski", "Aas", "Fjeld", "Myhre", "Tveit", "Røed", "Sæther", "Våge", "Haugland", "Ødegård", "Kvamme", "Rønning", "Brekke"]
STREETS = (
    "Storgata", "Kirkeveien", "Skogveien", "Fjellveien", "Strandkaien", "Bjørkelia", "Granåsen",
    "Solbakken", "Sjøgata", "Parkveien", "Løvstien", "Furuveien", "Elvegata", "Havnegata", "Nordre gate",
    "Øvre Slottsgate", "Kongens gate", "Dronningens gate", "Tollbugata", "Markveien", "Lyngveien",
    "Bergslia", "Myrvegen", "Kvernhusvegen", "Fjordvegen", "Rosenlundveien", "Blåbærstien", "Tunveien",
    "Bakkegata", "Solsvingen", "Eikeveien", "Heggelia", "Ringveien", "Kaigata", "Linnéaveien",
    "Gamle Kongevei", "Prestegårdsveien", "Åsveien", "Lerkeveien", "Kastanjeveien", "Sandviksveien",
)
BUSINESS_STREETS = ("Industriveien", "Verkstedveien", "Næringsveien", "Lagerveien", "Havneterminalen")
CABIN_STREETS = ("Stølsvegen", "Fjellstua", "Hyttegrenda", "Setervegen", "Vidda", "Fjellgrenda",
                 "Skarvvegen", "Løypevegen")
# (postcode, place, municipality)
PLACES = (
    ("0152", "Oslo", "Oslo"), ("0468", "Oslo", "Oslo"), ("0575", "Oslo", "Oslo"), ("5003", "Bergen", "Bergen"),
    ("5141", "Fyllingsdalen", "Bergen"), ("7010", "Trondheim", "Trondheim"), ("7043", "Trondheim", "Trondheim"),
    ("4006", "Stavanger", "Stavanger"), ("4024", "Stavanger", "Stavanger"), ("4612", "Kristiansand", "Kristiansand"),
    ("9008", "Tromsø", "Tromsø"), ("1337", "Sandvika", "Bærum"), ("1363", "Høvik", "Bærum"),
    ("2000", "Lillestrøm", "Lillestrøm"), ("3015", "Drammen", "Drammen"), ("3111", "Tønsberg", "Tønsberg"),
    ("1607", "Fredrikstad", "Fredrikstad"), ("2317", "Hamar", "Hamar"), ("6002", "Ålesund", "Ålesund"),
    ("8006", "Bodø", "Bodø"), ("2609", "Lillehammer", "Lillehammer"), ("4879", "Grimstad", "Grimstad"),
    ("3187", "Horten", "Horten"), ("1440", "Drøbak", "Frogn"), ("5411", "Stord", "Stord"),
    ("6856", "Sogndal", "Sogndal"), ("8301", "Svolvær", "Vågan"), ("1530", "Moss", "Moss"),
)
MOUNTAIN = (
    ("3580", "Geilo", "Hol"), ("3550", "Gol", "Gol"), ("2612", "Sjusjøen", "Ringsaker"), ("2636", "Øyer", "Øyer"),
    ("3560", "Hemsedal", "Hemsedal"), ("2420", "Trysil", "Trysil"), ("2953", "Beitostølen", "Øystre Slidre"),
    ("3536", "Noresund", "Krødsherad"), ("3864", "Rauland", "Vinje"), ("4737", "Hornnes", "Evje og Hornnes"),
)
FIRMS = (
    ("Fjordmegleren AS", "Torgallmenningen 8, 5014 Bergen"), ("Nordvik & Partnere AS", "Kirkegata 15, 0153 Oslo"),
    ("Eiendomshuset Vest AS", "Kaigaten 4, 5015 Bergen"), ("Kystmegleren AS", "Skippergata 21, 4611 Kristiansand"),
    ("Boligpartner Øst AS", "Storgata 51, 2000 Lillestrøm"), ("Meglerhuset Sentrum AS", "Nordre gate 9, 7011 Trondheim"),
    ("Vidde Eiendomsmegling AS", "Sentrumsvegen 88, 3580 Geilo"), ("Solide Eiendom AS", "Klubbgata 3, 4013 Stavanger"),
)
BANKS = (
    "DNB Bank ASA", "SpareBank 1 SMN", "Sparebanken Vest", "Nordea Bank Abp, filial i Norge", "Handelsbanken",
    "Danske Bank", "Storebrand Bank ASA", "Sparebanken Sør", "Eika Boligkreditt AS", "Landkreditt Bank AS",
    "KLP Banken AS", "SpareBank 1 Østlandet",
)
APPRAISERS = ("Takstkompaniet AS", "Byggtakst Vest AS", "Takstgruppen Øst AS", "Norsk Bygningskontroll AS",
              "Trygg Takst AS", "Fjelltakst AS")
SUPPLIERS = (
    ("Foto & Film Eiendom AS", ("Fotografering av bolig", "Dronefoto", "Plantegninger 2D", "Videovisning")),
    ("Stylingbyrået AS", ("Boligstyling", "Leie av møbler og tekstiler", "Transport")),
    ("FINN.no AS", ("Annonse Eiendom Pluss", "Synlighetspakke 14 dager", "Fremhevet annonse")),
    ("Takstkompaniet AS", ("Tilstandsrapport", "Arealmåling", "Befaring og kjøring")),
    ("Advokatfirmaet Lunde & Co DA", ("Juridisk bistand", "Gjennomgang av dokumenter")),
    ("Rørlegger Hansen AS", ("Utbedring av sluk", "Arbeid, timer", "Materiell")),
    ("Renhold Pluss AS", ("Flyttevask", "Vindusvask", "Tillegg for ovn og kjøleskap")),
    ("Trykkeriet Vest AS", ("Trykk av prospekter", "Skilt «Til salgs»")),
    ("Elektro Nord AS", ("El-kontroll", "Utbedring av sikringsskap")),
)
KINDS = {
    "enebolig": (("enebolig", "frittliggende enebolig", "enebolig med hybel", "innholdsrik enebolig"), ("Bolig",)),
    "leilighet": (("selveierleilighet", "leilighet", "eierseksjon", "3-roms leilighet", "toppleilighet"), ("Bolig",)),
    "rekkehus": (("rekkehus", "rekkehusleilighet", "endeleilighet i rekkehus"), ("Bolig",)),
    "tomannsbolig": (("tomannsbolig", "halvpart av tomannsbolig", "boligseksjon i tomannsbolig"), ("Bolig",)),
    "borettslag": (("andelsleilighet i borettslag", "borettslagsleilighet", "andelsleilighet"),
                   ("Bolig", "Borettslag")),
    "hytte": (("hytte", "fritidsbolig", "fritidseiendom", "laftet hytte", "familiehytte"), ("Fritidsbolig",)),
    "naering": (("næringseiendom", "næringsbygg", "næringslokaler", "kombinert lager- og næringsbygg"), ("Næring",)),
    "tomt": (("ubebygd tomt", "byggetomt", "ubebygd boligtomt"), ("Tomt",)),
}
# The word for "it" after the first mention; only the neutral ones hide the kind.
IT = {
    "enebolig": ("boligen", "eneboligen", "eiendommen"), "leilighet": ("leiligheten", "boligen", "seksjonen"),
    "rekkehus": ("boligen", "rekkehuset", "eiendommen"), "tomannsbolig": ("boligen", "eiendommen"),
    "borettslag": ("leiligheten", "andelen", "boligen"), "hytte": ("hytta", "fritidsboligen", "eiendommen"),
    "naering": ("eiendommen", "bygget", "lokalene"), "tomt": ("tomten", "eiendommen"),
}
NEUTRAL = {"eiendommen", "seksjonen", "bygget", "lokalene", "andelen"}
# A document names the kind of property when one of these words is in it.
KIND_WORDS = {
    kind: {w for phrase in phrases for w in (phrase, phrase.split()[-1])} | (set(IT[kind]) - NEUTRAL)
    for kind, (phrases, _) in KINDS.items()
}
KIND_WORDS["borettslag"] |= {"borettslag", "borettslagsleilighet"}
MONTH_NAMES = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
               "november", "desember")
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

TYPES = (
    "Oppdragsavtale", "Salgsoppgave", "Takst/Verdivurdering", "Tilstandsrapport", "Energiattest",
    "Egenerklæring", "Budjournal/Aksept", "Kjøpekontrakt", "Oppgjørsoppstilling", "Skjøte", "Pantedokument",
    "Grunnboksutskrift", "Faktura", "Korrespondanse", "Annet",
)


def money(n: int) -> str:
    return f"{n:,}".replace(",", " ")


class Case:
    """One property sale: the place, the people and the numbers every document about it shares."""

    def __init__(self, r: random.Random, kind: str | None = None):
        self.kind = kind or r.choices(list(KINDS), weights=(24, 24, 9, 6, 11, 12, 7, 7))[0]
        post, place, municipality = r.choice(MOUNTAIN if self.kind == "hytte" else PLACES)
        pool = {"hytte": CABIN_STREETS, "naering": BUSINESS_STREETS}.get(self.kind, STREETS)
        self.street = r.choice(pool)
        self.number = f"{r.randint(1, 160)}{r.choice(['', '', '', ' A', ' B', 'C'])}"
        self.post, self.place, self.municipality = post, place, municipality
        self.gnr, self.bnr = r.randint(1, 420), r.randint(1, 2400)
        self.snr = r.randint(1, 40) if self.kind in ("leilighet", "rekkehus", "tomannsbolig") and r.random() < .6 else 0
        self.sellers = [self.person(r) for _ in range(r.choice((1, 1, 2)))]
        self.buyers = [self.person(r) for _ in range(r.choice((1, 2, 2)))]
        self.broker = self.person(r)
        self.firm, self.firm_address = r.choice(FIRMS)
        self.bank = r.choice(BANKS)
        base = {"enebolig": (3.5, 14), "leilighet": (2.2, 9), "rekkehus": (3, 8), "tomannsbolig": (3, 9),
                "borettslag": (1.4, 5.5), "hytte": (0.9, 7), "naering": (6, 60), "tomt": (0.6, 4.5)}[self.kind]
        self.price = int(r.uniform(*base) * 1_000_000) // 10_000 * 10_000
        self.value = self.price + r.choice((-1, 1)) * r.randint(0, 40) * 10_000
        self.area = r.randint(35, 90) if self.kind in ("leilighet", "borettslag") else r.randint(60, 320)
        self.plot = r.randint(300, 2500)
        self.built = r.randint(1890, 2022)
        self.doc_date = date(2025, 1, 1) + timedelta(days=r.randint(0, 540))
        self.contract = self.doc_date + timedelta(days=r.randint(0, 20))
        self.takeover = self.contract + timedelta(days=r.randint(30, 120))
        self.brl = f"{r.choice(LAST)}{r.choice(['åsen', 'lia', 'haugen', 'tunet', 'parken'])} borettslag"

    @staticmethod
    def person(r: random.Random) -> str:
        return f"{r.choice(FIRST)} {r.choice(LAST)}"

    @property
    def address(self) -> str:
        return f"{self.street} {self.number}, {self.post} {self.place}"

    @property
    def gnr_bnr(self) -> str:
        return f"{self.gnr}/{self.bnr}/0/{self.snr}" if self.snr else f"{self.gnr}/{self.bnr}"


class Gen:
    """Draws phrasings and fillers for one document and records its tags and fields."""

    def __init__(self, r: random.Random, mode: str, case: Case):
        self.r, self.mode, self.c = r, mode, case
        self.tags: set[str] = set()
        # Every alternative is built before one is picked, so fields are only candidates
        # until `stated` finds one of their rendered forms in the finished text.
        self.candidates: dict[str, list[tuple[str, tuple[str, ...]]]] = {}

    # -- phrasing ----------------------------------------------------------------------
    def p(self, *options: str, train: tuple[str, ...] = ()) -> str:
        """One of the options. With three or more, the last is held out of the training pool,
        which has its own extra wordings (`train`) instead."""
        if self.mode == "train":
            options = (options[:-1] if len(options) >= 3 else options) + train
        return self.r.choice(options)

    def chance(self, probability: float) -> bool:
        return self.r.random() < probability

    def some(self, items: list[str], low: int, high: int) -> list[str]:
        return self.r.sample(items, min(len(items), self.r.randint(low, high)))

    # -- fillers -----------------------------------------------------------------------
    def kind(self) -> str:
        return self.r.choice(KINDS[self.c.kind][0])

    def it(self) -> str:
        return self.r.choice(IT[self.c.kind])

    def kr(self, n: int) -> str:
        style = self.r.randint(0, 6)
        s = money(n)
        return (f"kr {s}", f"kr {s},-", f"NOK {s}", f"{s} kr", f"kr {s.replace(' ', '.')}",
                f"kr {s},00", f"kr\u00a0{s}")[style]

    def d(self, day: date) -> str:
        style = self.r.randint(0, 4)
        return (f"{day:%d.%m.%Y}", f"{day.day}. {MONTH_NAMES[day.month - 1]} {day.year}", day.isoformat(),
                f"{day.day}.{day.month}.{day.year}", f"{day:%d.%m.%Y}")[style]

    def addr(self) -> str:
        self.field("address", self.c.address)
        return self.c.address

    def gnr(self) -> str:
        c = self.c
        if c.snr:
            text = self.r.choice((f"gnr. {c.gnr} bnr. {c.bnr} snr. {c.snr}",
                                  f"gnr. {c.gnr}, bnr. {c.bnr}, seksjonsnr. {c.snr}",
                                  f"gårdsnr. {c.gnr}, bruksnr. {c.bnr}, snr. {c.snr}"))
        else:
            text = self.r.choice((f"gnr. {c.gnr} bnr. {c.bnr}", f"gnr {c.gnr}, bnr {c.bnr}",
                                  f"Gnr. {c.gnr} Bnr. {c.bnr}", f"gårdsnummer {c.gnr}, bruksnummer {c.bnr}",
                                  f"gnr./bnr. {c.gnr}/{c.bnr}"))
        self.field("gnr_bnr", c.gnr_bnr, text)
        return text

    def dated_municipality(self) -> str:
        """The municipality after «Kommune:»."""
        self.field("municipality", self.c.municipality, f"Kommune: {self.c.municipality}")
        return self.c.municipality

    def kommune(self) -> str:
        text = f"{self.c.municipality} kommune"
        self.field("municipality", self.c.municipality, text)
        return text

    def sellers(self) -> str:
        return " og ".join(self.c.sellers)

    def buyers(self) -> str:
        return " og ".join(self.c.buyers)

    def field(self, key: str, value: str, *rendered: str) -> None:
        """`value` is the field's answer if one of `rendered` (by default the usual ways of
        writing the value) ends up in the text."""
        self.candidates.setdefault(key, []).append((value, rendered or self.forms(key, value)))

    @staticmethod
    def forms(key: str, value: str) -> tuple[str, ...]:
        if key in ("price", "amount"):
            s = money(int(value))
            return s, s.replace(" ", "."), s.replace(" ", "\u00a0")
        if key.endswith("_date"):
            day = date.fromisoformat(value)
            return (f"{day:%d.%m.%Y}", f"{day.day}. {MONTH_NAMES[day.month - 1]} {day.year}", day.isoformat(),
                    f"{day.day}.{day.month}.{day.year}")
        return (value,)

    def stated(self, text: str) -> dict[str, str]:
        out = {}
        for key, options in self.candidates.items():
            for value, rendered in options:
                if any(form in text for form in rendered):
                    out[key] = value
                    break
        return out

    def orgnr(self) -> str:
        return f"{self.r.randint(910, 999)} {self.r.randint(100, 999)} {self.r.randint(100, 999)}"

    def account(self) -> str:
        return f"{self.r.randint(1200, 9800)}.{self.r.randint(10, 99)}.{self.r.randint(10000, 99999)}"

    def email(self, name: str) -> str:
        first, last = name.lower().split()[0], name.lower().split()[-1]
        table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"})
        return f"{first}.{last}@{self.r.choice(['gmail.com', 'online.no', 'hotmail.com', 'outlook.com'])}" \
            .translate(table)

    def broker_email(self) -> str:
        first, last = self.c.broker.lower().split()
        firm = self.c.firm.split()[0].lower().replace("&", "")
        return f"{first}.{last}@{firm}.no".translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a"}))

    def letterhead(self) -> str:
        return self.p(f"{self.c.firm}\n{self.c.firm_address}\nOrg.nr. {self.orgnr()}",
                      f"{self.c.firm} | {self.c.firm_address} | Telefon {self.phone()}",
                      f"{self.c.firm.upper()}\nBesøksadresse: {self.c.firm_address}")

    def phone(self) -> str:
        return f"{self.r.choice('49')}{self.r.randint(10, 99)} {self.r.randint(10, 99)} {self.r.randint(100, 999)}"

    def contract_date(self, *patterns: str) -> str:
        """The contract date after a label, or (half the time) nothing."""
        written = self.d(self.c.contract)
        lines = [p.format(written) for p in patterns]
        self.field("contract_date", self.c.contract.isoformat(), *lines)
        return self.p(*lines, "", "")

    def dated(self, day: date) -> str:
        """The document's own date, as written after «Dato:»."""
        written = self.d(day)
        self.field("document_date", day.isoformat(), written)
        return written

    def place_date(self, day: date) -> str:
        written = self.d(day)
        self.field("document_date", day.isoformat(), written)
        return self.p(f"{self.c.place}, {written}", f"Sted/dato: {self.c.place}, {written}", f"Dato: {written}")

    def signatures(self, left: str, right: str) -> str:
        return self.p(
            f"\n_____________________          _____________________\n{left:<30} {right}",
            f"\nFor {left}: ______________\nFor {right}: ______________",
            f"\nUnderskrifter:\n{left}: ..........................\n{right}: ..........................",
        )

    def status(self, signable: bool = True, draftable: bool = True) -> str:
        """A signed / draft remark (and its tag), or nothing."""
        roll = self.r.random()
        if signable and roll < 0.35:
            self.tags.add("Signert")
            day = self.d(self.c.contract)
            return self.p(f"Signert elektronisk med BankID {day}.", f"Dokumentet er signert med BankID av begge parter {day}.",
                          f"Elektronisk signert: {self.c.sellers[0]}, {day}", f"BankID-signert {day}",
                          "Signert av begge parter ved kontraktsmøtet.",
                          train=("Signert med BankID av samtlige parter.",))
        if draftable and roll > 0.82:
            self.tags.add("Utkast")
            return self.p("UTKAST", "Utkast - ikke til signering", "FORELØPIG UTKAST", "Versjon: utkast 2",
                          "Utkast til gjennomsyn", train=("Dette er et utkast og kan bli endret.",))
        return ""

    def urgent(self, probability: float = 0.25) -> str:
        if not self.chance(probability):
            return ""
        self.tags.add("Haster")
        return self.p("Haster!", "Det haster.", "Svar snarest.", "Vennligst behandle dette snarest.",
                      "Dette må på plass så fort som mulig.", "HASTER", train=("Hastesak – må løses i dag.",))

    def mail_header(self, sender: str, sender_mail: str, to: str, to_mail: str, subject: str, day: date) -> str:
        hour = f"{self.r.randint(7, 22):02d}:{self.r.randint(0, 59):02d}"
        self.field("document_date", day.isoformat())
        if self.chance(0.2):
            return (f"From: {sender} <{sender_mail}>\nSent: {day:%d.%m.%Y} {hour}\nTo: {to} <{to_mail}>\n"
                    f"Subject: {subject}")
        weekday = WEEKDAYS[day.weekday()]
        return (f"Fra: {sender} <{sender_mail}>\nSendt: {weekday} {self.d(day)} {hour}\n"
                f"Til: {to} <{to_mail}>\nEmne: {subject}")

    def greeting(self, name: str) -> str:
        return self.p(f"Hei {name.split()[0]},", f"Hei {name.split()[0]}!", "Hei,", f"God dag {name},",
                      f"Kjære {name.split()[0]},", train=(f"Hallo {name.split()[0]},",))

    def goodbye(self, name: str) -> str:
        return self.p(f"Med vennlig hilsen\n{name}", f"Mvh\n{name}", f"Vennlig hilsen\n{name}",
                      f"Hilsen {name.split()[0]}", f"Beste hilsen\n{name}", train=(f"mvh {name.split()[0]}",))


def join(*parts: str) -> str:
    return "\n".join(p for p in parts if p is not None and p != "")


# ---------------------------------------------------------------------------------------
# One function per document type
# ---------------------------------------------------------------------------------------

def oppdragsavtale(g: Gen) -> str:
    c = g.c
    fee = g.p(f"Provisjon: {g.r.choice(['1,25', '1,5', '1,75', '2,0'])} % av kjøpesum inkl. mva.",
              f"Fastpris: {g.kr(g.r.randint(45, 95) * 1000)} inkl. mva.",
              f"Meglers vederlag er avtalt til {g.r.choice(['1,4', '1,6', '1,9'])} prosent av salgssummen.",
              f"Timepris: {g.kr(g.r.choice([1800, 2100, 2400]))} per time, minimum 30 timer.",
              train=(f"Vederlag: {g.r.choice(['1,3', '1,7'])} % provisjon av oppnådd pris.",))
    g.field("seller", g.sellers())
    g.field("price", str(c.price))
    parts = [
        g.status(),
        g.p("OPPDRAGSAVTALE", "Oppdragsavtale – salg av fast eiendom", "Oppdragsavtale for salg",
            "Avtale om oppdrag for eiendomsmegling", "Oppdrag om salg av bolig",
            train=("Oppdragsavtale (eiendomsmegling)",)),
        g.p(f"Oppdragsgiver: {g.sellers()}", f"Oppdragsgiver(e): {g.sellers()}", f"Selger: {g.sellers()}")
        + f"\n{g.p('Oppdragstaker', 'Megler', 'Foretak')}: {c.firm}, ansvarlig megler {c.broker}",
        "1. Oppdraget\n" + g.p(
            f"Oppdraget gjelder salg av {g.kind()} beliggende {g.addr()}, {g.gnr()} i {g.kommune()}.",
            f"Eiendommen som skal selges er {g.addr()} ({g.gnr()}), en {g.kind()}.",
            f"Megler skal bistå oppdragsgiver med salg av {g.kind()} i {g.addr()}, {g.gnr()}.",
        ),
        "2. Prisantydning\n" + g.p(f"Prisantydning er satt til {g.kr(c.price)}.",
                                    f"Partene er enige om en prisantydning på {g.kr(c.price)}.",
                                    f"Prisantydning: {g.kr(c.price)}"),
        "3. Vederlag\n" + fee + " " + g.p(
            f"I tillegg kommer tilretteleggingsgebyr på {g.kr(g.r.randint(8, 20) * 1000)}.",
            f"Markedsføringspakke {g.kr(g.r.randint(9, 30) * 1000)} betales uavhengig av om eiendommen blir solgt.",
            "Utlegg til innhenting av opplysninger faktureres etter medgått.", ""),
        "4. Oppdragstid\n" + g.p("Oppdraget gjelder i seks måneder fra signering og kan fornyes skriftlig.",
                                 "Oppdragstiden er 6 måneder. Oppdraget kan sies opp med umiddelbar virkning.",
                                 "Avtalen løper i tolv måneder, jf. eiendomsmeglingsloven § 6-3.",
                                 "Oppdraget kan når som helst sies opp av oppdragsgiver."),
        g.p("5. Oppdragsgivers plikter\nOppdragsgiver skal gi megler alle opplysninger av betydning for salget, "
            "herunder kjente feil og mangler.",
            "5. Opplysningsplikt\nOppdragsgiver plikter å opplyse om forhold ved eiendommen som kjøper har "
            "grunn til å regne med å få.",
            "5. Egenerklæring og tilstandsrapport\nOppdragsgiver fyller ut egenerklæringsskjema. Megler anbefaler "
            "at det innhentes tilstandsrapport fra bygningssakkyndig før markedsføring."),
        g.p("6. Hvitvasking\nMegler er rapporteringspliktig etter hvitvaskingsloven og skal kontrollere "
            "legitimasjon.",
            "6. Oppgjør\nOppgjøret foretas av meglerforetakets oppgjørsavdeling via klientkonto.",
            "6. Angrerett\nOppdragsgiver har 14 dagers angrerett etter angrerettloven når avtalen er inngått "
            "utenfor meglers lokaler.",
            "6. Kontrakt\nMegler utarbeider kjøpekontrakt og sørger for tinglysing av skjøte når bud er akseptert.",
            ""),
        g.p(f"Markedsføring: annonse på FINN.no, {g.r.choice(['digital salgsoppgave', 'sosiale medier', 'visning'])}.",
            "Visninger avtales mellom megler og oppdragsgiver.", "", ""),
        g.place_date(c.doc_date),
        g.signatures("Oppdragsgiver", "Megler"),
    ]
    return join(*parts)


def salgsoppgave(g: Gen) -> str:
    c = g.c
    g.field("price", str(c.price))
    costs = g.r.randint(12, 130) * 1000
    intro = g.p(
        f"Velkommen til {c.street} {c.number}! {g.p('Lys og romslig', 'Solrik og barnevennlig', 'Flott og påkostet', 'Sjarmerende')} "
        f"{g.kind()} med {g.p('gode solforhold', 'flott utsikt', 'kort vei til skole og butikk', 'landlig beliggenhet')}.",
        f"Vi har gleden av å presentere en {g.p('innholdsrik', 'velholdt', 'moderne', 'praktisk')} {g.kind()} "
        f"i {c.place}.",
        f"Her får du en {g.kind()} med {g.r.randint(2, 5)} soverom og {g.p('stor hage', 'romslig terrasse', 'balkong mot vest', 'garasje')}.",
    )
    key = [
        f"Adresse: {g.addr()}",
        f"Prisantydning: {g.kr(c.price)}",
        f"Omkostninger: {g.kr(costs)}",
        f"Totalpris inkl. omkostninger: {g.kr(c.price + costs)}",
        f"Primærrom (P-ROM): {c.area} m²" if g.chance(.5) else f"BRA-i: {c.area} m²",
        f"Byggeår: {c.built}",
        f"Eierform: {'Andel' if c.kind == 'borettslag' else 'Selveier'}",
    ]
    if c.kind == "borettslag":
        key.append(f"Andel fellesgjeld: {g.kr(g.r.randint(100, 900) * 1000)}")
        key.append(f"Felleskostnader: {g.kr(g.r.randint(2500, 7500))} per måned")
    else:
        key.append(f"Matrikkel: {g.gnr()} i {g.kommune()}")
    more = [
        "Parkering\n" + g.p("Garasje og biloppstillingsplass på egen tomt.", "Gateparkering etter gjeldende regler.",
                            "Felles parkeringskjeller med ladeanlegg."),
        "Ferdigattest\n" + g.p(f"Det foreligger ferdigattest datert {g.r.randint(1960, 2023)}.",
                               "Det er ikke funnet ferdigattest for bygget; det er søkt om midlertidig brukstillatelse.",
                               "Kommunen har ikke arkivert ferdigattest for eldre bygg."),
        "Regulering\n" + g.p("Eiendommen ligger i et område regulert til boligformål.",
                             "Området er regulert til bolig med tilhørende anlegg. Reguleringsplanen kan fås hos megler."),
        "Kommunale avgifter\n" + f"Ca. {g.kr(g.r.randint(9, 28) * 1000)} per år inkludert vann, avløp og renovasjon.",
        "Formuesverdi\n" + f"Primærbolig: {g.kr(g.r.randint(8, 60) * 10_000)} for inntektsåret {c.doc_date.year - 1}.",
        "Vei, vann og avløp\n" + g.p("Offentlig tilknyttet via private stikkledninger.",
                                     "Privat vannverk og felles avløpsanlegg."),
        "Boligkjøperforsikring\n" + "Kjøper kan tegne boligkjøperforsikring. Vilkår følger vedlagt.",
        "Tilbehør\n" + "Hvitevarer på kjøkkenet og varmepumpe følger med i handelen.",
        "Hvitvasking\n" + "Megler er underlagt hvitvaskingsloven og plikter å gjennomføre kundetiltak.",
        "Kontrakt og oppgjør\n" + "Kjøpekontrakt utarbeides av megler. Oppgjøret skjer via meglers klientkonto.",
        "Konsesjon\n" + "Det er ikke konsesjonsplikt ved kjøp av eiendommen.",
        "Utleie\n" + g.p("Leiligheten kan leies ut i henhold til vedtektene.", "Sokkelleiligheten er ikke godkjent for utleie."),
    ]
    sections = g.some(more, 0, 9) + [
        g.p("Beliggenhet\n", "Om området\n", "Nærmiljø\n") + g.p(
            f"{c.place} byr på et rikt friluftsliv med turstier og badeplasser i nærheten.",
            "Eiendommen ligger i et etablert og rolig boligområde med gangavstand til barnehage og skole.",
            "Kort vei til kollektivtransport, dagligvarer og sentrum.",
            f"Fra eiendommen er det kort vei til {g.p('alpinanlegg og langrennsløyper', 'fjorden', 'byens kafeer')}."),
        g.p("Innhold\n", "Romfordeling\n") + g.p(
            "1. etasje: Entré, stue, kjøkken, bad og ett soverom. 2. etasje: Tre soverom og bad.",
            "Entré, åpen stue- og kjøkkenløsning, to soverom, bad og bod.",
            "Gang, stue, kjøkken, soverom, baderom, vaskerom og kjellerstue."),
        g.p("Standard\n", "Teknisk\n") + g.p(
            f"{g.it().capitalize()} fremstår som velholdt med jevnlig vedlikehold.",
            "Kjøkkenet ble oppgradert i 2019 med integrerte hvitevarer.",
            "Se tilstandsrapport for nærmere beskrivelse av bygningens tilstand og tilstandsgrader."),
        g.p(f"Energimerking\nEnergikarakter {g.r.choice('BCDEFG')}, oppvarmingskarakter "
            f"{g.r.choice(['gul', 'grønn', 'oransje'])}. Energiattest følger vedlagt.",
            "Oppvarming\nVarmepumpe luft-til-luft og vedovn i stuen.", ""),
        g.p("Visning\nEtter avtale med megler.", f"Visning\nSøndag {g.d(c.doc_date + timedelta(days=5))} kl. 13:00-14:00.",
            "Visning annonseres på FINN.no.", ""),
        g.p("Budgivning\nAlle bud skal gis skriftlig til megler. Budfrist kan ikke være kortere enn kl. 12:00 første "
            "virkedag etter siste annonserte visning.",
            "Vi anbefaler alle interessenter å sette seg inn i salgsoppgaven, egenerklæringen og "
            "tilstandsrapporten før bud gis.", ""),
    ]
    g.r.shuffle(sections)
    return join(
        g.status(signable=False),
        g.p("SALGSOPPGAVE", f"Salgsoppgave – {c.address}", "Prospekt", "Eiendomsprospekt", "Nøkkelinformasjon",
            f"Til salgs: {c.street} {c.number}", train=("Digital salgsoppgave",)),
        f"{c.firm} · Ansvarlig megler: {c.broker}, tlf. {g.phone()}" if g.chance(.6) else "",
        intro,
        "\n".join(g.some(key, 4, len(key))),
        *g.some(sections, 2, len(sections)),
    )


def takst(g: Gen) -> str:
    c = g.c
    value = c.value
    loan = int(value * g.r.choice((0.75, 0.8, 0.85))) // 10_000 * 10_000
    g.field("price", str(value))
    appraiser = Case.person(g.r)
    purpose = g.p("i forbindelse med refinansiering", "i forbindelse med salg", "for skifte av dødsbo",
                  "ved opptak av nytt lån", "etter ønske fra rekvirent")
    return join(
        g.p("VERDIVURDERING", "Verditakst", "Lånetakst", "Verdi- og lånetakst", "Markedsverdivurdering",
            "Vurdering av markedsverdi", train=("Takst – verdi og lånetakst",)),
        g.field("seller", g.sellers(), f"Oppdragsgiver: {g.sellers()}"),
        g.p(f"Rekvirent: {g.sellers()}", f"Oppdragsgiver: {g.sellers()}", f"Rekvirert av: {g.sellers()}"),
        g.p(f"Eiendom: {g.addr()}", f"Adresse: {g.addr()}", f"Gjelder: {g.addr()}") + f"\nMatrikkel: {g.gnr()}, {g.kommune()}",
        f"Befaringsdato: {g.d(c.doc_date)}",
        g.p(f"Takstmann: {appraiser}, {g.r.choice(APPRAISERS)}",
            f"Utført av {appraiser}, autorisert takstmann (Norsk takst)",
            f"Bygningssakkyndig/takstmann: {appraiser}"),
        g.p(f"Formålet med takseringen er å fastsette eiendommens markedsverdi {purpose}.",
            f"Verdivurderingen er utarbeidet {purpose} og gir uttrykk for antatt salgsverdi.",
            f"Vi er bedt om å vurdere eiendommens verdi {purpose}."),
        g.p(f"Eiendommen er en {g.kind()} på ca. {c.area} m² BRA, oppført i {c.built}.",
            f"Bygningen ({g.kind()}) ble oppført i {c.built} og har et bruksareal på {c.area} m².",
            f"{g.kind().capitalize()}, byggeår {c.built}, {c.area} m² BRA, tomt {c.plot} m²."),
        g.p("Verdsettelsen bygger på sammenlignbare salg i området, beliggenhet, standard og markedssituasjonen.",
            f"Sammenlignbare salg: {g.r.randint(3, 6)} omsetninger i nærområdet siste 12 måneder, "
            f"snitt {money(g.r.randint(38, 95) * 1000)} kr/m².",
            "Vurderingen tar hensyn til teknisk standard, vedlikeholdsbehov og etterspørsel i området.",
            "Det er ikke utarbeidet tilstandsrapport; teknisk tilstand er kun overfladisk vurdert.",
            "Det er registrert enkelte avvik med tilstandsgrad 2 på bad og drenering.",
            "Vurderingen er gjort uten fuktmålinger eller tekniske undersøkelser."),
        g.p(f"Markedsverdi: {g.kr(value)}", f"Markedsverdi vurderes til {g.kr(value)}",
            f"Verdien settes til {g.kr(value)}", f"Markedsverdi (antatt salgsverdi): {g.kr(value)}"),
        g.p(f"Låneverdi: {g.kr(loan)}", f"Lånetakst: {g.kr(loan)}", f"Teknisk verdi: {g.kr(value + 350_000)}", ""),
        g.p(f"Tomteverdi: {g.kr(g.r.randint(3, 30) * 100_000)}", "", ""),
        g.place_date(c.doc_date + timedelta(days=g.r.randint(0, 5))) if g.chance(.6) else "",
    )


def tilstandsrapport(g: Gen) -> str:
    c = g.c
    expert = Case.person(g.r)

    def tg(grade: int) -> str:
        return g.p(f"TG{grade}", f"TG {grade}", f"Tilstandsgrad {grade}")

    findings = [
        f"Våtrom – bad i 1. etasje: {tg(2)}. Fall til sluk er målt til under 1:100 ved dusjsonen.",
        f"Våtrom – vaskerom: {tg(3)}. Det er målt forhøyede fuktverdier i vegg bak dusj.",
        f"Tak: {tg(1)}. Taktekking av betongstein, normal slitasje.",
        f"Drenering: {tg(2)}. Drenering er over 30 år og har redusert funksjon.",
        f"Elektrisk anlegg: {tg(2)}. Det anbefales el-kontroll av autorisert installatør.",
        f"Vinduer og dører: {tg(1)}. Vinduer fra {c.built + 20 if c.built < 2000 else c.built}.",
        f"Krypkjeller: {tg(3)}. Det er registrert råte i bjelkelag og manglende ventilasjon.",
        f"Pipe og ildsted: {tg(2)}. Avvik på feieluke, jf. feiers merknad.",
        f"Radon: {tg(1)}. Radonmåling er utført, verdier under tiltaksgrensen.",
        f"Terrasse og balkong: {tg(2)}. Rekkverkshøyde er under dagens krav.",
        f"Yttervegger: {tg(1)}. Kledning er malt for få år siden.",
        f"Kjøkken: {tg(0)}. Nytt kjøkken fra {min(2024, c.built + 30)}.",
        f"Varmtvannsbereder: {tg(2)}. Bereder er eldre enn 20 år.",
    ]
    cost = g.p(f"Kostnadsestimat for utbedring: {g.r.choice(['10 000 - 50 000', '50 000 - 150 000', 'under 10 000'])} kr.",
               "Se sammendrag for anslåtte kostnader.", "")
    return join(
        g.p("TILSTANDSRAPPORT", "Tilstandsrapport for boligsalg", "Boligsalgsrapport", "Teknisk tilstandsrapport",
            "Tilstandsanalyse", "Bygningsteknisk gjennomgang", train=("Tilstandsrapport (NS 3600)",)),
        g.p("Utført i henhold til NS 3600:2018 og forskrift til avhendingslova.",
            "Rapporten følger Norsk Standard 3600 og avhendingslova § 2-5 om tilstandsrapport.",
            "Teknisk tilstandsvurdering etter gjeldende standard for boligsalg.",
            "Rapporten er ikke en verdivurdering; markedsverdi er ikke vurdert.", ""),
        g.p(f"Befaringsadresse: {g.addr()}", f"Adresse: {g.addr()}", f"Befaring av {g.addr()}") + f", {g.gnr()}",
        g.field("seller", g.sellers(), f"Oppdragsgiver: {g.sellers()}", f"Hjemmelshaver: {g.sellers()}"),
        g.p(f"Oppdragsgiver: {g.sellers()}", f"Rekvirent: {g.sellers()}", f"Hjemmelshaver: {g.sellers()}"),
        g.p(f"Bygningssakkyndig: {expert}, {g.r.choice(APPRAISERS)}", f"Takstmann: {expert}",
            f"Rapport utarbeidet av {expert}, {g.r.choice(APPRAISERS)}"),
        f"Befaringsdato: {g.d(c.doc_date)}",
        g.p(f"Bygget er en {g.kind()} fra {c.built} i {g.r.randint(1, 3)} plan.",
            f"{g.kind().capitalize()} oppført ca. {c.built}, bygget i tre på støpt fundament.",
            f"Rapporten omfatter {g.kind()} med tilhørende garasje/bod."),
        g.p("Sammendrag av avvik", "Oppsummering – tilstandsgrader", "Vesentlige avvik", "Vurdering av bygningsdeler"),
        *g.some(findings, 3, 8),
        cost,
        g.p("TG0: Ingen avvik. TG1: Mindre avvik. TG2: Vesentlige avvik. TG3: Store eller alvorlige avvik.",
            "Forklaring: TG IU betyr ikke undersøkt.", "", ""),
        g.p(f"Areal: BRA {c.area} m², hvorav P-ROM {int(c.area * 0.9)} m².", "Arealer er målt etter NS 3940.", ""),
    )


def energiattest(g: Gen) -> str:
    c = g.c
    grade, heat = g.r.choice("ABCDEFG"), g.r.choice(["grønn", "lysegrønn", "gul", "oransje", "rød"])
    kwh = g.r.randint(70, 360)
    measures = ["Etterisolering av yttervegger", "Bytte til vinduer med lavere U-verdi", "Installere luft-til-vann varmepumpe",
                "Tetting av luftlekkasjer rundt dører og vinduer", "Etterisolering av loft", "Styringssystem for varme",
                "Solceller på taket"]
    short = g.chance(.3)
    return join(
        g.p("ENERGIATTEST", "Energiattest for bolig", "Energimerking av bygning", "Energiattest – boligbygning",
            "Attest for energimerking", train=("Energimerke for bolig",)),
        g.p(f"Adresse: {g.addr()}", f"Bygningens adresse: {g.addr()}", f"Gjelder: {g.addr()}"),
        f"{g.gnr()}" if g.chance(.6) else "",
        g.p(f"Energikarakter: {grade}", f"Energimerket for bygningen: {grade}-{heat}",
            f"Bygningen har energikarakter {grade}"),
        g.p(f"Oppvarmingskarakter: {heat}", f"Oppvarmingskarakteren er {heat}.", ""),
        "" if short else g.p(f"Beregnet levert energi: {kwh} kWh/m² per år.",
                             f"Levert energi (beregnet): {kwh} kWh per kvadratmeter oppvarmet areal per år.",
                             f"Energibehov: {kwh} kWh/m²/år"),
        "" if short else ("Bygningskategori: " + {"hytte": "Fritidsbolig", "naering": "Kontorbygg", "leilighet": "Boligblokk",
                                                 "borettslag": "Boligblokk"}.get(c.kind, "Småhus")),
        "" if short else f"Attestnummer: A{c.doc_date.year}-{g.r.randint(100000, 999999)}",
        "" if short else g.p("Anbefalte tiltak:", "Tiltaksliste:", "Forslag til energitiltak:") + "\n- "
        + "\n- ".join(g.some(measures, 2, 4)),
        g.p("Attesten er gyldig i 10 år fra utstedelsesdato.", "Energiattesten er utstedt etter energimerkeordningen "
            "(Enova).", "Energimerkingen er utført av eier via energimerking.no.", ""),
        f"Utstedt: {g.dated(c.doc_date)}" if g.chance(.7) else "",
    )


def egenerklaering(g: Gen) -> str:
    c = g.c
    years = g.r.randint(1, 30)

    def yn(positive: bool) -> str:
        return g.p("[x] Ja  [ ] Nei", "Ja", "JA") if positive else g.p("[ ] Ja  [x] Nei", "Nei", "NEI")

    questions = [
        ("Kjenner du til om det er utført arbeid på bad/våtrom?", "Nytt bad i 2016, utført av fagfolk med dokumentasjon."),
        ("Kjenner du til om det er eller har vært fukt, lekkasje eller sopp i bygningen?", "Lekkasje fra oppvaskmaskin 2020, utbedret."),
        ("Kjenner du til om det er feil på drenering eller fuktsikring?", ""),
        ("Har det vært skadedyr, insekter eller sopp i boligen?", "Maur i 2019, behandlet av Anticimex."),
        ("Er det utført arbeid på det elektriske anlegget?", "Nytt sikringsskap 2018."),
        ("Kjenner du til om det er foretatt radonmåling?", ""),
        ("Er det nedgravd oljetank på eiendommen?", ""),
        ("Kjenner du til pålegg, heftelser eller tvister som angår eiendommen?", ""),
        ("Er det utført endringer uten byggetillatelse?", "Kjeller innredet uten søknad."),
        ("Har du bodd i boligen de siste 12 månedene?", ""),
    ]
    lines = []
    for i, (question, detail) in enumerate(g.some(questions, 4, 9), 1):
        positive = bool(detail) and g.chance(.6)
        lines.append(f"{i}. {question} {yn(positive)}" + (f"\n   Beskrivelse: {detail}" if positive else ""))
    g.field("seller", g.sellers())
    return join(
        g.status(draftable=False),
        g.p("EGENERKLÆRINGSSKJEMA", "Egenerklæring", "Selgers egenerklæring", "Egenerklæring fra selger (boligsalg)",
            "Selgers opplysninger om eiendommen", train=("Egenerklæringsskjema for selger",)),
        g.p(f"Selger: {g.sellers()}", f"Selger(e): {g.sellers()}", f"Hjemmelshaver: {g.sellers()}"),
        g.p(f"Eiendom: {g.addr()}", f"Adresse: {g.addr()}", f"Gjelder {g.it()} i {g.addr()}"),
        g.p(f"Hvor lenge har du eid {g.it()}? {years} år.", f"Eiertid: {years} år", ""),
        g.p("Besvar spørsmålene etter beste evne.", "Skjemaet fylles ut av selger og følger salgsoppgaven.", ""),
        *lines,
        g.p("Selger bekrefter at opplysningene er gitt etter beste evne og at kjente feil og mangler er opplyst.",
            "Jeg/vi erklærer at opplysningene over er riktige og fullstendige.",
            "Opplysningene er gitt i samsvar med avhendingslova § 3-7."),
        g.place_date(c.doc_date),
    )


def budjournal(g: Gen) -> str:
    c = g.c
    day = c.contract
    bidders = [Case.person(g.r) for _ in range(g.r.randint(2, 4))]
    bid = c.price - g.r.randint(1, 6) * 50_000
    rows, final = [], None
    for i in range(g.r.randint(3, 8)):
        who = g.r.randrange(len(bidders))
        bid += g.r.choice((25_000, 50_000, 50_000, 100_000))
        hour = 11 + i // 3
        status = "Overbudt"
        rows.append((i + 1, f"{hour:02d}:{g.r.randint(0, 59):02d}", f"Budgiver {who + 1}", bid, status))
        final = (bidders[who], bid)
    rows[-1] = (*rows[-1][:4], "Akseptert")
    g.field("price", str(c.price))  # when the asking price is stated
    style = g.r.randint(0, 2)
    if style == 0:  # the journal itself
        head = g.p("BUDJOURNAL", f"Budjournal – {c.address}", "Budjournal for eiendommen", "Budoversikt",
                   "Oversikt over bud", train=("Budjournal (kopi til kjøper og selger)",))
        table = "\n".join(
            f"{n:<3} {g.d(day)} kl. {t}  {who:<12} {g.kr(amount):<18} {g.p('Finansiering', 'Ingen', 'Salg av egen bolig')}"
            f"  {status}" for n, t, who, amount, status in rows)
        return join(
            head, g.p(f"Eiendom: {g.addr()}", f"Objekt: {g.addr()}", f"Adresse: {g.addr()}"),
            f"Prisantydning: {g.kr(c.price)}" if g.chance(.6) else "",
            g.p("Nr  Dato        Klokkeslett  Budgiver  Beløp  Forbehold  Status", "Budnr | Tid | Budgiver | Bud | "
                "Forbehold | Status", "Bud mottatt:"),
            table,
            g.p(f"Budet fra budgiver {rows[-1][2][-1]} er akseptert av selger.",
                "Selger har akseptert høyeste bud. Budjournalen er sendt til alle budgivere.",
                "Budrunden er avsluttet og bindende avtale er inngått."),
            g.urgent(0.1),
        )
    if style == 1:  # formal acceptance
        g.field("seller", g.sellers())
        return join(
            g.status(draftable=False),
            g.p("AKSEPT AV BUD", "Aksept", "Akseptbrev", "Bekreftelse på aksept av bud", "Salget er bindende",
                train=("Aksept av kjøpetilbud",)),
            g.p(f"Selger: {g.sellers()}", f"Selger(e): {g.sellers()}", f"Hjemmelshaver: {g.sellers()}"),
            g.p(f"Eiendom: {g.addr()}", f"Gjelder: {g.addr()}, {g.gnr()}"),
            g.p(f"Jeg/vi aksepterer herved bud fra {final[0]} på {g.kr(final[1])}, avgitt {g.d(day)}.",
                f"Selger aksepterer budet på {g.kr(final[1])} fra {final[0]}.",
                f"Budet på {g.kr(final[1])} inngitt av {final[0]} aksepteres med de forbehold som er angitt i budet."),
            g.field("takeover_date", c.takeover.isoformat()),
            g.p(f"Overtakelse etter avtale, ønsket dato {g.d(c.takeover)}.", "Det er med dette inngått en bindende avtale.",
                "Kjøpekontrakt vil bli utarbeidet av megler."),
            g.place_date(day),
        )
    # an acceptance by e-mail: looks like correspondence, is an acceptance
    seller = c.sellers[0]
    return join(
        g.mail_header(seller, g.email(seller), c.broker, g.broker_email(),
                      g.p("Aksept", "Re: Bud på " + c.street + " " + c.number, "Vi aksepterer", "SV: Budrunde",
                          "Aksept av bud"), day),
        "",
        g.greeting(c.broker),
        g.p(f"Vi aksepterer budet på {g.kr(final[1])} fra {final[0]}.",
            f"Vi har snakket sammen og aksepterer høyeste bud, {g.kr(final[1])}.",
            f"Jeg bekrefter herved aksept av bud på {g.kr(final[1])} for {c.street} {c.number}."),
        g.p("Gi beskjed til budgiver så fort du kan.", "Takk for god hjelp i budrunden!", "Når blir kontraktsmøtet?", ""),
        g.urgent(0.2),
        g.goodbye(seller),
    )


def kjopekontrakt(g: Gen) -> str:
    c = g.c
    sellers, buyers = g.sellers(), g.buyers()
    g.field("seller", sellers)
    g.field("buyer", buyers)
    g.field("price", str(c.price))
    g.field("takeover_date", c.takeover.isoformat())
    borettslag = c.kind == "borettslag"
    clauses = [
        g.p("§ 1 Salgsobjekt", "1. Salgsobjekt", "Eiendommen") + "\n" + (
            f"Selger overdrar andel i {c.brl} med tilhørende rett til bruk av {g.kind()} i {g.addr()}."
            if borettslag else
            f"Kontrakten gjelder {g.kind()} i {g.addr()}, {g.gnr()} i {g.kommune()}."),
        g.p("§ 2 Kjøpesum og omkostninger", "2. Kjøpesum", "Kjøpesum") + "\n" + g.p(
            f"Kjøpesummen er {g.kr(c.price)}.", f"Avtalt kjøpesum: {g.kr(c.price)}",
            f"Kjøper betaler en kjøpesum på {g.kr(c.price)} med tillegg av omkostninger.")
        + " " + g.p("I tillegg betaler kjøper dokumentavgift med 2,5 % av kjøpesummen samt tinglysingsgebyrer.",
                    "Omkostninger kommer i tillegg.", ""),
        g.p("§ 3 Oppgjør", "3. Oppgjør", "Oppgjør") + "\n" + g.p(
            f"Kjøpesum og omkostninger innbetales til meglers klientkonto senest {g.p('tre', 'fem')} virkedager før "
            "overtakelse.",
            "Oppgjøret foretas av meglerforetaket. Kjøpers innbetaling skal skje fra norsk bank.",
            "Kjøper kan ikke disponere eiendommen før hele kjøpesummen er innbetalt."),
        g.p("§ 4 Overtakelse", "4. Overtakelse", "Overtakelse og risiko") + "\n" + g.p(
            f"Overtakelse skjer den {g.d(c.takeover)} kl. 12:00.", f"Overtakelse: {g.d(c.takeover)}",
            f"Partene har avtalt overtakelse {g.d(c.takeover)}. Risikoen går over på kjøper ved overtakelse."),
        g.p("§ 5 Tinglysing og sikkerhet", "5. Hjemmelsoverføring") + "\n" + g.p(
            "Skjøte utstedes samtidig med kontrakten og tinglyses når kjøpesummen er innbetalt.",
            "Selger utsteder pantedokument til megler som sikkerhet for oppgjøret.",
            "Hjemmelen overføres til kjøper ved tinglysing av skjøte."),
        g.p("§ 6 Eiendommens tilstand", "6. Mangler") + "\n" + g.p(
            "Eiendommen selges som den er, jf. avhendingslova § 3-9.",
            "Kjøper har gjort seg kjent med salgsoppgaven, tilstandsrapporten og egenerklæringen.",
            "Eventuelle mangler reguleres av avhendingslova."),
        g.p("§ 7 Forsikring", "7. Forsikring") + "\n" + g.p(
            "Selger holder eiendommen forsikret frem til overtakelse.", "Selger har tegnet boligselgerforsikring."),
        g.p("§ 8 Tvister", "8. Tvister") + "\n" + g.p(
            f"Tvister avgjøres ved {c.place} tingrett.", "Tvist om kontrakten søkes løst i minnelighet."),
    ]
    if borettslag:
        clauses.append("Salget er betinget av styrets godkjennelse av kjøper og eventuell forkjøpsrett.")
    return join(
        g.status(),
        g.p("KJØPEKONTRAKT", "Kjøpekontrakt – fast eiendom", "Kontrakt om kjøp av fast eiendom",
            "Kjøpekontrakt for bruktbolig", "Kontrakt om salg av andel" if borettslag else "Kjøpekontrakt (selveier)",
            "Avtale om kjøp av fast eiendom", train=("Kjøpekontrakt om fast eiendom",)),
        g.p(f"mellom\n{sellers} (heretter kalt selger)\nog\n{buyers} (heretter kalt kjøper)",
            f"Selger: {sellers}\nKjøper: {buyers}",
            f"Selger(e): {sellers}\nKjøper(e): {buyers}\nMegler: {c.broker}, {c.firm}"),
        g.contract_date("Kontraktsdato: {}", "Kontrakten er inngått {}."),
        *clauses[: g.r.randint(5, len(clauses))],
        g.p("Kontrakten er utferdiget i tre eksemplarer.", "Kontrakten signeres elektronisk.", ""),
        g.place_date(c.contract),
        g.signatures("Selger", "Kjøper"),
    )


def oppgjor(g: Gen) -> str:
    c = g.c
    seller_side = g.chance(.5)
    fee = int(c.price * 0.015)
    loan = int(c.price * g.r.uniform(0.2, 0.7)) // 1000 * 1000
    tax = int(c.price * 0.025) if c.kind != "borettslag" else 0
    rows: list[tuple[str, int]]
    if seller_side:
        rows = [("Kjøpesum", c.price), (f"Innfrielse lån {c.bank}", -loan), ("Meglers vederlag", -fee),
                ("Markedsføring", -g.r.randint(9, 30) * 1000), ("Oppgjørshonorar", -g.r.randint(3, 8) * 1000),
                ("Renter klientkonto", g.r.randint(500, 9000))]
        label = g.p("Til utbetaling til selger", "Til utbetaling", "Netto til selger")
    else:
        rows = [("Kjøpesum", c.price), ("Tinglysingsgebyr skjøte", 585), ("Tinglysingsgebyr pantedokument", 585),
                ("Attestgebyr", 172), ("Boligkjøperforsikring", g.r.randint(8, 19) * 1000),
                ("Forholdsmessige kommunale avgifter", g.r.randint(1, 6) * 1000)]
        if tax:
            rows.insert(1, ("Dokumentavgift 2,5 %", tax))
        label = g.p("Kjøpers innbetaling totalt", "Sum å betale", "Totalt innbetalt av kjøper")
    total = sum(v for _, v in rows)
    lines = [f"{name:<40} {g.kr(abs(v)) if v >= 0 else '-' + g.kr(-v)}" for name, v in rows]
    if label in ("Til utbetaling til selger", "Til utbetaling", "Sum å betale"):
        g.field("amount", str(total))
    g.field("price", str(c.price))
    return join(
        g.status(signable=False),
        g.p("OPPGJØRSOPPSTILLING", f"Oppgjørsoppstilling {'selger' if seller_side else 'kjøper'}",
            "Foreløpig oppgjørsoppstilling", "Sluttoppgjør", "Oppgjør ved eiendomssalg",
            "Avregning ved eiendomsoverdragelse", train=("Oppgjørsoppstilling og avregning",)),
        g.letterhead() if g.chance(.5) else "",
        g.p(f"Eiendom: {g.addr()}", f"Gjelder: {g.addr()}, {g.gnr()}", f"Salgsobjekt: {g.addr()}"),
        g.field("seller", g.sellers(), f"Selger: {g.sellers()}"),
        g.field("buyer", g.buyers(), f"Kjøper: {g.buyers()}"),
        g.field("takeover_date", c.takeover.isoformat()),
        g.p(f"Selger: {g.sellers()}\nKjøper: {g.buyers()}", f"Kjøper: {g.buyers()}", ""),
        f"Overtakelse: {g.d(c.takeover)}" if g.chance(.6) else "",
        g.contract_date("Kontraktsdato: {}", "Kjøpekontrakt datert {}"),
        g.p("Post                                     Beløp", "Spesifikasjon:", ""),
        *lines,
        f"{label}: {g.kr(total)}",
        g.p(f"Beløpet utbetales til konto {g.account()} innen tre virkedager etter tinglysing.",
            f"Beløpet innbetales til meglers klientkonto {g.account()} med KID {g.r.randint(10**9, 10**10)}.",
            "Endelig oppgjør foretas når skjøtet er tinglyst og eventuelle pant er slettet.",
            "Renter beregnes frem til utbetalingsdato."),
        g.p(f"Oppgjørsansvarlig: {Case.person(g.r)}, {c.firm}", "", ""),
        g.p(f"Meglers faktura nr. {g.r.randint(10000, 99999)} er trukket i oppgjøret.", "", "", ""),
    )


def skjote(g: Gen) -> str:
    c = g.c
    sellers, buyers = g.sellers(), g.buyers()
    g.field("seller", sellers)
    g.field("buyer", buyers)
    g.field("price", str(c.price))
    return join(
        g.status(),
        g.p("SKJØTE", "Skjøte (hjemmelsoverføring)", "Skjøte – overføring av hjemmel til fast eiendom",
            "Hjemmelsdokument", "Overdragelse av hjemmel", train=("Skjøte for fast eiendom",)),
        g.p("Kartverket – Tinglysing", "Innsendes til Kartverket for tinglysing.", ""),
        "1. Eiendommen",
        g.p(f"Kommune: {g.dated_municipality()}\n{g.gnr()}", f"{g.gnr()} i {g.kommune()}",
            f"Kommunenr. {g.r.randint(301, 5600):04d} {c.municipality}, {g.gnr()}"),
        g.p(f"Adresse: {g.addr()}", f"({g.addr()})", ""),
        "2. Overdragelsen gjelder\n" + g.p("Hele eiendommen.", "Eierseksjon med tilhørende sameieandel.",
                                           "Ideell andel 1/2."),
        "3. Kjøpesum/vederlag\n" + g.p(f"Kjøpesum: {g.kr(c.price)}", f"Vederlag: {g.kr(c.price)}",
                                       f"Kjøpesum {g.kr(c.price)}. Salgsverdi som grunnlag for dokumentavgift "
                                       f"{g.kr(c.price)}."),
        "4. " + g.p(f"Hjemmelshaver/utsteder: {sellers}", f"Utsteder(e): {sellers}",
                    f"Selger (hjemmelshaver): {sellers}") + f", fødselsnr. {g.r.randint(10, 28)}{g.r.randint(10, 12)}"
        f"{g.r.randint(40, 99)} *****",
        "5. " + g.p(f"Erverver(e): {buyers}", f"Erverver: {buyers}", f"Ny hjemmelshaver (kjøper): {buyers}")
        + g.p(", andel 1/1", ", andel 1/2 hver", ""),
        g.p("6. Erklæring om konsesjonsfrihet\nErverver erklærer at ervervet er konsesjonsfritt.",
            "6. Boligbeviset\nErverver bekrefter at eiendommen skal brukes som bolig.", ""),
        g.p("Utsteder erklærer å overdra hjemmelen til eiendommen til erverver.",
            "Skjøtet tinglyses når kjøpesummen er innbetalt til megler.",
            "Underskrift av utsteder skal bevitnes av to myndige vitner."),
        g.place_date(c.contract),
        g.signatures("Utsteder", "Vitne"),
    )


def pantedokument(g: Gen) -> str:
    c = g.c
    limit = int(c.price * g.r.uniform(0.5, 0.9)) // 100_000 * 100_000
    owners = g.buyers()
    g.field("amount", str(limit))
    return join(
        g.status(draftable=False),
        g.p("PANTEDOKUMENT", "Pantedokument (pantobligasjon)", "Pantedokument – sikring av lån", "Pantedokument for "
            "fast eiendom", "Pantsettelseserklæring", train=("Pantedokument til sikkerhet for lån",)),
        g.p(f"Pantsetter(e): {owners}", f"Pantsetter: {owners}", f"Hjemmelshaver/pantsetter: {owners}"),
        g.p(f"Panthaver: {c.bank}, org.nr. {g.orgnr()}", f"Rettighetshaver: {c.bank}", f"Långiver og panthaver: {c.bank}"),
        g.p(f"Pantets beløpsgrense: {g.kr(limit)}", f"Beløp: {g.kr(limit)}", f"Pantesikkerhet begrenset oppad til "
            f"{g.kr(limit)} med tillegg av renter og omkostninger"),
        g.p("Pantsatt formuesgode:", "Eiendom som pantsettes:", "Pantet omfatter:") + " " + (
            f"{g.gnr()} i {g.kommune()}" + g.p(f", {g.addr()}", "")),
        g.p("Pantet har første prioritet.", "Prioritet: etter tidligere tinglyste heftelser.",
            "Panthaver skal ha prioritet foran senere heftelser."),
        g.p("Pantsetter erklærer at pantet kan tvangsfullbyrdes etter tvangsfullbyrdelsesloven § 7-2 bokstav a.",
            "Pantet skal tinglyses i grunnboken.", "Panteretten gjelder også tilbehør etter panteloven § 1-3.",
            "Dokumentet tinglyses elektronisk hos Kartverket."),
        g.p(f"Lånet gjelder {g.p('kjøp av', 'refinansiering av')} {g.kind()}.", "", ""),
        g.place_date(c.contract + timedelta(days=g.r.randint(0, 10))),
        g.signatures("Pantsetter", "Panthaver"),
    )


def grunnbok(g: Gen) -> str:
    c = g.c
    prev_owner = Case.person(g.r)
    bought = date(g.r.randint(1975, 2020), g.r.randint(1, 12), g.r.randint(1, 28))
    owners = g.sellers()
    g.field("seller", owners, f"Hjemmelshaver: {owners}", f"Hjemmelshaver: {owners.upper()}")
    upper = g.chance(.5)
    mortgage = int(c.price * 0.6) // 100_000 * 100_000
    lines = [
        g.p("GRUNNBOKSUTSKRIFT", "Utskrift fra grunnboken", "Grunnbok – utskrift", "Bekreftet grunnboksutskrift",
            "Eiendomsopplysninger fra Kartverket", train=("Grunnboksutskrift (elektronisk)",)),
        g.p("Kartverket", "Statens kartverk – tinglysing", ""),
        f"Utskriftsdato: {g.dated(c.doc_date)}",
        f"Kommune: {g.r.randint(301, 5600):04d} {c.municipality.upper() if upper else c.municipality}",
        g.field("municipality", c.municipality, f" {c.municipality.upper() if upper else c.municipality}\n"),
        g.gnr(),
        g.p(f"Adresse: {g.addr()}", ""),
        "HJEMMELSOPPLYSNINGER" if upper else "Hjemmelsopplysninger",
        f"Hjemmelshaver: {owners.upper() if upper else owners}, andel 1/1",
        f"Tinglyst: {g.d(bought)}  Dokumentnr: {g.r.randint(100000, 999999)}  Skjøte  "
        f"Vederlag: NOK {money(g.r.randint(8, 60) * 100_000)}",
        f"Tidligere hjemmelshaver: {prev_owner}" if g.chance(.4) else "",
        "HEFTELSER" if upper else "Heftelser",
        f"{g.d(bought + timedelta(days=3))}  Pantedokument  Beløp: NOK {money(mortgage)}  Panthaver: {c.bank}",
        g.p(f"{g.d(bought)}  Erklæring/avtale  Bestemmelse om veg", "Servitutt: Bestemmelse om vannledning",
            "Registrert urådighet: ingen", ""),
        g.p("GRUNNDATA\nBestemmelse om konsesjon", "Ingen registrerte utleggsforretninger.", ""),
        g.p("Utskriften viser grunnbokens innhold på utskriftstidspunktet.",
            "Denne utskriften er ikke bekreftet dersom den ikke er påført stempel.", ""),
    ]
    return join(*lines)


def faktura(g: Gen) -> str:
    c = g.c
    supplier, services = g.r.choice(SUPPLIERS)
    if g.chance(.25):  # the brokerage bills its own client
        supplier, services = c.firm, ("Oppgjørshonorar", "Tilretteleggingsgebyr", "Markedspakke", "Visninger")
    reminder = g.chance(.15)
    lines, subtotal = [], 0
    for service in g.some(list(services), 1, len(services)):
        amount = g.r.randint(5, 180) * 100
        subtotal += amount
        lines.append(f"{service:<36} {g.r.randint(1, 3)}  {g.kr(amount)}")
    vat = subtotal // 4
    total = subtotal + vat
    g.field("amount", str(total))
    issued = c.doc_date
    g.field("document_date", issued.isoformat())
    number = g.r.randint(10000, 99999)
    customer = c.firm if g.chance(.6) else g.sellers()
    if reminder:
        g.tags.add("Haster")
    return join(
        supplier + (f"\nOrg.nr. {g.orgnr()} MVA" if g.chance(.7) else ""),
        g.p("FAKTURA", f"Faktura nr. {number}", "Invoice / Faktura", "Faktura", "Regning",
            train=("Faktura (kopi)",)) if not reminder else
        g.p("PURRING – ubetalt faktura. Haster!", f"Betalingspåminnelse faktura {number} – haster",
            "Purring: Forfalt faktura, betal snarest"),
        f"Kunde: {customer}",
        g.p(f"Fakturadato: {g.d(issued)}", f"Dato: {g.d(issued)}"),
        g.p(f"Forfallsdato: {g.d(issued + timedelta(days=14))}", f"Forfall: {g.d(issued + timedelta(days=14))}",
            "Betalingsbetingelser: 14 dager netto"),
        f"Fakturanr: {number}" if g.chance(.5) else f"Kundenr: {g.r.randint(1000, 9999)}",
        g.p(f"Gjelder: {g.kind()} i {g.addr()}", f"Prosjekt: {c.street} {c.number}", f"Deres ref: {c.broker}", ""),
        g.p("Beskrivelse                          Antall  Beløp", "Spesifikasjon", ""),
        *lines,
        f"Sum eks. mva: {g.kr(subtotal)}",
        f"Mva 25 %: {g.kr(vat)}",
        g.p(f"Å betale: {g.kr(total)}", f"Sum inkl. mva: {g.kr(total)}", f"Totalt å betale: {g.kr(total)}"),
        g.p(f"Betales til konto {g.account()}, KID {g.r.randint(10**8, 10**9)}.",
            f"Kontonummer: {g.account()}  KID: {g.r.randint(10**8, 10**9)}",
            "Ved for sen betaling påløper forsinkelsesrente etter forsinkelsesrenteloven."),
    )


def korrespondanse(g: Gen) -> str:
    c = g.c
    buyer = c.buyers[0]
    day = c.doc_date
    topic = g.r.randint(0, 9)
    sender, receiver = (buyer, c.broker) if topic in (0, 1, 5) else (c.broker, c.sellers[0])
    paper = g.r.choice(("kjøpekontrakten", "oppdragsavtalen", "egenerklæringsskjemaet", "oppgjørsoppstillingen",
                        "tilstandsrapporten", "skjøtet", "salgsoppgaven", "energiattesten"))
    s_mail = g.email(sender) if sender == buyer else g.broker_email()
    r_mail = g.broker_email() if receiver == c.broker else g.email(receiver)
    street = f"{c.street} {c.number}"
    bodies = {
        0: (f"Visning {street}", g.p(
            f"Vi var på visning i {street} på søndag og er interessert. Er det mulig å få en privat visning før budfristen?",
            f"Takk for visningen i går. Vi lurer på når taket på {g.it()} sist ble skiftet, og om det finnes ferdigattest.",
            "Kan du sende over tilstandsrapporten og egenerklæringen? Vi finner dem ikke på FINN.")),
        1: (f"Spørsmål om {street}", g.p(
            f"Vi har fått finansieringsbevis fra {c.bank} og vurderer å gi bud. Hvor mye er felleskostnadene?",
            f"Er det mulig å overta {g.it()} tidligere enn {g.d(c.takeover)}?",
            "Hvor mange har meldt interesse? Vi vil gjerne bli holdt orientert om budrunden.")),
        2: (f"Status salg {street}", g.p(
            f"Her er en kort status: {g.r.randint(8, 40)} personer var på visning, og {g.r.randint(2, 6)} har bedt om "
            "budskjema. Jeg forventer bud før fristen i morgen.",
            "Annonsen har hatt over 3000 visninger på FINN denne uken. Jeg foreslår at vi holder en ekstra visning "
            "neste søndag.",
            f"Fotografen kommer {g.d(day + timedelta(days=3))} kl. 10. Det er fint om {g.it()} er ryddet.")),
        3: ("Dokumenter til salget", g.p(
            "Jeg trenger kopi av ferdigattest og eventuelle byggetegninger før vi kan publisere salgsoppgaven.",
            "Husk å fylle ut egenerklæringen i portalen. Takstmannen kommer på befaring i neste uke.",
            "Kan du sende meg nøkler til boden og el-skapet før fotograferingen?")),
        4: (f"Overtakelse {street}", g.p(
            f"Overtakelsen er satt til {g.d(c.takeover)}. Husk å lese av strømmen og legge igjen alle nøkler."
            + (g.field("takeover_date", c.takeover.isoformat()) or ""),
            "Kjøper har varslet at de vil gjennomføre overtakelsesbefaring sammen med deg. Passer kl. 12?",
            "Oppgjøret blir gjort så snart skjøtet er tinglyst. Jeg gir beskjed når pengene er utbetalt.")),
        5: ("Reklamasjon", g.p(
            "Etter innflytting har vi oppdaget fukt i kjelleren. Dette var ikke opplyst. Hva gjør vi nå?",
            "Varmepumpen fungerer ikke, og vi mener dette er en mangel. Vi ber om et møte med selger.",
            "Oppvaskmaskinen som skulle følge med er fjernet. Vi ber om at dette rettes opp.")),
        6: ("Finansiering", g.p(
            f"{c.bank} har bekreftet finansieringen for kjøperne. Vi avventer kun signert kontrakt.",
            "Banken ber om kopi av kjøpekontrakten og oppgjørsoppstillingen før de utbetaler lånet.",
            "Jeg har vært i kontakt med banken til kjøper; lånedokumentene kommer i løpet av uken.")),
        7: ("Prisantydning", g.p(
            "Markedet har kjølnet de siste ukene. Jeg anbefaler at vi justerer prisantydningen ned litt.",
            "Jeg har sett på sammenlignbare salg i området, og mener prisantydningen ligger riktig.",
            f"Vi bør vurdere å senke prisen til {g.kr(c.price - 200_000)} for å få fart på salget.")),
        8: (f"{paper.capitalize()} {street}", g.p(
            f"Vedlagt følger {paper} for {street}. Les gjennom og signer med BankID innen fredag.",
            f"Her er {paper}. Gi beskjed om du har merknader før vi sender den videre.",
            f"Jeg har oppdatert {paper} etter samtalen vår. Ny versjon ligger vedlagt.")),
        9: ("Faktura fra fotograf", g.p(
            "Vi har mottatt fakturaen fra fotografen. Kan den trekkes i oppgjøret ved salget?",
            "Fakturaen for styling er sendt til deg ved en feil. Jeg sørger for at den blir kreditert.",
            "Husk at fakturaen fra takstmannen forfaller neste uke.")),
    }
    subject, body = bodies[topic]
    extra = g.p("Ha en fin dag!", "Ring meg gjerne om noe er uklart.", f"Du når meg på {g.phone()}.", "", "")
    if g.chance(.7):
        return join(
            g.mail_header(sender, s_mail, receiver, r_mail, g.p(subject, f"Re: {subject}", f"SV: {subject}"), day),
            "",
            g.greeting(receiver),
            "",
            body,
            g.urgent(0.3),
            extra,
            "",
            g.goodbye(sender),
            g.p(f"{c.firm}\nTlf. {g.phone()}", "", "") if sender == c.broker else "",
        )
    # a letter
    g.field("document_date", day.isoformat())
    return join(
        g.letterhead(),
        f"{receiver}\n{g.r.choice(STREETS)} {g.r.randint(1, 90)}\n{g.r.choice(PLACES)[0]} {c.place}" if g.chance(.5) else "",
        f"{c.place}, {g.d(day)}",
        g.p(f"Vedrørende {subject.lower()}", f"Angående {street}", f"Ad: {subject}"),
        g.greeting(receiver),
        body,
        g.p("Vi ser frem til å høre fra deg.", "Ta gjerne kontakt ved spørsmål.", ""),
        g.urgent(0.15),
        g.goodbye(sender),
    )


def annet(g: Gen) -> str:
    c = g.c
    kind = g.r.randint(0, 12)
    day = c.doc_date
    people = [Case.person(g.r) for _ in range(4)]
    if kind == 10:  # a lease looks like a contract of sale
        rent = g.r.randint(70, 250) * 100
        return join(g.p("HUSLEIEKONTRAKT", "Leiekontrakt for bolig", "Avtale om leie av bolig"),
                    f"Utleier: {g.sellers()}", f"Leier: {people[0]}",
                    f"Leieobjekt: {g.kind()} i {g.addr()}",
                    f"Husleie: {g.kr(rent)} per måned. Depositum: {g.kr(rent * 3)}.",
                    f"Leieforholdet starter {g.d(day)} og er tidsbestemt til tre år, jf. husleieloven § 9-3.",
                    g.p("Leier kan ikke fremleie uten utleiers samtykke.", "Husdyr er ikke tillatt.", ""),
                    g.signatures("Utleier", "Leier"))
    if kind == 11:
        return join(g.p("FERDIGATTEST", "Ferdigattest", "Vedtak om ferdigattest"),
                    f"{g.kommune().split()[0]} kommune – Plan- og bygningsetaten",
                    f"Eiendom: {g.gnr()}, {g.addr()}", f"Tiltakshaver: {g.sellers()}",
                    g.p("Tiltak: Oppføring av tilbygg.", "Tiltak: Bruksendring fra bod til oppholdsrom.",
                        "Tiltak: Ny enebolig med garasje."),
                    "Det bekreftes at tiltaket er ferdigstilt i samsvar med tillatelsen, jf. plan- og bygningsloven § 21-10.",
                    f"Dato: {g.dated(day)}")
    if kind == 12:  # an insurance certificate with a premium and a due date
        return join(g.p("Forsikringsbevis", "Forsikringsbevis – husforsikring", "Bekreftelse på forsikring"),
                    f"Forsikringstaker: {g.sellers()}", f"Forsikringssted: {g.addr()}",
                    g.p("Dekning: Fullverdi bygning", "Husforsikring Pluss", "Bygningsforsikring"),
                    f"Årspremie: {g.kr(g.r.randint(40, 180) * 100)}",
                    f"Forfallsdato for premie: {g.d(day + timedelta(days=30))}",
                    "Egenandel: kr 10 000", "Vilkår: Bygning 2025")
    if kind == 0:
        return join(g.p("Referat fra kontormøte", "Møtereferat", "Referat – ukemøte"), f"Dato: {g.dated(day)}",
                    f"Til stede: {', '.join(people)}",
                    g.p("1. Salgstall forrige måned\n2. Nye rutiner for nøkkelhåndtering\n3. Eventuelt",
                        "Sak 1: Sommeravvikling. Sak 2: Oppdatering av nettsiden. Sak 3: Julebord.",
                        "Gjennomgang av aktive oppdrag og fordeling av visninger."),
                    f"Neste møte: {g.d(day + timedelta(days=7))}", f"Referent: {people[0]}")
    if kind == 1:
        return join(g.p("HMS-rutine for visninger", "Rutine: Alenearbeid ved visning", "Sikkerhet ved visning"),
                    "Megler skal alltid melde fra til kontoret før og etter en visning.",
                    g.p("Ved ubehagelige situasjoner skal visningen avbrytes.", "Ta med mobiltelefon med fullt batteri.",
                        "Registrer alle besøkende med navn og telefonnummer."),
                    f"Sist revidert: {g.d(day)}", f"Ansvarlig: {people[1]}")
    if kind == 2:
        applicant = people[2]
        return join(g.p("NABOVARSEL", "Nabovarsel om byggearbeider", "Varsel om tiltak"),
                    f"Tiltakshaver: {applicant}",
                    f"Gjelder {g.gnr()} i {g.kommune()}",
                    g.p("Det søkes om oppføring av garasje på 50 m² nær nabogrensen.",
                        "Tiltaket gjelder tilbygg og ny terrasse.", "Det søkes om dispensasjon fra reguleringsplanen."),
                    "Eventuelle merknader sendes tiltakshaver innen to uker.")
    if kind == 3:
        return join(g.p("Ferieliste sommer", "Ferieoversikt", "Fravær juli"),
                    *[f"{p}: uke {g.r.randint(26, 33)}-{g.r.randint(28, 35)}" for p in people],
                    "Husk å sette opp autosvar på e-posten.")
    if kind == 4:
        return join(g.p("Kursbevis", "Bekreftelse på gjennomført kurs", "Diplom"),
                    f"{people[0]} har gjennomført kurset «{g.p('Hvitvasking for meglere', 'Etterutdanning eiendomsmegling', 'Ny avhendingslov', 'Budgivning og forbrukervern')}»",
                    f"Omfang: {g.r.randint(3, 15)} timer", f"Dato: {g.dated(day)}", "Norges Eiendomsmeglerforbund")
    if kind == 5:
        return join(g.p("Bruksanvisning varmepumpe", "Brukerveiledning", "Drift og vedlikehold – ventilasjonsanlegg"),
                    g.p("Rengjør filteret hver tredje måned.", "Still inn ønsket temperatur med fjernkontrollen.",
                        "Anlegget bør ha service hvert annet år."),
                    "Ved feil: kontakt installatør.", g.p("Garanti: 5 år.", "Modell: Nordic 9000", ""))
    if kind == 6:
        return join(g.p("Vedtekter", "Vedtekter for sameiet", "Husordensregler"),
                    f"for {c.brl}" if c.kind == "borettslag" else g.p(f"Sameiet {c.street} {c.number}", ""),
                    g.p("§ 1 Formål", "1. Ro og orden") + "\n" + g.p(
                        "Det skal være ro i bygget mellom kl. 23 og 07.", "Husdyrhold er tillatt så lenge det ikke er til sjenanse."),
                    g.p("§ 2 Vedlikehold\nHver seksjonseier skal holde sin bruksenhet forsvarlig vedlike.",
                        "2. Søppel\nAvfall skal kastes i felles containere.", ""),
                    f"Vedtatt på årsmøtet {g.d(day)}.")
    if kind == 7:
        return join(g.p("Bestilling av kontorrekvisita", "Innkjøpsliste", "Bestilling"),
                    *g.some(["20 pakker kopipapir", "Kaffe og te", "Skilt «Visning»", "Penner med logo", "Nøkkelbokser",
                             "Skoovertrekk til visninger"], 2, 5),
                    f"Bestilt av {people[0]}", f"Leveringsadresse: {c.firm_address}")
    if kind == 8:
        return join(g.p("Situasjonskart", "Reguleringsbestemmelser", "Utdrag fra kommuneplanen"),
                    f"{g.gnr()}, {g.kommune()}",
                    g.p("Området er regulert til boligformål.", "Maks tillatt bebygd areal (BYA) er 30 %.",
                        "Byggegrense mot vei er 15 meter."),
                    f"Målestokk 1:{g.r.choice([500, 1000, 2000])}", f"Utskrift {g.d(day)}")
    return join(g.p("Notat", "Internt notat", "Huskeliste"),
                g.p("Ring tilbake til interessenten om visning.", "Bestill nye visittkort.",
                    "Sjekk om alarmen på kontoret er reparert."),
                g.p("Oppdatere CRM med nye kontakter.", "Møte med banken torsdag.", ""),
                f"- {people[0]}")


BUILDERS: dict[str, Callable[[Gen], str]] = {
    "Oppdragsavtale": oppdragsavtale, "Salgsoppgave": salgsoppgave, "Takst/Verdivurdering": takst,
    "Tilstandsrapport": tilstandsrapport, "Energiattest": energiattest, "Egenerklæring": egenerklaering,
    "Budjournal/Aksept": budjournal, "Kjøpekontrakt": kjopekontrakt, "Oppgjørsoppstilling": oppgjor,
    "Skjøte": skjote, "Pantedokument": pantedokument, "Grunnboksutskrift": grunnbok, "Faktura": faktura,
    "Korrespondanse": korrespondanse, "Annet": annet,
}

# ---------------------------------------------------------------------------------------
# Scan noise
# ---------------------------------------------------------------------------------------
OCR_SWAPS = (("rn", "m"), ("m", "rn"), ("l", "1"), ("I", "l"), ("o", "0"), ("æ", "ae"), ("ø", "o"), ("å", "a"),
             ("e", "c"), ("h", "b"), ("i", "í"), ("t", "f"), ("S", "5"))


def ocr_noise(text: str, r: random.Random, rate: float) -> str:
    """What a poor scan does: swapped letters, lost spaces, hyphenated line breaks, stray marks."""
    out = []
    for line in text.split("\n"):
        words = []
        for word in line.split(" "):
            roll = r.random()
            if roll < rate:
                a, b = r.choice(OCR_SWAPS)
                word = word.replace(a, b, 1)
            elif roll < rate * 1.4 and len(word) > 8:
                cut = r.randint(3, len(word) - 3)
                word = f"{word[:cut]}-\n{word[cut:]}"
            elif roll < rate * 1.6:
                word += r.choice(("|", ".", "'", ",", " ."))
            words.append(word)
        sep = "" if r.random() < rate / 2 else " "
        out.append(" ".join(words) if sep else " ".join(words).replace(" ", "", 1))
        if r.random() < rate / 3:
            out.append(r.choice(("", "~", "| |", "_ _ _")))
    return "\n".join(out)


def _named(words: set[str], text: str) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) for word in words)


def tags_of(g: Gen, text: str) -> list[str]:
    tags = set(g.tags)
    if _named(KIND_WORDS[g.c.kind], text):
        tags.update(KINDS[g.c.kind][1])
    elif g.c.kind == "borettslag" and _named({"boligen", "leiligheten"}, text):
        tags.add("Bolig")  # a flat, but nothing says it is in a borettslag
    return sorted(tags)


def page_furniture(g: Gen, text: str) -> str:
    """Footers and page marks that many documents carry and that say nothing about the type."""
    lines = text.split("\n")
    pages = g.r.randint(2, 5)
    for page in range(pages - 1, 0, -1):
        at = len(lines) * page // pages
        lines.insert(at, g.p(f"Side {page} av {pages}", f"- {page} -", f"{page}/{pages}"))
    footer = g.p(
        f"{g.c.firm} | {g.c.firm_address} | Org.nr. {g.orgnr()}",
        "Personopplysninger behandles i samsvar med personvernforordningen (GDPR).",
        f"Dokumentet er generert {g.d(g.c.doc_date)} og er kun gyldig med vedlegg.",
        "Konfidensielt – kun til bruk for partene.",
    )
    return "\n".join(lines) + "\n" + footer


def make(doc_type: str, r: random.Random, mode: str, doc_id: str) -> dict:
    g = Gen(r, mode, Case(r))
    text = BUILDERS[doc_type](g)
    if doc_type not in ("Korrespondanse", "Annet") and r.random() < 0.15:
        # A later page scanned on its own: the title and whatever came before it are gone.
        lines = text.split("\n")
        text = "\n".join(lines[max(2, len(lines) * r.randint(20, 40) // 100):])
    if doc_type not in ("Korrespondanse", "Annet") and r.random() < 0.3:
        text = page_furniture(g, text)
    tags, fields = tags_of(g, text), g.stated(text)
    if r.random() < 0.2:
        text = ocr_noise(text, r, rate=r.uniform(0.03, 0.12))
    return {"id": doc_id, "text": text, "type": doc_type, "tags": tags, "fields": fields}


def eval_set(per_type: int = PER_TYPE, seed: int = EVAL_SEED) -> list[dict]:
    r = random.Random(seed)
    docs = []
    for i in range(per_type):
        for t, doc_type in enumerate(TYPES):
            docs.append(make(doc_type, r, "eval", f"eval-{i * len(TYPES) + t + 1:03d}"))
    return docs


def load_eval() -> list[dict]:
    with EVAL_PATH.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


# How often each type turns up in a brokerage's inbox (the pool is drawn with these weights).
POOL_WEIGHTS = (6, 5, 4, 5, 4, 4, 6, 6, 5, 4, 4, 3, 8, 12, 6)


def training_pool(n: int, seed: int = TRAIN_SEED) -> Iterator[dict]:
    """`n` training documents, lazily; none is textually one of the eval documents."""
    r = random.Random(seed)
    held_out = {d["text"] for d in load_eval()} if EVAL_PATH.exists() else set()
    made = 0
    while made < n:
        doc_type = r.choices(TYPES, weights=POOL_WEIGHTS)[0]
        doc = make(doc_type, r, "train", f"train-{made + 1:06d}")
        if doc["text"] in held_out:
            continue
        made += 1
        yield doc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=int, metavar="N", help="write N training documents to stdout instead")
    parser.add_argument("--seed", type=int, default=TRAIN_SEED, help="seed of the training pool")
    args = parser.parse_args(argv)
    if args.train is not None:
        for doc in training_pool(args.train, args.seed):
            sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
        return 0
    docs = eval_set()
    with EVAL_PATH.open("w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    print(f"wrote {len(docs)} documents to {EVAL_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
