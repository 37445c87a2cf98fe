# ruff: noqa: E501, F403, F405  (the writers' kit of common.py; Norwegian prose; wrapping it would only hurt reading)
"""Writers of the selling phase: assignment agreements, prospectuses, bid journals."""

from __future__ import annotations

from tests.eval.writers.common import *


def oppdrag_a(c: Case) -> Doc:
    """Bokmål form, one "label: value" line each, letterhead first."""
    a, sig = c.r.choice([0, 2]), signed(c)
    lines = [letterhead(c, 0), "", "OPPDRAGSAVTALE", f"Oppdrag om salg av {c.kind_word}",
             kv("Oppdragsgiver", parties(c.sellers, c.r.choice([0, 1])), "line"),
             kv("Eiendommen", address(c, a), "line"), f"Gnr. {c.gnr}, bnr. {c.bnr}" + (f", snr. {c.snr}" if c.snr else ""),
             kv("Prisantydning", money(c.asking, c.r.randint(0, 3)), "line"),
             kv("Vederlag", f"provisjon 1,5 % av salgssum, minimum {money(45000, 0)}", "line"),
             "Oppdragstiden er seks måneder fra signering.", kv("Dato", d(c.doc_date, 0), "line"), sig[0]]
    return finish(c, "Oppdragsavtale", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(),
                                               "gnr_bnr": c.gnr_bnr_label(), "price": str(int(c.asking)),
                                               "document_date": c.doc_date.isoformat()}, *sig[1])


def oppdrag_b(c: Case) -> Doc:
    """Nynorsk form, label above value."""
    a = c.r.choice([1, 3])
    lines = ["Oppdragsavtale om sal av fast eigedom", c.firm, "",
             kv("Oppdragsgjevarar" if len(c.sellers) > 1 else "Oppdragsgjevar", parties(c.sellers, 2), "below"),
             kv("Eigedomen", address(c, a), "below"), kv("Kommune", c.municipality, "below"),
             kv("Gnr./bnr.", f"{c.gnr}/{c.bnr}" + (f"/0/{c.snr}" if c.snr else ""), "below"),
             f"Type eigedom: {c.kind_word}", kv("Prisantyding", money(c.asking, 4), "below"),
             "Oppdraget gjeld i seks månader.", kv("Stad og dato", f"{c.place}, {d(c.doc_date, 1)}", "below")]
    return finish(c, "Oppdragsavtale", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(),
                                               "municipality": c.municipality, "gnr_bnr": c.gnr_bnr_label(),
                                               "price": str(int(c.asking)), "document_date": c.doc_date.isoformat()})


def oppdrag_c(c: Case) -> Doc:
    """Bokmål table of cells, the client's home address in the recipient block."""
    a = c.r.choice([0, 4])
    lines = [letterhead(c, 1), recipient(c, c.sellers[0]), "", "Avtale om eiendomsmegling (oppdragsavtale)",
             "| Felt | Opplysning |", "|---|---|",
             kv("Selgere" if len(c.sellers) > 1 else "Selger", parties(c.sellers, c.r.choice([0, 1])), "table"),
             kv("Oppdragsobjekt", address(c, a), "table"), kv("Gårdsnr.", str(c.gnr), "table"),
             kv("Bruksnr.", str(c.bnr), "table"), kv("Objekttype", c.kind_word, "table"),
             kv("Prisantydning", money(c.asking, c.r.choice([0, 4])), "table"),
             kv("Tilretteleggingsgebyr", money(12500, 0), "table"), kv("Dato", d(c.doc_date, 2), "table")]
    return finish(c, "Oppdragsavtale", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(address_has_post(a)),
                                               "gnr_bnr": f"{c.gnr}/{c.bnr}", "price": str(int(c.asking)),
                                               "document_date": c.doc_date.isoformat()})


def oppdrag_d(c: Case) -> Doc:
    """Bokmål prose: the parties in a sentence, the price in "kroner", the firm's address at the foot."""
    a = c.r.choice([0, 2, 3])
    lines = ["Avtale om salg av eiendom – megleroppdrag", "",
             f"Undertegnede, {parties(c.sellers, 0)}, gir med dette {c.firm} i oppdrag å selge vår {c.kind_word} "
             f"beliggende {address(c, a)}, gnr. {c.gnr} bnr. {c.bnr}.",
             f"Prisantydningen fastsettes til {int(c.asking):,} kroner.".replace(",", " "),
             "Megler får en provisjon på 1,6 % av oppnådd salgssum. Oppdraget løper i seks måneder.",
             f"{c.place}, {d(c.doc_date, 1)}", "", f"{c.firm}, {c.firm_address}"]
    return finish(c, "Oppdragsavtale", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(),
                                               "gnr_bnr": f"{c.gnr}/{c.bnr}", "price": str(int(c.asking)),
                                               "document_date": c.doc_date.isoformat()})


def salg_a(c: Case) -> Doc:
    """Bokmål prospectus, key facts as lines."""
    lines = ["SALGSOPPGAVE", f"{c.kind_word.capitalize()} med solrik terrasse og gode parkeringsforhold",
             kv("Adresse", address(c, c.r.choice([0, 2])), "line"), kv("Prisantydning", money(c.asking, 0), "line"),
             kv("Omkostninger", money(c.asking * 0.026, 0), "line"), kv("Totalpris", money(c.asking * 1.026, 0), "line"),
             f"Matrikkel: gnr. {c.gnr} bnr. {c.bnr} i {c.municipality} kommune", "Visning etter avtale med megler.",
             f"Ansvarlig megler: {c.broker}, {c.firm}"]
    return finish(c, "Salgsoppgave", lines, {"address": c.address_label(), "price": str(int(c.asking)),
                                             "gnr_bnr": f"{c.gnr}/{c.bnr}", "municipality": c.municipality})


def salg_b(c: Case) -> Doc:
    """Bokmål "salgsprospekt", the broker's address first, facts label above value."""
    a = c.r.choice([1, 3])
    lines = [letterhead(c, 0), "", f"Salgsprospekt – {c.street} {c.number}", "Nøkkelinfo",
             kv("Eiendomstype", c.kind_word, "below"), kv("Beliggenhet", address(c, a), "below"),
             kv("Pris", money(c.asking, c.r.choice([1, 4])), "below"), kv("Kommune", c.municipality, "below"),
             kv("Gnr/bnr", f"{c.gnr}/{c.bnr}", "below"), kv("Felleskostnader", money(3400, 0) + " per måned", "below"),
             "Boligen selges som den er, jf. avhendingsloven § 3-9."]
    return finish(c, "Salgsoppgave", lines, {"address": c.address_label(), "price": str(int(c.asking)),
                                             "gnr_bnr": f"{c.gnr}/{c.bnr}", "municipality": c.municipality})


def salg_c(c: Case) -> Doc:
    """Nynorsk "salsoppgåve" with a facts table."""
    a = c.r.choice([0, 4])
    lines = ["Salsoppgåve", f"Velkomen til visning av denne {c.kind_word}!", "| Opplysning | Verdi |",
             kv("Adresse", address(c, a), "table"), kv("Prisantyding", money(c.asking, c.r.choice([4, 5])), "table"),
             kv("Omkostnader", money(c.asking * 0.025, 4), "table"), kv("Gardsnr./bruksnr.", f"{c.gnr}/{c.bnr}", "table"),
             kv("Kommune", c.municipality, "table"), f"Meklar: {c.broker}, {c.firm}"]
    return finish(c, "Salgsoppgave", lines, {"address": c.address_label(address_has_post(a)), "price": str(int(c.asking)),
                                             "gnr_bnr": f"{c.gnr}/{c.bnr}", "municipality": c.municipality})


def _bids(c: Case) -> list[tuple[str, float]]:
    """Rising bids, the last one accepted."""
    bids, amount = [], c.asking * 0.9
    while amount < c.accepted:
        bids.append(amount)
        amount = round(amount + c.r.choice([25000, 50000, 100000]), -4)
    return [(f"{c.doc_date:%d.%m.%Y} kl. {12 + i}:{c.r.randint(10, 59)}", b) for i, b in enumerate(bids + [c.accepted])]


def bud_a(c: Case) -> Doc:
    """Bokmål bid journal as a table; the asking price above it."""
    bids = _bids(c)
    rows = [f"| {t} | Budgiver {i + 1} | {money(b, 0)} | {'Akseptert' if i == len(bids) - 1 else 'Overbudt'} |"
            for i, (t, b) in enumerate(bids)]
    lines = ["BUDJOURNAL", kv("Eiendom", address(c, c.r.choice([0, 2])), "line"),
             kv("Selger", parties(c.sellers, 0), "line"), kv("Prisantydning", money(c.asking, 0), "line"),
             "| Tidspunkt | Budgiver | Beløp | Status |", *rows,
             kv("Kjøper", parties(c.buyers, 0), "line"), kv("Utskriftsdato", d(c.doc_date, 0), "line")]
    return finish(c, "Budjournal/Aksept", lines, {"address": c.address_label(), "seller": c.names_label(c.sellers),
                                                  "buyer": c.names_label(c.buyers), "price": str(int(c.accepted)),
                                                  "document_date": c.doc_date.isoformat()})


def bud_b(c: Case) -> Doc:
    """Bokmål letter of acceptance: prose, the home address of the buyer at the top."""
    lines = [recipient(c, c.buyers[0]), "", f"{c.place}, {d(c.doc_date, 1)}", "", "Aksept av bud",
             f"Vi viser til ditt bud på {c.kind_word} i {address(c, 0)}.",
             f"Selgere: {parties(c.sellers, 0)}" if len(c.sellers) > 1 else f"Selger: {c.sellers[0].name}",
             f"Budgiver: {parties(c.buyers, 0)}",
             f"Prisantydningen var {money(c.asking, 0)}. Selger aksepterer herved budet på {money(c.accepted, c.r.choice([0, 1]))}.",
             f"Med vennlig hilsen\n{c.broker}\n{c.firm}"]
    return finish(c, "Budjournal/Aksept", lines, {"address": c.address_label(), "seller": c.names_label(c.sellers),
                                                  "buyer": c.names_label(c.buyers), "price": str(int(c.accepted)),
                                                  "document_date": c.doc_date.isoformat()})


def bud_c(c: Case) -> Doc:
    """Nynorsk bid journal, one bid a line, no "kr"."""
    bids = _bids(c)
    rows = [f"{t}  Bod {money(b, 4)}{'  – akseptert' if i == len(bids) - 1 else ''}" for i, (t, b) in enumerate(bids)]
    lines = ["Budjournal", c.firm, kv("Eigedom", address(c, c.r.choice([1, 3])), "below"),
             kv("Seljarar" if len(c.sellers) > 1 else "Seljar", parties(c.sellers, c.r.choice([0, 2])), "line"),
             kv("Prisantyding", money(c.asking, 4), "line"), "Bod i budrunden:", *rows,
             kv("Kjøparar" if len(c.buyers) > 1 else "Kjøpar", parties(c.buyers, 0), "line"), kv("Dato", d(c.doc_date, 0), "line")]
    return finish(c, "Budjournal/Aksept", lines, {"address": c.address_label(), "seller": c.names_label(c.sellers),
                                                  "buyer": c.names_label(c.buyers), "price": str(int(c.accepted)),
                                                  "document_date": c.doc_date.isoformat()})


WRITERS = {
    "Oppdragsavtale": (("oppdrag-a", "nb", oppdrag_a), ("oppdrag-b", "nn", oppdrag_b), ("oppdrag-c", "nb", oppdrag_c),
                       ("oppdrag-d", "nb", oppdrag_d)),
    "Salgsoppgave": (("salg-a", "nb", salg_a), ("salg-b", "nb", salg_b), ("salg-c", "nn", salg_c)),
    "Budjournal/Aksept": (("bud-a", "nb", bud_a), ("bud-b", "nb", bud_b), ("bud-c", "nn", bud_c)),
}
