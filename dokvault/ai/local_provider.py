"""The `local` provider: the trained model of dokvault.ai.local mixed with the taxonomy's
matching rules (see that module's docstring for how), read from its signed file
(dokvault.ai.local_file). Prediction takes a few milliseconds: no thread, no service."""

from __future__ import annotations

import copy
import logging
import re
import time
from pathlib import Path

from dokvault.ai.fields import extract_fields
from dokvault.ai.local import MODEL_NAME, ModelBundle, ModelRefused, needs_training
from dokvault.ai.local_file import load
from dokvault.ai.matching import match_labels, rule_distribution
from dokvault.ai.taxonomy_seed import FALLBACK_TYPE
from dokvault.ai.types import MAX_AI_CHARS, Health, MatchAlgorithm, Suggestion, Taxonomy
from dokvault.extract.layout import Layout

log = logging.getLogger(__name__)

RULE_CONFIDENCE = 0.6  # what a rule alone is worth (no model yet)
FALLBACK_CONFIDENCE = 0.2
TAG_THRESHOLD = 0.5  # a tag without a matching rule: the model's probability
TAG_MODEL_ADD = 0.8  # a tag whose rule did not fire: only a sure model adds it
TOPIC_THRESHOLD = 0.3


TITLE_CHARS = 90


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut + "…"


def _has_rule(label) -> bool:
    return label.algorithm != MatchAlgorithm.NONE and bool(label.match.strip())


class LocalProvider:
    """`AIProvider` on this machine: the model in `bundle` (or the file at `path`), else the
    taxonomy's matching rules."""

    name = "local"

    def __init__(self, bundle: ModelBundle | None = None, *, path: Path | None = None,
                 key: bytes | None = None, fallback_type: str = FALLBACK_TYPE):
        self.path = Path(path) if path else None
        self._key = key
        self.fallback_type = fallback_type
        self.bundle = bundle
        self.refused: str | None = None  # why the file at `path` was not used
        self.layout: Layout | None = None  # the document's lines and cells, where known
        if bundle is None and self.path is not None:
            self.reload()

    @property
    def model(self) -> str:
        if self.bundle is None or not self.bundle.type_ready:
            return "rules"
        return f"{MODEL_NAME}:{self.bundle.fingerprint[:10]}"

    def reload(self) -> bool:
        """Read the model file again (after a retrain). False = rules only."""
        self.bundle, self.refused = None, None
        if self.path is None or not self.path.exists():
            return False
        try:
            self.bundle = load(self.path, self._key)
        except ModelRefused as exc:
            self.refused = str(exc)
            log.error("local model %s refused: %s; using the matching rules", self.path, exc)
        except OSError as exc:
            self.refused = f"unreadable: {exc.strerror}"
            log.error("local model %s unreadable: %s; using the matching rules", self.path, exc.strerror)
        return self.bundle is not None

    def for_document(self, layout: Layout | None) -> LocalProvider:
        """This provider (same model) reading one document whose layout is known."""
        reader = copy.copy(self)
        reader.layout = layout
        return reader

    def use(self, bundle: ModelBundle | None) -> None:
        self.bundle, self.refused = bundle, None

    def needs_training(self, fingerprint: str) -> bool:
        return needs_training(fingerprint, self.bundle)

    # The three calls of AIProvider. Prediction takes a few milliseconds: no thread needed.
    async def classify(self, text: str, taxonomy: Taxonomy) -> Suggestion:
        return self.suggest(text, taxonomy)

    async def suggest_topics(self, text: str, taxonomy: Taxonomy) -> list[str]:
        """The taxonomy's tags that fit, most likely first. A word-count model cannot invent
        good new topics, so it proposes none."""
        scores, _ = self._tag_scores(text[:MAX_AI_CHARS], taxonomy)
        ranked = sorted(((p, n) for n, p in scores.items() if p >= TOPIC_THRESHOLD), reverse=True)
        return [name for _, name in ranked][:5]

    async def health_check(self) -> Health:
        if self.bundle is not None and self.bundle.type_ready:
            detail = f"model trained on {self.bundle.n_samples} confirmed documents ({self.bundle.created})"
            code = "health.local_trained"
            values = {"n": self.bundle.n_samples, "created": self.bundle.created}
        elif self.refused:
            detail = f"model file refused ({self.refused}); matching rules only"
            code, values = "health.local_refused", {"why": self.refused}
        else:
            detail = "matching rules only (not enough confirmed documents yet)"
            code, values = "health.local_rules", {}
        return Health(ok=True, provider=self.name, model=self.model, detail=detail, code=code, values=values)

    def suggest(self, text: str, taxonomy: Taxonomy) -> Suggestion:
        started = time.perf_counter()
        text = text[:MAX_AI_CHARS]
        document_type, confidence = self._type(text, taxonomy)
        scores, thresholds = self._tag_scores(text, taxonomy)
        tags = {name: round(p, 4) for name, p in scores.items() if p >= thresholds[name]}
        fields = extract_fields(text, taxonomy.fields, self.layout,
                                self.bundle.fields if self.bundle is not None else None)
        return Suggestion(
            document_type=document_type, type_confidence=round(confidence, 4), tags=list(tags),
            tag_confidence=tags, fields=fields, title=self._title(text, document_type, fields),
            provider=self.name, model=self.model, latency_ms=round((time.perf_counter() - started) * 1000, 2),
        )

    def type_scores(self, text: str, taxonomy: Taxonomy) -> dict[str, float]:
        """Probability per type of the taxonomy, rules and model mixed (see module docstring)."""
        names = set(taxonomy.type_names())
        rules = rule_distribution(text, (t for t in taxonomy.types if t.name in names))
        model = {}
        if self.bundle is not None and self.bundle.type_ready:
            model = {k: v for k, v in self.bundle.type_probabilities(text).items() if k in names}
            total = sum(model.values())
            model = {k: v / total for k, v in model.items()} if total > 0 else {}
        if not model:
            return {k: v * RULE_CONFIDENCE for k, v in rules.items()}
        if not rules:
            return model
        w = self.bundle.rule_weight
        return {k: (model.get(k, 0.0) + w * rules.get(k, 0.0)) / (1 + w) for k in model.keys() | rules.keys()}

    def _type(self, text: str, taxonomy: Taxonomy) -> tuple[str | None, float]:
        scores = self.type_scores(text, taxonomy)
        if scores:
            best = max(scores, key=scores.get)
            return best, min(1.0, scores[best])
        if self.fallback_type in taxonomy.type_names():
            return self.fallback_type, FALLBACK_CONFIDENCE
        return None, 0.0

    def _tag_scores(self, text: str, taxonomy: Taxonomy) -> tuple[dict[str, float], dict[str, float]]:
        """Confidence per tag of the taxonomy, and the confidence each needs to be applied."""
        hits = {m.label for m in match_labels(text, taxonomy.tags)}
        model = self.bundle.tag_probabilities(text) if self.bundle is not None else {}
        scores, thresholds = {}, {}
        for tag in taxonomy.tags:
            p = model.get(tag.name, 0.0)
            if tag.name in hits:
                scores[tag.name], thresholds[tag.name] = max(RULE_CONFIDENCE, p), TAG_THRESHOLD
            else:
                scores[tag.name] = p
                thresholds[tag.name] = TAG_MODEL_ADD if _has_rule(tag) else TAG_THRESHOLD
        return scores, thresholds

    @staticmethod
    def _title(text: str, document_type: str | None, fields: dict[str, str]) -> str | None:
        if document_type and fields.get("address"):
            return f"{document_type} – {fields['address']}"
        for line in text.splitlines():
            line = re.sub(r"\s+", " ", line).strip(" -_|~.")
            if len(line) >= 4 and any(ch.isalpha() for ch in line):
                return _shorten(re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0], TITLE_CHARS)
        return None
