# ruff: noqa: E501  (Norwegian document text reads better unwrapped)
"""Held-out writers for the deal itself: bids and acceptance, contract, settlement."""

from __future__ import annotations

from datetime import timedelta

from tests.eval.heldout_writers.base import FIRST, LAST, Doc, Sale, dato, home_of, kr, matrikkel, where, who


def bud_logg(s: Sale) -> Doc:
    """A bokmål bid log: asking price first, rising bids in a table, the accepted one marked last."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 2, 3]))
    style = r.randint(0, 6)
    bids, amount = [], s.asking - 50_000
    while amount < s.accepted - 20_000:
        bidder = f"{r.choice(FIRST)} {r.choice(LAST)}"
        bids.append(f"| {r.randint(10, 20)}:{r.randint(10, 59)} | Budgiver {len(bids) + 1} ({bidder}) | {kr(amount, style)} | Overbudt |")
        amount += r.choice([25_000, 50_000, 100_000])
    lines = [f"{s.firm} – Budjournal", f"Eiendom: {addr.replace(chr(10), ' ')}", f"Selger: {who(s.sellers, 0)}",
             f"Prisantydning: {kr(s.asking, style)}", f"Budrunde {dato(s.doc_date, r.randint(0, 4))}", "",
             "| Kl. | Budgiver | Beløp | Status |", *bids,
             f"| {r.randint(17, 21)}:{r.randint(10, 59)} | {who(s.buyers, 0)} | {kr(s.accepted, style)} | Akseptert |", "",
             f"Budet på {kr(s.accepted, style)} fra {who(s.buyers, 0)} ble akseptert av selger."]
    return s.doc("Budjournal/Aksept", lines, {"address": addr_label, "seller": s.names(s.sellers), "buyer": s.names(s.buyers),
                                              "price": str(int(s.accepted)), "document_date": s.doc_date.isoformat()})


def aksept_nn(s: Sale) -> Doc:
    """A nynorsk acceptance letter to the bidders: the asking price in passing, the bid accepted."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 1, 3]))
    lines = [s.firm, f"{s.firm_street}, {s.firm_place}", "", f"{s.firm_place.split()[1]}, {dato(s.doc_date, r.randint(0, 4))}", "",
             f"Stadfesting av aksept – {addr.replace(chr(10), ', ')}", "",
             f"Til bodgjevar(ar): {who(s.buyers, r.choice([0, 2]))}",
             f"Seljar {who(s.sellers, 0)} har i dag akseptert bodet dykkar på {kr(s.accepted, r.randint(0, 6))}.",
             f"Prisantydinga var {kr(s.asking, r.randint(0, 6))}.",
             f"Overtaking er sett til {dato(s.takeover, r.randint(0, 4))}. Kontraktsmøte vert avtalt seinare.", "",
             "Helsing", s.agent]
    return s.doc("Budjournal/Aksept", lines, {"address": addr_label, "seller": s.names(s.sellers), "buyer": s.names(s.buyers),
                                              "price": str(int(s.accepted)), "document_date": s.doc_date.isoformat(),
                                              "takeover_date": s.takeover.isoformat()})


def kontrakt_paragraf(s: Sale) -> Doc:
    """A bokmål contract in numbered paragraphs; parties as a list with birth dates."""
    r = s.r
    addr, addr_label = where(s, r.randint(0, 4))
    sign = r.random() < 0.5
    lines = [s.firm, "", "KJØPEKONTRAKT", "(bruktbolig – forbruker)", "",
             f"Selger:\n{who(s.sellers, r.choice([2, 3, 4]))}", "",
             f"Kjøper:\n{who(s.buyers, r.choice([1, 2, 4]))}", "",
             "§ 1 Salgsobjekt", f"Kontrakten gjelder {s.kind_word} med adresse {addr}, {matrikkel(s, r.randint(0, 3))} i {s.municipality} kommune.", "",
             "§ 2 Kjøpesum og omkostninger", f"Kjøpesum: {kr(s.accepted, r.randint(0, 6))}", f"Dokumentavgift 2,5 %: {kr(s.accepted * 0.025, 4)}", "",
             "§ 3 Overtakelse", f"Eiendommen overtas den {dato(s.takeover, r.randint(0, 4))} kl. 12.00.", "",
             f"Denne kontrakt er inngått {dato(s.contract_date, r.randint(0, 4))}.",
             "Signert med BankID av begge parter." if sign else "Selger ___________   Kjøper ___________"]
    return s.doc("Kjøpekontrakt", lines, {"seller": s.names(s.sellers), "buyer": s.names(s.buyers), "address": addr_label,
                                          "gnr_bnr": s.gnr_label(), "municipality": s.municipality, "price": str(int(s.accepted)),
                                          "takeover_date": s.takeover.isoformat(), "contract_date": s.contract_date.isoformat()},
                 *(("Signert",) if sign else ()))


def kontrakt_nn_tabell(s: Sale) -> Doc:
    """A nynorsk contract as a two-column table, place and date of signing at the foot."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 2, 3]))
    lines = ["KJØPEKONTRAKT", "om kjøp av fast eigedom", "",
             f"| Seljar | {who(s.sellers, r.choice([0, 1]))} |", f"| Kjøpar | {who(s.buyers, r.choice([0, 3]))} |",
             f"| Eigedom | {addr.replace(chr(10), ' ')} |", f"| Kommune | {s.municipality} |", f"| Matrikkel | {matrikkel(s, 2)} |",
             f"| Kjøpesum | {kr(s.accepted, r.randint(0, 6))} |", f"| Overtaking | {dato(s.takeover, r.randint(0, 4))} |", "",
             "Kjøpar har fått salsoppgåve og tilstandsrapport før bodgjeving.", "",
             f"Stad og dato: {s.firm_place.split()[1]}, {dato(s.doc_date, r.randint(0, 4))}"]
    return s.doc("Kjøpekontrakt", lines, {"seller": s.names(s.sellers), "buyer": s.names(s.buyers), "address": addr_label,
                                          "gnr_bnr": s.gnr_label(), "municipality": s.municipality, "price": str(int(s.accepted)),
                                          "takeover_date": s.takeover.isoformat(), "document_date": s.doc_date.isoformat()})


def oppgjor_selger(s: Sale) -> Doc:
    """A bokmål settlement statement to the seller: debit/credit columns, payout at the foot."""
    r = s.r
    addr, addr_label = where(s, r.randint(0, 4))
    fee, loan = round(s.accepted * r.choice([0.012, 0.015, 0.018]), -2), round(s.accepted * r.uniform(0.2, 0.6), -3)
    costs = r.choice([8900, 12500, 15400])
    payout = s.accepted - fee - loan - costs
    lines = [s.firm, "Oppgjørsavdelingen", "", home_of(s, s.sellers[0]), "",
             f"OPPGJØRSOPPSTILLING – SELGER          {dato(s.doc_date, r.randint(0, 4))}",
             f"Objekt: {addr.replace(chr(10), ', ')}", f"Overtakelse: {dato(s.takeover, r.randint(0, 4))}", "",
             f"{'Tekst':<32}{'Debet':>14}{'Kredit':>14}",
             f"{'Kjøpesum':<32}{'':>14}{kr(s.accepted, 4):>14}",
             f"{'Innfrielse lån ' + s.bank:<32}{kr(loan, 4):>14}",
             f"{'Meglerhonorar':<32}{kr(fee, 4):>14}",
             f"{'Oppgjørsgebyr og utlegg':<32}{kr(costs, 4):>14}",
             f"{'Utbetales til selger':<32}{kr(payout, 4):>14}", "",
             f"Beløpet overføres til konto oppgitt av {who(s.sellers, 0)}."]
    return s.doc("Oppgjørsoppstilling", lines, {"address": addr_label, "price": str(int(s.accepted)), "amount": str(int(payout)),
                                                "takeover_date": s.takeover.isoformat(), "document_date": s.doc_date.isoformat(),
                                                "seller": s.names(s.sellers)})


def oppgjor_kjoper(s: Sale) -> Doc:
    """A bokmål buyer's statement as an e-mail-ready summary: what to pay, and by when."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 3]))
    duty, fees = round(s.accepted * 0.025), r.choice([585, 1170]) * 2 + 172
    total = s.accepted + duty + fees
    due = s.takeover - timedelta(days=r.randint(3, 7))
    lines = [f"{s.firm} · Oppgjør", "", "Sluttoppgjør – kjøpers innbetaling", "",
             f"Kjøper: {who(s.buyers, 0)}", f"Eiendom: {addr}", "",
             f"  Kjøpesum{kr(s.accepted, 5):>24}", f"  Dokumentavgift{kr(duty, 5):>18}", f"  Tinglysing pantedok./skjøte{kr(fees, 5):>7}",
             f"  Sum å innbetale{kr(total, 5):>17}", "",
             f"Innbetales innen {dato(due, r.randint(0, 4))} til klientkonto {r.randint(1000, 9999)}.{r.randint(10, 99)}.{r.randint(10000, 99999)}.",
             f"Overtakelse {dato(s.takeover, r.randint(0, 4))}."]
    return s.doc("Oppgjørsoppstilling", lines, {"address": addr_label, "price": str(int(s.accepted)), "amount": str(int(total)),
                                                "takeover_date": s.takeover.isoformat(), "buyer": s.names(s.buyers)})


WRITERS = {
    "Budjournal/Aksept": [("h-bud-logg", "nb", bud_logg), ("h-aksept-nn", "nn", aksept_nn)],
    "Kjøpekontrakt": [("h-kontrakt-paragraf", "nb", kontrakt_paragraf), ("h-kontrakt-nn", "nn", kontrakt_nn_tabell)],
    "Oppgjørsoppstilling": [("h-oppgjor-selger", "nb", oppgjor_selger), ("h-oppgjor-kjoper", "nb", oppgjor_kjoper)],
}
