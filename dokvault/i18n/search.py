"""Search: the query, its syntax help, facets and suggestions."""

from dokvault.i18n.catalogue import register

# pages/search.py
register({
    "nb": {
        "search.syntax": 'Ord, "fraser", OR og -utelat. Filtre: type:Faktura tag:Haster '
                         'office:Bergen owner:meg added:2026-01..2026-03 created:2026 '
                         'address:"Strandkaien 1"',
        "search.sort": "Sortering",
        "search.sort.relevance": "Mest relevant",
        "search.sort.date": "Nyeste først",
        "search.facet_types": "Dokumenttype",
        "search.facet_tags": "Etiketter",
        "search.notes": "Ikke alt i søket kunne brukes:",
        "search.unapplied": "Disse filtrene ble ikke brukt: {keys}",
        "search.error.empty_value": "{fragment} mangler en verdi",
        "search.error.bad_date": "{fragment} er ikke en dato, måned eller år (2026-02-14, 2026-02, 2026)",
        "search.error.empty_range": "{fragment} omfatter ingen dager",
        "search.error.negated_filter": "{fragment}: filtre kan ikke utelates med -",
        "search.error.or_between_kinds": "OR kan bare binde sammen ord eller samme filter: {fragment}",
        "search.error.or_between_ranges": "datoperioder kan ikke bindes med OR; begge gjelder: {fragment}",
        "search.error.too_long": "søket ble kuttet etter {fragment} tegn",
        "search.error.unknown_value": "{fragment}: ingenting har dette navnet",
        "search.error.ambiguous_value": "{fragment}: navnet passer flere; skriv mer av det",
        "search.error.bad_number": "{fragment} er ikke et tall",
    },
    "en": {
        "search.syntax": 'Words, "phrases", OR and -exclude. Filters: type:Faktura tag:Haster '
                         'office:Bergen owner:me added:2026-01..2026-03 created:2026 '
                         'address:"Strandkaien 1"',
        "search.sort": "Order",
        "search.sort.relevance": "Most relevant",
        "search.sort.date": "Newest first",
        "search.facet_types": "Document type",
        "search.facet_tags": "Tags",
        "search.notes": "Not all of the search could be used:",
        "search.unapplied": "These filters were not used: {keys}",
        "search.error.empty_value": "{fragment} needs a value",
        "search.error.bad_date": "{fragment} is not a date, month or year (2026-02-14, 2026-02, 2026)",
        "search.error.empty_range": "{fragment} matches no day",
        "search.error.negated_filter": "{fragment}: filters cannot be excluded with -",
        "search.error.or_between_kinds": "OR can only join words or the same filter: {fragment}",
        "search.error.or_between_ranges": "date ranges cannot be joined with OR; both apply: {fragment}",
        "search.error.too_long": "the query was cut after {fragment} characters",
        "search.error.unknown_value": "{fragment}: nothing has this name",
        "search.error.ambiguous_value": "{fragment}: the name fits several; write more of it",
        "search.error.bad_number": "{fragment} is not a number",
    },
})
