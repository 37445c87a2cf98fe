# ruff: noqa: E501, F403, F405  (the writers' kit of common.py; Norwegian prose; wrapping it would only hurt reading)
"""Writers of correspondence and of "Annet": papers that look like one of the types but are not."""

from __future__ import annotations

from tests.eval.writers.common import *


def epost_a(c: Case) -> Doc:
    """An e-mail with headers, asking about the takeover."""
    haste = c.r.random() < 0.3
    lines = [f"Fra: {c.broker} <{c.broker.split()[0].lower()}@{c.firm.split()[0].lower()}.no>",
             f"Til: {c.buyers[0].name}", kv("Sendt", d(c.doc_date, 0), "line"),
             f"Emne: {'HASTER: ' if haste else ''}Overtakelse av {c.street} {c.number}", "",
             f"Hei {c.buyers[0].name.split()[0]},", f"Vi bekrefter overtakelse {d(c.takeover, 0)} kl. 12.",
             "Husk å ta med legitimasjon.", "Med vennlig hilsen", c.broker, c.firm]
    return finish(c, "Korrespondanse", lines, {"document_date": c.doc_date.isoformat(), "takeover_date": c.takeover.isoformat()},
                  *(("Haster",) if haste else ()))


def brev_b(c: Case) -> Doc:
    """A nynorsk letter: recipient block, place and date, no headers."""
    lines = [letterhead(c, 0), "", recipient(c, c.sellers[0]), "", f"{c.place}, {d(c.doc_date, 1)}", "",
             f"Vedk. sal av {c.kind_word} i {address(c, 0)}",
             f"Hei {c.sellers[0].name.split()[0]}!", "Takk for eit godt møte. Vi sender over utkast til annonsetekst i neste veke.",
             "Gje gjerne tilbakemelding om bilete og tekst.", "Venleg helsing", c.broker]
    return finish(c, "Korrespondanse", lines, {"document_date": c.doc_date.isoformat(), "address": c.address_label()})


def epost_c(c: Case) -> Doc:
    """A forwarded English-headed e-mail from the bank."""
    lines = [f"From: {c.bank} <kundeservice@bank.no>", f"Date: {d(c.doc_date, 2)}",
             f"Subject: Finansieringsbevis {c.buyers[0].name}", "", "Hei,",
             f"Vi bekrefter at {c.buyers[0].name} har finansiering for kjøp inntil {money(c.accepted, 0)}.",
             "Beviset gjelder i tre måneder.", "Hilsen", c.bank]
    return finish(c, "Korrespondanse", lines, {"document_date": c.doc_date.isoformat()})


def epost_d(c: Case) -> Doc:
    """A nynorsk e-mail about the bidding: it talks of bids and acceptance but is a message."""
    lines = [f"Frå: {c.sellers[0].name}", f"Til: {c.broker}", kv("Sendt", d(c.doc_date, 3), "line"),
             "Emne: Spørsmål om bodet", "", "Hei!", "Vi har sett på bodet som kom inn i går. Kan vi vente med aksept "
             "til i morgon? Vi vil gjerne snakke med banken fyrst.", "Helsing", c.sellers[0].name]
    return finish(c, "Korrespondanse", lines, {"document_date": c.doc_date.isoformat()})


def annet_a(c: Case) -> Doc:
    """Minutes of a meeting that talks of contracts and appraisals in passing."""
    lines = ["Referat fra salgsmøte", kv("Dato", d(c.doc_date, 0), "line"), f"Til stede: {c.broker}, {c.sellers[0].name}",
             f"1. Gjennomgang av {c.kind_word} i {address(c, 0)}",
             "2. Fotograf bestilles. Tilstandsrapport og kjøpekontrakt tas opp på neste møte.",
             "3. Eventuelt: ingen saker.", "Referent: " + c.broker]
    return finish(c, "Annet", lines, {"document_date": c.doc_date.isoformat(), "address": c.address_label()})


def annet_b(c: Case) -> Doc:
    """A nynorsk viewing list: names, phone numbers, an address."""
    lines = ["Visningsliste", kv("Visning", address(c, 1), "line"), kv("Dato", d(c.doc_date, 0), "line"),
             "| Namn | Telefon | Ønskjer salsoppgåve |",
             *[f"| {p.name} | 9{c.r.randint(1000000, 9999999)} | {c.r.choice(['ja', 'nei'])} |" for p in c.buyers + c.sellers],
             f"Talet på frammøtte: {c.r.randint(4, 30)}"]
    return finish(c, "Annet", lines, {"document_date": c.doc_date.isoformat(), "address": c.address_label()})


def annet_c(c: Case) -> Doc:
    """A key receipt or checklist with an amount in it (not an invoice)."""
    lines = [letterhead(c, 1), c.r.choice(["Kvittering for utlevering av nøkler", "Sjekkliste før overtakelse"]),
             f"Eiendom: gnr. {c.gnr} bnr. {c.bnr}, {c.municipality} kommune", f"Antall nøkler: {c.r.randint(2, 6)}",
             f"Depositum for nøkkelbrikke: {money(500, 0)}", kv("Dato", d(c.doc_date, 0), "line"),
             "Mottatt av: ______________________"]
    return finish(c, "Annet", lines, {"document_date": c.doc_date.isoformat(), "gnr_bnr": f"{c.gnr}/{c.bnr}",
                                      "municipality": c.municipality})


def annet_d(c: Case) -> Doc:
    """An internal checklist for a prospectus: it names the asking price and the documents to get."""
    lines = ["Intern sjekkliste – før annonsering", kv("Oppdrag", address(c, c.r.choice([0, 4])), "line"),
             kv("Prisantydning", money(c.asking, c.r.choice([0, 4])), "line"),
             "[x] Energiattest innhentet", "[ ] Tilstandsrapport mottatt", "[ ] Salgsoppgave korrekturlest",
             "[ ] Egenerklæring signert av selger", f"Saksbehandler: {c.broker}"]
    a = 0 if f"{c.post} {c.place}" in "\n".join(lines) else 4
    return finish(c, "Annet", lines, {"address": c.address_label(a == 0), "price": str(int(c.asking))})


WRITERS = {
    "Korrespondanse": (("epost-a", "nb", epost_a), ("brev-b", "nn", brev_b), ("epost-c", "nb", epost_c),
                       ("epost-d", "nn", epost_d)),
    "Annet": (("annet-a", "nb", annet_a), ("annet-b", "nn", annet_b), ("annet-c", "nb", annet_c), ("annet-d", "nb", annet_d)),
}
