# ruff: noqa: E501  (Norwegian document text reads better unwrapped)
"""Held-out writers for the office's everyday papers: invoices, e-mail and letters, notes."""

from __future__ import annotations

from datetime import timedelta

from tests.eval.heldout_writers.base import FIRST, LAST, Doc, Sale, dato, home_of, kr, where, who

SERVICES = (("Boligfotografering inkl. drone", 6900), ("Stylingtime", 1450), ("Annonsepakke Finn Pluss", 12400),
            ("Takstmanns befaring", 9800), ("Plantegning", 2900), ("Nøkkelkopiering", 480))


def faktura_leverandor(s: Sale) -> Doc:
    """A supplier's bokmål invoice to the office: lines with VAT, the property as reference."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 3]))
    items = r.sample(SERVICES, r.randint(1, 3))
    net = sum(p for _, p in items)
    total = round(net * 1.25)
    due = s.doc_date + timedelta(days=r.choice([10, 14, 30]))
    lines = [r.choice(["Fotograf Lunde ENK", "Nordisk Boligstyling AS", "Vestlandsfoto AS"]), f"Org.nr. {r.randint(900000000, 999999999)} MVA", "",
             f"Faktura til: {s.firm}\n{s.firm_street}\n{s.firm_place}", "",
             f"FAKTURA nr. {r.randint(10000, 99999)}", f"Fakturadato: {dato(s.doc_date, r.randint(0, 4))}", f"Forfall: {dato(due, r.randint(0, 4))}",
             f"Deres ref.: {s.agent} – {addr.replace(chr(10), ' ')}", "",
             *[f"{name:<34}{kr(p, 4):>12}" for name, p in items],
             f"{'Sum eks. mva':<34}{kr(net, 4):>12}", f"{'Mva 25 %':<34}{kr(round(net * 0.25), 4):>12}",
             f"{'Å betale':<34}{kr(total, r.choice([0, 3, 5])):>12}", "", f"Kontonr. {r.randint(1000, 9999)}.{r.randint(10, 99)}.{r.randint(10000, 99999)}  KID {r.randint(10 ** 9, 10 ** 10)}"]
    return s.doc("Faktura", lines, {"amount": str(total), "document_date": s.doc_date.isoformat(), "address": addr_label})


def faktura_vederlag(s: Sale) -> Doc:
    """The office's invoice to the seller for its fee, sent to the seller's home."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 2, 3]))
    fee = int(round(s.accepted * r.choice([0.011, 0.014, 0.016]), -2))
    extras = r.choice([9900, 14900])
    total = fee + extras
    lines = [s.firm, f"{s.firm_street}, {s.firm_place}", "", home_of(s, s.sellers[0]), "",
             "Faktura – meglervederlag", f"Fakturanr.: {r.randint(2025000, 2026999)}   Dato: {dato(s.doc_date, r.randint(0, 4))}", "",
             f"Salg av {addr.replace(chr(10), ', ')}", f"Provisjon av salgssum {kr(s.accepted, 4)}: {kr(fee, 4)}",
             f"Markedspakke: {kr(extras, 4)}", f"Totalt (inkl. mva): {kr(total, r.randint(0, 6))}", "",
             "Beløpet trekkes i oppgjøret. Ingen innbetaling nødvendig."]
    return s.doc("Faktura", lines, {"amount": str(total), "document_date": s.doc_date.isoformat(), "address": addr_label})


def epost_kjoper(s: Sale) -> Doc:
    """A bokmål e-mail thread with the buyer about handover, headers quoted in the reply."""
    r = s.r
    buyer = s.buyers[0]
    first = buyer.name.split()[0]
    mail = f"{first.lower()}.{buyer.name.split()[-1].lower()}@{r.choice(['gmail.com', 'online.no', 'hotmail.com'])}"
    lines = [f"Fra: {s.agent} <{s.agent.split()[0].lower()}@{s.firm.split()[0].lower()}.no>", f"Til: {buyer.name} <{mail}>",
             f"Dato: {dato(s.doc_date, r.choice([0, 1]))} kl. {r.randint(8, 16)}:{r.randint(10, 59)}", f"Emne: SV: Overtakelse {s.street} {s.number}", "",
             f"Hei {first}!", f"Overtakelsen blir {dato(s.takeover, r.randint(0, 4))} kl. 11, som avtalt. Vi møtes på adressen.",
             "Ta med gyldig legitimasjon.", "", "Mvh", s.agent, "", f"-----Opprinnelig melding-----\nFra: {buyer.name}",
             "Hei, når kan vi få nøklene?"]
    return s.doc("Korrespondanse", lines, {"document_date": s.doc_date.isoformat(), "takeover_date": s.takeover.isoformat()})


def brev_nn(s: Sale) -> Doc:
    """A nynorsk letter to the seller about the viewing, the property named in the subject line."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 3]))
    lines = [s.firm, s.firm_street, s.firm_place, "", home_of(s, s.sellers[0]), "",
             f"Dykkar ref.: {who(s.sellers[:1], 0)}    Vår dato: {dato(s.doc_date, r.randint(0, 4))}", "",
             f"Sak: Visning av {addr.replace(chr(10), ', ')}", "",
             f"Hei, {s.sellers[0].name.split()[0]}!",
             f"Vi hadde {r.randint(4, 30)} frammøtte på visning i helga, og fleire har bede om salsoppgåve.",
             "Vi tilrår å halde prisantydinga uendra fram til bodrunden.", "", "Venleg helsing", s.agent, s.firm]
    return s.doc("Korrespondanse", lines, {"document_date": s.doc_date.isoformat(), "address": addr_label})


def notat_telefon(s: Sale) -> Doc:
    """A bokmål phone note in the case file: short lines, the caller and the property."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 3]))
    caller = f"{r.choice(FIRST)} {r.choice(LAST)}"
    lines = ["Telefonnotat", f"Dato: {dato(s.doc_date, r.randint(0, 4))}", f"Saksbehandler: {s.agent}", f"Gjelder: {addr.replace(chr(10), ' ')}", "",
             f"{caller} ringte og spurte om {r.choice(['parkering', 'fellesutgifter', 'radonmåling', 'utleiedel'])}.",
             r.choice(["Sendt svar på SMS.", "Ringer tilbake i morgen.", "Ingen videre oppfølging."])]
    return s.doc("Annet", lines, {"document_date": s.doc_date.isoformat(), "address": addr_label})


def referat_nn(s: Sale) -> Doc:
    """Nynorsk minutes of the office's weekly meeting, properties named among other items."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 3]))
    lines = [f"Møtereferat – {s.firm}", f"Møtedato: {dato(s.doc_date, r.randint(0, 4))}", f"Til stades: {s.agent}, {r.choice(FIRST)} {r.choice(LAST)}", "",
             "Sak 1: Status på oppdrag",
             f"– {addr.replace(chr(10), ', ')}: {r.choice(['klar for marknadsføring', 'ventar på foto', 'bodrunde neste veke'])}.",
             f"Sak 2: Ny prisantyding vurdert til {kr(s.asking, r.randint(0, 6))}.",
             "Sak 3: Eventuelt – julebord 12. desember.", "", f"Referent: {s.agent}"]
    return s.doc("Annet", lines, {"document_date": s.doc_date.isoformat(), "address": addr_label, "price": str(int(s.asking))})


WRITERS = {
    "Faktura": [("h-faktura-leverandor", "nb", faktura_leverandor), ("h-faktura-vederlag", "nb", faktura_vederlag)],
    "Korrespondanse": [("h-epost-kjoper", "nb", epost_kjoper), ("h-brev-nn", "nn", brev_nn)],
    "Annet": [("h-notat-telefon", "nb", notat_telefon), ("h-referat-nn", "nn", referat_nn)],
}
