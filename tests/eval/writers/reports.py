# ruff: noqa: E501, F403, F405  (the writers' kit of common.py; Norwegian prose; wrapping it would only hurt reading)
"""Writers of reports about the property: appraisals, condition reports, energy
certificates, the seller's self-declaration."""

from __future__ import annotations

from tests.eval.writers.common import *

TG = ("TG0", "TG1", "TG2", "TG3")
ROOMS = ("Bad", "Kjøkken", "Tak", "Drenering", "Vinduer", "Elektrisk anlegg", "Våtrom")


def _value(c: Case) -> float:
    return round(c.asking * c.r.uniform(0.95, 1.05), -4)


def takst_a(c: Case) -> Doc:
    """Bokmål appraisal, lines, the appraiser's letterhead."""
    value = _value(c)
    lines = [c.appraiser, "VERDIVURDERING", kv("Hjemmelshaver", parties(c.sellers, c.r.choice([0, 1])), "line"),
             kv("Adresse", address(c, c.r.choice([0, 2])), "line"), kv("Kommune", c.municipality, "line"),
             f"Gnr. {c.gnr} bnr. {c.bnr}", f"Objekt: {c.kind_word}", kv("Markedsverdi", money(value, c.r.randint(0, 3)), "line"),
             kv("Låneverdi", money(value * 0.85, 0), "line"), kv("Dato", d(c.doc_date, 0), "line")]
    return finish(c, "Takst/Verdivurdering", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(),
                                                      "municipality": c.municipality, "gnr_bnr": f"{c.gnr}/{c.bnr}",
                                                      "price": str(int(value)), "document_date": c.doc_date.isoformat()})


def takst_b(c: Case) -> Doc:
    """Bokmål "tomtetakst"/"skadetakst" as a table, value without "kr"."""
    value, title = _value(c), "Tomtetakst" if c.kind == "tomt" else c.r.choice(["Skadetakst", "Boligtakst", "Verditakst"])
    a = c.r.choice([0, 4])
    lines = [title.upper(), c.appraiser, "| Post | Opplysning |",
             kv("Oppdragsgiver", parties(c.sellers, 2), "table"), kv("Eiendom", address(c, a), "table"),
             kv("Gnr./bnr.", f"{c.gnr}/{c.bnr}", "table"), kv("Type", c.kind_word, "table"),
             kv("Markedsverdi", money(value, 4), "table"), kv("Befaringsdato", d(c.doc_date, 2), "table")]
    return finish(c, "Takst/Verdivurdering", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(address_has_post(a)),
                                                      "gnr_bnr": f"{c.gnr}/{c.bnr}", "price": str(int(value))})


def takst_c(c: Case) -> Doc:
    """Nynorsk appraisal, label above value."""
    value = _value(c)
    lines = ["Verdivurdering av eigedom", c.appraiser, kv("Heimelshavar", parties(c.sellers, 0), "below"),
             kv("Adresse", address(c, c.r.choice([1, 3])), "below"), kv("Kommune", c.municipality, "below"),
             kv("Gnr./bnr.", f"{c.gnr}/{c.bnr}", "below"), f"Eigedomstype: {c.kind_word}",
             kv("Marknadsverdi", money(value, c.r.choice([0, 4])), "below"), kv("Dato", d(c.doc_date, 1), "below")]
    return finish(c, "Takst/Verdivurdering", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(),
                                                      "municipality": c.municipality, "gnr_bnr": f"{c.gnr}/{c.bnr}",
                                                      "price": str(int(value)), "document_date": c.doc_date.isoformat()})


def _grades(c: Case, n: int = 4) -> list[str]:
    return [f"{room}: {c.r.choice(TG)}" for room in c.r.sample(ROOMS, n)]


def tilstand_a(c: Case) -> Doc:
    """Bokmål NS 3600 report, lines."""
    lines = ["TILSTANDSRAPPORT", "Utført etter NS 3600:2018", c.appraiser,
             kv("Oppdragsgiver", parties(c.sellers, 0), "line"), kv("Befaringsadresse", address(c, c.r.choice([0, 2])), "line"),
             kv("Gnr/bnr", f"{c.gnr}/{c.bnr}", "line"), f"Bygningstype: {c.kind_word}", *_grades(c),
             kv("Rapportdato", d(c.doc_date, 0), "line")]
    return finish(c, "Tilstandsrapport", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(),
                                                 "gnr_bnr": f"{c.gnr}/{c.bnr}", "document_date": c.doc_date.isoformat()})


def tilstand_b(c: Case) -> Doc:
    """Nynorsk report, label above value, no postcode sometimes."""
    a = c.r.choice([1, 4])
    lines = ["Tilstandsrapport for bustad", c.appraiser, kv("Oppdragsgjevar", parties(c.sellers, 2), "below"),
             kv("Adresse", address(c, a), "below"), kv("Gardsnummer", str(c.gnr), "below"), kv("Bruksnummer", str(c.bnr), "below"),
             f"Bygningen er ein {c.kind_word}.", *[g.replace("Kjøkken", "Kjøkken") for g in _grades(c)],
             kv("Dato", d(c.doc_date, 3), "below")]
    return finish(c, "Tilstandsrapport", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(address_has_post(a)),
                                                 "gnr_bnr": f"{c.gnr}/{c.bnr}", "document_date": c.doc_date.isoformat()})


def tilstand_c(c: Case) -> Doc:
    """Bokmål "boligsalgsrapport" as a table of findings."""
    lines = [letterhead(c, 2), "Boligsalgsrapport", "| Felt | Verdi |", kv("Hjemmelshaver", parties(c.sellers, 1), "table"),
             kv("Adresse", address(c, 0), "table"), kv("Matrikkel", f"gnr. {c.gnr}, bnr. {c.bnr}", "table"),
             kv("Boligtype", c.kind_word, "table"), "| Bygningsdel | Tilstandsgrad |",
             *[f"| {g.split(': ')[0]} | {g.split(': ')[1]} |" for g in _grades(c, 5)], kv("Dato", d(c.doc_date, 2), "table")]
    return finish(c, "Tilstandsrapport", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(),
                                                 "gnr_bnr": f"{c.gnr}/{c.bnr}", "document_date": c.doc_date.isoformat()})


def energi_a(c: Case) -> Doc:
    lines = ["Energiattest", f"Energimerking av {c.kind_word}", kv("Adresse", address(c, c.r.choice([0, 2])), "line"),
             kv("Gnr.", str(c.gnr), "line") + " " + kv("Bnr.", str(c.bnr), "line"),
             f"Energikarakter: {c.r.choice('ABCDEFG')}", f"Oppvarmingskarakter: {c.r.choice(['grønn', 'gul', 'oransje', 'rød'])}",
             kv("Dato", d(c.doc_date, 0), "line"), "Attesten er gyldig i 10 år."]
    return finish(c, "Energiattest", lines, {"address": c.address_label(), "gnr_bnr": f"{c.gnr}/{c.bnr}",
                                             "document_date": c.doc_date.isoformat()})


def energi_b(c: Case) -> Doc:
    """Nynorsk certificate, label above value."""
    lines = ["ENERGIATTEST", "Energimerking av bygningar", kv("Adresse", address(c, c.r.choice([1, 3])), "below"),
             kv("Gnr./bnr.", f"{c.gnr}/{c.bnr}", "below"), kv("Bygningskategori", c.kind_word, "below"),
             kv("Energikarakter", c.r.choice("ABCDEFG"), "below"), kv("Utferda", d(c.doc_date, 1), "below")]
    return finish(c, "Energiattest", lines, {"address": c.address_label(), "gnr_bnr": f"{c.gnr}/{c.bnr}",
                                             "document_date": c.doc_date.isoformat()})


def energi_c(c: Case) -> Doc:
    """Bokmål certificate as a table, no postcode."""
    lines = ["Energiattest for boligbygg", "| Felt | Verdi |", kv("Adresse", address(c, 4), "table"),
             kv("Gårdsnr.", str(c.gnr), "table"), kv("Bruksnr.", str(c.bnr), "table"),
             kv("Energikarakter", c.r.choice("ABCDEFG"), "table"), kv("Dato", d(c.doc_date, 2), "table")]
    return finish(c, "Energiattest", lines, {"address": c.address_label(False), "gnr_bnr": f"{c.gnr}/{c.bnr}",
                                             "document_date": c.doc_date.isoformat()})


def egen_a(c: Case) -> Doc:
    lines = ["Egenerklæringsskjema", "Selgers egenerklæring om eiendommen", kv("Selger", parties(c.sellers, 0), "line"),
             kv("Eiendommens adresse", address(c, c.r.choice([0, 2])), "line"), f"Boligtype: {c.kind_word}",
             "1. Kjenner du til om det er utført arbeid på bad? Nei", "2. Kjenner du til lekkasjer? Ja, se kommentar",
             kv("Dato", d(c.doc_date, 0), "line")]
    return finish(c, "Egenerklæring", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(),
                                              "document_date": c.doc_date.isoformat()})


def egen_b(c: Case) -> Doc:
    """Nynorsk form: "eigenerklæring", sellers as "Seljarar"."""
    a = c.r.choice([1, 4])
    lines = ["Eigenerklæring frå seljar", kv("Seljarar" if len(c.sellers) > 1 else "Seljar", parties(c.sellers, c.r.choice([1, 2])), "below"),
             kv("Adresse til eigedomen", address(c, a), "below"), f"Eigedomen er ein {c.kind_word}.",
             "Kjenner du til fukt i kjellar? Nei", kv("Dato", d(c.doc_date, 1), "below")]
    return finish(c, "Egenerklæring", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(address_has_post(a)),
                                              "document_date": c.doc_date.isoformat()})


def egen_c(c: Case) -> Doc:
    """Bokmål questions in a table, the seller's home above."""
    lines = [recipient(c, c.sellers[0]), "", "EGENERKLÆRING", "| Spørsmål | Svar |",
             kv("Hjemmelshaver", parties(c.sellers, 0), "table"), kv("Gjelder", address(c, 0), "table"),
             kv("Type", c.kind_word, "table"), "| Er det gjort endringer uten godkjenning? | Nei |",
             kv("Utfylt dato", d(c.doc_date, 0), "table")]
    return finish(c, "Egenerklæring", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(),
                                              "document_date": c.doc_date.isoformat()})


WRITERS = {
    "Takst/Verdivurdering": (("takst-a", "nb", takst_a), ("takst-b", "nb", takst_b), ("takst-c", "nn", takst_c)),
    "Tilstandsrapport": (("tilstand-a", "nb", tilstand_a), ("tilstand-b", "nn", tilstand_b), ("tilstand-c", "nb", tilstand_c)),
    "Energiattest": (("energi-a", "nb", energi_a), ("energi-b", "nn", energi_b), ("energi-c", "nb", energi_c)),
    "Egenerklæring": (("egen-a", "nb", egen_a), ("egen-b", "nn", egen_b), ("egen-c", "nb", egen_c)),
}
