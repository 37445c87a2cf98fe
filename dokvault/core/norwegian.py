"""Search terms for Norwegian text.

Snowball's Norwegian stemmer alone misses common inflections (eiendommene ->
"eiendomm", kjøperen -> "kjøper" but kjøper -> "kjøp"). We stem to a fixed
point, handle the definite plural "-erne" and drop a doubled final consonant,
so every form of a word meets in one term, in SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[^\W_]+", re.UNICODE)
_stemmer = snowballstemmer.stemmer("norwegian")
VOWELS = set("aeiouyæøå")
# Terms indexed per document: plenty for search, below tsvector's 1 MB limit.
MAX_TERMS = 60_000


@lru_cache(maxsize=200_000)
def term(word: str) -> str:
    word = word.lower()
    if len(word) > 6 and word.endswith("erne"):
        word = word[:-2]
    for _ in range(3):
        stemmed = _stemmer.stemWord(word)
        if stemmed == word:
            break
        word = stemmed
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in VOWELS:
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    return WORD.findall(text)


def term_list(text: str, limit: int = MAX_TERMS) -> list[str]:
    """The terms of the first `limit` words, in order."""
    out = []
    for match in WORD.finditer(text):
        out.append(term(match.group()))
        if len(out) >= limit:
            break
    return out


def terms(text: str, limit: int = MAX_TERMS) -> str:
    return " ".join(term_list(text, limit))


# Æ, Ø and Å are the alphabet's last three letters, in that order (Ä and Ö go with Æ and Ø),
# so they become the three characters after "z"; by code point Å would come before Æ.
_LAST_LETTERS = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"})


def sort_key(name: str) -> str:
    """`name` as a Norwegian list sorts it: case ignored, æ, ø, å after z, and other accented
    letters with their base letter (é with e)."""
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_LAST_LETTERS))
    return "".join(c for c in folded if not unicodedata.combining(c))
