# ruff: noqa: E501  (Norwegian document text reads better unwrapped)
"""Held-out writers for the papers that start a sale: assignment, prospectus, valuation."""

from __future__ import annotations

from tests.eval.heldout_writers.base import Doc, Sale, dato, home_of, kr, matrikkel, where, who


def oppdrag_skjema(s: Sale) -> Doc:
    """A bokmål assignment form in boxes, label and value in cells, the party's home above."""
    r = s.r
    addr, addr_label = where(s, r.randint(0, 4))
    lines = [f"{s.firm} | {s.firm_street}, {s.firm_place} | tlf {s.phone()}", "",
             "OPPDRAGSAVTALE – SALG AV EIENDOM", f"Oppdragsnr. {r.randint(1100, 1999)}-{r.randint(10, 99)}", "",
             "1 OPPDRAGSGIVER(E)", "| Navn | Adresse |"]
    lines += [f"| {p.name} | {home_of(s, p).split(chr(10), 1)[1].replace(chr(10), ', ')} |" for p in s.sellers]
    lines += ["", "2 EIENDOMMEN", f"| Adresse | {addr.replace(chr(10), ' ')} |",
              f"| Matrikkel | {matrikkel(s, r.randint(0, 3))} |", f"| Kommune | {s.municipality} |",
              f"| Type | {s.kind_word} |", "", "3 PRISANTYDNING OG VEDERLAG",
              f"Prisantydning settes til {kr(s.asking, r.randint(0, 6))}.",
              f"Provisjon {r.choice(['1,25', '1,5', '1,8', '2,0'])} % av salgssum, minimum {kr(r.choice([49000, 59000, 69000]), 0)}.",
              f"Tilrettelegging {kr(r.choice([14900, 17500, 19900]), 1)}.", "",
              "4 OPPDRAGSTID\nOppdraget gjelder i 6 måneder fra signering.", "",
              f"{s.firm_place.split()[1]}, {dato(s.doc_date, r.randint(0, 4))}",
              "____________________            ____________________", "Oppdragsgiver                   Megler"]
    return s.doc("Oppdragsavtale", lines, {"seller": s.names(s.sellers), "address": addr_label, "gnr_bnr": s.gnr_label(),
                                           "municipality": s.municipality, "price": str(int(s.asking)), "document_date": s.doc_date.isoformat()})


def oppdrag_nn_brev(s: Sale) -> Doc:
    """A nynorsk assignment set out as numbered paragraphs of prose."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 2, 3]))
    sign = r.random() < 0.5
    lines = [s.firm.upper(), f"{s.firm_street} – {s.firm_place}", "",
             "Oppdragsavtale om sal av fast eigedom", "",
             f"§ 1 Partar\nOppdragsgjevar: {who(s.sellers, r.randint(0, 3))}\nOppdragstakar: {s.firm}, ansvarleg meklar {s.agent}", "",
             f"§ 2 Oppdraget\nOppdraget gjeld sal av {s.kind_word} på adressa {addr}, {matrikkel(s, r.choice([0, 3]))} i {s.municipality} kommune.", "",
             f"§ 3 Prisantyding\nEigedomen skal marknadsførast med prisantyding {kr(s.asking, r.randint(0, 6))}, med atterhald om endringar etter avtale.", "",
             f"§ 4 Vederlag\nFast vederlag {kr(r.choice([65000, 72000, 85000]), 5)} inkl. mva. I tillegg kjem utlegg.", "",
             "§ 5 Oppdragstid\nAvtalen gjeld i seks månader.", "",
             f"Dato: {dato(s.doc_date, r.randint(0, 4))}",
             "Signert elektronisk av begge partar." if sign else "Underskrift oppdragsgjevar: __________"]
    return s.doc("Oppdragsavtale", lines, {"seller": s.names(s.sellers), "address": addr_label, "gnr_bnr": s.gnr_label(),
                                           "municipality": s.municipality, "price": str(int(s.asking)), "document_date": s.doc_date.isoformat()},
                 *(("Signert",) if sign else ()))


def prospekt_nokkel(s: Sale) -> Doc:
    """A bokmål prospectus: headline, key-facts block with dotted leaders, costs table."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 1, 3]))
    fees = r.choice([10500, 11700, 12900])
    lines = [f"{r.choice(['Idyllisk', 'Lys og moderne', 'Sentral og praktisk', 'Familievennlig'])} {s.kind_word} med gode solforhold",
             addr, "", "SALGSOPPGAVE", f"Ansvarlig megler: {s.agent}, {s.firm}", "",
             "Nøkkelinformasjon",
             f"Prisantydning ............ {kr(s.asking, r.randint(0, 6))}",
             f"Omkostninger ............. {kr(fees + s.asking * 0.025, 4)}",
             f"Totalpris ................ {kr(fees + s.asking * 1.025, 4)}",
             f"Primærrom/BRA-i .......... {r.randint(48, 210)} m²",
             f"Eieform .................. {'Andel' if s.kind == 'borettslag' else 'Eiet'}",
             f"Matrikkel ................ {matrikkel(s, r.randint(0, 3))} i {s.municipality} kommune", "",
             "Om boligen",
             f"Eiendommen ligger i et rolig og etablert område, kort vei til skole og butikk. Visning etter avtale med {s.agent.split()[0]}.", ""]
    return s.doc("Salgsoppgave", lines, {"address": addr_label, "price": str(int(s.asking)), "gnr_bnr": s.gnr_label(),
                                         "municipality": s.municipality})


def prospekt_nn_kort(s: Sale) -> Doc:
    """A short nynorsk online listing: facts as label lines under each other."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 2, 4]))
    lines = [f"{s.firm} presenterer", "", f"Salsoppgåve – {s.kind_word}", "",
             "Adresse", addr, "", "Prisantyding", kr(s.asking, r.randint(0, 6)), "",
             "Kommune", s.municipality, "", "Gnr./bnr.", matrikkel(s, 2), "",
             f"Skildring: Ein triveleg {s.kind_word} med utsikt mot fjorden. Kort veg til buss og daglegvare.",
             f"Visning: sundag kl. 13–14, påmelding til {s.agent}."]
    return s.doc("Salgsoppgave", lines, {"address": addr_label, "price": str(int(s.asking)), "gnr_bnr": s.gnr_label(),
                                         "municipality": s.municipality})


def takst_verdi(s: Sale) -> Doc:
    """A bokmål value appraisal by a surveyor: cover page, owner as "rekvirent", value box."""
    r = s.r
    addr, addr_label = where(s, r.randint(0, 4))
    lines = [s.takst, f"Oppdragsnr. T-{r.randint(20000, 29999)}", "",
             "VERDITAKST", f"{s.kind_word.capitalize()}", addr, "",
             f"Rekvirent: {who(s.sellers, r.choice([0, 2]))}", f"Befaringsdato: {dato(s.doc_date, r.randint(0, 4))}",
             f"Kommune: {s.municipality}   Gnr./Bnr.: {s.gnr}/{s.bnr}{'   Snr.: ' + str(s.snr) if s.snr else ''}", "",
             "VERDIVURDERING",
             f"Markedsverdi ........ {kr(s.market, r.randint(0, 6))}",
             f"Låneverdi ........... {kr(s.market * 0.85, 4)}", "",
             "Taksten er utført etter gjeldende regler for verditakst. Opplysninger er gitt av eier."]
    return s.doc("Takst/Verdivurdering", lines, {"address": addr_label, "seller": s.names(s.sellers), "document_date": s.doc_date.isoformat(),
                                                 "municipality": s.municipality, "gnr_bnr": s.gnr_label(), "price": str(int(s.market))})


def takst_megler_brev(s: Sale) -> Doc:
    """A broker's valuation letter to the owner at home: prose, value mid-sentence, no form."""
    r = s.r
    addr, addr_label = where(s, r.choice([0, 3]))
    lines = [s.firm, s.firm_street, s.firm_place, "", home_of(s, s.sellers[0]), "",
             f"{s.firm_place.split()[1]}, {dato(s.doc_date, r.randint(0, 4))}", "",
             f"Verdivurdering av {addr.replace(chr(10), ', ')}", "",
             f"Til {who(s.sellers, 0)}",
             f"Takk for hyggelig befaring. Vi har vurdert eiendommen ({matrikkel(s, r.randint(0, 3))}, {s.municipality} kommune) opp mot "
             f"sammenlignbare salg i nærområdet siste tolv måneder.",
             f"Vår vurdering er at eiendommen vil kunne oppnå en salgsverdi på {kr(s.market, r.randint(0, 6))} i dagens marked.",
             "Vurderingen er ikke en takst og kan ikke brukes som grunnlag for lån.", "",
             "Med vennlig hilsen", s.agent, f"Eiendomsmegler MNEF, {s.firm}"]
    return s.doc("Takst/Verdivurdering", lines, {"address": addr_label, "seller": s.names(s.sellers), "document_date": s.doc_date.isoformat(),
                                                 "municipality": s.municipality, "gnr_bnr": s.gnr_label(), "price": str(int(s.market))})


WRITERS = {
    "Oppdragsavtale": [("h-oppdrag-skjema", "nb", oppdrag_skjema), ("h-oppdrag-nn", "nn", oppdrag_nn_brev)],
    "Salgsoppgave": [("h-prospekt-nokkel", "nb", prospekt_nokkel), ("h-prospekt-nn", "nn", prospekt_nn_kort)],
    "Takst/Verdivurdering": [("h-takst-verdi", "nb", takst_verdi), ("h-takst-brev", "nb", takst_megler_brev)],
}
