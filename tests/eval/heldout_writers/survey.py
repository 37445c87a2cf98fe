# ruff: noqa: E501  (Norwegian document text reads better unwrapped)
"""Held-out writers for the reports about the building: condition, energy, seller's declaration."""

from __future__ import annotations

from tests.eval.heldout_writers.base import Doc, Sale, dato, matrikkel, where, who

PARTS = (("Våtrom – bad 1. etasje", "Baderom"), ("Drenering", "Drenering"), ("Taktekking og takrenner", "Tak"),
         ("Vinduer og dører", "Vindauge og dører"), ("Elektrisk anlegg", "Elektrisk anlegg"), ("Pipe og ildsted", "Pipe og eldstad"))


def tilstand_tabell(s: Sale) -> Doc:
    """A bokmål condition report: header facts in a pipe table, a table of grades below."""
    r = s.r
    addr, addr_label = where(s, r.randint(0, 4))
    rows = [f"| {nb} | TG{r.choice([0, 1, 1, 2, 2, 3])} | {r.choice(['Ingen avvik', 'Alder', 'Fukt i sokkel', 'Slitasje'])} |" for nb, _ in r.sample(PARTS, 4)]
    lines = [s.takst, "", "TILSTANDSRAPPORT", "Utført etter forskrift til avhendingslova (NS 3600:2018)", "",
             f"| Oppdragsadresse | {addr.replace(chr(10), ' ')} |", f"| Matrikkel | {matrikkel(s, r.randint(0, 3))} |",
             f"| Hjemmelshaver | {who(s.sellers, 0)} |", f"| Befaring | {dato(s.doc_date, r.randint(0, 4))} |", "",
             "Sammendrag", "| Bygningsdel | TG | Merknad |", *rows, "",
             f"Rapporten er gyldig i ett år. Bygningssakkyndig: {s.agent}"]
    return s.doc("Tilstandsrapport", lines, {"address": addr_label, "gnr_bnr": s.gnr_label(), "seller": s.names(s.sellers),
                                             "document_date": s.doc_date.isoformat()})


def tilstand_nn(s: Sale) -> Doc:
    """A nynorsk condition report in prose sections, owner named in the introduction."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 1, 2]))
    body = [f"{nn}: Tilstandsgrad {r.choice([1, 2, 2, 3])}. {r.choice(['Normal slitasje ut frå alder.', 'Det er påvist avvik som bør utbetrast.', 'Ingen merknader.'])}"
            for _, nn in r.sample(PARTS, 3)]
    lines = [f"Tilstandsrapport for {s.kind_word}", addr, "", f"Rapportdato: {dato(s.doc_date, r.randint(0, 4))}", "",
             "1. Innleiing",
             f"Rapporten er bestilt av eigar, {who(s.sellers, r.choice([0, 2]))}, i samband med sal. Synfaringa vart gjort saman med eigar.",
             f"Eigedomen er registrert som {matrikkel(s, r.choice([0, 3]))} i {s.municipality} kommune.", "",
             "2. Bygningsdelar", *body, "",
             f"Takstmann: {s.takst}"]
    return s.doc("Tilstandsrapport", lines, {"address": addr_label, "gnr_bnr": s.gnr_label(), "seller": s.names(s.sellers),
                                             "document_date": s.doc_date.isoformat()})


def energi_enova(s: Sale) -> Doc:
    """A bokmål energy certificate like the national scheme's print-out: grade letter and colour."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 1, 3]))
    lines = ["Energiattest", f"Attestnummer: A{r.randint(2025, 2026)}-{r.randint(100000, 999999)}", "",
             f"Adresse: {addr.replace(chr(10), ', ')}", f"Gnr.: {s.gnr}  Bnr.: {s.bnr}  Seksjonsnr.: {s.snr or '–'}",
             f"Bygningsnr.: {r.randint(100000000, 199999999)}", f"Dato: {dato(s.doc_date, r.randint(0, 4))}", "",
             f"Energikarakter: {r.choice('ABCDEFG')}", f"Oppvarmingskarakter: {r.choice(['grønn', 'lysegrønn', 'gul', 'oransje', 'rød'])}",
             "Energiattesten gjelder i ti år."]
    return s.doc("Energiattest", lines, {"address": addr_label, "gnr_bnr": s.gnr_label(), "document_date": s.doc_date.isoformat()})


def energi_rådgiver(s: Sale) -> Doc:
    """A consultant's energy assessment, matrikkel and address in running text, table of measures."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 2, 3]))
    lines = [f"{r.choice(['Energiråd Vest AS', 'EnergiPartner Nord', 'Klimahus Rådgivning'])} – energimerking av bolig", "",
             f"Rapport datert {dato(s.doc_date, r.randint(0, 4))}", "",
             f"Bygningen i {addr.replace(chr(10), ' ')} ({matrikkel(s, r.choice([0, 1, 2]))}) er vurdert etter energimerkeordningen.",
             f"Beregnet levert energi: {r.randint(90, 310)} kWh/m² per år.", "",
             "| Tiltak | Besparelse |", "| Etterisolering av loft | 1 800 kWh |", "| Luft-til-luft varmepumpe | 4 200 kWh |", "",
             f"Energikarakter {r.choice('CDEF')} – oppvarmingskarakter {r.choice(['gul', 'oransje'])}."]
    return s.doc("Energiattest", lines, {"address": addr_label, "gnr_bnr": s.gnr_label(), "document_date": s.doc_date.isoformat()})


def egen_skjema(s: Sale) -> Doc:
    """A bokmål seller's declaration form: ja/nei questions, the sellers signing at the foot."""
    r = s.r
    addr, addr_label = where(s, r.randint(0, 4))
    qs = ["Kjenner du til om det er utført arbeid på bad/våtrom?", "Kjenner du til om det har vært fukt eller lekkasje?",
          "Kjenner du til skjeggkre eller andre skadedyr?", "Er det gjort endringer uten nødvendig godkjenning?"]
    lines = ["EGENERKLÆRINGSSKJEMA", "Selgers opplysninger om eiendommen", "",
             f"Eiendom: {addr.replace(chr(10), ' ')}", f"Oppdragsansvarlig: {s.agent}", "",
             *[f"{i + 1}. {q}  [{' X'[yes]}] Ja  [{'X '[yes]}] Nei" for i, q in enumerate(qs) for yes in [r.random() < 0.3]], "",
             "Selger(e) bekrefter at opplysningene er riktige.",
             f"Sted/dato: {s.place}, {dato(s.doc_date, r.randint(0, 4))}", "Navn selger(e):", who(s.sellers, 4)]
    return s.doc("Egenerklæring", lines, {"address": addr_label, "seller": s.names(s.sellers), "document_date": s.doc_date.isoformat()})


def egen_nn(s: Sale) -> Doc:
    """A nynorsk declaration in the seller's own words, with a cover line from the office."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 1, 3]))
    lines = [f"{s.firm}", "", "Eigenerklæring frå seljar", "",
             f"Seljar: {who(s.sellers, r.choice([0, 1, 3]))}", f"Eigedom: {addr}", "",
             "Har du kjennskap til feil eller manglar ved bustaden?",
             f"Svar: {r.choice(['Nei, ingen kjende manglar.', 'Det var ein lekkasje under oppvaskkum i 2019, utbetra av røyrleggjar.', 'Taket vart omlagt i 2015.'])}",
             "Er det utført arbeid utan søknad?", "Svar: Nei.", "",
             f"Dato {dato(s.doc_date, r.randint(0, 4))}"]
    return s.doc("Egenerklæring", lines, {"address": addr_label, "seller": s.names(s.sellers), "document_date": s.doc_date.isoformat()})


WRITERS = {
    "Tilstandsrapport": [("h-tilstand-tabell", "nb", tilstand_tabell), ("h-tilstand-nn", "nn", tilstand_nn)],
    "Energiattest": [("h-energi-enova", "nb", energi_enova), ("h-energi-radgiver", "nb", energi_rådgiver)],
    "Egenerklæring": [("h-egen-skjema", "nb", egen_skjema), ("h-egen-nn", "nn", egen_nn)],
}
