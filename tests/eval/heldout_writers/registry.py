# ruff: noqa: E501  (Norwegian document text reads better unwrapped)
"""Held-out writers for the land register: deed, mortgage deed, register print-out."""

from __future__ import annotations

from tests.eval.heldout_writers.base import Doc, Sale, dato, kr, matrikkel, where, who


def skjote_kartverket(s: Sale) -> Doc:
    """A bokmål deed on the register's form: numbered boxes, cadastral table, parties with shares."""
    r = s.r
    lines = ["SKJØTE", "Kartverket – Tinglysing", "", "1. Eiendommen(e)", "| Kommunenr. | Kommunenavn | Gnr. | Bnr. | Fnr. | Snr. |",
             f"| {r.randint(1101, 5444)} | {s.municipality} | {s.gnr} | {s.bnr} | | {s.snr or ''} |", "",
             f"2. Kjøpesum/vederlag: {kr(s.accepted, r.randint(0, 6))}", "",
             "3. Overdras fra (selger/hjemmelshaver)", who(s.sellers, 1), "", "4. Til (kjøper/erverver)", who(s.buyers, r.choice([1, 3])), "",
             "5. Erklæring om konsesjonsfrihet er vedlagt.", "",
             f"Sted og dato: {s.place} {dato(s.doc_date, r.randint(0, 4))}", "Underskrift hjemmelshaver: _______________"]
    return s.doc("Skjøte", lines, {"seller": s.names(s.sellers), "buyer": s.names(s.buyers), "gnr_bnr": s.gnr_label(),
                                   "municipality": s.municipality, "price": str(int(s.accepted)), "document_date": s.doc_date.isoformat()})


def skjote_nn(s: Sale) -> Doc:
    """A nynorsk deed drafted by the office in prose, address and cadastre in one sentence."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 3]))
    lines = ["Skøyte / skjøte", "", f"Underteikna {who(s.sellers, r.choice([0, 2]))}, heretter kalla seljar,",
             f"overdreg med dette eigedomen {matrikkel(s, r.choice([0, 3]))} i {s.municipality} kommune, {addr}, til",
             f"{who(s.buyers, r.choice([0, 2]))}, heretter kalla kjøpar.", "",
             f"Kjøpesummen er avtalt til {kr(s.accepted, r.randint(0, 6))}, og er gjort opp gjennom meklar {s.firm}.", "",
             f"{s.place}, {dato(s.doc_date, r.randint(0, 4))}", "Seljar: ______________________"]
    return s.doc("Skjøte", lines, {"seller": s.names(s.sellers), "buyer": s.names(s.buyers), "gnr_bnr": s.gnr_label(), "address": addr_label,
                                   "municipality": s.municipality, "price": str(int(s.accepted)), "document_date": s.doc_date.isoformat()})


def pant_bank(s: Sale) -> Doc:
    """A bank's bokmål mortgage deed: sum in a box, security listed as cadastre and address."""
    r = s.r
    addr, addr_label = where(s, r.randint(0, 4))
    loan = round(s.accepted * r.uniform(0.5, 0.85), -4)
    lines = [s.bank, "", "PANTEDOKUMENT (PANTOBLIGASJON)", "for tinglysing i fast eiendom", "",
             f"Panthaver: {s.bank}", f"Pantsetter(e): {who(s.buyers, 0)}", "",
             f"Pantebeløp: {kr(loan, r.randint(0, 6))}", "",
             "Pantet omfatter:", f"Kommune: {s.municipality}", matrikkel(s, r.randint(0, 3)), f"Adresse: {addr}", "",
             "Pantet har 1. prioritet.", f"Dato: {dato(s.doc_date, r.randint(0, 4))}"]
    return s.doc("Pantedokument", lines, {"amount": str(int(loan)), "municipality": s.municipality, "gnr_bnr": s.gnr_label(),
                                          "address": addr_label, "document_date": s.doc_date.isoformat()})


def pant_nn(s: Sale) -> Doc:
    """A nynorsk mortgage deed from a local savings bank, the sum written in prose."""
    r = s.r
    loan = round(s.accepted * r.uniform(0.4, 0.9), -4)
    lines = [f"{s.bank} – Pantedokument", "",
             f"Til trygd for lån stor {kr(loan, r.randint(0, 6))} pantset underteikna {who(s.buyers, 0)} eigedomen "
             f"{matrikkel(s, r.randint(0, 3))} i {s.municipality} kommune.", "",
             "Pantet skal ha første prioritet. Panthavar kan krevje pantet realisert ved mishald.", "",
             f"Stad/dato: {s.place}, {dato(s.doc_date, r.randint(0, 4))}", "Underskrift pantsetjar: __________________"]
    return s.doc("Pantedokument", lines, {"amount": str(int(loan)), "municipality": s.municipality, "gnr_bnr": s.gnr_label(),
                                          "document_date": s.doc_date.isoformat()})


def grunnbok_utskrift(s: Sale) -> Doc:
    """A register print-out: section headings, owner under HJEMMELSOPPLYSNINGER, mortgages listed."""
    r = s.r
    loan = round(s.asking * r.uniform(0.3, 0.7), -4)
    lines = ["Utskrift fra grunnboken", f"Utskriftsdato: {dato(s.doc_date, r.choice([0, 3]))}", "",
             "EIENDOMMEN", f"Kommune: {r.randint(1101, 5444)} {s.municipality}", f"Gnr: {s.gnr} Bnr: {s.bnr}{' Snr: ' + str(s.snr) if s.snr else ''}", "",
             "HJEMMELSOPPLYSNINGER", *[f"{r.randint(1990, 2021)}/{r.randint(10000, 999999)}-1/200 Hjemmel til grunn  {p.name}  Andel: {p.share}" for p in s.sellers], "",
             "HEFTELSER", f"{r.randint(2005, 2022)}/{r.randint(10000, 999999)}-1/200 Pantedokument Beløp: {kr(loan, 3)} Panthaver: {s.bank}",
             "Bestemmelse om veg", ""]
    return s.doc("Grunnboksutskrift", lines, {"gnr_bnr": s.gnr_label(), "municipality": s.municipality, "seller": s.names(s.sellers),
                                              "document_date": s.doc_date.isoformat()})


def grunnbok_megler(s: Sale) -> Doc:
    """The office's summary of a register check, address and owners in a short table."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 1, 2]))
    lines = [f"{s.firm} – grunnboksutskrift (sammendrag)", f"Hentet {dato(s.doc_date, r.randint(0, 4))} av {s.agent}", "",
             f"| Eiendom | {matrikkel(s, r.randint(0, 3))}, {s.municipality} kommune |", f"| Adresse | {addr.replace(chr(10), ' ')} |",
             f"| Hjemmelshaver(e) | {who(s.sellers, r.choice([0, 1]))} |", "| Heftelser | 2 (pant, veirett) |", "",
             "Merk: Utskriften er ikke bekreftet av Kartverket."]
    return s.doc("Grunnboksutskrift", lines, {"gnr_bnr": s.gnr_label(), "municipality": s.municipality, "seller": s.names(s.sellers),
                                              "address": addr_label, "document_date": s.doc_date.isoformat()})


WRITERS = {
    "Skjøte": [("h-skjote-kartverket", "nb", skjote_kartverket), ("h-skjote-nn", "nn", skjote_nn)],
    "Pantedokument": [("h-pant-bank", "nb", pant_bank), ("h-pant-nn", "nn", pant_nn)],
    "Grunnboksutskrift": [("h-grunnbok-utskrift", "nb", grunnbok_utskrift), ("h-grunnbok-megler", "nb", grunnbok_megler)],
}
