"""Which triggers of a clause report an incident, and how firmly the clause ties them to one.

Two questions, asked of every clause with a trigger before its arguments are read:

- ``reported``: is the trigger told as having happened? Not when a status frame governs it
  (``extract.status``: a denial, a plan, a trial, a statistic ...), or a frame governs the
  trigger it completes ("لم يتم قصف المدينة بالمدفعية"), or a cue keeps its sub-type from being
  coded (an attempt at a capture, aircraft that carry people, the breach of a deal).
- ``anchoring``: what ties the clause's act to an occasion? Strong: a trigger is the clause's
  verb (Arabic news is told verb first: "وقصفت الطائرات", "كما اعتقلت الشرطة", or after a
  complementizer and its subject: "قال إن الطيران قصف"), a verb says it happened (وقع، أسفر،
  شن، تعرض), a day is given, or a toll. Weak: only a place or a named side, enough in a report
  that tells some incident strongly. None: the act is named as a topic ("سياسة الاغتيالات").
  An act named as a noun in a clause whose predicate is another verb (``extract.predicate``:
  "استقبل الوزير ... منذ اغتيال", "كرمت ... ضحايا التفجير") is a mention unless something told
  beside it says it happened: one sign anchors it weakly, two (or a cause) strongly.

Everything left out goes to the caller's trace with its reason and the words it was about.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Callable, Sequence

from ahdath.extract.mentions import Cue, Mentions, Trigger, within
from ahdath.extract.predicate import OTHER, ClauseHeads
from ahdath.extract.status import COMPLEMENT, OCCURRENCE, OPENER, REPORTED, Frame, Status, StatusReader
from ahdath.extract.trace import Decision
from ahdath.resolve.actors import ActorMention
from ahdath.resolve.fatalities import Fatalities
from ahdath.resolve.places import PlaceMention
from ahdath.text.sentences import Segment
from ahdath.text.timex import TimeExpr
from ahdath.resolve.dates import period_end
from ahdath.text.tokens import is_definite

if TYPE_CHECKING:  # events imports this module
    from ahdath.extract.events import Candidate

STRONG, WEAK, UNANCHORED = "strong", "weak", "none"
TERRITORY = "Non-state actor overtakes territory"
# cue kinds that block only some kinds of trigger, when they stand this many tokens before it:
# "نقلتهم بطائرات مروحية" (a transport, not a strike), "خرق لاتفاق وقف إطلاق النار" (a breach, not a
# deal), "انتشال جثث من تحت الأنقاض" (the aftermath of a strike already told, not a killing)
_BLOCKING_FOR = {"transport": ({"Air/drone strike"}, 3), "breach": ({"Agreement"}, 3), "recovery": ({"Attack"}, 4)}
BACKGROUND_DAYS = 31  # a period that ended this long before the report is background (ACLED codes news)
_CROWD_EVENTS = frozenset({"Protests", "Riots"})
_CROWDS = frozenset({"PROTESTERS", "RIOTERS"})  # actor keys of a crowd that demonstrates
_ATTEMPT_REACH = 5  # "محاولة" this close before a capture: the capture did not happen
_ARGUMENT_REACH = 6  # tokens after a framed trigger where the triggers completing it stand
# marks that end what stands before a clause's verb: a comma, colon or quotation opens a new one
_BOUNDARY = frozenset("،,:؛;\"«»“”\n-–")


def trace_trigger(trace: list[Decision], m: Mentions, stage: str, trig: Trigger, reason: str, start: int, end: int,
                  action: str = "dropped") -> None:
    """Record that ``trig`` was left out (or folded); ``start``/``end``: normalized offsets of the words why."""
    a, b = m.norm.span(min(start, trig.start), max(end, trig.end))
    trace.append(Decision(stage, action, trig.sub_event_type, reason, a, b, m.norm.original[a:b]))


def _blocked(trig: Trigger, cues: Sequence[Cue]) -> Cue | None:
    """The cue that keeps a trigger of some sub-types from being coded; ``cues``: the clause's
    cues of those kinds (``_blockers``)."""
    for c in cues:
        if c.cue == "attempt":
            if trig.sub_event_type == TERRITORY and trig.first - _ATTEMPT_REACH <= c.first < trig.first:
                return c
            continue
        subs, reach = _BLOCKING_FOR[c.cue]
        if trig.sub_event_type in subs and trig.first - reach <= c.first < trig.first:
            return c
    return None


def _blockers(cues: Sequence[Cue]) -> list[Cue]:
    return [c for c in cues if c.cue in _BLOCKING_FOR or c.cue == "attempt"]


def reported(trigs: Sequence[Trigger], frames: Sequence[Frame], cues: Sequence[Cue], dated: bool, m: Mentions,
             trace: list[Decision] | None) -> list[Trigger]:
    """The triggers of a clause that report an incident; the others go to ``trace``. ``dated``:
    the incident has a recent date ("اليوم", "مساء الأحد"), so a reaction to it ("أدانت ...
    التفجيرات التي شهدتها المدينة اليوم") also tells it as news."""
    blockers = _blockers(cues)
    out: list[Trigger] = []
    held: tuple[Status, int] | None = None  # the frame governing the last trigger, and its end
    listed = catalogue(trigs, m) if len(trigs) >= _CATALOGUE else frozenset()
    for t in trigs:
        status = StatusReader.status(t.first, t.last, t.sub_event_type, frames, _series(t)) if frames else REPORTED
        if status.reported and frames and not _verb(t, m):
            status = _far_frame(t, frames) or status
        if id(t) in listed:
            status = Status("topic", "topic: one of a list of kinds of act (killings, kidnappings, rapes ...), "
                                     "named as practices, not as an incident")
        if status.reported and held is not None and t.first - held[1] <= _ARGUMENT_REACH and not _joined_verb(m, t):
            # the words that complete a governed trigger (its object, its weapon) are under the same
            # frame; a verb joined by و or ف ("بغرض السلب والنهب، وقتلت 14") tells an act of its own
            status = held[0]
        if not status.reported:
            held = (status, t.last)
        if status.reported or (dated and status.kind == "reaction"):
            cue = _blocked(t, blockers) if blockers else None
            if cue is None:
                out.append(t)
            elif trace is not None:
                trace_trigger(trace, m, "status", t, f"{cue.cue} cue before a {t.sub_event_type} trigger",
                              cue.start, cue.end)
        elif trace is not None:
            f = status.frame
            trace_trigger(trace, m, "status", t, status.reason, f.start if f else t.start, f.end if f else t.end)
    return out


def _joined_verb(m: Mentions, t: Trigger) -> bool:
    """A trigger that can only be a perfect verb and carries the conjunction و or ف: a new predicate."""
    return bool(t.readings) and all(r.part == "verb" and r.aspect == "perfect" for r in t.readings) \
        and m.tokens[t.first].text[:1] in ("و", "ف") and t.start > m.tokens[t.first].start


_CATALOGUE = 3  # kinds of act named in one list that make it a list of practices


def catalogue(trigs: Sequence[Trigger], m: Mentions) -> frozenset[int]:
    """The triggers (by id) named as a list of kinds of act: three or more act nouns, of two kinds
    or more, each joined to the last by "و" or a comma with at most one word between ("القتل
    والخطف والاغتصاب", "دوامة القتل والتفجيرات وأعمال الخطف"). A list of practices is a topic;
    an incident is told by a verb, and its parts ("انفجار سيارة مفخخة أدى إلى مقتل") are not joined so."""
    tokens, text = m.tokens, m.norm.text
    out: set[int] = set()
    run: list[Trigger] = []

    def close() -> None:
        if len(run) >= _CATALOGUE and len({t.sub_event_type for t in run}) > 1:
            out.update(id(t) for t in run)

    for t in trigs:
        noun = not t.readings or all(r.part != "verb" for r in t.readings)
        joined = bool(run) and 0 <= t.first - run[-1].last <= 2 and (
            tokens[t.first - 1].text.startswith("و") or tokens[t.first].text.startswith("و")
            or "،" in text[tokens[run[-1].last - 1].end:tokens[t.first].start]
            or "," in text[tokens[run[-1].last - 1].end:tokens[t.first].start])
        if noun and joined:
            run.append(t)
            continue
        close()
        run = [t] if noun else []
    close()
    return frozenset(out)


_NOUN_REACH = 25  # how far back a frame that governs a clause reaches an act named as a noun
_CLAUSE_FRAME = 5  # frames with at least this reach govern a clause, not one word ("يعتزم", "أدان", "بتهمة")
_FAR_SPARED = frozenset({"denial", "occurrence", "opener", "complement", "none"})


def _verb(t: Trigger, m: Mentions) -> bool:
    """Whether the trigger may read as a verb (a written form may, "قتل", unless it carries the article)."""
    if not t.readings:
        return not is_definite(m.tokens[t.first].text)
    return any(r.part == "verb" for r in t.readings)


def _habitual(m: Mentions, first: int, last: int, group: Sequence[Trigger], times: Sequence[TimeExpr],
              frames: Sequence[Frame], predicates: ClauseHeads | None = None) -> bool:
    """"ينفذ التنظيم هجمات على القرى", "يشن الطيران غارات على الريف": a clause opened by a verb in
    the imperfect, with acts named in the plural (and none by a verb) and no day told, says what a side keeps
    doing, not an incident. (The present of a verb that reports one under way, "يعتصم المئات",
    is a trigger itself and never reaches here.)"""
    if not any(_series(t, m) for t in group) or any(_verb(t, m) for t in group) \
            or any(first <= t.first < last and recent(t) for t in times):
        return False
    k = first
    while k < group[0].first and any(f.first == k and f.spec.status == OPENER for f in frames):
        k += 1  # "كما يشن", "ثم ينفذ"
    if k >= group[0].first:
        return False
    word = m.tokens[k].text
    w = word[1:] if word[0] in "وف" and len(word) > 4 else word
    # ي marks the imperfect alone ("يشن", "ينفذ"); ت also begins perfects of forms V and VI ("تجدد",
    # "تصاعد"), so it is read only where a lemma of the predicates lexicon makes the word an imperfect
    # ("تشهد مناطق في الريف هجمات": what the countryside keeps seeing)
    present = w[0] == "ي" or (w[0] == "ت" and predicates is not None and predicates.present(word))
    return len(w) >= 3 and present and not any(f.first == k and f.spec.status == "future" for f in frames)


def _series(t: Trigger, m: Mentions | None = None) -> bool:
    """Acts named by a plural noun only ("الغارات", "الهجمات"; not the verbal noun "الاشتباكات"), or
    (given ``m``) a verbal noun counted by a plural head before it ("عمليات اغتيال", "حملات دهم")."""
    if t.readings and all(r.part == "noun" and r.number == "plural" for r in t.readings):
        return True
    if m is None or t.first == 0:
        return False
    head = m.tokens[t.first - 1].text
    head = head[1:] if head[0] in "وف" and len(head) > 5 else head
    return len(head) >= 5 and head.endswith("ات") and not is_definite(head)


def _far_frame(t: Trigger, frames: Sequence[Frame]) -> Status | None:
    """The frame of a clause that governs an act named as a noun far into it ("أدانت الوزارة بشدة
    ... الهجوم", "يعتزم الجيش خلال الأسابيع المقبلة شن حملة ... على"): an act named as a noun is
    the frame's object however long the words between, an act told by a verb is its own clause.
    Not a denial far off, which denies a claim or a responsibility more often than the act."""
    far = None
    for f in frames:
        if f.first >= t.first:
            break
        spec = f.spec
        if spec.before >= _CLAUSE_FRAME and spec.status not in _FAR_SPARED and t.sub_event_type not in spec.spares \
                and f.last <= t.first and t.first - f.first <= _NOUN_REACH \
                and not f.names(t.first, _series(t)):
            far = f
    if far is None:
        return None
    return Status(far.spec.status, f"{far.spec.status} frame of its clause before the act named ({far.spec.entry_id})", far)


def anchoring(m: Mentions, span: tuple[int, int], group: Sequence[Trigger], actors: Sequence[ActorMention],
              cues: Sequence[Cue], places: Sequence[PlaceMention], times: Sequence[TimeExpr],
              frames: Sequence[Frame], toll: Callable[[int, int], Fatalities],
              predicates: ClauseHeads | None = None) -> tuple[str, str]:
    """How the triggers of ``group`` in ``span`` (a clause and those joined to it by a cause or
    outcome connector: one incident) are tied to an occasion, and why. ``toll(first, last)``: the
    number killed the tokens state, if any. Instruments alone (a weapon, a bomber, hostages, with
    no act word in the span: "استهدفت الفصائل بالقذائف" has one) need an act: a trigger that is
    the clause's verb, a verb of occurrence, a toll."""
    first, last = span
    cues = within(cues, first, last)
    backing = [c for c in cues if c.cue == "support"]
    trigs = within(m.triggers, first, last)
    if "؟" in m.norm.text[m.tokens[last - 1].end:m.tokens[last].start if last < len(m.tokens) else None][:3]:
        return UNANCHORED, "a question: it asks, it does not tell"
    if any(is_predicate(m, t, first, frames, times, actors, backing) for t in trigs):
        return STRONG, "a trigger is its clause's verb"
    if _habitual(m, first, last, group, times, frames, predicates):
        return UNANCHORED, "habitual: a clause opened by an imperfect verb names acts in the plural (what keeps happening)"
    year = next((x for x in times if first <= x.first < last and x.year is not None and x.month is None
                 and x.day is None and not x.current), None)
    if year is not None:
        return UNANCHORED, "background: the clause dates it by a year alone"
    if predicates is not None and not any(t.event_type in _CROWD_EVENTS for t in group):
        # (a demonstration is told as a noun after verbs of gathering and purpose phrases,
        # "خرجوا في مظاهرة", "احتجاجا على": the crowd anchors it below)
        head = predicates.head(first, last, group[0].first)
        if head.kind == OTHER:
            word = m.norm.original[slice(*m.norm.span(m.tokens[head.token].start, m.tokens[head.token].end))]
            signals = _told_beside(m, group, span, frames, toll, times, places)
            if any(predicates.caused(first, t.first) for t in group if not _verb(t, m)):
                signals.append("a cause")
            if not signals:
                return UNANCHORED, (f"mention: the clause's predicate ({word}) is no act, and nothing beside the "
                                    "act named in it (a verb of occurrence, a toll, a day, a cause) tells it happened")
            told = " and ".join(signals)
            if len(signals) > 1 or "a cause" in signals:
                # "أدانت ... التفجيرات التي شهدتها المدينة اليوم وراح ضحيتها 120": when and what it
                # cost, told with the act, make it news whatever the clause says of it; and an act
                # told as the cause of what the clause tells ("أخلى السكان منازلهم نتيجة القصف") happened
                return STRONG, f"{told} beside an act named in a clause whose predicate ({word}) is no act"
            # one sign beside an act named in a clause about something else ("كرمت ضحايا التفجير
            # الذي وقع"): an incident the report tells elsewhere, or one it only recalls
            return WEAK, f"{told} beside an act named in a clause whose predicate ({word}) is no act"
    if any(t.event_type in _CROWD_EVENTS for t in trigs) and any(
            first <= a.first < last and str(a.entries[0].get("key")) in _CROWDS
            and not any(t.first < a.last and a.first < t.last for t in trigs) for a in actors):
        # "شكل مئات المتظاهرين سلسلة بشرية للاحتجاج على ...": the crowd is there, doing it
        return STRONG, "a crowd of protesters"
    if StatusReader.occurrence(within(frames, first, last)) is not None:
        return STRONG, "a verb of occurrence"
    if any(c.cue == "victim" for c in cues) or toll(first, last).count is not None:
        return STRONG, "a toll"
    if all(t.entry.get("instrument") for t in group) and all(t.entry.get("instrument") for t in trigs):
        return UNANCHORED, "a weapon or a participant named with no act: no verb, verb of occurrence or toll with it"
    if any(first <= t.first < last and recent(t) for t in times):
        return STRONG, "a day"
    if any(first <= p.first < last and not getattr(p, "reference", False) for p in places):
        return WEAK, "a place"
    if any(not a.generic for a in actors):
        return WEAK, "a named side"
    return UNANCHORED, "mention: named as a topic; no verb of occurrence, day, toll, place or side with it"


_BESIDE_BEFORE, _BESIDE_AFTER = 3, 5  # how near (in tokens before, in words after) a verb of occurrence tells of the act
_TOLL_BEFORE, _TOLL_AFTER = 6, 10  # how near a toll tells of the act
_DAY_AFTER = 5  # how near after the act (in words: ``_words_after``) its day tells when it happened
_REACH_AFTER = 16  # tokens after the act read for what tells it


def _told_beside(m: Mentions, group: Sequence[Trigger], span: tuple[int, int], frames: Sequence[Frame],
                 toll: Callable[[int, int], Fatalities], times: Sequence[TimeExpr],
                 places: Sequence[PlaceMention]) -> list[str]:
    """Whether an act named in a clause about something else is told as having happened right
    where it is named: a verb of occurrence governs it ("تعرض موكبه لانفجار", "هجوم انتحاري وقع
    في"), or a toll is told with it ("هجوم قتل فيه 58 شخصا", "مقتل ثلاثة في انفجار")."""
    first, last = span
    found: dict[str, None] = {}
    for t in group:
        after = _words_after(m, t.last, min(last, t.last + _REACH_AFTER), places)
        if any(f.spec.status == OCCURRENCE and not is_definite(m.tokens[f.first].text)
               and (t.first - _BESIDE_BEFORE <= f.first < t.first or after.get(f.first, _BESIDE_AFTER + 1) <= _BESIDE_AFTER)
               for f in frames):
            found["a verb of occurrence"] = None
        if any(after.get(x.first, _DAY_AFTER + 1) <= _DAY_AFTER and recent(x) for x in times):
            found["a day"] = None
        fat = toll(max(first, t.first - _TOLL_BEFORE), min(last, t.last + _TOLL_AFTER))
        if fat.count is not None and not fat.implied:  # a figure written, not "اغتيال فلان" itself
            found["a toll"] = None
    return list(found)


def _words_after(m: Mentions, first: int, last: int, places: Sequence[PlaceMention]) -> dict[int, int]:
    """Per token of ``[first, last)``, how many words stand between ``first`` and it, a place
    named and what is in brackets counting as none ("القصف على قاعة في المخا (جنوب غرب) أوقع")."""
    out: dict[int, int] = {}
    words = 0
    i = first
    text = m.norm.text
    depth = 0
    named: dict[int, PlaceMention] = {}  # the first place named at each token
    for p in places:
        named.setdefault(p.first, p)
    while i < last:
        out[i] = words
        p = named.get(i)
        if p is not None:
            for j in range(i, min(p.last, last)):
                out[j] = words
            i = p.last
            continue
        gap = text[m.tokens[i - 1].end:m.tokens[i].start] if i > 0 else ""
        depth += gap.count("(") - gap.count(")")
        if depth <= 0:
            words += 1
        i += 1
    return out


def recent(t: TimeExpr) -> bool:
    """A time that names a day or part of one (not a year or a vague period)."""
    return t.offset_days is not None or t.weekday is not None or t.daypart is not None or t.day is not None


def is_predicate(m: Mentions, trig: Trigger, first: int, frames: Sequence[Frame], times: Sequence[TimeExpr],
                 actors: Sequence[ActorMention], backing: Sequence[Cue]) -> bool:
    """Whether the trigger is its clause's verb: not a definite noun, and before it, back to the
    clause's start (``first``), a punctuation mark or a complementizer (``status`` kind
    "complement"), only openers (kind "opener"), time expressions and the subject (a side, with
    its backer: "الجيش الحر مدعوما بالجيش التركي سيطر"; ``backing``: "support" cues)."""
    tokens = m.tokens
    if is_definite(tokens[trig.first].text):
        return False
    if trig.readings and not any(r.part == "verb" for r in trig.readings):
        return False  # the lexicon generated it as a noun only ("غارات", "اشتباكات")
    tok = tokens[trig.first]
    if trig.start > tok.start and tok.text[0] in "وف" and trig.readings and all(r.part == "verb" and r.aspect == "perfect" for r in trig.readings):
        # "دخل الجيش القرية وسيطر عليها": a perfect joined on by "و" (a clitic the match read past, not
        # the verb's own first letter: "فتحت") is a predicate of its own, coordinated
        # with the verb before it, whatever that verb's object (not a word that also reads as a verbal
        # noun, "وقتل": "من قتل وخطف" lists acts)
        return True
    text = m.norm.text
    i = trig.first - 1
    while i >= first:
        gap = text[tokens[i].end:tokens[i + 1].start]
        if any(ch in _BOUNDARY for ch in gap):
            return True
        frame = next((f for f in frames if f.first <= i < f.last), None)
        if frame is not None and frame.spec.status == COMPLEMENT:
            return True
        if not (frame is not None and frame.spec.status == OPENER) and \
                not any(t.first <= i < t.last for t in times) and not any(a.first <= i < a.last for a in actors) \
                and not any(c.first <= i < c.last for c in backing):
            return False
        i -= 1
    return True


def one_incident(clauses: Sequence[Segment], cues: Sequence[Cue]) -> dict[int, int]:
    """Per clause (by id), the first clause of its incident: a clause opened by a cause or outcome
    connector ("جراء", "ما أدى إلى") tells the same incident as the one before it."""
    starts = {c.first for c in cues if c.cue == "clause_cause"}
    out: dict[int, int] = {}
    key = 0
    for clause in clauses:
        if not out or clause.first not in starts:
            key = id(clause)
        out[id(clause)] = key
    return out


def incident_spans(clauses: Sequence[Segment], incident: dict[int, int]) -> dict[int, tuple[int, int]]:
    """Per clause (by id), the token range of its whole incident (``one_incident``)."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for c in clauses:
        k = incident[id(c)]
        first.setdefault(k, c.first)
        last[k] = c.last
    return {id(c): (first[incident[id(c)]], last[incident[id(c)]]) for c in clauses}


def background_left_out(candidates: Sequence["Candidate"], reference: dt.date | None, m: Mentions,
                        trace: list[Decision] | None) -> list["Candidate"]:
    """The candidates whose own time is not a period that ended over ``BACKGROUND_DAYS`` before
    the report ("وكانت قوات النظام قد سيطرت على البلدة عام 2016" in a 2019 report: background,
    and its year never becomes an event date). A report of unknown date (``reference`` None)
    that tells some incident by its day ("أمس الجمعة", "الأحد") tells news by the day: an
    incident it dates only by a year or a month of a year is one it recalls."""
    if reference is None:
        if not any(c.time is not None and recent(c.time) for c in candidates):
            return list(candidates)
        far = dt.date.max  # any written year or month has ended before it
    out = []
    for c in candidates:
        end = period_end(c.time, reference or far) if c.time is not None else None
        if reference is None:
            if end is not None:
                if trace is not None:
                    trace_trigger(trace, m, "status", c.triggers[0], "background: a report telling news by the day "
                                  "dates this only by a year or a month", c.time.start, c.time.end)
                continue
            out.append(c)
            continue
        days = (reference - end).days if end is not None else 0
        if days > BACKGROUND_DAYS:
            if trace is not None:
                trace_trigger(trace, m, "status", c.triggers[0], f"background: the period it names ended {days} days "
                              "before the report", c.time.start, c.time.end)
            continue
        out.append(c)
    return out
