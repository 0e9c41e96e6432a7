"""What a clause asserts: the word that stands in its predicate slot.

Arabic news tells an incident verb first ("وقتل", "انفجرت", "تعرضت قافلة"), or has a source
tell it ("وقال مصدر إن مسلحين خطفوا", "أعلنت الشرطة مقتل"), or heads a list item or a headline
with it ("تفجير انتحاري في ..."). A clause whose predicate slot holds any other verb is about
something else - a visit, a trial, a ceremony, a policy, an opinion ("التقى ... منذ اغتيال",
"كرمت ... ضحايا التفجير", "يعد ... أحدث هجوم") - and an act it names as a noun is a mention of
it, not a report.

The reader walks from the clause's first word past what may stand before a verb: openers and
connectors, times, datelines and fronted adverbials ("وفي بغداد،", "من جهة أخرى،"), the sides
and places named as subjects; a complementizer or a verb that takes a subject first ("كان")
lets a subject stand before the predicate. The first word past them is the predicate:

- an event word (a trigger, a verb of occurrence): the clause reports an act;
- a reporting verb (``predicates`` role ``speech``: قال، أعلن، أفاد) or a light verb (role
  ``light``: قام ب، تم): the clause asserts what its content clause or object does, read the same way;
- any other word in a verb's place (not definite, not a side, place, time or number): the
  clause's predicate is not an act.

Word classes other than events are read from the ``predicates`` lexicon
(``data/lexicon/ar/predicates.yaml``); events from the report's triggers and status frames.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from ahdath.extract.mentions import Mentions, within
from ahdath.extract.status import COMPLEMENT, OCCURRENCE, OPENER
from ahdath.lexicon import LexiconSet
from ahdath.text.tokens import is_definite

EVENT, OTHER, UNKNOWN = "event", "other", "unknown"
SPEECH, LIGHT, LEAD, COPULA, CAUSE, RELATIVE = "speech", "light", "lead", "copula", "cause", "relative"
ROLES = (SPEECH, LIGHT, LEAD, COPULA, EVENT, CAUSE, RELATIVE)
SUBJECT_WORDS = 6  # words a subject may take before its verb, after a complementizer or a copula
_CONTENT_REACH = 25  # how far after a reporting verb its complementizer or quotation may stand
_LEAD_REACH = 10  # how far a fronted adverbial may run to the comma that closes it
_LEAD_OBJECT = 2  # words a preposition's object may take before the predicate, where no comma closes it
_ARGUMENT_WORDS = 3  # words after a predicate where its subject or object stands
_LETTER = re.compile(r"[^\W\d_]")
_READ_WORDS = 40  # the words of a clause read for its predicate
_CAUSE_REACH = 3  # a cause word stands this close before the act it names ("جراء استهدافه بقذائف")
_OBJECT_WORDS = 8  # words a reporting verb's speaker and object may take before the act it tells
_DATELINE_WORDS = 9  # the first words of a sentence where a dateline may end
_DASHES = (" ـ ", " – ", " - ", " — ")
_COMMA = frozenset("،,")
_PRONOUN = "ه"  # the letter of a complementizer's pronoun subject (إنه، أنها، بأنهم، أنهما)
_OPENS_CONTENT = frozenset(":«\"“")


@dataclass(frozen=True, slots=True)
class Head:
    """The predicate of a clause: ``kind`` (event, other, unknown), the token read as it (-1:
    none), and whether a reporting or light verb was read through to reach it."""

    kind: str
    token: int = -1
    reported: bool = False


NO_HEAD = Head(UNKNOWN)


class PredicateReader:
    """Reads clause predicates; holds the ``predicates`` lexicon's forms by role (immutable)."""

    __slots__ = ("_roles", "_pairs", "_present")

    def __init__(self, roles: Mapping[str, str], present: Iterable[str] = ()) -> None:
        self._roles = dict(roles)
        # first words of the forms of two words ("في حين"): only they are read with the next word
        self._pairs = frozenset(f.split(" ", 1)[0] for f in self._roles if " " in f)
        self._present = frozenset(present)

    @classmethod
    def from_lexicons(cls, lexicons: LexiconSet) -> "PredicateReader":
        roles: dict[str, str] = {}
        present: set[str] = set()
        for e in lexicons["predicates"].entries:
            for f in e.forms:
                roles.setdefault(f, str(e.get("role")))
            present.update(f for f, rs in e.readings.items()
                           if rs and all(r.part == "verb" and r.aspect == "imperfect" and not r.future for r in rs))
        return cls(roles, sorted(present))

    def present(self, word: str) -> bool:
        """Whether a word reads only as a verb in the imperfect, not the future ("تشهد", "وتدور"): the
        lexicon's lemmas tell what the letter ت alone cannot (it also opens perfects: "تجدد", "تصاعد")."""
        return word in self._present or (len(word) > 2 and word[0] in "وف" and word[1:] in self._present)

    def role(self, word: str) -> str | None:
        """The role of a word, read as written or after the conjunction it carries (و، ف)."""
        r = self._roles.get(word)
        if r is None and len(word) > 2 and word[0] in "وف":
            r = self._roles.get(word[1:])
        return r

    def caused(self, m: Mentions, first: int, at: int) -> bool:
        """Whether the act at token ``at`` is told as a cause: a cause word stands right before it
        ("نتيجة القصف", "جراء انفجار عبوة"), past ``first``."""
        tokens = m.tokens
        for j in range(at - 1, max(first, at - _CAUSE_REACH) - 1, -1):
            if self.role(tokens[j].text) == CAUSE or (j > first and tokens[j - 1].text in self._pairs and self.role(
                    f"{tokens[j - 1].text} {tokens[j].text}") == CAUSE):
                return True
        return False

    def head(self, m: Mentions, first: int, last: int, at: int | None = None) -> Head:
        """The predicate of the clause in tokens ``[first, last)`` for the words at token ``at``
        (a quotation opened before them after a colon is their clause: "قال: «اندلعت ...»").
        Only its first ``_READ_WORDS`` words are read: a predicate slot stands early."""
        return self._head_from(m, first, self.start(m, first, last, at), last)

    @staticmethod
    def start(m: Mentions, first: int, last: int, at: int | None) -> int:
        """Where the reading of a clause for the words at ``at`` begins (past a dateline, at a quotation)."""
        start = _past_dateline(m, first, last)
        return max(start, _quotation(m, start, at)) if at is not None else start

    def _head_from(self, m: Mentions, first: int, start: int, last: int, spans: "_Spans | None" = None) -> Head:
        last = min(last, start + _READ_WORDS)
        if spans is None:
            spans = _Spans(m, start, last, event_spans(m, start, last))
        return self._read(m, start, last, spans, 0, 0, start > first)

    def of(self, m: Mentions) -> "ClauseHeads":
        """A reader of one report's clauses that reads each clause once."""
        return ClauseHeads(self, m)

    def _read(self, m: Mentions, i: int, last: int, spans: "_Spans", subject: int, depth: int,
              reported: bool, light: bool = False) -> Head:
        """``light``: a light verb was read, whose object is the act ("قام متظاهرون بالاحتجاج")."""
        tokens = m.tokens
        relative = False  # a relative pronoun was read: the next verb is its clause's, not the predicate
        while i < last:
            end = spans.time(i)
            if end > i:
                i = end
                continue
            if spans.event(i):
                if not relative and (light or not is_definite(tokens[i].text)):
                    return Head(EVENT, i, reported)
                # an act named with the article is the topic the clause goes on about ("الهجوم
                # أثار", "الانفجار الأول نتج عن"), and the verb of a relative clause describes a
                # noun ("الجريمة التي استهدفت"): the predicate follows
                subject = subject or SUBJECT_WORDS
                relative = False
                i = spans.event_end(i)
                continue
            end = spans.skip(i)
            if end > i:  # a time, a side, a place, a number or a mark: what stands before a verb
                i = end
                continue
            word = tokens[i].text
            pair = i + 1 < last and (word in self._pairs or word[1:] in self._pairs)
            role = self.role(f"{word} {tokens[i + 1].text}") if pair else None
            if role is not None:
                i += 1  # a connector of two words ("في حين", "من جهته"): read as its second
            else:
                role = self.role(word)
            if role == RELATIVE:
                relative = True
                i += 1
                continue
            if role == COPULA:
                # its subject comes first; a copula read inside a subject already allowed adds none
                subject = subject or SUBJECT_WORDS
                i += 1
                continue
            if role == LEAD and depth < 4:
                # a fronted adverbial: past its comma, or past its preposition and the noun it takes
                j = _past_lead(m, i, last)
                subject = max(subject, _LEAD_OBJECT if j == i + 1 else 0)
                i = j
                continue
            if role == LIGHT and depth < 4:
                return self._read(m, i + 1, last, spans, SUBJECT_WORDS, depth + 1, True, True)
            if role == SPEECH and depth < 4:
                j = _content(m, i + 1, min(last, i + _CONTENT_REACH), spans)
                if j < 0:
                    # no content clause: what is told is the verb's object, after its speaker
                    # ("أعلنت مصادر أمنية مقتل", "أفادت مصادر محلية بسيطرة"): an act there is told
                    found = spans.argument(i + 1, last, _OBJECT_WORDS)
                    return Head(EVENT, found, True) if found >= 0 else Head(UNKNOWN, i, True)
                return self._read(m, j, last, spans, SUBJECT_WORDS, depth + 1, True)
            frame = spans.frame(i)
            if frame == COMPLEMENT:
                # "إنه", "أنها": the subject is the pronoun, the predicate comes next
                subject = 1 if _PRONOUN in word[-3:] else SUBJECT_WORDS
                i += 1
                continue
            if frame == OPENER:
                i += 1
                continue
            if role == EVENT:
                return Head(EVENT, i, reported)
            described = subject > 0 and i > 0 and not is_definite(tokens[i - 1].text)
            if (subject > 0 and (not _imperfect(word) or described)) or is_definite(word) or _circumstantial(word):
                # (a verb right after an indefinite noun of the subject describes it: "مسلحون
                # يستقلون سيارة اختطفوا", "gunmen riding a car kidnapped")
                # a subject before its verb, or a nominal sentence's topic
                subject = max(subject - 1, 0)
                i += 1
                continue
            # the predicate is no act word; the act may still be what it tells of, as its subject
            # or object right after it ("تدور معارك", "توسعت المواجهات", "واصلت إسرائيل أعمال القتل")
            # ... unless the predicate is itself a frame over it ("أثار اغتياله", "أدان الهجوم")
            arg = spans.argument(i + 1, last, _ARGUMENT_WORDS) if not spans.framed(i) else -1
            if arg >= 0:
                return Head(EVENT, arg, reported)
            return Head(OTHER, i, reported)
        return Head(UNKNOWN, -1, reported)


class ClauseHeads:
    """The predicates of one report's clauses, each read once (the trigger groups of a clause,
    and the status model after them, ask again)."""

    __slots__ = ("reader", "m", "_memo", "_spans")

    def __init__(self, reader: PredicateReader, m: Mentions) -> None:
        self.reader = reader
        self.m = m
        self._memo: dict[tuple[int, int, int], Head] = {}
        self._spans: _Spans | None = None  # what each token of the report is, read at the first question

    def head(self, first: int, last: int, at: int | None = None) -> Head:
        m = self.m
        start = self.reader.start(m, first, last, at)
        key = (first, start, last)
        h = self._memo.get(key)
        if h is None:
            if self._spans is None:
                n = len(m.tokens)
                self._spans = _Spans(m, 0, n, event_spans(m, 0, n))
            h = self._memo[key] = self.reader._head_from(m, first, start, last, self._spans)
        return h

    def caused(self, first: int, at: int) -> bool:
        return self.reader.caused(self.m, first, at)

    def present(self, word: str) -> bool:
        return self.reader.present(word)


class _Spans:
    """What each token of tokens ``[first, last)`` is, for the head reader: looked up once."""

    __slots__ = ("_events", "_frames", "_skip", "_times", "_framed", "_tokens")

    def __init__(self, m: Mentions, first: int, last: int, events: Sequence[tuple[int, int]]) -> None:
        self._events = {i: b for a, b in events for i in range(max(a, first), min(b, last))}
        self._frames: dict[int, str] = {}
        framed = []  # tokens of status frames (a reaction, a plan ...): a predicate that is one frames its object
        for f in _of_range(m.frames, m, first, last):
            if f.spec.status in (COMPLEMENT, OPENER):
                for i in range(f.first, f.last):
                    self._frames.setdefault(i, f.spec.status)
            elif f.spec.status not in (OCCURRENCE, "none"):
                framed.extend(range(f.first, f.last))
        self._framed = frozenset(framed)
        times = _of_range(m.times, m, first, last)
        self._times = {t.first: t.last for t in times}
        self._skip: dict[int, int] = {}
        for x in (*times, *_of_range(m.actors, m, first, last), *_of_range(m.places, m, first, last)):
            self._skip[x.first] = max(self._skip.get(x.first, 0), x.last)
        self._tokens = m.tokens

    def event(self, i: int) -> bool:
        return i in self._events

    def event_end(self, i: int) -> int:
        return max(self._events[i], i + 1)

    def argument(self, i: int, stop: int, most: int = 3) -> int:
        """The first event word among the next ``most`` words from ``i`` (sides, places and times
        not counted among them) before ``stop``, or -1."""
        words = 0
        while i < stop and words < most:
            if i in self._events:
                return i
            if self._frames.get(i) == COMPLEMENT:
                return -1  # a content clause begins: what follows is its own
            end = self.skip(i)
            if end > i:
                i = end
                continue
            words += 1
            i += 1
        return -1

    def framed(self, i: int) -> bool:
        return i in self._framed

    def time(self, i: int) -> int:
        return self._times.get(i, i)

    def skip(self, i: int) -> int:
        end = self._skip.get(i)
        if end is not None:
            return end
        return i if _LETTER.search(self._tokens[i].text) else i + 1  # a number, a date, a mark

    def frame(self, i: int) -> str | None:
        return self._frames.get(i)


def _imperfect(word: str) -> bool:
    """A word with the prefix of the third person imperfect ("يتعلق", "ويعتقد"): a verb, where a
    subject was allowed to stand before one."""
    w = word[1:] if word[0] in "وف" and len(word) > 4 else word
    return len(w) >= 4 and w[0] == "ي"


def _circumstantial(word: str) -> bool:
    """An active participle in the accusative ("مخلفا", "مؤكدا", "مشيرا"): a circumstantial phrase
    (حال) about the subject, never a finite verb; what it takes follows it."""
    w = word[1:] if word[0] in "وف" and len(word) > 5 else word
    return len(w) >= 5 and w[0] == "م" and w[-1] == "ا" and w[-2] not in "او"


def _past_dateline(m: Mentions, first: int, last: int) -> int:
    """Where a sentence's own words begin, past a dateline or a list item's date ("بعقوبة ـ أ.ف.ب:",
    "* 5 مايو 2007:", "متابعات – الراي –"): after the last colon or spaced dash among its first words."""
    tokens, text = m.tokens, m.norm.text
    start = first
    stop = min(last, first + _DATELINE_WORDS)
    lead = text[tokens[first].start:tokens[stop - 1].end]
    if ":" not in lead and not any(d in lead for d in _DASHES):
        return first
    for j in range(first + 1, stop):
        gap = text[tokens[j - 1].end:tokens[j].start]
        if ":" in gap or any(d in gap for d in _DASHES):
            start = j
    return start


def _quotation(m: Mentions, first: int, at: int) -> int:
    """Where the quotation holding token ``at`` begins, when a colon opens it after ``first``; else ``first``."""
    tokens, text = m.tokens, m.norm.text
    if at <= first or ":" not in text[tokens[first].start:tokens[at].start]:
        return first
    for j in range(at, first, -1):
        if ":" in text[tokens[j - 1].end:tokens[j].start]:
            return j
    return first


def _past_lead(m: Mentions, i: int, last: int) -> int:
    """Past a fronted adverbial opened at ``i`` ("وفي بغداد،", "من جهة أخرى،"): to the comma that
    closes it when one comes soon, else past its opening word only."""
    tokens, text = m.tokens, m.norm.text
    for j in range(i + 1, min(last, i + _LEAD_REACH)):
        if _COMMA.intersection(text[tokens[j - 1].end:tokens[j].start]):
            return j
    return i + 1


def _content(m: Mentions, i: int, stop: int, spans: _Spans) -> int:
    """Where a reporting verb's content begins: after its complementizer or the mark that opens
    a quotation; -1 where neither comes (the verb tells an object: "أعلنت الشرطة مقتل")."""
    tokens, text = m.tokens, m.norm.text
    for j in range(i, stop):
        if spans.frame(j) == COMPLEMENT:
            return j
        if j > i and _OPENS_CONTENT.intersection(text[tokens[j - 1].end:tokens[j].start]):
            return j
    return i


_DEATH_CUES = frozenset({"death", "death_after", "death_noun", "death_noun_single", "death_dual", "injury"})


def event_spans(m: Mentions, first: int, last: int) -> list[tuple[int, int]]:
    """Token ranges of the event words of ``[first, last)``: triggers, verbs of occurrence, and
    words of death and injury ("قتيل وجرحى إثر قصف")."""
    out = [(t.first, t.last) for t in _of_range(m.triggers, m, first, last)]
    out.extend((c.first, c.last) for c in _of_range(m.cues, m, first, last) if c.cue in _DEATH_CUES)
    out.extend((f.first, f.last) for f in _of_range(m.frames, m, first, last)
               if f.spec.status == OCCURRENCE and not is_definite(m.tokens[f.first].text))
    return out


def _of_range(items: Sequence, m: Mentions, first: int, last: int) -> Sequence:
    """The mentions of ``items`` inside tokens ``[first, last)`` (``within``): all of them for the
    whole report, which ``ClauseHeads`` reads."""
    return items if first <= 0 and last >= len(m.tokens) else within(items, first, last)
