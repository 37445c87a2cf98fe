"""Which language a text is written in, among the few a Norwegian brokerage meets.

py3langid (a naive Bayes model over byte n-grams, no download) restricted to the
languages below; restricting it matters, since short Norwegian text otherwise
drifts to Danish or to languages nobody here writes in.
"""

from __future__ import annotations

import threading

# py3langid label -> the code DokVault stores. Bokmål and nynorsk are one family
# here: they share the search configuration and the brokerage vocabulary.
LABELS = {"no": "nb", "nn": "nb", "nb": "nb", "en": "en", "sv": "sv", "da": "da", "de": "de"}
# Fewer letters than this say too little about the language to be worth a guess.
MIN_LETTERS = 20
# A guess below this probability (after merging bokmål and nynorsk) is no answer.
MIN_CONFIDENCE = 0.5
# The start of a document decides; classifying megabytes would cost without helping.
SAMPLE_CHARS = 5_000

_identifier = None
_lock = threading.Lock()


def _model():
    """Load once (half a second); classify() only reads the model, so threads can share it."""
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages([label for label in identifier.labels if label in LABELS])
            _identifier = identifier
        return _identifier


def detect(text: str) -> str | None:
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    scores: dict[str, float] = {}
    for label, probability in _model().rank(sample):
        code = LABELS[label]
        scores[code] = scores.get(code, 0.0) + probability
    code, probability = max(scores.items(), key=lambda item: item[1])
    return code if probability >= MIN_CONFIDENCE else None
