"""The taxonomy a new DokVault starts with: document types, tags and custom fields of a
Norwegian real-estate brokerage. Plain data; the caller writes it to the database once and
admins edit it from there.

Matching rules follow paperless-ngx (dokvault/ai/matching.py) and are only a first guess
for the days before the local model has confirmed documents to learn from. They look for
the words a document names itself with; a type named in passing ("se vedlagt
tilstandsrapport") also matches, which is why the classifier ranks rule hits by where in
the text they occur.
"""

from __future__ import annotations

from dokvault.ai.types import FieldKind, FieldSpec, Label, MatchAlgorithm, Taxonomy

ANY, ALL, EXACT, REGEX, FUZZY, NONE = (
    MatchAlgorithm.ANY, MatchAlgorithm.ALL, MatchAlgorithm.EXACT, MatchAlgorithm.REGEX,
    MatchAlgorithm.FUZZY, MatchAlgorithm.NONE,
)

# The type a document gets when nothing else fits.
FALLBACK_TYPE = "Annet"

DOCUMENT_TYPES: tuple[Label, ...] = (
    Label("Oppdragsavtale", "Avtale mellom selger (oppdragsgiver) og meglerforetaket om salg: "
          "vederlag, oppdragstid, prisantydning.",
          r"\boppdragsavtal\w*|\boppdrag om (salg|sal|eiendomsmegling)\b|\b(megler|meklar|megl)oppdrag\w*"
          r"|\bavtale om (eiendomsmegling|salg av (fast )?eiendom|sal av (fast )?eigedom)\b"
          r"|\bi oppdrag å (selge|selje)\b", REGEX),
    Label("Salgsoppgave", "Prospektet for markedsføring: beskrivelse, arealer, prisantydning, "
          "omkostninger, visning.",
          r"\b(salgs|sals)oppg(ave|åve)\w*|\w*prospekt\w*|\bnøkkelinfo\w*", REGEX),
    Label("Takst/Verdivurdering", "Takstmannens eller meglerens vurdering av markedsverdi og "
          "låneverdi.",
          r"\b\w*(verdivurdering|takst(?!mann|kompani|firma|foretak)|taksering|verdsetting|verdsetjing)\w*"
          r"|\bverdi- og lånetakst", REGEX),
    Label("Tilstandsrapport", "Bygningssakkyndiges rapport om byggets tekniske tilstand "
          "(tilstandsgrader TG0-TG3, NS 3600).",
          r"\b\w*(tilstandsrapport|boligsalgsrapport|bustadsalsrapport)\w*|\bNS\s?3600\b", REGEX),
    Label("Energiattest", "Energimerking av bygningen: energikarakter og oppvarmingskarakter.",
          "energiattest energiattesten energimerking energikarakter", ANY),
    Label("Egenerklæring", "Selgers egenerklæring om eiendommens forhold før salg.",
          "egenerklæring", FUZZY),
    Label("Budjournal/Aksept", "Oversikt over bud i budrunden, og aksept av bud.",
          r"\b(budjournal\w*|bodjournal\w*|aksept(en|brev)?|akseptere[rt]?|budoversikt\w*)\b", REGEX),
    Label("Kjøpekontrakt", "Avtalen mellom selger og kjøper: kjøpesum, oppgjør, overtakelse.",
          r"\bkjøpe?s?kontrakt\w*|\bkontrakt om (kjøp|sal|salg)\b", REGEX),
    Label("Oppgjørsoppstilling", "Meglers oppstilling av oppgjøret mellom kjøper og selger.",
          r"\b(oppgjørs|oppgjers)oppstilling\w*|\bslutt(oppgjør|oppgjer)\w*|\boppgjørsskjema\w*", REGEX),
    Label("Skjøte", "Dokumentet som overfører hjemmelen til eiendommen, for tinglysing.",
          r"\b(skjøte|skjøtet|skøyte|skøytet)\b|\b(hjemmels|heimels)overføring\w*", REGEX),
    Label("Pantedokument", "Pant i eiendommen til sikkerhet for lån.",
          "pantedokument pantedokumentet pantobligasjon", ANY),
    Label("Grunnboksutskrift", "Utskrift fra grunnboken hos Kartverket: hjemmel, heftelser.",
          r"\bgrunnboks?utskrift\w*|\butskrift (fra|frå) grunnbok\w*", REGEX),
    Label("Faktura", "Regning fra leverandør eller til kunde.",
          "faktura fakturanummer fakturanr forfallsdato", ANY),
    Label("Korrespondanse", "E-post og brev med kunder, kjøpere, banker og andre.",
          r"(?m)^\s*(fra|frå|emne|sendt|subject|from)\s*:"
          r"|(?m)^\s*(hei|kjære)\b[^\n]{0,40}$[\s\S]*\b(hilsen|helsing|mvh)\b", REGEX),
    Label(FALLBACK_TYPE, "Alt annet: interne notater, referater, skjemaer og lignende.",
          r"(?m)^[^\n]{0,20}\b(referat|møtereferat|sjekkliste|notat|visningsliste|internt notat)\b", REGEX),
)

TAGS: tuple[Label, ...] = (
    Label("Bolig", "Enebolig, leilighet, rekkehus og annen bolig.",
          "enebolig eneboligen leilighet leiligheten rekkehus tomannsbolig eierseksjon boligen", ANY),
    Label("Fritidsbolig", "Hytte og annen fritidseiendom.",
          "fritidsbolig fritidsboligen fritidseiendom hytte hytta hytten", ANY),
    Label("Næring", "Næringseiendom: kontor, butikk, lager.",
          "næringseiendom næringseiendommen næringslokale næringslokaler kontorlokaler næringsbygg",
          ANY),
    Label("Tomt", "Ubebygd tomt.",
          r"\b(ubebygd|ubebygget)e?\s+(bolig)?tomt|\bbyggetomt\w*|\btomtesalg", REGEX),
    Label("Borettslag", "Andelsbolig i borettslag.",
          "borettslag borettslaget andelsnummer andelsleilighet", ANY),
    Label("Haster", "Må behandles raskt.", 'haster snarest "så fort som mulig" hastesak', ANY),
    Label("Signert", "Signert av partene.",
          r"\b(signert|undertegnet)\s+(elektronisk|med\s+bankid|av\s+begge)|\bbankid-signert|"
          r"\belektronisk\s+signert", REGEX),
    Label("Utkast", "Ikke endelig versjon.", "utkast", ANY),
)

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("address", "Eiendommens adresse", FieldKind.TEXT,
              "Gateadresse med postnummer og sted, f.eks. «Strandkaien 1, 5013 Bergen»."),
    FieldSpec("municipality", "Kommune", FieldKind.TEXT, "Kommunen eiendommen ligger i."),
    FieldSpec("gnr_bnr", "Gnr./bnr.", FieldKind.TEXT,
              "Gårds- og bruksnummer som «gnr/bnr», med feste- og seksjonsnummer når de finnes."),
    FieldSpec("seller", "Selger", FieldKind.TEXT, "Selger, hjemmelshaver eller oppdragsgiver."),
    FieldSpec("buyer", "Kjøper", FieldKind.TEXT, "Kjøper eller erverver."),
    FieldSpec("document_date", "Dokumentdato", FieldKind.DATE, "Datoen dokumentet er datert."),
    FieldSpec("contract_date", "Kontraktsdato", FieldKind.DATE, "Datoen kjøpekontrakten ble inngått."),
    FieldSpec("takeover_date", "Overtakelse", FieldKind.DATE, "Avtalt dato for overtakelse."),
    FieldSpec("price", "Pris", FieldKind.MONEY,
              "Kjøpesum, prisantydning eller takstert markedsverdi i kroner."),
    FieldSpec("amount", "Beløp", FieldKind.MONEY,
              "Beløpet som skal betales eller utbetales (faktura, oppgjør)."),
)


def seed_taxonomy() -> Taxonomy:
    return Taxonomy(types=DOCUMENT_TYPES, tags=TAGS, fields=FIELDS)
