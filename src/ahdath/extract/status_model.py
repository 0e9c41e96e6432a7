"""How likely an act the rules let through is told as having happened: a small logistic model
over the signals the status rules compute.

The rules (``extract.status``, ``extract.predicate``, ``extract.reporting``) decide from a
clause's words whether an act is reported. Some sentences they let through still only mention
it: a long sentence of commentary, an act recalled by year, a statement that holds a plan or a
reaction beyond a frame's reach. No one of those signals decides, but together they tell, so
this stage weighs them: each feature is named and has one weight, the weights are data
(``data/status_model.yaml``, fitted by ``benchmarks/status_model.py --fit`` on the shared sets,
cross-validated, with its provenance), and an act whose probability falls under the file's
threshold is left out, traced with the features that decided.

It reads only the event types the sentence gold standard labels (political violence), and only
what the rules anchored: a crowd event or a report the rules already drop never reaches it.
Pure Python; the same input gives the same output.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ahdath.errors import LexiconError
from ahdath.extract.logistic import read_weights, sigmoid
from ahdath.extract.mentions import Mentions, Trigger
from ahdath.extract.predicate import ClauseHeads, Head
from ahdath.extract.reporting import STRONG, trace_trigger
from ahdath.extract.status import COMPLEMENT, OCCURRENCE, OPENER, Frame
from ahdath.extract.trace import Decision
from ahdath.resolve.actors import ActorMention
from ahdath.resolve.places import PlaceMention
from ahdath.text.sentences import Segment
from ahdath.text.timex import TimeExpr
from ahdath.text.tokens import is_definite

if TYPE_CHECKING:  # events imports this module
    from ahdath.extract.events import Candidate

GATED_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
_NOT_STATUS = frozenset({OCCURRENCE, OPENER, COMPLEMENT, "none"})
_NON_COMBATANT = frozenset({"CIVILIANS", "PROTESTERS", "RIOTERS", "UNKNOWN"})
_TOWN_KINDS = frozenset({"populated", "neighbourhood", "facility"})
_FRAMES_CAP = 3

# the anchor each reason of ``extract.reporting.anchoring`` names, read off its words
_ANCHORS = (("clause's verb", "verb"), ("beside an act", "beside"), ("verb of occurrence", "occurrence"),
            ("a toll", "toll"), ("a day", "day"))

# name -> what it means (``--explain`` prints the name; this is its documentation)
FEATURES: dict[str, str] = {
    "verb": "a trigger is its clause's verb",
    "occurrence": "a verb of occurrence anchors the act",
    "toll": "a toll anchors the act",
    "day": "a day anchors the act",
    "beside": "told beside an act named in a clause about something else",
    "weak": "only weakly anchored (a place, a side, one sign beside it)",
    "reported_speech": "the clause is what a source says",
    "definite": "the act word carries the article (an act referred back to)",
    "position": "log(1 + words before the act in its sentence)",
    "length": "log(1 + words in the sentence)",
    "year": "the sentence dates something by a year alone (a past recalled)",
    "frames": "status frames in the sentence that do not govern the act (up to 3)",
    "armed_side": "a named armed side in the act's clause",
    "town": "a town, district or site in the act's clause",
    "acts": "log(1 + acts named in the sentence)",
    "quote": "the act is inside a quotation",
}


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate's features and probability (what a dropped candidate's trace reason tells)."""

    features: Mapping[str, float]
    probability: float
    contributions: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class StatusModel:
    """Logistic weights over ``FEATURES`` and the probability under which an act is left out.

    ``record``: a list the training script passes; each candidate read appends
    ``(original sentence, features)`` and none is left out."""

    weights: Mapping[str, float]
    bias: float = 0.0
    threshold: float = 0.0
    record: list[tuple[str, dict[str, float]]] | None = field(default=None, compare=False)

    @classmethod
    def identity(cls) -> "StatusModel":
        """No model: every act the rules anchor is kept."""
        return cls({})

    @classmethod
    def recording(cls, rows: list[tuple[str, dict[str, float]]]) -> "StatusModel":
        return cls({}, record=rows)

    @classmethod
    def packaged(cls) -> "StatusModel":
        return cls.from_path(Path(str(resources.files("ahdath") / "data" / "status_model.yaml")))

    @classmethod
    def from_path(cls, path: Path) -> "StatusModel":
        weights, bias, doc = read_weights(path, "status model", FEATURES)
        try:
            threshold = float(doc.get("threshold") or 0.0)
        except (TypeError, ValueError) as exc:
            raise LexiconError(f"status model {path} is unreadable: {exc}") from exc
        if not 0.0 <= threshold < 1.0:
            raise LexiconError(f"status model {path}: threshold {threshold} is not a probability under 1")
        return cls(weights, bias, threshold)

    @property
    def active(self) -> bool:
        return bool(self.weights) or self.record is not None

    def probability(self, features: Mapping[str, float]) -> float:
        z = self.bias + sum(w * features.get(k, 0.0) for k, w in self.weights.items())
        return sigmoid(z)

    def contributions(self, features: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
        """Each feature's share of the log-odds, largest first."""
        parts = [(k, round(w * features.get(k, 0.0), 2)) for k, w in self.weights.items() if features.get(k)]
        return tuple(sorted(parts, key=lambda kv: (-abs(kv[1]), kv[0])))

    def score(self, m: Mentions, sent: Segment, clause: Segment, group: Sequence[Trigger],
              strength: str, why: str, head: Head | None, actors: Sequence[ActorMention],
              places: Sequence[PlaceMention], times: Sequence[TimeExpr], frames: Sequence[Frame]) -> Scored | None:
        """The probability that ``group`` (anchored ``strength`` for ``why``) tells an act that
        happened; None where the model does not read it (no model, another event type)."""
        if not self.active or group[0].event_type not in GATED_TYPES:
            return None
        x = features(m, sent, clause, group, strength, why, head, actors, places, times, frames)
        if self.record is not None:
            a, b = m.norm.span(m.tokens[sent.first].start, m.tokens[sent.last - 1].end)
            self.record.append((m.norm.original[a:b], x))
            return None
        return Scored(x, self.probability(x), self.contributions(x))

    def screen(self, out: list["Candidate"], readings: Mapping[int, tuple], m: Mentions, heads: ClauseHeads | None,
               trace: list[Decision] | None) -> list["Candidate"]:
        """``out`` less the candidates this model finds unlikely to be told as having happened where
        no other sentence of the report tells an incident firmly: a report of incidents told across
        sentences mentions them in passing too, a lone sentence does not. ``readings``: per candidate
        (by id) what it reads (sentence, clause, incident span, triggers, anchoring and why, the
        sentence's sides, places, times, frames); most reports are never read, having firm sentences."""
        firm = {id(c.sentence) for c in out if c.anchor == STRONG}
        doubts: dict[int, Scored | None] = {}  # per reading: one per trigger group, several places
        kept = []
        for c in out:
            r = readings.get(id(c))
            # (another sentence is firm: a set of ids built per candidate would make this quadratic)
            if r is None or len(firm) > 1 or (firm and id(c.sentence) not in firm):
                kept.append(c)
                continue
            if id(r) not in doubts:
                sent, clause, span, ts, strength, why, actors, places, times, frames = r
                head = heads.head(span[0], span[1], ts[0].first) if heads is not None else None
                s = self.score(m, sent, clause, ts, strength, why, head, actors, places, times, frames)
                doubts[id(r)] = s if s is not None and s.probability < self.threshold else None
            d = doubts[id(r)]
            if d is None:
                kept.append(c)
            elif trace is not None:
                t = c.triggers[0]
                told = ", ".join(f"{k} {v:+.2f}" for k, v in d.contributions[:4])
                trace_trigger(trace, m, "status", t, f"status model: probability {d.probability:.2f} under "
                              f"{self.threshold:.2f} that it is told as having happened ({told}), and no other "
                              "sentence of the report tells an incident firmly", t.start, t.end)
        return kept

    def to_doc(self, provenance: str, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return {"provenance": provenance, **(extra or {}), "threshold": self.threshold, "bias": self.bias,
                "weights": dict(self.weights)}


def features(m: Mentions, sent: Segment, clause: Segment, group: Sequence[Trigger], strength: str, why: str,
             head: Head | None, actors: Sequence[ActorMention], places: Sequence[PlaceMention],
             times: Sequence[TimeExpr], frames: Sequence[Frame]) -> dict[str, float]:
    """``FEATURES`` of one candidate: ``sent``/``clause`` hold it; ``actors``, ``places``, ``times``,
    ``frames``: the sentence's."""
    t = group[0]
    x = dict.fromkeys(FEATURES, 0.0)
    anchor = next((name for words, name in _ANCHORS if words in why), None)
    if anchor is not None:
        x[anchor] = 1.0
    x["weak"] = float(strength == "weak")
    x["reported_speech"] = float(head is not None and head.reported)
    x["definite"] = float(is_definite(m.tokens[t.first].text))
    x["position"] = math.log1p(t.first - sent.first)
    x["length"] = math.log1p(sent.last - sent.first)
    x["year"] = float(any(e.year is not None and e.day is None and e.month is None for e in times))
    governing = {id(f) for f in frames if f.first < t.first and t.first - f.first <= f.spec.before}
    x["frames"] = float(min(_FRAMES_CAP, sum(1 for f in frames if f.spec.status not in _NOT_STATUS
                                             and id(f) not in governing)))
    x["armed_side"] = float(any(clause.first <= a.first < clause.last and not a.generic
                                and str(a.entries[0].get("key")) not in _NON_COMBATANT for a in actors))
    x["town"] = float(any(clause.first <= p.first < clause.last and p.kind in _TOWN_KINDS
                          and not getattr(p, "reference", False) for p in places))
    x["acts"] = math.log1p(sum(1 for tr in m.triggers if sent.first <= tr.first < sent.last))
    before = m.norm.text[m.tokens[sent.first].start:t.start]
    x["quote"] = float(before.count("«") > before.count("»") or before.count('"') % 2 == 1
                       or before.count("“") > before.count("”"))
    return x
