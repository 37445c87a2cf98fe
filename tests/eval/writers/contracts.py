# ruff: noqa: E501, F403, F405  (the writers' kit of common.py; Norwegian prose; wrapping it would only hurt reading)
"""Writers of the closing: purchase contracts, settlement statements, deeds."""

from __future__ import annotations

from tests.eval.writers.common import *


def _labels(c: Case, a: int = 0, **more: str) -> dict[str, str]:
    return {"seller": c.names_label(c.sellers), "buyer": c.names_label(c.buyers),
            "address": c.address_label(address_has_post(a)), **more}


def kontrakt_a(c: Case) -> Doc:
    """Bokmål contract, numbered clauses, "heretter kalt" parties."""
    a, sig = c.r.choice([0, 2]), signed(c)
    lines = [letterhead(c, 1), "KJØPEKONTRAKT", "om kjøp av fast eiendom",
             f"mellom {parties(c.sellers, c.r.choice([0, 2]))} (heretter kalt selger)",
             f"og {parties(c.buyers, 0)} (heretter kalt kjøper)",
             f"1. Salgsobjekt\nEiendommen {address(c, a)}, gnr. {c.gnr} bnr. {c.bnr} i {c.municipality} kommune, {c.kind_word}.",
             f"2. Kjøpesum\nKjøpesummen er {money(c.accepted, c.r.randint(0, 3))}.",
             f"3. Overtakelse\nOvertakelse skjer {d(c.takeover, 0)} kl. 12:00.",
             f"Kontrakten er inngått {d(c.contract_date, 0)}.", sig[0]]
    return finish(c, "Kjøpekontrakt", lines, _labels(c, a, gnr_bnr=f"{c.gnr}/{c.bnr}", municipality=c.municipality,
                                                      price=str(int(c.accepted)), takeover_date=c.takeover.isoformat(),
                                                      contract_date=c.contract_date.isoformat()), *sig[1])


def kontrakt_b(c: Case) -> Doc:
    """Nynorsk contract, parties and facts as label above value."""
    a = c.r.choice([1, 3, 4])
    lines = ["Kjøpekontrakt", "om kjøp av fast eigedom", kv("Seljarar" if len(c.sellers) > 1 else "Seljar", parties(c.sellers, 1), "below"),
             kv("Kjøparar" if len(c.buyers) > 1 else "Kjøpar", parties(c.buyers, 3), "below"),
             kv("Eigedomen", address(c, a), "below"), kv("Gnr./bnr.", f"{c.gnr}/{c.bnr}", "below"),
             kv("Kjøpesum", money(c.accepted, c.r.choice([1, 4])), "below"), kv("Overtaking", d(c.takeover, 1), "below"),
             f"Eigedomen er ein {c.kind_word}.", kv("Stad og dato", f"{c.place}, {d(c.contract_date, 0)}", "below")]
    return finish(c, "Kjøpekontrakt", lines, _labels(c, a, gnr_bnr=f"{c.gnr}/{c.bnr}", price=str(int(c.accepted)),
                                                      takeover_date=c.takeover.isoformat(), document_date=c.contract_date.isoformat()))


def kontrakt_c(c: Case) -> Doc:
    """Bokmål contract with a table of key terms."""
    lines = ["Kontrakt om kjøp av eiendom", f"Megler: {c.firm}", "| Vilkår | Avtalt |",
             kv("Selger(e)", parties(c.sellers, 0), "table"), kv("Kjøper(e)", parties(c.buyers, c.r.choice([0, 2])), "table"),
             kv("Eiendom", address(c, 0), "table"), kv("Kommune", c.municipality, "table"),
             kv("Gnr/bnr", f"{c.gnr}/{c.bnr}", "table"), kv("Kjøpesum", money(c.accepted, c.r.choice([0, 4])), "table"),
             kv("Omkostninger", money(c.accepted * 0.025, 0), "table"), kv("Overtakelsesdato", d(c.takeover, 2), "table"),
             kv("Kontraktsdato", d(c.contract_date, 2), "table")]
    return finish(c, "Kjøpekontrakt", lines, _labels(c, 0, gnr_bnr=f"{c.gnr}/{c.bnr}", municipality=c.municipality,
                                                      price=str(int(c.accepted)), takeover_date=c.takeover.isoformat(),
                                                      contract_date=c.contract_date.isoformat()))


def _settlement(c: Case) -> tuple[float, float]:
    """(fee, paid out to the seller)."""
    fee = round(c.accepted * 0.015, -2)
    return fee, c.accepted - fee - 6500


def oppgjor_a(c: Case) -> Doc:
    fee, out = _settlement(c)
    lines = ["OPPGJØRSOPPSTILLING", f"Selger: {parties(c.sellers, 0)}", kv("Eiendom", address(c, 0), "line"),
             kv("Kjøpesum", money(c.accepted, 0), "line"), kv("Meglers vederlag", "- " + money(fee, 0), "line"),
             kv("Tinglysingsgebyr", "- " + money(6500, 0), "line"), kv("Til utbetaling", money(out, 0), "line"),
             kv("Overtakelse", d(c.takeover, 0), "line")]
    return finish(c, "Oppgjørsoppstilling", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(),
                                                    "price": str(int(c.accepted)), "amount": str(int(out)),
                                                    "takeover_date": c.takeover.isoformat()})


def oppgjor_b(c: Case) -> Doc:
    """A settlement table, amounts without "kr", the seller's home as recipient."""
    fee, out = _settlement(c)
    lines = [letterhead(c, 0), recipient(c, c.sellers[0]), "", "Sluttoppgjør for salg", kv("Gjelder", address(c, c.r.choice([1, 3])), "line"),
             "| Post | Beløp |", kv("Salgssum", money(c.accepted, 4), "table"), kv("Provisjon", money(fee, 4), "table"),
             kv("Gebyrer", money(6500, 4), "table"), kv("Netto til selger", money(out, 4), "table"),
             kv("Dato", d(c.doc_date, 0), "line")]
    return finish(c, "Oppgjørsoppstilling", lines, {"address": c.address_label(), "price": str(int(c.accepted)),
                                                    "amount": str(int(out)), "document_date": c.doc_date.isoformat()})


def oppgjor_c(c: Case) -> Doc:
    """Nynorsk statement for the buyer."""
    fees = round(c.accepted * 0.025, -2)
    lines = ["Oppgjersoppstilling for kjøpar", kv("Kjøparar" if len(c.buyers) > 1 else "Kjøpar", parties(c.buyers, 0), "line"),
             kv("Eigedom", address(c, c.r.choice([0, 4])), "below"), kv("Kjøpesum", money(c.accepted, 1), "line"),
             kv("Dokumentavgift og gebyr", money(fees, 1), "line"), kv("Å betale", money(c.accepted + fees, 1), "line"),
             kv("Overtaking", d(c.takeover, 0), "line")]
    a = 0 if f"{c.post} {c.place}" in "\n".join(lines) else 4
    return finish(c, "Oppgjørsoppstilling", lines, {"buyer": c.names_label(c.buyers), "address": c.address_label(address_has_post(a)),
                                                    "price": str(int(c.accepted)), "amount": str(int(c.accepted + fees)),
                                                    "takeover_date": c.takeover.isoformat()})


def skjote_a(c: Case) -> Doc:
    """Bokmål deed as Kartverket's form: numbered fields."""
    lines = ["SKJØTE", "Kartverket – Tinglysing", "1. Eiendom(mer)", f"Kommunenr. 0301 Kommune: {c.municipality}",
             f"Gnr. {c.gnr} Bnr. {c.bnr}" + (f" Fnr. 0 Snr. {c.snr}" if c.snr else ""), kv("Adresse", address(c, 0), "line"),
             "2. Overdras fra", kv("Hjemmelshaver", parties(c.sellers, 3), "line"), "3. Til",
             kv("Ny hjemmelshaver", parties(c.buyers, 3), "line"), kv("Kjøpesum", money(c.accepted, 0), "line"),
             kv("Dato", d(c.doc_date, 0), "line")]
    return finish(c, "Skjøte", lines, {"municipality": c.municipality, "gnr_bnr": c.gnr_bnr_label(), "address": c.address_label(),
                                       "seller": c.names_label(c.sellers), "buyer": c.names_label(c.buyers),
                                       "price": str(int(c.accepted)), "document_date": c.doc_date.isoformat()})


def skjote_b(c: Case) -> Doc:
    """Nynorsk deed, label above value."""
    lines = ["Skøyte", "Heimelsoverføring av fast eigedom", kv("Kommune", c.municipality, "below"),
             kv("Gardsnr./bruksnr.", f"{c.gnr}/{c.bnr}", "below"),
             kv("Seljarar" if len(c.sellers) > 1 else "Seljar", parties(c.sellers, 2), "below"),
             kv("Ny heimelshavar", parties(c.buyers, 2), "below"), kv("Vederlag", money(c.accepted, 4), "below"),
             kv("Dato", d(c.doc_date, 3), "below")]
    return finish(c, "Skjøte", lines, {"municipality": c.municipality, "gnr_bnr": f"{c.gnr}/{c.bnr}",
                                       "seller": c.names_label(c.sellers), "buyer": c.names_label(c.buyers),
                                       "price": str(int(c.accepted)), "document_date": c.doc_date.isoformat()})


def skjote_c(c: Case) -> Doc:
    """Bokmål deed as a table of cells."""
    sig = signed(c)
    lines = ["Skjøte (hjemmelsoverføring)", "| Felt | Innhold |", kv("Eiendom", f"gnr. {c.gnr}, bnr. {c.bnr}", "table"),
             kv("Kommune", c.municipality, "table"), kv("Adresse", address(c, 4), "table"),
             kv("Selgere" if len(c.sellers) > 1 else "Selger", parties(c.sellers, 1), "table"),
             kv("Kjøpere" if len(c.buyers) > 1 else "Kjøper", parties(c.buyers, 1), "table"),
             kv("Kjøpesum", money(c.accepted, c.r.choice([0, 4])), "table"), kv("Dato", d(c.doc_date, 2), "table"), sig[0]]
    return finish(c, "Skjøte", lines, {"municipality": c.municipality, "gnr_bnr": f"{c.gnr}/{c.bnr}",
                                       "address": c.address_label(False), "seller": c.names_label(c.sellers),
                                       "buyer": c.names_label(c.buyers), "price": str(int(c.accepted)),
                                       "document_date": c.doc_date.isoformat()}, *sig[1])


WRITERS = {
    "Kjøpekontrakt": (("kontrakt-a", "nb", kontrakt_a), ("kontrakt-b", "nn", kontrakt_b), ("kontrakt-c", "nb", kontrakt_c)),
    "Oppgjørsoppstilling": (("oppgjor-a", "nb", oppgjor_a), ("oppgjor-b", "nb", oppgjor_b), ("oppgjor-c", "nn", oppgjor_c)),
    "Skjøte": (("skjote-a", "nb", skjote_a), ("skjote-b", "nn", skjote_b), ("skjote-c", "nb", skjote_c)),
}
