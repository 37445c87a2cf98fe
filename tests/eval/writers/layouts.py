# ruff: noqa: E501, F403, F405  (the writers' kit of common.py; Norwegian prose and data; wrapping it would only hurt reading)
"""Writers of the failure classes issue 17 names: parties in a table's rows and one a line,
"&" between parties, a unit in the address and the place on its own line, prices without
"kr", dates with slashes, "g.nr./b.nr." and "matrikkel", compounds in the title
("Skadetakst", "Salgsprospekt"), a bid journal with an asking price and an accepted bid,
and an "Annet" note that names other types in passing."""

from __future__ import annotations

from tests.eval.writers.common import *


def _unit_address(c: Case) -> str:
    """Street and number, the unit, then postcode and place on the next line."""
    return f"{c.street} {c.number}{', ' + c.unit if c.unit else ''}\n{c.post} {c.place}"


def oppdrag_e(c: Case) -> Doc:
    """Bokmål assignment with a party table: a header row, then one row per party."""
    lines = [letterhead(c, 1), "", "Megleroppdrag – salg av fast eiendom", "",
             "| Oppdragsgiver | Fødselsdato | Eierandel |",
             *[f"| {p.name} | {p.born:%d/%m/%Y} | {p.share} |" for p in c.sellers],
             "", "Eiendommen", _unit_address(c),
             f"Matrikkel: {c.r.randint(1000, 5400)}-{c.gnr}/{c.bnr}",
             kv("Prisantydning", f"{int(c.asking):,}".replace(",", " "), "table"),
             kv("Provisjon", "1,4 % av salgssum", "table"),
             kv("Dato", f"{c.doc_date:%d/%m/%Y}", "line")]
    return finish(c, "Oppdragsavtale", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(),
                                               "gnr_bnr": f"{c.gnr}/{c.bnr}", "price": str(int(c.asking)),
                                               "document_date": c.doc_date.isoformat()})


def takst_d(c: Case) -> Doc:
    """Nynorsk damage or plot appraisal: compound title, owners one a line, dot leaders."""
    title = "Tomtetakst" if c.kind == "tomt" else "Skadetakst"
    lines = [title, c.appraiser, "", "Heimelshavarar:" if len(c.sellers) > 1 else "Heimelshavar:",
             *[f"{p.name} (f. {p.born:%d.%m.%Y})" for p in c.sellers],
             kv("Adresse", f"{c.street} {c.number}, {c.post} {c.place}", "dots"),
             kv("Eigedom", f"g.nr. {c.gnr} b.nr. {c.bnr}", "dots"),
             kv("Marknadsverdi", f"{int(c.asking):,}".replace(",", " "), "dots"),
             kv("Synfaringsdato", d(c.doc_date - c.doc_date.resolution * 3, 0), "dots"),
             kv("Utferda", f"{c.doc_date:%d-%m-%Y}", "dots")]
    return finish(c, "Takst/Verdivurdering", lines, {"seller": c.names_label(c.sellers),
                                                     "address": c.address_label(), "gnr_bnr": f"{c.gnr}/{c.bnr}",
                                                     "price": str(int(c.asking)), "document_date": c.doc_date.isoformat()})


def bud_d(c: Case) -> Doc:
    """A bid journal: the asking price first, bids in a table, the accepted bid last; buyers with "&"."""
    buyers = " & ".join(p.name for p in c.buyers)
    bids = [c.asking * 0.95, c.asking, c.accepted]
    lines = ["Budjournal", kv("Objekt", f"{c.street} {c.number}, {c.post} {c.place}", "line"),
             kv("Prisantydning", money(c.asking, 4), "line"), "",
             "| Bud nr | Budgiver | Beløp | Status |",
             *[f"| {i + 1} | {'Budgiver ' + str(i + 1) if i < 2 else buyers} | {money(b, 4)} | {'avslått' if i < 2 else 'akseptert'} |"
               for i, b in enumerate(bids)],
             kv("Kjøper", buyers, "line"), kv("Dato", d(c.doc_date, 0), "line")]
    return finish(c, "Budjournal/Aksept", lines, {"buyer": c.names_label(c.buyers), "address": c.address_label(),
                                                  "price": str(int(c.accepted)), "document_date": c.doc_date.isoformat()})


def annet_e(c: Case) -> Doc:
    """An internal note that names a prospectus and a contract in passing; letterhead first."""
    lines = [letterhead(c, 0), "", "Notat", kv("Dato", d(c.doc_date, 2), "line"),
             kv("Gjelder", f"{c.street} {c.number}, {c.place}", "line"),
             "Salgsprospektet er sendt til korrektur. Kjøpekontrakten settes opp når budrunden er ferdig.",
             f"Ansvarlig: {c.broker}"]
    return finish(c, "Annet", lines, {"address": c.address_label(with_post=False), "document_date": c.doc_date.isoformat()})


WRITERS = {
    "Oppdragsavtale": (("oppdrag-e", "nb", oppdrag_e),),
    "Takst/Verdivurdering": (("takst-d", "nn", takst_d),),
    "Budjournal/Aksept": (("bud-d", "nb", bud_d),),
    "Annet": (("annet-e", "nb", annet_e),),
}
