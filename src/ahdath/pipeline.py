"""Composes the stages. ``Pipeline.from_options`` does all loading; extraction is pure.

    read -> clean -> normalize -> mentions -> senses -> candidates -> domain -> records -> merge
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ahdath.extract.domain import DomainReader
from ahdath.extract.events import EventAssembler
from ahdath.extract.mentions import MentionFinder
from ahdath.extract.merge import drop_history, merge_events
from ahdath.extract.record import RecordBuilder, load_countries
from ahdath.extract.sense import SenseChecker
from ahdath.geo import Gazetteer
from ahdath.lexicon import LexiconSet, load_lexicons
from ahdath.model import Article, Event
from ahdath.resolve.fatalities import FatalityCounter
from ahdath.resolve.places import ArticlePlaces, PlaceFinder, PlaceResolver, dateline_index


@dataclass(frozen=True, slots=True)
class Options:
    """Settings of a run (the CLI fills them from its flags)."""

    lexicon_dirs: tuple[Path, ...] = field(default=())
    gazetteer_paths: tuple[Path, ...] = field(default=())
    default_country: str = "Syria"
    min_confidence: float = 0.0
    today: dt.date | None = None  # the latest date an undated report may carry (tests pin it)


class Pipeline:
    """Lexicons, matchers and the gazetteer, loaded once; ``extract_article`` per report."""

    def __init__(self, options: Options, lexicons: LexiconSet, gazetteer: Gazetteer) -> None:
        self.options = options
        self.lexicons = lexicons
        self.gazetteer = gazetteer
        place_finder = PlaceFinder.from_resources(gazetteer, lexicons)
        self._mentions = MentionFinder.from_resources(lexicons, place_finder)
        self._assembler = EventAssembler.from_lexicons(lexicons, FatalityCounter.from_lexicons(lexicons))
        self._senses = SenseChecker.from_lexicons(lexicons)
        self._domains = DomainReader.from_lexicons(lexicons)
        countries, _default = load_countries()
        self._records = RecordBuilder(self._mentions.actors, PlaceResolver.from_resources(gazetteer, lexicons),
                                      countries, options.default_country)

    @classmethod
    def from_options(cls, options: Options | None = None) -> "Pipeline":
        options = options or Options()
        lexicons = load_lexicons(options.lexicon_dirs)
        gazetteer = Gazetteer.load(options.gazetteer_paths)
        return cls(options, lexicons, gazetteer)

    def extract_article(self, article: Article) -> list[Event]:
        """Every event the report states, merged into ACLED units."""
        today = self.options.today or dt.date.today()
        # a trigger whose argument gives it another sense ("خطف هدفا") is no event
        m = self._senses.keep_events(self._mentions.find(article.text))
        candidates = self._assembler.assemble(m)
        if candidates:
            # a sports, accident, court ... report lets out only what it tells in conflict words
            candidates = self._domains.read(m).screen(candidates)
        if not candidates:
            return []
        dates = self._records.article_dates(article, m, today, lead=candidates[0].sentence)
        context = ArticlePlaces.from_mentions(m.places, dateline=dateline_index(m.norm.text, m.places))
        events = self._records.build_all(article, m, candidates, dates, context, today)
        events = merge_events(drop_history(events))
        return [e for e in events if e.confidence >= self.options.min_confidence]

    def extract_text(self, text: str, *, published: dt.date | str | None = None, url: str | None = None,
                     article_id: str = "text") -> list[Event]:
        if isinstance(published, str):
            published = dt.date.fromisoformat(published)
        return self.extract_article(Article(article_id, text, published, url))
