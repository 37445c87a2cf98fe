"""The local classifier: learns document types and tags from documents people confirmed,
and (dokvault.ai.field_model) where their fields' values stand.

No service, no download. Features are word 1- and 2-grams of our Norwegian search terms
(core/norwegian.py, so "kjøperen" and "kjøper" are one word; numbers become their
shape), the title zone's terms again, and the character 4-grams of longer words (a
compound meets its parts), hashed (bounded memory however large the vocabulary), weighted
tf-idf. Logistic regression, one binary model per type (one-vs-rest, softmax over their
scores) and one per tag. One-vs-rest rather than multinomial: as accurate on our
validation split, and L-BFGS then needs memory for one class at a time instead of for all
of them.

Until there are MIN_DOCS confirmed documents of at least MIN_CLASSES types, the matching
rules of the taxonomy decide the type (the earliest match wins: a document names itself in
its title). With a model, model and rules are mixed: p = (p_model + w * p_rules) / (1 + w).
With the taxonomy at hand, w and the temperature of the model's scores are fitted together
on out-of-fold scores (k-fold while data is small, a 20% hold-out when it is large), so the
confidence is calibrated and the rules count as much as they earned; while a type has fewer
than FEW_PER_TYPE confirmed documents w is at least FEW_RULE_WEIGHT. A tag applies when its
rule fires, or when its model is sure (TAG_MODEL_ADD) - or, for a tag without a rule,
likely (the provider's thresholds, dokvault.ai.local_provider).

A trained model is a `ModelBundle`: plain arrays and JSON metadata, never a pickle, stored
as a signed file (dokvault.ai.local_file); a refused file leaves the rules to answer.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from dokvault.ai import field_model
from dokvault.ai.field_model import FieldModel
from dokvault.ai.fields import dehyphenate, prepare, rule_fields
from dokvault.ai.matching import rule_distribution
from dokvault.ai.types import MAX_AI_CHARS, Taxonomy, TrainingSample
from dokvault.core import norwegian
from dokvault.extract.layout import Layout

FORMAT_VERSION = 2  # bump when features, arrays or the file layout change: old files are refused
MODEL_NAME = "tfidf-logreg"
N_FEATURES = 2**20
MIN_DOCS = 10  # confirmed documents before the type model is used
MIN_CLASSES = 2
MIN_TAG_EXAMPLES = 2  # positives and negatives a tag needs for its own model
C_TYPE = 100.0  # inverse regularisation, chosen on a validation split of the training pool
C_TAG = 10.0
CALIBRATION_FOLDS = 5  # k-fold below HOLDOUT_DOCS documents, one fold held out above
HOLDOUT_DOCS = 1000
MIN_CALIBRATION_SCORES = 10
CALIBRATION_PRIOR = 50  # held-out scores at which the fitted temperature counts half
CHUNK = 512  # documents hashed at a time while training
RULE_WEIGHT = 0.25  # the rules' weight against a model trained without the taxonomy at hand
# Rule weights tried when calibrating: how far the out-of-fold scores say the rules beat the model.
RULE_WEIGHTS = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
# While a type has fewer confirmed documents than this, the rules count at least as much as the
# model: out-of-fold scores come from the same few writers and flatter the model on new ones
# (measured on the honest set's folds grouped by writer).
FEW_PER_TYPE, FEW_RULE_WEIGHT = 10, 1.0


class ModelRefused(ValueError):
    """A model file that must not be used: not ours, tampered with, or another format version."""


# -- features ------------------------------------------------------------------------------

HEAD_CHARS = 300  # the title zone: a document names itself near its top
GRAM = 4  # character n-grams of longer words: the parts of a compound ("salgs|prospekt")
MIN_GRAM_WORD = 7


def analyze(text: str) -> list[str]:
    """Norwegian terms and their bigrams; a token with digits becomes its shape (#4 = four
    characters), so amounts, dates and numbers help without each being its own word. Terms
    of the title zone count again as `^term`; each longer word adds its character 4-grams
    once (`~gram`), so a compound the model never saw ("skadetakst", "salgsprospekt") shares
    features with its parts ("takst", "prospekt"), in bokmål and nynorsk spellings alike."""
    text = dehyphenate(text[:MAX_AI_CHARS])
    words = norwegian.WORD.findall(text)
    tokens = [norwegian.term(w) if w.isalpha() else f"#{min(len(w), 6)}" for w in words]
    out = tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    head = len(norwegian.WORD.findall(text[:HEAD_CHARS]))
    out += [f"^{t}" for t in tokens[:head] if t[0] != "#"]
    for word in {w.lower() for w in words if len(w) >= MIN_GRAM_WORD and w.isalpha()}:
        padded = f"<{word}>"
        out += [f"~{padded[i:i + GRAM]}" for i in range(len(padded) - GRAM + 1)]
    return out


@cache
def _hasher():
    # scikit-learn takes ~1 s to import: paid by the first document read, not by every start.
    from sklearn.feature_extraction.text import HashingVectorizer
    return HashingVectorizer(analyzer=analyze, n_features=N_FEATURES, alternate_sign=False,
                             norm=None, dtype=np.float32)


def _counts(texts: Sequence[str]) -> sp.csr_matrix:
    return _hasher().transform(texts)


def _select(counts: sp.csr_matrix, column_map: np.ndarray, width: int) -> sp.csr_matrix:
    """Only the hashed columns the model knows, renumbered 0..width-1."""
    coo = counts.tocoo()
    new = column_map[coo.col]
    keep = new >= 0
    return sp.csr_matrix((coo.data[keep], (coo.row[keep], new[keep])), shape=(counts.shape[0], width),
                         dtype=np.float32)


def _tfidf(selected: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    x = selected.tocsr(copy=False)
    np.log(x.data, out=x.data)
    x.data += 1.0  # sublinear tf
    x = x.multiply(idf).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.diags(1.0 / norms).astype(np.float32) @ x


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def mix(model: np.ndarray, rules: np.ndarray, weight: float) -> np.ndarray:
    """Model probabilities and rule distributions (rows), mixed: where no rule fired the
    model's stand alone."""
    return (model + weight * rules) / (1.0 + weight * rules.sum(axis=-1, keepdims=True))


# -- the model -----------------------------------------------------------------------------

@dataclass
class ModelBundle:
    """Everything prediction needs, as arrays: which hashed columns are kept, their idf, and
    the weights of the type and tag models."""

    fingerprint: str
    n_samples: int
    columns: np.ndarray  # int64, sorted hashed column numbers kept
    idf: np.ndarray  # float32, one per kept column
    type_classes: list[str] = field(default_factory=list)
    type_coef: np.ndarray | None = None  # (classes, columns)
    type_intercept: np.ndarray | None = None
    temperature: float = 1.0
    rule_weight: float = RULE_WEIGHT  # p = (p_model + w p_rules) / (1 + w), fitted with the temperature
    tag_names: list[str] = field(default_factory=list)
    tag_coef: np.ndarray | None = None  # (tags, columns)
    tag_intercept: np.ndarray | None = None
    fields: FieldModel | None = None  # where confirmed field values stand (dokvault.ai.field_model)
    created: str = ""
    train_seconds: float = 0.0
    format_version: int = FORMAT_VERSION
    _column_map: np.ndarray | None = field(default=None, repr=False, compare=False)
    # The last text's features: types and tags of one document are scored from one analysis.
    _last: tuple[str, sp.csr_matrix] | None = field(default=None, repr=False, compare=False)

    @property
    def type_ready(self) -> bool:
        return len(self.type_classes) >= MIN_CLASSES and self.type_coef is not None

    def metadata(self) -> dict:
        return {
            "format_version": self.format_version, "fingerprint": self.fingerprint,
            "n_samples": self.n_samples, "type_classes": self.type_classes, "tag_names": self.tag_names,
            "temperature": self.temperature, "rule_weight": self.rule_weight,
            "created": self.created, "train_seconds": round(self.train_seconds, 3), "model": MODEL_NAME,
            "n_features": N_FEATURES,
            "field_keys": self.fields.keys if self.fields else [],
            "field_documents": self.fields.documents if self.fields else 0,
        }

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        if self._column_map is None:
            column_map = np.full(N_FEATURES, -1, dtype=np.int32)
            column_map[self.columns] = np.arange(len(self.columns), dtype=np.int32)
            self._column_map = column_map
        return _tfidf(_select(_counts(texts), self._column_map, len(self.columns)), self.idf)

    def _features_of(self, text: str) -> sp.csr_matrix:
        last = self._last
        if last is not None and last[0] == text:
            return last[1]
        x = self.features([text])
        self._last = (text, x)
        return x

    def type_probabilities(self, text: str) -> dict[str, float]:
        if not self.type_ready:
            return {}
        z = (self._features_of(text) @ self.type_coef.T).ravel() + self.type_intercept
        p = _softmax(z / self.temperature)
        return {name: float(v) for name, v in zip(self.type_classes, p, strict=True)}

    def tag_probabilities(self, text: str) -> dict[str, float]:
        if not self.tag_names:
            return {}
        z = (self._features_of(text) @ self.tag_coef.T).ravel() + self.tag_intercept
        return {name: float(v) for name, v in zip(self.tag_names, _sigmoid(z), strict=True)}


def _fingerprint_line(s: TrainingSample) -> str:
    ident = str(s.id) if s.id is not None else "sha256:" + hashlib.sha256(s.text.encode()).hexdigest()
    fields = "\x1f".join(f"{k}={v}" for k, v in sorted(s.fields.items()))
    corrected = ",".join(sorted(s.corrected))
    return f"{ident}\t{s.document_type or ''}\t{','.join(sorted(s.tags))}\t{fields}\t{corrected}"


def field_example(sample: TrainingSample) -> field_model.Example:
    """A confirmed document as the field model learns from it: read as the provider reads it."""
    doc = prepare(sample.text[:MAX_AI_CHARS], Layout.from_json(sample.layout))
    return field_model.Example(doc, dict(sample.fields), frozenset(sample.corrected),
                               rule_fields(doc.text, set(sample.fields)))


def _digest(lines: list[str]) -> str:
    digest = hashlib.sha256(f"dokvault-local-v{FORMAT_VERSION}\n".encode())
    for line in sorted(lines):
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def _rules_line(taxonomy: Taxonomy | None) -> list[str]:
    """The type rules the model learnt to weigh: an edited rule means a new training."""
    if taxonomy is None:
        return []
    return ["\x00rules\t" + "\t".join(f"{t.name}={t.algorithm}:{t.case_sensitive}:{t.match}"
                                      for t in taxonomy.types)]


def training_fingerprint(samples: Iterable[TrainingSample], taxonomy: Taxonomy | None = None) -> str:
    """A hash over what the model learns from: each sample's id and labels (the text only
    when there is no id), in any order, and the type rules it weighs. Equal fingerprints =
    no need to retrain."""
    return _digest([_fingerprint_line(s) for s in samples] + _rules_line(taxonomy))


def needs_training(fingerprint: str, bundle: ModelBundle | None) -> bool:
    return bundle is None or bundle.fingerprint != fingerprint or bundle.format_version != FORMAT_VERSION


def _fit_binary(x: sp.csr_matrix, y: np.ndarray, c: float, weight: np.ndarray | None = None
                ) -> tuple[np.ndarray, float]:
    """Logistic regression of the boolean `y`, both sides weighted equally ("balanced"). Rows
    of weight 0 (unlabelled, or held out) take no part: cheaper than slicing a copy of x."""
    weight = np.ones(len(y)) if weight is None else weight
    pos, neg = weight[y].sum(), weight[~y].sum()
    if pos == 0 or neg == 0:
        return np.zeros(x.shape[1]), (10.0 if neg == 0 else -10.0)
    balanced = np.where(y, weight * (pos + neg) / (2 * pos), weight * (pos + neg) / (2 * neg))
    from sklearn.linear_model import LogisticRegression  # see _hasher
    model = LogisticRegression(C=c, max_iter=300, tol=1e-3).fit(x, y.astype(np.int8), sample_weight=balanced)
    return model.coef_[0], float(model.intercept_[0])


def _fit_types(x: sp.csr_matrix, y: np.ndarray, n_classes: int, weight: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """One-vs-rest: row k scores "type k or not"."""
    fits = [_fit_binary(x, y == k, C_TYPE, weight) for k in range(n_classes)]
    return np.vstack([w for w, _ in fits]), np.array([b for _, b in fits])


def _fit_temperature(z: np.ndarray, y: np.ndarray, rules: np.ndarray | None = None,
                     weight: float = 0.0) -> tuple[float, float]:
    """The temperature that minimises the log-loss of held-out scores mixed with the rules
    at `weight` (golden-section search), and that log-loss."""
    rules = np.zeros_like(z) if rules is None else rules

    def nll(t: float) -> float:
        p = mix(_softmax(z / t), rules, weight)
        return -float(np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)))
    lo, hi = 0.1, 10.0  # bounded: a perfect hold-out would otherwise push it towards 0
    for _ in range(40):
        a, b = lo + (hi - lo) * 0.382, lo + (hi - lo) * 0.618
        lo, hi = (lo, b) if nll(a) < nll(b) else (a, hi)
    t = round((lo + hi) / 2, 4)
    return t, nll(t)


def train(samples: Iterable[TrainingSample], min_docs: int = MIN_DOCS,
          taxonomy: Taxonomy | None = None) -> ModelBundle:
    """A model from confirmed documents. Texts are hashed in chunks and not kept. With too
    few documents or types the bundle has no type model and the rules keep deciding. With
    the `taxonomy`, how much its matching rules count against the model is learnt too."""
    # L-BFGS does many small vector operations: threaded BLAS only fights over the cores
    # (measured 7x slower on a busy two-core machine).
    with threadpool_limits(limits=1, user_api="blas"):
        return _train(samples, min_docs, taxonomy)


def _train(samples: Iterable[TrainingSample], min_docs: int, taxonomy: Taxonomy | None) -> ModelBundle:
    started = time.perf_counter()
    chunks, texts, types, tags, lines, rules = [], [], [], [], [], []
    learner = field_model.Learner(field_example)
    for sample in samples:
        if sample.fields:
            learner.add(sample)
        lines.append(_fingerprint_line(sample))
        if taxonomy is not None:
            rules.append(rule_distribution(sample.text[:MAX_AI_CHARS], taxonomy.types))
        texts.append(sample.text)
        types.append(sample.document_type)
        tags.append(frozenset(sample.tags))
        if len(texts) == CHUNK:
            chunks.append(_counts(texts))
            texts = []
    if texts:
        chunks.append(_counts(texts))
    fingerprint = _digest(lines + _rules_line(taxonomy))
    del texts
    n = len(types)
    created = datetime.now(UTC).isoformat(timespec="seconds")
    if n == 0:
        return ModelBundle(fingerprint, 0, np.zeros(0, np.int64), np.zeros(0, np.float32), created=created)

    df = np.zeros(N_FEATURES, dtype=np.int32)
    for chunk in chunks:
        df += np.bincount(chunk.indices, minlength=N_FEATURES).astype(np.int32)
    columns = np.flatnonzero(df >= (1 if n < 500 else 2)).astype(np.int64)
    idf = (np.log((1 + n) / (1 + df[columns])) + 1).astype(np.float32)
    del df
    bundle = ModelBundle(fingerprint, n, columns, idf, created=created)
    column_map = np.full(N_FEATURES, -1, dtype=np.int32)
    column_map[columns] = np.arange(len(columns), dtype=np.int32)
    x = _matrix(chunks, column_map, idf)
    del chunks, column_map

    classes = sorted({t for t in types if t})
    y = np.array([classes.index(t) if t else -1 for t in types], dtype=np.int64)
    labelled = y >= 0
    if len(classes) >= MIN_CLASSES and labelled.sum() >= min_docs:
        coef, intercept = _fit_types(x, y, len(classes), labelled.astype(np.float64))
        bundle.type_classes = classes
        bundle.type_coef, bundle.type_intercept = coef.astype(np.float32), intercept.astype(np.float32)
        rule_matrix = None
        if taxonomy is not None:
            rule_matrix = np.array([[r.get(c, 0.0) for c in classes] for r in rules], dtype=np.float64)
        bundle.temperature, bundle.rule_weight = _calibrate(x, y, len(classes), rule_matrix)

    names, rows, intercepts = [], [], []
    for tag in sorted({t for ts in tags for t in ts}):
        y = np.array([tag in ts for ts in tags])
        if y.sum() < MIN_TAG_EXAMPLES or (~y).sum() < MIN_TAG_EXAMPLES:
            continue
        w, b = _fit_binary(x, y, C_TAG)
        names.append(tag)
        rows.append(w)
        intercepts.append(b)
    if names:
        bundle.tag_names = names
        bundle.tag_coef = np.vstack(rows).astype(np.float32)
        bundle.tag_intercept = np.array(intercepts, dtype=np.float32)
    bundle.fields = learner.fit()
    bundle.train_seconds = time.perf_counter() - started
    return bundle


def _matrix(chunks: list[sp.csr_matrix], column_map: np.ndarray, idf: np.ndarray) -> sp.csr_matrix:
    """The tf-idf matrix, float64 (what LogisticRegression works in; it would otherwise convert
    a copy for every fit), filled chunk by chunk: no full-size intermediate copies."""
    width = len(idf)
    for i, chunk in enumerate(chunks):  # the hashed counts shrink to the kept columns
        chunks[i] = _select(chunk, column_map, width)
    total, rows = sum(c.nnz for c in chunks), sum(c.shape[0] for c in chunks)
    index = np.int32 if total < 2**31 else np.int64
    data, indices = np.empty(total, np.float64), np.empty(total, index)
    indptr = np.zeros(rows + 1, index)
    at = row = 0
    for i in range(len(chunks)):
        part = _tfidf(chunks[i], idf)
        chunks[i] = None
        data[at:at + part.nnz], indices[at:at + part.nnz] = part.data, part.indices
        indptr[row + 1:row + 1 + part.shape[0]] = part.indptr[1:] + at
        at, row = at + part.nnz, row + part.shape[0]
    return sp.csr_matrix((data, indices, indptr), shape=(rows, width), copy=False)


def _calibrate(x: sp.csr_matrix, y: np.ndarray, n_classes: int, rules: np.ndarray | None
               ) -> tuple[float, float]:
    """Temperature and rule weight fitted on scores of documents the scoring model did not
    see: k folds while data is small, one 20% hold-out when it is large. A type's only
    document is never held out (every fold must be able to learn every type); (1.0,
    RULE_WEIGHT) with too little to hold out. Without the rules only the temperature."""
    k = CALIBRATION_FOLDS if (y >= 0).sum() < HOLDOUT_DOCS else 1
    rng = np.random.default_rng(0)
    fold_of = np.full(len(y), -1, dtype=np.int64)
    for cls in range(n_classes):  # deal each type's documents round the folds
        members = rng.permutation(np.flatnonzero(y == cls))
        if len(members) >= 2:
            slots = np.arange(len(members)) % CALIBRATION_FOLDS
            fold_of[members] = slots if k > 1 else np.where(slots == 0, 0, -1)
    folds = [held for f in range(k) if len(held := np.flatnonzero(fold_of == f))]
    if sum(len(h) for h in folds) < MIN_CALIBRATION_SCORES:
        return 1.0, RULE_WEIGHT
    scores, truth = [], []
    for held in folds:
        weight = (y >= 0).astype(np.float64)
        weight[held] = 0.0
        coef, intercept = _fit_types(x, y, n_classes, weight)
        scores.append(np.asarray(x @ coef.T)[held] + intercept)
        truth.append(y[held])
    z, held_y = np.vstack(scores), np.concatenate(truth)
    if rules is None:
        fitted, rule_weight = _fit_temperature(z, held_y)[0], RULE_WEIGHT
    else:
        held_rules = rules[np.concatenate(folds)]
        few = min(int((y == c).sum()) for c in range(n_classes)) < FEW_PER_TYPE
        weights = [w for w in RULE_WEIGHTS if not few or w >= FEW_RULE_WEIGHT]
        fits = [(*_fit_temperature(z, held_y, held_rules, w), w) for w in weights]
        fitted, _, rule_weight = min(fits, key=lambda f: f[1])
    # A temperature from a dozen scores is mostly noise: trust it as the evidence grows.
    held_out = len(held_y)
    return round(float(fitted ** (held_out / (held_out + CALIBRATION_PRIOR))), 4), rule_weight
