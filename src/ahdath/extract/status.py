"""What a trigger's clause is: a reported incident, or words that only mention one.

Arabic news tells incidents among denials (لم، نفى), threats and plans (هدد، يعتزم، سوف),
conditions (إذا، لو), court cases (بتهمة، قضت المحكمة), anniversaries (ذكرى), drills
(مناورات), and totals over a period (وثقت، منذ بداية العام). ACLED codes only what the
report says happened, so a trigger governed by such a frame is not an event.

A frame governs the triggers of its own clause that stand within its reach: ``before``
tokens after the frame's start, or ``after`` tokens past the trigger's end (``status``
lexicon, ``data/lexicon/ar/status.yaml``). Phrases of status ``none`` ("ما أدى": "which
led", not "did not") shadow the frames found inside their span.

Matching only finds frames (``frames``); ``status`` decides, and says why in words a
reviewer can check (``ahdath extract --explain``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Sequence

from ahdath.lexicon import LexiconSet, PhraseMatcher
from ahdath.text.tokens import Token

_new = tuple.__new__  # makes a named tuple without its Python-level __new__

REPORTED_KIND = "reported"
MENTION_KIND = "mention"
_NONE, OCCURRENCE, OPENER, COMPLEMENT = "none", "occurrence", "opener", "complement"
_NOT_FRAMES = frozenset({OCCURRENCE, OPENER, COMPLEMENT})  # kinds that describe a clause without blocking


class FrameSpec(NamedTuple):
    """What a ``status`` entry says: the status it gives, its reach, the sub-types it spares."""

    status: str
    before: int
    after: int
    spares: frozenset[str]
    entry_id: str
    construct_named: bool = False  # a trigger right after it is the incident it names ("حصيلة التفجير")


class Frame(NamedTuple):
    """A frame found in a sentence (token range ``[first, last)``, normalized offsets)."""

    first: int
    last: int
    start: int
    end: int
    spec: FrameSpec

    def names(self, first: int, series: bool = False) -> bool:
        """Whether the trigger at token ``first`` is the incident this frame names ("حصيلة التفجير",
        "حصيلة ضحايا القصف": a construct right after it, one word between at most). ``series``: the
        trigger is a plural noun ("حصيلة ضحايا الغارات"), strikes counted together, not one incident."""
        return self.spec.construct_named and not series and 0 <= first - self.last <= 1


@dataclass(frozen=True, slots=True)
class Status:
    """The status of one trigger; ``frame`` is the words that gave it (None when reported)."""

    kind: str
    reason: str
    frame: Frame | None = None

    @property
    def reported(self) -> bool:
        return self.kind == REPORTED_KIND


REPORTED = Status(REPORTED_KIND, "reported as having happened")


class StatusReader:
    """Finds frames and decides the status of triggers; immutable after construction."""

    __slots__ = ("_matcher",)

    def __init__(self, matcher: PhraseMatcher[FrameSpec]) -> None:
        self._matcher = matcher

    @classmethod
    def from_lexicons(cls, lexicons: LexiconSet) -> "StatusReader":
        pairs = []
        for e in lexicons["status"].entries:
            spec = FrameSpec(str(e.get("status")), int(e.get("before")), int(e.get("after")),
                             frozenset(e.get("spares") or ()), e.id, e.get("construct") == "named")
            pairs.extend((f, spec) for f in e.forms)
        return cls(PhraseMatcher(pairs))

    @property
    def can_start(self):  # noqa: ANN201 - a PhraseMatcher's word test, for PhraseScan
        return self._matcher.can_start

    def frames(self, tokens: Sequence[Token], first: int, last: int,
               heads: Sequence[int] | None = None) -> list[Frame]:
        """The frames of tokens ``[first, last)`` in text order, shadowed ones left out."""
        found = [_new(Frame, (m.first, m.last, m.start, m.end, m.payload))
                 for m in self._matcher.find(tokens, overlapping=True, first=first, last=last, heads=heads)]
        shields = [f for f in found if f.spec.status == _NONE]
        if not shields:
            return found
        # a shield keeps its words from blocking, and the words of a frame that starts within its
        # ``after`` reach ("الأكثر دموية منذ بدء العملية" compares one incident with a period); what
        # they describe (a verb of occurrence) stays
        return [f for f in found if f.spec.status != _NONE and (f.spec.status in _NOT_FRAMES or not any(
            s.first <= f.first and (f.last <= s.last or f.first - s.last < s.spec.after) for s in shields))]

    @staticmethod
    def status(first: int, last: int, sub_event_type: str, frames: Sequence[Frame], series: bool = False) -> Status:
        """Status of a trigger at tokens ``[first, last)`` given the frames of its clause; ``series``:
        the trigger names acts in the plural (``Frame.names``)."""
        for f in frames:
            spec = f.spec
            if spec.status in _NOT_FRAMES or sub_event_type in spec.spares:
                continue
            if f.first < first and f.last <= first and first - f.first <= spec.before:
                if f.names(first, series):
                    continue
                where = "before"
            elif f.first >= last and f.first - last < spec.after:
                where = "after"
            else:
                continue
            return Status(spec.status, f"{spec.status} frame {where} the trigger ({spec.entry_id})", f)
        return REPORTED

    @staticmethod
    def occurrence(frames: Sequence[Frame]) -> Frame | None:
        """A verb among ``frames`` that says something happened."""
        return next((f for f in frames if f.spec.status == OCCURRENCE), None)
