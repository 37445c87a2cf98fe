"""paperless-ngx's matching rules (any word, all words, exact, regex, fuzzy) for types and tags.

Semantics follow paperless-ngx: case-insensitive unless the label says otherwise, words
split on spaces with "quoted phrases" kept together, whole words only, fuzzy = rapidfuzz
partial_ratio >= 90 after dropping punctuation. Two deliberate differences: word edges are
`(?<!\\w)`/`(?!\\w)` instead of `\\b`, so a match word that ends in punctuation ("kr.") still
matches; and we also report *where* a rule matched, because the classifier prefers a type
named early (the title) over one named in passing.

A broken regular expression never matches and is logged once; it never raises. Rules
are compiled with the `regex` module (the syntax of `re`) for its time limit: an admin's
pattern that backtracks without end (`(a|aa)+$`) gives up after RULE_SECONDS on a text,
counts as no match and is logged, instead of holding a worker.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import regex
from rapidfuzz import fuzz

from dokvault.ai.types import Label, MatchAlgorithm

log = logging.getLogger(__name__)
FUZZY_CUTOFF = 90
RULE_SECONDS = 0.25  # per rule and text
_TERMS = re.compile(r'"([^"]+)"|(\S+)')
_PUNCTUATION = re.compile(r"[^\w\s]")


@dataclass(frozen=True)
class RuleMatch:
    label: str
    position: int  # character offset of the first hit; smaller = more likely the title
    reason: str


def split_match(match: str) -> list[str]:
    """'hytte "fritids bolig"' -> regexes for 'hytte' and 'fritids\\s+bolig' (as paperless)."""
    out = []
    for quoted, bare in _TERMS.findall(match):
        words = " ".join((quoted or bare).split())
        if words:
            out.append(re.escape(words).replace(r"\ ", r"\s+"))
    return out


def compile_rule(pattern: str, case_sensitive: bool) -> regex.Pattern[str]:
    """A rule's regular expression as matching compiles it; raises regex.error (and
    OverflowError or RecursionError for a monstrous one) when it cannot be."""
    return regex.compile(pattern, 0 if case_sensitive else regex.IGNORECASE)


@lru_cache(maxsize=2048)
def _compile(pattern: str, flags: int) -> regex.Pattern[str] | None:
    try:
        return regex.compile(pattern, flags)
    except (regex.error, OverflowError, RecursionError) as exc:
        # Logged once per pattern thanks to the cache; the rule simply never matches.
        log.error("Matching rule has a bad regular expression %r: %s", pattern, exc)
        return None


def _whole_word(word_regex: str, flags: int) -> regex.Pattern[str] | None:
    return _compile(rf"(?<!\w){word_regex}(?!\w)", flags)


def _search(pattern: regex.Pattern[str] | None, text: str):
    return pattern.search(text, timeout=RULE_SECONDS) if pattern else None


def match(label: Label, text: str) -> RuleMatch | None:
    """The label's rule applied to `text`: where it first matched, or None (also when the
    rule ran out of time: logged)."""
    try:
        return match_in_time(label, text)
    except TimeoutError:
        log.warning("Matching rule of %r gave up after %.2f s on a text of %d characters; "
                    "it counts as no match", label.name, RULE_SECONDS, len(text))
        return None


def match_in_time(label: Label, text: str) -> RuleMatch | None:
    """match(), but raises TimeoutError when a regular expression runs out of time."""
    rule = label.match.strip()
    if not rule or label.algorithm == MatchAlgorithm.NONE:
        return None
    flags = 0 if label.case_sensitive else regex.IGNORECASE
    try:
        algorithm = MatchAlgorithm(label.algorithm)
    except ValueError:
        log.error("Label %r has an unknown matching algorithm %r", label.name, label.algorithm)
        return None

    if algorithm in (MatchAlgorithm.ANY, MatchAlgorithm.ALL):
        hits = []
        for word in split_match(rule):
            pattern = _whole_word(word, flags)
            found = _search(pattern, text)
            if found:
                hits.append(found)
                if algorithm == MatchAlgorithm.ANY:
                    break
            elif algorithm == MatchAlgorithm.ALL:
                return None
        if not hits:
            return None
        first = min(hits, key=lambda m: m.start())
        reason = f"all of {rule!r}" if algorithm == MatchAlgorithm.ALL else f"the word {first.group()!r}"
        return RuleMatch(label.name, first.start(), reason)

    if algorithm == MatchAlgorithm.EXACT:
        pattern = _whole_word(re.escape(rule), flags)
        found = _search(pattern, text)
        return RuleMatch(label.name, found.start(), f"the phrase {rule!r}") if found else None

    if algorithm == MatchAlgorithm.REGEX:
        pattern = _compile(rule, flags)
        found = _search(pattern, text)
        return RuleMatch(label.name, found.start(), f"{found.group()!r} matches {rule!r}") if found else None

    if algorithm == MatchAlgorithm.FUZZY:
        needle = _PUNCTUATION.sub("", rule)
        haystack = _PUNCTUATION.sub("", text)
        if not label.case_sensitive:
            needle, haystack = needle.lower(), haystack.lower()
        if not needle.strip():
            return None
        found = fuzz.partial_ratio_alignment(needle, haystack, score_cutoff=FUZZY_CUTOFF)
        if found is None:
            return None
        # Offsets are in the text without punctuation: close enough for ranking.
        return RuleMatch(label.name, found.dest_start, f"approximately {rule!r} ({found.score:.0f}%)")

    return None


def matches(label: Label, text: str) -> bool:
    return match(label, text) is not None


def match_labels(text: str, labels: Iterable[Label]) -> list[RuleMatch]:
    """Every label whose rule matches, the earliest hit first (ties keep the label order)."""
    found = [m for label in labels if (m := match(label, text)) is not None]
    return sorted(found, key=lambda m: m.position)


def rule_distribution(text: str, labels: Iterable[Label]) -> dict[str, float]:
    """The labels whose rules match, as weights summing to 1: the earliest hit counts most
    (1, 1/2, 1/4, ...), since a document names itself in its title and others in passing."""
    weights: dict[str, float] = {}
    for rank, found in enumerate(match_labels(text, labels)):
        weights.setdefault(found.label, 0.5**rank)
    total = sum(weights.values())
    return {name: w / total for name, w in weights.items()}
