"""Matching rules of the taxonomy: checked as they are saved (`check_rule`) and tried on a
sample text in the admin's rule tester (`test_rule`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import regex

from dokvault.ai import matching
from dokvault.ai.types import Label, MatchAlgorithm
from dokvault.core.validation import FORM, Invalid
from dokvault.services.intelligence import taxonomy

MAX_MATCH = 1000
MAX_SAMPLE = 20_000  # characters of sample text the rule tester looks at
ALGORITHMS = tuple(a.value for a in MatchAlgorithm)
_PUNCTUATION = re.compile(r"[^\w\s]")  # what fuzzy matching ignores (dokvault.ai.matching)


# The form field each error concerns (the others are placed by the caller, see
# taxonomy_admin's Checks, or concern the whole form).
FIELD_OF = {
    "error.algorithm_invalid": "algorithm", "error.match_too_long": "match",
    "error.match_invalid": "match", "error.match_missing": "match",
    "error.regex_invalid": "match", "error.regex_too_slow": "match",
    "error.description_too_long": "description", "error.tag_color_invalid": "color",
    "error.field_key_missing": "key", "error.field_key_invalid": "key",
    "error.field_key_reserved": "key", "error.field_kind_invalid": "kind",
    "error.field_kind_in_use": "kind", "error.field_label_missing": "label",
    "error.type_exists": "name", "error.tag_exists": "name", "error.field_exists": "key",
}


class TaxonomyError(Invalid):
    """Input an admin must correct; `code` is an i18n key, `values` fill its placeholders,
    shown beside the field it concerns (FIELD_OF)."""

    def __init__(self, code: str, **values: str | int):
        super().__init__(code, FIELD_OF.get(code, FORM), **values)


@dataclass(frozen=True)
class Rule:
    algorithm: str
    match: str
    case_sensitive: bool


def check_rule(algorithm: str, match: str, case_sensitive: bool = False) -> Rule:
    """A matching rule as stored, or TaxonomyError: an unknown algorithm, a rule with nothing
    to look for, or a regular expression that does not compile (with Python's reason)."""
    algorithm = str(algorithm or MatchAlgorithm.NONE).strip().lower()
    if algorithm not in ALGORITHMS:
        raise TaxonomyError("error.algorithm_invalid")
    text = str(match or "").strip()
    if len(text) > MAX_MATCH:
        raise TaxonomyError("error.match_too_long", max=MAX_MATCH)
    if "\x00" in text:
        raise TaxonomyError("error.match_invalid")
    if algorithm == MatchAlgorithm.NONE:
        return Rule(algorithm, text, bool(case_sensitive))  # kept, switched off
    if algorithm == MatchAlgorithm.REGEX:
        if not text:
            raise TaxonomyError("error.match_missing")
        try:
            matching.compile_rule(text, bool(case_sensitive))
        except (regex.error, OverflowError, RecursionError) as exc:
            raise TaxonomyError("error.regex_invalid", detail=str(exc)[:200]) from exc
    elif algorithm == MatchAlgorithm.FUZZY:
        if not _PUNCTUATION.sub("", text).strip():
            raise TaxonomyError("error.match_missing")
    elif not matching.split_match(text):  # any, all, exact
        raise TaxonomyError("error.match_missing")
    return Rule(algorithm, text, bool(case_sensitive))


@dataclass
class RuleTest:
    matched: bool
    reason: str = ""      # e.g. "the word 'faktura'", as dokvault.ai.matching says it
    position: int = -1    # character offset of the first hit
    snippet: str = ""     # the text around the hit
    types: list[str] = field(default_factory=list)  # existing types whose rules match the sample
    tags: list[str] = field(default_factory=list)


def test_rule(algorithm: str, match: str, case_sensitive: bool, text: str,
              with_taxonomy: bool = True) -> RuleTest:
    """Whether a rule (validated as it would be saved) matches a sample text, and which of
    the taxonomy's own rules match it too. Raises TaxonomyError for a rule that cannot be saved."""
    rule = check_rule(algorithm, match, case_sensitive)
    sample = str(text or "")[:MAX_SAMPLE]
    try:
        hit = matching.match_in_time(Label("test", match=rule.match, algorithm=MatchAlgorithm(rule.algorithm),
                                           case_sensitive=rule.case_sensitive), sample)
    except TimeoutError as exc:
        raise TaxonomyError("error.regex_too_slow", ms=int(matching.RULE_SECONDS * 1000)) from exc
    result = RuleTest(matched=hit is not None)
    if hit is not None:
        result.reason, result.position = hit.reason, hit.position
        start = max(hit.position - 40, 0)
        result.snippet = " ".join(sample[start:hit.position + 80].split())
    if with_taxonomy and sample.strip():
        current = taxonomy.load()
        result.types = [m.label for m in matching.match_labels(sample, current.types)]
        result.tags = [m.label for m in matching.match_labels(sample, current.tags)]
    return result


test_rule.__test__ = False  # a service function, not a pytest test
