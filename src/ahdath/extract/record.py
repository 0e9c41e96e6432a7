"""Resolve a candidate's date, place and actors and write the ACLED record.

Also decides the report's reference date: its publication date, a date in
its url, or — when neither is known — the date its own words give, with the
year narrowed by the active periods of the actors it names (a weekday plus
day and month fits only a few years; an actor active 2012-2016 picks one).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import Any, Mapping, Sequence

import yaml

from ahdath.extract.coding import TAKEN
from ahdath.extract.events import Candidate, Role
from ahdath.extract.mentions import Mentions
from ahdath.lexicon.loader import Entry
from ahdath.lexicon.schema import DISORDER_TYPE
from ahdath.model import Actor, Article, Event, Evidence, Place, Span
from ahdath.resolve.actors import EXTERNAL_INTER, ActorFinder, civilian_targeting, interaction
from ahdath.resolve.dates import ResolvedDate, candidate_years, date_from_url, resolve_date
from ahdath.resolve.places import ArticlePlaces, PlaceResolver
from ahdath.text.normalize import norm
from ahdath.text.sentences import Segment
from ahdath.text.timex import TimeExpr

_MEMO_LIMIT = 4096  # (actor entry, country) pairs remembered; a lexicon holds a few hundred entries
_LO_YEAR = 2011  # Syrian uprising: the earliest year an undated Syrian report is read against


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    iso: int
    iso3: str
    region: str
    box: tuple[float, float, float, float] | None = None  # west, south, east, north, with a margin


def load_countries() -> tuple[dict[str, Country], str]:
    doc = yaml.safe_load((resources.files("ahdath") / "data" / "countries.yaml").read_text(encoding="utf-8"))
    table = {c["name"]: Country(c["name"], int(c["iso"]), c["iso3"], c["region"],
                                tuple(float(x) for x in c["box"]) if c.get("box") else None)  # type: ignore[arg-type]
             for c in doc["countries"]}
    return table, str(doc["default"])


@dataclass(frozen=True, slots=True)
class ArticleDates:
    """The report's reference date and the default event date."""

    reference: dt.date | None
    default: ResolvedDate | None
    inferred_year: bool


class RecordBuilder:
    def __init__(self, actors: ActorFinder, places: PlaceResolver, countries: Mapping[str, Country],
                 default_country: str) -> None:
        self._actors = actors
        self._places = places
        self._countries = countries
        self._default_country = default_country
        # (id of a lexicon entry, country) -> (that entry, its ACLED actor): a report names few
        # actors and a corpus few more; the entry is kept so its id cannot be reused
        self._actor_memo: dict[tuple[int, str], tuple[Entry, Actor]] = {}

    # -- dates -------------------------------------------------------------------

    def article_dates(self, article: Article, m: Mentions, today: dt.date,
                      lead: Segment | None = None) -> ArticleDates:
        """``lead``: the first sentence that reports an event; its date, if it gives one, dates the report."""
        ref = article.published or date_from_url(article.url)
        inferred = False
        times = [t for t in m.times if not t.future]
        if ref is None:
            ref, inferred = self._infer_reference(m, times, today)
        default: ResolvedDate | None = None
        if lead is not None:
            for t in times:
                if lead.first <= t.first < lead.last:
                    r = resolve_date(t, ref, year_range=(_LO_YEAR, today.year))
                    if r is not None and r.date is not None:
                        default = r
                        break
        if default is not None:
            pass
        elif ref is not None and not inferred:
            # a report is about its own day unless a sentence says otherwise
            default = ResolvedDate(ref, 2, ())
        else:
            for t in times:
                r = resolve_date(t, ref, year_range=(_LO_YEAR, today.year))
                if r is not None and r.date is not None:
                    default = r
                    break
        if default is None and ref is not None:
            default = ResolvedDate(ref, 2, ())
        return ArticleDates(ref, default, inferred)

    def _infer_reference(self, m: Mentions, times: Sequence[TimeExpr], today: dt.date
                         ) -> tuple[dt.date | None, bool]:
        """The report's own date from its words, and whether its year had to be inferred."""
        periods: list[list[tuple[dt.date | None, dt.date | None]]] | None = None  # read when a year is sought
        for t in times:
            if t.day is None or t.month is None:
                continue
            if t.year is not None:
                try:
                    return dt.date(t.year, t.month, t.day), False
                except ValueError:
                    continue
            if periods is None:
                periods = [self._actors.periods(a) for a in m.actors if not a.generic]
            years = candidate_years(t.day, t.month, t.weekday, _LO_YEAR, today.year)
            fitting = []
            for y in years:
                try:
                    d = dt.date(y, t.month, t.day)
                except ValueError:
                    continue
                if d > today:
                    continue
                if all(any((a is None or a <= d) and (b is None or d <= b) for a, b in ps) for ps in periods if ps):
                    fitting.append(d)
            if len(fitting) == 1:
                return fitting[0], True
            return None, False
        return None, False

    # -- records -----------------------------------------------------------------

    def build_all(self, article: Article, m: Mentions, candidates: Sequence[Candidate], dates: ArticleDates,
                  context: ArticlePlaces, today: dt.date) -> list[Event]:
        """The records of a report's candidates, which share place resolution and the id digest."""
        places: dict[int, Place | None] = {}
        digest = _text_digest(article.text)
        return [self.build(article, m, c, dates, context, today, places, digest) for c in candidates]

    def build(self, article: Article, m: Mentions, c: Candidate, dates: ArticleDates,
              context: ArticlePlaces, today: dt.date, places: dict[int, Place | None] | None = None,
              digest: Any = None) -> Event:
        """One ACLED record; ``places`` memoizes resolution per mention within the report,
        ``digest`` is the sha1 of the report's first 2000 characters (``build_all`` passes both)."""
        nt = m.norm
        rd: ResolvedDate | None = None
        date_from_text = False
        if c.time is not None:
            rd = resolve_date(c.time, dates.reference, year_range=(_LO_YEAR, today.year))
            date_from_text = rd is not None and rd.date is not None
        if rd is None or rd.date is None:
            rd = dates.default
        event_date = rd.date if rd is not None else None

        place: Place | None = None
        if c.place is not None:
            place_key = id(c.place)
            if places is not None and place_key in places:
                place = places[place_key]
            else:
                place = self._places.resolve(c.place, context, m.places)
                if places is not None:
                    places[place_key] = place
        # where the place is unknown, the country the report is about (the context's)
        country_name = (place.country if place and place.country else None) or context.country \
            or self._default_country
        country = self._countries.get(country_name) or self._countries[self._default_country]

        a1 = self._actor(c.actor1, event_date, country.name)
        a2 = self._actor(c.actor2, event_date, country.name)
        as1 = self._actor(c.assoc1, event_date, country.name)
        inter1 = a1.inter if a1 else None
        inter2 = a2.inter if a2 else None

        spans: dict[str, tuple[Span, ...]] = {}

        def span(role: str, start: int, end: int) -> None:
            s, e = nt.span(start, end)
            spans[role] = spans.get(role, ()) + (Span(s, e, nt.original[s:e]),)

        for t in c.triggers:
            span("trigger", t.start, t.end)
        for role, r in (("actor1", c.actor1), ("actor2", c.actor2), ("assoc_actor_1", c.assoc1)):
            if r is not None and r.mention is not None:
                span(role, r.mention.start, r.mention.end)
        if c.place is not None:
            span("place", c.place.start, c.place.end)
        if c.time is not None and date_from_text:
            span("date", c.time.start, c.time.end)
        for s, e in c.fatalities.spans:
            span("fatalities", s, e)
        if c.apart is not None:  # the words that tell it apart from the incidents told before it
            span("separate", *c.apart)

        ev_start, ev_end = nt.span(c.clause.start, c.clause.end)
        if c.clause.last - c.clause.first < 6:
            ev_start, ev_end = nt.span(c.sentence.start, c.sentence.end)
        evidence = Evidence(nt.original[ev_start:ev_end], ev_start, ev_end, spans)

        tags = []
        if place is None:
            tags.append("no_place")
        elif place.unresolved:
            tags.append("unresolved_place")
        if c.place_inherited:
            tags.append("place_from_context")
        if dates.inferred_year:
            tags.append("year_inferred")
        if not date_from_text:
            tags.append("date_from_context")

        fatalities = c.fatalities.count or 0
        sub, event_type = _taken_by(c, a1)
        if c.by_air and a1 is not None and a1.inter == EXTERNAL_INTER:
            sub = "Air/drone strike"  # a state's forces abroad strike from the air (``extract.coding.by_air``)
        a1_name = a1.name if a1 else None
        a2_name = a2.name if a2 else None
        loc_ar = place.name_ar if place else None
        if loc_ar and c.place is not None and norm(loc_ar) == c.place.name:
            # a place named as the report names it (a village the gazetteer lacks, "ريف حماة الشمالي",
            # "بنغازي" for a record spelled "بنغازى") is written as the report wrote it
            s0, e0 = nt.span(c.place.start, c.place.end)
            written = " ".join(nt.original[s0:e0].replace("_", " ").split())
            if norm(written) == c.place.name:
                loc_ar = written
        key = "|".join(map(str, (article.id, event_date, sub, a1_name, a2_name, loc_ar, c.clause.start)))
        if digest is None:
            digest = _text_digest(article.text)
        h = digest.copy()
        h.update(key.encode("utf-8", "surrogatepass"))  # the sha1 of (text[:2000] + key), the prefix hashed once per report
        event_id = f"{country.iso3}-{h.hexdigest()[:10]}"
        # the evidence score: what the words give (``extract.confidence`` calibrates it)
        confidence = 0.45
        confidence += 0.15 if c.actor1 is not None and c.actor1.mention is not None else 0.0
        confidence += 0.1 if c.actor2 is not None and c.actor2.mention is not None else 0.0
        confidence += 0.1 if place is not None and not place.unresolved and not c.place_inherited else 0.0
        confidence += 0.05 if place is not None and place.geo_precision == 1 and not c.place_inherited else 0.0
        confidence += 0.1 if date_from_text else 0.0
        confidence += 0.1 if any(not t.weak for t in c.triggers) else -0.1
        confidence += 0.05 if c.anchor == "strong" else -0.1
        confidence += 0.05 if c.fatalities.count else 0.0
        notes = _notes(event_date, sub, a1_name, a2_name, place, country.name, fatalities)
        return Event(
            article_id=article.id, event_id=event_id,
            event_date=event_date.isoformat() if event_date else None,
            year=event_date.year if event_date else None,
            time_precision=rd.precision if rd is not None else 3,
            disorder_type=DISORDER_TYPE[event_type], event_type=event_type, sub_event_type=sub,
            actor1=a1_name, assoc_actor_1=as1.name if as1 else None, inter1=inter1,
            actor2=a2_name, assoc_actor_2=None, inter2=inter2,
            interaction=interaction(inter1, inter2),
            civilian_targeting=civilian_targeting(event_type, sub, a2.key if a2 else None),
            iso=country.iso, region=country.region, country=country.name,
            admin1=place.admin1 if place else None, admin2=place.admin2 if place else None,
            admin3=place.admin3 if place else None,
            location=place.name_en if place else None, location_ar=loc_ar,
            latitude=place.latitude if place else None, longitude=place.longitude if place else None,
            geo_precision=place.geo_precision if place else None,
            source=article.source or _domain(article.url), source_url=article.url,
            notes=notes, fatalities=fatalities, tags=";".join(tags) or None,
            evidence=evidence, confidence=round(max(0.05, min(confidence, 1.2)), 3),
        )

    def _actor(self, role: Role | None, on: dt.date | None, country: str) -> Any:
        if role is None:
            return None
        # an implied side ("the other side" of a battle, the civilians hit) is chosen like a named one
        entry = self._actors.choose_among(role.mention.entries if role.mention is not None else role.entries,
                                          on, country=country)
        known = self._actor_memo.get((id(entry), country))
        if known is not None and known[0] is entry:
            return known[1]
        actor = self._actors.to_actor(entry, country)
        if len(self._actor_memo) >= _MEMO_LIMIT:
            self._actor_memo.clear()
        self._actor_memo[id(entry), country] = (entry, actor)
        return actor


def _text_digest(text: str) -> Any:
    """sha1 of the report's first 2000 characters; a lone surrogate (a JSON "\\ud800" escape) is
    hashed as its code point rather than failing the report (valid text: plain UTF-8)."""
    return hashlib.sha1(text[:2000].encode("utf-8", "surrogatepass"))


def _domain(url: str | None) -> str | None:
    if not url or "//" not in url:
        return None
    host = url.split("//", 1)[1].split("/", 1)[0].split("?", 1)[0]
    return host[4:] if host.startswith("www.") else host


def _taken_by(c: Candidate, a1: Actor | None) -> tuple[str, str]:
    """The sub-event and event type of ``c`` once its actor's country is known. ACLED's government
    regains ground in its own country; a foreign army taking ground (inter 8 there) is coded as a
    non-state actor overtaking it where the report tells fighting, and as a non-violent transfer
    where it tells none ("توغلت قوات الاحتلال ... واستولت على مفرزة للأمن الداخلي")."""
    if c.sub_event_type not in TAKEN or a1 is None or a1.inter != EXTERNAL_INTER:
        return c.sub_event_type, c.event_type
    if c.fought:
        return "Non-state actor overtakes territory", c.event_type
    return "Non-violent transfer of territory", "Strategic developments"


def _notes(d: dt.date | None, sub: str, a1: str | None, a2: str | None, place: Place | None,
           country: str, fatalities: int) -> str:
    when = f"On {d.day} {d:%B} {d.year}" if d else "On an unstated date"
    where = ""
    if place is not None:
        name = place.name_en or place.name_ar
        where = f" in {name}" + (f" ({place.admin1})" if place.admin1 and place.admin1 != name else "")
    who = a1 or "an unidentified actor"
    against = f" against {a2}" if a2 else ""
    toll = f" {fatalities} reported killed." if fatalities else ""
    return f"{when}, {who}: {sub.lower()}{against}{where}, {country}.{toll}"
