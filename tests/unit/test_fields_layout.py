"""Field rules on the layouts and wordings real documents use (issue 17): each failure class
seen on documents nobody here wrote, on a small text of our own."""

from __future__ import annotations

import pytest

from dokvault.ai.field_layout import flatten
from dokvault.ai.fields import extract_fields
from dokvault.ai.taxonomy_seed import FIELDS


def fields(text: str) -> dict[str, str]:
    return extract_fields(text, FIELDS)


# -- layout ----------------------------------------------------------------------------------------

def test_a_table_row_a_value_below_its_label_and_dot_leaders_become_label_value_lines():
    text = ("| Felt | Verdi |\n|---|---|\n| Kommune | Voss |\nKjøpesum\n2 400 000\n"
            "Prisantydning ...... 2 300 000")
    assert flatten(text).split("\n") == ["Felt: Verdi", "", "Kommune: Voss", "Kjøpesum: 2 400 000",
                                         "Prisantydning: 2 300 000"]


def test_a_title_above_a_labelled_line_is_not_taken_for_its_label():
    text = "Selgers egenerklæring om eiendommen\nSelger: Ola Dahl"
    assert fields(text)["seller"] == "Ola Dahl"


def test_values_in_table_cells_and_below_their_labels():
    text = ("| Hjemmelshaver | Ola Dahl |\n| Gårdsnr. | 12 |\n| Bruksnr. | 34 |\n"
            "Kommune\nVoss\nPantesikkerhet, beløp\n1 500 000\n| Dato | 2026-02-03 |")
    assert fields(text) == {"seller": "Ola Dahl", "gnr_bnr": "12/34", "municipality": "Voss",
                            "amount": "1500000", "document_date": "2026-02-03"}


# -- nynorsk ---------------------------------------------------------------------------------------

def test_nynorsk_labels():
    text = ("Seljarar\nKari Lie og Per Lie\nKjøpar: Anne Vik\nGardsnr./bruksnr.: 7/89\n"
            "Overtaking\n1. mars 2026\nStad og dato\nVoss, 2. februar 2026")
    assert fields(text) == {"seller": "Kari Lie og Per Lie", "buyer": "Anne Vik", "gnr_bnr": "7/89",
                            "takeover_date": "2026-03-01", "document_date": "2026-02-02"}


@pytest.mark.parametrize(("label", "key"), [("Prisantyding", "price"), ("Marknadsverdi", "price"),
                                            ("Kjøpesum", "price"), ("Å betale", "amount")])
def test_nynorsk_money_labels_without_kr(label, key):
    assert fields(f"{label}: 3 700 000,-")[key] == "3700000"


# -- addresses -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Adresse: Elvegata 4\n5700 Voss", "Elvegata 4, 5700 Voss"),        # postcode on the next line
    ("Eigedom\nElvegata 4 B 5700\nVoss", "Elvegata 4 B, 5700 Voss"),     # place on the next line
    ("Adresse: Elvegata 4, leil. 302, 5700 Voss", "Elvegata 4, 5700 Voss"),  # a unit left out
    ("Adresse: Elvegata 4 H0304 5700 Voss", "Elvegata 4, 5700 Voss"),
    ("| Oppdragsobjekt | Elvegata 4, Voss |", "Elvegata 4, Voss"),         # no postcode
])
def test_addresses(text, expected):
    assert fields(text)["address"] == expected


def test_the_letterhead_and_the_recipient_are_not_the_property():
    text = ("Megler Vest AS\nBryggen 3\n5003 Bergen\n\nOla Dahl\nFjellveien 9\n5700 Voss\n\n"
            "Vi viser til salget av boligen i Elvegata 4, 5700 Voss.")
    assert fields(text)["address"] == "Elvegata 4, 5700 Voss"


def test_an_address_alone_with_no_label_and_no_postcode_is_not_guessed():
    assert "address" not in fields("Ola Dahl\nFjellveien 9, Voss\n\nHei Ola!")
    assert "address" not in fields("Megler Vest AS\nBryggen 3\n5003 Bergen\n\nHei!")


def test_a_street_starts_a_word():
    # A scan's "RosenIundveien" holds no street called "Iundveien".
    assert "address" not in fields("Tuan Tveit\nRosenIundveien 35\n2000 Lillestrøm")


# -- parties ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    ("Selgere: Kari Lie, Per Lie og Anne Vik", "Kari Lie og Per Lie og Anne Vik"),
    ("Selgere: Kari Lie (1/2) og Per Lie (1/2)", "Kari Lie og Per Lie"),
    ("Selgere: Kari Lie (f. 01.02.1980), Per Lie (f. 03.04.1975) og Anne Vik (f. 05.06.1990)",
     "Kari Lie og Per Lie og Anne Vik"),
    ("Selgere: Kari Lie, f. 01.02.1980; Per Lie, f. 03.04.1975", "Kari Lie og Per Lie"),
])
def test_several_parties_are_joined_with_og_without_shares_or_birth_dates(line, expected):
    assert fields(line)["seller"] == expected


def test_contract_clauses_and_an_assignment_name_the_parties():
    text = ("mellom Kari Lie (f. 01.02.1980) og Per Lie (f. 03.04.1975) (heretter kalt selger)\n"
            "og Anne Vik (heretter kalt kjøper)")
    assert fields(text) == {"seller": "Kari Lie og Per Lie", "buyer": "Anne Vik"}
    assert fields("Undertegnede, Kari Lie og Per Lie, gir med dette Megler AS i oppdrag å selge boligen."
                  )["seller"] == "Kari Lie og Per Lie"


def test_a_named_buyer_wins_over_the_bidder_and_a_bidder_is_a_buyer():
    assert fields("Budgiver: Anne Vik\nKjøper: Per Lie")["buyer"] == "Per Lie"
    assert fields("Budgiver: Anne Vik")["buyer"] == "Anne Vik"


def test_words_that_are_not_names_are_not_taken():
    assert "seller" not in fields("Selger: aksepterer budet")
    assert "buyer" not in fields("| 16.01.2025 kl. 12:56 | Budgiver 1 | kr 9 459 000 |")


# -- money -----------------------------------------------------------------------------------------

def test_a_bid_journal_gives_the_accepted_bid_not_the_asking_price():
    journal = ("Prisantydning: kr 4 000 000\n"
               "| 02.07.2025 kl. 12:50 | Budgiver 1 | kr 3 950 000 | Overbudt |\n"
               "| 02.07.2025 kl. 13:10 | Budgiver 2 | kr 4 100 000 | Akseptert |")
    assert fields(journal)["price"] == "4100000"
    nynorsk = "Prisantyding: 7 030 000\n02.07.2025 kl. 29:18  Bod 7 380 000  – akseptert"
    assert fields(nynorsk)["price"] == "7380000"
    letter = "Prisantydningen var kr 4 000 000. Selger aksepterer herved budet på 4 150 000,-."
    assert fields(letter)["price"] == "4150000"


def test_the_agreed_price_wins_over_the_asking_price():
    assert fields("Prisantydning: kr 4 000 000\nKjøpesum: kr 4 200 000")["price"] == "4200000"


def test_the_brokers_fee_is_not_the_price():
    text = "Vederlag: provisjon 1,5 % av salgssum, minimum kr 45 000\nDato: 01.02.2026"
    assert "price" not in fields(text)
    assert fields(text + "\nPrisantydning: NOK 2 500 000")["price"] == "2500000"


def test_a_price_in_kroner_in_a_sentence_and_the_total_is_not_the_price():
    assert fields("Prisantydningen fastsettes til 20 060 000 kroner.")["price"] == "20060000"
    assert "price" not in fields("Totalpris: kr 4 699 080")


def test_a_bare_number_is_a_price_only_as_the_labels_whole_value():
    assert "price" not in fields("Kjøpesum: se punkt 4, 3 700 000 i alt")
    assert "price" not in fields("Pris 12")  # no grouping, no currency, no separator: not an amount
    assert fields("Kjøpesum: 2 500 000 (to millioner fem hundre tusen)")["price"] == "2500000"


def test_net_to_the_seller_and_a_sum_in_a_table_are_amounts():
    assert fields("| Netto til selger | 3 815 300 |")["amount"] == "3815300"
    assert fields("| Sum inkl. mva. | 8 250,50 |")["amount"] == "8250.50"


# -- dates -----------------------------------------------------------------------------------------

def test_document_dates_in_forms_and_other_dates_are_not_the_documents():
    assert fields("Rapportdato: 09.03.2025")["document_date"] == "2025-03-09"
    assert fields("Utferda\n21. mars 2026")["document_date"] == "2026-03-21"
    assert "document_date" not in fields("| Befaringsdato | 2026-07-25 |\nForfallsdato: 01.08.2026")


# -- scans -----------------------------------------------------------------------------------------

def test_a_scans_misread_label_is_read_back_but_a_value_never_is():
    text = "Scljar: Kari Lie\nMarkedsvcrdi: kr 2 520 000\n| SaIgssum | 3 960 000 |\nDat0: 07.03.2025"
    assert fields(text) == {"seller": "Kari Lie", "price": "3960000", "document_date": "2025-03-07"}
    assert fields("Selger: Kari Iie")["seller"] == "Kari Iie"  # the name stays as the scan has it
    assert flatten("Oppdragsgjcvarar\nKari Lie") == "Oppdragsgjevarar: Kari Lie"


# -- more ways of writing the same thing -----------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Adresse: Elvegata 4, lgh. 12, 5700 Voss", "Elvegata 4, 5700 Voss"),
    ("Adresse: Elvegata 4, 2. etg., 5700 Voss", "Elvegata 4, 5700 Voss"),
    ("Adresse: Elvegata 4, leil. nr. 302, 5700 Voss", "Elvegata 4, 5700 Voss"),
])
def test_more_units_are_left_out_of_the_address(text, expected):
    assert fields(text)["address"] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Eiendom: g.nr. 12 b.nr. 34", "12/34"),
    ("Gnr 12/34 i Voss kommune", "12/34"),
    ("Matrikkel: 4621-12/34", "12/34"),
    ("Matr.nr. 12/34/0/5", "12/34/0/5"),
])
def test_cadastral_numbers_written_other_ways(text, expected):
    assert fields(text)["gnr_bnr"] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Dato: 12/03/2026", "2026-03-12"), ("Dato: 12-03-2026", "2026-03-12"), ("Dato: 12.03.26", "2026-03-12"),
])
def test_dates_with_slashes_dashes_and_two_digit_years(text, expected):
    assert fields(text)["document_date"] == expected


def test_a_version_number_or_an_amount_is_not_a_date():
    assert "document_date" not in fields("Dato: versjon 1.2.3")
    assert "document_date" not in fields("Dato: kr 12.03.26,50")


@pytest.mark.parametrize(("text", "expected"), [
    ("Selgere: Kari Lie & Per Lie", "Kari Lie og Per Lie"),
    ("Selger: Kari Lie, andel 1/2, og Per Lie, andel 1/2", "Kari Lie og Per Lie"),
    ("Selgere:\nKari Lie (f. 01.02.1980)\nPer Lie (f. 03.04.1975)\nEiendom: Elvegata 4, 5700 Voss",
     "Kari Lie og Per Lie"),                                         # one party a line
    ("| Selgere | Kari Lie (1/2) |\n| | Per Lie (1/2) |", "Kari Lie og Per Lie"),  # a table's rows
])
def test_several_parties_written_other_ways(text, expected):
    assert fields(text)["seller"] == expected


def test_a_party_table_names_the_parties_in_its_rows():
    text = ("| Oppdragsgiver | Fødselsdato | Eierandel |\n| Kari Lie | 01/02/1980 | 1/2 |\n"
            "| Per Lie | 03/04/1975 | 1/2 |\n\nEiendommen\nElvegata 4\n5700 Voss")
    assert fields(text)["seller"] == "Kari Lie og Per Lie"
