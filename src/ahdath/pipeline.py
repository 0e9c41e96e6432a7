"""Composes the stages. ``Pipeline.from_options`` does all loading; extraction is pure.

    read -> clean -> normalize -> mentions -> senses -> candidates -> domain -> records -> merge
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ahdath.extract.confidence import ConfidenceModel
from ahdath.extract.status_model import StatusModel
from ahdath.extract.domain import DOMAIN_CUES, DomainReader
from ahdath.extract.events import EventAssembler
from ahdath.extract.mentions import MentionFinder, Mentions
from ahdath.extract.merge import drop_history, merge_events
from ahdath.extract.record import RecordBuilder, load_countries
from ahdath.extract.reporting import background_left_out
from ahdath.extract.sense import SENSE_CUES, SenseChecker
from ahdath.extract.trace import Decision
from ahdath.frozen import evolve
from ahdath.geo import Gazetteer
from ahdath.lexicon import LexiconSet, load_lexicons
from ahdath.model import Article, Event
from ahdath.resolve.fatalities import DEATH_WORDS, FatalityCounter
from ahdath.resolve.places import (
    ArticlePlaces,
    PlaceFinder,
    PlaceResolver,
    dateline_index,
)
from ahdath.resolve.report_country import COUNTRY_WORDS, CountryFinder


@dataclass(frozen=True, slots=True)
class Options:
    """Settings of a run (the CLI fills them from its flags)."""

    lexicon_dirs: tuple[Path, ...] = field(default=())
    gazetteer_paths: tuple[Path, ...] = field(default=())
    default_country: str = "Syria"
    min_confidence: float = 0.0
    today: dt.date | None = None  # the latest date an undated report may carry (tests pin it)
    confidence: ConfidenceModel | None = None  # evidence -> confidence (None: the packaged model)
    status_model: StatusModel | None = None  # what the status rules anchor, weighed (None: the packaged model)


class Pipeline:
    """Lexicons, matchers and the gazetteer, loaded once; ``extract_article`` per report."""

    def __init__(self, options: Options, lexicons: LexiconSet, gazetteer: Gazetteer) -> None:
        self.options = options
        self.lexicons = lexicons
        self.gazetteer = gazetteer
        place_finder = PlaceFinder.from_resources(gazetteer, lexicons)
        fatalities = FatalityCounter.from_lexicons(lexicons)
        self._assembler = EventAssembler.from_lexicons(lexicons, fatalities, options.status_model)
        self._countries = CountryFinder.from_lexicons(lexicons)
        self._senses = SenseChecker.from_lexicons(lexicons)
        self._domains = DomainReader.from_lexicons(lexicons)
        # the later stages' vocabularies are looked up in the report's one scan of its words
        self._mentions = MentionFinder.from_resources(lexicons, place_finder, {
            SENSE_CUES: self._senses.can_start, DOMAIN_CUES: self._domains.can_start,
            COUNTRY_WORDS: self._countries.can_start, DEATH_WORDS: fatalities.death_word})
        countries, _default = load_countries()
        self._confidence = options.confidence or ConfidenceModel.packaged()
        self._records = RecordBuilder(self._mentions.actors, PlaceResolver.from_resources(gazetteer, lexicons),
                                      countries, options.default_country)

    @classmethod
    def from_options(cls, options: Options | None = None) -> "Pipeline":
        options = options or Options()
        lexicons = load_lexicons(options.lexicon_dirs)
        gazetteer = Gazetteer.load(options.gazetteer_paths)
        return cls(options, lexicons, gazetteer)

    def extract_article(self, article: Article, trace: list[Decision] | None = None) -> list[Event]:
        """Every event the report states, merged into ACLED units; what was left out and why
        goes to ``trace`` when one is given."""
        today = self.options.today or dt.date.today()
        m, country, dateline = self.mentions(article.text)
        if not m.triggers:
            return []
        # the engine reads the cleaned text; evidence points into the input as given
        if article.origin is not None:
            m = evolve(m, norm=m.norm.based_on(article.origin))
        # a trigger whose argument gives it another sense ("خطف هدفا") is no event
        m = self._senses.keep_events(m, trace)
        candidates = self._assembler.assemble(m, trace)
        if candidates:
            # a sports, accident, court ... report lets out only what it tells in conflict words
            candidates = self._domains.screen(m, candidates, trace)
        if not candidates:
            return []
        dates = self._records.article_dates(article, m, today, lead=candidates[0].sentence)
        if dates.reference is None or not dates.inferred_year:
            candidates = background_left_out(candidates, dates.reference, m, trace)
        context = ArticlePlaces.from_mentions(m.places, dateline=dateline, country=country, actors=m.actors)
        events = self._records.build_all(article, m, candidates, dates, context, today)
        lead_end = m.norm.span(m.sentences[0].start, m.sentences[0].end)[1] if m.sentences else 0
        events = merge_events(drop_history(events, trace), trace, lead_end)
        model, n = self._confidence, len(events)
        events = [evolve(e, confidence=model(e, n)) for e in events]
        floor = self.options.min_confidence
        if floor > 0:
            low = [e for e in events if e.confidence < floor]
            if trace is not None:
                trace.extend(Decision("confidence", "dropped", f"{e.sub_event_type} at {e.location_ar or '?'}",
                                      f"confidence {e.confidence} under --min-confidence {floor}",
                                      e.evidence.start, e.evidence.end, e.evidence.text) for e in low)
            events = [e for e in events if e.confidence >= floor]
        return events

    def confidence_reasons(self, event: Event, n_events: int) -> list[tuple[str, float]]:
        """What raised or lowered ``event``'s confidence in a report of ``n_events`` events."""
        return self._confidence.contributions(event, n_events)

    def mentions(self, text: str) -> tuple[Mentions, str | None, int | None]:
        """The report's mentions read for the country it is about: (mentions, country, dateline index).

        The country decides what generic words name before roles are given ("الجيش" in a Yemeni
        report), and places only outside it named bare are not scenes."""
        m = self._mentions.find(text)
        if not m.triggers:
            return m, None, None
        dateline = dateline_index(m.norm.text, m.places)
        words = m.heads.get(COUNTRY_WORDS)
        country = self._countries.decide(m.tokens, m.places, m.actors, dateline, words)
        actors = self._mentions.actors.localize(m.actors, country)
        places = self._mentions.places.release(m.tokens, m.places, m.actors, actors)
        m = evolve(m, actors=actors, places=self._countries.foreign_named_bare(m.tokens, places, country, words))
        return m, country, dateline

    def extract_text(self, text: str, *, published: dt.date | str | None = None, url: str | None = None,
                     article_id: str = "text") -> list[Event]:
        if isinstance(published, str):
            published = dt.date.fromisoformat(published)
        return self.extract_article(Article(article_id, text, published, url))
