# ruff: noqa: E501, F403, F405  (the writers' kit of common.py; Norwegian prose; wrapping it would only hurt reading)
"""Writers of registry and money papers: mortgage deeds, land register extracts, invoices."""

from __future__ import annotations

from tests.eval.generate import SUPPLIERS
from tests.eval.writers.common import *


def _loan(c: Case) -> float:
    return round(c.accepted * c.r.uniform(0.5, 0.85), -4)


def pant_a(c: Case) -> Doc:
    loan = _loan(c)
    lines = ["PANTEDOKUMENT", "(pantobligasjon)", kv("Panthaver", c.bank, "line"), kv("Pantsetter", parties(c.buyers, 0), "line"),
             f"Pantet gjelder gnr. {c.gnr} bnr. {c.bnr} i {c.municipality} kommune.",
             kv("Beløp", money(loan, 0), "line"), kv("Dato", d(c.doc_date, 0), "line")]
    return finish(c, "Pantedokument", lines, {"gnr_bnr": f"{c.gnr}/{c.bnr}", "municipality": c.municipality,
                                              "amount": str(int(loan)), "document_date": c.doc_date.isoformat()})


def pant_b(c: Case) -> Doc:
    """Nynorsk mortgage deed, label above value, amount without "kr"."""
    loan = _loan(c)
    lines = ["Pantedokument", kv("Panthavar", c.bank, "below"), kv("Pantsetjarar" if len(c.buyers) > 1 else "Pantsetjar", parties(c.buyers, 2), "below"),
             kv("Eigedom", f"gnr. {c.gnr}, bnr. {c.bnr}", "below"), kv("Kommune", c.municipality, "below"),
             kv("Adresse", address(c, 1), "below"), kv("Pantesikkerheit, beløp", money(loan, 4), "below"),
             kv("Dato", d(c.doc_date, 1), "below")]
    return finish(c, "Pantedokument", lines, {"gnr_bnr": f"{c.gnr}/{c.bnr}", "municipality": c.municipality,
                                              "address": c.address_label(), "amount": str(int(loan)),
                                              "document_date": c.doc_date.isoformat()})


def pant_c(c: Case) -> Doc:
    """Bank's mortgage deed as a table, the bank's letterhead above."""
    loan = _loan(c)
    lines = [f"{c.bank}\nPostboks {c.r.randint(100, 999)}\n0107 Oslo", "", "Pantedokument (pantobligasjon)", "| Felt | Verdi |",
             kv("Eiendom", address(c, 0), "table"), kv("Gnr/bnr", f"{c.gnr}/{c.bnr}", "table"),
             kv("Kommune", c.municipality, "table"), kv("Beløpsgrense", money(loan, c.r.choice([0, 1])), "table"),
             kv("Dato", d(c.doc_date, 2), "table")]
    return finish(c, "Pantedokument", lines, {"gnr_bnr": f"{c.gnr}/{c.bnr}", "municipality": c.municipality,
                                              "address": c.address_label(), "amount": str(int(loan)),
                                              "document_date": c.doc_date.isoformat()})


def grunnbok_a(c: Case) -> Doc:
    lines = ["Grunnboksutskrift", "Kartverket", kv("Kommune", f"0301 {c.municipality}", "line"),
             f"Gårdsnr. {c.gnr} Bruksnr. {c.bnr}", "HJEMMEL TIL GRUNN",
             kv("Hjemmelshaver", parties(c.sellers, 1), "line"), "HEFTELSER", f"Pantedokument, panthaver {c.bank}",
             kv("Utskriftsdato", d(c.doc_date, 0), "line")]
    return finish(c, "Grunnboksutskrift", lines, {"municipality": c.municipality, "gnr_bnr": f"{c.gnr}/{c.bnr}",
                                                  "seller": c.names_label(c.sellers), "document_date": c.doc_date.isoformat()})


def grunnbok_b(c: Case) -> Doc:
    """Nynorsk extract, "Heimelshavar" with birth dates, no "grunnboksutskrift" in one word."""
    lines = ["Utskrift frå grunnboka", kv("Kommune", c.municipality, "below"), kv("Gnr./bnr.", f"{c.gnr}/{c.bnr}", "below"),
             kv("Adresse", address(c, 3), "below"), kv("Heimelshavarar" if len(c.sellers) > 1 else "Heimelshavar", parties(c.sellers, 2), "below"),
             "Heftingar: ingen", kv("Dato", d(c.doc_date, 0), "below")]
    return finish(c, "Grunnboksutskrift", lines, {"municipality": c.municipality, "gnr_bnr": f"{c.gnr}/{c.bnr}",
                                                  "address": c.address_label(), "seller": c.names_label(c.sellers),
                                                  "document_date": c.doc_date.isoformat()})


def grunnbok_c(c: Case) -> Doc:
    """An extract laid out as a table."""
    lines = ["GRUNNBOKSUTSKRIFT – FAST EIENDOM", "| Matrikkel | Opplysning |", kv("Kommune", c.municipality, "table"),
             kv("Gnr", str(c.gnr), "table"), kv("Bnr", str(c.bnr), "table"),
             kv("Hjemmelshaver", parties(c.sellers, 0), "table"), kv("Andel", " / ".join(p.share for p in c.sellers), "table"),
             kv("Dato", d(c.doc_date, 2), "table")]
    return finish(c, "Grunnboksutskrift", lines, {"municipality": c.municipality, "gnr_bnr": f"{c.gnr}/{c.bnr}",
                                                  "seller": c.names_label(c.sellers), "document_date": c.doc_date.isoformat()})


def _lines(c: Case) -> tuple[str, list[tuple[str, int]]]:
    supplier, items = c.r.choice(SUPPLIERS)
    return supplier, [(item, c.r.randint(8, 120) * 100) for item in c.r.sample(items, min(2, len(items)))]


def faktura_a(c: Case) -> Doc:
    supplier, items = _lines(c)
    total = sum(p for _, p in items) * 1.25
    lines = [supplier, "FAKTURA", kv("Fakturanr.", str(c.r.randint(10000, 99999)), "line"), kv("Fakturadato", d(c.doc_date, 0), "line"),
             kv("Kunde", c.firm, "line"), f"Gjelder oppdrag: {address(c, 0)}", *[f"{i}  {money(p, 1)}" for i, p in items],
             kv("Å betale", money(total, 0), "line"), "Forfall 14 dager."]
    return finish(c, "Faktura", lines, {"document_date": c.doc_date.isoformat(), "address": c.address_label(), "amount": str(int(total))})


def faktura_b(c: Case) -> Doc:
    """Invoice table, the customer's address block, a total without "kr"."""
    supplier, items = _lines(c)
    total = sum(p for _, p in items) * 1.25
    lines = [supplier, recipient(c, c.sellers[0]), "", "Faktura", "| Beskrivelse | Beløp |",
             *[f"| {i} | {money(p, 5)} |" for i, p in items], kv("Sum inkl. mva.", money(total, 4), "table"),
             kv("Dato", d(c.doc_date, 0), "line"), kv("Forfallsdato", d(c.doc_date, 0), "line")]
    return finish(c, "Faktura", lines, {"document_date": c.doc_date.isoformat(), "amount": str(int(total))})


def faktura_c(c: Case) -> Doc:
    """Nynorsk invoice from the broker, label above value."""
    fee = round(c.accepted * 0.015, -2)
    lines = [letterhead(c, 2), "Faktura på meklarhonorar", kv("Fakturadato", d(c.doc_date, 1), "below"),
             kv("Oppdrag", address(c, 1), "below"), kv("Provisjon", money(fee, 0), "below"),
             kv("Til betaling", money(fee * 1.25, 1), "below")]
    return finish(c, "Faktura", lines, {"document_date": c.doc_date.isoformat(), "address": c.address_label(),
                                        "amount": str(int(fee * 1.25))})


WRITERS = {
    "Pantedokument": (("pant-a", "nb", pant_a), ("pant-b", "nn", pant_b), ("pant-c", "nb", pant_c)),
    "Grunnboksutskrift": (("grunnbok-a", "nb", grunnbok_a), ("grunnbok-b", "nn", grunnbok_b), ("grunnbok-c", "nb", grunnbok_c)),
    "Faktura": (("faktura-a", "nb", faktura_a), ("faktura-b", "nb", faktura_b), ("faktura-c", "nn", faktura_c)),
}
