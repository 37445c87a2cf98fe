"""What every classifier provider receives and returns.

The taxonomy is plain data (built from the database by the caller), so providers never
touch the database and can be tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, Field

# At most this much of a document's text goes to a provider in one call.
MAX_AI_CHARS = 8000


class MatchAlgorithm(StrEnum):
    """paperless-ngx's matching rules for a type or tag."""

    NONE = "none"
    ANY = "any"        # any of the words
    ALL = "all"        # all of the words
    EXACT = "exact"    # the phrase as written
    REGEX = "regex"
    FUZZY = "fuzzy"    # the phrase, approximately


@dataclass(frozen=True)
class Label:
    """A document type or a tag, with its optional matching rule."""

    name: str
    description: str = ""
    match: str = ""
    algorithm: MatchAlgorithm = MatchAlgorithm.NONE
    case_sensitive: bool = False


class FieldKind(StrEnum):
    TEXT = "text"
    DATE = "date"        # ISO 8601 yyyy-mm-dd
    MONEY = "money"      # NOK amount as a number
    INTEGER = "integer"


@dataclass(frozen=True)
class FieldSpec:
    """A custom field the classifier should fill in (e.g. property address, gnr/bnr)."""

    key: str
    label: str
    kind: FieldKind = FieldKind.TEXT
    description: str = ""


@dataclass(frozen=True)
class Taxonomy:
    types: tuple[Label, ...] = ()
    tags: tuple[Label, ...] = ()
    fields: tuple[FieldSpec, ...] = ()

    def type_names(self) -> list[str]:
        return [t.name for t in self.types]

    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags]


class Usage(BaseModel):
    input_tokens: int = 0
    output_tokens: int = 0


class Suggestion(BaseModel):
    """A provider's answer for one document. Names are always from the taxonomy, except
    `new_tags`, which are proposals a human may add to it."""

    document_type: str | None = None
    type_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    tags: list[str] = Field(default_factory=list)
    tag_confidence: dict[str, float] = Field(default_factory=dict)
    new_tags: list[str] = Field(default_factory=list)
    fields: dict[str, str] = Field(default_factory=dict)
    title: str | None = None
    summary: str | None = None
    language: str | None = None
    provider: str = ""
    model: str = ""
    fallback_from: str | None = None  # set when another provider failed and `local` answered
    usage: Usage = Field(default_factory=Usage)
    latency_ms: float = 0.0


@dataclass
class Health:
    ok: bool
    provider: str
    model: str
    detail: str = ""  # in English, for logs and tests
    models: list[str] = field(default_factory=list)
    code: str = ""  # the detail as an i18n key for the page ("": the page shows `detail`)
    values: dict[str, str | int] = field(default_factory=dict)


class ProviderError(Exception):
    """A provider could not give a usable answer (unreachable, refused, nonsense). `code`
    and `values`: the reason as an i18n key, where a person may read it (health checks)."""

    def __init__(self, provider: str, reason: str, code: str = "", **values: str | int):
        super().__init__(f"{provider}: {reason}")
        self.provider = provider
        self.reason = reason
        self.code, self.values = code, values


class AIProvider(Protocol):
    name: str
    model: str

    async def classify(self, text: str, taxonomy: Taxonomy) -> Suggestion: ...

    async def suggest_topics(self, text: str, taxonomy: Taxonomy) -> list[str]: ...

    async def health_check(self) -> Health: ...


@dataclass(frozen=True)
class TrainingSample:
    """A document a person has confirmed: what the `local` model learns from. `id` (the
    document id) goes into the training fingerprint, so a relabelled document retrains."""

    text: str
    document_type: str | None
    tags: tuple[str, ...] = ()
    id: str | int | None = None
    fields: dict[str, str] = field(default_factory=dict)  # the values people confirmed
    corrected: tuple[str, ...] = ()  # the fields a person changed from the suggestion
    layout: str | None = None  # the document's layout as stored (dokvault/extract/layout.py)
