"""What a report is about, from its vocabulary as a whole; and what that lets out of it.

A football report says "خطف الشرطة هدفا" and "تصدى الحارس"; a report on a gas explosion says
"انفجار"; a trial says "اغتيال"; a history feature tells a battle of 1920. Each sentence, read
alone, looks like conflict reporting. The report as a whole does not: its words are those of
the sports page, the accident desk, the court or the culture pages.

``DomainReader.read`` scores every field of ``lexicon.schema.DOMAINS`` by the cue words of
``data/lexicon/ar/domains.yaml`` found in the report (stems cover inflections):

- the title and lead (sentences starting in the first ``LEAD_TOKENS`` tokens) count double,
  and one word counts at most ``REPEATS`` times: breadth of a field's vocabulary tells more
  than one word said again ("المجزرة" eight times in an anniversary piece);
- a field's places, people and names ("ملعب", "لاعب", "المحكمة", "القاضي") count half, its
  activities ("مباراة", "حكمت بالسجن") fully: a stadium shelled or a judge killed by a bomb is
  a conflict report that names a field's place or person as the target;
- words inside a place name never count ("بعقوبة" is no sentence); inside an actor's name they
  count for conflict only; an armed group or a foreign force named counts for conflict; a year
  of the last century counts for history (culture).

A field other than conflict is the domain when it has ``MIN_SCORE``, ``RATIO`` times the
conflict score and stands in ``MIN_SENTENCES`` sentences; a field named in one sentence only
must fill it (``MIN_WORDS_ONE`` distinct words, ``RATIO_ONE`` times conflict): one sentence
naming a stadium is a mention, not what a report is about. A frame (a weight-3 cue such as
"الذكرى السنوية", "في مثل هذا اليوم") in the lead makes the report its field whatever words
the body tells it in. Politics (statements, diplomacy) is read so a political report is not
taken for another field, and holds nothing back.

Policy (``DomainVerdict.admits``), from the errors counted on the shared sets. In a report of
a non-conflict field the events found were the field's own words read as violence: on dev2,
11 of 20 such reports gave 15 events (a derby's "خطف" and "تصدى", a kitchen's "انفجار", a family
quarrel's "قنبلة يدوية", an exercise's "المدفعية", a battle of 1920), and no report of dev or
dev2 with a gold event is of such a field. The rare real event such a report tells (a club
mourning a player shelled by named forces) is told in conflict words by a named armed side.
So a violent or strategic event comes out of it only when all hold (the candidates the sense
check left on dev2 fail each test: 3 have only a generic trigger, 5 no named armed agent, 3 a
sentence in the field's words):

- a trigger of it is not weak (a specific act, not "هجوم", "قتل", "انفجار");
- its agent is named in the text and is an armed side (not civilians, protesters, or
  unidentified people);
- its own sentence speaks conflict: that sentence's conflict words of full weight (violence,
  armed groups, fronts; not the words an army shares with its drills) weigh at least
  ``SENTENCE_CONFLICT`` and more than its words of the report's field.

Protests and riots pass: a report on prices or wages is where protests about them are told.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import NamedTuple, Sequence

from ahdath.extract.events import Candidate
from ahdath.extract.mentions import Mentions
from ahdath.extract.trace import Decision
from ahdath.lexicon import LexiconSet
from ahdath.lexicon.schema import DOMAINS
from ahdath.lexicon.stems import STEM_MARK, CueHit, StemMatcher
from ahdath.resolve.actors import ActorMention
from ahdath.resolve.places import PlaceMention

CONFLICT = "conflict"
POLITICS = "politics"
# fields that hold events back: every one but conflict and politics
GATING = tuple(d for d in DOMAINS if d not in (CONFLICT, POLITICS))
MIN_SCORE = 3.0  # a field needs this much vocabulary (a lead word counts 2) to be a report's domain
RATIO = 1.5  # ... and this many times the conflict score
SENTENCE_CONFLICT = 1.0  # full-weight conflict words a sentence needs to let an event out of a non-conflict report
LEAD_TOKENS = 50  # title and lead: the sentences that start within this many tokens
LEAD_WEIGHT = 2.0  # ... count their words double
FRAME_WEIGHT = 3.0  # a cue of this weight is a frame: in the lead, it names the report's field
REPEATS = 2  # occurrences of one cue word that count
MIN_SENTENCES = 2  # a field's words in this many sentences: the report's field (a report, not a mention)
MIN_WORDS_ONE = 3  # ... in one sentence only: it needs this many distinct words of the field
RATIO_ONE = 3.0  # ... and this many times the conflict score
_OLD_YEAR = re.compile(r"1[89][0-9][0-9]")  # a year when no digit stands on either side
TOP_CUES = 3  # cue words a reason names
_PASS_TYPES = frozenset({"Protests", "Riots"})
_NOT_ARMED = frozenset({"CIVILIANS", "PROTESTERS", "RIOTERS", "UNKNOWN"})
# ACLED inter codes of rebels, political and identity militias, and external forces: sides that
# only conflict reporting names (state forces also patrol, drill and play football)
_ARMED_INTER = frozenset({2, 3, 4, 8})
_INDEX = {d: i for i, d in enumerate(DOMAINS)}
_CONFLICT_I = _INDEX[CONFLICT]
_CULTURE_I = _INDEX["culture"]
_LONGEST_NAME = 12  # tokens: no place or actor name is longer


DOMAIN_CUES = "domain"  # the name of ``DomainReader.can_start`` among the word tests of a report's scan


class DomainCue(NamedTuple):
    """One domain cue as the matcher's payload."""

    domain: int  # index into DOMAINS
    weight: float
    word: str  # the form without its article: "المجزرة" and "مجزرة" are one word of a report


@dataclass(frozen=True, slots=True)
class Admission:
    """Whether a candidate event may come out of its report, and why."""

    keep: bool
    reason: str


@dataclass(frozen=True, slots=True)
class DomainVerdict:
    """A report's domain, every field's score, a reason to print, and per sentence the
    (first token, conflict score, score in the report's domain) the policy reads."""

    domain: str
    scores: tuple[tuple[str, float], ...]  # in DOMAINS order
    reason: str
    sentences: tuple[tuple[int, float, float], ...] = ()

    @property
    def gating(self) -> bool:
        """Whether the domain holds events back (see the module docstring)."""
        return self.domain in GATING

    def score(self, domain: str) -> float:
        return dict(self.scores).get(domain, 0.0)

    def admits(self, cand: Candidate) -> Admission:
        """Whether ``cand`` may come out of this report (the policy of the module docstring)."""
        if not self.gating:
            return Admission(True, f"{self.domain} report")
        if cand.event_type in _PASS_TYPES:
            return Admission(True, f"{cand.event_type.lower()} pass in a {self.domain} report")
        if all(t.weak for t in cand.triggers):
            return Admission(False, f"{self.domain} report: only a generic trigger")
        a1 = cand.actor1
        if a1 is None or a1.mention is None or a1.key in _NOT_ARMED:
            return Admission(False, f"{self.domain} report: no named armed agent")
        conflict, field = self._sentence(cand.sentence.first)
        if conflict < SENTENCE_CONFLICT or conflict <= field:
            return Admission(False, f"{self.domain} report: its sentence speaks {self.domain} "
                                    f"({field:g}) more than conflict ({conflict:g})")
        return Admission(True, f"{self.domain} report, but a named armed side in a conflict sentence")

    def _sentence(self, first: int) -> tuple[float, float]:
        k = bisect_right(self.sentences, (first, float("inf"), float("inf"))) - 1
        if k >= 0 and self.sentences[k][0] == first:
            return self.sentences[k][1], self.sentences[k][2]
        return 0.0, 0.0

    def screen(self, cands: list[Candidate], m: Mentions | None = None,
               trace: list[Decision] | None = None) -> list[Candidate]:
        """The candidates this report lets out; the others go to ``trace`` (``m``: their mentions)."""
        if not self.gating:
            return cands
        out = []
        for c in cands:
            admission = self.admits(c)
            if admission.keep:
                out.append(c)
            elif trace is not None and m is not None:
                a, b = m.norm.span(c.clause.start, c.clause.end)
                trace.append(Decision("domain", "dropped", c.sub_event_type,
                                      f"{admission.reason} (the report reads as {self.reason})",
                                      a, b, m.norm.original[a:b]))
        return out


class DomainReader:
    """Domain cues compiled once per pipeline."""

    def __init__(self, cues: StemMatcher[DomainCue]) -> None:
        self._cues = cues
        self.can_start = cues.can_start  # where a domain cue may start: a word test for the report's scan

    @classmethod
    def from_lexicons(cls, lexicons: LexiconSet) -> "DomainReader":
        pairs = [(f, DomainCue(_INDEX[str(e.get("domain"))], float(e.get("weight") or 1.0), _bare(f)))
                 for e in lexicons["domains"].entries for f in e.forms]
        return cls(StemMatcher(pairs))

    def screen(self, m: Mentions, cands: list[Candidate], trace: list[Decision] | None = None) -> list[Candidate]:
        """``read(m).screen(cands, m, trace)``: the candidates the report lets out. Most reports
        are told in conflict words: where no field that holds events back can reach
        ``MIN_SCORE`` (every cue of it counted in the lead), the report is not read further."""
        hits = self._cues.find(m.tokens, heads=m.heads.get(DOMAIN_CUES))
        most = [0.0] * len(DOMAINS)
        for hit in hits:
            most[hit.payload.domain] += hit.payload.weight
        text = m.norm.text
        most[_CULTURE_I] += sum(1 for y in _OLD_YEAR.finditer(text) if not _digit_beside(text, y.start(), y.end()))
        if all(most[_INDEX[d]] * LEAD_WEIGHT < MIN_SCORE for d in GATING):
            return cands
        return self._verdict(m, hits).screen(cands, m, trace)

    def read(self, m: Mentions) -> DomainVerdict:
        """The domain of the report ``m`` holds (every sentence read, the lead counting double)."""
        return self._verdict(m, self._cues.find(m.tokens, heads=m.heads.get(DOMAIN_CUES)))

    def _verdict(self, m: Mentions, hits: list[CueHit[DomainCue]]) -> DomainVerdict:
        firsts = [s.first for s in m.sentences]
        lead_end = bisect_left(firsts, LEAD_TOKENS)  # sentences that start in the lead
        # per field and cue word (its bare form: "والمجزرة" and "مجزرة" are one word), the weights met
        found: list[dict[str, list[float]]] = [{} for _ in DOMAINS]
        framed: set[int] = set()
        told: list[tuple[int, int, float]] = []  # (sentence, field, weight) of each cue
        # a cue inside a place name is a name, not vocabulary ("بعقوبة"); inside an actor's name it
        # speaks conflict only ("مسلحون", but not the "نادي" of a club named after an army)
        place_firsts = [p.first for p in m.places]
        actor_firsts = [a.first for a in m.actors]
        for hit in hits:
            d, w, word = hit.payload
            if _inside(m.places, place_firsts, hit.first) or (
                    d != _CONFLICT_I and _inside(m.actors, actor_firsts, hit.first)):
                continue
            si = bisect_right(firsts, hit.first) - 1
            told.append((si, d, w))
            if si < lead_end:
                if w >= FRAME_WEIGHT:
                    framed.add(d)
                w *= LEAD_WEIGHT
            found[d].setdefault(word, []).append(w)
        # an armed group or a foreign force named in the report is conflict's own vocabulary
        for a in m.actors:
            inter = int(a.entries[0].get("inter") or 0)
            if inter in _ARMED_INTER and not a.generic:
                si = bisect_right(firsts, a.first) - 1
                told.append((si, _CONFLICT_I, 1.0))
                found[_CONFLICT_I].setdefault(str(a.entries[0].get("key")), []).append(
                    LEAD_WEIGHT if si < lead_end else 1.0)
        # a year of the last century is history told ("عام 1920")
        text = m.norm.text
        years = [y for y in _OLD_YEAR.finditer(text) if not _digit_beside(text, y.start(), y.end())]
        if years:
            starts = [s.start for s in m.sentences]
            for y in years:
                si = bisect_right(starts, y.start()) - 1
                told.append((si, _CULTURE_I, 1.0))
                found[_CULTURE_I].setdefault(y.group(), []).append(LEAD_WEIGHT if si < lead_end else 1.0)
        # a word said again adds less than a new word of the field: the heaviest REPEATS count
        cues = [{w: (sum(sorted(ws, reverse=True)[:REPEATS]) if len(ws) > REPEATS else sum(ws))
                 for w, ws in per.items()} for per in found]
        totals = [sum(c.values()) for c in cues]
        spread = [0] * len(DOMAINS)
        for d in {(si, d) for si, d, _w in told}:
            spread[d[1]] += 1
        domain, reason = _decide(totals, cues, framed, spread)
        di = _INDEX[domain]
        conflict = [0.0] * len(firsts)
        field = [0.0] * len(firsts)
        for si, d, w in told:
            if d == _CONFLICT_I and w >= 1.0:  # words of violence, not the army's words an exercise shares
                conflict[si] += w
            if d == di:
                field[si] += w
        return DomainVerdict(domain, tuple(zip(DOMAINS, totals)), reason, tuple(zip(firsts, conflict, field)))


def _decide(totals: list[float], cues: list[dict[str, float]], framed: set[int],
            spread: list[int]) -> tuple[str, str]:
    """The domain for the scores ``totals`` (in DOMAINS order), and the reason to print;
    ``framed``: the fields whose frame phrase stands in the lead; ``spread``: in how many
    sentences each field's words stand."""
    conflict = totals[_CONFLICT_I]
    politics = totals[_INDEX[POLITICS]]
    fields = [_INDEX[d] for d in GATING if totals[_INDEX[d]] >= MIN_SCORE]
    # one sentence naming a stadium or a court is a mention, not what a report is about,
    # unless the field's words fill it
    told = [i for i in fields if spread[i] >= MIN_SENTENCES
            or (len(cues[i]) >= MIN_WORDS_ONE and totals[i] >= RATIO_ONE * conflict)]
    ranked = sorted(told, key=lambda i: (i not in framed, -totals[i], i))
    if ranked:
        best = ranked[0]
        top, name = totals[best], DOMAINS[best]
        if best in framed:
            return name, f"{name} framed in the lead, {top:g} against conflict {conflict:g} ({_top_cues(cues[best])})"
        if top >= RATIO * conflict and top >= politics:
            return name, f"{name} {top:g} against conflict {conflict:g} ({_top_cues(cues[best])})"
    if politics >= MIN_SCORE and politics > conflict and politics >= max((totals[i] for i in fields), default=0.0):
        return POLITICS, f"politics {politics:g} against conflict {conflict:g} ({_top_cues(cues[_INDEX[POLITICS]])})"
    if ranked:
        best = ranked[0]
        return CONFLICT, (f"conflict {conflict:g} against {DOMAINS[best]} {totals[best]:g} (needs {RATIO:g}x): "
                          f"{_top_cues(cues[_CONFLICT_I])}")
    if fields:
        best = max(fields, key=lambda i: (totals[i], -i))
        return CONFLICT, f"conflict {conflict:g}; {DOMAINS[best]} {totals[best]:g} stands in one sentence only"
    best = max((_INDEX[d] for d in GATING), key=lambda i: (totals[i], -i))
    return CONFLICT, f"conflict {conflict:g}; no other field reaches {MIN_SCORE:g} ({DOMAINS[best]} {totals[best]:g})"


def _inside(mentions: Sequence[PlaceMention] | Sequence[ActorMention], firsts: list[int], pos: int) -> bool:
    """Whether token ``pos`` lies inside one of ``mentions`` (sorted by ``first``; ``firsts`` theirs)."""
    k = bisect_right(firsts, pos)
    # mentions may nest (a place inside a longer one): look back over those starting before
    while k > 0:
        k -= 1
        if mentions[k].last > pos:
            return True
        if firsts[k] < pos - _LONGEST_NAME:
            return False
    return False


def _bare(form: str) -> str:
    """A normalized form without its article and stem mark: the word a reason names."""
    form = form.replace(STEM_MARK, "")
    return form[2:] if form.startswith("ال") and len(form) > 4 else form


def _digit_beside(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isdigit()) or (end < len(text) and text[end].isdigit())


def _top_cues(found: dict[str, float]) -> str:
    """The cue words that weighed most, heaviest first (ties in text order), or 'no cue'."""
    ranked = sorted(found.items(), key=lambda kv: -kv[1])[:TOP_CUES]  # sorted is stable: text order on ties
    return ", ".join(f"{w} {v:g}" for w, v in ranked) or "no cue"
