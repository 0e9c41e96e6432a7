"""Composes the stages. ``Pipeline.from_options`` does all loading; extraction is pure.

    read -> clean -> normalize -> mentions -> senses -> candidates -> domain -> records -> merge

Bounded resources: a report over ``Options.max_report_bytes`` (UTF-8) is refused (E104) and one
not read within ``Options.time_budget`` seconds is given up (E107). A report longer than
``Options.section_chars`` is read a section at a time (cut at paragraph breaks), so that memory
is that of one section plus the events found, and time grows linearly with the length; the
events of all sections are merged as one report's.
"""
from __future__ import annotations

import datetime as dt
import gc
import time
from dataclasses import dataclass, field
from pathlib import Path

from ahdath.errors import InputTooLargeError, ReportTimeoutError, UsageError
from ahdath.extract.confidence import ConfidenceModel
from ahdath.extract.domain import DOMAIN_CUES, DomainReader
from ahdath.extract.events import EventAssembler
from ahdath.extract.mentions import MentionFinder, Mentions
from ahdath.extract.merge import drop_history, merge_events
from ahdath.extract.record import RecordBuilder, load_countries
from ahdath.extract.reporting import background_left_out
from ahdath.extract.sense import SENSE_CUES, SenseChecker
from ahdath.extract.status_model import StatusModel
from ahdath.extract.trace import Decision
from ahdath.frozen import evolve
from ahdath.geo import Gazetteer
from ahdath.lexicon import LexiconSet, load_lexicons
from ahdath.limits import MAX_BYTES, SECTION_CHARS, TIME_BUDGET
from ahdath.model import Article, Event, Evidence, Span
from ahdath.resolve.fatalities import DEATH_WORDS, FatalityCounter
from ahdath.resolve.places import (
    ArticlePlaces,
    PlaceFinder,
    PlaceResolver,
    dateline_index,
)
from ahdath.resolve.report_country import COUNTRY_WORDS, CountryFinder
from ahdath.text.offsets import SourceMap
from ahdath.text.sentences import section_spans


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
    max_report_bytes: int | None = MAX_BYTES  # a longer report (UTF-8 bytes) is refused, E104 (None: no limit)
    time_budget: float | None = TIME_BUDGET  # seconds a report may take before it is given up, E107 (None: no limit)
    section_chars: int = SECTION_CHARS  # a longer report is read a section at a time

    def __post_init__(self) -> None:
        if self.max_report_bytes is not None and self.max_report_bytes <= 0:
            raise UsageError(f"max_report_bytes must be positive, not {self.max_report_bytes}")
        if self.time_budget is not None and not self.time_budget > 0:
            raise UsageError(f"time_budget must be a positive number of seconds, not {self.time_budget}")
        if self.section_chars < 1000:
            raise UsageError(f"section_chars must be at least 1000, not {self.section_chars}")


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
    def from_options(cls, options: Options | None = None) -> Pipeline:
        options = options or Options()
        lexicons = load_lexicons(options.lexicon_dirs)
        gazetteer = Gazetteer.load(options.gazetteer_paths)
        return cls(options, lexicons, gazetteer)

    def extract_article(self, article: Article, trace: list[Decision] | None = None) -> list[Event]:
        """Every event the report states, merged into ACLED units; what was left out and why
        goes to ``trace`` when one is given.

        Raises ``InputTooLargeError`` (E104) for a report over ``Options.max_report_bytes`` and
        ``ReportTimeoutError`` (E107) for one not read within ``Options.time_budget``."""
        options = self.options
        self._check_size(article)
        budget = options.time_budget
        clock = _Clock(article.id, budget, time.monotonic() + budget) if budget is not None else None
        today = options.today or dt.date.today()
        text = article.text
        if len(text) <= options.section_chars:
            events, lead_end = self._read(article, today, trace, clock)
        else:
            # the engine makes no reference cycles: while a long report's many objects live, full
            # collections would only walk them (and the lexicons) again and again
            collecting = gc.isenabled()
            gc.disable()
            try:
                events, lead_end = self._read_sections(article, today, trace, clock)
            finally:
                if collecting:
                    gc.enable()
        if not events:
            return []
        if clock is not None:
            clock.check()
        events = merge_events(drop_history(events, trace), trace, lead_end)
        model, n = self._confidence, len(events)
        events = [evolve(e, confidence=model(e, n)) for e in events]
        floor = options.min_confidence
        if floor > 0:
            low = [e for e in events if e.confidence < floor]
            if trace is not None:
                trace.extend(Decision("confidence", "dropped", f"{e.sub_event_type} at {e.location_ar or '?'}",
                                      f"confidence {e.confidence} under --min-confidence {floor}",
                                      e.evidence.start, e.evidence.end, e.evidence.text) for e in low)
            events = [e for e in events if e.confidence >= floor]
        return events

    def _check_size(self, article: Article) -> None:
        limit, text = self.options.max_report_bytes, article.text
        if limit is None or len(text) * 4 <= limit:  # (a character is at most 4 bytes of UTF-8)
            return
        if len(text) > limit:  # over it whatever the characters (and not worth encoding)
            size = f"{len(text)} characters"
        elif (n := len(text.encode("utf-8", "surrogatepass"))) > limit:
            size = f"{n} bytes"
        else:
            return
        raise InputTooLargeError(f"report of {size} is over the limit of {limit} bytes (--max-bytes)",
                                 source=article.id)

    def _read_sections(self, article: Article, today: dt.date, trace: list[Decision] | None,
                       clock: _Clock | None) -> tuple[list[Event], int]:
        """``_read`` a section at a time, each section's offsets moved to the whole report's."""
        events: list[Event] = []
        lead_end = 0
        first_told = len(trace) if trace is not None else 0
        for start, end in section_spans(article.text, self.options.section_chars):
            if clock is not None:
                clock.check()
            told = len(trace) if trace is not None else 0
            found, lead = self._read(evolve(article, text=article.text[start:end], origin=None), today, trace, clock)
            if start == 0:
                lead_end = lead
            if start:
                events.extend(_moved(e, start) for e in found)
                if trace is not None:
                    trace[told:] = [evolve(d, start=d.start + start, end=d.end + start) for d in trace[told:]]
            else:
                events.extend(found)
        if article.origin is not None:  # the sections' offsets are the cleaned text's: into the input
            events = [_through(e, article.origin) for e in events]
            if trace is not None:
                trace[first_told:] = [evolve(d, start=a, end=b, text=article.origin.original[a:b])
                                      for d in trace[first_told:] for a, b in [article.origin.span(d.start, d.end)]]
            lead_end = article.origin.span(0, lead_end)[1] if lead_end else 0
        return events, lead_end

    def _read(self, article: Article, today: dt.date, trace: list[Decision] | None,
              clock: _Clock | None) -> tuple[list[Event], int]:
        """The report's events before merging, and where its first sentence ends (in the original)."""
        m, country, dateline = self.mentions(article.text)
        if not m.triggers:
            return [], 0
        # the engine reads the cleaned text; evidence points into the input as given
        if article.origin is not None:
            m = evolve(m, norm=m.norm.based_on(article.origin))
        if clock is not None:
            clock.check()
        # a trigger whose argument gives it another sense ("خطف هدفا") is no event
        m = self._senses.keep_events(m, trace)
        candidates = self._assembler.assemble(m, trace)
        if candidates:
            # a sports, accident, court ... report lets out only what it tells in conflict words
            candidates = self._domains.screen(m, candidates, trace)
        if not candidates:
            return [], 0
        if clock is not None:
            clock.check()
        dates = self._records.article_dates(article, m, today, lead=candidates[0].sentence)
        if dates.reference is None or not dates.inferred_year:
            candidates = background_left_out(candidates, dates.reference, m, trace)
        context = ArticlePlaces.from_mentions(m.places, dateline=dateline, country=country, actors=m.actors)
        events = self._records.build_all(article, m, candidates, dates, context, today)
        lead_end = m.norm.span(m.sentences[0].start, m.sentences[0].end)[1] if m.sentences else 0
        return events, lead_end

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


class _Clock:
    """A report's time budget: ``check`` between stages and sections raises E107 once it is spent."""

    __slots__ = ("budget", "deadline", "source")

    def __init__(self, source: str, budget: float, deadline: float) -> None:
        self.source, self.budget, self.deadline = source, budget, deadline

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise ReportTimeoutError(f"not read within the time budget of {self.budget:g} s (--time-budget)",
                                     source=self.source)


def _through(event: Event, origin: SourceMap) -> Event:
    """``event`` with its evidence offsets (into a cleaned text) carried into the input ``origin`` maps."""
    def span(s: Span) -> Span:
        a, b = origin.span(s.start, s.end)
        return Span(a, b, origin.original[a:b])

    ev = event.evidence
    a, b = origin.span(ev.start, ev.end)
    spans = {role: tuple(map(span, found)) for role, found in ev.spans.items()}
    return evolve(event, evidence=Evidence(origin.original[a:b], a, b, spans))


def _moved(event: Event, by: int) -> Event:
    """``event`` with its evidence offsets moved ``by`` characters (a section's start in its report)."""
    ev = event.evidence
    spans = {role: tuple(Span(s.start + by, s.end + by, s.text) for s in found) for role, found in ev.spans.items()}
    return evolve(event, evidence=Evidence(ev.text, ev.start + by, ev.end + by, spans))
