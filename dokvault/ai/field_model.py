"""Fields that learn: per field, a logistic regression over the candidates of confirmed
documents (dokvault/ai/field_learn.py), trained with the type model and stored in its
signed file. The candidate people kept is the positive, the others negatives; a field a
person corrected counts CORRECTED_WEIGHT times, so one correction in review is enough for
the next document of that layout. At reading time the best candidate replaces what the
rules found when the model is sure of it (THRESHOLD); otherwise the rules' value stands.

Bounded: the newest MAX_DOCS confirmed documents (all corrected ones among them) are
learnt from, each hashed to a few hundred features per candidate as it streams past.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache

import numpy as np
import scipy.sparse as sp

from dokvault.ai.field_learn import MONEY_KEYS, Reading, candidates, features
from dokvault.ai.types import MAX_AI_CHARS, TrainingSample

N_FEATURES = 2**18
C = 10.0
CORRECTED_WEIGHT = 5.0
THRESHOLD = 0.5
MAX_DOCS = 3000


def same_value(key: str, a: str, b: str) -> bool:
    """Whether two values of `key` are the same: money by its digits, text case and
    spacing aside."""
    if key in MONEY_KEYS:
        return re.sub(r"[^\d.]", "", a) == re.sub(r"[^\d.]", "", b) != ""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@cache
def _hasher():
    # scikit-learn is loaded by the first document read (see dokvault/ai/local.py)
    from sklearn.feature_extraction import FeatureHasher
    return FeatureHasher(n_features=N_FEATURES, input_type="string", alternate_sign=False,
                         dtype=np.float32)


@dataclass
class FieldModel:
    """Per field key: the hashed columns kept, their weights and the intercept."""

    keys: list[str] = field(default_factory=list)
    columns: list[np.ndarray] = field(default_factory=list)  # int64, sorted
    coef: list[np.ndarray] = field(default_factory=list)  # float32
    intercept: list[float] = field(default_factory=list)
    documents: int = 0

    def arrays(self) -> dict[str, np.ndarray]:
        sizes = np.array([len(c) for c in self.columns], dtype=np.int64)
        return {"field_sizes": sizes,
                "field_columns": np.concatenate(self.columns) if self.columns else np.zeros(0, np.int64),
                "field_coef": np.concatenate(self.coef) if self.coef else np.zeros(0, np.float32),
                "field_intercept": np.array(self.intercept, dtype=np.float32)}

    @classmethod
    def from_arrays(cls, keys: list[str], documents: int, arrays: dict[str, np.ndarray]) -> FieldModel:
        sizes = arrays["field_sizes"]
        if len(sizes) != len(keys) or len(arrays["field_intercept"]) != len(keys) \
                or len(arrays["field_columns"]) != len(arrays["field_coef"]) != int(sizes.sum()):
            raise ValueError("field model arrays do not fit its keys")
        cuts = np.cumsum(sizes)[:-1]
        columns = np.split(arrays["field_columns"].astype(np.int64), cuts)
        if any(len(c) and (c.min() < 0 or c.max() >= N_FEATURES) for c in columns):
            raise ValueError("field model columns out of range")
        return cls(list(keys), columns, np.split(arrays["field_coef"].astype(np.float32), cuts),
                   [float(b) for b in arrays["field_intercept"]], documents)

    def scores(self, key: str, rows: list[list[str]]) -> np.ndarray:
        k = self.keys.index(key)
        x = _hasher().transform(rows).tocsc()[:, self.columns[k]]
        z = np.asarray(x @ self.coef[k]).ravel() + self.intercept[k]
        return 1.0 / (1.0 + np.exp(-z))

    def choose(self, doc: Reading, key: str, rule_value: str | None) -> str | None:
        """The candidate the model is sure of, or None (the rules' value then stands)."""
        if key not in self.keys:
            return None
        found = candidates(doc.text, key)
        if not found:
            return None
        p = self.scores(key, [features(doc, found, i, rule_value) for i in range(len(found))])
        best = int(np.argmax(p))
        return found[best].value if p[best] >= THRESHOLD else None


@dataclass(frozen=True)
class Example:
    """A confirmed document as the field model sees it."""

    doc: Reading
    fields: dict[str, str]
    corrected: frozenset[str]
    rules: dict[str, str]


def _rows(example: Example) -> dict[str, tuple[list[list[str]], list[bool]]]:
    """Per confirmed field: the candidates' features and which kept the confirmed value.
    A field whose value is no candidate teaches nothing (skipped)."""
    out = {}
    for key, want in example.fields.items():
        found = candidates(example.doc.text, key)
        hits = [same_value(key, c.value, want) for c in found]
        if any(hits) and not all(hits):
            rule = example.rules.get(key)
            out[key] = ([features(example.doc, found, i, rule) for i in range(len(found))], hits)
    return out


class Learner:
    """Confirmed documents as they stream past: the newest MAX_DOCS and every one with a
    correction are kept (their first MAX_AI_CHARS and their layout, compressed: a few
    kilobytes each), then read and learnt from in `fit`."""

    def __init__(self, read: Callable[[TrainingSample], Example]) -> None:
        self.read = read
        self.kept: deque = deque(maxlen=MAX_DOCS)
        self.corrected: deque = deque(maxlen=MAX_DOCS)

    def add(self, sample: TrainingSample) -> None:
        packed = zlib.compress(json.dumps([sample.text[:MAX_AI_CHARS], sample.layout]).encode(), 1)
        (self.corrected if sample.corrected else self.kept).append(
            (replace(sample, text="", layout=None), packed))

    @staticmethod
    def _unpack(kept: tuple[TrainingSample, bytes]) -> TrainingSample:
        text, layout = json.loads(zlib.decompress(kept[1]))
        return replace(kept[0], text=text, layout=layout)

    def fit(self) -> FieldModel | None:
        """A model per field that has something to learn; None when none has."""
        room = max(0, MAX_DOCS - len(self.corrected))
        chosen = list(self.corrected) + (list(self.kept)[-room:] if room else [])
        return train(self.read(self._unpack(kept)) for kept in chosen)


def train(examples: Iterable[Example]) -> FieldModel | None:
    """A logistic regression per field from documents read (`Example`), each hashed as it
    comes; None when no field has something to learn."""
    from sklearn.linear_model import LogisticRegression  # see _hasher

    chosen = []
    for example in examples:
        rows = {key: (_hasher().transform(x), np.array(y)) for key, (x, y) in _rows(example).items()}
        if rows:
            chosen.append((rows, example.corrected))
    model = FieldModel(documents=len(chosen))
    for key in sorted({k for rows, _ in chosen for k in rows}):
        parts = [(rows[key], CORRECTED_WEIGHT if key in fixed else 1.0) for rows, fixed in chosen
                 if key in rows]
        x = sp.vstack([x for (x, _), _ in parts]).tocsr()
        y = np.concatenate([y for (_, y), _ in parts])
        w = np.concatenate([np.full(len(y_), weight) for (_, y_), weight in parts])
        columns = np.unique(x.indices).astype(np.int64)
        x = x[:, columns]
        pos, neg = w[y].sum(), w[~y].sum()
        balanced = np.where(y, w * (pos + neg) / (2 * pos), w * (pos + neg) / (2 * neg))
        fit = LogisticRegression(C=C, max_iter=300, tol=1e-4)
        fit.fit(x, y.astype(np.int8), sample_weight=balanced)
        keep = fit.coef_[0] != 0
        model.keys.append(key)
        model.columns.append(columns[keep])
        model.coef.append(fit.coef_[0][keep].astype(np.float32))
        model.intercept.append(float(fit.intercept_[0]))
    return model if model.keys else None
