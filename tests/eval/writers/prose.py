# ruff: noqa: E501, F403, F405  (the writers' kit of common.py; Norwegian prose; wrapping it would only hurt reading)
"""Writers who name the parties and the property in running prose, with labels no rule
lists (issue 17: "several parties joined by commas, "og" and parentheses with shares or birth
dates", "nynorsk labels", "no postcode", "the letterhead's or recipient's address taken for
the property's"): a nynorsk contract whose parties are the sentence's subject, an
assignment letter sent to the owners' home address, an acceptance in prose, a valuation whose
cover has the address under the headline with no label, and a nynorsk e-mail naming buyer
and seller in passing. Each writer varies its wording from document to document."""

from __future__ import annotations

from tests.eval.writers.common import *


def _names(c: Case, persons: list[Person]) -> str:
    """Parties in prose: "og" between them, now and then a birth date or a share in brackets."""
    style = c.r.choice([0, 0, 1, 2])
    return parties(persons, style) if len(persons) > 1 or style == 0 else f"{persons[0].name} ({'f. ' + format(persons[0].born, '%d.%m.%Y') if style == 2 else persons[0].share})"


def kontrakt_d(c: Case) -> Doc:
    """Nynorsk contract: the parties are the sentence, the address in prose, no postcode half the time."""
    a = c.r.choice([0, 4])
    opening = c.r.choice(["Underteikna {s} sel med dette til {b}", "{s} sel og overdreg til {b}",
                          "Mellom {s} som seljar og {b} som kjøpar er det i dag gjort slik avtale om sal av"])
    lines = [letterhead(c, c.r.randint(0, 2)), "", "KJØPEKONTRAKT", "",
             opening.format(s=_names(c, c.sellers), b=_names(c, c.buyers)) + f" {c.kind_word} på adressa {address(c, a)},",
             f"gnr. {c.gnr}, bnr. {c.bnr} i {c.municipality} kommune.",
             f"Kjøpesummen er avtalt til {money(c.accepted, c.r.randint(0, 5))}, og eigedomen blir overteken {d(c.takeover, 1)}.",
             f"Avtalen er underteikna {d(c.contract_date, 0)}."]
    return finish(c, "Kjøpekontrakt", lines, {"seller": c.names_label(c.sellers), "buyer": c.names_label(c.buyers),
                                              "address": c.address_label(with_post=address_has_post(a)),
                                              "gnr_bnr": f"{c.gnr}/{c.bnr}", "municipality": c.municipality,
                                              "price": str(int(c.accepted)), "takeover_date": c.takeover.isoformat(),
                                              "contract_date": c.contract_date.isoformat()})


def oppdrag_f(c: Case) -> Doc:
    """Bokmål assignment letter to the owners' home address: the property stands in prose."""
    owner = c.sellers[0]
    phrase = c.r.choice(["Vi viser til hyggelig møte og bekrefter at {s} har gitt oss i oppdrag å selge",
                         "Takk for tilliten! {s} har i dag gitt {f} oppdraget med salg av",
                         "Denne avtalen bekrefter at {s} overlater salget av"])
    lines = [letterhead(c, c.r.randint(0, 2)), "", recipient(c, owner), "", f"{c.place}, {d(c.doc_date, 1)}", "",
             "Bekreftelse på oppdrag",
             phrase.format(s=_names(c, c.sellers), f=c.firm) + f" {c.kind_word} i {address(c, c.r.choice([0, 2]))}.",
             f"Vi anbefaler en prisantydning på {money(c.asking, c.r.randint(0, 3))}.",
             "Vederlaget er 1,5 % av salgssummen.", "Med vennlig hilsen", c.broker, c.firm]
    return finish(c, "Oppdragsavtale", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(),
                                               "price": str(int(c.asking)), "document_date": c.doc_date.isoformat()})


def bud_e(c: Case) -> Doc:
    """An acceptance in prose: who bid, who accepts, for which address."""
    sentence = c.r.choice(["{s} aksepterer herved budet fra {b} på {p} for eiendommen {a}.",
                           "Budet fra {b} på {p} er i dag akseptert av {s}. Gjelder {a}.",
                           "Vi bekrefter at {b} har kjøpt {a} for {p}. Selger er {s}."])
    a = c.r.choice([0, 1, 4])
    lines = [c.r.choice(["Akseptbrev", "Aksept av bud", "Bekreftelse på handel"]), d(c.doc_date, c.r.randint(0, 3)), "",
             sentence.format(s=_names(c, c.sellers), b=_names(c, c.buyers), p=money(c.accepted, c.r.randint(0, 5)),
                             a=address(c, a).replace("\n", ", ")),
             f"Overtakelse etter avtale, senest {d(c.takeover, 0)}.", f"Megler: {c.broker}, {c.firm}"]
    return finish(c, "Budjournal/Aksept", lines, {"seller": c.names_label(c.sellers), "buyer": c.names_label(c.buyers),
                                                  "address": c.address_label(with_post=address_has_post(a)),
                                                  "price": str(int(c.accepted)), "document_date": c.doc_date.isoformat()})


def takst_e(c: Case) -> Doc:
    """A valuation's cover: headline, the address on its own lines with no label, the owner in prose."""
    lines = [c.appraiser, "", c.r.choice(["VERDIVURDERING", "Verditakst", "Markedsverdivurdering"]),
             f"{c.street} {c.number}", f"{c.post} {c.place}", "",
             c.r.choice(["Eier av eiendommen er {s}.", "Vurderingen er bestilt av eierne, {s}.", "Rapporten er laget for {s}."]).format(s=_names(c, c.sellers)),
             f"Befaring ble holdt {d(c.doc_date - c.doc_date.resolution * 2, 0)}.",
             f"Vi setter markedsverdien til {money(c.asking, c.r.randint(0, 3))}.",
             f"{c.place}, {d(c.doc_date, 0)}"]
    return finish(c, "Takst/Verdivurdering", lines, {"seller": c.names_label(c.sellers), "address": c.address_label(),
                                                     "price": str(int(c.asking)), "document_date": c.doc_date.isoformat()})


def epost_e(c: Case) -> Doc:
    """A nynorsk e-mail naming buyer and seller in passing; the sender's signature has an address."""
    first = c.r.choice(["Kjøparen er {b}, og seljaren er {s}.", "{b} kjøper eigedomen av {s}.",
                        "Eg har snakka med seljaren, {s}. {b} kjem på overtakinga som kjøparar."])
    lines = [f"Frå: {c.broker}", f"Sendt: {d(c.doc_date, 0)}", f"Emne: {c.street} {c.number}", "", "Hei!",
             first.format(b=_names(c, c.buyers), s=_names(c, c.sellers)),
             f"Overtakinga er sett til {d(c.takeover, 1)}.", "Helsing", c.broker, c.firm, c.firm_address]
    return finish(c, "Korrespondanse", lines, {"seller": c.names_label(c.sellers), "buyer": c.names_label(c.buyers),
                                               "document_date": c.doc_date.isoformat(), "takeover_date": c.takeover.isoformat()})


WRITERS = {
    "Kjøpekontrakt": (("kontrakt-d", "nn", kontrakt_d),),
    "Oppdragsavtale": (("oppdrag-f", "nb", oppdrag_f),),
    "Budjournal/Aksept": (("bud-e", "nb", bud_e),),
    "Takst/Verdivurdering": (("takst-e", "nb", takst_e),),
    "Korrespondanse": (("epost-e", "nn", epost_e),),
}
