"""PostgreSQL's snippets (search_pg.snippet_of): fragments around the first hits of the
query terms in a document's text, with the hits marked. Pure: no database."""

from __future__ import annotations

from dokvault.services.search import HIT_END, HIT_START, snippet_parts
from dokvault.services.search import postgres as search_pg


def marked(snippet: str) -> list[str]:
    return [p["text"] for p in snippet_parts(snippet) if p["hit"]]


def test_the_first_fragment_starts_just_before_the_first_hit():
    text = "Innledning om mye annet. " * 20 + "Boligen har varmepumpe og peis i stua."
    snippet = search_pg.snippet_of(text, ["varmepump"])
    assert marked(snippet) == ["varmepumpe"]
    assert snippet.startswith(f"annet. Boligen har {HIT_START}varmepumpe{HIT_END} og peis")
    assert len(snippet.split()) == 8  # the text ends before SNIPPET_WORDS


def test_every_form_of_a_term_lights_up_in_any_case():
    snippet = search_pg.snippet_of("EIENDOMMEN og eiendommene. Kjøperen betaler.", ["eiendom", "kjøp"])
    assert marked(snippet) == ["EIENDOMMEN", "eiendommene", "Kjøperen"]


def test_a_term_inside_a_word_is_no_hit():
    snippet = search_pg.snippet_of("Forkjøpsrett gjelder. Kjøp av bolig.", ["kjøp"])
    assert marked(snippet) == ["Kjøp"]


def test_a_second_fragment_around_a_later_hit():
    text = "Peis i stua. " + "Ord uten treff her. " * 30 + "Ny peis i kjelleren."
    snippet = search_pg.snippet_of(text, ["peis"])
    first, second = snippet.split(" … ")
    assert marked(first) == ["Peis"] and marked(second) == ["peis"]
    assert second.startswith(f"treff her. Ny {HIT_START}peis")
    assert len(first.split()) == search_pg.SNIPPET_WORDS


def test_a_hit_far_into_a_long_text_and_none_at_all():
    text = "Tekst uten det. " * 2000 + "Her er skjøtet."  # past several chunks
    assert marked(search_pg.snippet_of(text, ["skjøt"])) == ["skjøtet"]
    plain = search_pg.snippet_of("Bare en navnetreff i teksten.", ["faktura"])
    assert plain.startswith("Bare en") and marked(plain) == []
    assert search_pg.snippet_of("Noe tekst.", []) == ""
    assert search_pg.snippet_of("", ["x"]) == ""


def test_the_texts_own_marker_characters_and_odd_letters_are_harmless():
    text = f"Ver{HIT_START}di {HIT_END}takst: İstanbul og takst for boligen."
    snippet = search_pg.snippet_of(text, ["takst"])
    assert marked(snippet) == ["takst", "takst"]
    assert snippet.count(HIT_START) == 2 and snippet.count(HIT_END) == 2


def test_a_fragment_does_not_start_inside_an_address():
    text = "Fra: Kari Nordmann <kari.nordmann@eiendomsmegler.no>\nEmne: Kjøpekontrakt Strandkaien\n\nHei"
    snippet = search_pg.snippet_of(text, ["kjøpekontrakt"])
    assert snippet.startswith(f"<kari.nordmann@eiendomsmegler.no> Emne: {HIT_START}Kjøpekontrakt")
    long_run = "Innledning " + "x" * 60 + ".a.b.c Kjøpekontrakt"  # no space near: at a word, as before
    assert search_pg.snippet_of(long_run, ["kjøpekontrakt"]).startswith(f"a.b.c {HIT_START}Kjøpekontrakt")
