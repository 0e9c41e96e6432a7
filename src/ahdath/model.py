"""Frozen records passed between pipeline stages.

Offsets (``start``/``end``) always point into the *original* report text
(``Article.reference``: the input as the user gave it), so a reviewer can
highlight evidence exactly where the reporter wrote it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ahdath.text.offsets import SourceMap


@dataclass(frozen=True, slots=True)
class Article:
    """One report as read from an input.

    ``text`` is what the engine reads. A reader that cleans the input (page-furniture lines,
    blank lines, CR/LF, the ends trimmed) sets ``origin``: the input as given and where each
    character of ``text`` came from in it. Evidence offsets point into ``reference``.
    """

    id: str
    text: str
    published: date | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    # how the text was read, not what it says: two reads giving the same text are the same report
    origin: SourceMap | None = field(default=None, compare=False, repr=False)

    @property
    def reference(self) -> str:
        """The text every evidence offset of this report points into: the input as given."""
        return self.text if self.origin is None else self.origin.original


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the original text: ``text == Article.reference[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Actor:
    """An ACLED actor resolved from the text."""

    name: str  # ACLED-style name, e.g. "Islamic State (Syria)"
    inter: int  # ACLED inter code 1-8
    key: str  # guideline key, e.g. "ISIS", "SYR_REGIME"
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved location."""

    name_ar: str  # as written in the report (without clitics), or the gazetteer's Arabic name
    name_en: str | None
    country: str | None
    iso: int | None  # ISO 3166 numeric, as ACLED's ``iso`` column
    region: str | None  # ACLED region, e.g. "Middle East"
    admin1: str | None
    admin2: str | None = None
    admin3: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int = 3  # ACLED: 1 town, 2 near town / district, 3 region / governorate
    kind: str = "populated"  # populated | region | admin1 | admin2 | admin3 | unknown
    source: str | None = None  # gazetteer provenance (geonames:ID, curated:ID, opensyria:PCODE)
    unresolved: bool = False  # name not in any gazetteer: placed at a coarser level, flag for review


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why an event exists: the clause it came from plus a span for each field."""

    text: str
    start: int
    end: int
    spans: dict[str, tuple[Span, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "spans": {role: [s.to_dict() for s in spans] for role, spans in self.spans.items()},
        }


@dataclass(frozen=True, slots=True)
class Event:
    """One ACLED event record (jsonl keys in this order)."""

    article_id: str
    event_id: str
    event_date: str | None
    year: int | None
    time_precision: int
    disorder_type: str
    event_type: str
    sub_event_type: str
    actor1: str | None
    assoc_actor_1: str | None
    inter1: int | None
    actor2: str | None
    assoc_actor_2: str | None
    inter2: int | None
    interaction: int | None
    civilian_targeting: str | None
    iso: int | None
    region: str | None
    country: str | None
    admin1: str | None
    admin2: str | None
    admin3: str | None
    location: str | None
    location_ar: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    source: str | None
    source_url: str | None
    notes: str
    fatalities: int
    tags: str | None
    evidence: Evidence
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        # every field but evidence is a plain value: no need for asdict's deep copies
        d = {name: getattr(self, name) for name in self.__dataclass_fields__}
        d["evidence"] = self.evidence.to_dict()
        return d
