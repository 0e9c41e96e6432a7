"""Actor mentions and their ACLED names, inter codes and interaction codes.

``ActorFinder`` is built once from the ``actors`` lexicon and finds every actor
phrase in a report's tokens. A phrase may name several lexicon entries (the
same words for the regime before Dec 2024 and the new government after it, or
"الجيش" in Syria and in Sudan); ``choose`` picks one by date, country and
priority, and ``periods`` tells the date resolver which years a phrase allows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

from ahdath.errors import LexiconError
from ahdath.lexicon.loader import Entry, LexiconSet
from ahdath.lexicon.matcher import PhraseMatcher
from ahdath.model import Actor
from ahdath.text.tokens import Token

# Actor keys of the annotation guidelines (corpus/GUIDELINES.md); "OTHER:<name>" is also valid.
GUIDELINE_KEYS: frozenset[str] = frozenset({
    "SYR_REGIME", "SYR_GOV_NEW", "SYR_NDF", "PRO_REGIME_MILITIA", "IRAN_MILITIA", "HEZBOLLAH", "RUSSIA",
    "ISIS", "HTS", "OPPOSITION", "SNA", "SDF", "TURKEY", "COALITION", "ISRAEL", "CIVILIANS", "PROTESTERS",
    "RIOTERS", "UNKNOWN", "IRAQ_GOV", "PMF", "HOUTHI", "YEMEN_GOV", "SAUDI_COALITION", "LNA", "LIBYA_GNA",
    "SAF", "RSF", "LEB_ARMY", "HAMAS", "PIJ",
})
OTHER_PREFIX = "OTHER:"
COUNTRY_SLOT = "{country}"
CIVILIAN_TARGETING = "Civilian targeting"
EXTERNAL_INTER = 8  # ACLED: state forces acting outside their own country are external forces

# ACLED writes state forces as "Military Forces of X (years) ..." / "Police Forces of X (years)".
_STATE_NAME = re.compile(r"^(?:Military|Police) Forces of (?:the )?([^()]+?) \(")


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor phrase: tokens ``[first, last)``, normalized offsets, candidate entries."""

    first: int
    last: int
    start: int
    end: int
    entries: tuple[Entry, ...]
    generic: bool  # every candidate is a bare/anaphoric reference ("التنظيم", "النظام")


def home_state(name: str) -> str | None:
    """The state of an ACLED state-force name ("Military Forces of Russia (2000-)" -> "Russia")."""
    m = _STATE_NAME.match(name)
    return m.group(1) if m else None


def _period(e: Entry) -> tuple[date | None, date | None]:
    return e.get("active_from"), e.get("active_to")


def _distance(e: Entry, on: date) -> int:
    """Days from ``on`` to the entry's active period (0 inside it)."""
    lo, hi = _period(e)
    if lo is not None and on < lo:
        return (lo - on).days
    if hi is not None and on > hi:
        return (on - hi).days
    return 0


_MEMO_LIMIT = 1 << 12  # phrases (and phrases read in a country) a finder remembers: a lexicon's worth


class ActorFinder:
    """Immutable after ``from_lexicons`` (but for memos of what it has read); share one per pipeline."""

    __slots__ = ("_matcher", "_default_country", "_phrases", "_local")

    def __init__(self, matcher: PhraseMatcher[Entry], default_country: str | None) -> None:
        self._matcher = matcher
        self._default_country = default_country
        # a phrase's first form -> (its entries, whether all are generic): a phrase's matches are
        # always the same entries, read once
        self._phrases: dict[str, tuple[tuple[Entry, ...], bool]] = {}
        # (id of a phrase's entries, country) -> (those entries, as ``localize`` orders them or None)
        self._local: dict[tuple[int, str], tuple[tuple[Entry, ...], tuple[Entry, ...] | None]] = {}

    @classmethod
    def from_lexicons(cls, lexicons: LexiconSet, *, default_country: str | None = "Syria") -> "ActorFinder":
        """Compile every actor form; raise ``LexiconError`` for keys outside the guidelines."""
        entries = lexicons["actors"].entries
        problems = [
            f"{e.origin}: entry {e.id!r}: key {e.get('key')!r} is not a guideline key or OTHER:<name>"
            for e in entries
            if e.get("key") not in GUIDELINE_KEYS and not str(e.get("key")).startswith(OTHER_PREFIX)
        ]
        if problems:
            raise LexiconError(f"{len(problems)} actor key problem(s); first: {problems[0]}", problems=problems)
        return cls(PhraseMatcher((f, e) for e in entries for f in e.forms), default_country)

    @property
    def default_country(self) -> str | None:
        return self._default_country

    @property
    def matcher(self) -> PhraseMatcher[Entry]:
        """The phrase matcher of every actor form (``find``'s ``heads`` are its heads)."""
        return self._matcher

    def find(self, tokens: Sequence[Token], heads: Iterable[int] | None = None) -> list[ActorMention]:
        """Leftmost-longest actor phrases, one mention per token range; ``heads``: ``matcher.heads(tokens)``."""
        out: list[ActorMention] = []
        matches = self._matcher.find(tokens, heads=heads)
        i, n = 0, len(matches)
        phrases = self._phrases
        while i < n:
            m = matches[i]
            j = i + 1
            while j < n and matches[j].first == m.first and matches[j].last == m.last:
                j += 1
            # the matches of one range are the entries of one phrase, always in the same order
            known = phrases.get(m.form)
            if known is None:
                seen: dict[str, Entry] = {}
                for k in range(i, j):
                    seen.setdefault(matches[k].payload.id, matches[k].payload)
                cands = tuple(seen.values())
                known = (cands, all(bool(e.get("generic")) for e in cands))
                if len(phrases) >= _MEMO_LIMIT:
                    phrases.clear()
                phrases[m.form] = known
            out.append(ActorMention(m.first, m.last, m.start, m.end, *known))
            i = j
        return out

    def choose(self, mention: ActorMention, on: date | None, *, country: str | None = None) -> Entry:
        """The entry the mention means on day ``on`` in ``country`` (default: the finder's)."""
        return self.choose_among(mention.entries, on, country=country)

    def choose_among(self, entries: Sequence[Entry], on: date | None, *, country: str | None = None) -> Entry:
        """The entry of ``entries`` (one phrase's candidates) meant on day ``on`` in ``country``.

        Ranked by: not scoped to another country (a Yemeni report's "الجيش" is never the
        Syrian army, whatever the date), active on ``on`` (else the nearest period), scoped
        to the country (then unscoped), priority, then the earliest period, so an undated
        "الجيش السوري" reads as the pre-2024 army (most archived reports).
        """
        if len(entries) == 1:
            return entries[0]  # nothing to rank
        where = country or self._default_country

        def rank(e: Entry) -> tuple[int, int, int, int, date]:
            scope = e.get("country")
            fit = 2 if scope is not None and scope == where else 1 if scope is None else 0
            dist = _distance(e, on) if on is not None else 0
            return (fit == 0, dist, -fit, -int(e.get("priority") or 0), e.get("active_from") or date.min)

        return min(entries, key=rank)

    def localize(self, mentions: Sequence[ActorMention], country: str | None) -> tuple[ActorMention, ...]:
        """``mentions`` read in a report about ``country`` (default: the finder's): the candidates of
        each ordered with its own entries first, then unscoped ones (stable otherwise), so that what the
        engine reads off a mention's first entry (its key: a side, an ally, a civilian) is what it
        means there; a generic word that names no actor there ("جنود", a Palestinian report's
        word for Israeli soldiers, in a Syrian one) is dropped."""
        where = country or self._default_country
        if where is None:
            return tuple(mentions)
        out = []
        for m in mentions:
            key = (id(m.entries), where)
            known = self._local.get(key)
            if known is None or known[0] is not m.entries:  # the entries are kept: their id is their own
                known = (m.entries, self._ordered(m.entries, where))
                if len(self._local) >= _MEMO_LIMIT:
                    self._local.clear()
                self._local[key] = known
            entries = known[1]
            if entries is not None:
                if entries:
                    m = ActorMention(m.first, m.last, m.start, m.end, entries, m.generic)
                elif m.generic:
                    continue
            out.append(m)
        return tuple(out)

    @staticmethod
    def _ordered(entries: tuple[Entry, ...], where: str) -> tuple[Entry, ...] | None:
        """A phrase's entries ordered for ``where`` (``localize``): None when the order stands,
        () when none of them is an actor there."""
        if any(e.get("country") is not None for e in entries) and len(entries) > 1 \
                or any(e.get("country") not in (None, where) for e in entries):
            own = [e for e in entries if e.get("country") == where]
            anywhere = [e for e in entries if e.get("country") is None]
            if own or anywhere:
                away = [e for e in entries if e.get("country") not in (None, where)]
                return tuple(own + anywhere + away)
            return ()
        return None

    def to_actor(self, entry: Entry, country: str | None = None) -> Actor:
        """ACLED actor for ``entry`` in an event in ``country``; foreign state forces get inter 8."""
        where = country or self._default_country
        fill = where or entry.get("country")
        name = str(entry.get("name"))
        # no country known: "Civilians ({country})" reads "Civilians" rather than "Civilians ()"
        name = name.replace(COUNTRY_SLOT, fill) if fill else name.replace(f" ({COUNTRY_SLOT})", "")
        inter = int(entry.get("inter"))
        state = home_state(name)
        if inter == 1 and state is not None and where is not None and state != where:
            inter = EXTERNAL_INTER
        return Actor(name=name, inter=inter, key=str(entry.get("key")),
                     country=state or entry.get("country") or where)

    def resolve(self, mention: ActorMention, on: date | None, *, country: str | None = None) -> Actor:
        """``to_actor(choose(...))`` in one call."""
        return self.to_actor(self.choose(mention, on, country=country), country)

    def periods(self, mention: ActorMention) -> list[tuple[date | None, date | None]]:
        """Distinct active periods of the candidates (None = open end).

        A report mentioning the phrase was written in one of them; an unbounded
        ``(None, None)`` among them means the phrase says nothing about the year.
        """
        return list(dict.fromkeys(_period(e) for e in mention.entries))


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED interaction code: both inter codes, lower first (17); a lone actor gives 10 * inter."""
    codes = sorted(c for c in (inter1, inter2) if c)
    if not codes:
        return None
    if len(codes) == 1:
        return 10 * codes[0]
    return 10 * codes[0] + codes[1]


def civilian_targeting(event_type: str, sub_event_type: str, actor2_key: str | None) -> str | None:
    """ACLED's civilian_targeting column: civilians were the main or only target."""
    if event_type == "Violence against civilians" or sub_event_type == "Excessive force against protesters":
        return CIVILIAN_TARGETING
    if event_type == "Explosions/Remote violence" and actor2_key == "CIVILIANS":
        return CIVILIAN_TARGETING
    return None
