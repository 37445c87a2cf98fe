"""Search latency at 10k and 100k generated documents on PostgreSQL: p50/p95 of word,
phrase and filtered queries (type:, tag:, added:) and of suggestions, through
`documents.find_documents` (what the search page calls: a page of hits with snippets, the
total and the counts per type and tag) as an admin and as a broker. Target: p95 < 100 ms
at 100k.

    .venv/bin/python bench/search.py                      # 10k, then 100k
    .venv/bin/python bench/search.py --sizes 2000 --repeat 2      # a quick run
    .venv/bin/python bench/search.py --explain            # EXPLAIN ANALYZE of the slowest queries

A throwaway database (`--pg-admin-url`, a superuser; dropped afterwards) is migrated to
head, then filled in bulk: people, offices and the seeded taxonomy, then documents of
Norwegian brokerage text (most short, some long) with types, tags, fields and dates, by
COPY. The text is indexed with search.index_document's own SQL over the terms from
norwegian.terms, so the search columns are what the worker writes. Reaching 100k reuses
the first 10k. Prints a table; the last line is one JSON object of the figures. No
timing asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
SEED = 20261123
OFFICES = 12
BROKERS = 240
SHARED_SHARE = 0.3  # of a broker's documents, shared with the office

# --- what the documents say ------------------------------------------------------------------

STREETS = [
    "Strandkaien", "Kongsgårdbakken", "Løkkeveien", "Pedersgata", "Storgata", "Kirkegata",
    "Bryggen", "Nygårdsgaten", "Møllendalsveien", "Fjellveien", "Solheimsgaten", "Kalfarveien",
    "Thorvald Meyers gate", "Bogstadveien", "Hegdehaugsveien", "Trondheimsveien", "Ullevålsveien",
    "Sandviksveien", "Eidsvågveien", "Skansegata", "Havnegata", "Elvegata", "Skogveien",
    "Bjørkeveien", "Granveien", "Furuveien", "Lindeveien", "Eikeveien", "Rosenborggata",
    "Olav Tryggvasons gate", "Dronningens gate", "Kongens gate", "Prinsens gate", "Tordenskjolds gate",
    "Hillevågsveien", "Madlaveien", "Tjensvollveien", "Eiganesveien", "Våganes", "Sjøhagen",
] + [f"{w}{s}" for w in ("Bakke", "Lyng", "Myr", "Berg", "Dal", "Vik", "Nes", "Hol", "Li", "Ås")
     for s in ("veien", "stien", "lia", "tunet", "haugen", "bakken")]
PLACES = [("4005", "Stavanger"), ("4010", "Stavanger"), ("4014", "Stavanger"), ("5003", "Bergen"),
          ("5015", "Bergen"), ("5020", "Bergen"), ("0154", "Oslo"), ("0357", "Oslo"), ("0467", "Oslo"),
          ("7011", "Trondheim"), ("7030", "Trondheim"), ("4306", "Sandnes"), ("1606", "Fredrikstad"),
          ("9008", "Tromsø"), ("3015", "Drammen"), ("6002", "Ålesund"), ("4611", "Kristiansand")]
FIRST = ["Kari", "Ola", "Åse", "Per", "Ingrid", "Lars", "Solveig", "Bjørn", "Marit", "Eirik",
         "Sigrid", "Håkon", "Nora", "Jonas", "Emma", "Magnus", "Ida", "Henrik", "Thea", "Øystein"]
LAST = ["Nordmann", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen",
        "Berg", "Haugen", "Hagen", "Bakken", "Dahl", "Lie", "Strand", "Moen", "Solberg", "Ødegård"]
# Common words first: sampled with Zipf weights, so a few are everywhere and most are rare.
WORDS = """
og i til av på som for med er det at en den ved eller skal har fra om ikke etter eiendommen
kjøper selger boligen kjøperen selgeren eiendom bolig kjøpesum overtakelse avtalen megler
oppdraget dato beløp kroner betaling tinglysing skjøte pant kontrakt dokumentet vedlagt
bekrefter signert partene oppgjør klientkonto prisantydning takst soverom stue kjøkken bad
terrasse balkong garasje hage tomt areal bruksareal primærrom tilstandsgrad tilstandsrapport
energiattest energikarakter oppvarmingskarakter visning budrunde bud aksept akseptfrist
forbehold finansiering lånetilsagn banken låneverdi markedsverdi verdivurdering takstmann
befaring byggeår rehabilitert oppusset vedlikehold fellesgjeld felleskostnader borettslag
sameie vedtekter husordensregler styret forretningsfører kommunale avgifter eiendomsskatt
forsikring branntakst regulering reguleringsplan grunnbok grunnboksutskrift heftelser
servitutter veirett hjemmel hjemmelshaver omkostninger dokumentavgift gebyr tinglysingsgebyr
faktura forfall kid mva totalt egenerklæring selgers opplysninger fukt råte sopp drenering
taktekking vinduer elektrisk anlegg sikringsskap varmtvann varmepumpe peis vedovn fyring
parkett fliser utsikt solforhold nærmiljø skole barnehage butikk kollektivtransport buss bane
ferdigattest brukstillatelse tegninger godkjent ulovlig bygningsdel boder kjeller loft
overtakelsesprotokoll nøkler strøm måleravlesning vann renovasjon sluttoppgjør innbetaling
utbetaling restbeløp depositum renter forsinkelse mislighold heving reklamasjon avhendingsloven
eierskifteforsikring boligkjøperforsikring korrespondanse henvendelse spørsmål svar kunden
oppfølging møte telefon epost vennlig hilsen mvh eiendomsmegler meglerfullmektig
oppdragsansvarlig kontor eiendommene kjøpere selgere boligene kjøperne selgerne avtaler meglere
oppdrag leiligheten leilighet rekkehus enebolig tomannsbolig hytte fritidsbolig næringslokale
""".split()  # noqa: SIM905  (prose reads better than a list)
# The long tail: compounds, as Norwegian writes them, each rare (Zipf over 3,600 of them).
_HEADS = """bad kjøkken stue sove bolig hage garasje tak vindu dør trapp gang kjeller loft bod
vann strøm varme fyr pipe mur grunn tomt vei sjø fjell skog strand kai brygge havn torg park
skole barn butikk buss bane bil sykkel båt hytte leilighet rom gulv vegg flis panel lys luft
sol utsikt kontrakt pant lån bank rente""".split()  # noqa: SIM905
_TAILS = """rom dør vindu lampe benk skap plate hylle list kant flate side del ledning rør kum
anlegg ovn pumpe måler bryter tavle post kasse stige sti plass gate vei lag område tomt hage
front vegg gulv tak kledning kant stein stokk ramme beslag teppe maling lakk olje fuge sluk
avtale gjeld utgift""".split()  # noqa: SIM905
TAIL = [h + t for h in _HEADS for t in _TAILS if h != t]
PHRASES = ["tre soverom", "til kjøperen", "stue med peis", "utsikt over sjøen", "ingen heftelser",
           "overtakelse etter avtale", "selgers egenerklæring", "godkjent ferdigattest",
           "oppgjør via klientkonto", "tilstandsgrad 2", "eierskifteforsikring er tegnet"]
TYPE_WORDS = {
    "Oppdragsavtale": "oppdragsavtale oppdragsgiver vederlag provisjon oppdragstid markedsføring",
    "Salgsoppgave": "salgsoppgave prisantydning beliggenhet standard innhold solrik lys",
    "Takst/Verdivurdering": "verditakst takstmann markedsverdi låneverdi vurdering befaring",
    "Tilstandsrapport": "tilstandsrapport tilstandsgrad bygningssakkyndig avvik symptom fuktmåling",
    "Energiattest": "energiattest energikarakter oppvarmingskarakter enova kwh",
    "Egenerklæring": "egenerklæringsskjema selger kjenner feil mangler endringer",
    "Budjournal/Aksept": "budjournal budgiver budsum akseptert akseptfrist forbehold",
    "Kjøpekontrakt": "kjøpekontrakt kjøpesummen overdragelse hjemmelsoverføring signering",
    "Oppgjørsoppstilling": "oppgjørsoppstilling oppgjøret innestående utbetales avregning",
    "Skjøte": "skjøte hjemmel overdras erverver tinglyses kartverket",
    "Pantedokument": "pantedokument panthaver pantsetter pantobligasjon prioritet",
    "Grunnboksutskrift": "grunnboksutskrift heftelser servitutter matrikkel hjemmelshaver",
    "Faktura": "faktura fakturanummer forfallsdato kontonummer mva betalingsfrist",
    "Korrespondanse": "hei takk spørsmål svar vennlig hilsen",
    "Annet": "notat referat internt rutiner",
}
TAGS_FOR = {"Bolig": 0.5, "Fritidsbolig": 0.08, "Næring": 0.05, "Tomt": 0.04, "Borettslag": 0.15,
            "Haster": 0.06, "Signert": 0.3, "Utkast": 0.1}


class Generator:
    """Documents with text, type, tags, fields and dates; deterministic for a seed."""

    def __init__(self, seed: int, types: dict[str, int], tags: dict[str, int], fields: dict[str, int]):
        self.rnd = random.Random(seed)
        self.types, self.tags, self.fields = types, tags, fields
        self.type_names = sorted(types)
        self.cum = _cumulative(len(WORDS), 1.05)
        self.tail = TAIL[:]
        random.Random(seed).shuffle(self.tail)
        self.tail_cum = _cumulative(len(self.tail), 1.0)

    def words(self, n: int) -> list[str]:
        """Common words, and one in four from the long tail."""
        words = self.rnd.choices(WORDS, cum_weights=self.cum, k=n)
        for i in range(0, n, 4):
            words[i] = self.rnd.choices(self.tail, cum_weights=self.tail_cum)[0]
        return words

    def text(self, type_name: str, address: str, seller: str, buyer: str, price: int) -> str:
        r = self.rnd
        size = r.random()
        # Most documents are a page or two; some are long reports.
        n = (r.randint(80, 400) if size < 0.75 else r.randint(800, 1600) if size < 0.97
             else r.randint(3000, 4500))
        special = TYPE_WORDS[type_name].split()
        sentences = [f"{type_name} for {address}.", f"Selger: {seller}. Kjøper: {buyer}."]
        done = 0
        while done < n:
            length = r.randint(6, 18)
            words = self.words(length)
            if r.random() < 0.5:
                words[r.randrange(length)] = r.choice(special)
            if r.random() < 0.08:
                words.insert(r.randrange(length), r.choice(PHRASES))
            if r.random() < 0.05:
                words.append(f"kr {price:,}".replace(",", " "))
            if r.random() < 0.04:
                words.append(r.choice(STREETS))
            sentence = " ".join(words)
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
            done += length
        return " ".join(sentences)

    def document(self, doc_id: int, owners: list[tuple[int, int | None]], start: datetime) -> dict:
        r = self.rnd
        type_name = r.choice(self.type_names)
        street, number = r.choice(STREETS), r.randint(1, 140)
        postcode, city = r.choice(PLACES)
        address = f"{street} {number}, {postcode} {city}"
        seller = f"{r.choice(FIRST)} {r.choice(LAST)}"
        buyer = f"{r.choice(FIRST)} {r.choice(LAST)}"
        price = r.randrange(1_500_000, 15_000_000, 10_000)
        owner_id, office_id = r.choice(owners)
        created = start + timedelta(seconds=r.randrange(0, 730 * 86400))
        document_date = (created - timedelta(days=r.randint(0, 60))).date() if r.random() < 0.7 else None
        fields = {"address": address}
        if type_name in ("Salgsoppgave", "Kjøpekontrakt", "Takst/Verdivurdering", "Budjournal/Aksept"):
            fields["price"] = str(price)
        if type_name in ("Kjøpekontrakt", "Skjøte", "Oppdragsavtale"):
            fields |= {"seller": seller, "buyer": buyer}
        if type_name == "Kjøpekontrakt" and document_date:
            fields["contract_date"] = document_date.isoformat()
        if type_name in ("Faktura", "Oppgjørsoppstilling"):
            cents = r.choice(("", ".50", ".25"))
            fields["amount"] = f"{r.randrange(500, 250_000)}{cents}"
        tags = [t for t, p in TAGS_FOR.items() if t in self.tags and r.random() < p]
        text = self.text(type_name, address, seller, buyer, price)
        return {
            "id": doc_id, "owner_id": owner_id,
            "shared_office_id": office_id if office_id and r.random() < SHARED_SHARE else None,
            "name": f"{type_name.split('/')[0]} {street} {number}.pdf", "type_id": self.types[type_name],
            "created_at": created, "document_date": document_date, "text": text,
            "tags": [self.tags[t] for t in tags],
            "fields": [(self.fields[k], v) for k, v in fields.items() if k in self.fields],
        }


def _cumulative(n: int, exponent: float) -> list[float]:
    weights = [1 / (i + 1) ** exponent for i in range(n)]
    total, running, out = sum(weights), 0.0, []
    for w in weights:
        running += w
        out.append(running / total)
    return out


# --- the database ------------------------------------------------------------------------------


def configure(database: str, data_dir: str, pg_admin: str) -> str:
    """Point DokVault at the bench database (as the superuser: it also migrates)."""
    base = pg_admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    url = f"{base}/{database}"
    for name in ("DATABASE_URL", "DATABASE_MIGRATE_URL", "REDIS_URL", "MINIO_ENDPOINT"):
        os.environ.pop(name, None)
    os.environ.update(DATABASE_URL=url, DOKVAULT_DATA_DIR=data_dir, HIBP_ENABLED="false")
    from dokvault.core.caches import reset_caches

    reset_caches()
    return url


def raw_connection():
    """A psycopg connection to the bench database, for COPY."""
    import psycopg

    from dokvault.settings import get_settings

    return psycopg.connect(get_settings().db_url.replace("postgresql+psycopg://", "postgresql://", 1))


def seed_people() -> dict:
    """Offices, brokers (no real password: nobody signs in) and one admin; the taxonomy."""
    from sqlmodel import select

    from dokvault import db
    from dokvault.models import CustomField, DocumentType, Office, Role, Tag, User
    from dokvault.services.intelligence import taxonomy

    rnd = random.Random(SEED)
    with db.session() as s:
        taxonomy.seed_once(s)
        offices = [Office(name=f"{city} {i}") for i, (_, city) in enumerate(PLACES[:OFFICES])]
        s.add_all(offices)
        s.flush()
        admin = User(email="admin@bench.no", name="Admin", password_hash="-", role=Role.ADMIN)
        brokers = [User(email=f"megler{i}@bench.no", name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
                        password_hash="-", role=Role.BROKER, office_id=rnd.choice(offices).id)
                   for i in range(BROKERS)]
        s.add_all([admin, *brokers])
        s.commit()
        types = dict((n, i) for i, n in s.exec(select(DocumentType.id, DocumentType.name)).all())
        tags = dict((n, i) for i, n in s.exec(select(Tag.id, Tag.name)).all())
        fields = dict((k, i) for i, k in s.exec(select(CustomField.id, CustomField.key)).all())
        for u in (admin, *brokers):
            s.refresh(u)
    return {"admin": admin, "brokers": brokers, "types": types, "tags": tags, "fields": fields}


def load_documents(gen: Generator, people: dict, first_id: int, count: int) -> dict[str, float]:
    """COPY `count` documents, their text, tags and fields; then index the new text."""
    from dokvault.services.search import terms

    owners = [(u.id, u.office_id) for u in people["brokers"]] + [(people["admin"].id, None)]
    start = datetime(2024, 11, 1, tzinfo=UTC)
    timings = {}
    t0 = time.perf_counter()
    docs = [gen.document(first_id + i, owners, start) for i in range(count)]
    parts = [terms.pg_vector_parts(d["name"], d["text"]) for d in docs]
    timings["generate_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    with raw_connection() as conn, conn.cursor() as cur:
        cols = ("id, uid, owner_id, name, ext, content_type, size, sha256, object_key, status, attempts, "
                "ocr_pages, shared_office_id, document_type_id, document_date, page_count, created_at, "
                "updated_at, processed_at")
        with cur.copy(f"COPY document ({cols}) FROM STDIN") as copy:
            for d in docs:
                copy.write_row((d["id"], uuid.uuid4(), d["owner_id"], d["name"], ".pdf", "application/pdf",
                                len(d["text"]) * 3, f"{d['id']:064x}", f"{d['owner_id']}/{d['id']}.pdf",
                                "ready", 1, 0, d["shared_office_id"], d["type_id"], d["document_date"],
                                1 + len(d["text"]) // 3000, d["created_at"], d["created_at"],
                                d["created_at"]))
        with cur.copy("COPY document_text (document_id, text) FROM STDIN") as copy:
            for d in docs:
                copy.write_row((d["id"], d["text"]))
        with cur.copy("COPY document_tag (document_id, tag_id) FROM STDIN") as copy:
            for d in docs:
                for tag_id in d["tags"]:
                    copy.write_row((d["id"], tag_id))
        with cur.copy("COPY document_field (document_id, field_id, value) FROM STDIN") as copy:
            for d in docs:
                for field_id, value in d["fields"]:
                    copy.write_row((d["id"], field_id, value))
        cur.execute("CREATE TABLE bench_terms (document_id int PRIMARY KEY, name text, terms text, "
                    "pairs text)")
        with cur.copy("COPY bench_terms (document_id, name, terms, pairs) FROM STDIN") as copy:
            for d, part in zip(docs, parts, strict=True):
                copy.write_row((d["id"], part["name"], part["terms"], part["pairs"]))
        cur.execute("SELECT setval('document_id_seq', (SELECT max(id) FROM document))")
        # The GIN indexes are built once after the vectors, as the migration defines them.
        indexes = [r[0] for r in cur.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'document_search' "
            "AND indexdef LIKE '%USING gin%'").fetchall()]
        for definition in indexes:
            cur.execute("DROP INDEX " + definition.split(" INDEX ", 1)[1].split(" ON ", 1)[0])
        conn.commit()
    timings["copy_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    index_text(first_id, first_id + count)
    with raw_connection() as conn:
        for definition in indexes:
            conn.execute(definition)
        conn.execute("DROP TABLE bench_terms")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    timings["index_s"] = time.perf_counter() - t0
    return timings


def index_text(first: int, end: int, workers: int = 2) -> None:
    """search.index_document's UPDATE for every new document, in `workers` slices at once."""
    from dokvault.services.search import PG_PAIRS, PG_VECTOR, SEARCH_FORMAT

    vector = PG_VECTOR.format(name="b.name", terms="b.terms")
    pairs = PG_PAIRS.format(pairs="b.pairs")

    def work(lo: int, hi: int) -> None:
        with raw_connection() as conn:
            conn.execute(
                f"UPDATE document_search SET search_vector = {vector}, search_pairs = {pairs}, "  # noqa: S608
                "search_format = %(format)s "
                "FROM bench_terms b WHERE b.document_id = document_search.id "
                "AND b.document_id >= %(lo)s AND b.document_id < %(hi)s",
                {"format": SEARCH_FORMAT, "lo": lo, "hi": hi})
            conn.commit()

    step = -(-(end - first) // workers)
    threads = [threading.Thread(target=work, args=(lo, min(lo + step, end)))
               for lo in range(first, end, step)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def check_index_matches_the_worker(document_id: int) -> bool:
    """The bulk SQL gives the same search_vector and search_pairs as search.index_document."""
    from sqlalchemy import text as sql

    from dokvault import db
    from dokvault.services import search

    with db.session() as s:
        name, body, before = s.exec(sql(
            "SELECT d.name, t.text, (x.search_vector || x.search_pairs)::text FROM document d "
            "JOIN document_text t ON t.document_id = d.id JOIN document_search x ON x.id = d.id "
            "WHERE d.id = :id"
        ).bindparams(id=document_id)).one()
        search.index_document(s, document_id, name, body)
        after = s.exec(sql("SELECT (search_vector || search_pairs)::text FROM document_search WHERE id = :id")
                       .bindparams(id=document_id)).one()[0]
        s.rollback()
    return before == after


# --- the queries ---------------------------------------------------------------------------

# Common, middling and rare words (and some from the long tail, picked per seed in measure()).
WORD_QUERIES = ["eiendommen", "kjøper", "Strandkaien", "tilstandsgrad", "energiattest", "peis",
                "varmepumpe", "Tromsø", "budjournal", "kjøperen selgeren", "garasje hage",
                "takst OR verdivurdering", "bolig -hytte", "Nordmann"]
PHRASE_QUERIES = ['"tre soverom"', '"til kjøperen"', '"stue med peis"', '"ingen heftelser"',
                  '"oppgjør via klientkonto"', '"godkjent ferdigattest"', '"tilstandsgrad 2" bad',
                  '"selgers egenerklæring"']
FILTER_QUERIES = ["type:Kjøpekontrakt", "tag:Haster", "added:2025-03", "type:Faktura tag:Haster",
                  "eiendommen type:Salgsoppgave", "kjøper tag:Signert", "peis added:2025-01..2025-06",
                  "tag:Bolig tag:Signert added:2025", "type:Takst tag:Borettslag",
                  'address:"Strandkaien 12"', "created:2025-06 type:Oppgjørsoppstilling",
                  "type:Korrespondanse OR type:Annet"]
SUGGEST_PREFIXES = ["eien", "kjø", "strandk", "type:ta", "tag:ha", "address:strand", "ad", "varmep",
                    "Tro", "budj"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(fn, repeat: int, answers: list | None = None, query: str = "") -> list[float]:
    answer = fn()  # warm: plans, caches
    if answers is not None:
        answers.append((query, answer))
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def measure(users: dict, repeat: int, tail: list[str]) -> tuple[dict, dict, dict]:
    """Samples (ms) per (kind, who), the slowest query of each kind, and per (kind, who)
    the share of queries whose result was large enough to be counted on the sample."""
    from dokvault.services import documents
    from dokvault.services.search import suggestions

    samples: dict[tuple[str, str], list[float]] = {}
    slowest: dict[str, tuple[float, str, str]] = {}
    answers: dict[tuple[str, str], list] = {}
    words = [*WORD_QUERIES, tail[20], tail[400], f"{tail[60]} {tail[90]}"]
    kinds = {"words": words, "phrases": PHRASE_QUERIES, "filters": FILTER_QUERIES}
    for who, user in users.items():
        for kind, queries in kinds.items():
            for q in queries:
                got = timed(lambda q=q, user=user: documents.find_documents(user, q, page_size=25), repeat,
                            answers.setdefault((kind, who), []), q)
                samples.setdefault((kind, who), []).extend(got)
                if max(got) > slowest.get(kind, (0, "", ""))[0]:
                    slowest[kind] = (max(got), q, who)
            for q in ("eiendommen", "type:Kjøpekontrakt"):
                got = timed(lambda q=q, user=user: documents.find_documents(user, q, sort="date"), repeat)
                samples.setdefault(("date_sort", who), []).extend(got)
        for prefix in SUGGEST_PREFIXES:
            got = timed(lambda p=prefix, user=user: suggestions.suggest(user, p), repeat)
            samples.setdefault(("suggest", who), []).extend(got)
            if max(got) > slowest.get("suggest", (0, "", ""))[0]:
                slowest["suggest"] = (max(got), prefix, who)
    estimated = {key: sum(a.approximate for _, a in got) / len(got) for key, got in answers.items()}
    return samples, slowest, estimated, estimate_errors(users, answers)


def estimate_errors(users: dict, answers: dict) -> list[tuple[float, str, str, int, int]]:
    """For every result counted on the sample: how far (%) its total was from the exact
    count, found again with SEARCH_EXACT_LIMIT lifted; with who, the query, the estimate
    and the exact count."""
    from dokvault.services import documents
    from dokvault.settings import get_settings

    approximate = [(who, q, a.total) for (_, who), got in answers.items() for q, a in got if a.approximate]
    before = os.environ.get("SEARCH_EXACT_LIMIT")
    os.environ["SEARCH_EXACT_LIMIT"] = str(10**9)
    get_settings.cache_clear()
    try:
        errors = []
        for who, q, estimate in approximate:
            exact = documents.find_documents(users[who], q, page_size=1).total
            errors.append((abs(estimate - exact) / max(exact, 1) * 100, who, q, estimate, exact))
    finally:
        os.environ.pop("SEARCH_EXACT_LIMIT")
        if before is not None:
            os.environ["SEARCH_EXACT_LIMIT"] = before
        get_settings.cache_clear()
    return errors


def explain(user, query: str) -> str:
    """EXPLAIN ANALYZE of each statement find_documents runs for this query."""
    from sqlalchemy import event

    from dokvault import db
    from dokvault.services import documents

    statements: list[tuple[str, object]] = []
    engine = db.get_engine()

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH", "SET")) and "pg_" not in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        documents.find_documents(user, query)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    out = []
    with raw_connection() as conn:
        for statement, parameters in statements:
            if statement.lstrip().upper().startswith("SET"):
                conn.execute(statement)  # as the search ran it (SET LOCAL: this transaction)
                continue
            plan = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).fetchall()
            out.append(statement[:300] + "\n" + "\n".join(r[0] for r in plan))
    return "\n\n".join(out)


def pick_broker(people: dict):
    """A broker who sees a typical number of documents (own and shared with the office)."""
    from sqlalchemy import text as sql

    from dokvault import db

    with db.session() as s:
        rows = s.exec(sql(
            "SELECT u.id, (SELECT count(*) FROM document d WHERE d.owner_id = u.id "
            "OR d.shared_office_id = u.office_id) AS n FROM \"user\" u WHERE u.role = 'broker' "
            "ORDER BY n")).all()
    broker_id, visible = rows[len(rows) // 2]
    broker = next(b for b in people["brokers"] if b.id == broker_id)
    return broker, int(visible)


def existing_people() -> dict:
    """The people and taxonomy of a database this bench filled before (--database)."""
    from sqlmodel import select

    from dokvault import db
    from dokvault.models import CustomField, DocumentType, Role, Tag, User

    with db.session() as s:
        users = s.exec(select(User).order_by(User.id)).all()
        return {
            "admin": next(u for u in users if u.role == Role.ADMIN),
            "brokers": [u for u in users if u.role == Role.BROKER],
            "types": {n: i for i, n in s.exec(select(DocumentType.id, DocumentType.name)).all()},
            "tags": {n: i for i, n in s.exec(select(Tag.id, Tag.name)).all()},
            "fields": {k: i for i, k in s.exec(select(CustomField.id, CustomField.key)).all()},
        }


def report(label: str, samples: dict, figures: dict, rows: list) -> None:
    for (kind, who), values in sorted(samples.items()):
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        rows.append((label, kind, who, len(values), p50, p95, max(values)))
        figures[f"p50_ms_{kind}_{who}_{label}"] = round(p50, 1)
        figures[f"p95_ms_{kind}_{who}_{label}"] = round(p95, 1)
    for kind in ("words", "phrases", "filters", "date_sort", "suggest"):
        both = samples.get((kind, "admin"), []) + samples.get((kind, "broker"), [])
        figures[f"p95_ms_{kind}_{label}"] = round(percentile(both, 0.95), 1)


def run(args, database: str, figures: dict, rows: list) -> None:
    from sqlalchemy import text as sql

    from dokvault import db
    from dokvault.migrations import upgrade_database

    if args.database:
        people = existing_people()
        with db.session() as s:
            sizes = [int(s.exec(sql("SELECT count(*) FROM document")).one()[0])]
    else:
        upgrade_database()
        for ddl in args.ddl:
            with raw_connection() as conn:
                conn.execute(ddl)
                conn.commit()
        people = seed_people()
        sizes = sorted(int(n) for n in args.sizes.split(","))
    gen = Generator(SEED, people["types"], people["tags"], people["fields"])
    loaded = 0 if not args.database else sizes[0]
    for size in sizes:
        label = f"{size // 1000}k" if size % 1000 == 0 else str(size)
        if size > loaded:
            t0 = time.perf_counter()
            timings = load_documents(gen, people, loaded + 1, size - loaded)
            loaded = size
            figures[f"load_s_{label}"] = round(time.perf_counter() - t0, 1)
            print(f"{label}: loaded in {figures[f'load_s_{label}']:.0f} s "
                  + " ".join(f"{k}={v:.0f}" for k, v in timings.items()), flush=True)
            figures["index_same_as_worker"] = check_index_matches_the_worker(size)
        broker, visible = pick_broker(people)
        figures[f"broker_visible_docs_{label}"] = visible
        samples, slowest, estimated, errors = measure({"admin": people["admin"], "broker": broker},
                                                      args.repeat, gen.tail)
        report(label, samples, figures, rows)
        if errors:
            p50, (worst, who, q, estimate, exact) = percentile([e[0] for e in errors], 0.5), max(errors)
            figures[f"estimate_error_p50_pct_{label}"] = round(p50, 1)
            figures[f"estimate_error_max_pct_{label}"] = round(worst, 1)
            print(f"  {len(errors)} estimated totals: error p50 {p50:.1f} %, max {worst:.1f} % "
                  f"({who} {q!r}: {estimate} for {exact})", flush=True)
        for (kind, who), share in sorted(estimated.items()):
            figures[f"estimated_share_{kind}_{who}_{label}"] = round(share, 2)
        for kind, (ms, q, who) in slowest.items():
            print(f"  slowest {kind}: {ms:.0f} ms {who} {q!r}", flush=True)
            if args.explain and size == sizes[-1] and kind != "suggest":
                print(explain(people["admin"] if who == "admin" else broker, q), flush=True)
    figures["largest"] = sizes[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="document counts, ascending")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query and user")
    parser.add_argument("--pg-admin-url", default=os.environ.get("PG_ADMIN_URL", PG_ADMIN))
    parser.add_argument("--explain", action="store_true", help="print plans of the slowest queries")
    parser.add_argument("--ddl", action="append", default=[], help="more DDL, run after migrating")
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    parser.add_argument("--database", help="measure a database kept by --keep; no loading")
    args = parser.parse_args()

    import psycopg

    database = args.database or f"dokvault_bench_search_{os.getpid()}"
    if not args.database:
        with psycopg.connect(args.pg_admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
    figures: dict[str, float | int | bool] = {}
    rows: list[tuple] = []
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            configure(database, data_dir, args.pg_admin_url)
            run(args, database, figures, rows)
    finally:
        from dokvault import db

        if db.get_engine.cache_info().currsize:
            db.get_engine().dispose()
        if args.keep or args.database:
            print(f"kept database {database}", flush=True)
        else:
            with psycopg.connect(args.pg_admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    print(f"\n{'size':>6} {'queries':<10} {'user':<7} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for label, kind, who, n, p50, p95, top in rows:
        print(f"{label:>6} {kind:<10} {who:<7} {n:>5} {p50:>8.1f} {p95:>8.1f} {top:>8.1f}")
    largest = figures.pop("largest", None)
    if largest:
        label = f"{largest // 1000}k" if largest % 1000 == 0 else str(largest)
        figures["target_p95_ms"] = 100
        figures["meets_target"] = all(figures[f"p95_ms_{k}_{label}"] < 100
                                      for k in ("words", "phrases", "filters"))
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
